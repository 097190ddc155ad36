/**
 * `tickerflow serve` as scale-out runs it: two processes on one PostgreSQL store, Telegram at the
 * replay server's bot endpoint. Only one of them long-polls getUpdates (the endpoint counts the
 * polls waiting at once); a bar written to the store by the test, as a worker's sync would,
 * fires a rule once and reaches Telegram once with both running; after `kill -9` of the holder,
 * the other takes getUpdates (and the evaluation) over within a bound, answers a command, fires
 * nothing twice, fires once on a bar stored after the kill and before the takeover (closed by
 * then: it is evaluated from the stored evaluation mark) and once on a bar stored after the
 * takeover; SIGTERM stops it with exit 0.
 *
 * The bars are of minutes closed a few minutes ago, after an evaluation mark stored before the
 * first serve starts (as a previous evaluator leaves one), so nothing waits for a minute to close.
 * A takeover starting fresh at its own time would only seed the bar stored between the kill and
 * the takeover, as it would one of the current minute.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseRuleDraft } from '../src/alerts/rule-draft.js';
import { REPLAY_BOT_TOKEN } from '../src/cli/delivery-setup.js';
import { allocateColumns } from '../src/core/candle.js';
import { startReplayServer } from '../src/replay/index.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { createTempDatabase } from '../src/store/test-support/temp-postgres.js';
import { spawnServe, until, type SpawnedServe } from './support/spawn-serve.js';

const BOT_ID = REPLAY_BOT_TOKEN.slice(0, REPLAY_BOT_TOKEN.indexOf(':'));
const CHAT = 4242;
/** Takeover bound: a standby tries the lock every 2 s (LOCK_RETRY_MS); the rest is a loaded machine's slack. */
const TAKEOVER_MS = 15_000;

function startServe(dir: string, db: string): SpawnedServe {
  return spawnServe(['--config', join(dir, 'tickerflow.toml'), '--db', db, '--log-level', 'info'], ['--evaluate-every', '1'], dir, { TELEGRAM_BOT_TOKEN: REPLAY_BOT_TOKEN });
}

/** A closed 1m BTCUSDT bar with close 150, written as a worker's sync writes it (source `rest`). */
async function storeBar(store: Store, openTime: number): Promise<void> {
  const bar = allocateColumns(1);
  bar.length = 1;
  const values = { openTime, open: 100, high: 160, low: 95, close: 150, volume: 10, closeTime: openTime + 59_999, quoteVolume: 1_500, trades: 5, takerBuyBase: 4, takerBuyQuote: 600 };
  for (const [k, v] of Object.entries(values)) (bar[k as keyof typeof values] as Float64Array)[0] = v;
  assert.equal(await store.writeCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, bar, 'rest'), 1);
}

const ANSWERS = /this process answers the Telegram bot's commands/;
const EVALUATES = /alert rules loaded; evaluating bars as they are stored/;

test('serve: two processes on one PostgreSQL store, one getUpdates consumer taken over after kill -9, a stored bar fires once and is delivered once, also one stored between the kill and the takeover', { timeout: 120_000 }, async () => {
  const replay = await startReplayServer({ now: Date.now(), speed: 1, telegram: { token: REPLAY_BOT_TOKEN } });
  const temp = await createTempDatabase();
  const store = await openStore(temp.url);
  const dir = mkdtempSync(join(tmpdir(), 'tf-serve-'));
  writeFileSync(join(dir, 'tickerflow.toml'), ['[telegram]', `api_root = "${replay.urls.telegram}"`, ''].join('\n'));
  const serves: SpawnedServe[] = [];
  try {
    const now = Date.now();
    const user = await store.createUser('ida', 'user', 'UTC', '$scrypt$not-used-here', now);
    await store.linkChat(user.id, String(CHAT), 'desk', now);
    const rule = await store.createRule(user.id, 'above 100', parseRuleDraft({ expression: 'close > 100', scope: { symbols: ['BTCUSDT'] }, interval: '1m', channels: [`telegram:${CHAT}`] }), now);
    // Three closed minutes, the last closed well within the grace period when the test ends.
    const minute = Math.floor(now / 60_000) * 60_000 - 4 * 60_000;
    const [between, later] = [minute + 60_000, minute + 120_000];
    await store.recordEvaluation([], [], [{ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m', evaluatedUntil: minute }]);

    const a = startServe(dir, temp.url);
    serves.push(a);
    await until('the first serve to poll Telegram and evaluate', () => ANSWERS.test(a.output()) && EVALUATES.test(a.output()), 60_000);
    const b = startServe(dir, temp.url);
    serves.push(b);
    await until('the second serve to serve its API', () => /API and dashboard at http:\/\/127\.0\.0\.1:\d+/.test(b.output()), 60_000);
    // Several of its 2 s lock tries.
    await new Promise((r) => setTimeout(r, 5_000));
    assert.doesNotMatch(b.output(), ANSWERS, 'the second process stands by');
    assert.match(b.output(), /another process answers the Telegram bot's commands; standing by to take over/);
    assert.match(b.output(), /another process evaluates the alert rules; standing by to take over/);
    assert.doesNotMatch(b.output(), EVALUATES, 'the second process does not evaluate');
    const polls = replay.telegram.polls()[BOT_ID];
    assert.ok(polls !== undefined && polls.started >= 1, 'the holder polls');
    assert.equal(polls.maxOpen, 1, 'never two getUpdates at once');

    // A worker's sync storing a closed minute's bar, the first after the evaluation mark.
    await storeBar(store, minute);
    await until('the alert on Telegram', () => replay.telegram.sent.length > 0, 30_000);
    // Both processes have polled the store and the outbox several times since.
    await new Promise((r) => setTimeout(r, 4_000));
    assert.deepEqual(replay.telegram.sent.map((m) => m.chat_id), [CHAT], 'delivered once');
    assert.match(replay.telegram.sent[0]?.plain ?? '', /BTCUSDT/);
    const firings = await store.listFirings(user.id, { limit: 10 });
    assert.deepEqual(firings.map((f) => [f.ruleId, f.barOpenTime]), [[rule.id, minute]], 'stored once');
    assert.deepEqual((await store.listOutbox(firings[0]?.id ?? -1)).map((o) => o.status), ['delivered']);

    // The next minute's bar is stored while no evaluator runs.
    const startedBefore = replay.telegram.polls()[BOT_ID]?.started ?? 0;
    a.child.kill('SIGKILL');
    await a.exited;
    await storeBar(store, between);
    const took = await until('the second serve to take getUpdates over', () => ANSWERS.test(b.output()) && (replay.telegram.polls()[BOT_ID]?.open ?? 0) === 1 && (replay.telegram.polls()[BOT_ID]?.started ?? 0) > startedBefore, TAKEOVER_MS);
    process.stderr.write(`serve test: getUpdates taken over ${took} ms after the holder's kill -9\n`);
    await until('the second serve to evaluate', () => EVALUATES.test(b.output()), TAKEOVER_MS);
    assert.equal(replay.telegram.polls()[BOT_ID]?.maxOpen, 1, 'never two getUpdates at once, also across the takeover');
    await until('the alert of the bar stored before the takeover', () => replay.telegram.sent.filter((m) => /BTCUSDT/.test(m.plain)).length === 2, 30_000);
    const sentBefore = replay.telegram.sent.length;
    replay.telegram.inject({ message: { chat_id: CHAT, text: '/alerts' } });
    await until('the new holder to answer /alerts', () => replay.telegram.sent.length > sentBefore, 20_000);
    assert.match(replay.telegram.sent.at(-1)?.plain ?? '', /above 100/);
    await new Promise((r) => setTimeout(r, 3_000));
    const handedOver = await store.listFirings(user.id, { limit: 10 });
    assert.deepEqual(handedOver.map((f) => f.barOpenTime).sort((x, y) => x - y), [minute, between], 'the new evaluator fires the bar stored before it took over, and not the evaluated bar again');
    // A bar stored after the takeover is the new evaluator's (it fires on every close above 100).
    await storeBar(store, later);
    await until('the third alert on Telegram', () => replay.telegram.sent.filter((m) => /BTCUSDT/.test(m.plain)).length === 3, 30_000);
    await new Promise((r) => setTimeout(r, 3_000));
    const after = await store.listFirings(user.id, { limit: 10 });
    assert.deepEqual(after.map((f) => f.barOpenTime).sort((x, y) => x - y), [minute, between, later], 'each bar fired once');
    assert.equal(replay.telegram.sent.filter((m) => /BTCUSDT/.test(m.plain)).length, 3, 'each firing delivered once');

    b.child.kill('SIGTERM');
    assert.equal(await b.exited, 0, b.output());
    assert.match(b.output(), /tickerflow serve: stopped/);
  } finally {
    for (const s of serves) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await Promise.all(serves.map((s) => s.exited));
    await store.close();
    await replay.close();
    await temp.drop();
  }
});
