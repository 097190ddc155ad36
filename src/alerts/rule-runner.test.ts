/**
 * The evaluator through the runner, on real recorded 1h klines (fixtures/binance-rest/klines,
 * finom/static-klines: raw Binance /api/v3/klines): each rule must fire on exactly the bars the
 * batch indicators say, computed here independently over the whole month.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intervalMs, type Interval } from '../core/intervals.js';
import { aggregateBars } from '../indicators/aggregate-bars.js';
import { ema } from '../indicators/ema.js';
import { macd } from '../indicators/macd.js';
import { rsi } from '../indicators/rsi.js';
import { sma } from '../indicators/sma.js';
import { tdSequential } from '../indicators/td-sequential.js';
import { loadRestBars, type RealBars } from '../indicators/test-support/real-bars.js';
import { INDICATOR_CATALOG } from '../indicators/catalog.js';
import { STREAM_CATALOG } from '../indicators/stream-catalog.js';
import { compileDefinition } from './compile-rule.js';
import { localMinuteOfDay } from './quiet-hours.js';
import { parseRuleDraft, type BarRuleDefinition } from './rule-draft.js';
import type { RuleFiring } from './rule-evaluator.js';
import { parseRuleExpression } from './rule-expression.js';
import { RuleRunner, type SeriesBar } from './rule-runner.js';
import { indicatorOutputs } from './rule-tokens.js';

const COINS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'DOGEUSDT', 'ADAUSDT'];
const MONTHS = ['2023-01-01.json', '2023-07-01.json', '2024-02-01.json'];
const HOUR = 3_600_000;

function seriesBars(symbol: string, interval: Interval, b: { openTime: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array }): SeriesBar[] {
  const len = intervalMs(interval);
  return Array.from(b.openTime, (t, i) => ({
    symbol,
    interval,
    bar: { openTime: t, open: b.open[i] as number, high: b.high[i] as number, low: b.low[i] as number, close: b.close[i] as number, volume: b.volume[i] as number },
    incomplete: false,
    evaluatedAt: t + len,
  }));
}

function define(expression: string, extra: Record<string, unknown> = {}): BarRuleDefinition {
  const d = parseRuleDraft({ expression, scope: { symbol: 'BTCUSDT' }, interval: '1h', channels: ['dashboard'], ...extra });
  assert.ok(d.kind === 'bar');
  return d;
}

/** Runs one rule over one symbol's bars (plus 4h bars aggregated from them) from the first bar, no seed. */
function run(definition: BarRuleDefinition, symbol: string, bars: RealBars): RuleFiring[] {
  const rule = compileDefinition(1, 7, definition);
  const runner = new RuleRunner([rule], () => [symbol]);
  return runner.advance([...seriesBars(symbol, '1h', bars), ...seriesBars(symbol, '4h', aggregateBars(bars, '4h'))]);
}

function firedIndexes(firings: RuleFiring[], bars: RealBars): number[] {
  const at = new Map(Array.from(bars.openTime, (t, i) => [t, i]));
  return firings.map((f) => at.get(f.barOpenTime) as number);
}

function each(fn: (symbol: string, bars: RealBars) => void): void {
  for (const symbol of COINS) for (const month of MONTHS) fn(symbol, loadRestBars(symbol, '1h', month));
}

test('runner - rsi:14 < 30 fires exactly on the bars where the batch rsi() is below 30', () => {
  let total = 0;
  each((symbol, bars) => {
    const r = rsi(bars.close, 14);
    const expected = Array.from(r.keys()).filter((i) => (r[i] as number) < 30);
    const firings = run(define('rsi:14 < 30'), symbol, bars);
    assert.deepEqual(firedIndexes(firings, bars), expected, symbol);
    for (const [k, f] of firings.entries()) assert.equal(f.inputs.operands['rsi:14'], r[expected[k] as number], 'the firing carries the operand value');
    total += expected.length;
  });
  assert.ok(total > 20, `real data should hold oversold hours (${total})`);
});

test('runner - crosses fire on the first bar after the sign change, never during warm-up', () => {
  let total = 0;
  each((symbol, bars) => {
    const e = ema(bars.close, 20);
    const c = bars.close;
    const expected: number[] = [];
    for (let i = 1; i < c.length; i++) {
      const [a, b, pa, pb] = [c[i] as number, e[i] as number, c[i - 1] as number, e[i - 1] as number];
      if (Number.isFinite(b) && Number.isFinite(pb) && a > b && pa <= pb) expected.push(i);
    }
    assert.deepEqual(firedIndexes(run(define('close crosses_above ema:20'), symbol, bars), bars), expected, symbol);
    const m = macd(bars.close, 12, 26, 9);
    const down: number[] = [];
    for (let i = 1; i < c.length; i++) {
      const [a, b, pa, pb] = [m.macd[i] as number, m.signal[i] as number, m.macd[i - 1] as number, m.signal[i - 1] as number];
      if ([a, b, pa, pb].every(Number.isFinite) && a < b && pa >= pb) down.push(i);
    }
    assert.deepEqual(firedIndexes(run(define('macd.macd crosses_below macd.signal'), symbol, bars), bars), down, `${symbol} macd`);
    total += expected.length + down.length;
  });
  assert.ok(total > 100);
});

test('runner - for 3 bars needs three consecutive bars; td.buy_setup == 9 matches the batch TD; volume over its own sma', () => {
  each((symbol, bars) => {
    const r = rsi(bars.close, 14);
    const held = Array.from(r.keys()).filter((i) => i >= 2 && [0, 1, 2].every((k) => (r[i - k] as number) < 45));
    assert.deepEqual(firedIndexes(run(define('rsi:14 < 45 for 3 bars'), symbol, bars), bars), held, symbol);
    const td = tdSequential(bars);
    const nine = Array.from(td.buySetup.keys()).filter((i) => td.buySetup[i] === 9);
    assert.deepEqual(firedIndexes(run(define('td.buy_setup == 9'), symbol, bars), bars), nine, `${symbol} td`);
    const v = sma(bars.volume, 20);
    const spikes = Array.from(v.keys()).filter((i) => (bars.volume[i] as number) > 3 * (v[i] as number));
    assert.deepEqual(firedIndexes(run(define('volume > 3 * sma:20(volume)'), symbol, bars), bars), spikes, `${symbol} volume`);
  });
});

test('runner - an operand at 4h reads the last 4h bar closed at the 1h close: no look-ahead', () => {
  each((symbol, bars) => {
    const firings = run(define('sma:1@4h > 0'), symbol, bars);
    const closeAt = new Map(Array.from(bars.openTime, (t, i) => [t + HOUR, bars.close[i] as number]));
    let checked = 0;
    for (const f of firings) {
      const closed4h = Math.floor((f.barOpenTime + HOUR) / (4 * HOUR)) * 4 * HOUR;
      // The close of a 4h bar is the close of its last hour; the 4h bar still open is never read.
      assert.equal(f.inputs.operands['sma:1@4h'], closeAt.get(closed4h), `${symbol} ${new Date(f.barOpenTime).toISOString()}`);
      checked++;
    }
    assert.ok(checked >= bars.close.length - 4);
  });
});

test('runner - once, at_most_every, cooldown and expiry thin out the every-bar firings', () => {
  const bars = loadRestBars('ETHUSDT', '1h', '2023-07-01.json');
  const every = run(define('rsi:14 > 50'), 'ETHUSDT', bars).map((f) => f.firedAt);
  assert.ok(every.length > 50);
  const greedy = (gapMs: number): number[] => every.filter(((last: number | null) => (t: number) => (last === null || t - last >= gapMs ? ((last = t), true) : false))(null));
  assert.deepEqual(run(define('rsi:14 > 50', { frequency: 'once' }), 'ETHUSDT', bars).map((f) => f.firedAt), every.slice(0, 1));
  assert.deepEqual(run(define('rsi:14 > 50', { frequency: { atMostEveryMinutes: 300 } }), 'ETHUSDT', bars).map((f) => f.firedAt), greedy(5 * HOUR));
  assert.deepEqual(run(define('rsi:14 > 50', { cooldownMinutes: 24 * 60 }), 'ETHUSDT', bars).map((f) => f.firedAt), greedy(24 * HOUR));
  const expiry = every[10] as number;
  assert.deepEqual(run(define('rsi:14 > 50', { expiresAt: expiry }), 'ETHUSDT', bars).map((f) => f.firedAt), every.slice(0, 10));
});

test('runner - quiet hours in the user time zone keep the firing in history but send it nowhere', () => {
  const bars = loadRestBars('ETHUSDT', '1h', '2023-07-01.json');
  const firings = run(define('rsi:14 > 0', { quietHours: { from: '22:00', to: '07:00', timezone: 'Asia/Tokyo' } }), 'ETHUSDT', bars);
  let quiet = 0;
  for (const f of firings) {
    const tokyoHour = (new Date(f.firedAt).getUTCHours() + 9) % 24; // Japan keeps UTC+9 all year
    const expectQuiet = tokyoHour >= 22 || tokyoHour < 7;
    assert.deepEqual(f.channels, expectQuiet ? [] : ['dashboard'], new Date(f.firedAt).toISOString());
    if (expectQuiet) quiet++;
  }
  assert.equal(quiet, firings.filter((f) => f.channels.length === 0).length);
  assert.ok(quiet > 100 && quiet < firings.length);
  // Amsterdam: 22:00 local is 20:00 UTC in July (CEST) and 21:00 UTC in January (CET).
  assert.equal(localMinuteOfDay(Date.UTC(2023, 6, 1, 20, 0), 'Europe/Amsterdam'), 22 * 60);
  assert.equal(localMinuteOfDay(Date.UTC(2023, 0, 1, 21, 0), 'Europe/Amsterdam'), 22 * 60);
});

test('runner - one stream per (symbol, interval, indicator, params, input) shared by all rules', () => {
  const bars = loadRestBars('BTCUSDT', '1h', '2023-01-01.json');
  const rules = ['rsi:14 < 30', 'rsi:14 > 70', 'rsi:14@4h < 30 and close > ema:20', 'sma:20(volume) > 0 and sma:20 > 0'].map((e, i) => compileDefinition(i + 1, 1, define(e)));
  const runner = new RuleRunner(rules, () => ['BTCUSDT', 'ETHUSDT']);
  const streams = [...runner.pool.all()].map((s) => `${s.symbol} ${s.interval}: ${[...s.cells.keys()].join(' ')}`).sort();
  assert.deepEqual(streams, [
    'BTCUSDT 1h: rsi:14 ema:20 sma:20(volume) sma:20',
    'BTCUSDT 4h: rsi:14',
    'ETHUSDT 1h: rsi:14 ema:20 sma:20(volume) sma:20',
    'ETHUSDT 4h: rsi:14',
  ]);
  // Shared streams still give each rule the batch values.
  const firings = runner.advance(seriesBars('BTCUSDT', '1h', bars));
  const r = rsi(bars.close, 14);
  assert.deepEqual(firings.filter((f) => f.ruleId === 2).map((f) => f.inputs.operands['rsi:14']), Array.from(r).filter((x) => x > 70));
});

test('runner - every output of every multi-output catalog indicator names a value of its stream', () => {
  const bars = loadRestBars('BTCUSDT', '1h', '2023-01-01.json');
  for (const [name, entry] of Object.entries(STREAM_CATALOG)) {
    if (entry.prefix === undefined) continue;
    const { indicators } = parseRuleExpression(indicatorOutputs(name, INDICATOR_CATALOG[name]?.params.map((p) => p.default) ?? []).map((o) => `${name}.${o} > 0`).join(' or '));
    const made = entry.make(indicators[0]?.spec.params ?? [], 'close');
    let value: number | Readonly<Record<string, number>> = NaN;
    for (let i = 0; i < 200; i++) value = made.step({ openTime: bars.openTime[i] as number, open: bars.open[i] as number, high: bars.high[i] as number, low: bars.low[i] as number, close: bars.close[i] as number, volume: bars.volume[i] as number });
    assert.equal(typeof value, 'object', name);
    for (const ref of indicators) assert.ok(ref.outputKey !== null && ref.outputKey in (value as object), `${ref.text} → ${ref.outputKey}`);
  }
});
