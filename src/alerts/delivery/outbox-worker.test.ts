import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeliveryFailedError, RateLimitError, UpstreamError } from '../../core/errors.js';
import type { NewFiring } from '../../store/alert-records.js';
import { MemoryAlertStore } from './test-support/memory-alert-store.js';
import { OutboxWorker, retryDelayMs } from './outbox-worker.js';
import { DashboardChannel, type DashboardEvent } from './dashboard-channel.js';
import type { ChannelKind, DeliveryChannel, Notice } from './delivery-channel.js';
import { sendTestMessages } from './send-test.js';

const T0 = Date.UTC(2024, 0, 2, 10);

/** Bars fired so far: each firing is of the hour before the last one's (a rule fires once per bar). */
let bars = 0;
function firing(userId: number, channels: string[], message = 'rsi:14 < 30'): NewFiring {
  bars++;
  return { ruleId: 1, userId, exchange: 'binance', symbol: 'BTCUSDT', interval: '1h', barOpenTime: T0 - bars * 3_600_000, firedAt: T0, inputs: {}, incomplete: false, message, channels };
}

/** A channel whose answers a test scripts: each call takes the next outcome (or succeeds), or waits on a gate. */
class ScriptedChannel implements DeliveryChannel {
  readonly calls: { target: string; notice: Notice }[] = [];
  gate: Promise<void> | undefined;
  constructor(
    readonly kind: ChannelKind,
    readonly outcomes: (Error | null)[] = [],
  ) {}
  async deliver(target: string, notice: Notice, signal: AbortSignal): Promise<void> {
    this.calls.push({ target, notice });
    if (this.gate) {
      await Promise.race([this.gate, new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }))]);
    }
    const outcome = this.outcomes.shift();
    if (outcome) throw outcome;
  }
}

test('retry delay - capped doubling with equal jitter: half fixed, half random', () => {
  const policy = { baseMs: 1000, capMs: 10_000 };
  assert.deepEqual(
    [1, 2, 3, 4, 5, 9].map((a) => retryDelayMs(a, policy, () => 0)),
    [500, 1000, 2000, 4000, 5000, 5000],
  );
  assert.deepEqual(
    [1, 2, 5].map((a) => retryDelayMs(a, policy, () => 0.999999)),
    [1000, 2000, 10_000],
  );
});

test('outbox worker - retries a failing channel with back-off while the other channels deliver; retry_after is a floor', async () => {
  const store = new MemoryAlertStore();
  const webhook = new ScriptedChannel('webhook', [new UpstreamError('HTTP 503', 503), new RateLimitError(429, 60_000, 'hook'), null]);
  const dashboard = new DashboardChannel();
  const seen: DashboardEvent[] = [];
  dashboard.subscribe(5, (e) => seen.push(e));
  dashboard.subscribe(6, () => assert.fail('another user saw the firing'));
  await store.recordEvaluation([], [firing(5, ['webhook:https://a.example/h', 'dashboard'])]);
  let now = T0;
  const delivered: string[] = [];
  const worker = new OutboxWorker(store, {
    channels: [webhook, dashboard],
    now: () => now,
    random: () => 0,
    retry: { baseMs: 2000, capMs: 60_000, maxAttempts: 10 },
    onDelivered: (item, f) => delivered.push(`${item.channel} ${f.message}`),
  });
  await worker.pollOnce();
  await worker.idle();
  const [hook, dash] = store.outbox;
  assert.deepEqual([hook?.status, dash?.status], ['pending', 'delivered']);
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.firing.message, 'rsi:14 < 30');
  assert.equal(hook?.nextAttemptAt, T0 + 1000);
  assert.equal(hook?.lastError, 'UpstreamError: HTTP 503');
  now = T0 + 999;
  assert.equal(await worker.pollOnce(), 0, 'not due before its back-off');
  now = T0 + 1000;
  await worker.pollOnce();
  await worker.idle();
  // Back-off would say 2 s; the 429's 60 s wins.
  assert.equal(hook?.nextAttemptAt, T0 + 1000 + 60_000);
  now = T0 + 61_000;
  await worker.pollOnce();
  await worker.idle();
  assert.deepEqual([hook?.status, hook?.attempts, webhook.calls.length], ['delivered', 3, 3]);
  assert.equal(webhook.calls[2]?.notice.idempotencyKey, `firing-${hook?.firingId}-webhook:https://a.example/h`);
  assert.equal(webhook.calls[2]?.target, 'https://a.example/h');
  assert.deepEqual(delivered, ['dashboard rsi:14 < 30', 'webhook:https://a.example/h rsi:14 < 30']);
});

test('outbox worker - a channel that hangs blocks neither other channels nor other targets of its kind', async () => {
  const store = new MemoryAlertStore();
  const telegram = new ScriptedChannel('telegram');
  let release = (): void => undefined;
  telegram.gate = new Promise((r) => (release = r));
  const dashboard = new ScriptedChannel('dashboard');
  await store.recordEvaluation([], [firing(5, ['telegram:1', 'dashboard']), firing(5, ['telegram:1'])]);
  const worker = new OutboxWorker(store, { channels: [telegram, dashboard], now: () => T0 });
  await worker.pollOnce();
  await new Promise((r) => setTimeout(r, 20));
  // A later firing to another chat goes while chat 1 hangs.
  await store.recordEvaluation([], [firing(5, ['telegram:2'])]);
  await worker.pollOnce();
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(
    store.outbox.map((o) => `${o.channel}:${o.status}`),
    ['telegram:1:pending', 'dashboard:delivered', 'telegram:1:pending', 'telegram:2:pending'],
  );
  // One in flight per target: the second telegram:1 row waits for the first; chat 2 is in flight too.
  assert.deepEqual(
    telegram.calls.map((c) => c.target),
    ['1', '2'],
  );
  telegram.gate = undefined;
  release();
  await worker.idle();
  await worker.pollOnce();
  await worker.idle();
  assert.deepEqual(
    store.outbox.map((o) => o.status),
    ['delivered', 'delivered', 'delivered', 'delivered'],
  );
  assert.deepEqual(
    telegram.calls.map((c) => c.target),
    ['1', '2', '1'],
  );
});

test('outbox worker - fails a row for good on the channel\'s word, after max attempts, or for a vanished firing; never drops one', async () => {
  const store = new MemoryAlertStore();
  const webhook = new ScriptedChannel('webhook', [new DeliveryFailedError('HTTP 410'), new Error('boom'), new Error('boom')]);
  await store.recordEvaluation([], [firing(5, ['webhook:https://gone.example']), firing(5, ['webhook:https://flaky.example'])]);
  await store.recordEvaluation([], [firing(5, ['telegram:77'])]);
  store.firings.splice(2, 1);
  let now = T0;
  const worker = new OutboxWorker(store, { channels: [webhook], now: () => now, random: () => 0, retry: { baseMs: 10, capMs: 10, maxAttempts: 2 } });
  for (let i = 0; i < 3; i++) {
    await worker.pollOnce();
    await worker.idle();
    now += 1000;
  }
  assert.deepEqual(
    store.outbox.map((o) => [o.status, o.attempts, o.lastError]),
    [
      ['failed', 1, 'DeliveryFailedError: HTTP 410'],
      ['failed', 2, 'gave up after 2 attempts: Error: boom'],
      ['failed', 1, `DeliveryFailedError: firing ${store.outbox[2]?.firingId} no longer exists`],
    ],
  );
});

test('outbox worker - a row for a channel not configured stays pending and says why', async () => {
  const store = new MemoryAlertStore();
  await store.recordEvaluation([], [firing(5, ['telegram:77'])]);
  const worker = new OutboxWorker(store, { channels: [], now: () => T0, random: () => 0 });
  await worker.pollOnce();
  await worker.idle();
  assert.equal(store.outbox[0]?.status, 'pending');
  assert.match(store.outbox[0]?.lastError ?? '', /no telegram channel is configured \(TELEGRAM_BOT_TOKEN is unset\)/);
});

test('outbox worker - run stops on abort: a delivery cut short stays pending as it was, to be sent at the next start', async () => {
  const store = new MemoryAlertStore();
  const webhook = new ScriptedChannel('webhook');
  webhook.gate = new Promise(() => undefined);
  await store.recordEvaluation([], [firing(5, ['webhook:https://slow.example'])]);
  const stop = new AbortController();
  const worker = new OutboxWorker(store, { channels: [webhook], now: () => T0, pollMs: 10 });
  const running = worker.run(stop.signal);
  for (let i = 0; i < 500 && webhook.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(webhook.calls.length, 1);
  assert.deepEqual(await store.dueOutbox(T0, 10), [], 'while it is sent, the row is claimed');
  stop.abort();
  await running;
  assert.deepEqual([store.outbox[0]?.status, store.outbox[0]?.attempts, store.outbox[0]?.lastError], ['pending', 0, null]);
  assert.deepEqual((await store.dueOutbox(T0, 10)).map((o) => o.id), [store.outbox[0]?.id], 'and its claim is given back at the stop');
});

test('outbox worker - starts only the rows it claimed: a row another worker holds is left alone', async () => {
  const store = new MemoryAlertStore();
  const webhook = new ScriptedChannel('webhook');
  await store.recordEvaluation([], [firing(5, ['webhook:https://a.example', 'webhook:https://b.example'])]);
  const [a, b] = store.outbox;
  assert.ok(a && b);
  // Another worker claims row a between this worker's read and its claim.
  const claim = store.claimOutbox.bind(store);
  store.claimOutbox = async (ids, now, lease) => {
    await claim([a.id], now, lease);
    return claim(ids, now, lease);
  };
  const worker = new OutboxWorker(store, { channels: [webhook], now: () => T0, claimLeaseMs: 60_000 });
  assert.equal(await worker.pollOnce(), 1);
  await worker.idle();
  assert.deepEqual(webhook.calls.map((c) => c.target), ['https://b.example']);
  assert.deepEqual(store.outbox.map((o) => o.status), ['pending', 'delivered']);
});

test('send test message - one notice per channel, answering which took it and why the others did not', async () => {
  const webhook = new ScriptedChannel('webhook', [new DeliveryFailedError('webhook https://x refused the call: HTTP 401')]);
  const dashboard = new ScriptedChannel('dashboard');
  const channels = new Map<ChannelKind, DeliveryChannel>([
    ['webhook', webhook],
    ['dashboard', dashboard],
  ]);
  const result = await sendTestMessages(channels, 5, ['dashboard', 'webhook:https://x', 'telegram:1', 'sms:1'], { now: T0, ruleName: 'dip' });
  assert.deepEqual(result.delivered, ['dashboard']);
  assert.deepEqual(
    result.failed.map((f) => f.channel).sort(),
    ['sms:1', 'telegram:1', 'webhook:https://x'],
  );
  assert.equal(result.failed.find((f) => f.channel === 'telegram:1')?.error, 'no telegram channel is configured');
  assert.equal(dashboard.calls[0]?.notice.test, true);
  assert.equal(dashboard.calls[0]?.notice.firing.message, 'Test message from tickerflow for the rule "dip": this channel works.');
});
