/**
 * `tickerflow serve` on a DuckDB file: the one process holding the file, like `up`. It serves the
 * API, writes the address file the CLI reads through (`jobs` works beside it), a second `serve`
 * on the same file is refused with a one-line reason before it opens anything, and SIGTERM stops
 * it with exit 0 and removes the address file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from './support/run-cli.js';
import { spawnServe, until } from './support/spawn-serve.js';

test('serve on DuckDB: holds the file and serves its API, the CLI reads through it, a second serve is refused, SIGTERM exits 0', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-serve-duck-'));
  const db = join(dir, 'x.duckdb');
  const serve = spawnServe(['--db', db], [], dir);
  try {
    await until('serve to announce its API', () => /tickerflow serve: API and dashboard at (http:\/\/127\.0\.0\.1:\d+)/.test(serve.output()) && existsSync(`${db}.api.json`), 60_000);
    // The evaluation role takes its lock beside the API's start, so its line may come after the API's.
    await until('serve to say it evaluates the alert rules', () => /this process evaluates the alert rules/.test(serve.output()), 30_000);
    assert.doesNotMatch(serve.output(), /getUpdates/, 'no Telegram polling without TELEGRAM_BOT_TOKEN');
    const url = /API and dashboard at (\S+)/.exec(serve.output())?.[1] ?? '';
    const health = await fetch(`${url}/api/v1/health`);
    assert.equal(health.status, 200);

    const second = runCli(['--db', db, 'serve', '--port', '0']);
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, /^tickerflow: tickerflow serve \(pid \d+, API at http:\/\/127\.0\.0\.1:\d+\) holds .*x\.duckdb: it already serves the API and evaluates and delivers alerts from that store; stop it first to run serve\n$/);
    const jobs = runCli(['--db', db, 'jobs']);
    assert.equal(jobs.code, 0, jobs.stderr);

    serve.child.kill('SIGTERM');
    assert.equal(await serve.exited, 0, serve.output());
    assert.match(serve.output(), /tickerflow serve: stopped\n/);
    assert.equal(existsSync(`${db}.api.json`), false, 'the address file is removed');
  } finally {
    if (serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill('SIGKILL');
    await serve.exited;
  }
});
