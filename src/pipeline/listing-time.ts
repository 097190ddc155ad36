/**
 * When a symbol's history starts: the stored listing time, learned from the exchange once, and
 * re-checked when the archive shows data before it. A listing time recorded by the demo (which
 * replays January 2020) would otherwise make every later real backfill start in 2020.
 */
import type { Interval } from '../core/intervals.js';
import { BadInputError, NotFoundError } from '../core/errors.js';
import { isoMinute } from '../core/time.js';
import type { Store } from '../store/store.js';
import type { TaskLog } from './job-recorder.js';
import type { ArchiveFile, Sources } from './sources.js';

/**
 * The listing time, from the store or else asked of the exchange once and remembered. A symbol
 * the store does not know yet is looked up in the exchange's instrument list first, so that a
 * mistyped symbol fails with a clear reason instead of an empty history.
 */
export async function listingTime(store: Store, sources: Sources, symbol: string, interval: Interval): Promise<number | null> {
  const exchange = sources.exchange.exchange;
  let known = (await store.listInstruments(exchange)).find((i) => i.symbol === symbol);
  if (known === undefined) {
    const all = await sources.exchange.instruments();
    await store.upsertInstruments(all);
    known = all.find((i) => i.symbol === symbol);
    if (known === undefined) throw new NotFoundError(`${symbol} is not listed on ${exchange}`);
  }
  if (known.listedAt != null) return known.listedAt;
  const first = await sources.exchange.firstCandleTime(symbol, interval);
  if (first !== null) await store.setListedAt(exchange, symbol, first);
  return first;
}

/**
 * Fails with every name in `symbols` that the exchange does not list, before any job starts: a
 * mistyped symbol is a bad argument, not a failed job. The stored instrument list answers first;
 * the exchange's own list is fetched (and stored) only when a name is not in it.
 */
export async function requireListed(store: Store, sources: Sources, symbols: readonly string[]): Promise<void> {
  const exchange = sources.exchange.exchange;
  const listed = (list: readonly { symbol: string }[]): Set<string> => new Set(list.map((i) => i.symbol));
  let known = listed(await store.listInstruments(exchange));
  if (symbols.every((s) => known.has(s))) return;
  const all = await sources.exchange.instruments();
  await store.upsertInstruments(all);
  known = listed(all);
  const unknown = symbols.filter((s) => !known.has(s));
  if (unknown.length > 0) throw new BadInputError(`not listed on ${exchange}: ${unknown.join(' ')} (check the spelling, e.g. BTCUSDT)`);
}

/**
 * Checks a known listing time against the archive listing. A whole archive file ending at or
 * before it proves earlier data exists (a file of the listing's own month or day starts before
 * the listing minute, so that alone proves nothing); then the exchange is asked for its first
 * candle again and the earlier answer is stored. Returns the listing time to use.
 */
export async function recheckListingTime(
  store: Store,
  sources: Sources,
  symbol: string,
  interval: Interval,
  listedAt: number | null,
  files: readonly ArchiveFile[],
  log: TaskLog,
): Promise<number | null> {
  let earliest: ArchiveFile | undefined;
  for (const f of files) if (earliest === undefined || f.start < earliest.start) earliest = f;
  if (earliest === undefined) return listedAt;
  if (listedAt !== null && earliest.end > listedAt) return listedAt;
  const first = await sources.exchange.firstCandleTime(symbol, interval);
  // The exchange's first candle when it agrees; else the archive's word (a file is published data).
  const corrected = first !== null && first < earliest.end ? first : earliest.start;
  if (listedAt !== null && corrected >= listedAt) return listedAt;
  await store.setListedAt(sources.exchange.exchange, symbol, corrected);
  await log.warn(
    `${symbol}: stored listing time ${listedAt === null ? 'none' : isoMinute(listedAt)} is later than published data ` +
      `(${earliest.key}); listing time corrected to ${isoMinute(corrected)}`,
  );
  return corrected;
}
