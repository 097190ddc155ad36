import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKlineCsv, type ArchiveMarket } from './kline-csv.js';
import { extractSingleCsv } from './zip.js';
import { BadArchiveError } from '../../core/errors.js';
import type { Interval } from '../../core/intervals.js';
import { KEYS, LINK_CSV, readFixture } from './test-fixtures.js';

function csvOf(key: string): Buffer {
  return extractSingleCsv(readFixture(key), key);
}

function parse(csv: Buffer, key: string, interval: Interval = '1m', market: ArchiveMarket = 'spot') {
  return parseKlineCsv(csv, { key, interval, market });
}

/** Replaces one field (0-based) of one 1-based line of a real CSV. */
function editField(csv: Buffer, line: number, field: number, value: string | null): Buffer {
  const lines = csv.toString('latin1').split('\n');
  const cells = (lines[line - 1] ?? '').split(',');
  if (value === null) cells.splice(field, 1);
  else cells[field] = value;
  lines[line - 1] = cells.join(',');
  return Buffer.from(lines.join('\n'), 'latin1');
}

function rejectsAt(csv: Buffer, key: string, row: number, reason: RegExp, interval: Interval = '1m'): void {
  assert.throws(
    () => parse(csv, key, interval),
    (err: unknown) =>
      err instanceof BadArchiveError && err.key === key && err.row === row && err.message.includes(`row ${row}`) && reason.test(err.message),
  );
}

test('kline csv - BTCUSDT 2020-01-01 spot file has 1440 rows from open 7195.24 to close 7200.85', () => {
  const c = parse(csvOf(KEYS.spot2020), KEYS.spot2020);
  assert.equal(c.length, 1440);
  assert.equal(c.openTime[0], 1577836800000);
  assert.equal(c.open[0], 7195.24);
  assert.equal(c.high[0], 7196.25);
  assert.equal(c.low[0], 7183.14);
  assert.equal(c.close[0], 7186.68);
  assert.equal(c.volume[0], 51.642812);
  assert.equal(c.closeTime[0], 1577836859999);
  assert.equal(c.quoteVolume[0], 371233.51835535);
  assert.equal(c.trades[0], 493);
  assert.equal(c.takerBuyBase[0], 19.59823);
  assert.equal(c.takerBuyQuote[0], 140888.41428273);
  assert.equal(c.openTime[1439], 1577836800000 + 1439 * 60_000);
  assert.equal(c.close[1439], 7200.85);
  assert.equal(c.openTime.length, 1440, 'columns are trimmed to the row count');
});

test('kline csv - the three 2020 BTCUSDT days join into 4320 consecutive minutes', () => {
  const days = [KEYS.spot2020, KEYS.spot2020b, KEYS.spot2020c].map((k) => parse(csvOf(k), k));
  const opens = days.flatMap((d) => Array.from(d.openTime));
  assert.equal(opens.length, 4320);
  for (let i = 1; i < opens.length; i++) assert.equal((opens[i] as number) - (opens[i - 1] as number), 60_000);
});

test('kline csv - microsecond spot file (2026) is normalised to ms open and close times', () => {
  const c = parse(csvOf(KEYS.spotMicros), KEYS.spotMicros, '1h');
  assert.equal(c.length, 24);
  assert.equal(c.openTime[0], 1778198400000);
  assert.equal(c.closeTime[0], 1778201999999);
  assert.equal(c.open[0], 80006);
  assert.equal(c.openTime[23], 1778198400000 + 23 * 3_600_000);
  assert.equal(c.closeTime[23], 1778198400000 + 24 * 3_600_000 - 1);
});

test('kline csv - USD-M file with a header row skips the header and keeps 1440 rows', () => {
  const c = parse(csvOf(KEYS.um), KEYS.um, '1m', 'um');
  assert.equal(c.length, 1440);
  assert.equal(c.openTime[0], 1662336000000);
  assert.equal(c.open[0], 19992.7);
  assert.equal(c.volume[0], 482.638);
  assert.equal(c.quoteVolume[0], 9650791.4344);
  assert.equal(c.trades[0], 4263);
});

test('kline csv - COIN-M columns map by position: contracts in volume, base-asset volume in column 8', () => {
  const c = parse(csvOf(KEYS.cm), KEYS.cm, '1m', 'cm');
  assert.equal(c.length, 1440);
  assert.equal(c.openTime[0], 1666569600000);
  assert.equal(c.volume[0], 19431); // contracts (100 USD each)
  assert.equal(c.quoteVolume[0], 99.33183109); // BTC, despite the header's "quote_volume"
  assert.equal(c.takerBuyBase[0], 9916); // taker-buy contracts
  assert.equal(c.takerBuyQuote[0], 50.69336469); // taker-buy BTC
  // 19431 contracts × 100 USD / ~19560 USD per BTC ≈ 99.3 BTC: column 8 really is base volume.
  assert.ok(Math.abs((19431 * 100) / (c.close[0] as number) - (c.quoteVolume[0] as number)) < 0.5);
});

test('kline csv - LINKUSDT USD-M month CSV parses all 40,320 minutes of February 2023', () => {
  const c = parse(readFixture(LINK_CSV), LINK_CSV, '1m', 'um');
  assert.equal(c.length, 40320);
  assert.equal(c.openTime[0], 1675209600000);
  assert.equal(c.open[0], 6.949);
  assert.equal(c.closeTime[40319], Date.UTC(2023, 2, 1) - 1);
  assert.equal(c.takerBuyQuote[40319], 70979.59037);
});

test('kline csv - every parsed value equals Number() of its text, on every fixture', () => {
  const files: Array<[string, Buffer, Interval, ArchiveMarket]> = [
    [KEYS.spot2020, csvOf(KEYS.spot2020), '1m', 'spot'],
    [KEYS.spotEth, csvOf(KEYS.spotEth), '1m', 'spot'],
    [KEYS.um, csvOf(KEYS.um), '1m', 'um'],
    [KEYS.cm, csvOf(KEYS.cm), '1m', 'cm'],
    [LINK_CSV, readFixture(LINK_CSV), '1m', 'um'],
  ];
  const cols = ['openTime', 'open', 'high', 'low', 'close', 'volume', 'closeTime', 'quoteVolume', 'trades', 'takerBuyBase', 'takerBuyQuote'] as const;
  for (const [key, csv, interval, market] of files) {
    const c = parseKlineCsv(csv, { key, interval, market });
    const rows = csv.toString('latin1').split('\n').filter((l) => /^\d/.test(l));
    assert.equal(rows.length, c.length, key);
    rows.forEach((row, i) => {
      const cells = row.split(',');
      cols.forEach((name, j) => assert.equal(c[name][i], Number(cells[j]), `${key} row ${i} ${name}`));
    });
  }
});

test('kline csv - CRLF line endings and a missing final newline parse the same', () => {
  const csv = csvOf(KEYS.spot2020);
  const crlf = Buffer.from(csv.toString('latin1').trimEnd().replace(/\n/g, '\r\n'), 'latin1');
  const c = parse(crlf, KEYS.spot2020);
  assert.equal(c.length, 1440);
  assert.equal(c.close[1439], 7200.85);
});

test('kline csv - a field replaced with "abc" fails naming its line', () => {
  rejectsAt(editField(csvOf(KEYS.spot2020), 17, 4, 'abc'), KEYS.spot2020, 17, /field 5 "abc" is not a finite number/);
});

test('kline csv - a dropped field fails naming its line', () => {
  rejectsAt(editField(csvOf(KEYS.spot2020), 700, 8, null), KEYS.spot2020, 700, /11 fields, expected 12/);
});

test('kline csv - an extra field fails naming its line', () => {
  rejectsAt(editField(csvOf(KEYS.spot2020), 3, 11, '0,0'), KEYS.spot2020, 3, /more than 12 fields/);
});

test('kline csv - swapped high and low break the candle invariant, naming the line', () => {
  const csv = csvOf(KEYS.spot2020);
  const cells = (csv.toString('latin1').split('\n')[99] ?? '').split(',');
  const swapped = editField(editField(csv, 100, 2, cells[3] ?? ''), 100, 3, cells[2] ?? '');
  rejectsAt(swapped, KEYS.spot2020, 100, /outside low/);
});

test('kline csv - a header line counts as line 1 when naming a bad row', () => {
  // USD-M file: line 1 is the header, so the 10th candle is line 11.
  rejectsAt(editField(csvOf(KEYS.um), 11, 5, '-1'), KEYS.um, 11, /negative/);
});

test('kline csv - a duplicated or out-of-order row fails naming the line', () => {
  const lines = csvOf(KEYS.spot2020).toString('latin1').split('\n');
  const dup = [...lines.slice(0, 50), lines[49] ?? '', ...lines.slice(50)].join('\n');
  rejectsAt(Buffer.from(dup, 'latin1'), KEYS.spot2020, 51, /does not follow/);
  const swapped = [...lines];
  [swapped[9], swapped[10]] = [swapped[10] ?? '', swapped[9] ?? ''];
  rejectsAt(Buffer.from(swapped.join('\n'), 'latin1'), KEYS.spot2020, 11, /does not follow/);
});

test('kline csv - an off-grid open time, or a file parsed at the wrong interval, fails', () => {
  rejectsAt(editField(csvOf(KEYS.spot2020), 5, 0, '1577837040001'), KEYS.spot2020, 5, /grid/);
  rejectsAt(csvOf(KEYS.spot2020), KEYS.spot2020, 1, /close time 1577836859999 is not open time \+ 1h/, '1h');
});

test('kline csv - a corrupt first data row is not mistaken for a header', () => {
  rejectsAt(editField(csvOf(KEYS.spot2020), 1, 0, 'abc'), KEYS.spot2020, 1, /neither a header/);
});

test('kline csv - a ms row inside a µs file is rejected rather than mixed', () => {
  rejectsAt(editField(csvOf(KEYS.spotMicros), 3, 0, '1778205600000'), KEYS.spotMicros, 3, /unit/, '1h');
});

test('kline csv - infinities, hex and empty fields are not numbers', () => {
  for (const bad of ['Infinity', '0x10', '', '1e999', '--1', '1.2.3']) {
    rejectsAt(editField(csvOf(KEYS.spot2020), 8, 5, bad), KEYS.spot2020, 8, /is not a finite number/);
  }
});

test('kline csv - a file with only a header has no data rows and is rejected', () => {
  const header = csvOf(KEYS.um).toString('latin1').split('\n')[0] ?? '';
  assert.throws(() => parse(Buffer.from(`${header}\n`), KEYS.um), /no data rows/);
});
