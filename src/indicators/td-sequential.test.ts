import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runIndicatorContract } from './indicator.contract.js';
import { IndicatorInputError } from './indicator-error.js';
import { TD_SEQUENTIAL_WARMUP, TdSequentialStream, tdSequential, type TdSequentialSeries } from './td-sequential.js';
import { loadRestBars, realDatasets, type RealBars } from './test-support/real-bars.js';

runIndicatorContract({
  name: 'tdSequential',
  input: 'bars',
  batch: (b) => tdSequential(b),
  into: (b, out) => tdSequential(b, out),
  stream: () => new TdSequentialStream(),
  warmup: TD_SEQUENTIAL_WARMUP,
});

// Every rule is checked on every bar of these real candles, straight from the raw prices, and
// each check also asserts that the rule actually fired somewhere (no vacuous passes).
const sets: RealBars[] = [
  ...realDatasets(),
  ...['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'DOGEUSDT', 'LINKUSDT'].flatMap((sym) =>
    ['2023-07-01.json', '2024-02-01.json'].map((f) => loadRestBars(sym, '1h', f)),
  ),
];
const runs = sets.map((b) => ({ b, td: tdSequential(b) }));

type Side = 'buy' | 'sell';
const SIDES: Side[] = ['buy', 'sell'];
const setupOf = (td: TdSequentialSeries, side: Side): Float64Array => (side === 'buy' ? td.buySetup : td.sellSetup);
const cdOf = (td: TdSequentialSeries, side: Side): Float64Array => (side === 'buy' ? td.buyCountdown : td.sellCountdown);
/** `a` is beyond `b` in the setup's direction: below for buy, above for sell. */
const beyond = (side: Side, a: number, b: number): boolean => (side === 'buy' ? a < b : a > b);

test('td sequential - price flip: setup bar 1 exactly where close crosses the close 4 back after a bar that did not', () => {
  let flips = 0;
  for (const { b, td } of runs) {
    const c = b.close;
    for (let i = TD_SEQUENTIAL_WARMUP; i < c.length; i++) {
      for (const side of SIDES) {
        const isFlip = beyond(side, c[i]!, c[i - 4]!) && !beyond(side, c[i - 1]!, c[i - 5]!);
        assert.equal(setupOf(td, side)[i] === 1, isFlip, `${b.label} bar ${i} ${side}`);
        if (isFlip) flips++;
      }
    }
  }
  assert.ok(flips > 100, `only ${flips} flips`);
});

test('td sequential - setup counts only consecutive strict closes beyond the close 4 bars back', () => {
  let nines = 0;
  for (const { b, td } of runs) {
    const c = b.close;
    for (let i = TD_SEQUENTIAL_WARMUP; i < c.length; i++) {
      for (const side of SIDES) {
        const k = setupOf(td, side)[i]!;
        if (k > 1) {
          assert.ok(beyond(side, c[i]!, c[i - 4]!), `${b.label} bar ${i}`);
          assert.equal(setupOf(td, side)[i - 1], k - 1, `${b.label} bar ${i}`);
        }
        if (k === 9) nines++;
      }
    }
  }
  assert.ok(nines > 20, `only ${nines} completed setups`);
});

test('td sequential - a close equal to the close 4 bars back ends a running setup (<= does not count)', () => {
  let ties = 0;
  for (const { b, td } of runs) {
    const c = b.close;
    for (let i = TD_SEQUENTIAL_WARMUP + 1; i < c.length; i++) {
      if (c[i] !== c[i - 4] || (td.buySetup[i - 1] === 0 && td.sellSetup[i - 1] === 0)) continue;
      ties++;
      assert.equal(td.buySetup[i], 0, `${b.label} bar ${i}`);
      assert.equal(td.sellSetup[i], 0, `${b.label} bar ${i}`);
    }
  }
  assert.ok(ties > 10, `only ${ties} ties inside a running setup`);
});

test('td sequential - perfection at bar 9: bar 8 or 9 beyond both bars 6 and 7, both outcomes occur', () => {
  const seen = { yes: 0, no: 0 };
  for (const { b, td } of runs) {
    for (const side of SIDES) {
      const x = side === 'buy' ? b.low : b.high;
      const perf = side === 'buy' ? td.buyPerfected : td.sellPerfected;
      const s = setupOf(td, side);
      for (let i = 0; i < s.length; i++) {
        if (s[i] !== 9) continue;
        const ref = side === 'buy' ? Math.min(x[i - 3]!, x[i - 2]!) : Math.max(x[i - 3]!, x[i - 2]!);
        const want = beyond(side, x[i - 1]!, ref) || beyond(side, x[i]!, ref);
        assert.equal(perf[i], want ? 1 : 0, `${b.label} bar ${i} ${side}`);
        seen[want ? 'yes' : 'no']++;
      }
    }
  }
  assert.ok(seen.yes > 5 && seen.no > 5, JSON.stringify(seen));
});

test('td sequential - an unperfected setup is perfected by a later bar beyond bars 6 and 7', () => {
  let later = 0;
  for (const { b, td } of runs) {
    for (const side of SIDES) {
      const x = side === 'buy' ? b.low : b.high;
      const perf = side === 'buy' ? td.buyPerfected : td.sellPerfected;
      const s = setupOf(td, side);
      let ref = NaN;
      for (let i = TD_SEQUENTIAL_WARMUP; i < s.length; i++) {
        if (s[i] === 9) ref = side === 'buy' ? Math.min(x[i - 3]!, x[i - 2]!) : Math.max(x[i - 3]!, x[i - 2]!);
        if (perf[i] === 1 && perf[i - 1] === 0 && s[i] !== 9) {
          assert.ok(beyond(side, x[i]!, ref), `${b.label} bar ${i} ${side}: ${x[i]} vs ${ref}`);
          later++;
        }
      }
    }
  }
  assert.ok(later > 0);
});

/** Countdown events per side, re-derived from the output: start, numbered bars, end. */
test('td sequential - countdown: starts on setup bar 9, counts close <= low (>= high) 2 back, 13 needs the bar-8 close', () => {
  const seen = { fromBar9: 0, thirteen: 0, deferred: 0, recycled: 0 };
  for (const { b, td } of runs) {
    for (const side of SIDES) {
      const cd = cdOf(td, side);
      const deferred = side === 'buy' ? td.buyDeferred : td.sellDeferred;
      const s = setupOf(td, side);
      let last = 0;
      let close8 = NaN;
      for (let i = TD_SEQUENTIAL_WARMUP; i < cd.length; i++) {
        const k = cd[i]!;
        const qualifies = side === 'buy' ? b.close[i]! <= b.low[i - 2]! : b.close[i]! >= b.high[i - 2]!;
        if (k > 0 || deferred[i] === 1) assert.ok(qualifies, `${b.label} bar ${i} ${side}`);
        if (s[i] === 9 && k === 1) seen.fromBar9++;
        if (s[i]! >= 18 && s[i]! % 9 === 0 && k > 0) {
          assert.equal(k, 1, `${b.label} bar ${i}: recycle restarts at 1`);
          seen.recycled++;
        } else if (k > 1) assert.equal(k, last + 1, `${b.label} bar ${i} ${side}`);
        if (k === 8) close8 = b.close[i]!;
        const x = side === 'buy' ? b.low[i]! : b.high[i]!;
        if (k === 13) {
          assert.ok(side === 'buy' ? x <= close8 : x >= close8, `${b.label} bar ${i}`);
          seen.thirteen++;
        }
        if (deferred[i] === 1) {
          assert.equal(last, 12);
          assert.ok(side === 'buy' ? x > close8 : x < close8, `${b.label} bar ${i}`);
          seen.deferred++;
        }
        if (k > 0) last = k;
      }
    }
  }
  assert.ok(seen.fromBar9 > 0 && seen.thirteen > 0 && seen.deferred > 0, JSON.stringify(seen));
});

test('td sequential - cancellation: an opposite setup 9 or a TDST break stops the countdown until the next setup 9', () => {
  const seen = { opposite: 0, tdst: 0 };
  for (const { b, td } of runs) {
    for (const side of SIDES) {
      const cd = cdOf(td, side);
      const own = setupOf(td, side);
      const other = setupOf(td, side === 'buy' ? 'sell' : 'buy');
      const level = side === 'buy' ? td.tdstResistance : td.tdstSupport;
      let running = false;
      let last = 0;
      let cancelledAt = -1;
      for (let i = TD_SEQUENTIAL_WARMUP; i < cd.length; i++) {
        if (own[i]! >= 9 && own[i]! % 9 === 0) {
          running = true;
          cancelledAt = -1;
          last = 0;
        }
        if (cancelledAt >= 0) assert.equal(cd[i], 0, `${b.label} bar ${i} ${side}: counted after cancellation at ${cancelledAt}`);
        if (!running) continue;
        if (other[i] === 9 && last < 13) {
          seen.opposite += last > 0 ? 1 : 0;
          running = false;
          cancelledAt = i;
          continue;
        }
        const brk = side === 'buy'
          ? b.low[i]! > level[i]! && b.close[i - 1]! > level[i]!
          : b.high[i]! < level[i]! && b.close[i - 1]! < level[i]!;
        if (brk && own[i]! % 9 !== 0) {
          seen.tdst++;
          running = false;
          cancelledAt = i;
          continue;
        }
        if (cd[i]! > 0) last = cd[i]!;
        if (last === 13) running = false;
      }
    }
  }
  assert.ok(seen.opposite > 0 && seen.tdst > 0, JSON.stringify(seen));
});

test('td sequential - TDST resistance is the highest high of the buy setup, support the lowest low of the sell setup', () => {
  for (const { b, td } of runs.slice(0, 3)) {
    for (let i = 0; i < b.close.length; i++) {
      if (td.buySetup[i] === 9) assert.equal(td.tdstResistance[i], Math.max(...b.high.subarray(i - 8, i + 1)));
      if (td.sellSetup[i] === 9) assert.equal(td.tdstSupport[i], Math.min(...b.low.subarray(i - 8, i + 1)));
    }
  }
});

test('td sequential - rejects a bar whose high is below its low, naming the bar', () => {
  const b = realDatasets()[1]!;
  const high = b.high.slice();
  high[30] = b.low[30]! / 2;
  assert.throws(() => tdSequential({ ...b, high }), (e: unknown) => e instanceof IndicatorInputError && e.index === 30);
});
