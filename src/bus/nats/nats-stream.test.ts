import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WireSubjects } from './nats-stream.js';

test('nats wire subjects - a prefix goes before every subject and comes off again', () => {
  const w = new WireSubjects('t1.run');
  assert.deepEqual(w.streamSubjects, ['t1.run.md.>', 't1.run.bar.>', 't1.run.signal.>']);
  assert.equal(w.toWire('md.trade.binance.BTCUSDT'), 't1.run.md.trade.binance.BTCUSDT');
  assert.equal(w.fromWire('t1.run.bar.1m.gemini.BTCUSD'), 'bar.1m.gemini.BTCUSD');
  assert.equal(new WireSubjects('').toWire('signal.liquidity_60s.gemini.BTCUSD'), 'signal.liquidity_60s.gemini.BTCUSD');
  assert.throws(() => new WireSubjects('t 1'), /bus subject prefix token "t 1" cannot be a bus subject token/);
});

test('nats wire subjects - a pattern led by a wildcard is filtered over the whole stream (JetStream 2.9 takes one subset filter)', () => {
  const w = new WireSubjects('p');
  assert.deepEqual(w.filterFor('md.trade.*.BTCUSDT'), { filter: 'p.md.trade.*.BTCUSDT', exact: true });
  assert.deepEqual(w.filterFor('*.trade.>'), { filter: 'p.>', exact: false });
  assert.deepEqual(w.filterFor('>'), { filter: 'p.>', exact: true });
  assert.deepEqual(new WireSubjects('').filterFor('>'), { filter: '>', exact: true });
  assert.throws(() => w.toWire('orders.x'), /token 1 "orders" is not one of the stream's families md, bar, signal/);
});
