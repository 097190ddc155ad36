/**
 * `tickerflow up --replay` in a child process for the tests that reach it through its API: started
 * on the demo's recorded days with a free port, and awaited until it has written the address file
 * beside its DuckDB file (what the CLI looks for) and printed the API's address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface SpawnedUp {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Its exit code once it has exited. */
  exited: Promise<number | null>;
  addressFile: string;
}

/** Starts `up` with the global options `base` (which name `--db`) and waits up to 60 s for its address file and its address line. */
export async function spawnUp(base: readonly string[], db: string, cwd: string): Promise<SpawnedUp> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...base, 'up', '--replay', '--now', '2020-01-04T00:00:30Z', '--port', '0'], { cwd });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const addressFile = `${db}.api.json`;
  // The address file is written before the line announcing the API is printed: wait for both.
  const ready = (): boolean => existsSync(addressFile) && /API and dashboard at /.test(out);
  for (let i = 0; i < 600 && !ready() && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  return { child, output: () => out, exited, addressFile };
}
