import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateBars } from './aggregate-bars.js';
import { IndicatorInputError } from './indicator-error.js';
import { btcusdt1m, loadArchiveBars, loadRestBars } from './test-support/real-bars.js';

/** Volumes are sums of doubles: equal to the exchange's decimal sum up to rounding. */
function close(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} != ${b}`);
}

test('aggregateBars - ETHUSDT 1m of 2022-08-14 equal the exchange 1d kline', () => {
  const m1 = loadArchiveBars('data/spot/daily/klines/ETHUSDT/1m/ETHUSDT-1m-2022-08-14.zip');
  assert.equal(m1.close.length, 1440);
  const d = aggregateBars(m1, '1d');
  assert.equal(d.close.length, 1);
  assert.equal(d.openTime[0], Date.UTC(2022, 7, 14));
  assert.equal(d.minutes[0], 1440);
  assert.equal(d.open[0], 1983.55);
  assert.equal(d.high[0], 2030.0);
  assert.equal(d.low[0], 1906.0);
  assert.equal(d.close[0], 1935.31);
  close(d.volume[0]!, 569583.4852, 'volume');
  const rest = loadRestBars('ETHUSDT', '1d', '2022-01-01.json');
  const k = rest.openTime.indexOf(Date.UTC(2022, 7, 14));
  assert.ok(k >= 0);
  assert.deepEqual([rest.open[k], rest.high[k], rest.low[k], rest.close[k]], [d.open[0], d.high[0], d.low[0], d.close[0]]);
  close(d.volume[0]!, rest.volume[k]!, 'REST volume');
});

test('aggregateBars - BTCUSDT 1m of 2020-01-01..03 equal the recorded 1d klines', () => {
  const d = aggregateBars(btcusdt1m(), '1d');
  const rest = loadRestBars('BTCUSDT', '1d', '2020-01-01.json');
  assert.equal(d.close.length, 3);
  for (let i = 0; i < 3; i++) {
    assert.equal(d.openTime[i], rest.openTime[i]);
    assert.deepEqual([d.open[i], d.high[i], d.low[i], d.close[i]], [rest.open[i], rest.high[i], rest.low[i], rest.close[i]]);
    close(d.volume[i]!, rest.volume[i]!, `volume day ${i}`);
  }
});

test('aggregateBars - 1h buckets sit on the UTC grid with 60 minutes each', () => {
  const h = aggregateBars(btcusdt1m(), '1h');
  assert.equal(h.close.length, 72);
  assert.equal(h.openTime[1]! - h.openTime[0]!, 3_600_000);
  assert.ok(Array.from(h.minutes).every((m) => m === 60));
  const m5 = aggregateBars(btcusdt1m(), '5m');
  assert.equal(m5.close.length, 864);
});

test('aggregateBars - rejects duplicate open times naming the bar', () => {
  const m1 = loadArchiveBars('data/spot/daily/klines/ETHUSDT/1m/ETHUSDT-1m-2022-08-14.zip');
  m1.openTime[10] = m1.openTime[9]!;
  assert.throws(() => aggregateBars(m1, '1h'), (e: unknown) => e instanceof IndicatorInputError && e.index === 10);
});
