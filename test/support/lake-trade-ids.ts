/**
 * Trade ids in a stream lake, per market, for the scale-out checks: none twice (a restarted
 * stream process must not write a trade again), and — once restarted stream processes backfill
 * the trades they missed — none missing against the replay server's source.
 */
import assert from 'node:assert/strict';
import { readLake } from '../../src/store/lake/index.js';

/** Every trade id in the lake at `root`, per `exchange:symbol`, in arrival order. */
export async function lakeTradeIds(root: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for await (const { event } of readLake(root, { from: 0, to: Date.now() + 86_400_000, kinds: ['trade'] })) {
    if (event.kind !== 'trade') continue;
    const market = `${event.exchange}:${event.symbol}`;
    const ids = out.get(market) ?? [];
    ids.push(event.tradeId);
    out.set(market, ids);
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
