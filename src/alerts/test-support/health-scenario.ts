/**
 * Health rules routed on the pipeline's records, through the up loop's LiveEvaluation, on a real
 * store: run by one test file per backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { Gap, Store } from '../../store/store.js';
import { LiveEvaluation } from '../live-evaluation.js';

const MIN = 60_000;

export interface HealthBackend {
  /** A fresh, empty store, and how to drop it. */
  open(): Promise<{ store: Store; drop(): Promise<void> }>;
}

export function healthScenario(name: string, backend: HealthBackend): void {
  test(`health rules (${name}) - a failed job and a new open gap each make one firing and one outbox row; a second call and a restart add none`, async () => {
    const { store, drop } = await backend.open();
    const logger = pino({ level: 'silent' });
    try {
      // A job that failed before the rules existed is not news to them.
      const old = await store.startJob('sync', {});
      await store.finishJob(old, 'failed', 0, 'HTTP 503 before the rules');
      await new Promise((r) => setTimeout(r, 5));
      const T0 = Date.now();
      const user = await store.createUser('ops', 'admin', 'UTC', '$scrypt$not-used-here', T0);
      const jobRule = await store.createRule(user.id, 'failed job', { kind: 'health', event: 'job_failed', scope: null, channels: ['telegram:77'] }, T0);
      const gapRule = await store.createRule(user.id, 'BTC gap', { kind: 'health', name: 'BTC gap', event: 'gap', scope: { symbols: ['BTCUSDT'] }, channels: ['dashboard'] }, T0);

      const live = new LiveEvaluation(store, 'binance', logger);
      assert.deepEqual(await live.afterSync(T0 + MIN, 0), [], 'nothing happened since the rules were made');

      const ok = await store.startJob('gaps', {});
      await store.finishJob(ok, 'ok', 10, null);
      const bad = await store.startJob('backfill', { symbol: 'ETHUSDT' });
      await store.finishJob(bad, 'failed', 0, 'archive checksum mismatch');
      const hole = (symbol: string, from: number): Gap => ({ exchange: 'binance', symbol, interval: '1m', from, to: from + 3 * MIN, kind: 'hole', status: 'open', detectedAt: T0 + 2 * MIN, note: null });
      const from = Date.UTC(2024, 0, 1, 3, 17);
      await store.recordGaps([hole('BTCUSDT', from), hole('ETHUSDT', from)]);

      const now = T0 + 3 * MIN;
      const badEnd = (await store.getJob(bad))?.job.finishedAt;
      assert.ok(badEnd !== undefined && badEnd !== null && badEnd < now);
      const fired = await live.afterSync(now, 0);
      assert.deepEqual(
        fired.map((f) => [f.ruleId, f.symbol, f.interval, f.barOpenTime, f.message]),
        [
          [jobRule.id, 'ETHUSDT', '-', badEnd, `failed job: job failed on ETHUSDT: backfill job ${bad} failed: archive checksum mismatch`],
          [gapRule.id, 'BTCUSDT', '1m', from, 'BTC gap: data gap on BTCUSDT 1m: 2024-01-01T03:17Z–2024-01-01T03:20Z (hole, 4 minutes)'],
        ],
      );
      const outbox = await Promise.all(fired.map((f) => store.listOutbox(f.id)));
      assert.deepEqual(outbox.map((rows) => rows.map((o) => [o.channel, o.status])), [[['telegram:77', 'pending']], [['dashboard', 'pending']]]);

      assert.deepEqual(await live.afterSync(now + MIN, 5), [], 'a second call fires nothing again');
      const restarted = new LiveEvaluation(store, 'binance', logger);
      assert.deepEqual(await restarted.afterSync(now + 2 * MIN, 0), [], 'nor does a restart');

      // The next event is news again: an abandoned job.
      const lost = await store.startJob('sync', {});
      await store.finishJob(lost, 'abandoned', 0, 'process died');
      const again = await restarted.afterSync(now + 3 * MIN, 0);
      assert.deepEqual(again.map((f) => [f.ruleId, f.symbol, f.message]), [[jobRule.id, '*', `failed job: job failed: sync job ${lost} abandoned: process died`]]);
      assert.equal((await store.listFirings(user.id, { limit: 100 })).length, 3);
    } finally {
      await store.close();
      await drop();
    }
  });
}
