import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFrameLines } from '../connectors/ws/test-captures.js';
import type { WsFeedItem } from '../connectors/ws/ws-feed.js';
import { BtcturkFeedPolicy } from '../connectors/btcturk/btcturk-feed-policy.js';
import { LiveBooks } from './live-books.js';
import type { MarketEvent } from '../core/market-events.js';

// Built from the recorded BTCTurk frames (shared SOURCES §11.2), since the recording holds one book
// and two diffs from different runs: the recorded BTCUSDT 431 with diffs using only its own prices;
// an ETHUSDT 431 whose levels are the recorded ETHUSDT diffs' (nothing else); the recorded ETHUSDT
// diffs re-sent with consecutive CS (only CS changed); the REST body in the envelope of the
// documentation example (fixtures/SOURCES.md "ws docs examples"), holding the book as it stands.
const recorded = readFrameLines('btcturk_ws_server_frames_2026-09-23.jsonl');
const ETH_CS = 4097620;
const ethBook = `[431,{"CS":${ETH_CS},"PS":"ETHUSDT","AO":[{"A":"1.98627663","P":"2769"},{"A":"1.98584633","P":"2769.6"},{"A":"0.400488","P":"2770.3"},{"A":"9.05374161","P":"2900"}],"BO":[{"A":"2.86453815","P":"2765.9"},{"A":"15.86046305","P":"2550"},{"A":"0.00789131","P":"2531.9"}],"channel":"obdiff","event":"ETHUSDT","type":431}]`;
const ethDiff = (line: 3 | 4, cs: number): string => recorded[line]!.text.replace(/"CS":\d+/, `"CS":${cs}`);
const btcDiff = (cs: number, amount: string): string =>
  `[432,{"CS":${cs},"PS":"BTCUSDT","AO":[{"CP":0,"P":"86699","A":"${amount}"}],"BO":[{"CP":3,"P":"86684","A":"0.0230723"}],"channel":"obdiff","event":"BTCUSDT","type":432}]`;
const restBody = '{"success":true,"message":null,"code":0,"data":{"timestamp":1790127496313,"bids":[["2765","0.32885056"],["2765.9","2.86453815"]],"asks":[["2769","1.98627663"],["2770.3","0.400488"],["2770.7","1.83710101"]]}}';

async function* feedOf(texts: string[]): AsyncGenerator<WsFeedItem> {
  yield { type: 'connected', url: 'ws://replay/btcturk', connection: 1, at: 0 };
  for (const [i, text] of texts.entries()) {
    await new Promise((r) => setTimeout(r, 2));
    yield { type: 'frame', receivedAt: 1000 + i, text };
  }
}

test('btcturk live books - books come with the join; a lost ETHUSDT CS resyncs that book from REST only; BTCUSDT never stops; malformed skipped', async () => {
  const texts = [
    recorded[0]!.text, // version
    recorded[1]!.text, // join ok
    recorded[2]!.text, // BTCUSDT 431, CS 3999242
    ethBook,
    btcDiff(3999243, '0.001'),
    ethDiff(3, ETH_CS + 1),
    ethDiff(4, ETH_CS + 2),
    recorded[3]!.text.slice(0, 50), // malformed, charged to ETHUSDT
    btcDiff(3999244, '0.002'),
    // ETH_CS + 3 is lost
    ethDiff(3, ETH_CS + 4),
    btcDiff(3999245, '0.003'),
    ethDiff(3, ETH_CS + 6), // first diff after the REST book: its CS becomes the sequence
    ethDiff(4, ETH_CS + 7),
    recorded[5]!.text, // join refused (duplicate)
    recorded[6]!.text, // ticker
  ];
  const fetched: string[] = [];
  const logs: string[] = [];
  const policy = new BtcturkFeedPolicy();
  const books = new LiveBooks({
    policy,
    log: (l) => logs.push(l),
    fetchSnapshot: (pair) => {
      fetched.push(pair);
      return Promise.resolve(restBody);
    },
  });
  const events: MarketEvent[] = [];
  for await (const e of books.run(feedOf(texts))) events.push(e);

  assert.deepEqual(fetched, ['ETHUSDT']);
  assert.equal(policy.joinFailures, 1);
  const status = books.status();
  assert.equal(status.malformedFrames, 1);
  assert.deepEqual(status.books.map((b) => ({ ...b, bids: 0, asks: 0 })), [
    { symbol: 'BTCUSDT', synced: true, bids: 0, asks: 0, gaps: 0, resyncs: 0, crossed: 0, malformed: 0, snapshotFailures: 0 },
    { symbol: 'ETHUSDT', synced: true, bids: 0, asks: 0, gaps: 1, resyncs: 1, crossed: 0, malformed: 1, snapshotFailures: 0 },
  ]);
  assert.ok(logs.includes(`btcturk ETHUSDT obdiff CS gap: expected ${ETH_CS + 3}, got ${ETH_CS + 4}; resyncing from a new snapshot`), logs.join('\n'));

  const eth = events.filter((e) => e.symbol === 'ETHUSDT').map((e) => (e.kind === 'book_snapshot' ? `S${e.sequence}` : e.kind === 'book_delta' ? `D${e.lastSequence}` : e.kind));
  assert.deepEqual(eth, [`S${ETH_CS}`, `D${ETH_CS + 1}`, `D${ETH_CS + 2}`, 'Snull', `D${ETH_CS + 6}`, `D${ETH_CS + 7}`]);
  // BTCUSDT: the joined book and its three diffs: best ask amount replaced, 86684 bid deleted.
  const btc = books.book('BTCUSDT')!;
  assert.deepEqual(btc.top('ask', 1), [[86699, 0.003]]);
  assert.deepEqual(btc.top('bid', 5), [[86689, 0.00863785], [86688, 0.02307124]]);
  // ETHUSDT: REST book, then line 4's diff (2550 bid deletion is a no-op) and line 5's.
  const ethBookNow = books.book('ETHUSDT')!;
  assert.deepEqual(ethBookNow.top('bid', 5), [[2765, 0.32885056], [2531.9, 0.00789131]]);
  assert.deepEqual(ethBookNow.top('ask', 5), [[2769, 1.98627663], [2770.3, 0.400488], [2770.7, 1.83710101]]);
});
