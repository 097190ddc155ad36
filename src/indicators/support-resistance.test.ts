import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runIndicatorContract } from './indicator.contract.js';
import { SupportResistanceStream, supportResistance, supportResistanceLevels } from './support-resistance.js';
import { realDatasets, type RealBars } from './test-support/real-bars.js';

runIndicatorContract({
  name: 'supportResistance',
  input: 'bars',
  batch: (b) => supportResistance(b),
  stream: () => new SupportResistanceStream(),
  warmup: 10,
  badParams: [
    () => new SupportResistanceStream({ left: 0 }),
    () => new SupportResistanceStream({ right: 2.5 }),
    () => new SupportResistanceStream({ tolerance: -0.01 }),
    () => new SupportResistanceStream({ breakThreshold: NaN }),
    () => new SupportResistanceStream({ maxLevels: 0 }),
  ],
});

/** Swing pivots found by brute force over the whole series (the look-ahead is fine here: a reference). */
function pivots(b: RealBars, left: number, right: number): { bar: number; price: number }[] {
  const out: { bar: number; price: number }[] = [];
  for (let p = left; p + right < b.close.length; p++) {
    const before = (x: Float64Array) => Array.from(x.subarray(p - left, p));
    const after = (x: Float64Array) => Array.from(x.subarray(p + 1, p + right + 1));
    if (before(b.high).every((h) => h < b.high[p]!) && after(b.high).every((h) => h <= b.high[p]!)) out.push({ bar: p, price: b.high[p]! });
    if (before(b.low).every((l) => l > b.low[p]!) && after(b.low).every((l) => l >= b.low[p]!)) out.push({ bar: p, price: b.low[p]! });
  }
  return out;
}

const eth = realDatasets()[1]!;

test('support/resistance - every swing pivot lands in exactly one level (touches add up)', () => {
  for (const [left, right] of [[5, 5], [3, 8]] as const) {
    const { levels } = supportResistanceLevels(eth, { left, right, maxLevels: 1000 });
    const want = pivots(eth, left, right);
    assert.ok(want.length > 20);
    assert.equal(levels.reduce((a, l) => a + l.touches, 0), want.length);
    // Each level's first touch is a pivot bar at the level's own first price.
    const bars = new Set(want.map((p) => p.bar));
    for (const l of levels) assert.ok(bars.has(l.firstTouch) && bars.has(l.lastTouch), `level ${l.price}`);
  }
});

test('support/resistance - a pivot appears only after its right bars have closed (no look-ahead)', () => {
  const right = 5;
  const s = new SupportResistanceStream({ right });
  const confirmed = new Set<number>();
  for (let i = 0; i < eth.close.length; i++) {
    s.update({ high: eth.high[i]!, low: eth.low[i]!, close: eth.close[i]! });
    for (const l of s.levels()) {
      assert.ok(l.lastTouch <= i - right, `bar ${i}: level touched at ${l.lastTouch} is visible before bar ${l.lastTouch + right}`);
      confirmed.add(l.lastTouch);
    }
  }
  const want = pivots(eth, 5, right).map((p) => p.bar);
  for (const b of want) assert.ok(confirmed.has(b) || b + right >= eth.close.length, `pivot ${b} never seen as a touch`);
});

test('support/resistance - wider tolerance clusters the same pivots into fewer, more-touched levels', () => {
  const tight = supportResistanceLevels(eth, { tolerance: 0.001, maxLevels: 1000 }).levels;
  const wide = supportResistanceLevels(eth, { tolerance: 0.02, maxLevels: 1000 }).levels;
  assert.ok(wide.length < tight.length / 2, `${wide.length} vs ${tight.length}`);
  assert.ok(Math.max(...wide.map((l) => l.touches)) > Math.max(...tight.map((l) => l.touches)));
  // A pivot joins only a level within tolerance of it, so a level's mean stays within the band of its pivots.
  assert.equal(tight.reduce((a, l) => a + l.touches, 0), wide.reduce((a, l) => a + l.touches, 0));
});

test('support/resistance - support at or below the close, resistance above, and breaks are crossings beyond the threshold', () => {
  const thr = 0.002;
  let ups = 0;
  let downs = 0;
  for (const b of realDatasets()) {
    const sr = supportResistance(b, { breakThreshold: thr });
    for (let i = 10; i < b.close.length; i++) {
      const c = b.close[i]!;
      if (sr.support[i]! > 0) assert.ok(sr.support[i]! <= c, `${b.label} bar ${i}`);
      if (sr.resistance[i]! > 0) assert.ok(sr.resistance[i]! > c, `${b.label} bar ${i}`);
      const up = sr.breakUp[i]!;
      if (up > 0) {
        assert.ok(c > up * (1 + thr) && b.close[i - 1]! <= up * (1 + thr), `${b.label} bar ${i}`);
        ups++;
      }
      const down = sr.breakDown[i]!;
      if (down > 0) {
        assert.ok(c < down * (1 - thr) && b.close[i - 1]! >= down * (1 - thr), `${b.label} bar ${i}`);
        downs++;
      }
    }
  }
  assert.ok(ups > 10 && downs > 10, `${ups} up, ${downs} down`);
});

test('support/resistance - maxLevels bounds the levels held', () => {
  const { series, levels } = supportResistanceLevels(eth, { maxLevels: 4 });
  assert.ok(Math.max(...series.levels.subarray(10)) === 4);
  assert.equal(levels.length, 4);
  // Every level kept was touched no earlier than any level that was dropped for room.
  const all = supportResistanceLevels(eth, { maxLevels: 1000 }).levels;
  assert.ok(all.length > 4);
  const oldestKept = Math.min(...levels.map((l) => l.lastTouch));
  assert.ok(Math.max(...all.map((l) => l.lastTouch)) >= oldestKept);
});

test('support/resistance - levels carry openTime of their first and last touch', () => {
  const { levels } = supportResistanceLevels(eth);
  for (const l of levels) {
    assert.equal(l.firstTouchTime, eth.openTime[l.firstTouch]);
    assert.equal(l.lastTouchTime, eth.openTime[l.lastTouch]);
    assert.ok(l.touches >= 1 && l.strength >= 0 && l.firstTouch <= l.lastTouch);
  }
});

test('support/resistance - an openTime column, read for the touch times, is checked like any time column', () => {
  const b = realDatasets()[0]!;
  const bars = { high: b.high, low: b.low, close: b.close, openTime: b.openTime! };
  const withTimes = (t: Float64Array) => ({ ...bars, openTime: t });
  const dup = Float64Array.from(bars.openTime);
  dup[50] = dup[49]!;
  assert.throws(() => supportResistance(withTimes(dup)), /supportResistance: openTime .*50/);
  const nan = Float64Array.from(bars.openTime);
  nan[7] = NaN;
  assert.throws(() => supportResistance(withTimes(nan)), /supportResistance: openTime .*bar 7/);
  assert.throws(() => supportResistance(withTimes(bars.openTime.subarray(1))), /supportResistance: openTime/);
  // Without openTime nothing is asked of it; the levels then carry NaN times.
  assert.ok(Number.isNaN(supportResistanceLevels({ high: b.high, low: b.low, close: b.close }).levels[0]!.lastTouchTime));

  // Stream: a bar not after the one before is refused and the stream goes on as if it had not come.
  const s = new SupportResistanceStream();
  const bar = (i: number) => ({ high: b.high[i]!, low: b.low[i]!, close: b.close[i]!, openTime: b.openTime![i]! });
  for (let i = 0; i < 100; i++) s.update(bar(i));
  assert.throws(() => s.update({ ...bar(100), openTime: b.openTime![99]! }), /openTime .* at bar 100 is not after the previous bar's/);
  assert.throws(() => s.replace({ ...bar(99), openTime: b.openTime![98]! }), /openTime .* at bar 99 is not after the previous bar's/);
  for (let i = 100; i < 300; i++) s.update(bar(i));
  const batch = supportResistanceLevels({ ...bars, high: b.high.subarray(0, 300), low: b.low.subarray(0, 300), close: b.close.subarray(0, 300), openTime: b.openTime!.subarray(0, 300) });
  assert.deepEqual(s.levels(), batch.levels);
});
