/**
 * Scale-out under kill -9 (issue 18): a private PostgreSQL cluster and a private NATS JetStream
 * server (test/support/private-services.ts, so that the test may restart them), three `tickerflow
 * worker` processes loading a 3 symbols × 3 months scale archive queued by `backfill --bus`, and
 * two `tickerflow stream --shard i/2 --bus nats://…` processes streaming the replay server's
 * recorded Binance and Gemini websockets. A seeded killer SIGKILLs a random worker or stream
 * process at random moments, at least KILLS times, each restarted 300 ms after it died; once in
 * the middle it restarts the NATS server, once the PostgreSQL server. Any process that exits
 * without being killed is restarted too, as a supervisor would, and counted: the test asserts
 * none did (workers and stream processes ride through the server restarts).
 *
 * At the end: the candles equal a clean single-process backfill (worker-nats-kill's comparison),
 * the work queue is empty, every stored bar and window row exists once (the tables' primary keys
 * hold, counted), each shard's durable consumer exists on its own stream, and no Binance trade id
 * is in a shard's lake twice. The seed is printed; TICKERFLOW_KILL_SEED=<n> reruns one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { parseMarketRef } from '../src/core/market-events.js';
import { seededRandom } from '../src/core/seeded-random.js';
import { startReplayServer } from '../src/replay/index.js';
import { openStore } from '../src/store/open-store.js';
import { createTempDatabase } from '../src/store/test-support/temp-postgres.js';
import { shardLakeRoot, streamBusNames } from '../src/stream/stream-shard.js';
import { SCALE_CACHE, SCALE_SPEC, SCALE_SYMBOLS, scaleSnapshot } from './kill-resume.scenario.js';
import { replayConfigToml } from './support/pipeline-harness.js';
import { startPrivateNats, startPrivatePostgres, type PrivateService } from './support/private-services.js';
import { queueEmptyWithin, spawnTickerflow, type Exit, type TickerflowProcess } from './support/spawn-tickerflow.js';
import { assertNoDuplicateTrades, assertTradesComplete, assertWindowsExactOrIncomplete, binanceReplayTradeIds, lakeTrades } from './support/lake-trade-ids.js';
import { assertRowsOnce } from './support/stream-rows.js';
import { streamConfigToml } from './support/stream-config.js';

const SEED = Number(process.env.TICKERFLOW_KILL_SEED ?? 1804);
const KILLS = 20;
/** BTCUSDT and ETHUSDT fall in shard 1 of 2, the Gemini markets in shard 2 (FNV-1a split). */
const MARKETS = ['binance:BTCUSDT', 'binance:ETHUSDT', 'gemini:BTCGBP', 'gemini:ETHEUR'];
const BINANCE = MARKETS.filter((m) => m.startsWith('binance:'));
/** The recorded websockets at 4× their pace: the ~2 min run covers most of the 11 min Binance recording. */
const WS_SPEED = 4;
const LEASE_SECONDS = 2;
/** Kill moments are drawn between these (ms after the previous kill). */
const KILL_GAP_MS = [1_500, 5_000] as const;

type Role = 'worker' | 'stream';
interface Slot {
  role: Role;
  name: string;
  args: string[];
  proc: TickerflowProcess | null;
  /** The current process printed its ready line. */
  up: boolean;
  killed: number;
  /** What the current process printed on stderr so far. */
  stderr: () => string;
  /** Exits nobody asked for (a server restart under it), whether it was running or still starting, with the tail of its stderr. */
  crashes: string[];
}

test('scale-out - 3 workers and 2 stream shards on private NATS and PostgreSQL, kill -9 at random moments and restarted, NATS and PostgreSQL restarted: candles of a clean backfill, every row once, no trade twice', { timeout: 420_000 }, async (t) => {
  const started = Date.now();
  t.diagnostic(`seed ${SEED} (rerun with TICKERFLOW_KILL_SEED=${SEED})`);
  const services: PrivateService[] = [];
  const archive = await startReplayServer({ speed: 0, faults: { latencyMs: 0 }, scale: { spec: SCALE_SPEC, cacheDir: SCALE_CACHE } });
  const live = await startReplayServer({ speed: WS_SPEED, ws: { preload: true } });
  const dir = mkdtempSync(join(tmpdir(), 'tf-scale-out-kill-'));
  const lake = join(dir, 'lake');
  const cleanDb = await createTempDatabase();
  const slots: Slot[] = [];
  const spawned: TickerflowProcess[] = [];
  let tornDown = false;
  try {
    const natsServer = await startPrivateNats();
    services.push(natsServer);
    const pgServer = await startPrivatePostgres();
    services.push(pgServer);
    const db = await createTempDatabase(pgServer.url);
    const workerConfig = join(dir, 'workers.toml');
    writeFileSync(workerConfig, replayConfigToml(archive, SCALE_SYMBOLS));
    const streamConfig = join(dir, 'stream.toml');
    writeFileSync(streamConfig, streamConfigToml({ replay: live, markets: MARKETS, lake }));

    const clean = await spawnTickerflow(['--config', workerConfig, '--db', cleanDb.url, 'backfill', ...SCALE_SYMBOLS]).exit;
    assert.equal(clean.code, 0, `the clean backfill completed: ${clean.stderr.slice(-500)}`);
    const cleanStore = await openStore(cleanDb.url);
    const want = await scaleSnapshot(cleanStore).finally(() => cleanStore.close());

    const queue = 'tickerflow-jobs';
    const start = (slot: Slot): void => {
      const p = spawnTickerflow(slot.args);
      spawned.push(p);
      slot.proc = p;
      slot.up = false;
      const marker = slot.role === 'worker' ? 'tickerflow worker: pulling' : 'durable consumer';
      let seen = '';
      slot.stderr = () => seen;
      p.child.stderr?.on('data', (c: string) => {
        seen += c;
        if (slot.proc === p && seen.includes(marker)) slot.up = true;
      });
      void p.exit.then(async (e: Exit) => {
        if (tornDown || slot.proc !== p) return;
        const wasUp = slot.up;
        slot.up = false;
        if (e.signal !== 'SIGKILL') slot.crashes.push(`${wasUp ? 'running' : 'starting'}, exit ${e.code ?? e.signal}: ${e.stderr.slice(-600)}`);
        await sleep(300);
        if (!tornDown) start(slot);
      });
    };
    for (let i = 1; i <= 3; i++) {
      slots.push({ role: 'worker', name: `worker ${i}`, args: ['--config', workerConfig, '--db', db.url, '--log-level', 'info', 'worker', '--bus', natsServer.url, '--queue', queue, '--lease', String(LEASE_SECONDS), '--concurrency', '2'], proc: null, up: false, killed: 0, stderr: () => '', crashes: [] });
    }
    for (const i of [1, 2]) {
      slots.push({ role: 'stream', name: `stream ${i}/2`, args: ['--config', streamConfig, '--db', db.url, 'stream', '--shard', `${i}/2`, '--bus', natsServer.url], proc: null, up: false, killed: 0, stderr: () => '', crashes: [] });
    }
    for (const s of slots) start(s);
    await allReady(slots, 90_000);

    // The killer: a random process at a random moment, KILLS times; NATS restarted after a third
    // of the kills, PostgreSQL after two thirds.
    const rnd = seededRandom(SEED);
    const restarts: string[] = [];
    const killer = (async () => {
      for (let k = 1; k <= KILLS; k++) {
        await sleep(KILL_GAP_MS[0] + Math.floor(rnd() * (KILL_GAP_MS[1] - KILL_GAP_MS[0])));
        const first = Math.floor(rnd() * slots.length);
        // The drawn process, or the next one that is up (one may still be restarting).
        const slot = [0, 1, 2, 3, 4].map((d) => slots[(first + d) % slots.length] as Slot).find((s) => s.proc !== null && s.proc.child.exitCode === null && s.proc.child.signalCode === null);
        if (slot === undefined) {
          k--;
          continue;
        }
        slot.proc?.child.kill('SIGKILL');
        slot.killed++;
        if (k === Math.round(KILLS / 3)) {
          await natsServer.restart();
          restarts.push(`NATS after kill ${k}`);
        }
        if (k === Math.round((2 * KILLS) / 3)) {
          await pgServer.restart();
          restarts.push(`PostgreSQL after kill ${k}`);
        }
      }
    })();

    // backfill --bus waits for the workers; a server restart under it may stop it, and a rerun
    // plans around what the workers loaded (docs/SCALE-OUT.md).
    const backfillRuns: Exit[] = [];
    for (let run = 1; run <= 4; run++) {
      const b = spawnTickerflow(['--config', workerConfig, '--db', db.url, 'backfill', '--bus', natsServer.url, '--queue', queue, ...SCALE_SYMBOLS]);
      spawned.push(b);
      const e = await b.exit;
      backfillRuns.push(e);
      if (e.code === 0) break;
    }
    const last = backfillRuns[backfillRuns.length - 1] as Exit;
    assert.equal(last.code, 0, `backfill --bus completed within 4 runs: ${backfillRuns.map((e) => `exit ${e.code}: ${e.stderr.slice(-400)}`).join('\n')}`);
    assert.doesNotMatch(last.stdout, /REJECTED/);
    await killer;
    // Let the last restarted processes come up and the streams close a few more bars.
    await allReady(slots, 90_000);
    await sleep(5_000);
    assert.equal(await queueEmptyWithin(natsServer.url, queue, 30_000), true, 'every queued job was acked');

    tornDown = true;
    const exits = await Promise.all(slots.map((s) => {
      s.proc?.child.kill('SIGINT');
      return s.proc?.exit as Promise<Exit>;
    }));
    exits.forEach((e, i) => assert.equal(e.code, 0, `${(slots[i] as Slot).name} stopped by SIGINT exits 0: ${e.stderr.slice(-500)}`));

    const store = await openStore(db.url);
    try {
      assert.deepEqual(await scaleSnapshot(store), want, 'the workers stored exactly what a clean backfill stores');
      for (const m of BINANCE.map(parseMarketRef)) {
        const stats = await store.seriesStats({ exchange: m.exchange, symbol: m.symbol, interval: '1m' });
        assert.ok(stats !== null && stats.count > 0, `${m.exchange}:${m.symbol} has stream bars`);
      }
    } finally {
      await store.close();
    }
    await assertRowsOnce(db.url);
    await assertDurableConsumers(natsServer.url);
    const tradeCounts: string[] = [];
    const windowCounts: string[] = [];
    const checked = await openStore(db.url);
    try {
      for (const shard of [1, 2]) {
        for (const [market, trades] of await lakeTrades(shardLakeRoot(lake, { index: shard, count: 2 }))) {
          const ids = trades.map((x) => x.id);
          assertNoDuplicateTrades(market, ids);
          // Binance: the trades a killed stream process missed were fetched by id after its restart.
          if (market.startsWith('binance:')) assertTradesComplete(market, ids, binanceReplayTradeIds);
          const m = parseMarketRef(market);
          const w = assertWindowsExactOrIncomplete(market, await checked.readSignals(m.exchange, m.symbol, 60_000, 0, Number.MAX_SAFE_INTEGER), trades);
          tradeCounts.push(`${market} ${ids.length}`);
          windowCounts.push(`${market} ${w.exact} exact/${w.incomplete} incomplete`);
        }
      }
    } finally {
      await checked.close();
    }
    for (const m of BINANCE) assert.ok(tradeCounts.some((c) => c.startsWith(`${m} `)), `${m} trades are in the lake: ${tradeCounts.join(', ')}`);

    const kills = slots.reduce((n, s) => n + s.killed, 0);
    assert.ok(kills >= KILLS, `${kills} processes killed`);
    assert.ok(slots.some((s) => s.role === 'stream' && s.killed > 0) && slots.some((s) => s.role === 'worker' && s.killed > 0), `both workers and stream processes were killed: ${slots.map((s) => `${s.name} ${s.killed}`).join(', ')}`);
    assert.deepEqual(restarts, [`NATS after kill ${Math.round(KILLS / 3)}`, `PostgreSQL after kill ${Math.round((2 * KILLS) / 3)}`]);
    const crashes = slots.flatMap((s) => s.crashes.map((c) => `${s.name}: ${c}`));
    t.diagnostic(`${kills} kills (${slots.map((s) => `${s.name} ${s.killed}`).join(', ')}); ${restarts.join(', ')}; ${backfillRuns.length} backfill --bus run(s); ${crashes.length} exits under server restarts; lake trades ${tradeCounts.join(', ')}; windows ${windowCounts.join(', ')}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const c of crashes) t.diagnostic(c.replace(/\s+/g, ' '));
    // Running workers and stream processes ride through the server restarts: only the killer's
    // SIGKILLs end one. A process the killer restarted just before a server restart may still be
    // starting when the server goes away; its first connect fails and it exits (a supervisor's job).
    assert.deepEqual(crashes.filter((c) => / running, /.test(c)), [], 'no running worker or stream process exited on its own around the NATS and PostgreSQL restarts');
  } catch (err) {
    t.diagnostic(`failed with seed ${SEED} (rerun with TICKERFLOW_KILL_SEED=${SEED})`);
    throw err;
  } finally {
    tornDown = true;
    for (const p of spawned) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(spawned.map((p) => p.exit));
    await cleanDb.drop();
    for (const s of services.reverse()) await s.stop();
    rmSync(dir, { recursive: true, force: true });
    await archive.close();
    await live.close();
  }
});

/** Every slot's current process is up (printed its ready line) within `ms`; else an error with what the others printed. */
async function allReady(slots: readonly Slot[], ms: number): Promise<void> {
  for (const until = Date.now() + ms; !slots.every((s) => s.up); await sleep(100)) {
    if (Date.now() > until) throw new Error(`not up within ${ms} ms: ${slots.filter((s) => !s.up).map((s) => `${s.name}: ${s.stderr().slice(-600)}`).join('\n')}`);
  }
}

/** Each shard's stream holds its durable `stream-processors` consumer, which has taken events. */
async function assertDurableConsumers(natsUrl: string): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    for (const shard of [1, 2]) {
      const names = streamBusNames({ index: shard, count: 2 });
      const info = await jsm.consumers.info(names.stream, names.consumer);
      assert.ok(info.delivered.stream_seq > 0, `shard ${shard}: consumer ${names.consumer} on ${names.stream} took events`);
      assert.equal(info.config.filter_subject, `${names.prefix}.md.>`);
    }
  } finally {
    await nc.close();
  }
}
