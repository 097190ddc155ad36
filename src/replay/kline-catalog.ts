/**
 * Finds and loads the recorded candles the replay serves through `/api/v3/klines`, lazily and
 * once per (symbol, interval):
 *  1. recorded REST responses `fixtures/binance-rest/klines/<SYM>/<interval>/*.json` (kept as recorded);
 *  2. spot archive zips `fixtures/binance-vision/data/spot/{daily,monthly}/klines/<SYM>/<interval>/*.zip`
 *     (read with the replay's own zip and CSV readers, never the client's: see archive-kline-rows.ts);
 *  3. for intervals the core grid knows, complete buckets rolled up from the 1m candles of (2).
 * On the same open time, (1) beats (2) beats (3). Futures zips are never used: their `BTCUSDT`
 * is a different market.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFirstZipEntry } from './zip-reader.js';
import { archiveKlineRows } from './archive-kline-rows.js';
import { intervalMs, isInterval } from '../core/intervals.js';
import { allocateColumns, CANDLE_FIELDS, type CandleColumns } from '../core/candle.js';
import { BadInputError } from '../core/errors.js';
import { archiveFolder, type KlineInterval } from './kline-intervals.js';
import { aggregateMinutes, mergeTables, restKlineBodySchema, tableFromColumns, tableFromRestRows, type KlineTable } from './kline-table.js';

function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

function concatColumns(parts: readonly CandleColumns[]): CandleColumns {
  const sorted = [...parts].sort((a, b) => (a.openTime[0] ?? 0) - (b.openTime[0] ?? 0));
  const out = allocateColumns(sorted.reduce((n, p) => n + p.length, 0));
  // A daily and a monthly file may cover the same minutes; keep the first of each open time.
  for (const p of sorted) {
    for (let i = 0; i < p.length; i++) {
      if (out.length > 0 && (p.openTime[i] as number) <= (out.openTime[out.length - 1] as number)) continue;
      for (const f of CANDLE_FIELDS) out[f][out.length] = p[f][i] as number;
      out.length++;
    }
  }
  return out;
}

export class KlineCatalog {
  private readonly tables = new Map<string, KlineTable>();
  private readonly minutes = new Map<string, CandleColumns>();

  constructor(private readonly fixturesDir: string) {}

  /** Symbols that have any recorded candles (REST or spot archive). */
  symbolsWithData(): Set<string> {
    const out = new Set(listDir(join(this.fixturesDir, 'binance-rest', 'klines')));
    for (const period of ['daily', 'monthly']) {
      for (const s of listDir(join(this.fixturesDir, 'binance-vision', 'data', 'spot', period, 'klines'))) out.add(s);
    }
    return out;
  }

  /** The full recorded series for `symbol` at `interval`, ignoring the clock. */
  table(symbol: string, interval: KlineInterval): KlineTable {
    const id = `${symbol}/${interval}`;
    let t = this.tables.get(id);
    if (!t) {
      const parts: KlineTable[] = [this.restTable(symbol, interval)];
      const archive = this.archiveColumns(symbol, interval);
      if (archive) parts.push(tableFromColumns(archive));
      if (interval !== '1m' && isInterval(interval)) {
        const m = this.archiveColumns(symbol, '1m');
        if (m && m.length > 0) parts.push(tableFromColumns(aggregateMinutes(m, intervalMs(interval))));
      }
      t = mergeTables(parts);
      this.tables.set(id, t);
    }
    return t;
  }

  private restTable(symbol: string, interval: KlineInterval): KlineTable {
    const dir = join(this.fixturesDir, 'binance-rest', 'klines', symbol, interval);
    const rows = listDir(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => {
        const parsed = restKlineBodySchema.safeParse(JSON.parse(readFileSync(join(dir, f), 'utf8')));
        if (!parsed.success) throw new BadInputError(`${join(dir, f)} is not a /api/v3/klines body: ${parsed.error.message}`);
        return parsed.data;
      });
    return tableFromRestRows(rows);
  }

  /** Spot archive candles for one interval, daily and monthly files together; null if none. */
  private archiveColumns(symbol: string, interval: KlineInterval): CandleColumns | null {
    if (!isInterval(interval)) return null;
    const id = `${symbol}/${interval}`;
    const cached = this.minutes.get(id);
    if (cached) return cached;
    const parts: CandleColumns[] = [];
    for (const period of ['daily', 'monthly']) {
      const rel = ['data', 'spot', period, 'klines', symbol, archiveFolder(interval)];
      const dir = join(this.fixturesDir, 'binance-vision', ...rel);
      for (const f of listDir(dir).filter((n) => n.endsWith('.zip'))) {
        const key = [...rel, f].join('/');
        const csv = readFirstZipEntry(readFileSync(join(dir, f)), key).toString('utf8');
        parts.push(archiveKlineRows(csv, key));
      }
    }
    if (parts.length === 0) return null;
    const cols = concatColumns(parts);
    this.minutes.set(id, cols);
    return cols;
  }
}

