/**
 * The backfill's three stages, each measured alone over the same derived monthly zips:
 * downloads (zip + `.CHECKSUM` through the archive client, at the backfill's concurrency, bodies
 * discarded), verify + parse over the cached zips (the client's own checksum, zip and CSV code),
 * and writes of pre-parsed files at the store's write concurrency (only `Store.writeCandles` is
 * timed; each file is parsed before its clock starts). The slowest of the three is the floor a
 * pipelined backfill can reach.
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

/** Files each writer has parsed in memory before a timed round of writes (24 ≈ 94 MB of columns). */
const FILES_PER_ROUND = 24;

/**
 * Writes every file, parsed beforehand, into a fresh store at `db`, as many at once as the store
 * takes (`Store.writeConcurrency`, as the backfill writes). In rounds: each writer's next
 * FILES_PER_ROUND files are parsed untimed, then the writers write theirs side by side, timed;
 * the CPU is counted over the timed parts only (the database's own threads included).
 */
export async function writesAlone(db: string, cacheRoot: string, zips: readonly ZipRef[]): Promise<{ seconds: number; cpuSeconds: number; rows: number; writers: number }> {
  const store = await openStore(db);
  const writers = store.writeConcurrency;
  let total = 0n;
  let cpu = 0;
  let rows = 0;
  try {
    for (let at = 0; at < zips.length; at += writers * FILES_PER_ROUND) {
      const round = zips.slice(at, at + writers * FILES_PER_ROUND).map((z) => ({ z, ...decode(cacheRoot, z) }));
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await Promise.all(Array.from({ length: writers }, async (_, w) => {
        for (let i = w; i < round.length; i += writers) {
          const { z, candles, manifest } = round[i] as (typeof round)[number];
          // Not `rows += await …`: that reads `rows` before the await, and the other writer's rows are lost.
          const written = await store.writeCandles({ exchange: 'binance', symbol: z.symbol, interval: '1m' }, candles, 'archive', manifest);
          rows += written;
        }
      }));
      total += process.hrtime.bigint() - t0;
      cpu += cpuSince(c0);
    }
  } finally {
    await store.close();
  }
  return { seconds: Number(total) / 1e9, cpuSeconds: cpu, rows, writers };
}
