import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { progressBar, progressFigures } from './progress-bar.js';

test('progress figures - rows, MB/s over the run and ETA from the files still to do', () => {
  // 12 of 60 files in 30 s: 48 left at 2.5 s a file = 120 s; 90 MB in 30 s = 3.0 MB/s.
  assert.deepEqual(progressFigures(12, 60, 518_400, 90e6, 30_000), { rows: '518,400', rate: '3.0 MB/s', eta: '2m00s' });
  assert.deepEqual(progressFigures(1, 6000, 43_200, 2e6, 4_000), { rows: '43,200', rate: '0.5 MB/s', eta: '6h39m' });
  assert.deepEqual(progressFigures(0, 10, 0, 0, 0), { rows: '0', rate: '– MB/s', eta: '–' });
});

test('progress bar - draws files, rows, rate and ETA on a terminal, nothing elsewhere', () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (b: Buffer) => (text += b.toString()));
  const tty = Object.assign(out, { isTTY: true, columns: 200, cursorTo: () => true, clearLine: () => true, moveCursor: () => true }) as unknown as NodeJS.WriteStream;
  let now = 0;
  const bar = progressBar('backfill', tty, () => now);
  assert.ok(bar !== undefined);
  bar.add(4);
  now = 10_000;
  bar.start('a.zip');
  bar.tick('a.zip', { rows: 43_200, bytes: 20e6 });
  bar.stop();
  assert.match(text, /backfill \[.*\] 1\/4 files \| 43,200 rows \| 2\.0 MB\/s \| ETA 30s \| a\.zip/);
  assert.equal(progressBar('backfill', Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream), undefined);
});
