/**
 * The candlestick patterns, each a transcription of TA-Lib's CDL function (default candle
 * settings): the same tests, the same strict or non-strict comparisons, the same running totals.
 * @see https://github.com/TA-Lib/ta-lib/tree/main/src/ta_func (ta_CDL*.c)
 */
import { CANDLE_SETTINGS as S, type CandleWindow, type PatternDef, type TotalSpec } from './candle-engine.js';

const t = (setting: TotalSpec['setting'], back = 0): TotalSpec => ({ setting, back });
const max = (a: number, b: number): number => (a > b ? a : b);
const min = (a: number, b: number): number => (a < b ? a : b);

/** @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_CDLDOJI.c */
const doji: PatternDef = {
  talib: 'CDLDOJI',
  lookback: 10,
  totals: [t('bodyDoji')],
  evaluate: (w) => (w.realBody(0) <= w.avg(S.bodyDoji, 0, 0) ? 100 : 0),
};

/** Small body, long lower and very short upper shadow; the common test of hammer and hanging man. */
function hammerShape(w: CandleWindow): boolean {
  return w.realBody(0) < w.avg(S.bodyShort, 0, 0) && w.lowerShadow(0) > w.avg(S.shadowLong, 1, 0) && w.upperShadow(0) < w.avg(S.shadowVeryShort, 2, 0);
}

/** @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_CDLHAMMER.c */
const hammer: PatternDef = {
  talib: 'CDLHAMMER',
  lookback: 11,
  totals: [t('bodyShort'), t('shadowLong'), t('shadowVeryShort'), t('near', 1)],
  // Body near the prior candle's low.
  evaluate: (w) => (hammerShape(w) && min(w.close(0), w.open(0)) <= w.low(1) + w.avg(S.near, 3, 1) ? 100 : 0),
};

/** @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_CDLHANGINGMAN.c */
const hangingMan: PatternDef = {
  talib: 'CDLHANGINGMAN',
  lookback: 11,
  totals: hammer.totals,
  // Body near the prior candle's high.
  evaluate: (w) => (hammerShape(w) && min(w.close(0), w.open(0)) >= w.high(1) - w.avg(S.near, 3, 1) ? -100 : 0),
};

/** @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_CDLSHOOTINGSTAR.c */
const shootingStar: PatternDef = {
  talib: 'CDLSHOOTINGSTAR',
  lookback: 11,
  totals: [t('bodyShort'), t('shadowLong'), t('shadowVeryShort')],
  evaluate: (w) =>
    w.realBody(0) < w.avg(S.bodyShort, 0, 0) &&
    w.upperShadow(0) > w.avg(S.shadowLong, 1, 0) &&
    w.lowerShadow(0) < w.avg(S.shadowVeryShort, 2, 0) &&
    min(w.open(0), w.close(0)) > max(w.open(1), w.close(1)) // real-body gap up
      ? -100
      : 0,
};

/** @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_CDLENGULFING.c */
const engulfing: PatternDef = {
  talib: 'CDLENGULFING',
  lookback: 2,
  totals: [],
  evaluate: (w) => {
    const o = w.open(0);
    const c = w.close(0);
    const o1 = w.open(1);
    const c1 = w.close(1);
    const col = w.color(0);
    const col1 = w.color(1);
    const match =
      (col === 1 && col1 === -1 && ((c >= o1 && o < c1) || (c > o1 && o <= c1))) ||
      (col === -1 && col1 === 1 && ((o >= c1 && c < o1) || (o > c1 && c <= o1)));
    if (!match) return 0;
    // TA-Lib grades a match with one equal end as 80.
    return o !== c1 && c !== o1 ? col * 100 : col * 80;
  },
};

/** @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_CDLHARAMI.c */
const harami: PatternDef = {
  talib: 'CDLHARAMI',
  lookback: 11,
  totals: [t('bodyLong', 1), t('bodyShort')],
  evaluate: (w) => {
    if (!(w.realBody(1) > w.avg(S.bodyLong, 0, 1) && w.realBody(0) <= w.avg(S.bodyShort, 1, 0))) return 0;
    const hi = max(w.close(0), w.open(0));
    const lo = min(w.close(0), w.open(0));
    const hi1 = max(w.close(1), w.open(1));
    const lo1 = min(w.close(1), w.open(1));
    if (hi < hi1 && lo > lo1) return -w.color(1) * 100;
    if (hi <= hi1 && lo >= lo1) return -w.color(1) * 80;
    return 0;
  },
};

/** @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_CDLPIERCING.c */
const piercing: PatternDef = {
  talib: 'CDLPIERCING',
  lookback: 11,
  totals: [t('bodyLong', 1), t('bodyLong', 0)],
  evaluate: (w) =>
    w.color(1) === -1 &&
    w.realBody(1) > w.avg(S.bodyLong, 0, 1) &&
    w.color(0) === 1 &&
    w.realBody(0) > w.avg(S.bodyLong, 1, 0) &&
    w.open(0) < w.low(1) &&
    w.close(0) < w.open(1) &&
    w.close(0) > w.close(1) + w.realBody(1) * 0.5
      ? 100
      : 0,
};

/** @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_CDLDARKCLOUDCOVER.c */
const darkCloudCover: PatternDef = {
  talib: 'CDLDARKCLOUDCOVER',
  lookback: 11,
  totals: [t('bodyLong', 1)],
  evaluate: (w, pen) =>
    w.color(1) === 1 &&
    w.realBody(1) > w.avg(S.bodyLong, 0, 1) &&
    w.color(0) === -1 &&
    w.open(0) > w.high(1) &&
    w.close(0) > w.open(1) &&
    w.close(0) < w.close(1) - w.realBody(1) * pen
      ? -100
      : 0,
};

/** @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_CDLMORNINGSTAR.c */
const morningStar: PatternDef = {
  talib: 'CDLMORNINGSTAR',
  lookback: 12,
  totals: [t('bodyLong', 2), t('bodyShort', 1), t('bodyShort', 0)],
  evaluate: (w, pen) =>
    w.realBody(2) > w.avg(S.bodyLong, 0, 2) &&
    w.color(2) === -1 &&
    w.realBody(1) <= w.avg(S.bodyShort, 1, 1) &&
    max(w.open(1), w.close(1)) < min(w.open(2), w.close(2)) && // real-body gap down
    w.realBody(0) > w.avg(S.bodyShort, 2, 0) &&
    w.color(0) === 1 &&
    w.close(0) > w.close(2) + w.realBody(2) * pen
      ? 100
      : 0,
};

/** @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_CDLEVENINGSTAR.c */
const eveningStar: PatternDef = {
  talib: 'CDLEVENINGSTAR',
  lookback: 12,
  totals: morningStar.totals,
  evaluate: (w, pen) =>
    w.realBody(2) > w.avg(S.bodyLong, 0, 2) &&
    w.color(2) === 1 &&
    w.realBody(1) <= w.avg(S.bodyShort, 1, 1) &&
    min(w.open(1), w.close(1)) > max(w.open(2), w.close(2)) && // real-body gap up
    w.realBody(0) > w.avg(S.bodyShort, 2, 0) &&
    w.color(0) === -1 &&
    w.close(0) < w.close(2) - w.realBody(2) * pen
      ? -100
      : 0,
};

/** @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_CDL3WHITESOLDIERS.c */
const threeWhiteSoldiers: PatternDef = {
  talib: 'CDL3WHITESOLDIERS',
  lookback: 12,
  // 0-2: very short upper shadow of bars 2,1,0 back; 3-4: near; 5-6: far (bars 2,1 back); 7: body short.
  totals: [t('shadowVeryShort', 2), t('shadowVeryShort', 1), t('shadowVeryShort', 0), t('near', 2), t('near', 1), t('far', 2), t('far', 1), t('bodyShort')],
  evaluate: (w) =>
    w.color(2) === 1 &&
    w.upperShadow(2) < w.avg(S.shadowVeryShort, 0, 2) &&
    w.color(1) === 1 &&
    w.upperShadow(1) < w.avg(S.shadowVeryShort, 1, 1) &&
    w.color(0) === 1 &&
    w.upperShadow(0) < w.avg(S.shadowVeryShort, 2, 0) &&
    w.close(0) > w.close(1) &&
    w.close(1) > w.close(2) &&
    w.open(1) > w.open(2) &&
    w.open(1) <= w.close(2) + w.avg(S.near, 3, 2) &&
    w.open(0) > w.open(1) &&
    w.open(0) <= w.close(1) + w.avg(S.near, 4, 1) &&
    w.realBody(1) > w.realBody(2) - w.avg(S.far, 5, 2) &&
    w.realBody(0) > w.realBody(1) - w.avg(S.far, 6, 1) &&
    w.realBody(0) > w.avg(S.bodyShort, 7, 0)
      ? 100
      : 0,
};

/** @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_CDL3BLACKCROWS.c */
const threeBlackCrows: PatternDef = {
  talib: 'CDL3BLACKCROWS',
  lookback: 13,
  totals: [t('shadowVeryShort', 2), t('shadowVeryShort', 1), t('shadowVeryShort', 0)],
  evaluate: (w) =>
    w.color(3) === 1 &&
    w.color(2) === -1 &&
    w.lowerShadow(2) < w.avg(S.shadowVeryShort, 0, 2) &&
    w.color(1) === -1 &&
    w.lowerShadow(1) < w.avg(S.shadowVeryShort, 1, 1) &&
    w.color(0) === -1 &&
    w.lowerShadow(0) < w.avg(S.shadowVeryShort, 2, 0) &&
    w.open(1) < w.open(2) &&
    w.open(1) > w.close(2) &&
    w.open(0) < w.open(1) &&
    w.open(0) > w.close(1) &&
    w.high(3) > w.close(2) &&
    w.close(2) > w.close(1) &&
    w.close(1) > w.close(0)
      ? -100
      : 0,
};

/** Every pattern, by the name used in the API. */
export const PATTERN_DEFS = {
  doji,
  hammer,
  hangingMan,
  shootingStar,
  engulfing,
  harami,
  piercing,
  darkCloudCover,
  morningStar,
  eveningStar,
  threeWhiteSoldiers,
  threeBlackCrows,
} as const satisfies Record<string, PatternDef>;
