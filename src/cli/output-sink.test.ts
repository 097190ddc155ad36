import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SINK = fileURLToPath(new URL('./output-sink.ts', import.meta.url));

test('file sink - Ctrl-C during an export removes the partial file and exits 130', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-sink-'));
  try {
    const out = join(dir, 'big.csv');
    // A child that starts an export and keeps writing until stopped.
    const code = `const { fileSink } = await import(${JSON.stringify(SINK)});
      const sink = fileSink(${JSON.stringify(out)});
      await sink.write('open_time,close\\n');
      console.log('writing');
      setInterval(() => void sink.write('1577836800000,7195.24\\n'), 5);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('writing') && resolve());
      child.once('exit', (c) => reject(new Error(`exited ${c} before writing: ${stderr}`)));
    });
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.partial')).length, 1, 'the partial file exists while writing');
    child.kill('SIGINT');
    const exit = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    assert.equal(exit, 130, stderr);
    assert.deepEqual(readdirSync(dir), [], 'no partial file and no output left');
    assert.equal(existsSync(out), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
