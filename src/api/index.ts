/** The HTTP API (Fastify, OpenAPI, auth, server-sent events): routes over the store and the alerts module; it holds no business logic of its own beyond shaping answers. */
export { createApiServer, type ApiDeps } from './api-server.js';
export { ApiError, type ErrorBody } from './api-error.js';
