/**
 * `npm run bench`: the history benchmarks (issue 3), then the indicator benchmark (issue 4), in
 * one run, written to docs/BENCHMARKS.md with the machine and the command of each section.
 *
 *   npm run bench [-- --only history|indicators] [-- --quick]
 *
 * With `--only`, the other section of an existing docs/BENCHMARKS.md is kept as it was (each
 * section says the command and the run that produced it). A benchmark that cannot load or run
 * fails the whole command: nothing is skipped silently.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runHistoryBench } from './history/run-history-bench.js';

const DOC = fileURLToPath(new URL('../docs/BENCHMARKS.md', import.meta.url));
const SECTIONS = ['history', 'indicators'] as const;
type Section = (typeof SECTIONS)[number];

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

/** The section body currently in the doc, if any. */
function existingSection(doc: string, s: Section): string | null {
  const [a, b] = markers(s);
  const i = doc.indexOf(a);
  const j = doc.indexOf(b);
  return i >= 0 && j > i ? doc.slice(i + a.length, j).trim() : null;
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
  let values: { only?: string; quick?: boolean };
  try {
    ({ values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean' } } }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const only = values.only;
  if (only !== undefined && !(SECTIONS as readonly string[]).includes(only)) fail(`--only must be one of ${SECTIONS.join(', ')}, not "${only}"`);
  const quick = values.quick === true;
  const wanted = SECTIONS.filter((s) => only === undefined || s === only);
  const command = ['npm run bench', ...(only !== undefined || quick ? ['--'] : []), ...(only ? [`--only ${only}`] : []), ...(quick ? ['--quick'] : [])].join(' ');

  const old = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
  const bodies = new Map<Section, string>();
  for (const s of wanted) {
    const startedAt = new Date();
    const loadAtStart = loadavg().map((x) => x.toFixed(1)).join(', ');
    log(`bench: ${s}${quick ? ' (quick)' : ''}`);
    const md = s === 'history' ? await runHistoryBench({ rounds: quick ? 3 : 7, log }) : await indicatorSection(quick);
    bodies.set(s, `${runLine(command, startedAt, loadAtStart)}\n\n${md.trim()}`);
  }
  const parts = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (`node --import tsx/esm bench/run.ts`; options `--only history|indicators`, `--quick`). ' +
      'Each section names the command and the run that produced it. Do not edit by hand: rerun the command.',
    '',
  ];
  for (const s of SECTIONS) {
    const body = bodies.get(s) ?? existingSection(old, s);
    if (body === null) continue;
    const [a, b] = markers(s);
    parts.push(a, body, b, '');
  }
  writeFileSync(DOC, parts.join('\n'));
  log(`bench: wrote ${DOC}`);
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
