import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { firstLine, readNewPassword, typeKeys, type TypedLine } from './password-input.js';

const typed = (...chunks: string[]): TypedLine => chunks.reduce<TypedLine>((line, c) => typeKeys(line, c), { text: '', end: null });

test('password input - raw keystrokes: Enter ends the line, Backspace and Ctrl-U edit it, arrow keys are ignored', () => {
  assert.deepEqual(typed('hunter', '2\r'), { text: 'hunter2', end: 'enter' });
  assert.deepEqual(typed('hunterX\u007f2\n'), { text: 'hunter2', end: 'enter' });
  assert.deepEqual(typed('wrong\u0015right\r'), { text: 'right', end: 'enter' });
  assert.deepEqual(typed('ab\u001b[D\u001b[Cc\r'), { text: 'abc', end: 'enter' }, 'left and right arrows');
  assert.deepEqual(typed('pässwörd ✓\r'), { text: 'pässwörd ✓', end: 'enter' });
  assert.deepEqual(typed('é\u007f\u007fx\r'), { text: 'x', end: 'enter' }, 'backspace on an empty line does nothing');
  assert.deepEqual(typed('half'), { text: 'half', end: null });
});

test('password input - Ctrl-C cancels, Ctrl-D cancels an empty line and ends a typed one', () => {
  assert.deepEqual(typed('secret\u0003'), { text: '', end: 'cancel' });
  assert.deepEqual(typed('\u0004'), { text: '', end: 'cancel' });
  assert.deepEqual(typed('secret\u0004'), { text: 'secret', end: 'enter' });
});

test('password input - --password-stdin takes the first line without its line end', async () => {
  assert.equal(await firstLine(Readable.from(['correct horse', ' battery\r\nsecond line\n'])), 'correct horse battery');
  assert.equal(await firstLine(Readable.from(['no newline at all'])), 'no newline at all');
  assert.equal(await firstLine(Readable.from([])), '');
});

test('password input - without a terminal and without --password-stdin it says how to pass one', async () => {
  const input = Object.assign(Readable.from([]), { isTTY: false }) as unknown as NodeJS.ReadStream;
  await assert.rejects(readNewPassword(false, { input, output: process.stderr }), { code: 'CONFIG', message: /pipe it in with --password-stdin/ });
});
