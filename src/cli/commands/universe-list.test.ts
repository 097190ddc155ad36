import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUniverse } from './universe-list.js';

test('universe list - prices at the tick decimals, signed change, RSI to a tenth, the TD side; a symbol without bars shows dashes', () => {
  const text = formatUniverse(
    [
      { symbol: 'BTCUSDT', rank: 1, last: 7344.9, change24h: -1.2345, rsi14: 41.26, td: { buySetup: 3, sellSetup: 0 }, priceDecimals: 2 },
      { symbol: 'XYZUSDT', rank: null, last: null, change24h: null, rsi14: null, td: null, priceDecimals: null },
    ],
    '1h',
  );
  assert.equal(
    text,
    ['symbol     rank     last      24h  rsi14 1h  td setup', 'BTCUSDT       1  7344.90  -1.23 %      41.3     buy 3', 'XYZUSDT  manual        -        -         -         -', ''].join('\n'),
  );
  assert.match(formatUniverse([], '1h'), /^no symbols followed/);
});
