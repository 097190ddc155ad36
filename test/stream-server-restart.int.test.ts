/**
 * A stream process rides through a NATS and a PostgreSQL restart (issue 18): one `tickerflow
 * stream --bus nats://… --db postgres://…` process against the replay server's recorded Binance
 * websockets, on a private NATS JetStream server and a private PostgreSQL cluster
 * (test/support/private-services.ts). NATS is stopped for longer than a JetStream publish waits
 * for its ack (so publishes fail and are held), then PostgreSQL for longer than a bar takes to
 * close at the replay's pace (so a bars and windows write fails and is held). The process must
 * never exit, say once each that it lost and regained the server, keep storing bars and windows
 * after each restart, store every bar and window key once, and stop cleanly on SIGINT.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startReplayServer } from '../src/replay/index.js';
import { createTempDatabase } from '../src/store/test-support/temp-postgres.js';
import { startPrivateNats, startPrivatePostgres, type PrivateService } from './support/private-services.js';
import { spawnTickerflow, type TickerflowProcess } from './support/spawn-tickerflow.js';
import { assertRowsOnce, streamRowCounts } from './support/stream-rows.js';
import { streamConfigToml } from './support/stream-config.js';

const MARKETS = ['binance:BTCUSDT', 'binance:ETHUSDT'];
/** The recording at 8×: a 1m bar closes every 7.5 s. */
const WS_SPEED = 8;
/** Longer than a JetStream publish waits for its ack (5 s). */
const NATS_DOWN_MS = 7_000;
/**
 * More than two bars' closes at WS_SPEED, so a write of bars falls into the outage even when a
 * loaded machine holds the stream back (10 s, 1.3 closes, once saw none during a full test run).
 */
const PG_DOWN_MS = 18_000;

test('stream process - a NATS restart and then a PostgreSQL restart mid-run: it never exits, keeps storing bars and windows after each, every key once', { timeout: 240_000 }, async (t) => {
  const services: PrivateService[] = [];
  const live = await startReplayServer({ speed: WS_SPEED, ws: { preload: true } });
  const dir = mkdtempSync(join(tmpdir(), 'tf-stream-restart-'));
  let proc: TickerflowProcess | null = null;
  try {
    const nats = await startPrivateNats();
    services.push(nats);
    const pgServer = await startPrivatePostgres();
    services.push(pgServer);
    const db = await createTempDatabase(pgServer.url);
    const config = join(dir, 'stream.toml');
    writeFileSync(config, streamConfigToml({ replay: live, markets: MARKETS, lake: join(dir, 'lake') }));
    const p = spawnTickerflow(['--config', config, '--db', db.url, 'stream', '--bus', nats.url]);
    proc = p;
    let stderr = '';
    p.child.stderr?.on('data', (c: string) => (stderr += c));
    let exitedEarly: string | null = null;
    void p.exit.then((e) => { if (exitedEarly === null && proc !== null) exitedEarly = `exit ${e.code ?? e.signal}: ${e.stderr.slice(-800)}`; });
    const alive = (when: string): void => assert.equal(exitedEarly, null, `the stream process is still running ${when}`);

    /** Waits until the store holds more bars and more windows than `than`, the process running all along. */
    const growsBeyond = async (than: { bars: number; windows: number }, when: string): Promise<{ bars: number; windows: number }> => {
      for (const until = Date.now() + 60_000; ; await sleep(500)) {
        alive(when);
        const now = await streamRowCounts(db.url).catch(() => than);
        if (now.bars > than.bars && now.windows > than.windows) return now;
        if (Date.now() > until) throw new Error(`no new bars and windows within 60 s ${when} (store holds ${now.bars} bars, ${now.windows} windows; before ${than.bars}, ${than.windows}): ${stderr.slice(-1500)}`);
      }
    };

    const first = await growsBeyond({ bars: 0, windows: 0 }, 'before the restarts');
    await nats.restart(NATS_DOWN_MS);
    alive('through the NATS restart');
    const afterNats = await growsBeyond(first, 'after the NATS restart');
    assert.equal(stderr.match(/lost the connection to NATS/g)?.length, 1, `one line when NATS went away: ${stderr.slice(-1500)}`);
    assert.equal(stderr.match(/connection to NATS is back/g)?.length, 1, 'one line when NATS was back');

    await pgServer.restart(PG_DOWN_MS);
    alive('through the PostgreSQL restart');
    const afterPg = await growsBeyond(afterNats, 'after the PostgreSQL restart');
    assert.equal(stderr.match(/the store is away/g)?.length, 1, `a write of bars and windows failed while PostgreSQL was down, once said: ${stderr.slice(-1500)}`);
    assert.equal(stderr.match(/the store is back/g)?.length, 1, 'and it was written once PostgreSQL was back');
    assert.doesNotMatch(stderr, /stream: stopped:/);

    p.child.kill('SIGINT');
    const exit = await p.exit;
    proc = null;
    assert.equal(exit.code, 0, `stopped by SIGINT it exits 0: ${exit.stderr.slice(-800)}`);
    await assertRowsOnce(db.url);
    t.diagnostic(`bars/windows stored: ${first.bars}/${first.windows} before, ${afterNats.bars}/${afterNats.windows} after the NATS restart, ${afterPg.bars}/${afterPg.windows} after the PostgreSQL restart`);
  } finally {
    if (proc !== null) {
      proc.child.kill('SIGKILL');
      await proc.exit;
    }
    for (const s of services.reverse()) await s.stop();
    rmSync(dir, { recursive: true, force: true });
    await live.close();
  }
});
