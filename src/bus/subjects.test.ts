import { test } from 'node:test';
import assert from 'node:assert/strict';
import { derivedSubject, marketPattern, marketSubject, subjectTokens, tokensMatch } from './subjects.js';

test('subjects - market subject is md.<kind>.<exchange>.<symbol>; a dash in the symbol is kept', () => {
  assert.equal(marketSubject('trade', { exchange: 'binance', symbol: 'BTCUSDT' }), 'md.trade.binance.BTCUSDT');
  assert.equal(marketSubject('book_delta', { exchange: 'bitvavo', symbol: 'BTC-EUR' }), 'md.book_delta.bitvavo.BTC-EUR');
  assert.equal(marketPattern('trade'), 'md.trade.>');
  assert.equal(marketPattern('*', 'gemini'), 'md.*.gemini.*');
  assert.equal(derivedSubject('signal', 'liquidity_60s', { exchange: 'gemini', symbol: 'BTCUSD' }), 'signal.liquidity_60s.gemini.BTCUSD');
});

test('subjects - a symbol NATS cannot carry as a token is refused naming it', () => {
  assert.throws(() => marketSubject('trade', { exchange: 'binance', symbol: 'BTC.USDT' }), /symbol "BTC\.USDT" cannot be a bus subject token/);
  assert.throws(() => marketSubject('trade', { exchange: 'binance', symbol: 'BTC USDT' }), /symbol "BTC USDT"/);
  assert.throws(() => marketSubject('trade', { exchange: 'binance', symbol: 'BTC*' }), /symbol "BTC\*"/);
  assert.throws(() => marketSubject('trade', { exchange: 'binance', symbol: '' }), /symbol ""/);
});

test('subjects - matching: * is one token, > is one or more and only last', () => {
  const m = (p: string, s: string): boolean => tokensMatch(subjectTokens(p, true), subjectTokens(s));
  assert.equal(m('md.*.binance.BTCUSDT', 'md.trade.binance.BTCUSDT'), true);
  assert.equal(m('md.*.binance', 'md.trade.binance.BTCUSDT'), false);
  assert.equal(m('md.>', 'md.trade.binance.BTCUSDT'), true);
  assert.equal(m('md.trade.binance.BTCUSDT.>', 'md.trade.binance.BTCUSDT'), false, '> needs at least one token');
  assert.equal(m('md.trade.binance.BTCUSDT', 'md.trade.binance.BTCUSDTX'), false);
  assert.throws(() => subjectTokens('md.>.x', true), /token 2 ">"/);
});
