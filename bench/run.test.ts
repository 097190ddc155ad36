import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function bench(...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

test('bench - an unknown --only section exits 1 with a one-line reason and runs nothing', () => {
  const r = bench('--only', 'everything');
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'bench: --only must be one of history, indicators, not "everything"\n');
});

test('bench - an unknown option exits 1 naming it', () => {
  const r = bench('--fast');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^bench: .*'--fast'/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
