/**
 * The indicator catalog in streaming form, for `indicators` over windows of any size: each spec's
 * `*Stream` class is fed one bar at a time, chunk after chunk, in constant memory. Each stream is
 * bitwise equal to its batch form (the indicator contract checks it), so the columns equal
 * `computeIndicators` over the whole window; names and their order are taken from the batch
 * catalog itself, so the two can never disagree on a column.
 */
import { AdxStream } from '../indicators/adx.js';
import { AdxrStream } from '../indicators/adxr.js';
import { AtrStream, NatrStream } from '../indicators/atr.js';
import { BbandsStream } from '../indicators/bbands.js';
import { CANDLE_PATTERNS, CandlePatternStream } from '../indicators/candle-patterns.js';
import { computeIndicator, computeIndicators, type IndicatorSpec } from '../indicators/catalog.js';
import { CciStream } from '../indicators/cci.js';
import { DemaStream } from '../indicators/dema.js';
import { DonchianStream } from '../indicators/donchian.js';
import { EmaStream } from '../indicators/ema.js';
import { KamaStream } from '../indicators/kama.js';
import { KeltnerStream } from '../indicators/keltner.js';
import { MacdStream } from '../indicators/macd.js';
import { MfiStream } from '../indicators/mfi.js';
import { ObvStream } from '../indicators/obv.js';
import { ParabolicSarStream } from '../indicators/parabolic-sar.js';
import { RocStream } from '../indicators/roc.js';
import { RollingVwapStream } from '../indicators/rolling-vwap.js';
import { RsiStream } from '../indicators/rsi.js';
import { SmaStream } from '../indicators/sma.js';
import { StochRsiStream } from '../indicators/stoch-rsi.js';
import { StochasticStream } from '../indicators/stochastic.js';
import { SupportResistanceStream, type SrLevel } from '../indicators/support-resistance.js';
import { TdSequentialStream } from '../indicators/td-sequential.js';
import { TdSetupStream } from '../indicators/td-setup.js';
import { TemaStream } from '../indicators/tema.js';
import type { Bar } from '../indicators/types.js';
import { VwapStream } from '../indicators/vwap.js';
import { WillrStream } from '../indicators/willr.js';
import { WmaStream } from '../indicators/wma.js';

/** One bar in, the spec's output at that bar out: a number, or named values (`{ macd, signal, histogram }`). */
type Step = (bar: Readonly<Required<Bar>>) => number | Readonly<Record<string, number>>;

interface StreamEntry {
  /** Column prefix of a multi-value output, as the batch catalog writes it (`bb` for bbands). */
  prefix?: string;
  make(p: readonly number[]): Step;
  /** Support/resistance: the levels held after the last bar. */
  levels?: true;
}

const close = (s: { update(x: number): number }): Step => (b) => s.update(b.close);
const bar = <O extends number | object>(s: { update(b: Bar): O }): Step => (b) => s.update(b) as number | Record<string, number>;

const STREAMS: Readonly<Record<string, StreamEntry>> = {
  sma: { make: ([n]) => close(new SmaStream(n)) },
  ema: { make: ([n]) => close(new EmaStream(n)) },
  wma: { make: ([n]) => close(new WmaStream(n)) },
  dema: { make: ([n]) => close(new DemaStream(n)) },
  tema: { make: ([n]) => close(new TemaStream(n)) },
  kama: { make: ([n]) => close(new KamaStream(n)) },
  rsi: { make: ([n]) => close(new RsiStream(n)) },
  stochrsi: { prefix: 'stochrsi', make: ([n, k, d]) => { const s = new StochRsiStream(n, k, d); return (b) => s.update(b.close) as unknown as Record<string, number>; } },
  macd: { prefix: 'macd', make: ([f, s, g]) => { const m = new MacdStream(f, s, g); return (b) => m.update(b.close) as unknown as Record<string, number>; } },
  bbands: { prefix: 'bb', make: ([n, u, d]) => { const s = new BbandsStream(n, u, d); return (b) => s.update(b.close) as unknown as Record<string, number>; } },
  atr: { make: ([n]) => bar(new AtrStream(n)) },
  natr: { make: ([n]) => bar(new NatrStream(n)) },
  stoch: { prefix: 'stoch', make: ([k, s, d]) => bar(new StochasticStream(k, s, d)) },
  willr: { make: ([n]) => bar(new WillrStream(n)) },
  cci: { make: ([n]) => bar(new CciStream(n)) },
  roc: { make: ([n]) => close(new RocStream(n)) },
  mfi: { make: ([n]) => bar(new MfiStream(n)) },
  obv: { make: () => bar(new ObvStream()) },
  adx: { prefix: 'adx', make: ([n]) => bar(new AdxStream(n)) },
  adxr: { make: ([n]) => bar(new AdxrStream(n)) },
  sar: { make: ([a, m]) => bar(new ParabolicSarStream(a, m)) },
  keltner: { prefix: 'kc', make: ([e, a, m]) => bar(new KeltnerStream(e, a, m)) },
  donchian: { prefix: 'dc', make: ([n]) => bar(new DonchianStream(n)) },
  vwap: { make: () => bar(new VwapStream()) },
  rvwap: { make: ([n]) => bar(new RollingVwapStream(n)) },
  td: { prefix: 'td', make: () => bar(new TdSequentialStream()) },
  tdsetup: { make: () => close(new TdSetupStream()) },
  sr: { prefix: 'sr', levels: true, make: () => { throw new Error('made by IndicatorStreams'); } },
  patterns: {
    prefix: 'cdl',
    make: () => {
      const streams = CANDLE_PATTERNS.map((p) => [p, new CandlePatternStream(p)] as const);
      const out: Record<string, number> = {};
      return (b) => {
        for (const [p, s] of streams) out[p] = s.update(b);
        return out;
      };
    },
  },
};

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** All specs, streamed: `update` returns the row of every output column for one bar. */
export class IndicatorStreams {
  /** Output columns in print order, as `computeIndicators` names them. */
  readonly names: readonly string[];
  private readonly steps: Array<{ step: Step; place(v: number | Readonly<Record<string, number>>, row: Float64Array): void }>;
  private readonly row: Float64Array;
  private sr: SupportResistanceStream | undefined;
  private readonly input = { open: 0, high: 0, low: 0, close: 0, volume: 0, openTime: 0 };

  constructor(specs: readonly IndicatorSpec[]) {
    // The batch catalog over no bars: its column names, and its refusal of two specs writing one column.
    const none = new Float64Array(0);
    const noBars = { open: none, high: none, low: none, close: none, volume: none, openTime: none };
    this.names = computeIndicators(specs, noBars).columns.map(([n]) => n);
    this.row = new Float64Array(this.names.length);
    let offset = 0;
    this.steps = specs.map((spec) => {
      const entry = STREAMS[spec.name];
      if (entry === undefined) throw new Error(`indicator ${spec.name} has no streaming form`);
      const own = computeIndicator(spec, noBars).columns.map(([n]) => n);
      const first = offset;
      offset += own.length;
      let step: Step;
      if (entry.levels === true) {
        const [n = 5, tol = 0.005] = spec.params;
        const sr = new SupportResistanceStream({ left: n, right: n, tolerance: tol });
        this.sr = sr;
        step = (b) => sr.update(b) as unknown as Record<string, number>;
      } else step = entry.make(spec.params);
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
    return this.sr?.levels();
  }
}
