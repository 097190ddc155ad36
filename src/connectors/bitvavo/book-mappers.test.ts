import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadInputError } from '../../core/errors.js';
import { mapBitvavoFrame, parseBitvavoBookSnapshot } from './book-mappers.js';
import { bitvavoDigitsToMs } from './exact-time.js';
import { bitvavoBookUrl, bitvavoFrameMarket, bitvavoSubscribe } from './ws-v2.js';
import { readFrameLines } from '../ws/test-captures.js';

// Real server frames recorded on wss://ws.bitvavo.com/v2/ on 2026-09-23 (shared SOURCES §11.1).
const recorded = readFrameLines('bitvavo_ws_v2_server_frames_2026-09-23.jsonl', 5);
// DOCUMENTATION EXAMPLES, not recordings (fixtures/SOURCES.md "ws docs examples"): the recordings hold no trade.
const docs = readFrameLines('docs-examples/bitvavo_docs_examples.jsonl', 7);

test('bitvavo - the 9 recorded frames classify as confirmation, getBook snapshot, 2 book deltas, 3 answers and 2 refusals', () => {
  assert.equal(recorded.length, 9);
  const kinds = recorded.map((f) => {
    const m = mapBitvavoFrame(f.text, f.receivedAt);
    return m.kind === 'control' ? `control:${m.what}` : m.kind;
  });
  assert.deepEqual(kinds, ['control:subscribed', 'book_snapshot', 'book_delta', 'book_delta', 'control:ticker', 'control:ticker', 'control:getTime', 'error', 'error']);
  assert.deepEqual(mapBitvavoFrame(recorded[7]!.text, 0), { kind: 'error', action: 'getBook', code: 431, message: 'getBook is not available for WMTX-EUR in state HALTED', market: 'WMTX-EUR' });
});

test('bitvavo - a recorded book delta keeps its nonce, the exact ns timestamp in ms, and padded prices as numbers', () => {
  const d = mapBitvavoFrame(recorded[2]!.text, 5);
  assert.deepEqual(d, {
    kind: 'book_delta', exchange: 'bitvavo', symbol: 'BTC-EUR', receivedAt: 5,
    // 1790126693594483831 ns → 1790126693594 ms; JSON.parse alone reads 1790126693594483700.
    exchangeTime: 1790126693594,
    bids: [[74968, 0], [75516, 0.00058294], [74966, 0.001]], asks: [], firstSequence: 413289768, lastSequence: 413289768,
  });
  const xrp = mapBitvavoFrame(recorded[3]!.text, 5);
  assert.ok(xrp.kind === 'book_delta');
  assert.equal(xrp.bids.filter(([, q]) => q === 0).length, 3);
  assert.deepEqual(xrp.asks, [[1.39899, 10223]]);
});

test('bitvavo - the recorded getBook answer is a snapshot, best first, with sequence = nonce', () => {
  assert.deepEqual(mapBitvavoFrame(recorded[1]!.text, 5), {
    kind: 'book_snapshot', exchange: 'bitvavo', symbol: 'BTC-EUR', receivedAt: 5, exchangeTime: 1790127496313,
    bids: [[75521, 0.05641959], [75518, 0.09937661], [75517, 0.40867668]],
    asks: [[75522, 0.0235618], [75523, 0.05786289], [75526, 0.28930592]],
    sequence: 413297445,
  });
});

test('bitvavo - nanoseconds are divided exactly: a value whose double rounds into the next ms stays in its own', () => {
  const digits = '1790126693594999999';
  assert.equal(Math.floor(Number(digits) / 1e6), 1790126693595); // what a double would say
  assert.equal(bitvavoDigitsToMs(digits, 't'), 1790126693594);
  const frame = `{"event":"book","market":"BTC-EUR","nonce":1,"bids":[],"asks":[],"timestamp":${digits}}`;
  const m = mapBitvavoFrame(frame, 0);
  assert.ok(m.kind === 'book_delta');
  assert.equal(m.exchangeTime, 1790126693594);
});

test('bitvavo docs examples (not recordings) - confirmation saying "book", book event in ms, trade event, REST book body', () => {
  assert.deepEqual(mapBitvavoFrame(docs[0]!.text, 7), { kind: 'control', what: 'subscribed' });
  const ev = mapBitvavoFrame(docs[1]!.text, 7);
  assert.ok(ev.kind === 'book_delta');
  assert.equal(ev.exchangeTime, 1542967486256);
  assert.deepEqual([ev.bids, ev.asks, ev.lastSequence], [[[9209.3, 0.015]], [[9220.2, 0.015]], 0]);
  assert.deepEqual(mapBitvavoFrame(docs[3]!.text, 7), {
    kind: 'trade', exchange: 'bitvavo', symbol: 'BTC-EUR', receivedAt: 7, exchangeTime: 1566817150381,
    tradeId: '391f4d94-485f-4fb0-b11f-39da1cfcfc2d', price: 9311.2, quantity: 0.00096361, takerSide: 'sell',
  });
  const snap = parseBitvavoBookSnapshot(docs[4]!.text, 'BTC-EUR', 9);
  assert.equal(snap.sequence, 438524);
  assert.equal(snap.exchangeTime, 1542967486256);
  assert.deepEqual(snap.bids[0], [4999.9, 0.015]);
  assert.deepEqual(snap.asks[3], [5001.4, 0.015]);
  assert.throws(() => parseBitvavoBookSnapshot(docs[4]!.text, 'ETH-EUR', 9), /bitvavo book snapshot for ETH-EUR: body is for market "BTC-EUR"/);
});

test('bitvavo - subscribe message, book URL, market of a frame', () => {
  assert.equal(bitvavoSubscribe(['BTC-EUR', 'ETH-EUR']), '{"action":"subscribe","channels":[{"name":"book","markets":["BTC-EUR","ETH-EUR"]},{"name":"trades","markets":["BTC-EUR","ETH-EUR"]}]}');
  assert.throws(() => bitvavoSubscribe(['BTCEUR']), /market "BTCEUR" should be spelled as Bitvavo does, e.g. BTC-EUR/);
  assert.equal(bitvavoBookUrl('http://127.0.0.1:9/v2/', 'BTC-EUR'), 'http://127.0.0.1:9/v2/BTC-EUR/book');
  assert.equal(bitvavoFrameMarket(recorded[3]!.text), 'XRP-EUR');
  assert.equal(bitvavoFrameMarket(recorded[6]!.text), null);
});

test('bitvavo - malformed frames are refused naming what was wrong', () => {
  const bad: [string, RegExp][] = [
    ['{"event":"book","market":"BTC-EUR","nonce":1,"bids":[],"asks":[]}', /^bitvavo book for BTC-EUR: field "timestamp" should be an integer, got nothing$/],
    ['{"event":"book","market":"BTC-EUR","nonce":1,"bids":[],"asks":[],"timestamp":1790126693594483}', /should be epoch nanoseconds \(19 digits\) or milliseconds \(13 digits\), got "1790126693594483"/],
    ['{"event":"book","market":"BTC-EUR","nonce":"7","bids":[],"asks":[],"timestamp":1790126693594483831}', /^bitvavo book for BTC-EUR: field "nonce" should be an integer, got "7"$/],
    ['{"event":"book","market":"BTC-EUR","nonce":7,"bids":[["x","1"]],"asks":[],"timestamp":1790126693594483831}', /field "bids\[0\]\[0\]" should be a positive decimal string, got "x"/],
    ['{"event":"trade","id":"a","amount":"1","price":"2","timestamp":1,"market":"BTC-EUR","side":"hold"}', /^bitvavo trade: field "side" should be "buy" or "sell", got "hold"$/],
    ['{"event":"fills"}', /^bitvavo frame: neither a known "event" nor an "action" answer \(event "fills"\)$/],
    ['[1,2]', /^bitvavo frame: expected a JSON object, got an array$/],
  ];
  for (const [text, message] of bad) assert.throws(() => mapBitvavoFrame(text, 0), (err: unknown) => err instanceof BadInputError && message.test(err.message), text);
});
