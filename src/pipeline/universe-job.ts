/**
 * The universe job: top-N coins by market cap, mapped to exchange pairs, plus hand-added
 * symbols, saved as a dated snapshot so that "the top N as of D" can be asked later.
 */
import type { Logger } from 'pino';
import type { UniverseEntry, UniverseSnapshot } from '../core/instrument.js';
import { mapCoinsToBinance } from '../connectors/coingecko/symbol-mapping.js';
import { utcDate } from '../core/time.js';
import type { Store } from '../store/store.js';
import { JobRecorder } from './job-recorder.js';
import type { Sources } from './sources.js';

export interface UniverseOptions {
  top: number;
  vsCurrency: string;
  quotePreference: readonly string[];
  manualSymbols: readonly string[];
  now: number;
}

export interface UniverseResult {
  snapshot: UniverseSnapshot;
  /** Symbols that are in this snapshot and were not in the previous one: to be backfilled. */
  entered: string[];
  jobId: number;
}

export async function runUniverseJob(store: Store, sources: Sources, logger: Logger, opts: UniverseOptions): Promise<UniverseResult> {
  const date = utcDate(opts.now);
  const job = await JobRecorder.start(store, logger, 'universe', { top: opts.top, date });
  const exchange = sources.exchange.exchange;
  const previous = await store.getUniverse(exchange, date);

  const instruments = await job.task('exchange instruments', async (log) => {
    const list = await sources.exchange.instruments();
    await store.upsertInstruments(list);
    await log.info(`${list.length} ${exchange} instruments, ${list.filter((i) => i.status === 'TRADING').length} trading`);
    return { rows: list.length, value: list };
  });
  const coins = opts.top === 0 ? [] : await job.task(`top ${opts.top} by market cap`, async (log) => {
    const list = await sources.marketCaps.topByMarketCap(opts.top, opts.vsCurrency);
    await log.info(`${list.length} coins from the market-cap source`);
    return { rows: list.length, value: list };
  });

  const entries: UniverseEntry[] = [];
  if (instruments !== undefined && coins !== undefined) {
    await job.task(`map to ${exchange} pairs`, async (log) => {
      const symbols = instruments.map((i) => ({ symbol: i.symbol, status: i.status, baseAsset: i.base, quoteAsset: i.quote }));
      const mapping = mapCoinsToBinance(coins, symbols, { quotePreference: opts.quotePreference });
      entries.push(...mapping.entries);
      for (const u of mapping.unmapped) await log.info(`${u.coin.id}: no pair (${u.reason}: ${u.detail})`);
      return { rows: mapping.mapped.length, value: null };
    });
  }
  const known = new Set(instruments?.map((i) => i.symbol));
  for (const symbol of opts.manualSymbols) {
    if (instruments !== undefined && !known.has(symbol)) {
      await job.task(`hand-added ${symbol}`, async () => {
        throw new Error(`${symbol} is not listed on ${exchange}; check the symbol in [universe].symbols`);
      });
      continue;
    }
    if (entries.some((e) => e.symbol === symbol)) continue;
    entries.push({ rank: 0, coingeckoId: '', coinSymbol: '', marketCap: null, volume: null, symbol, manual: true });
  }

  const snapshot: UniverseSnapshot = { date, exchange, entries };
  // A failed fetch must not overwrite a good snapshot with an empty one.
  if (instruments !== undefined && (coins !== undefined || opts.top === 0)) await store.saveUniverse(snapshot);
  const before = new Set(previous?.entries.map((e) => e.symbol).filter((s): s is string => s !== null));
  const entered = [...new Set(entries.map((e) => e.symbol).filter((s): s is string => s !== null && !before.has(s)))];
  const mapped = entries.filter((e) => e.symbol !== null).length;
  await job.finish(`${entries.length} entries (${mapped} mapped), ${entered.length} entered since the previous snapshot`);
  return { snapshot, entered, jobId: job.id };
}

/** The symbols followed as of `date`: the newest snapshot's mapped symbols, or the hand-added ones. */
export async function followedSymbols(store: Store, exchange: string, date: string, manual: readonly string[]): Promise<string[]> {
  const snap = await store.getUniverse(exchange, date);
  const fromSnapshot = snap?.entries.map((e) => e.symbol).filter((s): s is string => s !== null) ?? [];
  return [...new Set([...fromSnapshot, ...manual])];
}
