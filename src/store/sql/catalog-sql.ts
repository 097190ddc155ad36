/** Instruments, universe snapshots, the archive manifest and the gap ledger, shared by both SQL backends. */
import type { Interval } from '../../core/intervals.js';
import { isInterval } from '../../core/intervals.js';
import type { Instrument, SeriesKey, UniverseSnapshot } from '../../core/instrument.js';
import { StoreError } from '../../core/errors.js';
import type { ArchiveManifestEntry, Gap, GapKind, GapStatus } from '../store.js';
import type { SqlExecutor, SqlParam, SqlSession } from './sql-session.js';
import { insertValues } from './values-tuples.js';
import { col, toBool, toNumber, toNumberOrNull, toText, toTextOrNull } from './sql-values.js';

export async function upsertInstrumentsSql(db: SqlSession, instruments: readonly Instrument[]): Promise<void> {
  if (instruments.length === 0) return;
  // Multi-row VALUES in chunks: one statement per row took seconds for an exchangeInfo of ~2,000 symbols.
  const rows = instruments.map((i): SqlParam[] => [i.exchange, i.symbol, i.base, i.quote, i.status, i.listedAt, i.tickSize ?? null, i.stepSize ?? null]);
  await db.transaction(async (tx) => {
    // A listing time (or tick/step size) once learned is kept when a later upsert does not carry one.
    await insertValues(tx, 'INSERT INTO instruments (exchange, symbol, base, quote, status, listed_at, tick_size, step_size)', rows,
      `ON CONFLICT (exchange, symbol) DO UPDATE SET base = excluded.base, quote = excluded.quote,
         status = excluded.status, listed_at = COALESCE(excluded.listed_at, instruments.listed_at),
         tick_size = COALESCE(excluded.tick_size, instruments.tick_size), step_size = COALESCE(excluded.step_size, instruments.step_size)`);
  });
}

export async function listInstrumentsSql(db: SqlExecutor, exchange: string): Promise<Instrument[]> {
  const rows = await db.all(
    'SELECT exchange, symbol, base, quote, status, listed_at, tick_size, step_size FROM instruments WHERE exchange = $1 ORDER BY symbol',
    [exchange],
  );
  return rows.map((r) => {
    const tickSize = toTextOrNull(col(r, 6), 'tick_size');
    const stepSize = toTextOrNull(col(r, 7), 'step_size');
    return {
      exchange: toText(col(r, 0), 'exchange'),
      symbol: toText(col(r, 1), 'symbol'),
      base: toText(col(r, 2), 'base'),
      quote: toText(col(r, 3), 'quote'),
      status: toText(col(r, 4), 'status'),
      listedAt: toNumberOrNull(col(r, 5), 'listed_at'),
      // Optional fields: present only when known, so instruments without them compare as before.
      ...(tickSize === null ? {} : { tickSize }),
      ...(stepSize === null ? {} : { stepSize }),
    };
  });
}

export async function setListedAtSql(db: SqlExecutor, exchange: string, symbol: string, listedAt: number): Promise<void> {
  await db.run('UPDATE instruments SET listed_at = $3 WHERE exchange = $1 AND symbol = $2', [exchange, symbol, listedAt]);
}

export async function saveUniverseSql(db: SqlSession, snap: UniverseSnapshot): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run('DELETE FROM universe_snapshots WHERE exchange = $1 AND date = $2', [snap.exchange, snap.date]);
    const rows = snap.entries.map((e, ord): SqlParam[] => [
      snap.date, snap.exchange, ord, e.rank, e.coingeckoId, e.coinSymbol, e.marketCap, e.volume, e.symbol, e.manual,
    ]);
    await insertValues(tx, 'INSERT INTO universe_snapshots (date, exchange, ord, rank, coingecko_id, coin_symbol, market_cap, volume, symbol, manual)', rows);
  });
}

export async function getUniverseSql(db: SqlExecutor, exchange: string, date: string): Promise<UniverseSnapshot | null> {
  // Text dates in YYYY-MM-DD order the same way as the days they name.
  const rows = await db.all(
    `SELECT date, rank, coingecko_id, coin_symbol, market_cap, volume, symbol, manual FROM universe_snapshots
     WHERE exchange = $1 AND date = (SELECT max(date) FROM universe_snapshots WHERE exchange = $1 AND date <= $2)
     ORDER BY ord`,
    [exchange, date],
  );
  const first = rows[0];
  if (!first) return null;
  return {
    date: toText(col(first, 0), 'date'),
    exchange,
    entries: rows.map((r) => ({
      rank: toNumber(col(r, 1), 'rank'),
      coingeckoId: toText(col(r, 2), 'coingecko_id'),
      coinSymbol: toText(col(r, 3), 'coin_symbol'),
      marketCap: toNumberOrNull(col(r, 4), 'market_cap'),
      volume: toNumberOrNull(col(r, 5), 'volume'),
      symbol: toTextOrNull(col(r, 6), 'symbol'),
      manual: toBool(col(r, 7), 'manual'),
    })),
  };
}

/** Upserts one manifest entry; meant to run inside the transaction that writes the object's rows. */
export async function writeManifestSql(tx: SqlExecutor, m: ArchiveManifestEntry): Promise<void> {
  await tx.run(
    `INSERT INTO archive_manifest (key, size, sha256, last_modified, rows, ingested_at, kept_from) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (key) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, last_modified = excluded.last_modified,
       rows = excluded.rows, ingested_at = excluded.ingested_at, kept_from = excluded.kept_from`,
    [m.key, m.size, m.sha256, m.lastModified, m.rows, m.ingestedAt, m.keptFrom ?? null],
  );
}

const MANIFEST_SELECT = 'SELECT key, size, sha256, last_modified, rows, ingested_at, kept_from FROM archive_manifest';

function manifestFromRow(r: unknown[]): ArchiveManifestEntry {
  const entry: ArchiveManifestEntry = {
    key: toText(col(r, 0), 'key'),
    size: toNumber(col(r, 1), 'size'),
    sha256: toText(col(r, 2), 'sha256'),
    lastModified: toNumberOrNull(col(r, 3), 'last_modified'),
    rows: toNumber(col(r, 4), 'rows'),
    ingestedAt: toNumber(col(r, 5), 'ingested_at'),
  };
  // Absent rather than null when the whole object was kept, as the entry was written.
  const keptFrom = toNumberOrNull(col(r, 6), 'kept_from');
  if (keptFrom !== null) entry.keptFrom = keptFrom;
  return entry;
}

export async function getManifestSql(db: SqlExecutor, key: string): Promise<ArchiveManifestEntry | null> {
  const rows = await db.all(`${MANIFEST_SELECT} WHERE key = $1`, [key]);
  return rows[0] ? manifestFromRow(rows[0]) : null;
}

export async function listManifestSql(db: SqlExecutor, prefix: string): Promise<ArchiveManifestEntry[]> {
  // starts_with rather than LIKE: keys contain '_' (BTCUSD_PERP), a LIKE wildcard.
  const rows = await db.all(`${MANIFEST_SELECT} WHERE starts_with(key, $1) ORDER BY key`, [prefix]);
  return rows.map(manifestFromRow);
}

export async function recordGapsSql(db: SqlSession, gaps: readonly Gap[]): Promise<void> {
  if (gaps.length === 0) return;
  await db.transaction((tx) => upsertGaps(tx, gaps));
}

async function upsertGaps(tx: SqlExecutor, gaps: readonly Gap[]): Promise<void> {
  if (gaps.length === 0) return;
  // One statement may touch a key once, so a gap repeated in the batch counts in its last version.
  const byKey = new Map<string, Gap>();
  for (const g of gaps) byKey.set(JSON.stringify([g.exchange, g.symbol, g.interval, g.from]), g);
  const rows = [...byKey.values()].map((g): SqlParam[] => [
    g.exchange, g.symbol, g.interval, g.from, g.to, g.kind, g.status, g.detectedAt, g.note,
  ]);
  await insertValues(tx, 'INSERT INTO gaps (exchange, symbol, "interval", from_time, to_time, kind, status, detected_at, note)', rows,
    `ON CONFLICT (exchange, symbol, "interval", from_time) DO UPDATE SET to_time = excluded.to_time, kind = excluded.kind,
       status = excluded.status, detected_at = excluded.detected_at, note = excluded.note`);
}

/**
 * Records what a scan of [from, to) found and closes what it no longer finds, in one transaction:
 * a row of the series starting in the window, still `open` or an `unrepairable` hole or outage,
 * that the scan did not find again is marked `repaired` (kept, not deleted, so the ledger still
 * says what was missing and when it was filled). Every minute still missing is in a found row.
 * @returns the number of rows closed.
 */
export function reconcileGapsSql(db: SqlSession, series: SeriesKey, from: number, to: number, found: readonly Gap[], note: string): Promise<number> {
  return db.transaction(async (tx) => {
    await upsertGaps(tx, found);
    const stale = await tx.all(
      `SELECT from_time FROM gaps WHERE exchange = $1 AND symbol = $2 AND "interval" = $3 AND from_time >= $4 AND from_time < $5
         AND (status = 'open' OR (status = 'unrepairable' AND kind IN ('hole', 'exchange_outage')))`,
      [series.exchange, series.symbol, series.interval, from, to],
    );
    const foundFrom = new Set(found.filter((g) => g.exchange === series.exchange && g.symbol === series.symbol && g.interval === series.interval).map((g) => g.from));
    let closed = 0;
    for (const r of stale) {
      const start = toNumber(col(r, 0), 'from_time');
      if (foundFrom.has(start)) continue;
      closed += await tx.run(
        `UPDATE gaps SET status = 'repaired', note = $5 WHERE exchange = $1 AND symbol = $2 AND "interval" = $3 AND from_time = $4`,
        [series.exchange, series.symbol, series.interval, start, note],
      );
    }
    return closed;
  });
}

const GAP_KINDS: readonly string[] = ['not_published', 'before_listing', 'exchange_outage', 'hole'] satisfies GapKind[];
const GAP_STATUSES: readonly string[] = ['open', 'repaired', 'unrepairable'] satisfies GapStatus[];

function isGapKind(s: string): s is GapKind {
  return GAP_KINDS.includes(s);
}
function isGapStatus(s: string): s is GapStatus {
  return GAP_STATUSES.includes(s);
}

export async function listGapsSql(
  db: SqlExecutor,
  filter: { exchange?: string; symbol?: string; status?: GapStatus },
): Promise<Gap[]> {
  const where: string[] = [];
  const params: SqlParam[] = [];
  for (const [column, value] of [['exchange', filter.exchange], ['symbol', filter.symbol], ['status', filter.status]] as const) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${column} = $${params.length}`);
  }
  const rows = await db.all(
    `SELECT exchange, symbol, "interval", from_time, to_time, kind, status, detected_at, note FROM gaps
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY exchange, symbol, "interval", from_time`,
    params,
  );
  return rows.map((r) => {
    const interval = toText(col(r, 2), 'interval');
    const kind = toText(col(r, 5), 'kind');
    const status = toText(col(r, 6), 'status');
    if (!isInterval(interval) || !isGapKind(kind) || !isGapStatus(status)) {
      throw new StoreError(`gap row has an unknown interval, kind or status: ${interval}/${kind}/${status}`);
    }
    const i: Interval = interval;
    return {
      exchange: toText(col(r, 0), 'exchange'),
      symbol: toText(col(r, 1), 'symbol'),
      interval: i,
      from: toNumber(col(r, 3), 'from_time'),
      to: toNumber(col(r, 4), 'to_time'),
      kind,
      status,
      detectedAt: toNumber(col(r, 7), 'detected_at'),
      note: toTextOrNull(col(r, 8), 'note'),
    };
  });
}
