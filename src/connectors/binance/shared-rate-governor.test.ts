import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WeightLedger, WeightReservation, WeightReserveRequest } from '../../core/weight-ledger.js';
import { createRateGovernor, type ResponseLike } from './rate-governor.js';
import { SharedRateGovernor } from './shared-rate-governor.js';
import { FakeClock, flush } from './test-support/fake-clock.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

/** The ledger's contract in memory, written apart from the PostgreSQL one; `failing` makes every call reject. */
class MemoryLedger implements WeightLedger {
  readonly windows = new Map<string, number>();
  readonly pauses = new Map<string, number>();
  readonly calls: string[] = [];
  failing: Error | null = null;
  hang = false;

  private gate(call: string): Promise<void> {
    this.calls.push(call);
    if (this.hang) return new Promise(() => undefined);
    return this.failing === null ? Promise.resolve() : Promise.reject(this.failing);
  }

  async reserve(r: WeightReserveRequest): Promise<WeightReservation> {
    await this.gate(`reserve ${r.windowStart} ${r.weight}`);
    const paused = this.pauses.get(r.scope) ?? 0;
    if (paused > r.now) return { used: null, pausedUntil: paused };
    const key = `${r.scope}@${r.windowStart}`;
    const total = (this.windows.get(key) ?? 0) + r.weight;
    if (total > r.budget) return { used: null, pausedUntil: null };
    this.windows.set(key, total);
    return { used: total, pausedUntil: null };
  }

  async raise(scope: string, windowStart: number, used: number): Promise<number> {
    await this.gate(`raise ${windowStart} ${used}`);
    const key = `${scope}@${windowStart}`;
    const total = Math.max(this.windows.get(key) ?? 0, used);
    this.windows.set(key, total);
    return total;
  }

  async pause(scope: string, until: number): Promise<void> {
    await this.gate(`pause ${until}`);
    this.pauses.set(scope, Math.max(this.pauses.get(scope) ?? 0, until));
  }

  async prune(scope: string, before: number): Promise<number> {
    await this.gate(`prune ${before}`);
    let n = 0;
    for (const key of [...this.windows.keys()]) {
      if (key.startsWith(`${scope}@`) && Number(key.slice(scope.length + 1)) < before) n += Number(this.windows.delete(key));
    }
    return n;
  }
}

function response(status: number, headers: Record<string, string>): ResponseLike {
  return { status, headers: new Headers(headers) };
}

/** A governor as one process would have it: its own local governor, the shared ledger, one clock for all. */
function processGovernor(ledger: WeightLedger, clock: FakeClock, weightPerMinute: number, extra: { warnings?: string[]; infos?: string[]; ledgerTimeoutMs?: number } = {}): SharedRateGovernor {
  const local = createRateGovernor({ weightPerMinute, now: clock.now, sleep: clock.sleep });
  return new SharedRateGovernor({
    ledger,
    local,
    now: clock.now,
    sleep: clock.sleep,
    ...(extra.ledgerTimeoutMs === undefined ? {} : { ledgerTimeoutMs: extra.ledgerTimeoutMs }),
    log: { warn: (m) => extra.warnings?.push(m), info: (m) => extra.infos?.push(m) },
  });
}

test('shared rate governor - two processes on one ledger spend one budget: the second waits for the next minute', async () => {
  const clock = new FakeClock(T0 + 5_000);
  const ledger = new MemoryLedger();
  const a = processGovernor(ledger, clock, 100);
  const b = processGovernor(ledger, clock, 100);
  assert.equal(a.budget, 90);
  for (let i = 0; i < 40; i++) (await a.acquire(2)).cancel();
  for (let i = 0; i < 5; i++) (await b.acquire(2)).cancel();
  assert.equal(ledger.windows.get(`binance@${T0}`), 90, 'the minute holds both processes\' weight');
  let granted = false;
  const pending = b.acquire(2).then(() => (granted = true));
  await flush();
  assert.equal(granted, false, 'b alone has spent 10 of 90, but the IP has spent 90');
  await clock.advance(54_999);
  assert.equal(granted, false);
  await clock.advance(1);
  await pending;
  assert.equal(ledger.windows.get(`binance@${T0 + MINUTE}`), 2);
  const s = b.stats();
  assert.equal(s.ledger.refusedForBudget, 1);
  assert.equal(s.ledger.reservations, 6);
  assert.equal(s.requests, 6, 'the refused try is not a request');
  assert.equal(s.weight, 12);
  assert.equal(s.waitedMs, 55_000);
});

test('shared rate governor - a 429 seen by one process pauses the other until its Retry-After', async () => {
  const clock = new FakeClock(T0 + 30_000);
  const ledger = new MemoryLedger();
  const a = processGovernor(ledger, clock, 6000);
  const b = processGovernor(ledger, clock, 6000);
  (await a.acquire(2)).settle(response(429, { 'Retry-After': '30', 'X-MBX-USED-WEIGHT-1M': '6010' }));
  await a.flush();
  assert.equal(ledger.pauses.get('binance'), T0 + MINUTE);
  let granted = false;
  const pending = b.acquire(2).then(() => (granted = true));
  await flush();
  assert.equal(granted, false, 'b never got a 429 itself, yet waits');
  await clock.advance(29_999);
  assert.equal(granted, false);
  await clock.advance(1);
  await pending;
  const s = b.stats();
  assert.equal(s.ledger.refusedForPause, 1);
  assert.equal(s.pausedUntil, T0 + MINUTE);
  assert.equal(a.stats().rateLimited429, 1);
  assert.equal(b.stats().rateLimited429, 0);
});

test('shared rate governor - a 418 without Retry-After pauses every process for the shortest ban, 2 minutes', async () => {
  const clock = new FakeClock(T0);
  const ledger = new MemoryLedger();
  const a = processGovernor(ledger, clock, 6000);
  (await a.acquire(2)).settle(response(418, {}));
  await a.flush();
  assert.equal(ledger.pauses.get('binance'), T0 + 120_000);
});

test('shared rate governor - a header above the ledger raises it to the header (in-flight requests are reserved already); one below it writes nothing', async () => {
  const clock = new FakeClock(T0);
  const ledger = new MemoryLedger();
  const g = processGovernor(ledger, clock, 6000);
  const first = await g.acquire(2);
  const second = await g.acquire(2);
  assert.equal(ledger.windows.get(`binance@${T0}`), 4);
  // Another client on the IP spent 48 outside the ledger: the server counts 50 with `first`.
  first.settle(response(200, { 'X-MBX-USED-WEIGHT-1M': '50' }));
  await g.flush();
  assert.equal(ledger.windows.get(`binance@${T0}`), 50);
  const before = ledger.calls.length;
  second.settle(response(200, { 'X-MBX-USED-WEIGHT-1M': '50' }));
  await g.flush();
  assert.deepEqual(ledger.calls.slice(before), [], 'no write when the ledger already holds as much');
  (await g.acquire(2)).cancel();
  assert.equal(ledger.windows.get(`binance@${T0}`), 52, 'reservations go on from the raised total');
});

test('shared rate governor - a header from a minute that has ended is not written to the new one', async () => {
  const clock = new FakeClock(T0 + MINUTE - 10);
  const ledger = new MemoryLedger();
  const g = processGovernor(ledger, clock, 6000);
  const p = await g.acquire(2);
  await clock.advance(20);
  p.settle(response(200, { 'X-MBX-USED-WEIGHT-1M': '4000' }));
  await g.flush();
  assert.equal(ledger.windows.get(`binance@${T0 + MINUTE}`), undefined);
  assert.equal(ledger.windows.get(`binance@${T0}`), 2);
});

test('shared rate governor - old minutes are pruned once per minute, an hour after they end', async () => {
  const clock = new FakeClock(T0);
  const ledger = new MemoryLedger();
  ledger.windows.set(`binance@${T0 - 61 * MINUTE}`, 10);
  ledger.windows.set(`binance@${T0 - 60 * MINUTE}`, 10);
  const g = processGovernor(ledger, clock, 6000);
  (await g.acquire(2)).cancel();
  (await g.acquire(2)).cancel();
  await clock.advance(MINUTE);
  (await g.acquire(2)).cancel();
  await g.flush();
  assert.deepEqual(ledger.calls.filter((c) => c.startsWith('prune')), [`prune ${T0 - 60 * MINUTE}`, `prune ${T0 - 59 * MINUTE}`]);
  assert.deepEqual([...ledger.windows.keys()], [`binance@${T0}`, `binance@${T0 + MINUTE}`]);
});

test('shared rate governor - the ledger failing: one warning, the local budget alone, the ledger tried again after 30 s', async () => {
  const clock = new FakeClock(T0);
  const ledger = new MemoryLedger();
  ledger.failing = new Error('connect ECONNREFUSED 127.0.0.1:5432');
  const warnings: string[] = [];
  const infos: string[] = [];
  const g = processGovernor(ledger, clock, 10, { warnings, infos });
  for (let i = 0; i < 4; i++) (await g.acquire(2)).cancel();
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /weight ledger \(binance\) failed: connect ECONNREFUSED 127\.0\.0\.1:5432; going by this process's own weight governor for 30 s/);
  assert.equal(ledger.calls.filter((c) => c.startsWith('reserve')).length, 1, 'tried once, then left alone');
  let granted = false;
  const pending = g.acquire(2).then(() => (granted = true));
  await flush();
  assert.equal(granted, false, 'never unlimited: the local budget of 9 is spent');
  ledger.failing = null;
  await clock.advance(MINUTE);
  await pending;
  assert.equal(infos.length, 1, 'the ledger answered again');
  assert.equal(ledger.windows.get(`binance@${T0 + MINUTE}`), 2);
  const s = g.stats();
  assert.equal(s.ledger.state, 'shared');
  assert.equal(s.ledger.localOnly, 4);
  assert.equal(s.ledger.errors, 1);
});

test('shared rate governor - a ledger that does not answer in time counts as failed, and the request goes by the local governor', async () => {
  const clock = new FakeClock(T0);
  const ledger = new MemoryLedger();
  ledger.hang = true;
  const warnings: string[] = [];
  const g = processGovernor(ledger, clock, 6000, { warnings, ledgerTimeoutMs: 5 });
  const p = await g.acquire(2);
  assert.equal(p.weight, 2);
  assert.match(warnings[0] ?? '', /failed: no answer within 5 ms/);
  assert.equal(g.stats().ledger.state, 'local-only');
});

test('shared rate governor - a weight that can never fit is refused before the ledger is asked', async () => {
  const ledger = new MemoryLedger();
  const g = processGovernor(ledger, new FakeClock(T0), 10);
  await assert.rejects(g.acquire(50), /can never fit a budget of 9/);
  assert.deepEqual(ledger.calls, []);
});
