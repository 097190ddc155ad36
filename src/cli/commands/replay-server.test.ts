import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { until } from '../../../test/support/spawn-serve.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

function run(args: string[]): { child: ReturnType<typeof spawn>; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args]);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

/** Waits up to 30 s until stdout matches `re` (the output comes in chunks), failing at once if the process exits. */
function waitForOutput(p: ReturnType<typeof run>, re: RegExp): Promise<number> {
  return until(`${re} on stdout`, () => {
    assert.equal(p.child.exitCode, null, `exited early: ${p.err()}`);
    return re.test(p.out());
  }, 30_000);
}

/** Runs `body` on `p`, and kills the process if it is still running after it (a failed assertion included). */
async function whileRunning(p: ReturnType<typeof run>, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  }
}

test('replay-server command - prints its base URLs, serves on the simulated clock and stops on SIGTERM', async () => {
  const p = run(['replay-server', '--now', '2020-01-02T00:10:00Z', '--speed', '0', '--bad-checksum', '2020-01-01']);
  await whileRunning(p, async () => {
    // The fault line is the banner's last.
    await waitForOutput(p, /fault bad-checksum on data\/spot\/daily\/klines\/BTCUSDT\/1m\/BTCUSDT-1m-2020-01-01\.zip\n/);
    const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(p.out())?.[1];
    assert.ok(base);
    assert.match(p.out(), /simulated now 2020-01-02T00:10:00\.000Z/);
    assert.match(p.out(), new RegExp(`binance REST   ${base}/binance\\n`));
    const res = await fetch(`${base}/binance/api/v3/time`);
    assert.deepEqual(await res.json(), { serverTime: Date.UTC(2020, 0, 2, 0, 10) });
    p.child.kill('SIGTERM');
    assert.equal(await p.exit, 0);
    assert.match(p.out(), /replay server stopped: 1 requests, binance weight 1/);
  });
});

test('replay-server command - a bad flag value exits non-zero with a one-line reason', async () => {
  const p = run(['replay-server', '--fail-5xx', '1.5']);
  assert.notEqual(await p.exit, 0);
  assert.match(p.err(), /--fail-5xx must be a number from 0 to 1/);
});

test('replay-server command - a file fault that matches no archive object is refused, not ignored', async () => {
  const p = run(['replay-server', '--speed', '0', '--truncate-zip', 'SCALE002USDT-1m-2024-10', '--bad-checksum', '2020-01-01']);
  assert.equal(await p.exit, 1);
  assert.equal(p.out(), '');
  assert.match(p.err(), /--truncate-zip "SCALE002USDT-1m-2024-10" matches no archive object; file faults apply to the bundled recorded files/);
  assert.doesNotMatch(p.err(), /--bad-checksum/, 'the fault that matched is not named');
});

test('replay-server command - --scale with a malformed size exits non-zero naming the flag', async () => {
  const p = run(['replay-server', '--scale', '30by24']);
  assert.notEqual(await p.exit, 0);
  assert.match(p.err(), /--scale "30by24" is not <symbols>x<months>, e\.g\. 30x24/);
  const zero = run(['replay-server', '--scale', '0x24']);
  assert.notEqual(await zero.exit, 0);
  assert.match(zero.err(), /--scale "0x24": symbols must be 1…999/);
});

test('replay-server command - --scale 1x1 prints the derived archive and starts after its publication', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'replay-scale-cli-'));
  try {
    const p = run(['replay-server', '--scale', '1x1', '--speed', '0', '--cache', cache]);
    await whileRunning(p, async () => {
      await waitForOutput(p, / {2}scale .*\n/);
      assert.match(p.out(), /simulated now 2025-01-06T01:10:00\.000Z/);
      assert.match(p.out(), /scale {10}1 derived symbols SCALE001USDT…SCALE001USDT × 1 months from 2024-12, \d+\.\d MB of zips in .* \(1 generated now\)/);
      p.child.kill('SIGTERM');
      assert.equal(await p.exit, 0);
    });
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
