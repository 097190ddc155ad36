/**
 * Parses a data.binance.vision kline CSV into candle columns, straight from the bytes.
 *
 * Columns by position (PROTOCOLS.md §1): open time, open, high, low, close, volume, close time,
 * quote volume, trades, taker buy base, taker buy quote, ignore. COIN-M files reuse the same
 * positions with other meanings, and their header (when present) mislabels them, so position
 * wins over header text: for `cm`, `volume` (6) is contracts, `quoteVolume` (8) is the
 * base-asset volume (e.g. BTC), `takerBuyBase` (10) is taker-buy contracts and `takerBuyQuote`
 * (11) is the taker-buy base-asset volume.
 *
 * Why bytes and not `split('\n')`: a month file has 40–45k rows; scanning the Buffer once with a
 * decimal fast path avoids a string per line and per field (see `parse-speed.bench.ts`).
 *
 * @see https://github.com/binance/binance-public-data#klines
 */
import { allocateColumns, candleInvariantError, sliceColumns, type CandleColumns } from '../../core/candle.js';
import { BadArchiveError } from '../../core/errors.js';
import type { Interval } from '../../core/intervals.js';

/** Which archive tree a file came from; only changes what columns 8, 10 and 11 mean (see above). */
export type ArchiveMarket = 'spot' | 'um' | 'cm';

export interface ParseKlineCsvOptions {
  /** Object key, named in every error. */
  key: string;
  interval: Interval;
  market: ArchiveMarket;
  /** Where the columns go: empty columns with room for `rows` (default: new memory, `allocateColumns`). */
  allocate?: (rows: number) => CandleColumns;
}

const FIELDS = 12;
const NL = 10;
const CR = 13;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const D0 = 48;
const D9 = 57;
/** Open times at or above this are microseconds (2025+ spot files); ms values are ~1.6e12. */
const MICROS_THRESHOLD = 1e15;
const MAX_EXACT = 2 ** 53;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const LOOSE_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Where the field read by the last `parseField` call ended (its comma, or the line end). */
let fieldEnd = 0;

/**
 * Parses the field starting at `start` up to the next comma or `end`, in one pass over the bytes;
 * sets `fieldEnd`. Returns NaN when the field is not a finite decimal.
 */
function parseField(buf: Buffer, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (i < end && buf[i] === MINUS) {
    neg = true;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let seenDot = false;
  for (; i < end; i++) {
    const c = buf[i] as number;
    if (c >= D0 && c <= D9) {
      mant = mant * 10 + (c - D0);
      digits++;
      if (seenDot) frac++;
    } else if (c === COMMA) {
      break;
    } else if (c === DOT && !seenDot) {
      seenDot = true;
    } else {
      const comma = buf.indexOf(COMMA, i);
      fieldEnd = comma === -1 || comma > end ? end : comma;
      return parseSlow(buf, start, fieldEnd);
    }
  }
  fieldEnd = i;
  if (digits === 0) return NaN;
  // Exact integer mantissa divided by an exact power of ten is one correctly rounded operation,
  // so the result equals Number(text) (Clinger's fast path); otherwise defer to Number.
  if (mant >= MAX_EXACT || frac > 22) return parseSlow(buf, start, i);
  const v = frac === 0 ? mant : mant / (POW10[frac] as number);
  return neg ? -v : v;
}

function parseSlow(buf: Buffer, start: number, end: number): number {
  const text = buf.toString('latin1', start, end);
  if (!LOOSE_NUMBER.test(text)) return NaN;
  const v = Number(text);
  return Number.isFinite(v) ? v : NaN;
}

function countLines(csv: Buffer): number {
  let n = 1;
  for (let p = csv.indexOf(NL); p !== -1; p = csv.indexOf(NL, p + 1)) n++;
  return n;
}

/**
 * Header sniffing: line 1 is a header iff its first field is not numeric. A line that starts
 * non-numeric but carries numbers elsewhere is a damaged data row, not a header: reject it
 * rather than silently dropping a candle.
 */
function isHeader(csv: Buffer, end: number, key: string): boolean {
  if (!Number.isNaN(parseField(csv, 0, end))) return false;
  const fields = csv.toString('latin1', 0, end).split(',');
  const numeric = fields.some((f) => LOOSE_NUMBER.test(f));
  if (fields.length !== FIELDS || numeric) {
    throw new BadArchiveError(key, `first line is neither a header of ${FIELDS} names nor a data row`, 1);
  }
  return true;
}

/**
 * Parses a whole kline CSV. The first line is a header iff its first field is not numeric.
 * Microsecond files (open time ≥ 1e15) are normalised to ms: open/1000, close (µs+1)/1000 − 1.
 * Every row must have 12 finite numeric fields, satisfy `candleInvariantError` for `interval`,
 * and open strictly after the previous row. Any failure rejects the file whole with
 * `BadArchiveError(key, reason, line)`, `line` being the 1-based line number in the file.
 */
export function parseKlineCsv(csv: Buffer, opts: ParseKlineCsvOptions): CandleColumns {
  const { key, interval } = opts;
  const out = (opts.allocate ?? allocateColumns)(countLines(csv));
  const vals = new Float64Array(FIELDS);
  const len = csv.length;
  let pos = 0;
  let line = 0;
  let micros: boolean | null = null;
  let prevOpen = -Infinity;

  while (pos < len) {
    line++;
    let eol = csv.indexOf(NL, pos);
    if (eol === -1) eol = len;
    let end = eol;
    if (end > pos && csv[end - 1] === CR) end--;
    if (line === 1 && isHeader(csv, end, key)) {
      pos = eol + 1;
      continue;
    }
    let f = 0;
    for (let fs = pos; ; fs = fieldEnd + 1) {
      if (f === FIELDS) throw new BadArchiveError(key, `more than ${FIELDS} fields`, line);
      const v = parseField(csv, fs, end);
      if (Number.isNaN(v)) {
        throw new BadArchiveError(key, `field ${f + 1} ${JSON.stringify(csv.toString('latin1', fs, fieldEnd))} is not a finite number`, line);
      }
      vals[f++] = v;
      if (fieldEnd >= end) break;
    }
    if (f !== FIELDS) throw new BadArchiveError(key, `${f} fields, expected ${FIELDS}`, line);

    let openTime = vals[0] as number;
    let closeTime = vals[6] as number;
    if (micros === null) micros = openTime >= MICROS_THRESHOLD;
    if (micros !== openTime >= MICROS_THRESHOLD) {
      throw new BadArchiveError(key, `open time ${openTime} is not in the file's unit (${micros ? 'µs' : 'ms'})`, line);
    }
    if (micros) {
      openTime = openTime / 1000;
      closeTime = (closeTime + 1) / 1000 - 1;
    }
    const open = vals[1] as number;
    const high = vals[2] as number;
    const low = vals[3] as number;
    const close = vals[4] as number;
    const volume = vals[5] as number;
    const quoteVolume = vals[7] as number;
    const trades = vals[8] as number;
    const takerBuyBase = vals[9] as number;
    const takerBuyQuote = vals[10] as number;
    const bad = candleInvariantError(
      openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote, interval,
    );
    if (bad !== null) throw new BadArchiveError(key, bad, line);
    if (!(openTime > prevOpen)) {
      throw new BadArchiveError(key, `open time ${openTime} does not follow the previous row's ${prevOpen}`, line);
    }
    prevOpen = openTime;

    const r = out.length++;
    out.openTime[r] = openTime;
    out.open[r] = open;
    out.high[r] = high;
    out.low[r] = low;
    out.close[r] = close;
    out.volume[r] = volume;
    out.closeTime[r] = closeTime;
    out.quoteVolume[r] = quoteVolume;
    out.trades[r] = trades;
    out.takerBuyBase[r] = takerBuyBase;
    out.takerBuyQuote[r] = takerBuyQuote;
    pos = eol + 1;
  }
  if (out.length === 0) throw new BadArchiveError(key, 'no data rows');
  return sliceColumns(out, 0, out.length);
}
