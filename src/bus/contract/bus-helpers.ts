/** Helpers shared by the bus contract cases. */
import type { Bus, BusMessage, Subscription } from '../bus.js';
import type { MarketEvent, TradeEvent } from '../../core/market-events.js';

/** A trade numbered `n`: its id, price and times derive from n, so an out-of-order delivery shows. */
export function trade(symbol: string, n: number, exchange: TradeEvent['exchange'] = 'binance'): TradeEvent {
  return {
    kind: 'trade', exchange, symbol, receivedAt: 1_723_161_255_000 + n, exchangeTime: 1_723_161_255_000 + n,
    tradeId: String(n), price: 60_000 + n, quantity: 0.001 * (n + 1), takerSide: n % 2 === 0 ? 'buy' : 'sell',
  };
}

/** Opens a bus, runs the case, and always closes it. */
export async function withBus(makeBus: () => Promise<Bus<MarketEvent>>, fn: (bus: Bus<MarketEvent>) => Promise<void>): Promise<void> {
  const bus = await makeBus();
  try {
    await fn(bus);
  } finally {
    await bus.close();
  }
}

const iterators = new WeakMap<Subscription<MarketEvent>, AsyncIterator<BusMessage<MarketEvent>>>();

/** Reads exactly `n` messages, failing after `ms` so a lost event fails the case instead of hanging it. */
export async function take(sub: Subscription<MarketEvent>, n: number, ms = 5000): Promise<BusMessage<MarketEvent>[]> {
  const out: BusMessage<MarketEvent>[] = [];
  if (n === 0) return out;
  let it = iterators.get(sub);
  if (it === undefined) iterators.set(sub, (it = sub[Symbol.asyncIterator]()));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms with ${out.length} of ${n} messages on "${sub.pattern}"`)), ms);
  });
  try {
    while (out.length < n) {
      const r = await Promise.race([it.next(), timeout]);
      if (r.done === true) break;
      out.push(r.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return out;
}

/** Trade ids of the messages, for order checks. */
export function ids(messages: readonly BusMessage<MarketEvent>[]): string[] {
  return messages.map((m) => (m.data.kind === 'trade' ? m.data.tradeId : `${m.data.kind}?`));
}

/** Whether `p` settles within `ms` (without consuming its value). */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([p.then(() => true, () => true), new Promise<boolean>((res) => { timer = setTimeout(() => res(false), ms); })]);
  clearTimeout(timer);
  return r;
}
