/**
 * In-process bus events/s (issue 17 "Speed"): one publisher awaiting each publish, subscribers
 * reading with `for await` at the same time. Not yet wired into bench/run.ts.
 *
 *   node --import tsx/esm bench/stream/bus-throughput.ts [events]
 */
import { MemoryBus } from '../../src/bus/memory/memory-bus.js';
import type { MarketEvent, TradeEvent } from '../../src/core/market-events.js';

const N = Number(process.argv[2] ?? 1_000_000);
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'];

function trade(i: number): TradeEvent {
  return { kind: 'trade', exchange: 'binance', symbol: SYMBOLS[i % 4] as string, receivedAt: i, exchangeTime: i, tradeId: String(i), price: 60_000, quantity: 0.01, takerSide: 'buy' };
}

async function run(label: string, patterns: string[], capacity: number): Promise<void> {
  const bus = new MemoryBus<MarketEvent>();
  const events = Array.from({ length: 4096 }, (_, i) => trade(i));
  const subjects = events.map((e) => `md.trade.binance.${e.symbol}`);
  const readers = patterns.map(async (p) => {
    let n = 0;
    for await (const m of bus.subscribe(p, { capacity })) if (m.data.kind === 'trade') n++;
    return n;
  });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await bus.publish(subjects[i & 4095] as string, events[i & 4095] as MarketEvent);
  await bus.close();
  const counts = await Promise.all(readers);
  const s = (performance.now() - t0) / 1000;
  const delivered = counts.reduce((a, b) => a + b, 0);
  console.log(`${label}: ${N} published, ${delivered} delivered in ${s.toFixed(2)} s = ${Math.round(N / s).toLocaleString('en')} published/s, ${Math.round(delivered / s).toLocaleString('en')} deliveries/s`);
}

await run('1 subscriber md.trade.>, capacity 8192', ['md.trade.>'], 8192);
await run('4 subscribers (md.trade.>, md.*.binance.BTCUSDT, >, md.trade.binance.*), capacity 8192', ['md.trade.>', 'md.*.binance.BTCUSDT', '>', 'md.trade.binance.*'], 8192);
await run('1 subscriber, capacity 16 (publisher waits often)', ['md.trade.>'], 16);
