/**
 * What the indicator benchmark measures: one row per indicator and parameter set, with how to
 * call ours (export names, found in src/indicators/ as the other engineers add them), and how to
 * call each peer library with the same parameters. `key` matches talib-harness.c's keys.
 */
import * as ti from 'technicalindicators';
import * as ts from 'trading-signals';
import tulind from 'tulind';
import type { Bar } from '../../src/indicators/types.js';

/** Columns as plain arrays (what the JS peers take) plus one prebuilt object per bar. */
export interface PeerData {
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  /** The same objects feed every streaming implementation that takes a bar, ours included. */
  bars: Required<Omit<Bar, 'openTime'>>[];
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

export interface BenchCase {
  key: string;
  input: 'close' | 'bars';
  /** Candidate export names in src/indicators/ (first found wins). */
  ours: { batch: string[]; stream: string[]; args: number[] };
  peers: Partial<Record<PeerName, PeerImpl>>;
  /** Whether TA-Lib has it (the harness reports it under the same key). */
  talib: boolean;
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
const hlc = (d: PeerData) => ({ high: d.high, low: d.low, close: d.close });
const emptyHlc = () => ({ high: [] as number[], low: [] as number[], close: [] as number[] });

/** The benchmark set: everything in issue 4's list that TA-Lib or a peer also has, plus TD Sequential. */
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
  },
];
