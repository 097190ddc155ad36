/**
 * Test double: the part of `Store` the scheduler's loop uses, in memory and keeping no job
 * history (counts only), so a test can run thousands of cycles in seconds and measure the
 * scheduler's own heap, not the store's. Candles are kept as open time → source per series.
 * The real backends are tested by the store contract; every other pipeline test uses DuckDB.
 */
import { allocateColumns, type CandleColumns, type CandleSource, SOURCE_RANK } from '../../core/candle.js';
import type { ArchiveManifestEntry } from '../../core/archive-manifest.js';
import { intervalMs } from '../../core/intervals.js';
import type { Instrument, SeriesKey, UniverseSnapshot } from '../../core/instrument.js';
import type { MissingRange, SeriesStats, Store } from '../../store/store.js';

export interface LightStore extends Store {
  readonly jobsStarted: Map<string, number>;
}

export function lightStore(): LightStore {
  const instruments = new Map<string, Instrument>();
  const universes: UniverseSnapshot[] = [];
  const series = new Map<string, Map<number, CandleSource>>();
  const manifest = new Map<string, ArchiveManifestEntry>();
  const jobsStarted = new Map<string, number>();
  let ids = 0;
  const rows = (s: SeriesKey): Map<number, CandleSource> => {
    const key = `${s.exchange}/${s.symbol}/${s.interval}`;
    let m = series.get(key);
    if (m === undefined) series.set(key, (m = new Map()));
    return m;
  };
  const impl: Partial<LightStore> = {
    jobsStarted,
    kind: 'duckdb',
    writeConcurrency: 1,
    location: 'memory (test)',
    migrate: () => Promise.resolve(),
    close: () => Promise.resolve(),
    upsertInstruments: (list) => {
      for (const i of list) instruments.set(i.symbol, { ...i, listedAt: i.listedAt ?? instruments.get(i.symbol)?.listedAt ?? null });
      return Promise.resolve();
    },
    listInstruments: () => Promise.resolve([...instruments.values()]),
    setListedAt: (_e, symbol, listedAt) => {
      const i = instruments.get(symbol);
      if (i !== undefined) i.listedAt = listedAt;
      return Promise.resolve();
    },
    saveUniverse: (snap) => {
      const i = universes.findIndex((u) => u.date === snap.date);
      if (i >= 0) universes.splice(i, 1);
      universes.push(snap);
      return Promise.resolve();
    },
    getUniverse: (_e, date) => Promise.resolve(universes.filter((u) => u.date <= date).sort((a, b) => b.date.localeCompare(a.date))[0] ?? null),
    writeCandles: (s, c: CandleColumns, source, entry) => {
      const m = rows(s);
      let changed = 0;
      for (let i = 0; i < c.length; i++) {
        const t = c.openTime[i] as number;
        const had = m.get(t);
        if (had === undefined || SOURCE_RANK[source] > SOURCE_RANK[had]) {
          m.set(t, source);
          changed++;
        }
      }
      if (entry !== undefined) manifest.set(entry.key, entry);
      return Promise.resolve(changed);
    },
    readCandles: () => Promise.resolve(allocateColumns(0)),
    countBySource: (s, from, to) => {
      const out: Record<CandleSource, number> = { archive: 0, rest: 0, stream: 0 };
      for (const [t, src] of rows(s)) if (t >= from && t < to) out[src]++;
      return Promise.resolve(out);
    },
    seriesStats: (s) => {
      const m = rows(s);
      if (m.size === 0) return Promise.resolve(null);
      let first = Infinity;
      let last = -Infinity;
      for (const t of m.keys()) {
        first = Math.min(first, t);
        last = Math.max(last, t);
      }
      const stats: SeriesStats = { first, last, count: m.size };
      return Promise.resolve(stats);
    },
    lastOpenTime: (s) => {
      let last: number | null = null;
      for (const t of rows(s).keys()) if (last === null || t > last) last = t;
      return Promise.resolve(last);
    },
    missingRanges: (s, from, to) => {
      const m = rows(s);
      const len = intervalMs(s.interval);
      const out: MissingRange[] = [];
      for (let t = from; t < to; t += len) {
        if (m.has(t)) continue;
        const last = out[out.length - 1];
        if (last !== undefined && last.to === t - len) {
          last.to = t;
          last.count++;
        } else out.push({ from: t, to: t, count: 1 });
      }
      return Promise.resolve(out);
    },
    getManifest: (key) => Promise.resolve(manifest.get(key) ?? null),
    listManifest: (prefix) => Promise.resolve([...manifest.values()].filter((e) => e.key.startsWith(prefix))),
    startJob: (kind) => {
      jobsStarted.set(kind, (jobsStarted.get(kind) ?? 0) + 1);
      return Promise.resolve(++ids);
    },
    finishJob: () => Promise.resolve(),
    startTask: () => Promise.resolve(++ids),
    finishTask: () => Promise.resolve(),
    appendTaskLog: () => Promise.resolve(),
    recordGaps: () => Promise.resolve(),
  };
  return new Proxy(impl, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (v === undefined && typeof prop === 'string' && prop !== 'then') throw new Error(`lightStore has no ${prop}: use a real store for this test`);
      return v;
    },
  }) as LightStore;
}
