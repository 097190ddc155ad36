/**
 * What the indicator benchmark measures: one row per indicator and parameter set, with how to
 * call ours (export names, found in src/indicators/ as the other engineers add them), and how to
 * call each peer library with the same parameters. `key` matches talib-harness.c's keys.
 */
import * as ti from 'technicalindicators';
import * as ts from 'trading-signals';
import tulind from 'tulind';
import type { CandlePatternName } from '../../src/indicators/candle-patterns.js';
import type { Bar } from '../../src/indicators/types.js';

/** Columns as plain arrays (what the JS peers take) plus one prebuilt object per bar. */
export interface PeerData {
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  /** The same objects feed every streaming implementation that takes a bar, ours included. */
  bars: Required<Bar>[];
}

/** A streaming implementation: a factory and the method that appends one input. */
export interface StreamSpec {
  create: () => object;
  method: string;
  input: 'close' | 'bar';
}

export interface PeerImpl {
  /** Whole column in one call. */
  batch?: (d: PeerData) => unknown;
  stream?: StreamSpec;
}

export type PeerName = 'tulind' | 'trading-signals' | 'technicalindicators';

/**
 * A lower bound measured beside a stream: the core work of one update alone (a recurrence step on
 * one field, or reading the bar fields the indicator needs), with no input check and no state for
 * `replace`. Reported after the case's note, never as a peer.
 */
export interface FloorSpec {
  /** What it computes, for the note. */
  label: string;
  stream: StreamSpec;
}

/** An argument of ours: a period or factor, a choice such as VWAP's `'hlc3'`, a pattern name, an options object. */
export type OurArg = number | string | Readonly<Record<string, number>>;

export interface BenchCase {
  key: string;
  input: 'close' | 'bars';
  /**
   * Candidate export names in src/indicators/ (first found wins). The batch form is called as
   * `batch(...lead, input, ...args)` and the stream built as `new Stream(...lead, ...args)`; `lead`
   * is for arguments that come before the input, such as candlePattern's pattern name.
   */
  ours: { batch: string[]; stream: string[]; args: OurArg[]; lead?: OurArg[] };
  peers: Partial<Record<PeerName, PeerImpl>>;
  /** Whether TA-Lib has it (the harness reports it under the same key). */
  talib: boolean;
  /** Floors measured with this case, by id (cells `floor-<id>:stream`). */
  floors?: Record<string, FloorSpec>;
}

/** tulind calls back synchronously; inputs are marshalled element by element inside the call. */
function tulip(name: string, inputs: (keyof Omit<PeerData, 'bars'>)[], options: number[]): PeerImpl {
  const ind = tulind.indicators[name];
  if (!ind) throw new Error(`tulind has no ${name}`);
  return {
    batch: (d) => {
      let result: unknown;
      ind.indicator(inputs.map((k) => d[k]), options, (err: unknown, res: unknown) => {
        if (err) throw err;
        result = res;
      });
      return result;
    },
  };
}

const tsClose = (create: () => object): PeerImpl => ({ stream: { create, method: 'add', input: 'close' } });
const tsBar = (create: () => object): PeerImpl => ({ stream: { create, method: 'add', input: 'bar' } });
const tiClose = (batch: (d: PeerData) => unknown, create: () => object): PeerImpl => ({
  batch,
  stream: { create, method: 'nextValue', input: 'close' },
});
const tiBar = (batch: (d: PeerData) => unknown, create: () => object): PeerImpl => ({
  batch,
  stream: { create, method: 'nextValue', input: 'bar' },
});
/** A technicalindicators candlestick function: does the pattern end at the last candle given? */
type TiCandleFn = (data: { open: number[]; high: number[]; low: number[]; close: number[] }) => boolean;

/**
 * technicalindicators' candlestick functions answer only for the last candles of the arrays they
 * get, so scanning a history is what a user writes: per bar, slice the last `count` candles (the
 * function's own `requiredCount`, lib/candlestick/*.js) and call it; slicing is part of the cost.
 * Bullish and bearish variants get the same window, giving TA-Lib's signed ±100 per bar.
 */
function tiCandles(count: number, bullish: TiCandleFn | undefined, bearish?: TiCandleFn): PeerImpl {
  return {
    batch: (d) => {
      const n = d.close.length;
      const out = new Float64Array(n);
      for (let i = count - 1; i < n; i++) {
        const s = i + 1 - count;
        const e = i + 1;
        const w = { open: d.open.slice(s, e), high: d.high.slice(s, e), low: d.low.slice(s, e), close: d.close.slice(s, e) };
        out[i] = bullish !== undefined && bullish(w) ? 100 : bearish !== undefined && bearish(w) ? -100 : 0;
      }
      return out;
    },
  };
}

/** One TA-Lib CDL pattern (`key` is the harness's), ours by name; penetration where TA-Lib takes one. */
function candleCase(key: string, name: CandlePatternName, peer: PeerImpl, penetration?: number): BenchCase {
  return {
    key, input: 'bars', talib: true,
    ours: { batch: ['candlePattern'], stream: ['CandlePatternStream'], lead: [name], args: [penetration === undefined ? {} : { penetration }] },
    peers: { technicalindicators: peer },
  };
}

/** TA-Lib's EMA step, ema = (x − ema)·k + ema, alone: three dependent operations a bar. */
class TalibEmaStep {
  private ema = 0;
  constructor(private readonly k: number) {}
  update(x: number): number {
    const e = this.ema;
    return (this.ema = (x - e) * this.k + e);
  }
}

/** trading-signals' EMA step, x·k + ema·(1 − k), alone: two dependent operations a bar. */
class TwoOpEmaStep {
  private ema = 0;
  private readonly keep: number;
  constructor(private readonly k: number) {
    this.keep = 1 - k;
  }
  update(x: number): number {
    return (this.ema = x * this.k + this.ema * this.keep);
  }
}

/** Reads the bar fields session VWAP needs, nothing else: what touching the bar objects costs. */
class ReadVwapFields {
  update(b: Bar): number {
    return b.high + b.low + b.close + b.volume! + b.openTime!;
  }
}

/** Reads the four fields trading-signals `VWAP` reads. */
class ReadHlcv {
  update(b: Bar): number {
    return b.high + b.low + b.close + b.volume!;
  }
}

/** Reads the three fields TD Sequential needs. */
class ReadHlc {
  update(b: Bar): number {
    return b.high + b.low + b.close;
  }
}

const barFloor = (label: string, create: () => object): FloorSpec => ({ label, stream: { create, method: 'update', input: 'bar' } });

const hlc = (d: PeerData) => ({ high: d.high, low: d.low, close: d.close });
const emptyHlc = () => ({ high: [] as number[], low: [] as number[], close: [] as number[] });

/**
 * The benchmark set: everything in issue 4's list that TA-Lib or a peer also has, plus TD Sequential,
 * VWAP, Keltner channels and the candlestick patterns that technicalindicators also has.
 */
export const BENCH_CASES: BenchCase[] = [
  {
    key: 'SMA(20)', input: 'close', talib: true, ours: { batch: ['sma'], stream: ['SmaStream'], args: [20] },
    peers: {
      tulind: tulip('sma', ['close'], [20]),
      'trading-signals': tsClose(() => new ts.SMA(20)),
      technicalindicators: tiClose((d) => ti.SMA.calculate({ period: 20, values: d.close }), () => new ti.SMA({ period: 20, values: [] })),
    },
  },
  {
    key: 'EMA(20)', input: 'close', talib: true, ours: { batch: ['ema'], stream: ['EmaStream'], args: [20] },
    peers: {
      tulind: tulip('ema', ['close'], [20]),
      'trading-signals': tsClose(() => new ts.EMA(20)),
      technicalindicators: tiClose((d) => ti.EMA.calculate({ period: 20, values: d.close }), () => new ti.EMA({ period: 20, values: [] })),
    },
    floors: {
      'talib-step': { label: "TA-Lib's step (x − ema)·k + ema alone", stream: { create: () => new TalibEmaStep(2 / 21), method: 'update', input: 'close' } },
      'two-op-step': { label: "trading-signals' step x·k + ema·(1 − k) alone", stream: { create: () => new TwoOpEmaStep(2 / 21), method: 'update', input: 'close' } },
    },
  },
  {
    key: 'WMA(20)', input: 'close', talib: true, ours: { batch: ['wma'], stream: ['WmaStream'], args: [20] },
    peers: {
      tulind: tulip('wma', ['close'], [20]),
      'trading-signals': tsClose(() => new ts.WMA(20)),
      technicalindicators: tiClose((d) => ti.WMA.calculate({ period: 20, values: d.close }), () => new ti.WMA({ period: 20, values: [] })),
    },
  },
  {
    key: 'DEMA(20)', input: 'close', talib: true, ours: { batch: ['dema'], stream: ['DemaStream'], args: [20] },
    peers: { tulind: tulip('dema', ['close'], [20]), 'trading-signals': tsClose(() => new ts.DEMA(20)) },
  },
  {
    key: 'TEMA(20)', input: 'close', talib: true, ours: { batch: ['tema'], stream: ['TemaStream'], args: [20] },
    peers: { tulind: tulip('tema', ['close'], [20]) },
  },
  {
    key: 'KAMA(10)', input: 'close', talib: true, ours: { batch: ['kama'], stream: ['KamaStream'], args: [10] },
    peers: { tulind: tulip('kama', ['close'], [10]) },
  },
  {
    key: 'RSI(14)', input: 'close', talib: true, ours: { batch: ['rsi'], stream: ['RsiStream'], args: [14] },
    peers: {
      tulind: tulip('rsi', ['close'], [14]),
      'trading-signals': tsClose(() => new ts.RSI(14)),
      technicalindicators: tiClose((d) => ti.RSI.calculate({ period: 14, values: d.close }), () => new ti.RSI({ period: 14, values: [] })),
    },
  },
  {
    key: 'STOCHRSI(14,14,3)', input: 'close', talib: true,
    ours: { batch: ['stochRsi', 'stochrsi'], stream: ['StochRsiStream'], args: [14, 14, 3] },
    peers: {
      tulind: tulip('stochrsi', ['close'], [14]),
      'trading-signals': tsClose(() => new ts.StochasticRSI(14)),
      technicalindicators: tiClose(
        (d) => ti.StochasticRSI.calculate({ values: d.close, rsiPeriod: 14, stochasticPeriod: 14, kPeriod: 3, dPeriod: 3 }),
        () => new ti.StochasticRSI({ values: [], rsiPeriod: 14, stochasticPeriod: 14, kPeriod: 3, dPeriod: 3 }),
      ),
    },
  },
  {
    key: 'MACD(12,26,9)', input: 'close', talib: true, ours: { batch: ['macd'], stream: ['MacdStream'], args: [12, 26, 9] },
    peers: {
      tulind: tulip('macd', ['close'], [12, 26, 9]),
      'trading-signals': tsClose(() => new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9))),
      technicalindicators: tiClose(
        (d) => ti.MACD.calculate({ values: d.close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false }),
        () => new ti.MACD({ values: [], fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false }),
      ),
    },
  },
  {
    key: 'BBANDS(20,2)', input: 'close', talib: true, ours: { batch: ['bbands', 'bollinger'], stream: ['BbandsStream'], args: [20, 2, 2] },
    peers: {
      tulind: tulip('bbands', ['close'], [20, 2]),
      'trading-signals': tsClose(() => new ts.BollingerBands(20, 2)),
      technicalindicators: tiClose(
        (d) => ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: d.close }),
        () => new ti.BollingerBands({ period: 20, stdDev: 2, values: [] }),
      ),
    },
  },
  {
    key: 'ATR(14)', input: 'bars', talib: true, ours: { batch: ['atr'], stream: ['AtrStream'], args: [14] },
    peers: {
      tulind: tulip('atr', ['high', 'low', 'close'], [14]),
      'trading-signals': tsBar(() => new ts.ATR(14)),
      technicalindicators: tiBar((d) => ti.ATR.calculate({ ...hlc(d), period: 14 }), () => new ti.ATR({ ...emptyHlc(), period: 14 })),
    },
  },
  {
    key: 'NATR(14)', input: 'bars', talib: true, ours: { batch: ['natr'], stream: ['NatrStream'], args: [14] },
    peers: { tulind: tulip('natr', ['high', 'low', 'close'], [14]) },
  },
  {
    key: 'STOCH(14,3,3)', input: 'bars', talib: true,
    ours: { batch: ['stoch', 'stochastic'], stream: ['StochStream', 'StochasticStream'], args: [14, 3, 3] },
    peers: {
      tulind: tulip('stoch', ['high', 'low', 'close'], [14, 3, 3]),
      'trading-signals': tsBar(() => new ts.StochasticOscillator(14, 3, 3)),
      technicalindicators: tiBar(
        (d) => ti.Stochastic.calculate({ ...hlc(d), period: 14, signalPeriod: 3 }),
        () => new ti.Stochastic({ ...emptyHlc(), period: 14, signalPeriod: 3 }),
      ),
    },
  },
  {
    key: 'WILLR(14)', input: 'bars', talib: true,
    ours: { batch: ['willr', 'williamsR'], stream: ['WillrStream', 'WilliamsRStream'], args: [14] },
    peers: {
      tulind: tulip('willr', ['high', 'low', 'close'], [14]),
      'trading-signals': tsBar(() => new ts.WilliamsR(14)),
      technicalindicators: tiBar((d) => ti.WilliamsR.calculate({ ...hlc(d), period: 14 }), () => new ti.WilliamsR({ ...emptyHlc(), period: 14 })),
    },
  },
  {
    key: 'CCI(20)', input: 'bars', talib: true, ours: { batch: ['cci'], stream: ['CciStream'], args: [20] },
    peers: {
      tulind: tulip('cci', ['high', 'low', 'close'], [20]),
      'trading-signals': tsBar(() => new ts.CCI(20)),
      technicalindicators: tiBar((d) => ti.CCI.calculate({ ...hlc(d), period: 20 }), () => new ti.CCI({ ...emptyHlc(), period: 20 })),
    },
  },
  {
    key: 'ROC(10)', input: 'close', talib: true, ours: { batch: ['roc'], stream: ['RocStream'], args: [10] },
    peers: {
      tulind: tulip('roc', ['close'], [10]),
      'trading-signals': tsClose(() => new ts.ROC(10)),
      technicalindicators: tiClose((d) => ti.ROC.calculate({ period: 10, values: d.close }), () => new ti.ROC({ period: 10, values: [] })),
    },
  },
  {
    key: 'MFI(14)', input: 'bars', talib: true, ours: { batch: ['mfi'], stream: ['MfiStream'], args: [14] },
    peers: {
      tulind: tulip('mfi', ['high', 'low', 'close', 'volume'], [14]),
      technicalindicators: tiBar(
        (d) => ti.MFI.calculate({ ...hlc(d), volume: d.volume, period: 14 }),
        () => new ti.MFI({ ...emptyHlc(), volume: [], period: 14 }),
      ),
    },
  },
  {
    key: 'OBV', input: 'bars', talib: true, ours: { batch: ['obv'], stream: ['ObvStream'], args: [] },
    peers: {
      tulind: tulip('obv', ['close', 'volume'], []),
      'trading-signals': tsBar(() => new ts.OBV(2)) /* interval 1 reads candles[-1] */,
      technicalindicators: tiBar((d) => ti.OBV.calculate({ close: d.close, volume: d.volume }), () => new ti.OBV({ close: [], volume: [] })),
    },
  },
  {
    key: 'ADX(14)', input: 'bars', talib: true, ours: { batch: ['adx'], stream: ['AdxStream'], args: [14] },
    peers: {
      tulind: tulip('adx', ['high', 'low', 'close'], [14]),
      'trading-signals': tsBar(() => new ts.ADX(14)),
      technicalindicators: tiBar((d) => ti.ADX.calculate({ ...hlc(d), period: 14 }), () => new ti.ADX({ ...emptyHlc(), period: 14 })),
    },
  },
  {
    key: 'SAR(0.02,0.2)', input: 'bars', talib: true,
    ours: { batch: ['sar', 'psar', 'parabolicSar'], stream: ['SarStream', 'PsarStream', 'ParabolicSarStream'], args: [0.02, 0.2] },
    peers: {
      tulind: tulip('psar', ['high', 'low'], [0.02, 0.2]),
      'trading-signals': tsBar(() => new ts.PSAR({ accelerationStep: 0.02, accelerationMax: 0.2 })),
      technicalindicators: tiBar(
        (d) => ti.PSAR.calculate({ high: d.high, low: d.low, step: 0.02, max: 0.2 }),
        () => new ti.PSAR({ high: [], low: [], step: 0.02, max: 0.2 }),
      ),
    },
  },
  {
    key: 'TD Sequential', input: 'bars', talib: false,
    ours: { batch: ['tdSequential'], stream: ['TdSequentialStream'], args: [] },
    peers: { 'trading-signals': tsClose(() => new ts.TDS()) },
    floors: { hlc: barFloor('reading high, low and close from the bar objects (trading-signals `TDS` reads closes from a Float64Array)', () => new ReadHlc()) },
  },
  {
    // What trading-signals `TDS` computes: the setup count from closes, like for like.
    key: 'TD Setup', input: 'close', talib: false,
    ours: { batch: ['tdSetup'], stream: ['TdSetupStream'], args: [] },
    peers: { 'trading-signals': tsClose(() => new ts.TDS()) },
  },
  {
    key: 'VWAP (session)', input: 'bars', talib: false, ours: { batch: ['vwap'], stream: ['VwapStream'], args: ['hlc3'] },
    peers: {
      'trading-signals': tsBar(() => new ts.VWAP()),
      technicalindicators: tiBar(
        (d) => ti.VWAP.calculate({ ...hlc(d), volume: d.volume }),
        () => new ti.VWAP({ ...emptyHlc(), volume: [] }),
      ),
    },
    floors: {
      fields: barFloor('reading high, low, close, volume and openTime from the bar objects', () => new ReadVwapFields()),
      hlcv: barFloor('reading high, low, close and volume (what trading-signals reads)', () => new ReadHlcv()),
    },
  },
  {
    // No peer (nor TA-Lib) has a rolling-window VWAP; the row times ours beside the session form.
    key: 'VWAP rolling(20)', input: 'bars', talib: false,
    ours: { batch: ['rollingVwap'], stream: ['RollingVwapStream'], args: [20, 'hlc3'] },
    peers: {},
  },
  {
    key: 'Keltner(20,10,2)', input: 'bars', talib: false, ours: { batch: ['keltner'], stream: ['KeltnerStream'], args: [20, 10, 2] },
    peers: {
      technicalindicators: tiBar(
        (d) => ti.KeltnerChannels.calculate({ ...hlc(d), maPeriod: 20, atrPeriod: 10, useSMA: false, multiplier: 2 }),
        () => new ti.KeltnerChannels({ ...emptyHlc(), maPeriod: 20, atrPeriod: 10, useSMA: false, multiplier: 2 }),
      ),
    },
  },
  candleCase('CDLDOJI', 'doji', tiCandles(1, ti.doji)),
  candleCase('CDLHAMMER', 'hammer', tiCandles(5, ti.hammerpattern)),
  candleCase('CDLHANGINGMAN', 'hangingMan', tiCandles(5, undefined, ti.hangingman)),
  candleCase('CDLSHOOTINGSTAR', 'shootingStar', tiCandles(5, undefined, ti.shootingstar)),
  candleCase('CDLENGULFING', 'engulfing', tiCandles(2, ti.bullishengulfingpattern, ti.bearishengulfingpattern)),
  candleCase('CDLHARAMI', 'harami', tiCandles(2, ti.bullishharami, ti.bearishharami)),
  candleCase('CDLPIERCING', 'piercing', tiCandles(2, ti.piercingline)),
  candleCase('CDLDARKCLOUDCOVER(0.5)', 'darkCloudCover', tiCandles(2, undefined, ti.darkcloudcover), 0.5),
  candleCase('CDLMORNINGSTAR(0.3)', 'morningStar', tiCandles(3, ti.morningstar), 0.3),
  candleCase('CDLEVENINGSTAR(0.3)', 'eveningStar', tiCandles(3, undefined, ti.eveningstar), 0.3),
  candleCase('CDL3WHITESOLDIERS', 'threeWhiteSoldiers', tiCandles(3, ti.threewhitesoldiers)),
  candleCase('CDL3BLACKCROWS', 'threeBlackCrows', tiCandles(3, undefined, ti.threeblackcrows)),
];
