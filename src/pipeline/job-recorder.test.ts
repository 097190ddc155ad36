import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { abortReason } from './abortable.js';
import { JobRecorder } from './job-recorder.js';
import { tempStore } from './test-support/temp-store.js';

test('JobRecorder - a task stopped on request is recorded as not done and logged at info; a failing one at error', async () => {
  const store = await tempStore();
  try {
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    });
    const rec = await JobRecorder.start(store, pino({ level: 'info' }, sink), 'sync', {});
    const stop = new AbortController();
    stop.abort();
    assert.equal(await rec.task('stopped one', () => Promise.reject(abortReason(stop.signal))), undefined);
    assert.equal(await rec.task('broken one', () => Promise.reject(new Error('upstream said no'))), undefined);
    assert.equal(await rec.finish('two tasks'), 'failed');

    const job = await store.getJob(rec.id);
    assert.deepEqual(job?.tasks.map((t) => [t.name, t.status, t.error, t.logs.map((l) => l.level)]), [
      ['stopped one', 'failed', 'stopped: the job was asked to abort', ['info']],
      ['broken one', 'failed', 'upstream said no', ['error']],
    ]);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(lines.filter((l) => l.level >= 50).map((l) => l.msg), ['upstream said no'], 'only the real failure is logged as an error');
    assert.ok(lines.some((l) => l.level === 30 && l.msg === 'stopped: the job was asked to abort'));
  } finally {
    await store.close();
  }
});
