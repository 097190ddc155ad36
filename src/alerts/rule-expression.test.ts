import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRuleExpression } from './rule-expression.js';
import { RuleSyntaxError } from './rule-syntax-error.js';

const ISSUE_EXAMPLES: Array<[string, string[]]> = [
  ['rsi:14 < 30', ['rsi:14']],
  ['rsi:14 crosses_below 30', ['rsi:14']],
  ['close crosses_above ema:20', ['ema:20']],
  ['macd.macd crosses_above macd.signal', ['macd:12:26:9.macd', 'macd:12:26:9.signal']],
  ['td.buy_setup == 9', ['td.buy_setup']],
  ['close > sr.resistance', ['sr:5:0.005.resistance']],
  ['roc:60 > 5', ['roc:60']],
  ['volume > 3 * sma:20(volume)', ['sma:20(volume)']],
  ['rsi:14@4h < 30 and close > ema:200@1h', ['rsi:14@4h', 'ema:200@1h']],
  ['rsi:14 < 30 and rsi:7 < 20', ['rsi:14', 'rsi:7']],
];

test('rule expression - every example of issue 16 parses, naming its indicator operands', () => {
  for (const [source, operands] of ISSUE_EXAMPLES) {
    const e = parseRuleExpression(source);
    assert.deepEqual(e.indicators.map((r) => r.text), operands, source);
  }
});

test('rule expression - precedence: * before +, comparison before and, and before or, for binds to its condition', () => {
  const e = parseRuleExpression('close > 1 + 2 * 3 or rsi:14 < 30 and volume > 0 for 3 bars');
  assert.equal(e.root.kind, 'logic');
  if (e.root.kind !== 'logic') return;
  assert.equal(e.root.op, 'or');
  const left = e.root.left;
  assert.ok(left.kind === 'compare' && left.right.kind === 'arithmetic' && left.right.op === '+' && left.right.right.kind === 'arithmetic' && left.right.right.op === '*');
  const right = e.root.right;
  assert.ok(right.kind === 'logic' && right.op === 'and' && right.right.kind === 'for' && right.right.bars === 3);
  assert.equal(e.forSlots, 1);
});

test('rule expression - parentheses group both numbers and conditions', () => {
  const e = parseRuleExpression('(close + open) / 2 > ema:20 and (rsi:14 < 30 or rsi:14 > 70) for 2 bars');
  assert.ok(e.root.kind === 'logic' && e.root.right.kind === 'for' && e.root.right.condition.kind === 'logic');
  assert.deepEqual(e.indicators.map((r) => r.text), ['ema:20', 'rsi:14']);
  assert.deepEqual(e.fields.sort(), ['close', 'open']);
});

test('rule expression - an indicator over another field and at another interval is its own stream', () => {
  const e = parseRuleExpression('sma:20(volume) > sma:20 and sma:20@4h > 0');
  assert.deepEqual(e.indicators.map((r) => [r.streamKey, r.source, r.interval]), [
    ['sma:20(volume)', 'volume', null],
    ['sma:20', 'close', null],
    ['sma:20', 'close', '4h'],
  ]);
});

test('rule expression - a liquidity signal names its exchange, and optionally a symbol of that exchange; each distinct one is an operand', () => {
  const e = parseRuleExpression('bid_ask_ratio@gemini > 1.5 and TOP10_BID_ASK_RATIO@Binance < bid_ask_ratio@gemini * 2 or spread@gemini:btcusd > 0.5 * mid@bitvavo:BTC-EUR-1');
  assert.deepEqual(e.signals.map((r) => [r.text, r.field, r.exchange, r.symbol]), [
    ['bid_ask_ratio@gemini', 'deltaRatio', 'gemini', null],
    ['top10_bid_ask_ratio@binance', 'bookRatio', 'binance', null],
    ['spread@gemini:BTCUSD', 'spread', 'gemini', 'BTCUSD'],
    ['mid@bitvavo:BTC-EUR', 'mid', 'bitvavo', 'BTC-EUR'],
  ]);
  assert.deepEqual(e.indicators, []);
  // `mid@bitvavo:BTC-EUR-1`: a symbol part after "-" starts with a letter, so this is the signal minus one.
  const or = e.root;
  assert.ok(or.kind === 'logic' && or.right.kind === 'compare' && or.right.right.kind === 'arithmetic' && or.right.right.op === '-');
  const trade = parseRuleExpression('trade_imbalance@binance crosses_above 0.2 and close > 0');
  assert.ok(trade.root.kind === 'logic' && trade.root.left.kind === 'cross' && trade.root.left.left.kind === 'signal' && trade.root.left.left.index === 0);
  assert.deepEqual(trade.fields, ['close']);
});

const ERRORS: Array<[string, number, RegExp]> = [
  ['bid_ask_ratio > 1.5', 13, /bid_ask_ratio is a liquidity signal of one exchange: name it, e\.g\. bid_ask_ratio@gemini/],
  ['close > 0 and bid_ask_ratio@kraken > 1.5', 28, /unknown exchange "kraken" for bid_ask_ratio; signals are kept for binance, gemini/],
  ['bid_ask_ratio@ > 1', 14, /unknown exchange ""/],
  ['close > bid_ask_rat@gemini', 8, /unknown liquidity signal "bid_ask_rat"; the signals of an exchange: bid_ask_ratio, bid_notional/],
  ['rsi:14@gemini > 50', 7, /"gemini" is an exchange, which only a liquidity signal takes/],
  ['spread@gemini: > 1', 13, /unexpected ":"/],
  ['', 0, /empty/],
  ['rsi:14 <', 8, /expected a number/],
  ['rsi:14 < 30 and', 15, /expected a number/],
  ['foo > 3', 0, /unknown operand "foo"/],
  ['close > bogus:3', 8, /unknown operand "bogus"/],
  ['macd > 3', 0, /macd has several outputs.*macd, signal, histogram/],
  ['macd.nope > 3', 5, /no output "nope"/],
  ['rsi:14.x > 1', 7, /rsi has one output/],
  ['rsi:14@7h > 2', 7, /unknown interval "7h"/],
  ['rsi:1 > 3', 0, /period must be a whole number from 2/],
  ['atr:14(volume) > 1', 6, /reads the whole bar/],
  ['sma:20(price) > 1', 7, /"price" is not a bar field/],
  ['close + 1', 6, /must be a condition/],
  ['close > 1 for 0 bars', 14, /whole number of bars/],
  ['close > 1 for 3 days', 16, /"days"/],
  ['close > 1 for 3 close', 16, /expected "bars" after "for 3"/],
  ['(close > 1', 10, /expected "\)"/],
  ['close > 1 close', 10, /unexpected "close"/],
  ['close & open', 6, /unexpected "&"/],
  ['close > (open > 1)', 14, /right side is a condition/],
  ['close > 1 and 5', 14, /right side is a number/],
];

test('rule expression - errors name the position of the token at fault', () => {
  for (const [source, position, message] of ERRORS) {
    assert.throws(
      () => parseRuleExpression(source),
      (err: unknown) => err instanceof RuleSyntaxError && err.position === position && message.test(err.message) && err.message.startsWith(`at ${position + 1}:`),
      `${JSON.stringify(source)} should fail at ${position} with ${message}`,
    );
  }
});
