/**
 * The bus contract, unchanged, on a real NATS JetStream server (TICKERFLOW_TEST_NATS_URL, which
 * scripts/run-tests.mjs sets and starts). Each case gets its own stream and subject prefix and
 * deletes the stream when it closes the bus.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { runBusContract } from '../bus.contract.js';
import type { Bus } from '../bus.js';
import type { MarketEvent } from '../../core/market-events.js';
import { ids, take, trade } from '../contract/bus-helpers.js';
import { NatsBus } from './nats-bus.js';
import { openBus } from '../open-bus.js';

const URL = process.env.TICKERFLOW_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const RUN = `t${process.pid}_${Date.now().toString(36)}`;
let n = 0;
const created: string[] = [];

/** A bus on a fresh stream; its close also deletes the stream. */
async function makeBus(): Promise<Bus<MarketEvent>> {
  const name = `${RUN}_${n++}`;
  const bus = await NatsBus.open<MarketEvent>(URL, { stream: name, prefix: name, storage: 'memory', maxAgeMs: 600_000, maxBytes: 64 * 1024 ** 2 });
  created.push(name);
  return {
    delivery: bus.delivery,
    publish: (s, d) => bus.publish(s, d),
    subscribe: (p, o) => bus.subscribe(p, o),
    close: async () => {
      await bus.close();
      await deleteStream(name);
    },
  };
}

async function deleteStream(name: string): Promise<void> {
  const nc = await connect({ servers: URL });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}

runBusContract('nats', makeBus, { delivery: 'at-least-once', publishWaitsOnFullBuffer: false });

test('nats bus - the streams made by these cases are gone afterwards', async () => {
  const nc = await connect({ servers: URL });
  try {
    const jsm = await jetstreamManager(nc);
    const names: string[] = [];
    for await (const s of jsm.streams.names()) names.push(s);
    assert.ok(created.length > 10);
    assert.deepEqual(names.filter((s) => s.startsWith(RUN)), []);
  } finally {
    await nc.close();
  }
});

test('nats bus - a subject outside the stream families is refused naming it', async () => {
  const bus = await makeBus();
  try {
    await assert.rejects(bus.publish('orders.binance.BTCUSDT', trade('BTCUSDT', 0)), /bus subject "orders\.binance\.BTCUSDT": token 1 "orders" is not one of the stream's families md, bar, signal/);
  } finally {
    await bus.close();
  }
});

test('nats bus - a reader far behind gets everything in order from the stream, nothing dropped', async () => {
  const bus = await makeBus();
  try {
    const sub = bus.subscribe('md.trade.>', { capacity: 16 });
    for (let i = 0; i < 2000; i++) await bus.publish(i % 2 === 0 ? 'md.trade.binance.BTCUSDT' : 'md.trade.gemini.BTCUSD', trade('X', i));
    const got: number[] = [];
    for await (const m of sub) {
      if (m.data.kind === 'trade') got.push(Number(m.data.tradeId));
      if (got.length === 2000) break;
    }
    assert.deepEqual(got, Array.from({ length: 2000 }, (_, i) => i));
    assert.equal(sub.dropped, 0);
  } finally {
    await bus.close();
  }
});

test('nats bus - the stream is created with bounded retention, and an existing one with other subjects is refused', async () => {
  const name = `${RUN}_cfg`;
  const bus = await NatsBus.open<MarketEvent>(URL, { stream: name, prefix: name, storage: 'memory', maxAgeMs: 60_000, maxBytes: 1_000_000 });
  try {
    const nc = await connect({ servers: URL });
    const info = await (await jetstreamManager(nc)).streams.info(name);
    await nc.close();
    assert.deepEqual([...info.config.subjects].sort(), [`${name}.bar.>`, `${name}.md.>`, `${name}.signal.>`]);
    assert.equal(info.config.max_age, 60_000 * 1e6);
    assert.equal(info.config.max_bytes, 1_000_000);
    await assert.rejects(NatsBus.open(URL, { stream: name, prefix: `${name}x` }), new RegExp(`NATS stream "${name}" exists with subjects ${name}\\.bar\\.>`));
  } finally {
    await bus.close();
    await deleteStream(name);
  }
});

test('nats bus - an unreachable server is named without its password; a bad bus URL is refused', async () => {
  await assert.rejects(NatsBus.open('nats://tick:s3cret@127.0.0.1:1', { connectTimeoutMs: 1000 }), (err: Error) => {
    assert.match(err.message, /cannot reach NATS at nats:\/\/tick:\*\*\*@127\.0\.0\.1:1/);
    assert.doesNotMatch(err.message, /s3cret/);
    return true;
  });
  await assert.rejects(openBus('kafka://x'), /bus "kafka:\/\/x" is neither "memory" nor nats:\/\//);
  assert.equal((await openBus('memory')).delivery, 'at-most-once');
});


test('nats bus - a server without JetStream is named with how to enable it', async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  try {
    await waitForPort(port);
    await assert.rejects(NatsBus.open(`nats://127.0.0.1:${port}`, { connectTimeoutMs: 2000 }), new RegExp(`JetStream is not available on NATS at nats://127\\.0\\.0\\.1:${port} .*start nats-server with -js`));
  } finally {
    server.kill();
  }
});

test('nats bus - a NATS restart mid-run is survived: the subscription resumes after its last event, publishes go on once it is back', async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-nats-'));
  const start = (): ChildProcess => spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' });
  let server = start();
  try {
    await waitForPort(port);
    const bus = await NatsBus.open<MarketEvent>(`nats://127.0.0.1:${port}`, { stream: 'restart' });
    try {
      const sub = bus.subscribe('md.trade.>', { capacity: 4 });
      for (let i = 0; i < 10; i++) await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', i));
      assert.deepEqual(ids(await take(sub, 2)), ['0', '1']);
      server.kill('SIGKILL');
      await new Promise((r) => server.once('exit', r));
      server = start();
      await waitForPort(port);
      for (let i = 10; i < 20; i++) {
        for (let attempt = 0; ; attempt++) {
          try {
            await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', i));
            break;
          } catch (err) {
            if (attempt === 40) throw err;
            await new Promise((r) => setTimeout(r, 250));
          }
        }
      }
      assert.deepEqual(ids(await take(sub, 18, 20_000)), Array.from({ length: 18 }, (_, i) => String(i + 2)));
    } finally {
      await bus.close();
    }
  } finally {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nats bus - publishes made while the server is down are held and retried, not rejected: once it is back a durable subscription gets every event once, in order; one log line when lost, one when back', { timeout: 60_000 }, async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-nats-'));
  const start = (): ChildProcess => spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' });
  let server = start();
  const logs: string[] = [];
  try {
    await waitForPort(port);
    const bus = await NatsBus.open<MarketEvent>(`nats://127.0.0.1:${port}`, { stream: 'held', log: (l) => logs.push(l), maxHeldPublishes: 8, retryBackoff: { baseMs: 50, capMs: 400 } });
    try {
      const sub = bus.subscribeDurable('held-reader', 'md.trade.>', { capacity: 16, ackWaitMs: 2_000 });
      await sub.ready;
      for (let i = 0; i < 5; i++) await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', i));
      assert.deepEqual(ids(await take(sub, 5)), ['0', '1', '2', '3', '4']);
      server.kill('SIGTERM'); // a restart, as an operator or a service manager does it
      await new Promise((r) => server.once('exit', r));
      // The stream's way of publishing: one after the other, each awaited.
      let published = 5;
      const publishing = (async () => {
        for (let i = 5; i < 30; i++) {
          await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', i));
          published++;
        }
      })();
      let failed: unknown = null;
      publishing.catch((err: unknown) => { failed = err; });
      // Longer than a JetStream publish's own timeout (5 s), so publishes fail and are held.
      await new Promise((r) => setTimeout(r, 7_000));
      assert.equal(failed, null, 'no publish rejected while the server was down');
      assert.ok(published < 30, `publishing was held back while the server was down (${published} of 30 done)`);
      assert.equal(bus.heldPublishes, 1, 'the publish that failed is held for a retry (and the publisher waits for it)');
      assert.match(logs.join('\n'), /lost the connection to NATS \(stream "held"\)/);
      server = start();
      await waitForPort(port);
      await publishing;
      assert.deepEqual(ids(await take(sub, 25, 30_000)), Array.from({ length: 25 }, (_, i) => String(i + 5)));
      assert.deepEqual(ids(await take(sub, 1, 1_500).catch(() => [])), [], 'nothing delivered twice');
      assert.equal(logs.filter((l) => /lost the connection/.test(l)).length, 1);
      assert.equal(logs.filter((l) => /connection to NATS is back/.test(l)).length, 1);
      assert.equal(bus.heldPublishes, 0);
    } finally {
      await bus.close();
    }
  } finally {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`private nats-server did not listen on ${port}`);
}

test('nats bus - a pattern led by a wildcard matches across families; a repeated message id is stored once', async () => {
  const name = `${RUN}_ids`;
  const bus = await NatsBus.open<MarketEvent>(URL, {
    stream: name, prefix: name, storage: 'memory',
    messageId: (subject, data) => (data.kind === 'trade' ? `${subject}/${data.tradeId}` : undefined),
  });
  try {
    const sub = bus.subscribe('*.trade.>');
    await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', 1));
    await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', 1));
    await bus.publish('md.book_delta.binance.BTCUSDT', trade('BTCUSDT', 2));
    await bus.publish('signal.trade.binance.BTCUSDT', trade('BTCUSDT', 3));
    await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', 4));
    assert.deepEqual(ids(await take(sub, 3)), ['1', '3', '4']);
    await sub.unsubscribe();
    assert.deepEqual(await take(sub, 1), []);
  } finally {
    await bus.close();
    await deleteStream(name);
  }
});

test('nats bus - a durable subscription survives kill -9: what was read unfinished or still buffered comes again, what was finished does not', async () => {
  const name = `${RUN}_durable`;
  const settings = { stream: name, prefix: name, storage: 'memory' as const };
  const bus = await NatsBus.open<MarketEvent>(URL, settings);
  try {
    await bus.subscribeDurable('proc', 'md.trade.>', { ackWaitMs: 1000 }).unsubscribe();
    for (let i = 0; i < 5; i++) await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', i));
    // A child process reads 0, 1, 2 (finishing 0 and 1: it asked for the next) and is killed.
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      const { NatsBus } = await import(${JSON.stringify(new globalThis.URL('./nats-bus.ts', import.meta.url).pathname)});
      const bus = await NatsBus.open(${JSON.stringify(URL)}, ${JSON.stringify(settings)});
      let n = 0;
      for await (const m of bus.subscribeDurable('proc', 'md.trade.>')) {
        process.stdout.write(m.data.tradeId + ' ');
        if (++n === 3) process.kill(process.pid, 'SIGKILL');
      }`], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(child.signal, 'SIGKILL', child.stderr);
    assert.equal(child.stdout, '0 1 2 ');
    const again = bus.subscribeDurable('proc', 'md.trade.>');
    assert.deepEqual(ids(await take(again, 3)), ['2', '3', '4'], 'redelivered after the 1 s ack wait');
    await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', 5));
    assert.deepEqual(ids(await take(again, 1)), ['5']);
    await again.unsubscribe(); // acks 5
    await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', 6));
    assert.deepEqual(ids(await take(bus.subscribeDurable('proc', 'md.trade.>'), 1)), ['6']);
    assert.throws(() => bus.subscribeDurable('proc', 'md.trade.>', { overflow: 'drop-oldest' }), /durable bus consumer "proc": overflow 'drop-oldest'/);
    const clash = bus.subscribeDurable('proc', 'md.book_delta.>');
    await assert.rejects(take(clash, 1), /bus subscription "md\.book_delta\.>": could not start its consumer .*durable bus consumer "proc" exists for ".*md\.trade\.>"/);
  } finally {
    await bus.close();
    await deleteStream(name);
  }
});

test('nats bus - an event on the stream that is not the codec\'s is counted, logged with its raw bytes and skipped', async () => {
  const name = `${RUN}_bad`;
  const logs: string[] = [];
  const bus = await NatsBus.open<MarketEvent>(URL, { stream: name, prefix: name, storage: 'memory', log: (l) => logs.push(l) });
  const nc = await connect({ servers: URL });
  try {
    const sub = bus.subscribe('md.trade.>');
    await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', 1));
    await jetstream(nc).publish(`${name}.md.trade.binance.BTCUSDT`, '{"kind":"trade",');
    await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', 2));
    assert.deepEqual(ids(await take(sub, 2)), ['1', '2']);
    assert.equal(sub.malformed, 1);
    assert.equal(logs.length, 1);
    assert.match(logs[0] ?? '', /bus subscription "md\.trade\.>": malformed event skipped on "md\.trade\.binance\.BTCUSDT" \(stream seq 2\): .*JSON.*; raw: \{"kind":"trade",$/);
  } finally {
    await nc.close();
    await bus.close();
    await deleteStream(name);
  }
});

test('nats bus - a consumer removed under a subscription is made again from the event after its last one', async () => {
  const name = `${RUN}_gone`;
  const bus = await NatsBus.open<MarketEvent>(URL, { stream: name, prefix: name, storage: 'memory' });
  const nc = await connect({ servers: URL });
  try {
    const sub = bus.subscribe('md.trade.>', { capacity: 2 });
    for (let i = 0; i < 6; i++) await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', i));
    assert.deepEqual(ids(await take(sub, 1)), ['0']);
    const jsm = await jetstreamManager(nc);
    for await (const c of jsm.consumers.list(name)) await jsm.consumers.delete(name, c.name);
    for (let i = 6; i < 9; i++) await bus.publish('md.trade.binance.BTCUSDT', trade('BTCUSDT', i));
    assert.deepEqual(ids(await take(sub, 8, 15_000)), ['1', '2', '3', '4', '5', '6', '7', '8']);
  } finally {
    await nc.close();
    await bus.close();
    await deleteStream(name);
  }
});
