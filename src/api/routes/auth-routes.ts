/**
 * Signing in and the user's own tokens: `POST /login` (rate-limited per IP and name) answers a
 * session token, `POST /logout` revokes it, `GET /me`, and `/tokens` to list, create (the token
 * is shown once) and revoke API tokens. A token's text is never logged, stored or listed.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../api-error.js';
import type { RouteDeps } from '../api-server.js';
import { signedIn } from '../request-auth.js';
import { newApiToken, tokenHash } from '../auth/api-token.js';
import { hashPassword, verifyPassword } from '../auth/password-hash.js';
import { newSessionToken, sessionLabel } from '../session-token.js';
import { idParams } from '../query-fields.js';

export const userSchema = z.object({ id: z.number().int(), name: z.string(), role: z.enum(['admin', 'user']), timezone: z.string() });
const loginBody = z.object({ name: z.string().min(1).max(100), password: z.string().min(1).max(1000) }).strict();
const tokenInfoSchema = z.object({ id: z.number().int(), label: z.string(), createdAt: z.number(), lastUsedAt: z.number().nullable(), revokedAt: z.number().nullable() });

export function registerAuthRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/login',
    {
      config: {
        auth: 'none',
        // After the body is parsed, so the key can name the user: one address cannot lock out everyone, nor guess one user's password from many names.
        rateLimit: { max: deps.loginsPerMinute, timeWindow: 60_000, hook: 'preHandler', keyGenerator: (req) => `${req.ip}|${loginName(req.body)}` },
      },
      schema: { summary: 'sign in: answers a session token', tags: ['auth'], security: [], body: loginBody, response: { 200: z.object({ token: z.string(), user: userSchema }) } },
    },
    async (request) => {
      const { name, password } = request.body;
      const found = await deps.store.getUserByName(name);
      // One answer, and one scrypt's time, for an unknown name and a wrong password: neither tells which names exist.
      const ok = await verifyPassword(password, found?.passwordHash ?? (await unknownUserHash())).catch((err: unknown) => {
        // A corrupt stored hash is the server's fault (500), not the request's.
        throw new Error(`user ${found?.id}: unreadable password hash`, { cause: err });
      });
      if (found === null || !ok) throw new ApiError(401, 'wrong name or password', { field: 'body.password' });
      const now = deps.authNow();
      const token = newSessionToken(now + deps.sessionMs);
      const hash = tokenHash(token);
      await deps.store.createApiToken(found.id, sessionLabel(hash), hash, now);
      return { token, user: publicUser(found) };
    },
  );
  api.post('/logout', { schema: { summary: 'revoke this session token', tags: ['auth'], response: { 204: z.null() } } }, async (request, reply) => {
    const user = signedIn(request);
    const label = sessionLabel(request.tokenHash ?? '');
    const session = (await deps.store.listApiTokens(user.id)).find((t) => t.label === label && t.revokedAt === null);
    if (session === undefined) throw new ApiError(400, 'this token is not a login session; revoke an API token with DELETE /api/v1/tokens/:id', { field: 'headers.authorization' });
    await deps.store.revokeApiToken(user.id, session.id, deps.authNow());
    return reply.status(204).send(null);
  });
  api.get('/me', { schema: { summary: 'the signed-in user', tags: ['auth'], response: { 200: userSchema } } }, async (request) => publicUser(signedIn(request)));

  api.get('/tokens', { schema: { summary: "the user's tokens (never their text)", tags: ['auth'], response: { 200: z.object({ tokens: z.array(tokenInfoSchema) }) } } }, async (request) => {
    const tokens = await deps.store.listApiTokens(signedIn(request).id);
    return { tokens: tokens.map(({ id, label, createdAt, lastUsedAt, revokedAt }) => ({ id, label, createdAt, lastUsedAt, revokedAt })) };
  });
  api.post(
    '/tokens',
    {
      schema: {
        summary: 'a new API token, shown this once',
        tags: ['auth'],
        body: z.object({ label: z.string().trim().min(1).max(100).refine((l) => !l.startsWith('session '), 'labels starting "session " are kept for logins') }).strict(),
        response: { 201: z.object({ id: z.number().int(), label: z.string(), token: z.string() }) },
      },
    },
    async (request, reply) => {
      const user = signedIn(request);
      const token = newApiToken();
      const info = await deps.store.createApiToken(user.id, request.body.label, tokenHash(token), deps.authNow());
      return reply.status(201).send({ id: info.id, label: info.label, token });
    },
  );
  api.delete('/tokens/:id', { schema: { summary: 'revoke one of your tokens', tags: ['auth'], params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    const revoked = await deps.store.revokeApiToken(signedIn(request).id, request.params.id, deps.authNow());
    if (!revoked) throw new ApiError(404, `you have no token ${request.params.id}`, { field: 'params.id' });
    return reply.status(204).send(null);
  });
}

let dummyHash: Promise<string> | undefined;
/** A hash of a random password, checked against when the name is unknown. */
function unknownUserHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummyHash;
}

function publicUser(u: { id: number; name: string; role: 'admin' | 'user'; timezone: string }): z.infer<typeof userSchema> {
  return { id: u.id, name: u.name, role: u.role, timezone: u.timezone };
}

/** The name a login body gives, for the rate limit's key (the schema has not run yet when it is read). */
function loginName(body: unknown): string {
  return typeof body === 'object' && body !== null && 'name' in body && typeof body.name === 'string' ? body.name.slice(0, 100) : '';
}
