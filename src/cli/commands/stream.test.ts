import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStreamStatus, type StreamStatusFile } from './stream.js';

const STATUS: StreamStatusFile = {
  pid: 4242, updatedAt: 1_000_000, running: true,
  exchanges: [{ exchange: 'binance', connections: 1, frames: 900, malformedFrames: 0, books: [{ symbol: 'BTCUSDT', synced: true, bids: 1000, asks: 998, gaps: 0, resyncs: 0, crossed: 0, malformed: 0, snapshotFailures: 0 }] }],
  processors: { events: 1500, rejected: 0, bars: 7, windows: 5, lateTrades: 0, lateWindowEvents: 0 },
  events: 1578, lastSequence: 1578, lakeFiles: 2,
  resume: { backfilledTrades: 2113, heldTradesDropped: 12, unfilledMarkets: ['gemini:BTCGBP'] },
};

test('stream status - says what a restart fetched by id, dropped as held and could not fill', () => {
  const lines = formatStreamStatus(STATUS, 1_003_000).split('\n');
  assert.equal(lines[0], 'stream: running (pid 4242, updated 3 s ago)');
  assert.equal(lines[2], 'restart: 2113 missed trades fetched by id, 12 trades dropped as already held; outage not filled: gemini:BTCGBP');
  const { resume: _r, ...older } = STATUS;
  assert.ok(!formatStreamStatus(older as StreamStatusFile, 1_003_000).includes('restart:'), 'a status file written before restarts resumed has no restart line');
});
