/**
 * Who is asking: every `/api/v1` request but those a route marks `auth: 'none'` carries
 * `Authorization: Bearer <token>` (an API token or a login session); the server-sent events route
 * also takes `?token=`, since a browser's EventSource cannot set headers. The user is looked up by
 * the token's SHA-256 hash; a route marked `auth: 'admin'` (the pipeline's jobs, gaps and coverage)
 * also needs the admin role.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { User, UserStore } from '../store/alert-records.js';
import { ApiError } from './api-error.js';
import { tokenHash } from './auth/api-token.js';
import { BEARER_TOKEN_PATTERN, sessionExpiry } from './session-token.js';

export type RouteAuth = 'none' | 'user' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (default `user`: any signed-in user). */
    auth?: RouteAuth;
    /** The token may come as `?token=` (server-sent events). */
    queryToken?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in user; set on every route that needs one. */
    user: User | null;
    /** The bearer token's SHA-256 hash (logout revokes the session by it). */
    tokenHash: string | null;
    /** When the bearer token stops signing in: a session's expiry, null for an API token (until revoked). */
    tokenExpiresAt: number | null;
  }
}

/** Installs the check on every API route; the routes read `request.user` (see {@link signedIn}). */
export function installRequestAuth(app: FastifyInstance, users: UserStore, now: () => number): void {
  app.decorateRequest('user', null);
  app.decorateRequest('tokenHash', null);
  app.decorateRequest('tokenExpiresAt', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    // Routes outside the API (dashboard files, /docs) and unknown URLs carry no auth setting.
    if (request.routeOptions.url === undefined || !request.routeOptions.url.startsWith('/api/')) return;
    const auth = config.auth ?? 'user';
    if (auth === 'none') return;
    const { token, field } = bearerToken(request, config.queryToken === true);
    const expiresAt = sessionExpiry(token);
    if (expiresAt !== null && expiresAt <= now()) throw new ApiError(401, 'the session has expired; log in again', { field });
    const hash = tokenHash(token);
    const user = await users.userForTokenHash(hash, now());
    if (user === null) throw new ApiError(401, 'the token is unknown or revoked', { field });
    if (auth === 'admin' && user.role !== 'admin') throw new ApiError(403, 'this route is for admins (the pipeline: jobs, gaps, coverage)');
    request.user = user;
    request.tokenHash = hash;
    request.tokenExpiresAt = expiresAt;
  });
}

/** The token and where it came from (`headers.authorization` or `query.token`), checked for shape. */
function bearerToken(request: FastifyRequest, queryToken: boolean): { token: string; field: string } {
  const header = request.headers.authorization;
  let token: string | undefined;
  let field = 'headers.authorization';
  if (header !== undefined) {
    const m = /^Bearer +(\S+)$/i.exec(header);
    if (m === null) throw new ApiError(401, 'Authorization must read "Bearer <token>"', { field });
    token = m[1];
  } else if (queryToken) {
    const q = request.query as Record<string, unknown> | undefined;
    if (typeof q?.token === 'string') {
      token = q.token;
      field = 'query.token';
    }
  }
  if (token === undefined) throw new ApiError(401, 'sign in: send Authorization: Bearer <token> (POST /api/v1/login gives one)', { field });
  if (!BEARER_TOKEN_PATTERN.test(token)) throw new ApiError(401, 'the token is malformed', { field });
  return { token, field };
}

/** The signed-in user of a route that requires one (the hook has refused the request otherwise). */
export function signedIn(request: FastifyRequest): User {
  if (request.user === null) throw new ApiError(401, 'sign in first');
  return request.user;
}

/**
 * Whether the request's token still signs in now (not expired, not revoked, its user still there):
 * a long-lived answer (the event stream) asks again while it runs.
 */
export async function tokenStillValid(request: FastifyRequest, users: UserStore, now: number): Promise<boolean> {
  if (request.tokenHash === null) return false;
  if (request.tokenExpiresAt !== null && request.tokenExpiresAt <= now) return false;
  return (await users.userForTokenHash(request.tokenHash, now)) !== null;
}
