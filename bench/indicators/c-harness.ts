/**
 * Builds and runs bench/indicators/talib-harness.c: TA-Lib's C and Tulip's C timed without any
 * JS marshalling. The static libraries are the ones the `talib` npm package built during install
 * (node_modules/talib/src/lib/lib/*.a, TA-Lib's own makefiles at -O2); Tulip is compiled from the
 * amalgamation that `tulind` ships. Output goes to bench/c/build/ (gitignored).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { encodeBars, type BenchBars } from './synthetic-bars.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD = join(ROOT, 'bench/c/build');
const SOURCE = join(ROOT, 'bench/indicators/talib-harness.c');
const TALIB = join(ROOT, 'node_modules/talib/src/lib');
const TULIP = join(ROOT, 'node_modules/tulind/external');

const resultSchema = z.object({
  lib: z.enum(['talib-c', 'tulip-c']),
  key: z.string(),
  nsMedian: z.number(),
  nsMin: z.number(),
  last: z.array(z.number()),
  /** Candlestick patterns (int outputs) only: the bars with a pattern (output ≠ 0). */
  hits: z.number().int().optional(),
});
const outputSchema = z.object({
  n: z.number().int(),
  k: z.number().int(),
  talibVersion: z.string(),
  tulipVersion: z.string(),
  results: z.array(resultSchema),
});

/** One harness run: per library and indicator key, ns/bar (median and min of K) and last outputs. */
export type HarnessOutput = z.infer<typeof outputSchema>;
export type HarnessResult = z.infer<typeof resultSchema>;

/** The exact compiler command, for the benchmark report. */
export function harnessCompileCommand(): string[] {
  const libs = ['abstract', 'func', 'common', 'libc'].map((l) => join(TALIB, `lib/libta_${l}_csr.a`));
  return [
    'gcc', '-O2', '-o', join(BUILD, 'talib-harness'), SOURCE, join(TULIP, 'tiamalgamation.c'),
    `-I${join(TALIB, 'include')}`, `-I${TULIP}`, ...libs, '-lm',
  ];
}

/** Compiles the harness unless the binary is newer than its source. Returns the binary path. */
export function buildHarness(): string {
  const bin = join(BUILD, 'talib-harness');
  if (!existsSync(join(TALIB, 'lib/libta_func_csr.a'))) {
    throw new Error('TA-Lib static libraries missing: run npm install (talib builds them in node_modules/talib/src/lib/lib)');
  }
  if (!existsSync(join(TULIP, 'tiamalgamation.c'))) throw new Error('tulind is not installed: run npm install');
  mkdirSync(BUILD, { recursive: true });
  if (existsSync(bin) && statSync(bin).mtimeMs > statSync(SOURCE).mtimeMs) return bin;
  const [cc, ...args] = harnessCompileCommand();
  // Tulip's amalgamation has harmless unused-parameter style warnings; keep stderr quiet.
  execFileSync(cc!, args, { stdio: ['ignore', 'inherit', 'pipe'] });
  return bin;
}

/** Writes the bars in the harness's binary format; returns the file path. */
export function writeHarnessBars(bars: BenchBars, name: string): string {
  mkdirSync(BUILD, { recursive: true });
  const file = join(BUILD, name);
  writeFileSync(file, encodeBars(bars));
  return file;
}

/** Runs the harness once: every function warmed, then timed `k` times. */
export function runHarness(bin: string, barsFile: string, k: number, clock: 'cpu' | 'wall', filter?: string): HarnessOutput {
  const args = [barsFile, String(k), clock];
  if (filter !== undefined) args.push(filter);
  const stdout = execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  return outputSchema.parse(JSON.parse(stdout));
}
