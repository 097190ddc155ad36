/**
 * The HTTP API (`/api/v1`, README "API") and the dashboard's files, in one Fastify server:
 * zod validates every request part and documents it (OpenAPI 3 at `/docs`, its JSON at
 * `/docs/json`); every 4xx/5xx has one body shape (api-error.ts); bodies and query strings are
 * bounded; the logger never sees an Authorization header, a password or a token.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Delivery } from '../alerts/delivery/index.js';
import type { Config } from '../core/config.js';
import type { Store } from '../store/store.js';
import type { LiveStreamStatus } from '../stream/live-stream.js';
import { ApiError, toErrorReply } from './api-error.js';
import { redactedUrl, SECRET_LOG_PATHS } from './log-redaction.js';
import { installRequestAuth } from './request-auth.js';
import { registerAlertRoutes } from './routes/alert-routes.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerMarketRoutes } from './routes/market-routes.js';
import { registerPipelineRoutes } from './routes/pipeline-routes.js';
import { registerStreamRoutes } from './routes/stream-routes.js';
import { registerSystemRoutes } from './routes/system-routes.js';

/** Largest request body: a rule draft is a few KB; anything near this is not one. */
export const BODY_LIMIT_BYTES = 64 * 1024;
/** Longest request URL (path and query string). */
export const URL_LIMIT_CHARS = 4096;

export interface ApiDeps {
  /** Candles, the pipeline's records, users and tokens, rules and firings. */
  store: Store;
  config: Config;
  logger: Logger;
  /** The dashboard feed and "send a test message" (alerts/delivery); without it `/events` and `/alerts/:id/test` answer 409. */
  delivery?: Pick<Delivery, 'dashboard' | 'sendTest' | 'webhookSecret'>;
  /** The live stream this process runs (`/stream/status`); its status is null until it has started. Without it the status says not running. */
  stream?: { status(): LiveStreamStatus | null };
  /** The package version `health` reports. */
  version: string;
  /** The market's clock: which bars are complete, the universe's 24 h. The demo passes its replay clock. */
  now?: () => number;
  /** The clock of sessions and API tokens (expiry, creation, revocation): real time, even where `now` is simulated (default Date.now). */
  authNow?: () => number;
  /** Built dashboard (web/dist) served at `/`, when it exists. */
  webRoot?: string;
  /** Logins allowed per IP and name per minute (default 10). */
  loginsPerMinute?: number;
  /** How long a login session lasts (default 7 days). */
  sessionMs?: number;
}

/** Everything a route module needs. */
export type RouteDeps = Required<Pick<ApiDeps, 'store' | 'config' | 'version' | 'now' | 'authNow' | 'loginsPerMinute' | 'sessionMs'>> & Pick<ApiDeps, 'delivery' | 'stream'>;

/** Builds the server (not yet listening): `await app.listen({ host, port })`, `await app.close()`. */
export async function createApiServer(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child(
      { component: 'api' },
      {
        redact: { paths: SECRET_LOG_PATHS, censor: '[redacted]' },
        serializers: {
          req: (req: { method?: string; url?: string; ip?: string }) => ({ method: req.method, url: redactedUrl(req.url ?? ''), remoteAddress: req.ip }),
        },
      },
      // pino's Logger is a FastifyBaseLogger; the cast keeps the instance's type the default one the route modules take.
    ) as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 200 },
    // A request id per request in the logs, never taken from the client.
    genReqId: (() => {
      let n = 0;
      return () => `r${(++n).toString(36)}`;
    })(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((err, request, reply) => {
    const { status, body } = toErrorReply(err);
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ status, code: body.error.code, field: body.error.field }, body.error.message);
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // The dashboard routes in the browser: an unknown page that is not the API gets its index.
    if (deps.webRoot !== undefined && hasIndex(deps.webRoot) && request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/docs')) {
      return reply.sendFile('index.html');
    }
    const { status, body } = toErrorReply(new ApiError(404, `no route ${request.method} ${path}`));
    return reply.status(status).send(body);
  });
  app.addHook('onRequest', async (request) => {
    if (request.url.length > URL_LIMIT_CHARS) throw new ApiError(414, `the URL is longer than ${URL_LIMIT_CHARS} characters`, { field: 'query' });
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'tickerflow API', version: deps.version, description: 'Candles, indicators, the pipeline and alerts of a tickerflow store. Every 4xx/5xx answers `{ error: { code, message, field?, position? } }`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  // Login is the only limited route (per IP and name); nothing is limited unless it asks.
  await app.register(fastifyRateLimit, { global: false, errorResponseBuilder: (_req, ctx) => new ApiError(429, `too many attempts; try again in ${Math.ceil(ctx.ttl / 1000)} s`, { field: 'body.name' }) });

  const now = deps.now ?? Date.now;
  const authNow = deps.authNow ?? Date.now;
  installRequestAuth(app, deps.store, authNow);
  const routeDeps: RouteDeps = {
    store: deps.store,
    config: deps.config,
    delivery: deps.delivery,
    stream: deps.stream,
    version: deps.version,
    now,
    authNow,
    loginsPerMinute: deps.loginsPerMinute ?? 10,
    sessionMs: deps.sessionMs ?? 7 * 86_400_000,
  };
  await app.register(
    async (api) => {
      registerSystemRoutes(api, routeDeps);
      registerAuthRoutes(api, routeDeps);
      registerMarketRoutes(api, routeDeps);
      registerPipelineRoutes(api, routeDeps);
      registerAlertRoutes(api, routeDeps);
      registerStreamRoutes(api, routeDeps);
    },
    { prefix: '/api/v1' },
  );
  if (deps.webRoot !== undefined && existsSync(deps.webRoot)) await app.register(fastifyStatic, { root: deps.webRoot, wildcard: false });
  return app;
}

function hasIndex(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}
