/** The messages between `ArchiveDecodePool` and its worker threads. */
import type { ArchiveManifestEntry } from '../../core/archive-manifest.js';
import type { CandleColumns } from '../../core/candle.js';
import type { Interval } from '../../core/intervals.js';
import type { ArchiveChecksum } from './checksum.js';
import type { ArchiveMarket } from './kline-csv.js';

export interface DecodeRequest {
  id: number;
  body: Uint8Array;
  lastModified: number | null;
  checksum: ArchiveChecksum;
  key: string;
  interval: Interval;
  market: ArchiveMarket;
  ingestedAt: number;
  /** Column buffers the main thread is done with (transferred), for the worker to parse into. */
  reuse?: ArrayBuffer[];
}

/** A decode error as the worker saw it: the class (of the two a decode throws, else Error) and its fields. */
export interface DecodeErrorFields {
  name: 'BadArchiveError' | 'ChecksumMismatchError' | 'Error';
  message: string;
  stack: string | undefined;
  row: number | undefined;
}

export type DecodeReply =
  | { id: number; ok: true; candles: CandleColumns; manifest: ArchiveManifestEntry }
  | { id: number; ok: false; error: DecodeErrorFields };
