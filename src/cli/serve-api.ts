/**
 * What `up` adds to the pipeline (and `serve` runs without it): the API and the dashboard on one
 * address, and a way in for the CLI. While it runs, `<db>.api.json` (mode 0600) holds the address and a token of a local admin,
 * so `candles`, `jobs` and `gaps --list` read through it instead of stopping at DuckDB's lock.
 * The token is revoked and the file removed when `up` stops; a token left by a killed `up` is
 * revoked at the next start.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { z } from 'zod';
import { createApiServer, type ApiDeps } from '../api/api-server.js';
import { newApiToken, tokenHash } from '../api/auth/api-token.js';
import { hashPassword } from '../api/auth/password-hash.js';
import type { Config } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import type { Store, User } from '../store/store.js';
import { removeUpAddress, upAddressPath, writeUpAddress } from './up-address.js';

/** The label of the token `up` writes beside the store. */
const LOCAL_TOKEN_LABEL = 'local up';
/** Built by `npm run build:web` (web/), served at `/` when present. */
const WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface ServedApi {
  url: string;
  /** Stops serving, revokes the local token and removes the address file. */
  stop(): Promise<void>;
}

export async function serveApi(store: Store, config: Config, logger: Logger, opts: { host: string; port: number; now?: () => number; delivery?: ApiDeps['delivery']; stream?: ApiDeps['stream']; command?: 'up' | 'serve' }): Promise<ServedApi> {
  const app = await createApiServer({
    store,
    config,
    logger,
    version: packageVersion(),
    webRoot: WEB_ROOT,
    ...(opts.now === undefined ? {} : { now: opts.now }),
    ...(opts.delivery === undefined ? {} : { delivery: opts.delivery }),
    ...(opts.stream === undefined ? {} : { stream: opts.stream }),
  });
  try {
    await app.listen({ host: opts.host, port: opts.port });
  } catch (err) {
    await app.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError(`port ${opts.port} on ${opts.host} is in use: choose another with --port or [api] port`, { cause: err });
    throw new ConfigError(`cannot serve on ${opts.host}:${opts.port}: ${(err as Error).message}`, { cause: err });
  }
  const address = app.server.address();
  const port = address !== null && typeof address === 'object' ? address.port : opts.port;
  const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  const path = upAddressPath(config.store.db);
  let local: { user: User; tokenId: number } | undefined;
  if (path !== null) {
    const user = await localAdmin(store);
    const token = newApiToken();
    const info = await store.createApiToken(user.id, LOCAL_TOKEN_LABEL, tokenHash(token), Date.now());
    local = { user, tokenId: info.id };
    // The CLI connects on loopback whatever address is served.
    const reach = opts.host === '0.0.0.0' || opts.host === '::' ? `http://127.0.0.1:${port}` : url;
    writeUpAddress(path, { url: reach, token, pid: process.pid, command: opts.command ?? 'up' });
  }
  return {
    url,
    async stop() {
      if (path !== null) removeUpAddress(path);
      await app.close();
      if (local !== undefined) await store.revokeApiToken(local.user.id, local.tokenId, Date.now());
    },
  };
}

/**
 * The first admin, whose local tokens left by an earlier `up` that was killed are revoked; when
 * there is no admin yet, an admin `local` with a random password nobody knows (set one with
 * `tickerflow users passwd local` to sign in as it).
 */
async function localAdmin(store: Store): Promise<User> {
  const admin = (await store.listUsers()).find((u) => u.role === 'admin');
  if (admin === undefined) return store.createUser('local', 'admin', 'UTC', await hashPassword(randomBytes(24).toString('base64url')), Date.now());
  for (const t of await store.listApiTokens(admin.id)) if (t.label === LOCAL_TOKEN_LABEL && t.revokedAt === null) await store.revokeApiToken(admin.id, t.id, Date.now());
  return admin;
}

/** The version in package.json (health reports it). */
function packageVersion(): string {
  const raw: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return z.object({ version: z.string() }).parse(raw).version;
}
