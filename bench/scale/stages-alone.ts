/**
 * The backfill's three stages, each measured alone over the same derived monthly zips:
 * downloads (zip + `.CHECKSUM` through the archive client, at the backfill's concurrency, bodies
 * discarded), verify + parse over the cached zips (the client's own checksum, zip and CSV code),
 * and writes of pre-parsed files (only `Store.writeCandles` is timed; each file is parsed before
 * its clock starts). The slowest of the three is the floor a pipelined backfill can reach.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveClient } from '../../src/connectors/binance-archive/archive-client.js';
import { parseChecksum } from '../../src/connectors/binance-archive/checksum.js';
import { decodeArchiveFile } from '../../src/connectors/binance-archive/load-archive-file.js';
import { openStore } from '../../src/store/open-store.js';

export interface ZipRef {
  symbol: string;
  key: string;
}

/** CPU seconds (user + system) of this process, all threads, since `from` (a `process.cpuUsage()`). */
function cpuSince(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Fetches every zip and its checksum from the replay, `concurrency` files at a time. */
export async function downloadsAlone(base: string, zips: readonly ZipRef[], concurrency: number): Promise<{ seconds: number; bytes: number }> {
  const client = new ArchiveClient({ dataBaseUrl: `${base}/vision`, listBaseUrl: `${base}/s3` });
  let next = 0;
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < zips.length) {
      const z = zips[next++] as ZipRef;
      const [zip] = await Promise.all([client.fetchObject(z.key), client.fetchChecksum(z.key)]);
      bytes += zip.body.length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: seconds(t0), bytes };
}

function decode(cacheRoot: string, z: ZipRef): ReturnType<typeof decodeArchiveFile> {
  const path = join(cacheRoot, z.key);
  const body = readFileSync(path);
  const checksum = parseChecksum(readFileSync(`${path}.CHECKSUM`), `${z.key}.CHECKSUM`);
  return decodeArchiveFile({ body, lastModified: null, size: body.length }, checksum, z.key, '1m', 'spot', Date.now());
}

/** Reads, verifies and parses every cached zip with the client's code. */
export function verifyParseAlone(cacheRoot: string, zips: readonly ZipRef[]): { seconds: number; cpuSeconds: number; rows: number } {
  let rows = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const z of zips) rows += decode(cacheRoot, z).candles.length;
  return { seconds: seconds(t0), cpuSeconds: cpuSince(c0), rows };
}

/**
 * Writes every file, parsed beforehand, into a fresh store at `db`; only the writes are timed, and
 * the process's CPU is counted over the writes only (the database's own threads included).
 */
export async function writesAlone(db: string, cacheRoot: string, zips: readonly ZipRef[]): Promise<{ seconds: number; cpuSeconds: number; rows: number }> {
  const store = await openStore(db);
  let total = 0n;
  let cpu = 0;
  let rows = 0;
  try {
    for (const z of zips) {
      const { candles, manifest } = decode(cacheRoot, z);
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      rows += await store.writeCandles({ exchange: 'binance', symbol: z.symbol, interval: '1m' }, candles, 'archive', manifest);
      total += process.hrtime.bigint() - t0;
      cpu += cpuSince(c0);
    }
  } finally {
    await store.close();
  }
  return { seconds: Number(total) / 1e9, cpuSeconds: cpu, rows };
}
