/**
 * Indicator benchmark (issue 4, "Speed"): ns/bar of each indicator, batch and streaming, ours
 * against TA-Lib's C, Tulip (C and the tulind addon), trading-signals and technicalindicators, on
 * the same generated bars in one run. Runnable on its own:
 *
 *   node --import tsx/esm bench/indicators/run.ts [--bars N] [--rounds R] [--only KEY] [--no-peers] [--clock cpu|wall] [--in-process]
 *
 * and exported as {@link runIndicatorBench} for bench/run.ts. Prints markdown for docs/BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_CASES, type BenchCase, type PeerData, type PeerName } from './cases.js';
import { buildHarness, harnessCompileCommand, runHarness, writeHarnessBars, type HarnessOutput, type HarnessResult } from './c-harness.js';
import { findBatch, findStream, loadOurIndicators } from './our-indicators.js';
import { renderIndicatorReport, type CaseResult, type Cell } from './report.js';
import { generateBars, type BenchBars } from './synthetic-bars.js';
import { compileStreamLoop, rotate, timePerBar, type Clock } from './timing.js';

export interface IndicatorBenchOptions {
  /** Bars per run (default 1,000,000, the issue's size). */
  bars?: number;
  seed?: number;
  /** Measured rounds after one warm-up round (default 5); slow peers run at most 3. */
  rounds?: number;
  /** Timed runs of each C function per round (default 5). */
  harnessK?: number;
  /** Only cases whose key contains this text. */
  only?: string;
  /**
   * Measure each case in a child process of its own (default true). V8's inlining and feedback
   * for the helpers all indicators share depend on everything the process ran before: in one
   * process the same streaming RSI read 13.4 ns/update in one full run and 50.0 in the next
   * (13.1 alone). Within a case, ours and the peers still alternate in one process.
   */
  isolate?: boolean;
  /** Skip the JS peer libraries (fast check of ours against TA-Lib C only). */
  peers?: boolean;
  /** `cpu` (default): process CPU time, robust to a busy shared machine; `wall`: wall time. */
  clock?: Clock;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const DEFAULT_COMMAND = 'node --import tsx/esm bench/indicators/run.ts';

/**
 * Untimed runs of each fast job before the rounds. V8 first runs a 1M-bar loop as on-stack-replaced
 * code, which measured 1.5–2× slower than the code it settles on after about ten calls (SMA:
 * 2.2–4 → 1.4 ns/bar); the rounds should time the settled code, as a long-running process runs it.
 */
const WARM_RUNS = 12;

interface Job {
  caseKey: string;
  cell: string;
  /** One measurement of the whole column, ns/bar. */
  run: () => number;
  samples: number[];
  maxRounds: number;
}

let sinkValue: unknown;
const sink = (r: unknown): void => {
  sinkValue = r;
};

function peerData(b: BenchBars): PeerData {
  const bars = Array.from({ length: b.close.length }, (_, i) => ({
    open: b.open[i]!, high: b.high[i]!, low: b.low[i]!, close: b.close[i]!, volume: b.volume[i]!, openTime: b.openTime[i]!,
  }));
  return { open: Array.from(b.open), high: Array.from(b.high), low: Array.from(b.low), close: Array.from(b.close), volume: Array.from(b.volume), bars };
}

/** Last value of each output series (a Float64Array, or an object of them). */
function lastValues(out: unknown): number[] {
  if (out instanceof Float64Array) return [out[out.length - 1]!];
  if (typeof out === 'object' && out !== null) {
    return Object.values(out).filter((v): v is Float64Array => v instanceof Float64Array).map((v) => v[v.length - 1]!);
  }
  return [];
}

/**
 * The caller buffer for `fn`'s optional trailing `out` parameter, or undefined when `fn` ignores
 * it (it returned fresh arrays): one allocating call gives arrays of the right shape, and a
 * second call that hands them back proves the indicator writes into them.
 */
function reusableOut(fn: (out?: unknown) => unknown): unknown {
  let buf: unknown;
  let got: unknown;
  try {
    buf = fn();
    got = fn(buf);
  } catch {
    return undefined; // the allocating form throws too, and the warm-up round reports it
  }
  if (buf instanceof Float64Array) return got === buf ? buf : undefined;
  if (typeof buf !== 'object' || buf === null || typeof got !== 'object' || got === null) return undefined;
  const fields = Object.entries(buf);
  return fields.length > 0 && fields.every(([k, v]) => v instanceof Float64Array && Reflect.get(got, k) === v) ? buf : undefined;
}

/** Bars with a pattern (neither 0 nor NaN) in a candlestick output; -1 if `out` is not one series. */
function patternBars(out: unknown): number {
  if (!(out instanceof Float64Array)) return -1;
  let hits = 0;
  for (const x of out) if (x !== 0 && !Number.isNaN(x)) hits++;
  return hits;
}

/**
 * Every TA-Lib output's last value is matched by one of ours to 1e-9 relative; for candlestick
 * patterns (the harness reports `hits`, the bars with a pattern) the counts must also be equal,
 * since the last bar alone is almost always 0 on both sides.
 */
function agrees(out: unknown, talib: HarnessResult): boolean {
  const ours = lastValues(out);
  const last = talib.last.every((t) => ours.some((o) => Math.abs(o - t) <= 1e-9 * Math.max(1, Math.abs(t))));
  return last && (talib.hits === undefined || patternBars(out) === talib.hits);
}

/** Arguments of our batch form: `(...lead, input, ...args)`, see BenchCase. */
const batchArgs = (c: BenchCase, input: unknown): unknown[] => [...(c.ours.lead ?? []), input, ...c.ours.args];

/** What one measurement (of all cases, or of one in a child process) found. */
interface Measured {
  results: CaseResult[];
  missing: string[];
  failedFiles: { file: string; reason: string }[];
  errors: string[];
  talibVersion: string;
}

/** Runs the benchmark and returns the markdown section. */
export async function runIndicatorBench(opts: IndicatorBenchOptions = {}): Promise<string> {
  const n = opts.bars ?? 1_000_000;
  const log = opts.log ?? (() => {});
  const cases = BENCH_CASES.filter((c) => opts.only === undefined || c.key.includes(opts.only));
  let m: Measured;
  if (opts.isolate === false) m = await measure(cases, opts);
  else {
    m = { results: [], missing: [], failedFiles: [], errors: [], talibVersion: '?' };
    for (const [k, c] of cases.entries()) {
      log(`[${k + 1}/${cases.length}] ${c.key} (own process)`);
      const one = measureInChild(c.key, opts);
      m.results.push(...one.results);
      m.missing.push(...one.missing);
      m.errors.push(...one.errors);
      for (const f of one.failedFiles) if (!m.failedFiles.some((x) => x.file === f.file)) m.failedFiles.push(f);
      if (one.talibVersion !== '?') m.talibVersion = one.talibVersion;
    }
  }
  const cpu = cpus();
  return renderIndicatorReport({
    command: opts.bars === undefined && opts.only === undefined ? DEFAULT_COMMAND : `${DEFAULT_COMMAND} --bars ${n}${opts.only ? ` --only '${opts.only}'` : ''}`,
    bars: n,
    seed: opts.seed ?? 42,
    rounds: opts.rounds ?? 5,
    harnessK: opts.harnessK ?? 5,
    clock: opts.clock ?? 'cpu',
    node: process.version,
    // os.cpus() reports 0 MHz inside this VM: a clock is printed only when the OS knows one.
    cpu: `${cpu[0]?.model ?? 'unknown CPU'} ×${cpu.length}${cpu[0]?.speed ? ` at ${cpu[0].speed} MHz` : ''} (shared)`,
    talibVersion: m.talibVersion,
    compile: harnessCompileCommand().map((a) => a.split(`${ROOT}/`).join('')).join(' '),
    isolated: opts.isolate !== false,
    cases: m.results,
    missing: m.missing,
    failedFiles: m.failedFiles,
    errors: m.errors,
  });
}

/** One case measured by `run.ts --case KEY --json` in a fresh Node process. */
function measureInChild(key: string, opts: IndicatorBenchOptions): Measured {
  // tsx's ESM hooks only: its CommonJS hook (plain `--import tsx`) transforms every CommonJS
  // module it loads (tulind, technicalindicators) in a way that detaches an ArrayBuffer, and one
  // detach anywhere in a process makes V8 check for a detached buffer on every typed-array access
  // from then on: the same SMA loop measured 1.73 ns/bar, and 2.18 after such a load (2.06 → 2.58
  // for a plain loop). The compiled CLI runs under plain node, where loading them detaches nothing.
  const args = ['--import', 'tsx/esm', fileURLToPath(import.meta.url), '--case', key, '--json'];
  if (opts.bars !== undefined) args.push('--bars', String(opts.bars));
  if (opts.rounds !== undefined) args.push('--rounds', String(opts.rounds));
  if (opts.clock !== undefined) args.push('--clock', opts.clock);
  if (opts.peers === false) args.push('--no-peers');
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`indicator bench: the child process for ${key} failed (exit ${r.status ?? r.signal})`);
  const raw = JSON.parse(r.stdout) as Omit<Measured, 'results'> & { results: (Omit<CaseResult, 'cells'> & { cells: [string, Cell][] })[] };
  return { ...raw, results: raw.results.map((x) => ({ ...x, cells: new Map(x.cells) })) };
}

/** Measures `cases` in this process. */
async function measure(cases: BenchCase[], opts: IndicatorBenchOptions): Promise<Measured> {
  const n = opts.bars ?? 1_000_000;
  const seed = opts.seed ?? 42;
  const rounds = opts.rounds ?? 5;
  const harnessK = opts.harnessK ?? 5;
  const log = opts.log ?? (() => {});
  const clock = opts.clock ?? 'cpu';
  const harnessFilter = cases.length === 1 ? cases[0]!.key : opts.only;

  log(`generating ${n} bars (seed ${seed})`);
  const bars = generateBars(n, seed);
  const data = peerData(bars);
  const ours = await loadOurIndicators();
  const bin = buildHarness();
  const barsFile = writeHarnessBars(bars, `bars-${n}-${seed}.bin`);

  const jobs: Job[] = [];
  const results: CaseResult[] = [];
  const missing: string[] = [];
  for (const c of cases) {
    const cells = new Map<string, Cell>();
    const result: CaseResult = { key: c.key, cells, agreesWithTalib: undefined, ourNames: '' };
    results.push(result);
    const input = c.input === 'close' ? bars.close : bars;
    const batch = findBatch(ours, c.ours.batch);
    const stream = findStream(ours, c.ours.stream);
    if (!batch && !stream) missing.push(c.key);
    result.ourNames = [batch?.name, stream?.name].filter(Boolean).join(' / ');
    const add = (cell: string, run: () => number, maxRounds = rounds): void => {
      jobs.push({ caseKey: c.key, cell, run, samples: [], maxRounds });
    };
    if (batch) {
      const args = batchArgs(c, input);
      add('ours:batch', () => timePerBar(() => Reflect.apply(batch.fn, undefined, args), n, sink, clock));
      // Like the C harness: the same output buffers every run (no fresh pages touched), and the
      // fastest of `harnessK` back-to-back runs per round, as talib-harness.c times each function.
      // Back to back also lets the GC threads finish the previous job's garbage, which process
      // CPU time would otherwise bill to this run that allocates nothing.
      const out = reusableOut((o) => Reflect.apply(batch.fn, undefined, o === undefined ? args : [...args, o]));
      if (out !== undefined) {
        const withOut = [...args, out];
        const once = (): number => timePerBar(() => Reflect.apply(batch.fn, undefined, withOut), n, sink, clock);
        add('ours:into', () => Math.min(...Array.from({ length: harnessK }, once)));
      }
    }
    if (stream) {
      const loop = compileStreamLoop(`ours ${c.key}`, 'update', c.input === 'close' ? 'close' : 'bar');
      add('ours:stream', () => {
        const s = new stream.ctor(...(c.ours.lead ?? []), ...c.ours.args);
        return timePerBar(() => loop(s, bars.close, data.bars, n), n, sink, clock);
      });
    }
    for (const [id, f] of Object.entries(c.floors ?? {})) {
      const loop = compileStreamLoop(`floor ${id}`, f.stream.method, f.stream.input);
      add(`floor-${id}:stream`, () => {
        const s = f.stream.create();
        return timePerBar(() => loop(s, bars.close, data.bars, n), n, sink, clock);
      });
      result.floors = { ...result.floors, [id]: f.label };
    }
    if (opts.peers === false) continue;
    for (const [peer, impl] of Object.entries(c.peers) as [PeerName, (typeof c.peers)[PeerName]][]) {
      if (!impl) continue;
      const pb = impl.batch;
      if (pb) add(`${peer}:batch`, () => timePerBar(() => pb(data), n, sink, clock));
      const ps = impl.stream;
      if (ps) {
        const loop = compileStreamLoop(`${peer} ${c.key}`, ps.method, ps.input);
        add(`${peer}:stream`, () => {
          const s = ps.create();
          return timePerBar(() => loop(s, bars.close, data.bars, n), n, sink, clock);
        });
      }
    }
  }

  // Warm-up round: JIT every implementation and find the slow ones (> 0.3 s a run get 3 rounds).
  log(`warm-up: ${jobs.length} implementations`);
  const errors: string[] = [];
  for (const j of [...jobs]) {
    try {
      const first = j.run();
      if (first * n > 3e8) j.maxRounds = Math.min(rounds, 3);
      else for (let w = 0; w < WARM_RUNS; w++) j.run();
    } catch (err) {
      // A library (or a work-in-progress indicator) that throws on valid bars is reported, not fatal.
      errors.push(`${j.cell} ${j.caseKey}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      jobs.splice(jobs.indexOf(j), 1);
    }
  }
  // The C rounds first, then the JS rounds back to back: a JS run right after the harness process
  // measured slower (streaming EMA 7.0–7.5 ns/update against 5.8 when runs followed each other),
  // whichever implementation it was, so interleaving them handicapped whoever ran first.
  const harness: HarnessOutput[] = [];
  for (let r = 0; r < rounds; r++) harness.push(runHarness(bin, barsFile, harnessK, clock, harnessFilter));
  for (let r = 0; r < rounds; r++) {
    log(`round ${r + 1}/${rounds}`);
    for (const c of cases) {
      for (const j of rotate(jobs.filter((x) => x.caseKey === c.key), r)) {
        if (j.samples.length < j.maxRounds) j.samples.push(j.run());
      }
    }
  }
  void sinkValue;

  for (const res of results) {
    // The fastest run of each implementation, C and JS alike (see FASTEST_RUN in report.ts).
    for (const j of jobs) if (j.caseKey === res.key) res.cells.set(j.cell, { ns: Math.min(...j.samples), rounds: j.samples.length });
    for (const lib of ['talib-c', 'tulip-c'] as const) {
      const samples = harness.flatMap((h) => h.results.filter((x) => x.lib === lib && x.key === res.key).map((x) => x.nsMin));
      if (samples.length > 0) res.cells.set(`${lib}:batch`, { ns: Math.min(...samples), rounds: samples.length });
    }
    const t = harness[0]?.results.find((x) => x.lib === 'talib-c' && x.key === res.key);
    const c = cases.find((x) => x.key === res.key);
    const batch = c && findBatch(ours, c.ours.batch);
    if (t && c && batch) res.agreesWithTalib = agrees(Reflect.apply(batch.fn, undefined, batchArgs(c, c.input === 'close' ? bars.close : bars)), t);
  }

  return { results, missing, failedFiles: ours.failed, errors, talibVersion: harness[0]?.talibVersion.split(' ')[0] ?? '?' };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      bars: { type: 'string' },
      rounds: { type: 'string' },
      only: { type: 'string' },
      'no-peers': { type: 'boolean' },
      clock: { type: 'string' },
      'in-process': { type: 'boolean' },
      case: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (values.case !== undefined) {
    // Child mode (see measureInChild): one case by its exact key, results as JSON on stdout.
    const c = BENCH_CASES.find((x) => x.key === values.case);
    if (c === undefined) throw new Error(`no benchmark case "${values.case}"`);
    const m = await measure([c], {
      bars: values.bars === undefined ? undefined : Number(values.bars),
      rounds: values.rounds === undefined ? undefined : Number(values.rounds),
      peers: !values['no-peers'],
      clock: values.clock === 'wall' ? 'wall' : 'cpu',
    });
    process.stdout.write(`${JSON.stringify({ ...m, results: m.results.map((r) => ({ ...r, cells: [...r.cells] })) })}\n`);
    process.exit(0);
  }
  const md = await runIndicatorBench({
    isolate: !values['in-process'],
    bars: values.bars === undefined ? undefined : Number(values.bars),
    rounds: values.rounds === undefined ? undefined : Number(values.rounds),
    only: values.only,
    peers: !values['no-peers'],
    clock: values.clock === 'wall' ? 'wall' : 'cpu',
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(`${md}\n`);
}
