/**
 * TA-Lib.NETCore's published test cases (`DataSets/spy.json`, `unst.json`; quirks in
 * shared/data/SOURCES.md §8: BOM, group keys, padding zeros past the computed range) against our
 * indicators. The values are printed to 4 decimals, so we allow half a unit of the 4th decimal
 * (upstream allows 0.001). Output j is bar range[0] + j; entries past range[1] are padding.
 * - `unst.json` runs with an unstable period of 5: TA-Lib then still seeds at bar 0 and only
 *   publishes later, so those bars equal our full-history values.
 * - MACD(26, 12, 9) is given slow-first: TA-Lib (and we) swap the periods.
 * - Not compared: NATR(1) (we refuse period 1, see docs/INDICATORS.md) and the cases that smooth
 *   with a moving-average type other than SMA (Bbands WMA, Stoch TEMA, StochF TRIMA), which we do
 *   not offer.
 * @see https://github.com/hmG3/TA-Lib.NETCore/tree/main/tests/TALib.NETCore.Tests/DataSets
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTalibNetCases, type TalibNetCase } from './test-support/reference-csv.js';
import { assertNear } from './test-support/reference-vectors.js';
import { atr, natr } from './atr.js';
import { ema } from './ema.js';
import { kama } from './kama.js';
import { macd } from './macd.js';
import { mfi } from './mfi.js';
import { rsi } from './rsi.js';
import { sma } from './sma.js';

const TOL = { abs: 5e-5 };

function series(c: TalibNetCase, i: number): Float64Array {
  const a = c.inputs[i];
  assert.ok(a !== undefined, `${c.name}: no input ${i}`);
  return Float64Array.from(a);
}

/** Compares our outputs with the case's over its range (padding excluded). */
function compare(c: TalibNetCase, ours: Float64Array[]): void {
  const [begin, end] = c.range;
  assert.equal(ours.length, c.outputs.length, `${c.name}: output count`);
  for (const [k, out] of c.outputs.entries()) {
    const expected = Float64Array.from(out.slice(0, end - begin));
    const label = `${c.name}(${c.options.join(', ')})${c.unstable !== undefined ? ` unstable ${c.unstable}` : ''} output ${k}`;
    // Our warm-up must end where TA-Lib's range begins (without an unstable period).
    if (c.unstable === undefined) assert.ok(begin === 0 || Number.isNaN(ours[k]![begin - 1]), `${label}: value before bar ${begin}`);
    assertNear(label, ours[k]!, begin, expected, TOL);
  }
}

const RUNS: Array<[file: string, name: string, run: (c: TalibNetCase) => Float64Array[]]> = [
  ['talib-netcore_spy.json', 'Atr', (c) => [atr({ high: series(c, 0), low: series(c, 1), close: series(c, 2) }, c.options[0]!)]],
  ['talib-netcore_spy.json', 'Kama', (c) => [kama(series(c, 0), c.options[0]!)]],
  ['talib-netcore_spy.json', 'Ma', (c) => (assert.equal(c.options[1], 0, 'SMA only'), [sma(series(c, 0), c.options[0]!)])],
  [
    'talib-netcore_spy.json',
    'Macd',
    (c) => {
      const m = macd(series(c, 0), c.options[0]!, c.options[1]!, c.options[2]!);
      return [m.macd, m.signal, m.histogram];
    },
  ],
  ['talib-netcore_unst.json', 'Atr', (c) => [atr({ high: series(c, 0), low: series(c, 1), close: series(c, 2) }, c.options[0]!)]],
  ['talib-netcore_unst.json', 'Natr', (c) => [natr({ high: series(c, 0), low: series(c, 1), close: series(c, 2) }, c.options[0]!)]],
  ['talib-netcore_unst.json', 'Ema', (c) => [ema(series(c, 0), c.options[0]!)]],
  ['talib-netcore_unst.json', 'Kama', (c) => [kama(series(c, 0), c.options[0]!)]],
  ['talib-netcore_unst.json', 'Rsi', (c) => [rsi(series(c, 0), c.options[0]!)]],
  ['talib-netcore_unst.json', 'Mfi', (c) => [mfi({ high: series(c, 0), low: series(c, 1), close: series(c, 2), volume: series(c, 3) }, c.options[0]!)]],
];

for (const [file, name, run] of RUNS) {
  test(`TA-Lib.NETCore ${file} ${name} matches to the printed 4 decimals`, () => {
    const cases = loadTalibNetCases(file, name);
    assert.ok(cases.length > 0, `${file}: no ${name} case`);
    for (const c of cases) compare(c, run(c));
  });
}
