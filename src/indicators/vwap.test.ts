import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vwap, VwapStream } from './vwap.js';
import { IndicatorInputError } from './indicator-error.js';
import { runIndicatorContract } from './indicator.contract.js';
import { btcusdt1m, realDatasets } from './test-support/real-bars.js';

runIndicatorContract({
  name: 'vwap',
  input: 'bars',
  batch: (b) => vwap(b),
  into: (b, out) => vwap(b, 'hlc3', out),
  stream: () => new VwapStream(),
  warmup: 0,
  needs: { volume: true, openTime: true },
  badParams: [() => new VwapStream('hl2' as 'hlc3')],
});

runIndicatorContract({
  name: 'vwap',
  input: 'bars',
  batch: (b) => vwap(b, 'ohlc4'),
  into: (b, out) => vwap(b, 'ohlc4', out),
  stream: () => new VwapStream('ohlc4'),
  warmup: 0,
  needs: { volume: true, openTime: true, open: true },
  columns: ['close', 'high', 'low', 'volume', 'open'],
});

test('vwap - the first bar of each UTC day equals its typical price, and the day restarts there', () => {
  const bars = btcusdt1m();
  const out = vwap(bars);
  let days = 0;
  for (let i = 0; i < bars.close.length; i++) {
    if (bars.openTime[i]! % 86_400_000 !== 0) continue;
    days++;
    const tp = (bars.high[i]! + bars.low[i]! + bars.close[i]!) / 3;
    // (tp·v)/v may round one ulp away from tp.
    assert.ok(Math.abs(out[i]! - tp) <= 2e-16 * tp, `bar ${i}: ${out[i]} vs ${tp}`);
    // The next bar averages only these two bars: the previous day no longer counts.
    const tp1 = (bars.high[i + 1]! + bars.low[i + 1]! + bars.close[i + 1]!) / 3;
    const two = (tp * bars.volume[i]! + tp1 * bars.volume[i + 1]!) / (bars.volume[i]! + bars.volume[i + 1]!);
    assert.ok(Math.abs(out[i + 1]! - two) <= 1e-15 * two, `bar ${i + 1}: ${out[i + 1]} vs ${two}`);
  }
  assert.equal(days, 3);
});

test('vwap - the last bar of a day is that day’s Σ typical·volume / Σ volume', () => {
  for (const bars of realDatasets().slice(0, 2)) {
    const out = vwap(bars);
    const n = bars.close.length;
    let pv = 0;
    let v = 0;
    for (let i = 0; i < n; i++) {
      if (i > 0 && Math.floor(bars.openTime[i]! / 86_400_000) !== Math.floor(bars.openTime[i - 1]! / 86_400_000)) {
        // Bar i − 1 closed a day: compare with an independent summation of that day.
        assert.ok(Math.abs(out[i - 1]! - pv / v) <= 1e-12 * (pv / v), `${bars.label} bar ${i - 1}`);
        pv = 0;
        v = 0;
      }
      pv += ((bars.high[i]! + bars.low[i]! + bars.close[i]!) / 3) * bars.volume[i]!;
      v += bars.volume[i]!;
    }
  }
});

test('vwap - on daily bars every value is that bar’s own typical price', () => {
  const bars = realDatasets()[2]!;
  const out = vwap(bars);
  for (let i = 0; i < bars.close.length; i++) {
    const tp = (bars.high[i]! + bars.low[i]! + bars.close[i]!) / 3;
    assert.ok(Math.abs(out[i]! - tp) <= 2e-16 * tp, `bar ${i}: ${out[i]} vs ${tp}`);
  }
});

test('vwap - a session without volume yet shows the bar’s price', () => {
  const t0 = Date.UTC(2024, 0, 1);
  const bars = {
    openTime: Float64Array.from([t0, t0 + 60_000, t0 + 120_000]),
    high: Float64Array.from([11, 12, 13]),
    low: Float64Array.from([9, 10, 11]),
    close: Float64Array.from([10, 11, 12]),
    volume: Float64Array.from([0, 2, 1]),
  };
  assert.deepEqual(Array.from(vwap(bars)), [10, 11, (11 * 2 + 12) / 3]);
});

test('vwap - rejects unsorted or duplicate openTime naming the bar, in batch and stream', () => {
  const bars = btcusdt1m();
  const t = bars.openTime.slice();
  t[100] = t[99]!;
  assert.throws(() => vwap({ ...bars, openTime: t }), (e: unknown) => e instanceof IndicatorInputError && e.index === 100 && /vwap/.test(e.message));
  const s = new VwapStream();
  s.update({ high: 2, low: 1, close: 1.5, volume: 1, openTime: 120_000 });
  assert.throws(() => s.update({ high: 2, low: 1, close: 1.5, volume: 1, openTime: 60_000 }), (e: unknown) => e instanceof IndicatorInputError && e.index === 1);
  assert.throws(() => s.update({ high: 2, low: 1, close: 1.5, volume: 1 }), IndicatorInputError);
});

test('vwap - an infinite field or openTime, a negative first openTime and a price × volume overflow are errors; the stream keeps its state', () => {
  const good = { open: 1, high: 2, low: 1, close: 1.5, volume: 1 };
  const cases: [string, Record<string, number>, RegExp][] = [
    ['high', { high: Infinity }, /high/],
    ['close', { close: Infinity }, /close/],
    ['volume', { volume: Infinity }, /volume/],
    ['openTime', { openTime: Infinity }, /openTime/],
    ['overflow', { high: 1e300, low: 1e300, close: 1e300, volume: 1e300 }, /overflows at bar 1/],
  ];
  for (const [what, change, message] of cases) {
    const s = new VwapStream();
    assert.equal(s.update({ ...good, openTime: 0 }), 1.5);
    assert.throws(() => s.update({ ...good, openTime: 60_000, ...change }), (e: unknown) => e instanceof IndicatorInputError && e.index === 1 && message.test(e.message), what);
    // Untouched: the next good bar gives what it gives after the first bar alone.
    assert.equal(s.update({ ...good, high: 3, openTime: 60_000 }), (1.5 + (3 + 1 + 1.5) / 3) / 2, what);
  }
  assert.throws(() => new VwapStream().update({ ...good, openTime: -1 }), (e: unknown) => e instanceof IndicatorInputError && e.index === 0 && /openTime/.test(e.message));
  const big = Float64Array.from([1e300, 1e300]);
  assert.throws(
    () => vwap({ high: big, low: big, close: big, volume: big, openTime: Float64Array.from([0, 60_000]) }),
    (e: unknown) => e instanceof IndicatorInputError && e.index === 0 && /overflows/.test(e.message),
  );
});
