/**
 * Writes stream bars to the candle store with source `stream`: archive and REST candles outrank
 * it (SOURCE_RANK in core/candle.ts), so a stream bar never replaces one of theirs, and the
 * archive or a REST repair later replaces the stream's. Re-writing the same bar changes nothing,
 * so a replay or a redelivery is harmless.
 */
import { columnsFromCandles } from '../core/candle.js';
import type { Store } from '../store/store.js';
import type { StreamBar } from './bar-builder.js';

export type BarSink = (bars: readonly StreamBar[]) => Promise<number>;

/** A sink writing each market's bars in one `writeCandles` call (ordered by open time); resolves to the rows inserted or changed. */
export function candleStoreSink(store: Pick<Store, 'writeCandles'>): BarSink {
  return async (bars) => {
    const byMarket = new Map<string, StreamBar[]>();
    for (const bar of bars) {
      const key = `${bar.exchange}:${bar.symbol}`;
      const list = byMarket.get(key);
      if (list) list.push(bar);
      else byMarket.set(key, [bar]);
    }
    let written = 0;
    for (const list of byMarket.values()) {
      const first = list[0] as StreamBar;
      const candles = list.map((b) => b.candle).sort((a, b) => a.openTime - b.openTime);
      written += await store.writeCandles({ exchange: first.exchange, symbol: first.symbol, interval: '1m' }, columnsFromCandles(candles), 'stream');
    }
    return written;
  };
}
