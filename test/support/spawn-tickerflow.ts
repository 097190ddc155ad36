/**
 * `tickerflow` child processes for the scale-out tests (worker, backfill --bus, stream): spawned
 * from source through tsx, their output collected, their exit awaited; and the check that a NATS
 * work-queue stream was emptied (every job acked).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface TickerflowProcess {
  child: ChildProcess;
  exit: Promise<Exit>;
}

/** Children still running when the test process exits (a failure, a signal) are killed with it. */
const running = new Set<ChildProcess>();
process.once('exit', () => { for (const c of running) c.kill('SIGKILL'); });

export function spawnTickerflow(args: string[], env: NodeJS.ProcessEnv = {}): TickerflowProcess {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exit = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exit };
}

/** True once the work-queue stream holds no job (each one acked), false if it still does after `ms`. */
export async function queueEmptyWithin(natsUrl: string, stream: string, ms: number): Promise<boolean> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    for (const until = Date.now() + ms; Date.now() < until; await sleep(250)) {
      if ((await jsm.streams.info(stream)).state.messages === 0) return true;
    }
    return false;
  } finally {
    await nc.close();
  }
}
