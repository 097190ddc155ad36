/**
 * Candlestick patterns with TA-Lib's CDL semantics: per bar 100 (bullish), −100 (bearish), 0
 * (none), and ±80 where TA-Lib grades a weaker match (engulfing and harami with one equal body
 * end). NaN during TA-Lib's lookback. Equal to TA-Lib 0.6 bar for bar, batch and streaming.
 * @see https://ta-lib.org/functions/ (Pattern Recognition)
 */
import { CandlePatternStream as PatternStream, type PatternDef } from './candle-engine.js';
import { PATTERN_DEFS } from './candle-pattern-defs.js';
import { IndicatorInputError } from './indicator-error.js';
import type { Bar, Bars, Streaming } from './types.js';
import { barsInput, checkBars, checkNumber } from './validate.js';

export type CandlePatternName = keyof typeof PATTERN_DEFS;

/** Every supported pattern name. */
export const CANDLE_PATTERNS = Object.keys(PATTERN_DEFS) as CandlePatternName[];

/** Default penetration (fraction of the first body) of TA-Lib's dark cloud cover, morning and evening star. */
const DEFAULT_PENETRATION: Partial<Record<CandlePatternName, number>> = { darkCloudCover: 0.5, morningStar: 0.3, eveningStar: 0.3 };

export interface CandlePatternOptions {
  /** Dark cloud cover (default 0.5), morning/evening star (default 0.3): how deep the last candle closes into the first body. */
  penetration?: number;
}

function resolve(name: CandlePatternName, options: CandlePatternOptions): { def: PatternDef; penetration: number; label: string } {
  const def: PatternDef | undefined = Object.hasOwn(PATTERN_DEFS, name) ? PATTERN_DEFS[name] : undefined;
  if (def === undefined) throw new IndicatorInputError('candlePattern', `unknown pattern "${String(name)}"`, { param: 'name' });
  const label = `candlePattern ${name}`;
  const penetration = options.penetration ?? DEFAULT_PENETRATION[name] ?? 0;
  if (options.penetration !== undefined) {
    if (DEFAULT_PENETRATION[name] === undefined) throw new IndicatorInputError(label, 'takes no penetration', { param: 'penetration' });
    checkNumber(label, 'penetration', options.penetration, 0, 3e37); // TA-Lib's range
  }
  return { def, penetration, label };
}

/** TA-Lib's lookback of a pattern: the number of leading NaN bars. */
export function candlePatternWarmup(name: CandlePatternName): number {
  return resolve(name, {}).def.lookback;
}

/**
 * Streaming candlestick pattern over OHLC bars (`open` required).
 * @example new CandlePatternStream('hammer').update({ open, high, low, close })
 */
export class CandlePatternStream implements Streaming<Bar, number> {
  readonly warmup: number;
  private readonly inner: PatternStream;
  constructor(name: CandlePatternName, options: CandlePatternOptions = {}) {
    const { def, penetration, label } = resolve(name, options);
    this.inner = new PatternStream(label, def, penetration);
    this.warmup = def.lookback;
  }
  update(bar: Bar): number {
    return this.inner.update(bar);
  }
  replace(bar: Bar): number {
    return this.inner.replace(bar);
  }
}

/**
 * One candlestick pattern over whole columns (reads open, high, low, close). The batch form runs
 * the streaming rules bar by bar, so both forms agree exactly.
 */
export function candlePattern(name: CandlePatternName, bars: Bars, options: CandlePatternOptions = {}): Float64Array {
  const { def, penetration, label } = resolve(name, options);
  bars = barsInput(label, bars, ['open', 'high', 'low', 'close']);
  checkBars(label, bars, { open: true });
  const n = bars.close.length;
  const out = new Float64Array(n);
  const stream = new PatternStream(label, def, penetration);
  const open = bars.open!; // checked by checkBars({ open: true })
  const { high, low, close } = bars;
  for (let i = 0; i < n; i++) out[i] = stream.next(open[i]!, high[i]!, low[i]!, close[i]!);
  return out;
}

/** Several patterns at once, keyed by name (all of them by default). */
export function candlePatterns(bars: Bars, names: readonly CandlePatternName[] = CANDLE_PATTERNS): Record<CandlePatternName, Float64Array> {
  const out: Partial<Record<CandlePatternName, Float64Array>> = {};
  for (const name of names) out[name] = candlePattern(name, bars);
  return out as Record<CandlePatternName, Float64Array>;
}
