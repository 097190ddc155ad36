/**
 * The package as a library: a plain .mjs script imports 'tickerflow' (resolved through
 * package.json "exports" to the built dist/), backfills into a DuckDB file of its own against the
 * replay server and reads the candles back. The daily roll-up it prints is checked against
 * Binance's own 1d klines (a recorded REST response), a source that shares no code with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./backfill-script.mjs', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : name.endsWith('.ts') ? s.mtimeMs : 0);
  }
  return newest;
}

/** Builds dist/ unless it is newer than every source file (the script runs the compiled package). */
function ensureBuilt(): void {
  const entry = join(ROOT, 'dist', 'index.js');
  const sources = Math.max(newestMtime(join(ROOT, 'src')), statSync(join(ROOT, 'tsconfig.build.json')).mtimeMs);
  if (existsSync(entry) && statSync(entry).mtimeMs >= sources) return;
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(tsc.status, 0, `npm run build failed:\n${tsc.stdout}${tsc.stderr}`);
}

test('library - a script importing "tickerflow" backfills a DuckDB file via the replay server and reads the candles back', () => {
  ensureBuilt();
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; import: string }>; types: string };
  assert.ok(existsSync(join(ROOT, pkg.exports['.']!.import)), 'exports "." points at the built entry');
  assert.ok(existsSync(join(ROOT, pkg.types)) && existsSync(join(ROOT, pkg.exports['.']!.types)), 'types are emitted where package.json says');
  assert.match(readFileSync(join(ROOT, 'dist', 'pipeline', 'create-sources.d.ts'), 'utf8'), /export declare function createSources\(config: Config, options\?: CreateSourcesOptions\): BuiltSources;/);

  const dir = mkdtempSync(join(tmpdir(), 'tf-lib-'));
  try {
    const run = spawnSync(process.execPath, [SCRIPT, join(dir, 'analysis.duckdb')], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as {
      results: unknown[];
      rows: number;
      days: Array<{ day: number; open: number; high: number; low: number; close: number; volume: number; minutes: number }>;
      lastRsi14: number;
    };
    assert.deepEqual(out.results, [{ symbol: 'BTCUSDT', archiveFiles: 3, archiveRows: 4320, restRows: 0, rejectedFiles: [] }]);
    assert.equal(out.rows, 4320);
    const binance1d = (JSON.parse(readFileSync(join(ROOT, 'fixtures/binance-rest/klines/BTCUSDT/1d/2020-01-01.json'), 'utf8')) as string[][]).slice(0, 3);
    assert.equal(out.days.length, 3);
    out.days.forEach((d, i) => {
      const k = binance1d[i]!;
      assert.equal(d.day * 86_400_000, Number(k[0]), `day ${i} open time`);
      assert.equal(d.minutes, 1440);
      assert.deepEqual([d.open, d.high, d.low, d.close], [Number(k[1]), Number(k[2]), Number(k[3]), Number(k[4])], `day ${i} OHLC`);
      assert.ok(Math.abs(d.volume - Number(k[5])) < 1e-6, `day ${i} volume ${d.volume} vs ${k[5]}`);
    });
    assert.ok(out.lastRsi14 > 0 && out.lastRsi14 < 100, `rsi from the exported indicators: ${out.lastRsi14}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
