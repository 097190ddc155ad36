import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runIndicatorContract } from './indicator.contract.js';
import { IndicatorInputError } from './indicator-error.js';
import { CANDLE_PATTERNS, CandlePatternStream, candlePattern, candlePatternWarmup, candlePatterns } from './candle-patterns.js';
import { realDatasets } from './test-support/real-bars.js';

for (const name of CANDLE_PATTERNS) {
  runIndicatorContract({
    name: `candlePattern ${name}`,
    input: 'bars',
    needs: { open: true },
    batch: (b) => candlePattern(name, b),
    stream: () => new CandlePatternStream(name),
    warmup: candlePatternWarmup(name),
    badParams:
      name === 'darkCloudCover' || name === 'morningStar' || name === 'eveningStar'
        ? [() => candlePattern(name, realDatasets()[1]!, { penetration: -0.1 }), () => new CandlePatternStream(name, { penetration: NaN })]
        : [() => candlePattern(name, realDatasets()[1]!, { penetration: 0.5 })],
  });
}

test('candle patterns - TA-Lib lookbacks: doji 10, engulfing 2, hammer 11, stars and soldiers 12, crows 13', () => {
  const w = Object.fromEntries(CANDLE_PATTERNS.map((n) => [n, candlePatternWarmup(n)]));
  assert.deepEqual(w, {
    doji: 10, hammer: 11, hangingMan: 11, shootingStar: 11, engulfing: 2, harami: 11, piercing: 11,
    darkCloudCover: 11, morningStar: 12, eveningStar: 12, threeWhiteSoldiers: 12, threeBlackCrows: 13,
  });
});

test('candle patterns - a missing open column is rejected, naming the pattern and the column', () => {
  const { open: _open, ...noOpen } = realDatasets()[1]!;
  assert.throws(() => candlePattern('doji', noOpen), (e: unknown) => e instanceof IndicatorInputError && e.param === 'open' && /doji/.test(e.message));
});

test('candle patterns - candlePatterns returns every pattern keyed by name, equal to one-by-one calls', () => {
  const b = realDatasets()[1]!;
  const all = candlePatterns(b);
  assert.deepEqual(Object.keys(all), CANDLE_PATTERNS);
  for (const n of CANDLE_PATTERNS) assert.deepEqual(all[n], candlePattern(n, b));
});
