import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tdMarkers } from './td-markers.js';

const HOUR = 3_600_000;

test('tdMarkers - buy counts below the bar, sell counts above, only 1 to 9, times in seconds', () => {
  const markers = tdMarkers({
    symbol: 'BTCUSDT',
    interval: '1h',
    openTime: [0, HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR],
    columns: {
      td_buy_setup: [null, 0, 9, 10, 0],
      td_sell_setup: [null, 1, 0, 0, 18],
      rsi14: [null, 40, 30, 20, 10],
    },
  });
  assert.deepEqual(markers.map((m) => [m.time, m.position, m.text]), [
    [3600, 'aboveBar', '1'],
    [7200, 'belowBar', '9'],
  ]);
});

test('tdMarkers - no TD columns, no markers', () => {
  assert.deepEqual(tdMarkers({ symbol: 'X', interval: '1h', openTime: [0], columns: { ema20: [1] } }), []);
});
