import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadInputError } from '../core/errors.js';
import { parseMarketRef } from '../core/market-events.js';
import { marketHash, marketsOfShard, parseStreamShard, shardLakeRoot, streamBusNames } from './stream-shard.js';
import { WireSubjects } from '../bus/nats/nats-stream.js';

const MARKETS = ['binance:BTCUSDT', 'binance:ETHUSDT', 'binance:SOLUSDT', 'gemini:BTCGBP', 'gemini:ETHEUR', 'bitvavo:BTC-EUR', 'btcturk:BTCTRY', 'binance:XRPUSDT', 'gemini:BTCUSD'].map(parseMarketRef);

test('parseStreamShard reads i/n and refuses the rest, naming what was wrong', () => {
  assert.deepEqual(parseStreamShard('2/3'), { index: 2, count: 3 });
  assert.deepEqual(parseStreamShard(' 1/1 '), { index: 1, count: 1 });
  for (const [text, msg] of [['0/2', /i must be between 1 and 2, got 0/], ['3/2', /i must be between 1 and 2, got 3/], ['1/0', /n must be between 1 and 1024/], ['1-2', /expected i\/n/], ['a/b', /expected i\/n/], ['', /expected i\/n/]] as const) {
    assert.throws(() => parseStreamShard(text), (e: unknown) => e instanceof BadInputError && msg.test(e.message), text);
  }
});

test('FNV-1a of the market text matches the published test vectors', () => {
  // FNV-1a 32-bit of "a" is 0xe40c292c and of "foobar" 0xbf9cf968 (the Fowler/Noll/Vo test suite); a
  // MarketRef always has a colon, so the module's hash is checked against the reference on such texts.
  const h = (text: string): number => marketHash(parseMarketRef(text));
  for (const t of ['binance:AB', 'binance:BTCUSDT', 'bitvavo:BTC-EUR', 'gemini:ETHEUR']) assert.equal(h(t), fnv1a(t), t);
  assert.equal(fnv1a('a'), 0xe40c292c);
  assert.equal(fnv1a('foobar'), 0xbf9cf968);
  assert.notEqual(h('binance:BTCUSDT'), h('binance:BTCUSDC'));
});

/** A second, plain FNV-1a in BigInt over char codes (ASCII texts only), checked against the published vectors above. */
function fnv1a(text: string): number {
  let h = 2166136261n;
  for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * 16777619n) % 2n ** 32n;
  return Number(h);
}

test('the shards of n partition the markets: each market in exactly one, order kept', () => {
  for (const n of [1, 2, 3, 5]) {
    const shards = Array.from({ length: n }, (_, i) => marketsOfShard(MARKETS, { index: i + 1, count: n }));
    const seen = shards.flat().map((m) => `${m.exchange}:${m.symbol}`).sort();
    assert.deepEqual(seen, MARKETS.map((m) => `${m.exchange}:${m.symbol}`).sort(), `n = ${n}`);
    for (const s of shards) assert.deepEqual(s, MARKETS.filter((m) => s.includes(m)), 'list order kept');
  }
  assert.ok(marketsOfShard(MARKETS, { index: 1, count: 2 }).length > 0 && marketsOfShard(MARKETS, { index: 2, count: 2 }).length > 0, 'two shards both get markets of nine');
});

test('a market keeps its shard when others are added to the list', () => {
  const before = marketsOfShard(MARKETS.slice(0, 5), { index: 2, count: 3 });
  const after = marketsOfShard(MARKETS, { index: 2, count: 3 });
  for (const m of before) assert.ok(after.includes(m));
});

test('each shard has its own lake folder', () => {
  assert.equal(shardLakeRoot('./data/lake/', { index: 2, count: 3 }), './data/lake/shard-2-of-3');
});

test('on NATS each shard has its own stream and subject prefix, so no two shards hold the same subjects', () => {
  assert.deepEqual(streamBusNames(null), { stream: 'tickerflow-stream', prefix: '', consumer: 'stream-processors' });
  const names = [1, 2, 3].map((i) => streamBusNames({ index: i, count: 3 }));
  assert.deepEqual(names.map((n) => n.stream), ['tickerflow-stream-1-of-3', 'tickerflow-stream-2-of-3', 'tickerflow-stream-3-of-3']);
  const subjects = names.flatMap((n) => new WireSubjects(n.prefix).streamSubjects);
  assert.equal(new Set(subjects).size, subjects.length, subjects.join(', '));
  assert.ok(subjects.includes('shard-2-of-3.md.>'));
  assert.notDeepEqual(streamBusNames({ index: 1, count: 2 }).stream, streamBusNames({ index: 1, count: 3 }).stream, 'changing n gives new streams, never a stream holding another split');
});
