import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RuleDraftError } from './rule-draft-error.js';
import { parseRuleDraft } from './rule-draft.js';

const base = { expression: 'rsi:14 < 30', scope: { symbol: 'btcusdt' }, interval: '1h', channels: ['telegram:123456', 'dashboard'] };

test('rule draft - normalises one symbol to a list, the CLI frequency to its object, defaults the settings', () => {
  const d = parseRuleDraft({ ...base, frequency: 'at_most_every:15', expiresAt: '2024-01-02T00:00:00Z', quietHours: { from: '22:00', to: '07:00', timezone: 'Europe/Amsterdam' } });
  assert.deepEqual(d, {
    kind: 'bar',
    name: 'rsi:14 < 30',
    expression: 'rsi:14 < 30',
    scope: { symbols: ['BTCUSDT'] },
    interval: '1h',
    frequency: { atMostEveryMinutes: 15 },
    expiresAt: Date.UTC(2024, 0, 2),
    cooldownMinutes: 0,
    quietHours: { from: '22:00', to: '07:00', timezone: 'Europe/Amsterdam' },
    channels: ['telegram:123456', 'dashboard'],
  });
  const top = parseRuleDraft({ ...base, scope: { top: 200 }, name: 'oversold', frequency: 'once', cooldownMinutes: 60 });
  assert.deepEqual([top.scope, top.name, top.kind === 'bar' && top.frequency, top.cooldownMinutes], [{ top: 200 }, 'oversold', 'once', 60]);
});

test('rule draft - a health rule needs no expression', () => {
  const d = parseRuleDraft({ kind: 'health', event: 'gap', channels: ['webhook:https://example.org/hook'] });
  assert.deepEqual(d, { kind: 'health', name: 'data gap', event: 'gap', scope: null, expiresAt: null, cooldownMinutes: 0, quietHours: null, channels: ['webhook:https://example.org/hook'] });
});

const BAD: Array<[unknown, string, number | undefined]> = [
  [{ ...base, expression: 'rsi:14 < ' }, 'expression', 9],
  [{ ...base, expression: 'rsi:14@2d < 3' }, 'expression', 7],
  [{ ...base, scope: { symbols: ['BTCUSDT', 'x'] } }, 'scope.symbols.1', undefined],
  [{ ...base, interval: '7h' }, 'interval', undefined],
  [{ ...base, channels: ['sms:1'] }, 'channels.0', undefined],
  [{ ...base, channels: ['webhook:ftp://x'] }, 'channels.0', undefined],
  [{ ...base, channels: ['dashboard', 'webhook:http://user:pw@example.org/x?k=Q'] }, 'channels.1', undefined],
  [{ ...base, channels: [] }, 'channels', undefined],
  [{ ...base, frequency: 'sometimes' }, 'frequency', undefined],
  [{ ...base, cooldownMinutes: -5 }, 'cooldownMinutes', undefined],
  [{ ...base, quietHours: { from: '25:00', to: '07:00' } }, 'quietHours.from', undefined],
  [{ ...base, quietHours: { from: '22:00', to: '07:00', timezone: 'Mars/Olympus' } }, 'quietHours.timezone', undefined],
  [{ ...base, colour: 'red' }, 'colour', undefined],
  [{ ...base, scope: { symbol: 'BTCUSDT', top: 3 } }, 'scope', undefined],
  [{ kind: 'health', event: 'meteor', channels: ['dashboard'] }, 'event', undefined],
  [{ kind: 'sometimes' }, 'kind', undefined],
];

test('rule draft - bad input names the field (and the expression position)', () => {
  for (const [json, field, position] of BAD) {
    assert.throws(
      () => parseRuleDraft(json),
      (err: unknown) => err instanceof RuleDraftError && err.field === field && err.position === position && err.message.startsWith(`${field}: `),
      `${JSON.stringify(json)} → ${field}`,
    );
  }
});
