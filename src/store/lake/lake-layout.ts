/**
 * Where the lake puts things. Hive-style partitions, so DuckDB reads the tree as is:
 *
 *   <root>/kind=<kind>/exchange=<exchange>/symbol=<symbol>/date=<YYYY-MM-DD>/<first>-<last>.parquet
 *
 * `date` is the UTC day of the event's receive time. A file is named by the first and last lake
 * sequence it holds, each zero-padded to 16 digits (every safe integer fits), so names sort in
 * sequence order and a re-flush of the same range lands on the same name. Files are written under
 * `<name>.tmp` first: that suffix is not `.parquet`, so no glob ever reads a half-written file.
 */
import { join } from 'node:path';
import { MARKET_EVENT_KINDS, STREAM_EXCHANGES, type MarketEventKind, type MarketRef, type StreamExchange } from '../../core/market-events.js';

export const SEQUENCE_DIGITS = 16;
export const PARQUET_SUFFIX = '.parquet';
export const TEMP_SUFFIX = '.tmp';

export interface Partition extends MarketRef {
  kind: MarketEventKind;
  /** UTC day, YYYY-MM-DD. */
  date: string;
}

export interface LakeFile {
  /** Absolute path of the published file. */
  path: string;
  first: number;
  last: number;
}

/** A symbol is a path segment: no separators, no `=` (hive), no leading dot (hidden, temp). */
export function isSafeSymbol(symbol: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(symbol) && symbol.length <= 64;
}

export function partitionKey(p: Partition): string {
  return `kind=${p.kind}/exchange=${p.exchange}/symbol=${p.symbol}/date=${p.date}`;
}

export function partitionDir(root: string, p: Partition): string {
  return join(root, `kind=${p.kind}`, `exchange=${p.exchange}`, `symbol=${p.symbol}`, `date=${p.date}`);
}

export function fileName(first: number, last: number): string {
  return `${String(first).padStart(SEQUENCE_DIGITS, '0')}-${String(last).padStart(SEQUENCE_DIGITS, '0')}${PARQUET_SUFFIX}`;
}

const FILE_NAME = new RegExp(`^(\\d{${SEQUENCE_DIGITS}})-(\\d{${SEQUENCE_DIGITS}})\\${PARQUET_SUFFIX}$`);

/** `<first>-<last>.parquet` → its range, or null for any other name. */
export function parseFileName(name: string): { first: number; last: number } | null {
  const m = FILE_NAME.exec(name);
  if (!m) return null;
  const first = Number(m[1]);
  const last = Number(m[2]);
  return Number.isSafeInteger(last) && first <= last ? { first, last } : null;
}

/** `kind=trade` → `trade` if the segment is `<key>=<value>` with a value in `allowed` (or any safe value). */
function segmentValue(segment: string, key: string): string | null {
  const prefix = `${key}=`;
  return segment.startsWith(prefix) ? segment.slice(prefix.length) : null;
}

export function parseKind(segment: string): MarketEventKind | null {
  const v = segmentValue(segment, 'kind');
  return v !== null && (MARKET_EVENT_KINDS as readonly string[]).includes(v) ? (v as MarketEventKind) : null;
}

export function parseExchange(segment: string): StreamExchange | null {
  const v = segmentValue(segment, 'exchange');
  return v !== null && (STREAM_EXCHANGES as readonly string[]).includes(v) ? (v as StreamExchange) : null;
}

export function parseSymbol(segment: string): string | null {
  const v = segmentValue(segment, 'symbol');
  return v !== null && isSafeSymbol(v) ? v : null;
}

export function parseDate(segment: string): string | null {
  const v = segmentValue(segment, 'date');
  return v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null;
}
