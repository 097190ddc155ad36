/**
 * The indicators by name, for commands and rules that pick them from text such as
 * `rsi:14,macd:12:26:9,td,sr`: each entry knows its parameters (with defaults and ranges) and
 * names its output columns.
 */
import { adx } from './adx.js';
import { adxr } from './adxr.js';
import { atr, natr } from './atr.js';
import { bbands } from './bbands.js';
import { CANDLE_PATTERNS, candlePattern } from './candle-patterns.js';
import { cci } from './cci.js';
import { dema } from './dema.js';
import { donchian } from './donchian.js';
import { ema } from './ema.js';
import { IndicatorInputError } from './indicator-error.js';
import { kama } from './kama.js';
import { keltner } from './keltner.js';
import { macd } from './macd.js';
import { mfi } from './mfi.js';
import { obv } from './obv.js';
import { parabolicSar } from './parabolic-sar.js';
import { roc } from './roc.js';
import { rollingVwap } from './rolling-vwap.js';
import { rsi } from './rsi.js';
import { sma } from './sma.js';
import { stochRsi } from './stoch-rsi.js';
import { stochastic } from './stochastic.js';
import { supportResistanceLevels, type SrLevel } from './support-resistance.js';
import { tdSequential } from './td-sequential.js';
import { tdSetup } from './td-setup.js';
import { tema } from './tema.js';
import type { Bars } from './types.js';
import { vwap } from './vwap.js';
import { willr } from './willr.js';
import { wma } from './wma.js';

export interface IndicatorSpec {
  name: string;
  params: number[];
}

export interface IndicatorOutput {
  /** Output columns in print order, named e.g. `rsi14`, `macd_signal`. */
  columns: Array<[string, Float64Array]>;
  /** Support/resistance levels at the last bar (only `sr`). */
  levels?: SrLevel[];
}

interface Param {
  name: string;
  default: number;
  min: number;
  max: number;
  integer: boolean;
  /** `min` itself is refused: the value must lie above it. */
  exclusiveMin?: boolean;
}

interface Entry {
  description: string;
  params: Param[];
  compute(bars: Required<Bars>, p: number[]): IndicatorOutput;
}

const period = (name: string, dflt: number, min = 2): Param => ({ name, default: dflt, min, max: 100_000, integer: true });
const factor = (name: string, dflt: number, min: number, max: number): Param => ({ name, default: dflt, min, max, integer: false });
const above0 = (name: string, dflt: number, max: number): Param => ({ ...factor(name, dflt, 0, max), exclusiveMin: true });
const one = (name: string, values: Float64Array): IndicatorOutput => ({ columns: [[name, values]] });
const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const many = (prefix: string, rec: Record<string, Float64Array>): IndicatorOutput => ({
  columns: Object.entries(rec).map(([k, v]) => [`${prefix}_${snake(k)}`, v]),
});

export const INDICATOR_CATALOG: Readonly<Record<string, Entry>> = {
  sma: { description: 'simple moving average of close', params: [period('period', 20, 1)], compute: (b, [n = 20]) => one(`sma${n}`, sma(b.close, n)) },
  ema: { description: 'exponential moving average (TA-Lib SMA seed)', params: [period('period', 20, 1)], compute: (b, [n = 20]) => one(`ema${n}`, ema(b.close, n)) },
  wma: { description: 'weighted moving average', params: [period('period', 20, 1)], compute: (b, [n = 20]) => one(`wma${n}`, wma(b.close, n)) },
  dema: { description: 'double EMA', params: [period('period', 30)], compute: (b, [n = 30]) => one(`dema${n}`, dema(b.close, n)) },
  tema: { description: 'triple EMA', params: [period('period', 30)], compute: (b, [n = 30]) => one(`tema${n}`, tema(b.close, n)) },
  kama: { description: 'Kaufman adaptive MA', params: [period('period', 30)], compute: (b, [n = 30]) => one(`kama${n}`, kama(b.close, n)) },
  rsi: { description: 'RSI (Wilder, TA-Lib seeding)', params: [period('period', 14)], compute: (b, [n = 14]) => one(`rsi${n}`, rsi(b.close, n)) },
  stochrsi: {
    description: 'stochastic RSI (TA-Lib STOCHRSI)',
    params: [period('period', 14), period('k', 5, 1), period('d', 3, 1)],
    compute: (b, [n = 14, k = 5, d = 3]) => many('stochrsi', { ...stochRsi(b.close, n, k, d) }),
  },
  macd: {
    description: 'MACD line, signal, histogram',
    params: [period('fast', 12), period('slow', 26), period('signal', 9, 1)],
    compute: (b, [f = 12, s = 26, g = 9]) => many('macd', { ...macd(b.close, f, s, g) }),
  },
  bbands: {
    description: 'Bollinger Bands',
    params: [period('period', 20), factor('devup', 2, 0, 100), factor('devdown', 2, 0, 100)],
    compute: (b, [n = 20, u = 2, d = 2]) => many('bb', { ...bbands(b.close, n, u, d) }),
  },
  atr: { description: 'average true range (Wilder)', params: [period('period', 14, 1)], compute: (b, [n = 14]) => one(`atr${n}`, atr(b, n)) },
  natr: { description: 'normalised ATR, percent of close', params: [period('period', 14)], compute: (b, [n = 14]) => one(`natr${n}`, natr(b, n)) },
  stoch: {
    description: 'stochastic oscillator (slow %K, %D)',
    params: [period('k', 5, 1), period('slowing', 3, 1), period('d', 3, 1)],
    compute: (b, [k = 5, s = 3, d = 3]) => many('stoch', { ...stochastic(b, k, s, d) }),
  },
  willr: { description: 'Williams %R', params: [period('period', 14)], compute: (b, [n = 14]) => one(`willr${n}`, willr(b, n)) },
  cci: { description: 'commodity channel index', params: [period('period', 20)], compute: (b, [n = 20]) => one(`cci${n}`, cci(b, n)) },
  roc: { description: 'rate of change, percent', params: [period('period', 10, 1)], compute: (b, [n = 10]) => one(`roc${n}`, roc(b.close, n)) },
  mfi: { description: 'money flow index', params: [period('period', 14)], compute: (b, [n = 14]) => one(`mfi${n}`, mfi(b, n)) },
  obv: { description: 'on-balance volume', params: [], compute: (b) => one('obv', obv(b)) },
  adx: { description: 'ADX, +DI, −DI, DX, +DM, −DM', params: [period('period', 14)], compute: (b, [n = 14]) => many('adx', { ...adx(b, n) }) },
  adxr: { description: 'ADX rating: mean of ADX now and period − 1 bars back', params: [period('period', 14)], compute: (b, [n = 14]) => one(`adxr${n}`, adxr(b, n)) },
  sar: {
    description: 'parabolic SAR',
    params: [above0('acceleration', 0.02, 1), above0('maximum', 0.2, 1)],
    compute: (b, [a = 0.02, m = 0.2]) => one('sar', parabolicSar(b, a, m)),
  },
  keltner: {
    description: 'Keltner channel (EMA ± multiplier × ATR)',
    params: [period('ema', 20), period('atr', 10, 1), factor('multiplier', 2, 0, 100)],
    compute: (b, [e = 20, a = 10, m = 2]) => many('kc', { ...keltner(b, e, a, m) }),
  },
  donchian: { description: 'Donchian channel', params: [period('period', 20, 1)], compute: (b, [n = 20]) => many('dc', { ...donchian(b, n) }) },
  vwap: { description: 'VWAP anchored at each UTC day', params: [], compute: (b) => one('vwap', vwap(b)) },
  rvwap: { description: 'rolling N-bar VWAP', params: [period('period', 20, 1)], compute: (b, [n = 20]) => one(`rvwap${n}`, rollingVwap(b, n)) },
  td: {
    description: 'TD Sequential: setup and countdown counts, perfection, deferral, TDST',
    params: [],
    compute: (b) => ({ columns: Object.entries(tdSequential(b)).map(([k, v]) => [`td_${snake(k)}`, v]) }),
  },
  tdsetup: { description: 'TD Setup alone, from closes: signed count (+ sell, − buy setup bar)', params: [], compute: (b) => one('td_setup', tdSetup(b.close)) },
  sr: {
    description: 'support/resistance from swing pivots (nearest levels per bar; current levels listed)',
    params: [{ ...period('strength', 5, 1), max: 1000 }, factor('tolerance', 0.005, 0, 0.5)],
    compute: (b, [n = 5, tol = 0.005]) => {
      const { series, levels } = supportResistanceLevels(b, { left: n, right: n, tolerance: tol });
      return { ...many('sr', series), levels };
    },
  },
  patterns: {
    description: `candle patterns, TA-Lib CDL semantics (${CANDLE_PATTERNS.join(', ')})`,
    params: [],
    compute: (b) => ({ columns: CANDLE_PATTERNS.map((p) => [`cdl_${snake(p)}`, candlePattern(p, b)]) }),
  },
};

/** Parses `rsi:14,macd,td` into specs, checking names and parameter ranges. */
export function parseIndicatorSpecs(text: string): IndicatorSpec[] {
  const specs: IndicatorSpec[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [rawName = '', ...rawParams] = part.split(':');
    const name = rawName.toLowerCase();
    const entry = INDICATOR_CATALOG[name];
    if (entry === undefined) {
      // `macd:12,26,9` splits into `macd:12`, `26` and `9`: say how parameters are written.
      const hint = /^[\d.]+$/.test(rawName) ? ' (parameters follow the name after colons, as in macd:12:26:9; commas separate indicators)' : '';
      throw new IndicatorInputError(rawName, `unknown indicator${hint}; known: ${Object.keys(INDICATOR_CATALOG).join(', ')}`);
    }
    if (rawParams.length > entry.params.length) {
      throw new IndicatorInputError(name, `takes ${entry.params.length} parameter(s) (${entry.params.map((p) => p.name).join(':') || 'none'}), got ${rawParams.length}`);
    }
    const params = entry.params.map((p, i) => {
      const raw = rawParams[i];
      if (raw === undefined || raw === '') return p.default;
      const v = Number(raw);
      if (!Number.isFinite(v) || (p.integer && !Number.isInteger(v)) || v < p.min || (p.exclusiveMin === true && v === p.min) || v > p.max) {
        const range = p.exclusiveMin === true ? `above ${p.min} and at most ${p.max}` : `from ${p.min} to ${p.max}`;
        throw new IndicatorInputError(name, `${p.name} must be ${p.integer ? 'a whole number' : 'a number'} ${range}, not "${raw}"`, { param: p.name });
      }
      return v;
    });
    specs.push({ name, params });
  }
  if (specs.length === 0) throw new IndicatorInputError('indicators', 'the list names no indicator (e.g. rsi:14,macd)');
  return specs;
}

/** `name:p1:p2…` with every parameter spelled out. */
export function specText(spec: IndicatorSpec): string {
  return [spec.name, ...spec.params].join(':');
}

/**
 * Computes every spec; throws when two of them would write a column of the same name (the same
 * spec twice, or two of a multi-line indicator, whose columns such as `macd_signal` do not carry
 * the parameters), rather than letting the later hide the earlier in JSON output. `levels` come
 * from the `sr` spec.
 */
export function computeIndicators(specs: readonly IndicatorSpec[], bars: Required<Bars>): IndicatorOutput {
  const columns: Array<[string, Float64Array]> = [];
  const writer = new Map<string, IndicatorSpec>();
  let levels: SrLevel[] | undefined;
  for (const spec of specs) {
    const out = computeIndicator(spec, bars);
    for (const [column] of out.columns) {
      const earlier = writer.get(column);
      if (earlier !== undefined) {
        throw new IndicatorInputError(spec.name, `${specText(earlier)} and ${specText(spec)} both write column ${column}; name one of them per run`);
      }
      writer.set(column, spec);
    }
    columns.push(...out.columns);
    if (out.levels !== undefined) levels = out.levels;
  }
  return levels === undefined ? { columns } : { columns, levels };
}

export function computeIndicator(spec: IndicatorSpec, bars: Required<Bars>): IndicatorOutput {
  const entry = INDICATOR_CATALOG[spec.name];
  if (entry === undefined) throw new IndicatorInputError(spec.name, 'unknown indicator');
  return entry.compute(bars, spec.params);
}
