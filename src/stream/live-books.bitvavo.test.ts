import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFrameLines } from '../connectors/ws/test-captures.js';
import type { RawFrame } from '../connectors/ws/raw-frame.js';
import type { WsFeedItem } from '../connectors/ws/ws-feed.js';
import { BitvavoFeedPolicy } from '../connectors/bitvavo/bitvavo-feed-policy.js';
import { LiveBooks } from './live-books.js';
import type { MarketEvent } from '../core/market-events.js';

// Built from the recorded Bitvavo frames (shared SOURCES §11.1): the recorded BTC-EUR and XRP-EUR
// `book` deltas re-sent with consecutive nonces (only `nonce` changed), the recorded `getBook`
// answer's body as the REST snapshot, and the documentation's trade example (not a recording).
const recorded = readFrameLines('bitvavo_ws_v2_server_frames_2026-09-23.jsonl');
const docTrade = readFrameLines('docs-examples/bitvavo_docs_examples.jsonl')[3]!;
const getBook = recorded[1]!.text;
const btcSnapshot = getBook.slice(getBook.indexOf('"response":') + 11, -1);
const SNAP_NONCE = 413297445;
const withNonce = (line: number, nonce: number): string => recorded[line]!.text.replace(/"nonce":\d+/, `"nonce":${nonce}`);
// The XRP-EUR book as the REST body would carry it: the recorded delta's non-zero levels at its nonce.
const xrpSnapshot = '{"market":"XRP-EUR","nonce":333271094,"bids":[["1.396070","5011.229271"],["1.396060","18371.821034"],["1.395710","5011.229271"]],"asks":[["1.398990","10223.000000"]],"timestamp":1790126693585816821}';

async function* feedOf(texts: string[]): AsyncGenerator<WsFeedItem> {
  yield { type: 'connected', url: 'ws://replay/bitvavo', connection: 1, at: 0 };
  for (const [i, text] of texts.entries()) {
    // A pause per frame lets the snapshot fetches resolve mid-stream, as on a real socket.
    await new Promise((r) => setTimeout(r, 2));
    const f: RawFrame = { receivedAt: 1000 + i, text };
    yield { type: 'frame', ...f };
  }
}

test('bitvavo live books - nonce sync on the REST snapshot; a lost BTC-EUR nonce resyncs that book only; a malformed frame is counted and skipped', async () => {
  const texts = [
    recorded[0]!.text, // subscribed
    recorded[2]!.text, // BTC-EUR nonce 413289768: older than the snapshot, dropped by it
    withNonce(2, SNAP_NONCE + 1),
    recorded[3]!.text, // XRP-EUR nonce 333271094: the XRP snapshot's own nonce, dropped by it
    withNonce(3, 333271095),
    withNonce(2, SNAP_NONCE + 2),
    docTrade.text,
    withNonce(3, 333271096),
    withNonce(2, SNAP_NONCE + 3),
    recorded[2]!.text.slice(0, 60), // malformed, charged to BTC-EUR
    // SNAP_NONCE + 4 is lost
    withNonce(2, SNAP_NONCE + 5),
    withNonce(3, 333271097),
    withNonce(2, SNAP_NONCE + 6),
    withNonce(3, 333271098),
    withNonce(2, SNAP_NONCE + 7),
    recorded[4]!.text, // ticker: no event
  ];
  const fetched: string[] = [];
  const logs: string[] = [];
  const books = new LiveBooks({
    policy: new BitvavoFeedPolicy(),
    log: (l) => logs.push(l),
    fetchSnapshot: (market) => {
      fetched.push(market);
      if (market === 'XRP-EUR') return Promise.resolve(xrpSnapshot);
      // First the recorded snapshot; after the gap the same book at the nonce of the update that jumped.
      return Promise.resolve(fetched.length === 1 ? btcSnapshot : btcSnapshot.replace(`"nonce":${SNAP_NONCE}`, `"nonce":${SNAP_NONCE + 5}`));
    },
  });
  const events: MarketEvent[] = [];
  for await (const e of books.run(feedOf(texts))) events.push(e);

  assert.deepEqual(fetched, ['BTC-EUR', 'XRP-EUR', 'BTC-EUR']);
  const status = books.status();
  assert.equal(status.malformedFrames, 1);
  assert.deepEqual(status.books, [
    { symbol: 'BTC-EUR', synced: true, bids: 5, asks: 3, gaps: 1, resyncs: 1, crossed: 0, malformed: 1, snapshotFailures: 0 },
    { symbol: 'XRP-EUR', synced: true, bids: 3, asks: 1, gaps: 0, resyncs: 0, crossed: 0, malformed: 0, snapshotFailures: 0 },
  ]);
  assert.ok(logs.includes(`bitvavo BTC-EUR book nonce gap: expected ${SNAP_NONCE + 4}, got ${SNAP_NONCE + 5}; resyncing from a new snapshot`), logs.join('\n'));
  assert.ok(logs.some((l) => l.startsWith('bitvavo: malformed frame skipped: bitvavo frame: not JSON')));

  // Applied in nonce order: snapshot, then 446, 447, 448; after the gap the new snapshot, then 451, 452.
  const btc = events.filter((e) => e.symbol === 'BTC-EUR').map((e) => (e.kind === 'book_snapshot' ? `S${e.sequence}` : e.kind === 'book_delta' ? `D${e.lastSequence}` : e.kind));
  const n = (k: number): number => SNAP_NONCE + k;
  assert.deepEqual(btc, [`S${n(0)}`, `D${n(1)}`, `D${n(2)}`, 'trade', `D${n(3)}`, `S${n(5)}`, `D${n(6)}`, `D${n(7)}`]);
  const snap = events.find((e) => e.kind === 'book_snapshot' && e.symbol === 'BTC-EUR');
  assert.equal(snap?.exchangeTime, 1790127496313);
  assert.deepEqual(books.book('BTC-EUR')!.top('bid', 10), [[75521, 0.05641959], [75518, 0.09937661], [75517, 0.40867668], [75516, 0.00058294], [74966, 0.001]]);
  assert.deepEqual(books.book('XRP-EUR')!.top('bid', 1), [[1.39607, 5011.229271]]);
});

test('bitvavo live books - a snapshot older than the buffered updates is asked for again', async () => {
  const texts = [withNonce(2, SNAP_NONCE + 3), withNonce(2, SNAP_NONCE + 4)];
  const fetched: string[] = [];
  const books = new LiveBooks({
    policy: new BitvavoFeedPolicy(),
    log: () => undefined,
    snapshotRetry: { baseMs: 1, capMs: 1 },
    fetchSnapshot: () => {
      fetched.push('x');
      return Promise.resolve(fetched.length === 1 ? btcSnapshot : btcSnapshot.replace(`"nonce":${SNAP_NONCE}`, `"nonce":${SNAP_NONCE + 3}`));
    },
  });
  async function* slow(): AsyncGenerator<WsFeedItem> {
    yield* feedOf(texts);
    await new Promise((r) => setTimeout(r, 30));
  }
  const events: MarketEvent[] = [];
  for await (const e of books.run(slow())) events.push(e);
  assert.equal(fetched.length, 2);
  assert.deepEqual(events.map((e) => (e.kind === 'book_snapshot' ? `S${e.sequence}` : `D${e.kind === 'book_delta' ? e.lastSequence : ''}`)), [`S${SNAP_NONCE + 3}`, `D${SNAP_NONCE + 4}`]);
  assert.equal(books.status().books[0]?.gaps, 0);
});
