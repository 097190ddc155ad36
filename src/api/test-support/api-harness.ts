/**
 * Test helper: the real API server on a loopback port over a real store, with two users (alice,
 * admin; bob, user) whose passwords are real scrypt hashes, a clock the test moves, and every log
 * line the server writes kept as text (to check that no secret reaches it).
 */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { configSchema, type Config } from '../../core/config.js';
import type { Store } from '../../store/store.js';
import { createApiServer, type ApiDeps } from '../api-server.js';
import { hashPassword } from '../auth/password-hash.js';

export const PASSWORDS = { alice: 'alice-correct-horse-7', bob: 'bob-battery-staple-9' } as const;
/** A cheaper scrypt cost than production's, for test speed; verification reads the cost from the hash. */
const TEST_COST = { ln: 10, r: 8, p: 1 };

export interface Harness {
  url: string;
  store: Store;
  app: FastifyInstance;
  /** Everything the server logged, one JSON line each. */
  logs: string[];
  clock: { now: number };
  users: { alice: number; bob: number };
  call(method: string, path: string, opts?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; body: unknown; text: string; headers: Headers }>;
  login(name: 'alice' | 'bob'): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(store: Store, opts: { now: number; config?: Partial<Config>; deps?: Partial<ApiDeps> }): Promise<Harness> {
  const logs: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void logs.push(line) });
  const clock = { now: opts.now };
  const alice = await store.createUser('alice', 'admin', 'Europe/Amsterdam', await hashPassword(PASSWORDS.alice, TEST_COST), clock.now);
  const bob = await store.createUser('bob', 'user', 'UTC', await hashPassword(PASSWORDS.bob, TEST_COST), clock.now);
  const app = await createApiServer({ store, config: configSchema.parse(opts.config ?? {}), logger, version: '0.0.0-test', now: () => clock.now, authNow: () => clock.now, ...opts.deps });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
  const url = `http://127.0.0.1:${address.port}`;
  const call: Harness['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined = o.rawBody;
    if (o.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.body);
    }
    const res = await fetch(url + path, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      // CSV or empty
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
  return {
    url,
    store,
    app,
    logs,
    clock,
    users: { alice: alice.id, bob: bob.id },
    call,
    async login(name) {
      const res = await call('POST', '/api/v1/login', { body: { name, password: PASSWORDS[name] } });
      const token = (res.body as { token?: unknown } | undefined)?.token;
      if (res.status !== 200 || typeof token !== 'string') throw new Error(`login ${name}: ${res.status} ${res.text}`);
      return token;
    },
    close: () => app.close(),
  };
}

/** The `error` of an error body, for assertions. */
export function errorOf(body: unknown): { code?: string; message?: string; field?: string } {
  return ((body as { error?: object } | undefined)?.error ?? {}) as { code?: string; message?: string; field?: string };
}
