/**
 * Trades in a stream lake, per market, for the scale-out checks: none twice (a restarted stream
 * process must not write a trade again), none missing against the replay server's source (a
 * restarted process fetches what it missed by id), and the windows either count exactly the
 * lake's trades of their minute or are marked incomplete.
 */
import assert from 'node:assert/strict';
import { readLake } from '../../src/store/lake/index.js';
import type { LiquidityWindow } from '../../src/store/signal-records.js';

const MINUTE_MS = 60_000;

export interface LakeTrade {
  id: string;
  exchangeTime: number;
}

/** Every trade in the lake at `root`, per `exchange:symbol`, in arrival order. */
export async function lakeTrades(root: string): Promise<Map<string, LakeTrade[]>> {
  const out = new Map<string, LakeTrade[]>();
  for await (const { event } of readLake(root, { from: 0, to: Date.now() + 86_400_000, kinds: ['trade'] })) {
    if (event.kind !== 'trade') continue;
    const market = `${event.exchange}:${event.symbol}`;
    const list = out.get(market) ?? [];
    list.push({ id: event.tradeId, exchangeTime: event.exchangeTime ?? event.receivedAt });
    out.set(market, list);
  }
  return out;
}

export function assertNoDuplicateTrades(market: string, ids: readonly string[]): void {
  const seen = new Set<string>();
  const twice = ids.filter((id) => seen.size === seen.add(id).size);
  assert.deepEqual(twice.slice(0, 10), [], `${market}: ${twice.length} trade ids in the lake more than once (first ones shown)`);
}

/**
 * The replay server's Binance trade ids between two ids: every id. Its recorded `@trade` streams
 * (fixtures/ws/hftbacktest, BTCUSDT and ETHUSDT) hold consecutive ids without a gap, and its
 * derived loops shift them by whole spans so they stay consecutive (src/replay/ws/binance-capture.ts).
 */
export function* binanceReplayTradeIds(from: bigint, to: bigint): Generator<bigint> {
  for (let id = from; id <= to; id++) yield id;
}

/**
 * Every source trade id over the range the lake covers (its lowest to its highest id of the
 * market) is in the lake: nothing a killed stream process missed stayed missing.
 */
export function assertTradesComplete(market: string, lakeIds: readonly string[], sourceIds: (from: bigint, to: bigint) => Iterable<bigint>): void {
  assert.ok(lakeIds.length > 0, `${market}: no trades in the lake`);
  const have = new Set(lakeIds.map((id) => BigInt(id)));
  let lo = BigInt(lakeIds[0] as string);
  let hi = lo;
  for (const id of have) {
    if (id < lo) lo = id;
    if (id > hi) hi = id;
  }
  const missing: bigint[] = [];
  let count = 0;
  for (const id of sourceIds(lo, hi)) {
    if (!have.has(id)) {
      count++;
      if (missing.length < 10) missing.push(id);
    }
  }
  assert.equal(count, 0, `${market}: ${count} source trade ids between ${lo} and ${hi} are not in the lake (first: ${missing.join(', ')})`);
}

/**
 * Every 60 s window of the market is either marked incomplete or counts exactly the lake's trades
 * of its minute (exchange time). The first and last minute the lake holds are left out: the run
 * began and ended inside them. Returns how many windows were exact and how many incomplete.
 */
export function assertWindowsExactOrIncomplete(market: string, windows: readonly LiquidityWindow[], trades: readonly LakeTrade[]): { exact: number; incomplete: number } {
  const perMinute = new Map<number, number>();
  for (const t of trades) {
    const m = t.exchangeTime - (t.exchangeTime % MINUTE_MS);
    perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
  }
  const minutes = [...perMinute.keys()].sort((a, b) => a - b);
  const first = minutes[0] ?? 0;
  const last = minutes.at(-1) ?? 0;
  let exact = 0;
  let incomplete = 0;
  for (const w of windows) {
    if (w.windowMs !== MINUTE_MS || w.windowStart <= first || w.windowStart >= last) continue;
    if (w.incomplete) {
      incomplete++;
      continue;
    }
    assert.equal(w.trades, perMinute.get(w.windowStart) ?? 0, `${market}: window ${new Date(w.windowStart).toISOString()} is not marked incomplete, so it counts the lake's trades of its minute`);
    exact++;
  }
  return { exact, incomplete };
}
