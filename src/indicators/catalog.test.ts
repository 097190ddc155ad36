import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeIndicator, computeIndicators, INDICATOR_CATALOG, parseIndicatorSpecs } from './catalog.js';
import { macd } from './macd.js';
import { rsi } from './rsi.js';
import { btcusdt1m } from './test-support/real-bars.js';

/** The recorded BTCUSDT 1m candles with every column the catalog may read. */
function catalogBars() {
  const b = btcusdt1m();
  return { ...b, open: b.open as Float64Array, volume: b.volume as Float64Array, openTime: b.openTime as Float64Array };
}

test('catalog - parses names with parameters and fills defaults', () => {
  assert.deepEqual(parseIndicatorSpecs('rsi:14, macd , td,bbands:20::3'), [
    { name: 'rsi', params: [14] },
    { name: 'macd', params: [12, 26, 9] },
    { name: 'td', params: [] },
    { name: 'bbands', params: [20, 2, 3] },
  ]);
});

test('catalog - rejects unknown names, extra and out-of-range parameters, naming them', () => {
  assert.throws(() => parseIndicatorSpecs('rsx'), /rsx: unknown indicator/);
  assert.throws(() => parseIndicatorSpecs('rsi:14:3'), /rsi: takes 1 parameter/);
  assert.throws(() => parseIndicatorSpecs('rsi:1'), /rsi: period must be a whole number from 2/);
  assert.throws(() => parseIndicatorSpecs('sma:2.5'), /sma: period must be a whole number/);
  for (const empty of ['', ',', ' , ']) assert.throws(() => parseIndicatorSpecs(empty), /indicators: the list names no indicator \(e\.g\. rsi:14,macd\)/);
  assert.throws(() => parseIndicatorSpecs('sar:0'), /sar: acceleration must be a number above 0 and at most 1, not "0"/);
  assert.throws(() => parseIndicatorSpecs('sr:2000'), /sr: strength must be a whole number from 1 to 1000, not "2000"/);
  assert.throws(() => parseIndicatorSpecs('sr:5:0.7'), /sr: tolerance must be a number from 0 to 0.5, not "0.7"/);
  assert.throws(() => parseIndicatorSpecs('macd:12,26,9'), /26: unknown indicator \(parameters follow the name after colons, as in macd:12:26:9/);
  assert.throws(() => parseIndicatorSpecs('sharpe:2'), (e: Error) => /sharpe: unknown indicator; known:/.test(e.message) && !e.message.includes('colons'));
});

test('catalog - computeIndicators keeps columns that carry their parameters apart and refuses two writers of one column', () => {
  const bars = catalogBars();
  const out = computeIndicators(parseIndicatorSpecs('rsi:14,rsi:21,macd:5:35:5'), bars);
  assert.deepEqual(out.columns.map(([n]) => n), ['rsi14', 'rsi21', 'macd_macd', 'macd_signal', 'macd_histogram']);
  assert.deepEqual(out.columns[3]?.[1], macd(bars.close, 5, 35, 5).signal);
  assert.equal(out.levels, undefined);
  assert.throws(() => computeIndicators(parseIndicatorSpecs('macd,macd:5:35:5'), bars), /macd: macd:12:26:9 and macd:5:35:5 both write column macd_macd/);
  // The same spec twice, defaults filled in before comparing.
  assert.throws(() => computeIndicators(parseIndicatorSpecs('rsi:14,ema,rsi'), bars), /rsi: rsi:14 and rsi:14 both write column rsi14/);
  assert.throws(() => computeIndicators(parseIndicatorSpecs('bbands:20:2:2,bbands::2'), bars), /bbands: bbands:20:2:2 and bbands:20:2:2 both write column bb_upper/);
  assert.throws(() => computeIndicators(parseIndicatorSpecs('sr:3,sr:5'), bars), /sr: sr:3:0.005 and sr:5:0.005 both write column sr_/);
  assert.ok((computeIndicators(parseIndicatorSpecs('rsi,sr'), bars).levels?.length ?? 0) > 0);
});

test('catalog - computes the named indicator with its parameters and names the columns', () => {
  const bars = catalogBars();
  const out = computeIndicator({ name: 'rsi', params: [21] }, bars);
  assert.equal(out.columns[0]?.[0], 'rsi21');
  assert.deepEqual(out.columns[0]?.[1], rsi(bars.close, 21));
  const macd = computeIndicator({ name: 'macd', params: [12, 26, 9] }, bars);
  assert.deepEqual(macd.columns.map(([n]) => n), ['macd_macd', 'macd_signal', 'macd_histogram']);
});

test('catalog - every column name is lower snake case and unique across the whole catalog', () => {
  const bars = catalogBars();
  const names = Object.keys(INDICATOR_CATALOG).flatMap((name) => computeIndicator(parseIndicatorSpecs(name)[0]!, bars).columns.map(([n]) => n));
  for (const n of names) assert.match(n, /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, n);
  assert.equal(new Set(names).size, names.length);
  assert.ok(names.includes('adx_plus_di') && names.includes('td_buy_setup') && names.includes('cdl_three_white_soldiers'));
});

test('catalog - every parameter range the CLI accepts is one the indicator accepts, at both ends', () => {
  const bars = catalogBars();
  for (const [name, entry] of Object.entries(INDICATOR_CATALOG)) {
    if (entry.params.length === 0) continue;
    // Lowest and highest accepted values of every parameter at once (an exclusive bound: just inside it).
    for (const end of ['min', 'max'] as const) {
      const params = entry.params.map((p) => (end === 'max' ? p.max : p.exclusiveMin === true ? p.min + 1e-9 : p.min));
      assert.doesNotThrow(() => computeIndicator({ name, params }, bars), `${name} at every parameter's ${end} (${params.join(':')})`);
    }
  }
});
