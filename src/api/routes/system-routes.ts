/** `GET /health`: up and which store, without signing in (for probes and the dashboard's login page). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../api-server.js';

const healthSchema = z.object({ ok: z.literal(true), store: z.enum(['duckdb', 'postgres']), version: z.string() });

export function registerSystemRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/health',
    { config: { auth: 'none' }, schema: { summary: 'the server is up', tags: ['system'], security: [], response: { 200: healthSchema } } },
    async () => ({ ok: true as const, store: deps.store.kind, version: deps.version }),
  );
}
