/**
 * End-to-end latency replay server → bar → NATS JetStream → PostgreSQL (issue 18 "Speed"), beside
 * the same run on the in-process bus, both into a fresh PostgreSQL database
 * (TICKERFLOW_TEST_PG_URL's server, default 127.0.0.1:5432) and NATS at TICKERFLOW_TEST_NATS_URL
 * (default nats://127.0.0.1:4222; a stream of its own per run, file storage, deleted afterwards).
 * The measurement is end-to-end.ts's (one process, one clock, `performance.now()`):
 * - per trade: from the replay server's send of the trade frame to the processors being done with
 *   that trade, i.e. after it went through the websocket, the feed and books, a bus publish (on NATS:
 *   stored by the server, JetStream ack) and the delivery back to the processors;
 * - per bar: from the send of the trade frame that closed a minute to the bar's row committed in
 *   PostgreSQL (`writeCandles` resolved);
 * - the `writeCandles` call alone.
 *
 *   node --import tsx bench/stream/end-to-end-nats.ts [speed=20] [seconds=60]
 */
import { createTempDatabase } from '../../src/store/test-support/temp-postgres.js';
import { measureEndToEnd, type Percentiles } from './end-to-end.js';

const speed = Number(process.argv[2] ?? 20);
const seconds = Number(process.argv[3] ?? 60);
const natsUrl = process.env.TICKERFLOW_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const ms = (v: number): string => (v < 10 ? v.toFixed(1) : v.toFixed(0));
const row = (bus: string, what: string, p: Percentiles): string => `| ${bus} | ${what} | ${p.count.toLocaleString('en')} | ${ms(p.p50)} | ${ms(p.p99)} | ${ms(p.max)} |`;

const lines = [`replay speed ${speed}×, ${seconds} s per bus, Binance BTCUSDT + ETHUSDT trade and depth@100ms, ${new Date().toISOString().slice(0, 10)}`, '', '| bus | latency | samples | p50 ms | p99 ms | max ms |', '| --- | --- | --- | --- | --- | --- |'];
for (const bus of ['memory', 'nats'] as const) {
  const db = await createTempDatabase();
  try {
    const f = await measureEndToEnd({
      speed, seconds, log: (l) => console.error(l), postgresUrl: db.url,
      ...(bus === 'nats' ? { bus: { natsUrl, stream: `bench_e2e_${process.pid}` } } : {}),
    });
    const name = bus === 'nats' ? 'NATS JetStream' : 'in process';
    lines.push(row(name, 'trade frame sent → processors done with it', f.trades), row(name, 'closing trade frame sent → bar committed in PostgreSQL', f.bars), row(name, '`writeCandles` alone', f.barWrite));
    console.error(`${bus}: ${f.framesSent} frames, ${f.events} events, ${f.malformed} malformed, ${f.gaps} gaps`);
  } finally {
    await db.drop();
  }
}
console.log(lines.join('\n'));
