/**
 * Indicator state shared by every rule: one stream per (symbol, interval, indicator, params,
 * input field), stepped once per closed bar with the catalog's streaming indicators, never
 * recomputed from scratch.
 */
import { intervalMs, type Interval } from '../core/intervals.js';
import { STREAM_CATALOG, type MadeStream } from '../indicators/stream-catalog.js';
import type { IndicatorRef } from './rule-ast.js';
import type { EvalBar } from './rule-evaluator.js';
import type { SeriesBar } from './rule-runner.js';

/**
 * Bars a stream is seeded with before the first evaluated bar: four times its warm-up plus 100,
 * so that the recursive ones (EMA, RSI, MACD: TA-Lib seeding) have forgotten their start. The
 * live engine and the preview seed from the same window before their first bar, so they agree.
 */
export function seedBars(warmup: number): number {
  return 4 * warmup + 100;
}

/** One output of a shared stream at the last bar stepped, as a rule reads it: NaN while warming up. */
export class OutputCell {
  value = NaN;
  /** The output on the forming bar last peeked (StreamCell.peek), for `once_per_bar` rules; `value` stays the closed bar's. */
  peeked = NaN;
  constructor(readonly output: string | null) {}
}

/** One shared stream and its output at the last bar stepped. */
export class StreamCell {
  value: number | Readonly<Record<string, number>> = NaN;
  readonly seedBars: number;
  /** The outputs rules read, updated at each step (a rule then reads a number, no lookup by name). */
  private readonly outputs: OutputCell[] = [];
  /** A copy of the stream stepped with the forming bar (peek), and that bar's open time; dropped at the next real step. */
  private tentative: MadeStream | null = null;
  private tentativeOpenTime = NaN;
  constructor(private readonly made: MadeStream) {
    this.seedBars = seedBars(made.warmup);
  }

  step(bar: Readonly<Required<EvalBar & { openTime: number }>>): void {
    this.tentative = null;
    this.tentativeOpenTime = NaN;
    this.value = this.made.step(bar);
    for (const o of this.outputs) o.value = this.read(o.output);
  }

  /**
   * The outputs as if `bar`, still forming, were the next bar, into each cell's `peeked`. The
   * stream itself is not stepped: a copy of it is (MadeStream.fork), once per bar; the bar's later
   * peeks replace that copy's last bar (`replace` equals `update` with that bar), so a peek costs
   * one step, and one copy per bar.
   */
  peek(bar: Readonly<Required<EvalBar & { openTime: number }>>): void {
    let v: number | Readonly<Record<string, number>>;
    if (this.tentative !== null && this.tentativeOpenTime === bar.openTime) {
      v = this.tentative.replace(bar);
    } else {
      this.tentative = this.made.fork();
      this.tentativeOpenTime = bar.openTime;
      v = this.tentative.step(bar);
    }
    for (const o of this.outputs) o.peeked = outputOf(v, o.output);
  }

  /** The output named `output` (null for a single-output stream); NaN while warming up. */
  read(output: string | null): number {
    return outputOf(this.value, output);
  }

  /** The cell holding {@link read}(output) after every step, shared by the rules that read it. */
  output(output: string | null): OutputCell {
    let o = this.outputs.find((x) => x.output === output);
    if (o === undefined) {
      o = new OutputCell(output);
      o.value = this.read(output);
      this.outputs.push(o);
    }
    return o;
  }
}

function outputOf(v: number | Readonly<Record<string, number>>, output: string | null): number {
  if (typeof v === 'number') return v;
  return output === null ? NaN : (v[output] ?? NaN);
}

/** The streams of one series, and the last bar stepped into them. */
export class SeriesStreams {
  readonly cells = new Map<string, StreamCell>();
  /** The cells `once_per_bar` rules read on this series' forming bar: the only ones {@link peek} steps. */
  readonly peekedCells = new Set<StreamCell>();
  /**
   * Open time of a closed bar still waiting for its grace period (readClosedBars' `waitingFrom`),
   * or null: a later bar is not peeked meanwhile, its streams lack that bar.
   */
  waitingFrom: number | null = null;
  readonly intervalMs: number;
  /** Open time of the last bar stepped, or null before the first. */
  lastOpenTime: number | null = null;
  lastBar: EvalBar | null = null;
  /** The runner's step at which this series last closed a bar, and that bar (rule-runner.ts). */
  closingStep = 0;
  closingBar: SeriesBar | null = null;
  /** The runner's step at which this series' forming bar was last peeked, and that bar with the close of its last minute (rule-runner.ts). */
  peekStep = 0;
  peekBar: SeriesBar | null = null;

  constructor(
    readonly symbol: string,
    readonly interval: Interval,
  ) {
    this.intervalMs = intervalMs(interval);
  }

  cell(ref: IndicatorRef): StreamCell {
    let c = this.cells.get(ref.streamKey);
    if (c === undefined) {
      const entry = STREAM_CATALOG[ref.spec.name];
      if (entry === undefined) throw new Error(`indicator ${ref.spec.name} has no streaming form`);
      c = new StreamCell(entry.make(ref.spec.params, ref.source));
      this.cells.set(ref.streamKey, c);
    }
    return c;
  }

  /** Bars the seed window must span so that every stream gets its own seed. */
  seedSpan(): number {
    let most = 0;
    for (const c of this.cells.values()) most = Math.max(most, c.seedBars);
    return most;
  }

  /**
   * Seeds from the bars closed before `seedEnd` (on this interval's grid), ascending: each stream
   * takes only the bars of its own seed window, so what a stream holds does not depend on which
   * other rules share the series.
   */
  seed(bars: readonly EvalBar[], seedEnd: number): void {
    for (const c of this.cells.values()) {
      const from = seedEnd - c.seedBars * this.intervalMs;
      for (const b of bars) if (b.openTime >= from && b.openTime < seedEnd) c.step(b);
    }
    const last = bars.length > 0 ? bars[bars.length - 1] : undefined;
    if (last !== undefined) {
      this.lastOpenTime = last.openTime;
      this.lastBar = last;
    }
  }

  step(bar: EvalBar): void {
    for (const c of this.cells.values()) c.step(bar);
    this.lastOpenTime = bar.openTime;
    this.lastBar = bar;
  }

  /** Peeks the forming bar into the cells `once_per_bar` rules read (StreamCell.peek). */
  peek(bar: EvalBar): void {
    for (const c of this.peekedCells) c.peek(bar);
  }
}

/** Every series' streams, by symbol and interval. */
export class IndicatorPool {
  /** By symbol, then interval: no key string built per lookup (one per bar in the preview). */
  private readonly bySymbol = new Map<string, Map<Interval, SeriesStreams>>();
  /** In creation order. */
  private readonly list: SeriesStreams[] = [];

  series(symbol: string, interval: Interval): SeriesStreams {
    let m = this.bySymbol.get(symbol);
    if (m === undefined) {
      m = new Map<Interval, SeriesStreams>();
      this.bySymbol.set(symbol, m);
    }
    let s = m.get(interval);
    if (s === undefined) {
      s = new SeriesStreams(symbol, interval);
      m.set(interval, s);
      this.list.push(s);
    }
    return s;
  }

  all(): IterableIterator<SeriesStreams> {
    return this.list.values();
  }
}
