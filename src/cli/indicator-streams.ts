/**
 * The indicator catalog in streaming form, for `indicators` over windows of any size: each spec's
 * `*Stream` class is fed one bar at a time, chunk after chunk, in constant memory. Each stream is
 * bitwise equal to its batch form (the indicator contract checks it), so the columns equal
 * `computeIndicators` over the whole window; names and their order are taken from the batch
 * catalog itself, so the two can never disagree on a column.
 */
import { computeIndicator, computeIndicators, type IndicatorSpec } from '../indicators/catalog.js';
import { STREAM_CATALOG, type StreamStep } from '../indicators/stream-catalog.js';
import type { SrLevel } from '../indicators/support-resistance.js';

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** All specs, streamed: `update` returns the row of every output column for one bar. */
export class IndicatorStreams {
  /** Output columns in print order, as `computeIndicators` names them. */
  readonly names: readonly string[];
  private readonly steps: Array<{ step: StreamStep; place(v: number | Readonly<Record<string, number>>, row: Float64Array): void }>;
  private readonly row: Float64Array;
  private srLevels: (() => SrLevel[]) | undefined;
  private readonly input = { open: 0, high: 0, low: 0, close: 0, volume: 0, openTime: 0 };

  constructor(specs: readonly IndicatorSpec[]) {
    // The batch catalog over no bars: its column names, and its refusal of two specs writing one column.
    const none = new Float64Array(0);
    const noBars = { open: none, high: none, low: none, close: none, volume: none, openTime: none };
    this.names = computeIndicators(specs, noBars).columns.map(([n]) => n);
    this.row = new Float64Array(this.names.length);
    let offset = 0;
    this.steps = specs.map((spec) => {
      const entry = STREAM_CATALOG[spec.name];
      if (entry === undefined) throw new Error(`indicator ${spec.name} has no streaming form`);
      const own = computeIndicator(spec, noBars).columns.map(([n]) => n);
      const first = offset;
      offset += own.length;
      const made = entry.make(spec.params, 'close');
      if (made.levels !== undefined) this.srLevels = made.levels;
      const step = made.step;
      // Where each named output lands, found on the first bar: the batch column `${prefix}_${snake(key)}`.
      let at: Array<[string, number]> | undefined;
      const place = (v: number | Readonly<Record<string, number>>, row: Float64Array): void => {
        if (typeof v === 'number') {
          row[first] = v;
          return;
        }
        at ??= Object.keys(v).map((k) => {
          const j = own.indexOf(`${entry.prefix}_${snake(k)}`);
          if (j < 0) throw new Error(`${spec.name}: stream output ${k} is not a column of the batch catalog (${own.join(', ')})`);
          return [k, first + j];
        });
        for (const [k, j] of at) row[j] = v[k] as number;
      };
      return { step, place };
    });
  }

  /** The output row at the next bar (overwritten by the following call). */
  update(open: number, high: number, low: number, closeValue: number, volume: number, openTime: number): Float64Array {
    const b = this.input;
    b.open = open;
    b.high = high;
    b.low = low;
    b.close = closeValue;
    b.volume = volume;
    b.openTime = openTime;
    for (const s of this.steps) s.place(s.step(b), this.row);
    return this.row;
  }

  /** Support/resistance levels after the last bar, when `sr` is among the specs. */
  levels(): SrLevel[] | undefined {
    return this.srLevels?.();
  }
}
