/**
 * The cost of `once_per_bar` rules per stored minute: the bench's 10,000 rules (rules-at-close.ts)
 * made `once_per_bar` on 1h, so that every minute of every one of the 200 symbols peeks its
 * forming hour and evaluates the rules not yet fired in it. The streams are seeded on 700 real
 * hours; the minutes of the timed hour are generated from its real 1h bar (a straight path from
 * open to close, the high reached at minute 20 and the low at minute 40, volume spread evenly):
 * generated data is fine for a cost, and the rules' operands stay in real ranges.
 */
import type { CandleColumns } from '../../src/core/candle.js';
import type { SeriesBar } from '../../src/alerts/rule-runner.js';
import { barsAt, benchRunner, coinHours, seedBench, SYMBOLS } from './rules-at-close.js';

const MIN = 60_000;

export interface IntrabarMinutesResult {
  rules: number;
  /** Per minute of the timed hour (the 60th also closes the hour): CPU ms, wall ms, intrabar evaluations, firings. */
  minutes: Array<{ minute: number; ms: number; cpuMs: number; peeked: number; evaluated: number; firings: number }>;
}

function minutesOf(coinBars: readonly CandleColumns[], i: number, k: number): SeriesBar[] {
  return SYMBOLS.map((symbol, s) => {
    const c = coinBars[s % coinBars.length] as CandleColumns;
    const o = c.open[i] as number;
    const move = (c.close[i] as number) - o;
    const open = o + (move * k) / 60;
    const close = o + (move * (k + 1)) / 60;
    const high = k === 20 ? (c.high[i] as number) : Math.max(open, close);
    const low = k === 40 ? (c.low[i] as number) : Math.min(open, close);
    const openTime = (c.openTime[i] as number) + k * MIN;
    return { symbol, interval: '1m', bar: { openTime, open, high, low, close, volume: (c.volume[i] as number) / 60 }, incomplete: false, evaluatedAt: openTime + MIN };
  });
}

export function measureIntrabarMinutes(): IntrabarMinutesResult {
  const coinBars = coinHours();
  const { runner, rules } = benchRunner('once_per_bar');
  const warm = 700;
  seedBench(runner, coinBars, warm);
  const minutes: IntrabarMinutesResult['minutes'] = [];
  for (let k = 0; k < 60; k++) {
    // The hour closes with its last minute: that call steps the hour and evaluates every rule at its close too.
    const bars = k === 59 ? [...minutesOf(coinBars, warm, k), ...barsAt(coinBars, warm)] : minutesOf(coinBars, warm, k);
    (globalThis as { gc?: () => void }).gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const firings = runner.advance(bars);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    runner.takeChangedStates();
    minutes.push({ minute: k + 1, ms, cpuMs: (cpu.user + cpu.system) / 1000, peeked: runner.peeked, evaluated: runner.evaluated, firings: firings.length });
  }
  return { rules, minutes };
}
