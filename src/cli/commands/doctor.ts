/** `tickerflow doctor`: checks the config, the store, and that each data source answers. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../load-config.js';
import { globalOptions } from '../context.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { openStore } from '../../store/open-store.js';
import type { StorageStats } from '../../store/store.js';

/** Bytes in decimal units, as `du -h --si` and DuckDB's memory_limit ("1GB") read them. */
function siBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** The store's footprint line: size on disk, candle rows, bytes per row. */
/** package.json's `engines.node`, kept equal to it. */
export const SUPPORTED_NODE = '^20.19.0 || >=22.12.0';

/** True for a Node version in SUPPORTED_NODE: 20.19 or a later 20.x, or 22.12 and later. */
export function supportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22;
}

export function formatStorage(stats: StorageStats): string {
  const size = stats.bytes === null ? 'size unknown' : `${siBytes(stats.bytes)} on disk`;
  const perRow = stats.bytesPerRow === null ? '' : `, ${stats.bytesPerRow.toFixed(1)} B/row`;
  return `${size}, ${stats.candleRows.toLocaleString('en-US')} candle rows${perRow}`;
}

async function probe(url: string): Promise<string> {
  try {
    const res = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    return `HTTP ${res.status}`;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return `unreachable (${cause ?? (err as Error).message})`;
  }
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check the configuration, the store and the data sources')
    .action(async (_opts: unknown, cmd: Command) => {
      let failed = false;
      const say = (ok: boolean, line: string): void => {
        if (!ok) failed = true;
        process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${line}\n`);
      };
      say(supportedNode(process.versions.node), `node ${process.versions.node} (${SUPPORTED_NODE} needed, as package.json's engines)`);
      const opts = globalOptions(cmd);
      let loaded;
      try {
        loaded = loadConfig(opts);
        say(true, `config ${loaded.path ?? '(defaults, no tickerflow.toml)'}`);
      } catch (err) {
        say(false, `config: ${(err as Error).message}`);
        process.exitCode = 1;
        return;
      }
      const { config, secrets } = loaded;
      const db = config.store.db;
      const duckFile = db !== ':memory:' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(db) && db.trim() !== '';
      if (duckFile && !existsSync(db)) {
        // A check creates nothing: a mistyped path is shown as it is, not made into an empty store.
        say(true, `store: no DuckDB file at ${resolve(db)} yet (the first backfill, sync or demo creates it; check --db or [store] db if one should be there)`);
      } else {
        try {
          const store = await openStore(config.store.db, { duckdbMemoryLimit: config.store.duckdb_memory_limit, duckdbThreads: config.store.duckdb_threads });
          const jobs = await store.listJobs(1);
          say(true, `store ${store.kind} at ${store.location} (schema up to date; ${jobs.length === 0 ? 'no jobs yet' : `last job ${jobs[0]?.kind} ${jobs[0]?.status}`})`);
          say(true, `store size: ${formatStorage(await store.storageStats())}`);
          if (store instanceof DuckDbStore) {
            const { memoryLimit, threads } = await store.settings();
            say(true, `duckdb memory_limit ${memoryLimit}, ${threads} threads ([store] duckdb_memory_limit, duckdb_threads)`);
          }
          await store.close();
        } catch (err) {
          say(false, `store: ${(err as Error).message}`);
        }
      }
      const s = config.sources;
      const checks: Array<[string, string]> = [
        ['binance REST', `${s.binance_rest}/api/v3/ping`],
        ['binance archive listing', `${s.binance_archive_list}?delimiter=/&prefix=data/spot/daily/klines/BTCUSDT/1m/&max-keys=1`],
        // A small object the archive has held since 2020: the files themselves come from this host.
        ['binance archive files', `${s.binance_archive}/data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-01.zip.CHECKSUM`],
        ['coingecko', `${s.coingecko}/ping`],
      ];
      for (const [name, url] of checks) {
        const status = await probe(url);
        say(status.startsWith('HTTP 2'), `${name}: ${status} (${new URL(url).origin})`);
      }
      say(true, `CoinGecko API key: ${secrets.coingeckoApiKey === undefined ? 'not set (keyless, shared IP limit)' : 'set (not shown)'}`);
      if (failed) process.exitCode = 1;
    });
}
