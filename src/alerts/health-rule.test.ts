import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateHealthEvent, type HealthRule, type PipelineEvent } from './health-rule.js';
import { parseRuleDraft } from './rule-draft.js';

function rule(extra: Record<string, unknown> = {}): HealthRule {
  const d = parseRuleDraft({ kind: 'health', event: 'gap', channels: ['telegram:5'], cooldownMinutes: 30, ...extra });
  assert.ok(d.kind === 'health');
  return { id: 3, userId: 9, definition: d, mutedUntil: null };
}

const gap: PipelineEvent = { kind: 'gap', exchange: 'binance', symbol: 'BTCUSDT', interval: '1m', at: Date.UTC(2024, 0, 1, 3, 17), detail: '2024-01-01 03:17–03:20 (hole, 4 minutes)' };
const T = Date.UTC(2024, 0, 1, 4);

test('health rule - a gap fires with its detail; the cooldown holds back the next; another event kind or symbol out of scope does not', () => {
  const first = evaluateHealthEvent(rule(), { lastFiredAt: null }, gap, null, T);
  assert.equal(first.firing?.message, 'data gap: data gap on BTCUSDT 1m: 2024-01-01 03:17–03:20 (hole, 4 minutes)');
  assert.deepEqual([first.firing?.channels, first.firing?.barOpenTime, first.state.lastFiredAt], [['telegram:5'], gap.at, T]);
  assert.equal(evaluateHealthEvent(rule(), first.state, gap, null, T + 29 * 60_000).firing, null);
  assert.notEqual(evaluateHealthEvent(rule(), first.state, gap, null, T + 30 * 60_000).firing, null);
  assert.equal(evaluateHealthEvent(rule(), { lastFiredAt: null }, { ...gap, kind: 'job_failed' }, null, T).firing, null);
  assert.equal(evaluateHealthEvent(rule(), { lastFiredAt: null }, gap, ['ETHUSDT'], T).firing, null);
  const job = evaluateHealthEvent(rule({ event: 'job_failed' }), { lastFiredAt: null }, { ...gap, kind: 'job_failed', symbol: null, interval: null, detail: 'sync: HTTP 503' }, ['ETHUSDT'], T);
  assert.equal(job.firing?.message, 'failed job: job failed: sync: HTTP 503');
  assert.deepEqual([job.firing?.symbol, job.firing?.interval], ['*', '-'], 'a job over every symbol is stored with a symbol and interval the store accepts');
  const ahead = evaluateHealthEvent(rule({ event: 'job_failed' }), { lastFiredAt: null }, { ...gap, kind: 'job_failed', at: T + 5_000 }, null, T);
  assert.equal(ahead.firing?.barOpenTime, T, 'an event stamped ahead of now is recorded at now');
});

test('health rule - quiet hours keep the firing for the history only; expiry and mute stop it', () => {
  const quiet = evaluateHealthEvent(rule({ quietHours: { from: '03:00', to: '06:00' } }), { lastFiredAt: null }, gap, null, T);
  assert.deepEqual(quiet.firing?.channels, []);
  assert.equal(evaluateHealthEvent(rule({ expiresAt: T }), { lastFiredAt: null }, gap, null, T).firing, null);
  assert.equal(evaluateHealthEvent({ ...rule(), mutedUntil: T + 1 }, { lastFiredAt: null }, gap, null, T).firing, null);
});
