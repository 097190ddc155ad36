/**
 * Events → lake → reader: the same events, deep-equal, in the same order, with every number
 * bit-exact. Real events from the recorded Binance capture (test-support/capture-events.ts), plus
 * candles and a Gemini-style delta with no exchange time, and doubles chosen to catch any text
 * round trip (subnormals, the largest double, -0, 0.1 + 0.2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CandleEvent, MarketEvent } from '../../core/market-events.js';
import { BadInputError } from '../../core/errors.js';
import { readLake, lakeEvents } from './lake-reader.js';
import { LakeWriter } from './lake-writer.js';
import { mergedCapture } from './test-support/capture-events.js';

function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-lake-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const ALL = { from: 0, to: Date.UTC(2100, 0, 1) };

function oddEvents(t0: number): MarketEvent[] {
  const candle = (i: number, closed: boolean): CandleEvent => ({
    kind: 'candle', exchange: 'binance', symbol: 'BTCUSDT', receivedAt: t0 + i + 0.123456789, exchangeTime: t0 + i, interval: '1m', closed,
    candle: { openTime: 1723161240000, open: 0.1 + 0.2, high: Number.MAX_VALUE, low: Number.MIN_VALUE, close: -0, volume: 2.2250738585072014e-308,
      closeTime: 1723161299999, quoteVolume: 1 / 3, trades: 2 ** 53 - 1, takerBuyBase: 5e-324, takerBuyQuote: 123456.78901234567 },
  });
  return [
    candle(1, false),
    { kind: 'book_delta', exchange: 'gemini', symbol: 'BTCUSD', receivedAt: t0 + 2, exchangeTime: null, bids: [[34271.01, 0.5]], asks: [], firstSequence: null, lastSequence: null },
    { kind: 'trade', exchange: 'gemini', symbol: 'BTCUSD', receivedAt: t0 + 3.5, exchangeTime: null, tradeId: '99999999999999999999', price: 34271.02, quantity: -0, takerSide: null },
    { kind: 'book_snapshot', exchange: 'bitvavo', symbol: 'BTC-EUR', receivedAt: t0 + 4, exchangeTime: t0 + 3, bids: [], asks: [[1e21, 1e-7]], sequence: null },
    candle(5, true),
  ];
}

/** Every number of `a` and `b` at the same path is the same double (Object.is: -0 ≠ 0). */
function assertBitExact(a: unknown, b: unknown, path: string): void {
  if (typeof a === 'number') {
    if (!Object.is(a, b)) assert.fail(`${path}: ${String(b)} is not bit-exact ${a}`);
  } else if (a !== null && typeof a === 'object') {
    assert.equal(typeof b, 'object', path);
    for (const [k, v] of Object.entries(a)) assertBitExact(v, (b as Record<string, unknown>)[k], `${path}.${k}`);
  }
}

test('lake - real capture events and odd doubles round-trip in arrival order, deep-equal and bit-exact, across a restart', () =>
  withDir(async (root) => {
    const captured = mergedCapture(['btcusdt_20240808', 'ethusdt_20240808'], 4000);
    const odd = oddEvents((captured.at(-1) as MarketEvent).receivedAt);
    const before = captured.slice(0, 5000);
    const after = [...captured.slice(5000), ...odd];

    let published = 0;
    const w1 = await LakeWriter.open(root, { maxBufferedEvents: 700, onPublish: () => published++ });
    for (const e of before) await w1.write(e);
    await w1.close();
    const w2 = await LakeWriter.open(root, { maxBufferedEvents: 700, onPublish: () => published++ });
    assert.equal(w2.lastSequence, before.length, 'the reopened writer continues after the highest sequence on disk');
    for (const e of after) await w2.write(e);
    await w2.close();
    assert.ok(published > 10, `several files per partition (${published})`);

    const expected = [...before, ...after];
    const got: MarketEvent[] = [];
    let seq = 0;
    for await (const s of readLake(root, ALL)) {
      assert.equal(s.seq, ++seq, 'sequences 1..n with no gap or repeat');
      got.push(s.event);
    }
    assert.equal(got.length, expected.length);
    assert.deepStrictEqual(got, expected);
    assertBitExact(expected, got, 'events');
    const kinds = new Set(got.map((e) => e.kind));
    assert.deepEqual([...kinds].sort(), ['book_delta', 'book_snapshot', 'candle', 'trade']);
  }));

test('lake - a read picks kinds, markets and a receive-time range, still in sequence order', () =>
  withDir(async (root) => {
    const events = mergedCapture(['btcusdt_20240808', 'ethusdt_20240808'], 1500);
    const w = await LakeWriter.open(root, { maxBufferedEvents: 400 });
    for (const e of events) await w.write(e);
    await w.close();
    const from = (events[300] as MarketEvent).receivedAt;
    const to = (events[1800] as MarketEvent).receivedAt;
    const want = events.filter((e) => e.kind === 'trade' && e.symbol === 'ETHUSDT' && e.receivedAt >= from && e.receivedAt < to);
    assert.ok(want.length > 50, `enough ETH trades in range (${want.length})`);
    const got: MarketEvent[] = [];
    for await (const e of lakeEvents(root, { from, to, kinds: ['trade'], markets: [{ exchange: 'binance', symbol: 'ETHUSDT' }] })) got.push(e);
    assert.deepStrictEqual(got, want);
    const firstFive: MarketEvent[] = [];
    for await (const e of lakeEvents(root, ALL)) {
      firstFive.push(e);
      if (firstFive.length === 5) break; // closes the reader's cursors and DuckDB
    }
    assert.deepStrictEqual(firstFive, events.slice(0, 5));
  }));

test('lake - a bad event is refused naming the field, and nothing of it is written', () =>
  withDir(async (root) => {
    const w = await LakeWriter.open(root);
    const good = mergedCapture(['btcusdt_20240808'], 3);
    for (const e of good) await w.write(e);
    const trade = good.find((e) => e.kind === 'trade');
    assert.ok(trade);
    await assert.rejects(w.write({ ...trade, price: Infinity }), (e: unknown) => e instanceof BadInputError && /price must be a finite number/.test(e.message));
    await assert.rejects(w.write({ ...trade, symbol: '../etc' }), (e: unknown) => e instanceof BadInputError && /symbol/.test(e.message));
    await assert.rejects(w.write(trade, 0), /sequence must be a positive safe integer/);
    const delta = good.find((e) => e.kind === 'book_delta');
    assert.ok(delta);
    await assert.rejects(w.write({ ...delta, asks: [[1, 2], [NaN, 1]] }), /book_delta event for binance:BTCUSDT: asks\[1\] must be \[price, quantity\] of finite numbers, got \[null,1\]/);
    await w.close();
    const got: MarketEvent[] = [];
    for await (const e of lakeEvents(root, ALL)) got.push(e);
    assert.deepStrictEqual(got, good);
    assert.deepEqual(readdirSync(root).sort(), ['kind=book_delta', 'kind=trade']);
  }));

test('lake - caller-given sequences: a re-send after a restart stores each event once', () =>
  withDir(async (root) => {
    const events = mergedCapture(['btcusdt_20240808'], 200);
    const w1 = await LakeWriter.open(root, { maxBufferedEvents: 1000 });
    for (let i = 0; i < 120; i++) await w1.write(events[i] as MarketEvent, 1000 + i);
    await w1.close();
    const w2 = await LakeWriter.open(root);
    // The caller re-sends from its own older checkpoint: the first 120 are on disk and skipped.
    const results: (number | null)[] = [];
    for (let i = 100; i < 200; i++) results.push(await w2.write(events[i] as MarketEvent, 1000 + i));
    await w2.close();
    assert.deepEqual(results.slice(0, 20), Array(20).fill(null));
    assert.deepEqual(results.slice(20), Array.from({ length: 80 }, (_, k) => 1120 + k));
    const seqs: number[] = [];
    for await (const s of readLake(root, ALL)) seqs.push(s.seq);
    assert.deepEqual(seqs, Array.from({ length: 200 }, (_, k) => 1000 + k));
    await assert.rejects(
      (async () => {
        const w3 = await LakeWriter.open(root);
        try {
          await w3.write(events[0] as MarketEvent, 5000);
          await w3.write(events[0] as MarketEvent, 4999);
        } finally {
          await w3.close();
        }
      })(),
      /sequence 4999 is not above the last given, 5000/,
    );
  }));

test('lake - buffers are flushed by age without a call to flush', () =>
  withDir(async (root) => {
    const events = mergedCapture(['ethusdt_20240808'], 20);
    const published: number[] = [];
    const w = await LakeWriter.open(root, { maxBufferAgeMs: 50, onPublish: (f) => published.push(f.rows) });
    for (const e of events) await w.write(e);
    assert.deepEqual(published, [], 'nothing is published before the age is reached');
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(published.reduce((a, b) => a + b, 0), events.length, 'every buffered event was published by the timer');
    await w.close();
    const got: MarketEvent[] = [];
    for await (const e of lakeEvents(root, ALL)) got.push(e);
    assert.deepStrictEqual(got, events);
  }));
