import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { abortReason } from './abortable.js';
import { JobRecorder } from './job-recorder.js';
import { tempStore } from './test-support/temp-store.js';

test('JobRecorder - a task stopped on request is recorded as not done and logged at info; a failing one at error', async () => {
  const store = await tempStore();
  try {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
    const rec = await JobRecorder.start(store, logger, 'sync', {});
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
    assert.deepEqual(lines.filter((l) => l.level >= 50).map((l) => l.msg), ['upstream said no'], 'only the real failure is logged as an error');
    assert.ok(lines.some((l) => l.level === 30 && l.msg === 'stopped: the job was asked to abort'));
  } finally {
    await store.close();
  }
});
