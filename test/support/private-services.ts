/**
 * Private PostgreSQL and NATS JetStream servers for tests that restart them (the machine's shared
 * ones are never stopped): each on a free loopback port with its data in a temp folder, with
 * `restart()` (same port, same data) and `stop()` (kills it and removes the folder). A process exit
 * stops whatever is still running, so a failed test leaves no server behind.
 *
 * PostgreSQL: a cluster made by the installed `initdb` (the highest version under
 * /usr/lib/postgresql), trust auth; as root (CI, this machine) its tools run as the `postgres` user
 * through `runuser`, since PostgreSQL refuses to run as root.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PrivateService {
  url: string;
  port: number;
  /** Stops the server and starts it again on the same port with the same data, after `downMs` (default 0) with nothing listening. */
  restart(downMs?: number): Promise<void>;
  /** Stops the server and removes its data; idempotent. */
  stop(): Promise<void>;
}

const cleanups = new Set<() => void>();
process.once('exit', () => { for (const c of cleanups) c(); });
// A test run stopped by a signal (Ctrl-C, the runner's timeout) exits, so the handler above runs.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' }, () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, what: string, ms: number, log: () => string): Promise<void> {
  for (const until = Date.now() + ms; Date.now() < until; await sleep(100)) {
    if (await acceptsConnections(port)) return;
  }
  throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${ms} ms: ${log().slice(-1000)}`);
}

/** `nats-server -js` on a free port, its JetStream store in a temp folder. */
export async function startPrivateNats(): Promise<PrivateService> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tf-private-nats-'));
  const bin = existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';
  let child: ChildProcess | null = null;
  let output = '';
  const kill = (): void => { if (child !== null && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
  const cleanup = (): void => { kill(); rmSync(dir, { recursive: true, force: true }); };
  cleanups.add(cleanup);
  const start = async (): Promise<void> => {
    child = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (output += c));
    await waitForPort(port, 'the private nats-server', 10_000, () => output);
  };
  const halt = async (): Promise<void> => {
    const c = child;
    if (c === null || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([exited, sleep(5_000).then(() => c.kill('SIGKILL'))]);
    await exited;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    restart: async (downMs = 0) => { await halt(); await sleep(downMs); await start(); },
    stop: async () => { await halt(); cleanup(); cleanups.delete(cleanup); },
  };
}

function newestPgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error(`no PostgreSQL server binaries under ${root} (install the postgresql package)`);
  return join(root, versions[0] as string, 'bin');
}

/** A fresh PostgreSQL cluster on a free port (trust auth, user `postgres`, database `postgres`). */
export async function startPrivatePostgres(): Promise<PrivateService> {
  const bin = newestPgBin();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tf-private-pg-'));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const pgUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const pgGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, pgUid, pgGid);
  }
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const run = (tool: string, args: string[]): void => {
    const cmd = asRoot ? 'runuser' : join(bin, tool);
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    try {
      execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
    } catch (err) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-1500) : '';
      throw new Error(`${tool} ${args.join(' ')} failed: ${err instanceof Error ? err.message : String(err)}\n${log}`, { cause: err });
    }
  };
  const startArgs = ['-D', data, '-l', logFile, '-w', '-t', '30', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start'];
  let running = false;
  const halt = (mode: 'fast' | 'immediate'): void => {
    if (!running) return;
    run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    running = false;
  };
  const cleanup = (): void => {
    try { halt('immediate'); } catch { /* already down */ }
    rmSync(dir, { recursive: true, force: true });
  };
  cleanups.add(cleanup);
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  run('pg_ctl', startArgs);
  running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: async (downMs = 0) => {
      halt('fast');
      await sleep(downMs);
      run('pg_ctl', startArgs);
      running = true;
    },
    stop: async () => { cleanup(); cleanups.delete(cleanup); await Promise.resolve(); },
  };
}
