/** `tickerflow serve` in a child process, for the tests that run it as a user would (stdout and stderr collected). */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface SpawnedServe {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Its exit code once it has exited (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts `tickerflow <global> serve --port 0 <extra>` in `cwd` with `env` added to this process's. */
export function spawnServe(global: readonly string[], extra: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnedServe {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...global, 'serve', '--port', '0', ...extra], { cwd, env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Polls `ok` every 100 ms for up to `ms`; returns how long it took, or throws naming `what`. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  while (!(await ok())) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - start;
}
