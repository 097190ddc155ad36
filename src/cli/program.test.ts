import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram } from './program.js';

const commands = async (...args: string[]): Promise<string[]> => (await buildProgram(['node', 'tickerflow', ...args])).commands.map((c) => c.name());

const ALL = ['init', 'up', 'demo', 'universe', 'backfill', 'sync', 'gaps', 'worker', 'serve', 'candles', 'signals', 'stream', 'indicators', 'jobs', 'replay', 'replay-server', 'doctor', 'users', 'alerts'];

test('program - only the command argv names is loaded, after global options and their values', async () => {
  assert.deepEqual(await commands('candles', 'BTCUSDT', '--format', 'csv'), ['candles']);
  assert.deepEqual(await commands('--db', 'candles.duckdb', '--log-level', 'info', 'jobs', 'show', '3'), ['jobs']);
  assert.deepEqual(await commands('-c', 'up.toml', '--db=x.duckdb', 'gaps', '--list'), ['universe', 'backfill', 'sync', 'gaps']);
  assert.deepEqual(await commands('--', 'doctor'), ['doctor']);
});

test('program - help, a version query, no command or an unknown one load every command, in help order', async () => {
  for (const args of [[], ['--help'], ['--db', 'x.duckdb'], ['help', 'candles'], ['-V'], ['candels']]) assert.deepEqual(await commands(...args), ALL, args.join(' '));
});
