/**
 * The work queue on a real NATS JetStream server (TICKERFLOW_TEST_NATS_URL): de-duplication by
 * message id, one delivery at a time, the lease (ack_wait) and its renewal by working(), removal
 * on ack, hand-back by nak, results to whoever subscribed. Each case has its own stream.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager, RetentionPolicy } from '@nats-io/jetstream';
import { NatsWorkQueue } from './nats-work-queue.js';

const URL = process.env.TICKERFLOW_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const RUN = `wq${process.pid}_${Date.now().toString(36)}`;
let n = 0;
const enc = new TextEncoder();
const dec = new TextDecoder();

async function withQueues(fn: (producer: NatsWorkQueue, workers: [NatsWorkQueue, NatsWorkQueue], stream: string) => Promise<void>, ackWaitMs = 1_000): Promise<void> {
  const stream = `${RUN}_${n++}`;
  const producer = await NatsWorkQueue.open(URL, 'producer', { stream });
  const workers: [NatsWorkQueue, NatsWorkQueue] = [
    await NatsWorkQueue.open(URL, 'worker', { stream, ackWaitMs }),
    await NatsWorkQueue.open(URL, 'worker', { stream, ackWaitMs }),
  ];
  try {
    await fn(producer, workers, stream);
  } finally {
    await Promise.all([producer, ...workers].map((q) => q.close()));
    const nc = await connect({ servers: URL });
    await jetstreamManager(nc).then((jsm) => jsm.streams.delete(stream)).catch(() => false);
    await nc.close();
  }
}

async function messages(stream: string): Promise<number> {
  const nc = await connect({ servers: URL });
  try {
    return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
  } finally {
    await nc.close();
  }
}

test('nats work queue - a work-queue stream; an enqueue repeated with its message id is stored once; a job comes with the kind it was queued as; an acked job is gone', async () => {
  await withQueues(async (producer, [w1, w2], stream) => {
    const nc = await connect({ servers: URL });
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    await nc.close();
    assert.equal(info.config.retention, RetentionPolicy.Workqueue);
    assert.equal(await producer.enqueue('archive-file', enc.encode('a'), 'run1:a'), true);
    assert.equal(await producer.enqueue('archive-file', enc.encode('a'), 'run1:a'), false, 'the retry is a duplicate');
    assert.equal(await producer.enqueue('sync', enc.encode('b'), 'run1:b'), true);
    assert.equal(await messages(stream), 2);
    const first = await w1.next(1_000);
    const second = await w2.next(1_000);
    assert.deepEqual([first, second].map((j) => (j === null ? null : `${j.kind} ${dec.decode(j.data)}`)).sort(), ['archive-file a', 'sync b'], 'each job to one worker, with its kind');
    assert.equal(await w1.next(1_000), null, 'nothing else while both are in hand');
    await first!.ack();
    await second!.ack();
    await sleep(100);
    assert.equal(await messages(stream), 0);
  }, 30_000);
});

test('nats work queue - a job whose lease lapses goes to another worker; working() keeps it; nak hands it back at once', async () => {
  await withQueues(async (producer, [w1, w2]) => {
    await producer.enqueue('archive-file', enc.encode('kept'), 'k');
    const held = await w1.next(1_000);
    assert.equal(held?.deliveryCount, 1);
    // Renewed every 300 ms for 2.4 lease lengths while w2 asks: w2 does not get it.
    const meanwhile = w2.next(2_000);
    for (let i = 0; i < 8; i++) {
      held!.working();
      await sleep(300);
    }
    assert.equal(await meanwhile, null, 'a renewed lease is kept');
    // No more renewals (as when its worker is killed): the lease lapses and w2 gets it.
    const again = await w2.next(3_000);
    assert.equal(again === null ? null : dec.decode(again.data), 'kept');
    assert.equal(again?.deliveryCount, 2);
    again!.nak();
    const third = await w1.next(1_000);
    assert.equal(third?.deliveryCount, 3, 'a nak hands it back without waiting for the lease');
    await third!.ack();
  });
});

test('nats work queue - results reach the subscriber of their run only; a producer cannot pull', async () => {
  await withQueues(async (producer, [w1]) => {
    const feed = producer.results('run1');
    const other = producer.results('run2');
    // As a backfill does: its enqueue follows its subscriptions on the same connection, so the
    // server has them before any worker can get the job.
    await producer.enqueue('archive-file', enc.encode('a'), 'run1:a');
    await w1.publishResult('run1', enc.encode('done a'));
    const got: string[] = [];
    for await (const b of feed) {
      got.push(dec.decode(b));
      break;
    }
    other.stop();
    const left: string[] = [];
    for await (const b of other) left.push(dec.decode(b));
    assert.deepEqual(got, ['done a']);
    assert.deepEqual(left, []);
    await assert.rejects(producer.next(1_000), /opened to enqueue only/);
  });
});

test('nats work queue - a stream of the same name that is not a work queue is refused with a reason', async () => {
  const stream = `${RUN}_limits`;
  const nc = await connect({ servers: URL });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: stream, subjects: [`${stream}.x`] });
  try {
    await assert.rejects(NatsWorkQueue.open(URL, 'producer', { stream }), /exists and is not this work queue.*pick another queue name/);
  } finally {
    await jsm.streams.delete(stream);
    await nc.close();
  }
});
