/**
 * `once_per_bar` rules evaluated on their forming bars, through the up loop's LiveEvaluation on a
 * real store fed minute by minute with the real BTCUSDT 1m candles of 2020-01-01 (fixtures/
 * binance-vision), against an oracle computed here from the minutes alone and against the
 * preview over the same window: run by one test file per backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { sliceColumns, type CandleColumns } from '../../core/candle.js';
import type { StoredFiring } from '../../store/alert-records.js';
import type { Store } from '../../store/store.js';
import { btcusdtDay } from '../../store/test-support/fixture-candles.js';
import { LiveEvaluation } from '../live-evaluation.js';
import { previewRule } from '../preview.js';
import { parseRuleDraft } from '../rule-draft.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const Q = 15 * MIN;
const EX = 'binance';
const SYMBOL = 'BTCUSDT';

export interface IntrabarBackend {
  /** A fresh, empty store, and how to drop it. */
  open(): Promise<{ store: Store; drop(): Promise<void> }>;
}

/** What a firing is compared by: its bar, when it fired, intrabar or not, and its operands. */
const keyOf = (barOpenTime: number, firedAt: number, intrabar: boolean, operands: unknown): string => JSON.stringify([barOpenTime, firedAt, intrabar, operands]);

export function intrabarScenario(name: string, backend: IntrabarBackend): void {
  test(`intrabar (${name}) - once_per_bar fires at the first minute its condition holds on the forming bar, once per bar, not again after a restart mid-bar, and as the preview does`, async () => {
    const { store, drop } = await backend.open();
    const logger = pino({ level: 'silent' });
    try {
      const day = btcusdtDay(1);
      const t0 = day.openTime[0] as number;
      const start = t0 + 6 * HOUR;
      const end = t0 + 14 * HOUR;
      const at = (t: number): number => (t - t0) / MIN;
      await store.upsertInstruments([{ exchange: EX, symbol: SYMBOL, base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: t0 }]);
      await store.writeCandles({ exchange: EX, symbol: SYMBOL, interval: '1m' }, sliceColumns(day, 0, at(start)), 'archive');

      // The level: the median close of the minutes fed, so that some hours cross it and some do not.
      const closes = Array.from(day.close.subarray(at(start), at(end))).sort((a, b) => a - b);
      const level = closes[closes.length >> 1] as number;
      const user = await store.createUser('trader', 'user', 'UTC', '$scrypt$not-used-here', t0);
      const levelRule = await store.createRule(user.id, 'level', { expression: `close > ${level}`, scope: { symbol: SYMBOL }, interval: '1h', frequency: 'once_per_bar', channels: ['dashboard'] }, t0);
      const crossDraft = { expression: 'close crosses_above sma:5', scope: { symbol: SYMBOL }, interval: '15m', channels: ['dashboard'] };
      const crossRule = await store.createRule(user.id, 'cross', { ...crossDraft, frequency: 'once_per_bar' }, t0);
      // The same cross at bar close, on the same series: the forming bars peeked beside it must not change what it sees.
      const closeRule = await store.createRule(user.id, 'cross at close', crossDraft, t0);

      const expectedLevel = levelOracle(day, level, start, end);
      // A restart in the middle of a bar that fired early and whose condition holds again later in it.
      const restartBar = expectedLevel.find((f) => f.firedAt - f.barOpenTime <= 40 * MIN && f.intrabar && laterAbove(day, level, f.firedAt, f.barOpenTime + HOUR));
      assert.ok(restartBar !== undefined, 'some hour crosses the level early and is above it again after');
      const restartAt = restartBar.firedAt + 3 * MIN;

      let live = new LiveEvaluation(store, EX, logger);
      assert.deepEqual(await live.afterSync(start, 0), [], 'the first call loads the rules');
      const fired: StoredFiring[] = [];
      for (let t = start; t < end; ) {
        // Mostly one minute a cycle, written by the sync (rest) or only by the live stream (the
        // sync then writes nothing); every 7th cycle three at once, as a sync catching up.
        const n = at(t) % 7 === 0 ? Math.min(3, at(end) - at(t)) : 1;
        const fromStream = at(t) % 3 === 1;
        const rows = await store.writeCandles({ exchange: EX, symbol: SYMBOL, interval: '1m' }, sliceColumns(day, at(t), at(t) + n), fromStream ? 'stream' : 'rest');
        t += n * MIN;
        fired.push(...(await live.afterSync(t + 2_000, fromStream ? 0 : rows)));
        if (t === restartAt || (t > restartAt && t - n * MIN < restartAt)) {
          live = new LiveEvaluation(store, EX, logger);
          assert.deepEqual(await live.afterSync(t + 5_000, 0), [], 'a restarted loop first loads the rules, evaluating nothing');
        }
      }

      const levelFired = fired.filter((f) => f.ruleId === levelRule.id);
      assert.deepEqual(
        levelFired.map((f) => [f.barOpenTime, f.firedAt, (f.inputs as { intrabar: boolean }).intrabar]),
        expectedLevel.map((f) => [f.barOpenTime, f.firedAt, f.intrabar]),
        'one firing per hour that reaches the level, at the minute it first does',
      );
      assert.ok(expectedLevel.filter((f) => f.intrabar).length >= 2 && expectedLevel.length < 8, `${expectedLevel.length} of 8 hours fire`);
      // An intrabar firing carries the bar as formed up to that minute.
      for (const f of levelFired) {
        const bar = (f.inputs as { bar: Record<string, number> }).bar;
        const minutes = { from: at(f.barOpenTime), to: at(f.firedAt) };
        assert.deepEqual([bar.open, bar.high, bar.low, bar.close], formed(day, minutes.from, minutes.to), `bar of ${new Date(f.barOpenTime).toISOString()}`);
      }

      const expectedCross = crossOracle(day, start, end);
      const crossFired = fired.filter((f) => f.ruleId === crossRule.id);
      assert.deepEqual(crossFired.map((f) => [f.barOpenTime, f.firedAt, (f.inputs as { intrabar: boolean }).intrabar]), expectedCross.map((f) => [f.barOpenTime, f.firedAt, f.intrabar]));
      assert.ok(expectedCross.filter((f) => f.intrabar).length >= 3, `the cross fires on forming bars: ${JSON.stringify(expectedCross)}`);

      // Preview over the same window: the same firings, with the same values, for each rule.
      for (const rule of [levelRule, crossRule, closeRule]) {
        const definition = parseRuleDraft(rule.definition);
        assert.ok(definition.kind === 'bar');
        const preview = await previewRule({ store, exchange: EX, definition, symbols: [SYMBOL], from: start, to: end, now: end + HOUR, graceMinutes: 10 });
        const liveKeys = fired.filter((f) => f.ruleId === rule.id).map((f) => {
          const inputs = f.inputs as { operands: unknown; intrabar: boolean };
          return keyOf(f.barOpenTime, f.firedAt, inputs.intrabar, inputs.operands);
        });
        assert.deepEqual(liveKeys, preview.firings.map((f) => keyOf(f.openTime, f.firedAt, f.intrabar, f.operands)), rule.name);
        assert.ok(liveKeys.length > 0, `${rule.name} fires`);
      }
      const atClose = fired.filter((f) => f.ruleId === closeRule.id);
      assert.ok(atClose.every((f) => f.firedAt === f.barOpenTime + Q && !(f.inputs as { intrabar: boolean }).intrabar));
    } finally {
      await store.close();
      await drop();
    }
  });
}

interface Expected {
  barOpenTime: number;
  firedAt: number;
  intrabar: boolean;
}

/** Open, high, low and close of the minutes [from, to) of the day. */
function formed(day: CandleColumns, from: number, to: number): number[] {
  let high = -Infinity;
  let low = Infinity;
  for (let i = from; i < to; i++) {
    high = Math.max(high, day.high[i] as number);
    low = Math.min(low, day.low[i] as number);
  }
  return [day.open[from] as number, high, low, day.close[to - 1] as number];
}

function laterAbove(day: CandleColumns, level: number, after: number, before: number): boolean {
  const t0 = day.openTime[0] as number;
  for (let t = after + 2 * MIN; t < before; t += MIN) if ((day.close[(t - t0) / MIN] as number) > level) return true;
  return false;
}

/** `close > level` once per 1h bar: the first minute whose close is above, intrabar unless it is the hour's last. */
function levelOracle(day: CandleColumns, level: number, from: number, to: number): Expected[] {
  const t0 = day.openTime[0] as number;
  const out: Expected[] = [];
  for (let bar = from; bar < to; bar += HOUR) {
    for (let t = bar; t < bar + HOUR; t += MIN) {
      if ((day.close[(t - t0) / MIN] as number) > level) {
        out.push({ barOpenTime: bar, firedAt: t + MIN, intrabar: t + MIN < bar + HOUR });
        break;
      }
    }
  }
  return out;
}

/**
 * `close crosses_above sma:5` once per 15m bar: at a minute of bar B, the close so far against the
 * mean of the four closes before B and it, after B − 1 closed at or below its own mean of five.
 */
function crossOracle(day: CandleColumns, from: number, to: number): Expected[] {
  const t0 = day.openTime[0] as number;
  const closeOf = (bar: number): number => day.close[(bar + Q - MIN - t0) / MIN] as number;
  const mean = (bar: number, last: number): number => {
    let sum = last;
    for (let k = 1; k <= 4; k++) sum += closeOf(bar - k * Q);
    return sum / 5;
  };
  const out: Expected[] = [];
  // The first bar has no cross history yet (the rule's state starts empty): it cannot fire.
  for (let bar = from + Q; bar < to; bar += Q) {
    const before = closeOf(bar - Q);
    if (!(before <= mean(bar - Q, before))) continue;
    for (let t = bar; t < bar + Q; t += MIN) {
      const close = day.close[(t - t0) / MIN] as number;
      if (close > mean(bar, close)) {
        out.push({ barOpenTime: bar, firedAt: t + MIN, intrabar: t + MIN < bar + Q });
        break;
      }
    }
  }
  return out;
}
