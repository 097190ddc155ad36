/**
 * Listing the lake: its partitions and each partition's published files. A compaction publishes
 * its merged file before it removes the small ones, so for a moment both exist; a listing keeps
 * only files whose range no other file covers, and a reader never sees a row twice.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { MarketEventKind, StreamExchange } from '../../core/market-events.js';
import { parseDate, parseExchange, parseFileName, parseKind, parseSymbol, partitionDir, TEMP_SUFFIX, type LakeFile, type Partition } from './lake-layout.js';

/** Which partitions to visit; an absent field means all. Dates are inclusive YYYY-MM-DD bounds. */
export interface PartitionFilter {
  kinds?: readonly MarketEventKind[];
  exchanges?: readonly StreamExchange[];
  symbols?: readonly string[];
  fromDate?: string;
  toDate?: string;
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Every partition directory under `root` that the filter admits, in path order. */
export async function listPartitions(root: string, filter: PartitionFilter = {}): Promise<Partition[]> {
  const out: Partition[] = [];
  for (const k of await subdirs(root)) {
    const kind = parseKind(k);
    if (!kind || (filter.kinds && !filter.kinds.includes(kind))) continue;
    for (const e of await subdirs(join(root, k))) {
      const exchange = parseExchange(e);
      if (!exchange || (filter.exchanges && !filter.exchanges.includes(exchange))) continue;
      for (const s of await subdirs(join(root, k, e))) {
        const symbol = parseSymbol(s);
        if (!symbol || (filter.symbols && !filter.symbols.includes(symbol))) continue;
        for (const d of await subdirs(join(root, k, e, s))) {
          const date = parseDate(d);
          if (!date || (filter.fromDate && date < filter.fromDate) || (filter.toDate && date > filter.toDate)) continue;
          out.push({ kind, exchange, symbol, date });
        }
      }
    }
  }
  return out;
}

export interface PartitionListing {
  /** Published files in sequence order, none covered by another. */
  files: LakeFile[];
  /** Published files whose range another file covers (left by a compaction stopped before its cleanup). */
  covered: LakeFile[];
  /** Leftover `*.tmp` files of a flush or compaction that never published. */
  temps: string[];
}

export async function listPartition(root: string, p: Partition): Promise<PartitionListing> {
  const dir = partitionDir(root, p);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { files: [], covered: [], temps: [] };
    throw err;
  }
  const all: LakeFile[] = [];
  const temps: string[] = [];
  for (const name of names) {
    if (name.endsWith(TEMP_SUFFIX)) temps.push(join(dir, name));
    const range = parseFileName(name);
    if (range) all.push({ path: join(dir, name), ...range });
  }
  // Widest first among equal starts, so a covering file is seen before what it covers.
  all.sort((a, b) => a.first - b.first || b.last - a.last);
  const files: LakeFile[] = [];
  const covered: LakeFile[] = [];
  for (const f of all) {
    const prev = files[files.length - 1];
    if (prev && f.last <= prev.last) covered.push(f);
    else files.push(f);
  }
  return { files, covered, temps };
}
