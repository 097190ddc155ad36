/**
 * Reading the lake back as the live feed delivered it: every partition the query names, merged
 * in arrival-sequence order into one AsyncIterable. Memory stays bounded: a partition is opened
 * only when its first file's first sequence comes up, and an open one holds one data chunk.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { BadInputError } from '../../core/errors.js';
import { utcDate } from '../../core/time.js';
import type { MarketEvent, MarketEventKind, MarketRef } from '../../core/market-events.js';
import { partitionKey } from './lake-layout.js';
import { listPartition, listPartitions } from './lake-scan.js';
import { PartitionCursor, type SequencedEvent } from './partition-cursor.js';

export type { SequencedEvent } from './partition-cursor.js';

export interface LakeQuery {
  /** Receive-time range, epoch ms: from inclusive, to exclusive. */
  from: number;
  to: number;
  /** Kinds to read; all when absent. */
  kinds?: readonly MarketEventKind[];
  /** Markets to read; all when absent. */
  markets?: readonly MarketRef[];
}

/** A cursor's place in the merge: its head's sequence, or before it is opened a lower bound. */
const keyOf = (c: PartitionCursor): number => c.head?.seq ?? c.firstKnown;

/** A binary min-heap of cursors by keyOf. */
class CursorHeap {
  readonly items: PartitionCursor[] = [];
  push(c: PartitionCursor): void {
    const a = this.items;
    a.push(c);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (keyOf(a[parent] as PartitionCursor) <= keyOf(a[i] as PartitionCursor)) break;
      [a[parent], a[i]] = [a[i] as PartitionCursor, a[parent] as PartitionCursor];
      i = parent;
    }
  }
  pop(): PartitionCursor | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || !last) return top;
    a[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && keyOf(a[l] as PartitionCursor) < keyOf(a[m] as PartitionCursor)) m = l;
      if (r < a.length && keyOf(a[r] as PartitionCursor) < keyOf(a[m] as PartitionCursor)) m = r;
      if (m === i) break;
      [a[m], a[i]] = [a[i] as PartitionCursor, a[m] as PartitionCursor];
      i = m;
    }
    return top;
  }
}

/** The lake's events in the query's range, in arrival-sequence order, each with its sequence. */
export async function* readLake(root: string, query: LakeQuery): AsyncGenerator<SequencedEvent> {
  if (!Number.isFinite(query.from) || !Number.isFinite(query.to) || query.from > query.to) {
    throw new BadInputError(`lake: read range from ${query.from} to ${query.to} is not a finite from <= to`);
  }
  if (query.from === query.to) return;
  const wanted = query.markets ? new Set(query.markets.map((m) => `${m.exchange}:${m.symbol}`)) : null;
  const partitions = (
    await listPartitions(root, {
      kinds: query.kinds,
      exchanges: query.markets?.map((m) => m.exchange),
      symbols: query.markets?.map((m) => m.symbol),
      fromDate: utcDate(query.from),
      toDate: utcDate(Math.max(query.from, query.to - 1)),
    })
  ).filter((p) => !wanted || wanted.has(`${p.exchange}:${p.symbol}`));
  const instance = await DuckDBInstance.create(':memory:');
  const heap = new CursorHeap();
  const opened = new Set<string>();
  // Every cursor, so an early return (the caller's `break`) closes the one being yielded from too.
  const cursors: PartitionCursor[] = [];
  try {
    for (const p of partitions) {
      const first = (await listPartition(root, p)).files[0];
      if (!first) continue;
      const cursor = new PartitionCursor(instance, root, p, first, query.from, query.to);
      cursors.push(cursor);
      heap.push(cursor);
    }
    for (;;) {
      const cursor = heap.pop();
      if (!cursor) return;
      const key = partitionKey(cursor.partition);
      if (!opened.has(key)) {
        opened.add(key);
        await cursor.advance();
        if (cursor.head) heap.push(cursor);
        continue;
      }
      const head = cursor.head;
      if (!head) continue;
      yield head;
      await cursor.advance();
      if (cursor.head) heap.push(cursor);
    }
  } finally {
    for (const c of cursors) c.close();
    instance.closeSync();
  }
}

/** The lake's events alone: the same AsyncIterable<MarketEvent> as a live feed. */
export async function* lakeEvents(root: string, query: LakeQuery): AsyncGenerator<MarketEvent> {
  for await (const { event } of readLake(root, query)) yield event;
}
