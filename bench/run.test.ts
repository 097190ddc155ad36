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
  assert.equal(r.stderr, 'bench: --only must be one of history, indicators, scale, alerts, stream, scaleout, not "everything"\n');
});

test('bench - an unknown option exits 1 naming it', () => {
  const r = bench('--fast');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^bench: .*'--fast'/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('bench - a malformed --size exits 1 with a one-line reason before running anything', () => {
  const r = bench('--only', 'scale', '--size', '3y3');
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'bench: --size: "3y3" is not <symbols>x<months>, e.g. 30x24\n');
});

test('bench - scale flags without the scale section exit 1', () => {
  const r = bench('--only', 'history', '--size', '3x3');
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'bench: --size, --latency-ms, --cache and --backends apply to the scale section only\n');
});
