/**
 * What a live-stream test runs against: the replay server's websockets at 20× their recorded
 * pace (captures preloaded), a DuckDB store in a temp folder, and the log lines the stream writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReplayServer, type ReplayServer } from '../../replay/index.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';

export interface ReplayStreamFixture {
  dir: string;
  replay: ReplayServer;
  store: Store;
  lines: string[];
  log: (line: string) => void;
}

/** Runs `body` with the fixture, then closes the store and the server and removes the folder. */
export async function withReplayStream(prefix: string, body: (f: ReplayStreamFixture) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const replay = await startReplayServer({ speed: 20, ws: { preload: true } });
  const store = await openStore(join(dir, 'store.duckdb'));
  const lines: string[] = [];
  try {
    await body({ dir, replay, store, lines, log: (l) => lines.push(l) });
  } finally {
    await store.close();
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
