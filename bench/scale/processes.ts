/**
 * The scale benchmark's child processes: the replay server (its own process, derived zips made
 * before it listens) and the pipeline process, whose RSS is sampled from /proc every 250 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RssSample } from './figures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ReplayProcess {
  url: string;
  child: ChildProcess;
  /** Seconds from spawn to listening (derived zips generated or found in the cache). */
  startSeconds: number;
  banner: string;
  stop(): Promise<void>;
}

/** Starts `tickerflow replay-server --scale …` (plus `extraArgs`) and waits for its banner. */
export async function startReplayProcess(size: string, latencyMs: number, cacheDir: string, log: (l: string) => void, extraArgs: readonly string[] = []): Promise<ReplayProcess> {
  const t0 = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', `${ROOT}src/cli/main.ts`, 'replay-server', '--scale', size, '--latency-ms', String(latencyMs), '--cache', cacheDir, ...extraArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    for (const line of d.toString().split('\n')) if (line.startsWith('scale archive:')) log(`  ${line}`);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (/\n {2}scale .*\n/.test(out)) resolve();
    });
    void exited.then((code) => reject(new Error(`replay server exited ${code} before listening: ${err.slice(-2000)}`)));
  });
  const url = /listening on (http:\/\/[^ ]+)/.exec(out)?.[1];
  if (url === undefined) throw new Error(`replay server printed no URL: ${out}`);
  return {
    url,
    child,
    banner: out.trim(),
    startSeconds: (Date.now() - t0) / 1000,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** VmRSS of `pid` in bytes, or null once the process is gone. */
export function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface PipelineRun {
  events: Record<string, unknown>[];
  rss: RssSample[];
  start: number;
  end: number;
}

/** Runs bench/scale/pipeline-child.ts to completion, sampling its RSS every 250 ms. */
export async function runPipelineProcess(replayUrl: string, db: string, symbols: number): Promise<PipelineRun> {
  const start = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', `${ROOT}bench/scale/pipeline-child.ts`, replayUrl, db, String(symbols)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const rss: RssSample[] = [];
  const timer = setInterval(() => {
    const bytes = child.pid === undefined ? null : rssOf(child.pid);
    if (bytes !== null) rss.push({ t: Date.now(), bytes });
  }, 250);
  const events: Record<string, unknown>[] = [];
  let buffered = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() !== '') events.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`pipeline process exited ${code}: ${err.slice(-3000)}`);
  return { events, rss, start, end: Date.now() };
}
