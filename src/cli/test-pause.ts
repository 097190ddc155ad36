/**
 * Test-only pause point for the crash tests. With TICKERFLOW_TEST_PAUSE_BEFORE_COMMIT=<ms>, every
 * store transaction (after migrations) prints PAUSE_MARKER on stderr once its rows are written
 * and waits that long before COMMIT, so a test can SIGKILL the process inside an open
 * transaction; with `<ms>@<n>` every transaction prints the marker and only the n-th waits (a
 * test that kills at the n-th marker need not wait at the ones before). Unset in normal runs;
 * read here because only cli/ reads the environment.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '../core/errors.js';
import type { BeforeCommitHook } from '../store/sql/sql-session.js';

export const PAUSE_ENV = 'TICKERFLOW_TEST_PAUSE_BEFORE_COMMIT';
/** Printed as `<marker> (bulk|plain)`; `bulk` is a candle write. */
export const PAUSE_MARKER = 'tickerflow-test: paused before COMMIT';

export function pauseBeforeCommitFromEnv(env: NodeJS.ProcessEnv): BeforeCommitHook | undefined {
  const raw = env[PAUSE_ENV];
  if (raw === undefined || raw === '') return undefined;
  const m = /^(\d+)(?:@([1-9]\d*))?$/.exec(raw);
  const ms = Number(m?.[1]);
  if (m === null || ms > 600_000) throw new ConfigError(`${PAUSE_ENV} must be a whole number of milliseconds 0..600000, optionally @ the one transaction to pause at (300@12), not "${raw}"`);
  const only = m[2] === undefined ? null : Number(m[2]);
  let seen = 0;
  return async (kind) => {
    // Synchronous on a pipe (Linux), so the marker is out before the wait starts.
    process.stderr.write(`${PAUSE_MARKER} (${kind})\n`);
    seen++;
    if (only === null || seen === only) await sleep(ms);
  };
}

export const PAUSE_SEND_ENV = 'TICKERFLOW_TEST_PAUSE_BEFORE_SEND';
/** Printed as `<marker> <outbox id>` once a row's firing is read and before its channel is called. */
export const PAUSE_SEND_MARKER = 'tickerflow-test: paused before send';

/**
 * The outbox worker's test-only pause: with TICKERFLOW_TEST_PAUSE_BEFORE_SEND=<ms>, each delivery
 * prints PAUSE_SEND_MARKER and waits that long before calling its channel, so a test can SIGKILL
 * the process between "stored" and "sent".
 */
export function pauseBeforeSendFromEnv(env: NodeJS.ProcessEnv): ((item: { id: number }) => Promise<void>) | undefined {
  const raw = env[PAUSE_SEND_ENV];
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0 || ms > 600_000) throw new ConfigError(`${PAUSE_SEND_ENV} must be a whole number of milliseconds 0..600000, not "${raw}"`);
  return async (item) => {
    process.stderr.write(`${PAUSE_SEND_MARKER} ${item.id}\n`);
    await sleep(ms);
  };
}

export const PAUSE_ACK_ENV = 'TICKERFLOW_TEST_PAUSE_BEFORE_ACK';
/** Printed as `<marker> <archive key or job id>` once a worker's job is committed and before its result and ack. */
export const PAUSE_ACK_MARKER = 'tickerflow-test: paused before ack';

/**
 * The worker's test-only pause: with TICKERFLOW_TEST_PAUSE_BEFORE_ACK=<ms>, each job whose file
 * was committed (or whose sync, gaps or reconcile was done) prints PAUSE_ACK_MARKER and waits that long before reporting and acking it, so a
 * test can SIGKILL a worker between "stored" and "acked".
 */
export function pauseBeforeAckFromEnv(env: NodeJS.ProcessEnv): ((key: string) => Promise<void>) | undefined {
  const raw = env[PAUSE_ACK_ENV];
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0 || ms > 600_000) throw new ConfigError(`${PAUSE_ACK_ENV} must be a whole number of milliseconds 0..600000, not "${raw}"`);
  return async (key) => {
    process.stderr.write(`${PAUSE_ACK_MARKER} ${key}\n`);
    await sleep(ms);
  };
}
