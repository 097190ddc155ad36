/**
 * QuantConnect LEAN's indicator test data (SPY; quirks in shared/data/SOURCES.md §7) against our
 * indicators. LEAN's own tests allow 1e-3; the files print 4–7 significant digits, so we allow
 * half a unit of the printed precision (rtol 5e-7 … 5e-6 as the file needs; where the inputs are
 * printed rounded too, their propagated rounding, stated at the test) and compare:
 * - every row where LEAN follows TA-Lib's rule: EMA (SMA seed), Wilder RSI, SMA, Bollinger, OBV;
 * - ATR (Wilder): LEAN's first true range is high − low, first ATR at bar period − 1; one copy of
 *   bar 0 in front reproduces that seed (every row compared);
 * - MACD: LEAN seeds the fast EMA on the first 12 closes (TA-Lib on closes 14..25) and its files
 *   start printing at odd bars, so only rows where any seed has decayed below 1e-9 are compared.
 * @see https://github.com/QuantConnect/Lean/tree/master/Tests/TestData
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadReferenceCsv, type ReferenceTable } from './test-support/reference-csv.js';
import { padFront } from './test-support/reference-vectors.js';
import { atr } from './atr.js';
import { bbands } from './bbands.js';
import { ema } from './ema.js';
import { macd } from './macd.js';
import { obv } from './obv.js';
import { rsi } from './rsi.js';
import { sma } from './sma.js';

const load = (file: string): ReferenceTable => loadReferenceCsv(`lean/${file}`);

/** |ours[i + shift] − expected[i]| ≤ rel·|expected| + abs on every row with a value from `from`. */
function check(label: string, ours: Float64Array, expected: Float64Array, tol: { rel?: number; abs?: number }, opts: { shift?: number; from?: number } = {}): void {
  const shift = opts.shift ?? 0;
  let n = 0;
  for (let i = opts.from ?? 0; i < expected.length; i++) {
    const e = expected[i]!;
    if (Number.isNaN(e)) continue;
    const o = ours[i + shift]!;
    assert.ok(Math.abs(o - e) <= (tol.rel ?? 0) * Math.abs(e) + (tol.abs ?? 0), `${label}: row ${i} LEAN ${e}, ours ${o}`);
    n++;
  }
  assert.ok(n >= 20, `${label}: only ${n} rows compared`);
}

test('lean spy_atr_wilder - Wilder ATR(14) with LEAN\'s seed (bar 0 padded) on every row', () => {
  const t = load('lean_spy_atr_wilder.txt');
  const pad = (c: string): Float64Array => padFront(t.column(c), 1);
  const ours = atr({ high: pad('high'), low: pad('low'), close: pad('close') }, 14);
  check('ATR', ours, t.column('average true range 14'), { rel: 5e-6 }, { shift: 1 });
});

test('lean spy_bollinger_bands - Bollinger(20, 2) on every row', () => {
  const t = load('lean_spy_bollinger_bands.txt');
  const b = bbands(t.column('close'), 20, 2, 2);
  check('middle', b.middle, t.column('moving average 20'), { rel: 5e-7 });
  check('upper', b.upper, t.column('bollinger bands® 20 2 top'), { rel: 5e-7 });
  check('lower', b.lower, t.column('bollinger bands® 20 2 bottom'), { rel: 5e-7 });
});

test('lean spy_ema - EMA(14), SMA-seeded at bar 13, on every row', () => {
  // This file writes warm-up cells as the literal NaN, which the shared CSV reader rejects.
  const text = readFileSync(new URL('../../fixtures/indicators/lean/lean_spy_ema.csv', import.meta.url), 'utf8');
  const rows = text.trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  const close = Float64Array.from(rows, (r) => Number(r[1]));
  const expected = Float64Array.from(rows, (r) => Number(r[2]));
  assert.ok(close.every(Number.isFinite), 'close column');
  assert.ok(Number.isNaN(expected[12]) && Number.isFinite(expected[13]), 'LEAN warm-up is 13 bars, like ours');
  check('EMA', ema(close, 14), expected, { rel: 5e-7 });
});

test('lean spy_with_indicators - SMA(14), EMA(14), Wilder RSI(14) on every row; MACD(12, 26) line once converged', () => {
  const t = load('lean_spy_with_indicators.txt');
  const close = t.column('close');
  // Closes are printed to 2 decimals (±0.005) and SMA/EMA outputs too: a mean or an EMA of the
  // closes moves by ≤ 0.005 and the MACD line (a difference of two) by ≤ 0.01, plus the output's own
  // rounding. Measured: SMA 0.0057, MACD 0.00019 at worst.
  check('SMA14', sma(close, 14), t.column('sma14'), { abs: 0.01 });
  check('EMA14', ema(close, 14), t.column('ema14'), { abs: 0.01 });
  check('RSI14 Wilder', rsi(close, 14), t.column('rsi 14 wilder'), { rel: 5e-6 });
  check('MACD 12 26', macd(close, 12, 26, 9).macd, t.column('macd 12 26'), { abs: 0.01 + 5e-5 }, { from: 300 });
});

test('lean spy_with_macd - MACD(12, 26, 9) line, signal and histogram once converged', () => {
  const t = load('lean_spy_with_macd.txt');
  const m = macd(t.column('close'), 12, 26, 9);
  check('MACD', m.macd, t.column('macd'), { rel: 5e-6, abs: 5e-6 }, { from: 300 });
  check('Signal', m.signal, t.column('signal'), { rel: 5e-6, abs: 5e-6 }, { from: 300 });
  check('Histogram', m.histogram, t.column('histogram'), { rel: 5e-6, abs: 5e-6 }, { from: 300 });
});

test('lean spy_with_obv - OBV on every row (volumes printed to 7 digits, OBV to 6)', () => {
  const t = load('lean_spy_with_obv.txt');
  const close = t.column('close');
  const z = new Float64Array(close.length);
  const ours = obv({ high: z, low: z, close, volume: t.column('volume') });
  // Each printed volume is off by up to half its 7th digit (≤ 500 here), and those errors add up.
  const expected = t.column('obv');
  for (let i = 1; i < expected.length; i++) {
    const e = expected[i]!;
    assert.ok(Math.abs(ours[i]! - e) <= 5e-6 * Math.abs(e) + 500 * (i + 1), `OBV row ${i}: LEAN ${e}, ours ${ours[i]}`);
  }
});
