/**
 * The tickerflow process of the scale benchmark: `universe` → `backfill` → `sync` → `gaps` over
 * the replay server's derived symbols, through the real connectors and the library's public
 * jobs, in a process of its own so that the parent can sample its RSS (in-process DuckDB
 * included). It reports on stdout, one JSON object per line: `stage` at each start and end,
 * with the process's CPU seconds so far, and `write` (time, rows) after every committed write,
 * from which the parent draws rows/s.
 *
 *   node --import tsx bench/scale/pipeline-child.ts <replay base URL> <store: file or postgres://> <symbols>
 *
 * Its clock is the replay's simulated one (speed 1), read once from `/api/v3/time`: the CLI
 * commands use the local clock, which is years past the derived archive.
 */
import { pino } from 'pino';
import { createRateGovernor } from '../../src/connectors/binance/rate-governor.js';
import { configSchema } from '../../src/core/config.js';
import { createSources, openStore, runBackfillJob, runGapsJob, runSyncJob, runUniverseJob } from '../../src/index.js';
import type { Store } from '../../src/store/store.js';

/** CPU seconds (user + system) of this whole process so far: every thread, DuckDB's and the decode workers' included. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function emit(o: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

/** The store, with every committed write reported (rows changed, at what time). */
function reporting(store: Store): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (prop !== 'writeCandles' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
      return async (...args: Parameters<Store['writeCandles']>) => {
        const changed = await target.writeCandles(...args);
        emit({ type: 'write', t: Date.now(), rows: changed, source: args[2] });
        return changed;
      };
    },
  });
}

async function main(): Promise<void> {
  const [base, db, n] = process.argv.slice(2);
  if (base === undefined || db === undefined || n === undefined || !/^\d+$/.test(n)) {
    throw new Error('usage: pipeline-child.ts <replay base URL> <store> <symbols>');
  }
  const serverTime = ((await (await fetch(`${base}/binance/api/v3/time`)).json()) as { serverTime: number }).serverTime;
  const offset = serverTime - Date.now();
  const clock = (): number => Date.now() + offset;
  const config = configSchema.parse({ store: { db }, universe: { top: Number(n) } });
  const logger = pino({ level: 'silent' });
  const sources = createSources(config, {
    logger,
    urls: { binanceRest: `${base}/binance`, archiveData: `${base}/vision`, archiveList: `${base}/s3`, coingecko: `${base}/coingecko/api/v3` },
    clock,
    governor: createRateGovernor({ now: clock }),
  });
  const store = reporting(await openStore(db));
  try {
    const stage = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      emit({ type: 'stage', name, phase: 'start', t: Date.now(), cpu: cpuSeconds() });
      const r = await fn();
      emit({ type: 'stage', name, phase: 'end', t: Date.now(), cpu: cpuSeconds() });
      return r;
    };
    const u = config.universe;
    const universe = await stage('universe', () =>
      runUniverseJob(store, sources, logger, { top: u.top, vsCurrency: u.vs_currency, quotePreference: u.quote_preference, manualSymbols: [], now: clock() }),
    );
    const symbols = universe.snapshot.entries.map((e) => e.symbol).filter((s): s is string => s !== null);
    if (symbols.length !== Number(n) || !symbols.every((s) => s.startsWith('SCALE'))) throw new Error(`universe mapped ${symbols.join(' ')}, expected ${n} SCALE symbols`);
    const backfill = await stage('backfill', () => runBackfillJob(store, sources, logger, { symbols, interval: '1m' }));
    const rejected = backfill.results.flatMap((r) => r.rejectedFiles);
    if (rejected.length > 0) throw new Error(`backfill rejected ${rejected.join(', ')}`);
    const sync = await stage('sync', () => runSyncJob(store, sources, logger, { symbols, interval: '1m' }));
    const gaps = await stage('gaps', () => runGapsJob(store, sources, logger, { symbols, interval: '1m', repair: true }));
    let rows = 0;
    for (const symbol of symbols) rows += (await store.seriesStats({ exchange: 'binance', symbol, interval: '1m' }))?.count ?? 0;
    emit({
      type: 'done',
      t: Date.now(),
      symbols,
      rows,
      archiveFiles: backfill.results.reduce((s, r) => s + r.archiveFiles, 0),
      archiveRows: backfill.results.reduce((s, r) => s + r.archiveRows, 0),
      restRows: backfill.results.reduce((s, r) => s + r.restRows, 0),
      syncRows: sync.rows,
      gapsFound: gaps.found,
      missingCandles: gaps.missingCandles,
    });
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`pipeline-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
