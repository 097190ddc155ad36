/**
 * `once_per_bar` through the runner alone, on the real BTCUSDT 1m candles of 2020-01-01..03
 * (fixtures/binance-vision archive zips): the minutes and the closed 15m bars built from them are
 * handed to `advance` as the engine hands them, and the firings are checked against an oracle
 * computed here from the minutes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intervalMs, type Interval } from '../core/intervals.js';
import { aggregateBars } from '../indicators/aggregate-bars.js';
import { btcusdt1m } from '../indicators/test-support/real-bars.js';
import { compileDefinition } from './compile-rule.js';
import { parseRuleDraft } from './rule-draft.js';
import type { RuleFiring } from './rule-evaluator.js';
import { RuleRunner, type SeriesBar } from './rule-runner.js';

const MIN = 60_000;
const Q = 15 * MIN;
const minutes = btcusdt1m();
const t0 = minutes.openTime?.[0] as number;
const closeAt = (t: number): number => minutes.close[(t - t0) / MIN] as number;

function seriesBars(interval: Interval, b: { openTime: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array }): SeriesBar[] {
  const len = intervalMs(interval);
  return Array.from(b.openTime, (t, i) => ({
    symbol: 'BTCUSDT',
    interval,
    bar: { openTime: t, open: b.open[i] as number, high: b.high[i] as number, low: b.low[i] as number, close: b.close[i] as number, volume: b.volume[i] as number },
    incomplete: false,
    evaluatedAt: t + len,
  }));
}

const oneMinute = seriesBars('1m', { ...minutes, openTime: minutes.openTime as Float64Array, open: minutes.open as Float64Array, volume: minutes.volume as Float64Array });
const quarters = seriesBars('15m', aggregateBars(minutes, '15m'));

function run(expression: string, interval: Interval, frequency: string): RuleFiring[] {
  const d = parseRuleDraft({ expression, scope: { symbol: 'BTCUSDT' }, interval, frequency, channels: ['dashboard'] });
  assert.ok(d.kind === 'bar');
  const runner = new RuleRunner([compileDefinition(1, 1, d)], () => ['BTCUSDT']);
  // In batches of a few hours, as successive engine calls would hand them.
  const firings: RuleFiring[] = [];
  const all = [...oneMinute, ...quarters];
  for (let from = t0; from < t0 + 3 * 1440 * MIN; from += 4 * 60 * MIN) {
    firings.push(...runner.advance(all.filter((b) => b.bar.openTime + intervalMs(b.interval) > from && b.bar.openTime + intervalMs(b.interval) <= from + 4 * 60 * MIN)));
  }
  return firings;
}

test('intrabar runner - `for 2 bars` on a forming bar counts the run of the closed bars before it and the bar as formed, and fires once in that bar', () => {
  const sorted = Array.from(minutes.close).sort((a, b) => a - b);
  const level = sorted[sorted.length >> 1] as number;
  const fired = run(`close > ${level} for 2 bars`, '15m', 'once_per_bar');
  const expected: Array<[number, number, boolean]> = [];
  // The first bar has no run before it; a bar fires at its first minute above the level after a bar that closed above it.
  for (let bar = t0 + Q; bar < t0 + 3 * 1440 * MIN; bar += Q) {
    if (!(closeAt(bar - MIN) > level)) continue;
    for (let t = bar; t < bar + Q; t += MIN) {
      if (closeAt(t) > level) {
        expected.push([bar, t + MIN, t + MIN < bar + Q]);
        break;
      }
    }
  }
  assert.deepEqual(fired.map((f) => [f.barOpenTime, f.firedAt, f.inputs.intrabar]), expected);
  assert.ok(expected.filter(([, , intrabar]) => intrabar).length > 10, `${expected.length} firings`);
});

test('intrabar runner - a bar whose condition first holds at its last minute fires at its close, not intrabar; the others at their first minute', () => {
  // A bar whose last close is its highest: the level is the highest close of its other minutes.
  let bar = t0 + 10 * Q;
  const highestBefore = (b: number): number => {
    let most = -Infinity;
    for (let t = b; t < b + Q - MIN; t += MIN) most = Math.max(most, closeAt(t));
    return most;
  };
  while (!(closeAt(bar + Q - MIN) > highestBefore(bar))) bar += Q;
  const level = highestBefore(bar);
  const fired = run(`close > ${level}`, '15m', 'once_per_bar');
  const expected: Array<[number, number, boolean]> = [];
  for (let b = t0; b < t0 + 3 * 1440 * MIN; b += Q) {
    for (let t = b; t < b + Q; t += MIN) {
      if (closeAt(t) > level) {
        expected.push([b, t + MIN, t + MIN < b + Q]);
        break;
      }
    }
  }
  assert.deepEqual(fired.map((f) => [f.barOpenTime, f.firedAt, f.inputs.intrabar]), expected);
  assert.ok(expected.some(([b, firedAt, intrabar]) => b === bar && firedAt === bar + Q && !intrabar), 'the chosen bar fires at its close');
  assert.ok(expected.some(([, , intrabar]) => intrabar));
});

test('intrabar runner - once_per_bar on 1m fires as once_per_bar_close: a minute has no earlier minute to be peeked at', () => {
  const perBar = run('close crosses_above ema:9', '1m', 'once_per_bar');
  const atClose = run('close crosses_above ema:9', '1m', 'once_per_bar_close');
  assert.ok(atClose.length > 20);
  assert.deepEqual(perBar, atClose);
});
