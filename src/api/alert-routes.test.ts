import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDelivery, webhookSecret } from '../alerts/delivery/index.js';
import { parseTime } from '../core/time.js';
import { rsi } from '../indicators/rsi.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { btcusdtDay } from '../store/test-support/fixture-candles.js';
import { errorOf, startHarness, type Harness } from './test-support/api-harness.js';

const BTC = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };
const D1 = parseTime('2020-01-01');
const NOW = parseTime('2020-01-04');
const DRAFT = { expression: 'rsi:14 < 30', scope: { symbols: ['BTCUSDT'] }, interval: '1h', channels: ['dashboard'] };

let store: Store;
let h: Harness;
let bob: string;
let alice: string;

before(async () => {
  store = await openStore(':memory:');
  await store.upsertInstruments([{ exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: D1 }]);
  for (const day of [1, 2, 3] as const) await store.writeCandles(BTC, btcusdtDay(day), 'archive');
  await store.saveUniverse({ date: '2020-01-03', exchange: 'binance', entries: [{ rank: 1, coingeckoId: 'bitcoin', coinSymbol: 'btc', marketCap: null, volume: null, symbol: 'BTCUSDT', manual: false }] });
  h = await startHarness(store, { now: NOW, deps: { delivery: createDelivery({ store, now: () => NOW }) } });
  bob = await h.login('bob');
  alice = await h.login('alice');
});
after(async () => {
  await h.close();
  await store.close();
});

interface Rule {
  id: number;
  name: string;
  expression: string;
  scope: unknown;
  interval: string;
  frequency: unknown;
  channels: string[];
  enabled: boolean;
  mutedUntil: number | null;
}

test('api alerts - a rule is saved, listed, changed and deleted by its owner; another user gets 404 for its id', async () => {
  const made = await h.call('POST', '/api/v1/alerts', { token: bob, body: DRAFT });
  assert.equal(made.status, 201, made.text);
  const rule = made.body as Rule;
  assert.deepEqual(
    [rule.name, rule.expression, rule.scope, rule.interval, rule.frequency, rule.channels, rule.enabled, rule.mutedUntil],
    ['rsi:14 < 30', 'rsi:14 < 30', { symbols: ['BTCUSDT'] }, '1h', 'once_per_bar_close', ['dashboard'], true, null],
  );
  assert.deepEqual(((await h.call('GET', '/api/v1/alerts', { token: bob })).body as { alerts: Rule[] }).alerts.map((r) => r.id), [rule.id]);
  assert.deepEqual((await h.call('GET', '/api/v1/alerts', { token: alice })).body, { alerts: [] });
  for (const [method, body] of [['GET', undefined], ['PATCH', { enabled: false }], ['DELETE', undefined], ['POST', undefined]] as const) {
    const path = method === 'POST' ? `/api/v1/alerts/${rule.id}/test` : `/api/v1/alerts/${rule.id}`;
    const res = await h.call(method, path, { token: alice, ...(body === undefined ? {} : { body }) });
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.deepEqual(errorOf(res.body), { code: 'not_found', message: `you have no rule ${rule.id}`, field: 'params.id' });
  }
  const still = (await h.call('GET', `/api/v1/alerts/${rule.id}`, { token: bob })).body as Rule;
  assert.equal(still.enabled, true);

  const patched = await h.call('PATCH', `/api/v1/alerts/${rule.id}`, { token: bob, body: { expression: 'rsi:14 > 70', mutedUntil: '2020-01-05T00:00:00Z' } });
  assert.equal(patched.status, 200, patched.text);
  const p = patched.body as Rule;
  // The name the draft defaulted to is kept: a patch changes only what it names.
  assert.deepEqual([p.expression, p.name, p.mutedUntil, p.channels], ['rsi:14 > 70', 'rsi:14 < 30', parseTime('2020-01-05'), ['dashboard']]);
  assert.equal((await h.call('DELETE', `/api/v1/alerts/${rule.id}`, { token: bob })).status, 204);
  assert.equal((await h.call('GET', `/api/v1/alerts/${rule.id}`, { token: bob })).status, 404);
});

test('api alerts - quiet hours without a time zone are in the user\'s own (alice: Europe/Amsterdam), one given is kept', async () => {
  const made = await h.call('POST', '/api/v1/alerts', { token: alice, body: { ...DRAFT, quietHours: { from: '22:00', to: '07:00' } } });
  assert.equal(made.status, 201, made.text);
  const rule = made.body as Rule & { quietHours: unknown };
  assert.deepEqual(rule.quietHours, { from: '22:00', to: '07:00', timezone: 'Europe/Amsterdam' });
  const given = await h.call('POST', '/api/v1/alerts', { token: alice, body: { ...DRAFT, quietHours: { from: '22:00', to: '07:00', timezone: 'Asia/Tokyo' } } });
  assert.deepEqual((given.body as { quietHours: unknown }).quietHours, { from: '22:00', to: '07:00', timezone: 'Asia/Tokyo' });
  const patched = await h.call('PATCH', `/api/v1/alerts/${(given.body as Rule).id}`, { token: alice, body: { quietHours: { from: '23:00', to: '06:00' } } });
  assert.deepEqual((patched.body as { quietHours: unknown }).quietHours, { from: '23:00', to: '06:00', timezone: 'Europe/Amsterdam' });
  const bobs = await h.call('POST', '/api/v1/alerts', { token: bob, body: { ...DRAFT, quietHours: { from: '22:00', to: '07:00' } } });
  assert.deepEqual((bobs.body as { quietHours: unknown }).quietHours, { from: '22:00', to: '07:00', timezone: 'UTC' });
  for (const r of [rule.id, (given.body as Rule).id]) await h.call('DELETE', `/api/v1/alerts/${r}`, { token: alice });
  await h.call('DELETE', `/api/v1/alerts/${(bobs.body as Rule).id}`, { token: bob });
});

test('api alerts - a bad draft is 400 naming the field, and the position of an expression error', async () => {
  const cases: Array<[object, string, number | undefined, RegExp]> = [
    [{ ...DRAFT, expression: 'rsi:14 < ' }, 'body.expression', 9, /at 10/],
    [{ ...DRAFT, expression: 'close > frob:3' }, 'body.expression', 8, /frob/],
    [{ ...DRAFT, interval: '7m' }, 'body.interval', undefined, /interval/],
    [{ ...DRAFT, channels: [] }, 'body.channels', undefined, /at least one channel/],
    [{ ...DRAFT, channels: ['dashboard', 'telegram:12345'] }, 'body.channels.1', undefined, /telegram:12345 is not a chat linked to you/],
    [{ ...DRAFT, colour: 'red' }, 'body.colour', undefined, /not a field of a rule/],
  ];
  for (const [body, field, position, message] of cases) {
    const res = await h.call('POST', '/api/v1/alerts', { token: bob, body });
    assert.equal(res.status, 400, JSON.stringify(body));
    const e = errorOf(res.body) as { field?: string; message?: string; position?: number };
    assert.equal(e.field, field, JSON.stringify(body));
    assert.equal(e.position, position, JSON.stringify(body));
    assert.match(e.message ?? '', message, JSON.stringify(body));
  }
  // A chat linked to bob is accepted.
  await store.linkChat(h.users.bob, '12345', 'bob phone', NOW);
  const ok = await h.call('POST', '/api/v1/alerts', { token: bob, body: { ...DRAFT, channels: ['telegram:12345'] } });
  assert.equal(ok.status, 201, ok.text);
  assert.deepEqual((await h.call('GET', '/api/v1/channels', { token: bob })).body, { telegram: [{ chatId: '12345', title: 'bob phone' }], webhooks: [] });
  assert.deepEqual((await h.call('GET', '/api/v1/channels', { token: alice })).body, { telegram: [], webhooks: [] });
  await h.call('DELETE', `/api/v1/alerts/${(ok.body as Rule).id}`, { token: bob });
});

test('api alerts - preview fires on exactly the closed 1h bars where the batch RSI(14) is under the threshold', async () => {
  const res = await h.call('POST', '/api/v1/alerts/preview', { token: bob, body: { rule: { ...DRAFT, expression: 'rsi:14 < 45' }, from: '2020-01-01', to: '2020-01-04' } });
  assert.equal(res.status, 200, res.text);
  const body = res.body as { firings: Array<{ symbol: string; openTime: number; close: number }>; summary: { count: number } };
  const bars = await store.aggregateCandles('binance', 'BTCUSDT', '1h', D1, NOW);
  const r = rsi(bars.close, 14);
  const want: number[] = [];
  for (let i = 0; i < bars.length; i++) if ((r[i] as number) < 45) want.push(bars.openTime[i] as number);
  assert.ok(want.length > 0, 'the fixture has hours with RSI under 45');
  assert.deepEqual(body.firings.map((f) => f.openTime), want);
  assert.equal(body.summary.count, want.length);
  assert.ok(body.firings.every((f) => f.symbol === 'BTCUSDT'));

  const wide = await h.call('POST', '/api/v1/alerts/preview', { token: bob, body: { rule: DRAFT, from: '2018-01-01', to: '2020-01-04' } });
  assert.equal(wide.status, 400);
  assert.equal(errorOf(wide.body).field, 'body.from');
  const bad = await h.call('POST', '/api/v1/alerts/preview', { token: bob, body: { rule: { ...DRAFT, expression: 'rsi:14 <<' }, from: '2020-01-01' } });
  assert.equal(errorOf(bad.body).field, 'body.rule.expression');
});

test('api alerts - firings are the owner\'s only; the live feed sends them as server-sent events; a test message reaches the dashboard', async () => {
  const rule = (await h.call('POST', '/api/v1/alerts', { token: bob, body: DRAFT })).body as Rule;
  const [stored] = await store.recordEvaluation([], [{ ruleId: rule.id, userId: h.users.bob, exchange: 'binance', symbol: 'BTCUSDT', interval: '1h', barOpenTime: D1, firedAt: D1 + 3_600_000, inputs: { rsi14: 28.5 }, incomplete: false, message: 'BTCUSDT rsi:14 < 30', channels: ['dashboard'] }]);
  assert.ok(stored !== undefined);
  const mine = (await h.call('GET', `/api/v1/firings?rule=${rule.id}`, { token: bob })).body as { firings: Array<{ id: number; inputs: unknown; message: string }> };
  assert.deepEqual(mine.firings.map((f) => [f.id, f.message, f.inputs]), [[stored.id, 'BTCUSDT rsi:14 < 30', { rsi14: 28.5 }]]);
  assert.deepEqual((await h.call('GET', '/api/v1/firings', { token: alice })).body, { firings: [] });
  // The universe counts bob's armed rule, not alice's view.
  const row = (t: string) => h.call('GET', '/api/v1/universe', { token: t }).then((r) => (r.body as { symbols: Array<{ alertsArmed: number }> }).symbols[0]!.alertsArmed);
  assert.equal(await row(bob), 1);
  assert.equal(await row(alice), 0);

  const abort = new AbortController();
  const events = await fetch(`${h.url}/api/v1/events?token=${bob}`, { signal: abort.signal });
  assert.equal(events.status, 200);
  assert.match(events.headers.get('content-type') ?? '', /^text\/event-stream/);
  const reader = events.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const readUntil = async (pattern: RegExp): Promise<void> => {
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
  };
  await readUntil(/: connected/);
  const test = await h.call('POST', `/api/v1/alerts/${rule.id}/test`, { token: bob });
  assert.deepEqual(test.body, { delivered: ['dashboard'], failed: [] });
  await readUntil(/event: test\ndata: .*\n\n/);
  assert.match(text, /"message":"Test message from tickerflow for the rule \\"rsi:14 < 30\\": this channel works\."/);
  abort.abort();
  const refused = await h.call('GET', '/api/v1/events?token=tf_not-a-real-token-at-all');
  assert.equal(refused.status, 401);
  assert.equal(errorOf(refused.body).field, 'query.token');
});

test('api alerts - logging out ends the session\'s open event stream within seconds', async () => {
  const session = await h.login('bob');
  const events = await fetch(`${h.url}/api/v1/events?token=${session}`);
  assert.equal(events.status, 200);
  const reader = events.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const first = await reader.read();
  text += decoder.decode(first.value, { stream: true });
  assert.match(text, /: connected/);
  assert.equal((await h.call('POST', '/api/v1/logout', { token: session })).status, 204);
  const loggedOut = Date.now();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  assert.ok(Date.now() - loggedOut < 8_000, `ended ${Date.now() - loggedOut} ms after the logout`);
  assert.match(text, /event: end\ndata: \{"message":"the token is revoked or expired; sign in again"\}\n\n$/);
});

test('api alerts - an admin links a chat by id (the local CLI); a user may not, and a bad id is 400', async () => {
  const refused = await h.call('POST', '/api/v1/telegram/chats', { token: bob, body: { chatId: '4242' } });
  assert.equal(refused.status, 403);
  const bad = await h.call('POST', '/api/v1/telegram/chats', { token: alice, body: { chatId: '42x' } });
  assert.equal(bad.status, 400);
  assert.equal((errorOf(bad.body) as { field?: string }).field, 'body.chatId');
  assert.deepEqual(await store.listChatLinks(h.users.alice), []);
  const linked = await h.call('POST', '/api/v1/telegram/chats', { token: alice, body: { chatId: '-4242' } });
  assert.equal(linked.status, 200, linked.text);
  assert.deepEqual(linked.body, { chatId: '-4242', title: null });
  assert.deepEqual((await store.listChatLinks(h.users.alice)).map((c) => c.chatId), ['-4242']);
  // A chat another user linked (with a code) is not taken by naming it.
  await store.linkChat(h.users.bob, '5151', 'bob', NOW);
  const taken = await h.call('POST', '/api/v1/telegram/chats', { token: alice, body: { chatId: '5151' } });
  assert.equal(taken.status, 409);
  assert.match(errorOf(taken.body).message ?? '', /chat 5151 is linked to another user/);
  assert.equal(await store.chatOwner('5151'), h.users.bob);
  const saved = await h.call('POST', '/api/v1/alerts', { token: alice, body: { ...DRAFT, channels: ['telegram:-4242'] } });
  assert.equal(saved.status, 201, saved.text);
  await h.call('DELETE', `/api/v1/alerts/${(saved.body as Rule).id}`, { token: alice });
});

test('api alerts - a user gets the secret of their own webhook URL to verify its signature; 409 without a webhook key, 400 for a bad URL', async () => {
  const url = 'https://example.org/hook?k=1';
  const off = await h.call('GET', `/api/v1/channels/webhook-secret?url=${encodeURIComponent(url)}`, { token: bob });
  assert.equal(off.status, 409);
  assert.match(errorOf(off.body).message ?? '', /TICKERFLOW_WEBHOOK_KEY is not set/);

  // A server of its own (the harness makes its users), with the key set.
  const own = await openStore(':memory:');
  const keyed = await startHarness(own, { now: NOW, deps: { delivery: createDelivery({ store: own, now: () => NOW, webhookKey: 'server-key' }) } });
  try {
    const session = await keyed.login('bob');
    const got = await keyed.call('GET', `/api/v1/channels/webhook-secret?url=${encodeURIComponent(url)}`, { token: session });
    assert.equal(got.status, 200, got.text);
    assert.deepEqual(got.body, { url, secret: webhookSecret('server-key', keyed.users.bob, url) });
    const alices = await keyed.call('GET', `/api/v1/channels/webhook-secret?url=${encodeURIComponent(url)}`, { token: await keyed.login('alice') });
    assert.notEqual((alices.body as { secret: string }).secret, (got.body as { secret: string }).secret, 'per user');
    const bad = await keyed.call('GET', `/api/v1/channels/webhook-secret?url=${encodeURIComponent('http://u:p@example.org/')}`, { token: session });
    assert.equal(bad.status, 400);
    assert.equal(errorOf(bad.body).field, 'query.url');
  } finally {
    await keyed.close();
    await own.close();
  }
});
