/**
 * The indicator catalog in streaming form: for each catalog name, how to build its `*Stream` and
 * feed it one bar at a time. Shared by the `indicators` command (cli/indicator-streams.ts) and the
 * alerts' indicator pool, so a column and an alert operand come from the same stream.
 *
 * Indicators over closes (`input: 'close'`) may read another bar field instead (`sma:20(volume)`
 * in an alert rule); the others read the whole bar.
 */
import { AdxStream } from './adx.js';
import { AdxrStream } from './adxr.js';
import { AtrStream, NatrStream } from './atr.js';
import { BbandsStream } from './bbands.js';
import { CANDLE_PATTERNS, CandlePatternStream } from './candle-patterns.js';
import { CciStream } from './cci.js';
import { copyStream } from './copy-stream.js';
import { DemaStream } from './dema.js';
import { DonchianStream } from './donchian.js';
import { EmaStream } from './ema.js';
import { KamaStream } from './kama.js';
import { KeltnerStream } from './keltner.js';
import { MacdStream } from './macd.js';
import { MfiStream } from './mfi.js';
import { ObvStream } from './obv.js';
import { ParabolicSarStream } from './parabolic-sar.js';
import { RocStream } from './roc.js';
import { RollingVwapStream } from './rolling-vwap.js';
import { RsiStream } from './rsi.js';
import { SmaStream } from './sma.js';
import { StochRsiStream } from './stoch-rsi.js';
import { StochasticStream } from './stochastic.js';
import { SupportResistanceStream, type SrLevel } from './support-resistance.js';
import { TdSequentialStream } from './td-sequential.js';
import { TdSetupStream } from './td-setup.js';
import { TemaStream } from './tema.js';
import type { Bar } from './types.js';
import { VwapStream } from './vwap.js';
import { WillrStream } from './willr.js';
import { WmaStream } from './wma.js';

/** One bar in, the spec's output at that bar out: a number, or named values (`{ macd, signal, histogram }`). */
export type StreamStep = (bar: Readonly<Required<Bar>>) => number | Readonly<Record<string, number>>;

/** The bar fields an indicator over closes may read instead (`sma:20(volume)`). */
export const BAR_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
export type BarField = (typeof BAR_FIELDS)[number];

/** A built stream: its step, how many leading outputs are not ready, and (sr only) the levels it holds. */
export interface MadeStream {
  /** Appends a bar (the stream's `update`). */
  step: StreamStep;
  /** Replaces the last bar stepped (the stream's `replace`): what `step` would have given for this bar instead. */
  replace: StreamStep;
  /** An independent copy of the stream as it is now (copy-stream.ts): stepping one leaves the other as it was. */
  fork(): MadeStream;
  warmup: number;
  levels?: () => SrLevel[];
}

export interface StreamEntry {
  /** Column prefix of a multi-value output, as the batch catalog writes it (`bb` for bbands). */
  prefix?: string;
  /** `close`: fed one number per bar (any {@link BarField}); `bar`: fed the whole bar. */
  input: 'close' | 'bar';
  make(p: readonly number[], field: BarField): MadeStream;
}

type Warm = { readonly warmup: number };
const one = <S extends Warm & { update(x: number): unknown; replace(x: number): unknown }>(s: S, field: BarField): MadeStream => ({
  warmup: s.warmup,
  step: (b) => s.update(b[field]) as number | Record<string, number>,
  replace: (b) => s.replace(b[field]) as number | Record<string, number>,
  fork: () => one(copyStream(s), field),
});
const bar = <S extends Warm & { update(b: Bar): unknown; replace(b: Bar): unknown }>(s: S): MadeStream => ({
  warmup: s.warmup,
  step: (b) => s.update(b) as number | Record<string, number>,
  replace: (b) => s.replace(b) as number | Record<string, number>,
  fork: () => bar(copyStream(s)),
});
const levelsOf = (s: SupportResistanceStream): MadeStream => ({ ...bar(s), levels: () => s.levels(), fork: () => levelsOf(copyStream(s)) });
/** Every candle pattern in one stream, their codes in one record reused at each step. */
const patternsOf = (streams: ReadonlyArray<readonly [string, CandlePatternStream]>): MadeStream => {
  const out: Record<string, number> = {};
  let warmup = 0;
  for (const [, s] of streams) warmup = Math.max(warmup, s.warmup);
  return {
    warmup,
    step: (b) => {
      for (const [p, s] of streams) out[p] = s.update(b);
      return out;
    },
    replace: (b) => {
      for (const [p, s] of streams) out[p] = s.replace(b);
      return out;
    },
    fork: () => patternsOf(streams.map(([p, s]) => [p, copyStream(s)] as const)),
  };
};
const closes = (make: (p: readonly number[]) => Warm & { update(x: number): unknown; replace(x: number): unknown }, prefix?: string): StreamEntry => ({
  ...(prefix === undefined ? {} : { prefix }),
  input: 'close',
  make: (p, field) => one(make(p), field),
});
const bars = (make: (p: readonly number[]) => Warm & { update(b: Bar): unknown; replace(b: Bar): unknown }, prefix?: string): StreamEntry => ({
  ...(prefix === undefined ? {} : { prefix }),
  input: 'bar',
  make: (p) => bar(make(p)),
});

/** Every catalog indicator (catalog.ts) by name, in streaming form. */
export const STREAM_CATALOG: Readonly<Record<string, StreamEntry>> = {
  sma: closes(([n]) => new SmaStream(n)),
  ema: closes(([n]) => new EmaStream(n)),
  wma: closes(([n]) => new WmaStream(n)),
  dema: closes(([n]) => new DemaStream(n)),
  tema: closes(([n]) => new TemaStream(n)),
  kama: closes(([n]) => new KamaStream(n)),
  rsi: closes(([n]) => new RsiStream(n)),
  stochrsi: closes(([n, k, d]) => new StochRsiStream(n, k, d), 'stochrsi'),
  macd: closes(([f, s, g]) => new MacdStream(f, s, g), 'macd'),
  bbands: closes(([n, u, d]) => new BbandsStream(n, u, d), 'bb'),
  atr: bars(([n]) => new AtrStream(n)),
  natr: bars(([n]) => new NatrStream(n)),
  stoch: bars(([k, s, d]) => new StochasticStream(k, s, d), 'stoch'),
  willr: bars(([n]) => new WillrStream(n)),
  cci: bars(([n]) => new CciStream(n)),
  roc: closes(([n]) => new RocStream(n)),
  mfi: bars(([n]) => new MfiStream(n)),
  obv: bars(() => new ObvStream()),
  adx: bars(([n]) => new AdxStream(n), 'adx'),
  adxr: bars(([n]) => new AdxrStream(n)),
  sar: bars(([a, m]) => new ParabolicSarStream(a, m)),
  keltner: bars(([e, a, m]) => new KeltnerStream(e, a, m), 'kc'),
  donchian: bars(([n]) => new DonchianStream(n), 'dc'),
  vwap: bars(() => new VwapStream()),
  rvwap: bars(([n]) => new RollingVwapStream(n)),
  td: bars(() => new TdSequentialStream(), 'td'),
  tdsetup: closes(() => new TdSetupStream()),
  sr: {
    prefix: 'sr',
    input: 'bar',
    make: ([n = 5, tol = 0.005]) => levelsOf(new SupportResistanceStream({ left: n, right: n, tolerance: tol })),
  },
  patterns: {
    prefix: 'cdl',
    input: 'bar',
    make: () => patternsOf(CANDLE_PATTERNS.map((p) => [p, new CandlePatternStream(p)] as const)),
  },
};
