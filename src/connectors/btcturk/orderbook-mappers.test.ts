import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadInputError } from '../../core/errors.js';
import { readFrameLines } from '../ws/test-captures.js';
import { BtcturkFeedPolicy } from './btcturk-feed-policy.js';
import { mapBtcturkFrame, parseBtcturkOrderbook } from './orderbook-mappers.js';
import { btcturkFramePair, btcturkJoinMessages, btcturkOrderbookUrl } from './ws-feed-models.js';

// Real server frames recorded on wss://ws-feed-pro.btcturk.com on 2026-09-23 (shared SOURCES §11.2).
const recorded = readFrameLines('btcturk_ws_server_frames_2026-09-23.jsonl', 3);
// A DOCUMENTATION EXAMPLE, not a recording (fixtures/SOURCES.md "ws docs examples"): no REST book was recorded.
const [restExample] = readFrameLines('docs-examples/btcturk_docs_examples.jsonl');

test('btcturk - the 7 recorded frames: version, join ok, 431 book, two 432 diffs, join refused, ticker', () => {
  assert.equal(recorded.length, 7);
  const kinds = recorded.map((f) => {
    const m = mapBtcturkFrame(f.text, f.receivedAt);
    return m.kind === 'control' ? `control:${m.type}` : m.kind === 'result' ? `result:${m.ok}` : m.kind;
  });
  assert.deepEqual(kinds, ['control:991', 'result:true', 'book_snapshot', 'book_delta', 'book_delta', 'result:false', 'control:402']);
});

test('btcturk - the recorded 431 is the book, best first, sequence CS, no exchange time', () => {
  assert.deepEqual(mapBtcturkFrame(recorded[2]!.text, 3), {
    kind: 'book_snapshot', exchange: 'btcturk', symbol: 'BTCUSDT', receivedAt: 3, exchangeTime: null,
    bids: [[86689, 0.00863785], [86688, 0.02307124], [86684, 0.0230723]],
    asks: [[86699, 0.00288357], [86718, 0.06358459], [86719, 0.0092056]],
    sequence: 3999242,
  });
});

test('btcturk - recorded 432 diffs: CP 1 and 0 carry absolute amounts, CP 3 deletes the level', () => {
  assert.deepEqual(mapBtcturkFrame(recorded[3]!.text, 3), {
    kind: 'book_delta', exchange: 'btcturk', symbol: 'ETHUSDT', receivedAt: 3, exchangeTime: null,
    bids: [[2765, 0.32885056], [2550, 0]], asks: [[2770.7, 1.83710101], [2900, 0]], firstSequence: 4097621, lastSequence: 4097621,
  });
  const d = mapBtcturkFrame(recorded[4]!.text, 3);
  assert.ok(d.kind === 'book_delta');
  assert.deepEqual(d.asks, [[2769, 1.98627663], [2769.6, 0], [2770.3, 0.400488]]);
});

test('btcturk docs example (not a recording) - the REST orderbook body is an unsequenced snapshot with its ms time', () => {
  assert.deepEqual(parseBtcturkOrderbook(restExample!.text, 'BTCTRY', 11), {
    kind: 'book_snapshot', exchange: 'btcturk', symbol: 'BTCTRY', receivedAt: 11, exchangeTime: 1613315997466,
    bids: [[349600, 0.00518551]], asks: [[349830, 10.62911645]], sequence: null,
  });
  assert.throws(() => parseBtcturkOrderbook('{"success":false,"message":"Pair NOPEUSDT does not exists.","code":1037}', 'NOPEUSDT', 0),
    (err: unknown) => err instanceof BadInputError && err.message === 'btcturk orderbook snapshot for NOPEUSDT: "success" is boolean false (code number 1037, message "Pair NOPEUSDT does not exists.")');
});

test('btcturk - join messages, orderbook URL, pair of a frame; a refused join is counted by the policy', () => {
  assert.deepEqual(btcturkJoinMessages(['BTCTRY']), ['[151,{"type":151,"channel":"obdiff","event":"BTCTRY","join":true}]']);
  assert.throws(() => btcturkJoinMessages(['btctry']), /pair "btctry" should be upper-case/);
  assert.throws(() => btcturkJoinMessages(['BTC_TRY']), /without underscore/);
  assert.equal(btcturkOrderbookUrl('http://127.0.0.1:9/', 'BTCTRY'), 'http://127.0.0.1:9/api/v2/orderbook?pairSymbol=BTCTRY&limit=100');
  assert.equal(btcturkFramePair(recorded[3]!.text), 'ETHUSDT');
  assert.equal(btcturkFramePair(recorded[0]!.text), null);
  const policy = new BtcturkFeedPolicy();
  for (const f of recorded) policy.onFrame(f);
  assert.equal(policy.joinFailures, 1);
  assert.equal(policy.lastJoinFailure, 'join|obdiff:BTCUSDT');
});

test('btcturk - malformed frames are refused naming what was wrong', () => {
  const bad: [string, RegExp][] = [
    ['{"type":431}', /^btcturk frame: expected \[type, \{…\}\], got an object$/],
    ['[433,{"PS":"BTCTRY"}]', /^btcturk frame: unknown model type 433$/],
    ['[432,{"CS":5,"PS":"BTCTRY","AO":[{"CP":2,"P":"1","A":"1"}],"BO":[]}]', /^btcturk order book diff \(432\) for BTCTRY: field "AO\[0\]\.CP" should be 0, 1 or 3, got number 2$/],
    ['[432,{"CS":5,"PS":"BTCTRY","AO":[],"BO":[{"CP":1,"P":"1","A":"-1"}]}]', /field "BO\[0\]\.A" should be a non-negative decimal string, got "-1"/],
    ['[431,{"CS":"5","PS":"BTCTRY","AO":[],"BO":[]}]', /^btcturk order book \(431\) for BTCTRY: field "CS" should be an integer, got "5"$/],
    ['[431,{"CS":5,"PS":"BTCTRY","AO":[{"A":"1"}],"BO":[]}]', /field "AO\[0\]\.P" should be a positive decimal string, got nothing/],
  ];
  for (const [text, message] of bad) assert.throws(() => mapBtcturkFrame(text, 0), (err: unknown) => err instanceof BadInputError && message.test(err.message), text);
});
