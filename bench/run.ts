/**
 * `npm run bench`: the history benchmarks (issue 3), then the indicator benchmark (issue 4), in
 * one run, written to docs/BENCHMARKS.md with the machine and the command of each section; then
 * the scale benchmark (issue 15), written to bench/scale/REPORT.md for the lead to paste into
 * docs/BENCHMARKS.md once run at full size (30x24 takes tens of minutes); the alerts (issue 16) and
 * stream (issue 17) and scaleout (issue 18: needs NATS JetStream and PostgreSQL) sections.
 *
 *   npm run bench [-- --only history|indicators|scale|alerts|stream|scaleout] [-- --quick]
 *   npm run bench -- --only scale [--size 3x3] [--latency-ms 50] [--cache DIR] [--backends duckdb,postgres]
 *
 * With `--only`, the other section of an existing docs/BENCHMARKS.md is kept as it was (each
 * section says the command and the run that produced it). A benchmark that cannot load or run
 * fails the whole command: nothing is skipped silently.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runAlertsBench } from './alerts/run.js';
import { runHistoryBench } from './history/run-history-bench.js';
import { runScaleOutBench } from './scaleout/run.js';
import { runStreamBench } from './stream/run.js';
import { FULL_SIZE, runScaleBench, type Backend } from './scale/run-scale-bench.js';
import { DEFAULT_SCALE_CACHE } from '../src/cli/commands/replay-server.js';
import { parseScaleSpec } from '../src/replay/index.js';

const DOC = fileURLToPath(new URL('../docs/BENCHMARKS.md', import.meta.url));
const SCALE_REPORT = fileURLToPath(new URL('./scale/REPORT.md', import.meta.url));
const SECTIONS = ['history', 'indicators', 'scale', 'alerts', 'stream', 'scaleout'] as const;
type Section = (typeof SECTIONS)[number];
/** Sections whose results go to docs/BENCHMARKS.md directly; scale goes to its REPORT.md. */
const DOC_SECTIONS: readonly Section[] = ['history', 'indicators', 'alerts', 'stream', 'scaleout'];

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function machine(): string {
  const cpu = cpus();
  const load = loadavg().map((x) => x.toFixed(1)).join(', ');
  return `${cpu.length} CPUs (nproc; ${cpu[0]?.model.trim() ?? 'unknown model'}), Node ${process.version}, ${process.platform}/${process.arch}; load average at the end ${load}`;
}

function runLine(command: string, startedAt: Date, loadAtStart: string): string {
  return `_Command: \`${command}\`; run ${startedAt.toISOString()}; ${machine()} (at the start ${loadAtStart}). ` +
    'The machine is shared with other jobs and noisy: figures move between runs, the ratios less than the absolute rates._';
}

function markers(s: Section): [string, string] {
  return [`<!-- bench:${s}:start -->`, `<!-- bench:${s}:end -->`];
}

/** The doc with section `s`'s body replaced, or the section appended when the doc has no markers for it. */
function replaceSection(doc: string, s: Section, body: string): string {
  const [a, b] = markers(s);
  const i = doc.indexOf(a);
  const j = doc.indexOf(b);
  if (i >= 0 && j > i) return `${doc.slice(0, i + a.length)}\n${body}\n${doc.slice(j)}`;
  return `${doc.trimEnd()}\n\n${a}\n${body}\n${b}\n`;
}

async function indicatorSection(quick: boolean): Promise<string> {
  let mod: unknown;
  try {
    mod = await import('./indicators/run.js');
  } catch (err) {
    fail(`could not load bench/indicators/run.ts: ${err instanceof Error ? err.message : String(err)}`);
  }
  const run = typeof mod === 'object' && mod !== null && 'runIndicatorBench' in mod ? mod.runIndicatorBench : undefined;
  if (typeof run !== 'function') fail('bench/indicators/run.ts does not export runIndicatorBench');
  const md: unknown = await run({ log, ...(quick ? { rounds: 2 } : {}) });
  if (typeof md !== 'string' || md.trim() === '') fail('runIndicatorBench returned no markdown');
  return md;
}

async function main(): Promise<void> {
  let values: { only?: string; quick?: boolean; size?: string; 'latency-ms'?: string; cache?: string; backends?: string };
  try {
    ({ values } = parseArgs({
      options: { only: { type: 'string' }, quick: { type: 'boolean' }, size: { type: 'string' }, 'latency-ms': { type: 'string' }, cache: { type: 'string' }, backends: { type: 'string' } },
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const only = values.only;
  if (only !== undefined && !(SECTIONS as readonly string[]).includes(only)) fail(`--only must be one of ${SECTIONS.join(', ')}, not "${only}"`);
  const quick = values.quick === true;
  const wanted = SECTIONS.filter((s) => only === undefined || s === only);
  const latencyText = values['latency-ms'] ?? '50';
  if (!/^\d{1,6}$/.test(latencyText)) fail(`--latency-ms must be a whole number of milliseconds, not "${latencyText}"`);
  const backends = (values.backends ?? 'duckdb,postgres').split(',');
  if (!backends.every((b): b is Backend => b === 'duckdb' || b === 'postgres')) fail(`--backends must be duckdb, postgres or both (comma-separated), not "${values.backends}"`);
  const scaleFlags = [
    ...(values.size ? [`--size ${values.size}`] : []),
    ...(values['latency-ms'] ? [`--latency-ms ${latencyText}`] : []),
    ...(values.cache ? [`--cache ${values.cache}`] : []),
    ...(values.backends ? [`--backends ${values.backends}`] : []),
  ];
  if (scaleFlags.length > 0 && !wanted.includes('scale')) fail('--size, --latency-ms, --cache and --backends apply to the scale section only');
  try {
    parseScaleSpec(values.size ?? FULL_SIZE);
  } catch (err) {
    fail(`--size: ${(err as Error).message.replace(/^--scale /, '')}`);
  }
  const flags = [...(only ? [`--only ${only}`] : []), ...(quick ? ['--quick'] : []), ...scaleFlags];
  const command = ['npm run bench', ...(flags.length > 0 ? ['--', ...flags] : [])].join(' ');

  const old = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
  const bodies = new Map<Section, string>();
  for (const s of wanted) {
    const startedAt = new Date();
    const loadAtStart = loadavg().map((x) => x.toFixed(1)).join(', ');
    log(`bench: ${s}${quick ? ' (quick)' : ''}`);
    if (s === 'scale') {
      const md = await runScaleBench({ size: values.size ?? FULL_SIZE, latencyMs: Number(latencyText), cacheDir: values.cache ?? DEFAULT_SCALE_CACHE, backends, command, log });
      writeFileSync(SCALE_REPORT, `${runLine(command, startedAt, loadAtStart)}\n\n${md.trim()}\n`);
      log(`bench: wrote ${SCALE_REPORT}`);
      continue;
    }
    const md =
      s === 'history' ? await runHistoryBench({ rounds: quick ? 3 : 7, log })
      : s === 'alerts' ? await runAlertsBench({ log, quick })
      : s === 'stream' ? await runStreamBench({ log, quick })
      : s === 'scaleout' ? await runScaleOutBench({ log, quick })
      : await indicatorSection(quick);
    bodies.set(s, `${runLine(command, startedAt, loadAtStart)}\n\n${md.trim()}`);
  }
  if (!wanted.some((s) => DOC_SECTIONS.includes(s))) return;
  // Each measured section replaces its own markers' body in place; everything else in the doc (the
  // sections measured by hand, the scale section pasted from bench/scale/REPORT.md) is kept as it is.
  let doc = old.trim() === '' ? '# Benchmarks\n\nWritten by `npm run bench` (`node --import tsx/esm bench/run.ts`).\n' : old;
  for (const s of SECTIONS) {
    const body = bodies.get(s);
    if (body === undefined) continue;
    doc = replaceSection(doc, s, body);
  }
  writeFileSync(DOC, doc);
  log(`bench: wrote ${DOC}`);
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
