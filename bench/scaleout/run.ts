/**
 * The scale-out section of `npm run bench` (issue 18 "Speed"), in one run: the Bitvavo and
 * BTCTurk mappers against their `JSON.parse` ceilings, the NATS bus's publish rate against the bare
 * client, the end-to-end latency replay server → bar → NATS → PostgreSQL beside the in-process bus,
 * and the backfill with 1, 2 and 3 spawned workers beside the in-process one. It needs NATS
 * JetStream at TICKERFLOW_TEST_NATS_URL (default nats://127.0.0.1:4222) and PostgreSQL at
 * TICKERFLOW_TEST_PG_URL (the tests' default), and fails naming the one that is down.
 */
import { loadavg } from 'node:os';
import { connect } from '@nats-io/transport-node';
import { DEFAULT_SCALE_CACHE } from '../../src/cli/commands/replay-server.js';
import { createTempDatabase } from '../../src/store/test-support/temp-postgres.js';
import { measureEndToEnd, type EndToEndFigures } from '../stream/end-to-end.js';
import { measureFeedParseSpeed } from './feed-parse-speed.js';
import { measureNatsPublish } from './nats-publish.js';
import { scaleOutReport } from './report.js';
import { measureWorkers } from './workers.js';

const WORKER_SIZE = '4x6';
const WORKER_LATENCY_MS = 50;

async function requireServices(natsUrl: string): Promise<void> {
  try {
    const nc = await connect({ servers: natsUrl, timeout: 5_000 });
    await nc.close();
  } catch (err) {
    throw new Error(`the scaleout bench needs NATS JetStream at ${natsUrl} (TICKERFLOW_TEST_NATS_URL): ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const db = await createTempDatabase();
    await db.drop();
  } catch (err) {
    throw new Error(`the scaleout bench needs PostgreSQL at TICKERFLOW_TEST_PG_URL (default 127.0.0.1:5432) to make fresh databases: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function endToEndOn(bus: 'memory' | 'nats', natsUrl: string, speed: number, seconds: number, log: (line: string) => void): Promise<EndToEndFigures> {
  const db = await createTempDatabase();
  try {
    return await measureEndToEnd({ speed, seconds, log, postgresUrl: db.url, ...(bus === 'nats' ? { bus: { natsUrl, stream: `bench_e2e_${process.pid}` } } : {}) });
  } finally {
    await db.drop();
  }
}

export async function runScaleOutBench(options: { log: (line: string) => void; quick?: boolean }): Promise<string> {
  const { log } = options;
  const quick = options.quick === true;
  const natsUrl = process.env.TICKERFLOW_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
  await requireServices(natsUrl);
  const load1 = (): number => loadavg()[0]!;

  const parseRounds = quick ? 9 : 15;
  const load = { parse: load1(), publish: 0, endToEnd: 0, workers: 0 };
  log(`bench scaleout: Bitvavo and BTCTurk parse, ${parseRounds} rounds`);
  const parse = measureFeedParseSpeed(parseRounds);

  load.publish = load1();
  const publishEvents = quick ? 20_000 : 50_000;
  log(`bench scaleout: NATS publish, ${publishEvents.toLocaleString('en')} events per run`);
  const publish = await measureNatsPublish({ natsUrl, events: publishEvents, rounds: quick ? 3 : 5, log });

  load.endToEnd = load1();
  const [speed, seconds] = quick ? [5, 30] : [5, 60];
  log(`bench scaleout: end to end, ${seconds} s at ${speed}× per bus`);
  const memory = await endToEndOn('memory', natsUrl, speed, seconds, log);
  const nats = await endToEndOn('nats', natsUrl, speed, seconds, log);

  load.workers = load1();
  const rounds = quick ? 2 : 3;
  log(`bench scaleout: backfill, in process and 1-3 workers, ${WORKER_SIZE}, ${rounds} rounds`);
  const workers = await measureWorkers({ size: WORKER_SIZE, latencyMs: WORKER_LATENCY_MS, cacheDir: DEFAULT_SCALE_CACHE, rounds, natsUrl, log });

  return scaleOutReport({ parse, parseRounds, publish, endToEnd: { memory, nats }, workers, load, quick });
}
