/**
 * In-process bus events/s (issue 17 "Speed"): one publisher awaiting each publish, subscribers
 * reading with `for await` at the same time. Part of `npm run bench -- --only stream`.
 */
import { MemoryBus } from '../../src/bus/memory/memory-bus.js';
import type { MarketEvent, TradeEvent } from '../../src/core/market-events.js';

/** The four symbols the synthetic trades rotate through (bus benchmarks publish to one subject each). */
export const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'];

export interface BusCase {
  label: string;
  published: number;
  delivered: number;
  seconds: number;
}

/** Synthetic trade `i` of the bus benchmarks: the same small event every time, only its id and symbol change. */
export function trade(i: number): TradeEvent {
  return { kind: 'trade', exchange: 'binance', symbol: SYMBOLS[i % 4] as string, receivedAt: i, exchangeTime: i, tradeId: String(i), price: 60_000, quantity: 0.01, takerSide: 'buy' };
}

async function run(label: string, events: number, patterns: string[], capacity: number): Promise<BusCase> {
  const bus = new MemoryBus<MarketEvent>();
  const sample = Array.from({ length: 4096 }, (_, i) => trade(i));
  const subjects = sample.map((e) => `md.trade.binance.${e.symbol}`);
  const readers = patterns.map(async (p) => {
    let n = 0;
    for await (const m of bus.subscribe(p, { capacity })) if (m.data.kind === 'trade') n++;
    return n;
  });
  const t0 = performance.now();
  for (let i = 0; i < events; i++) await bus.publish(subjects[i & 4095] as string, sample[i & 4095] as MarketEvent);
  await bus.close();
  const counts = await Promise.all(readers);
  const seconds = (performance.now() - t0) / 1000;
  const delivered = counts.reduce((a, b) => a + b, 0);
  const expected = events * patterns.filter((p) => p !== 'md.*.binance.BTCUSDT').length + (patterns.includes('md.*.binance.BTCUSDT') ? events / 4 : 0);
  if (delivered !== expected) throw new Error(`bus ${label}: ${delivered} delivered, expected ${expected}`);
  return { label, published: events, delivered, seconds };
}

/** Three shapes: one subscriber; four overlapping patterns; a small buffer that makes the publisher wait. */
export async function measureBus(events: number): Promise<BusCase[]> {
  return [
    await run('1 subscriber `md.trade.>`, capacity 8192', events, ['md.trade.>'], 8192),
    await run('4 subscribers (`md.trade.>`, `md.*.binance.BTCUSDT`, `>`, `md.trade.binance.*`), capacity 8192', events, ['md.trade.>', 'md.*.binance.BTCUSDT', '>', 'md.trade.binance.*'], 8192),
    await run('1 subscriber, capacity 16 (the publisher waits often)', events, ['md.trade.>'], 16),
  ];
}
