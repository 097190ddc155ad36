/**
 * Reads a password for `tickerflow users`: from the terminal without echo, or the first line of
 * stdin with `--password-stdin` (scripts, tests). The password is never printed, logged or put
 * in an error message.
 */
import { ConfigError } from '../core/errors.js';

/** What the terminal's keystrokes so far amount to. */
export interface TypedLine {
  text: string;
  /** `enter` ended the line; `cancel` is Ctrl-C or Ctrl-D on an empty line. */
  end: 'enter' | 'cancel' | null;
}

/**
 * Applies keystrokes in raw mode (pure, so it is tested without a terminal): Enter ends the line,
 * Backspace/Delete remove the last character, Ctrl-U clears it, Ctrl-C cancels, Ctrl-D cancels on an
 * empty line and ends a typed one; other control characters and escape sequences (arrow keys) are
 * ignored.
 */
export function typeKeys(line: TypedLine, chunk: string): TypedLine {
  let text = line.text;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i] ?? '';
    if (c === '\r' || c === '\n') return { text, end: 'enter' };
    if (c === '\u0003') return { text: '', end: 'cancel' };
    if (c === '\u0004') return text === '' ? { text: '', end: 'cancel' } : { text, end: 'enter' };
    if (c === '\u007f' || c === '\b') text = [...text].slice(0, -1).join('');
    else if (c === '\u0015') text = '';
    else if (c === '\u001b') i = skipEscape(chunk, i);
    else if (c >= ' ') text += c;
  }
  return { text, end: null };
}

/** Index of the last character of the escape sequence starting at `i` (CSI `ESC [ … final`, or ESC + one). */
function skipEscape(chunk: string, i: number): number {
  if (chunk[i + 1] !== '[') return i + 1;
  let j = i + 2;
  while (j < chunk.length && !/[@-~]/.test(chunk[j] ?? '')) j++;
  return j;
}

/** Prompts on `output` and reads one line from the terminal `input` without echoing it. */
export function promptHidden(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WritableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(prompt);
    let line: TypedLine = { text: '', end: null };
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    const onData = (chunk: string): void => {
      line = typeKeys(line, chunk);
      if (line.end === null) return;
      input.setRawMode(wasRaw);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (line.end === 'cancel') reject(new ConfigError('cancelled: no password given'));
      else resolve(line.text);
    };
    input.on('data', onData);
  });
}

/** The first line of a stream (without its line end): `--password-stdin`. */
export async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/**
 * A new password: from stdin when `fromStdin`, else typed twice on the terminal (the two must
 * match). Without a terminal and without `--password-stdin` it stops and says how to pass one.
 */
export async function readNewPassword(fromStdin: boolean, io: { input: NodeJS.ReadStream; output: NodeJS.WritableStream } = { input: process.stdin, output: process.stderr }): Promise<string> {
  if (fromStdin) return firstLine(io.input);
  if (!io.input.isTTY) throw new ConfigError('no terminal to type the password on: pipe it in with --password-stdin');
  const first = await promptHidden('Password: ', io.input, io.output);
  const again = await promptHidden('Password again: ', io.input, io.output);
  if (first !== again) throw new ConfigError('the two passwords differ; nothing was changed');
  return first;
}
