/**
 * The API's one error body, `{ error: { code, message, field?, position? } }`, for every 4xx and
 * 5xx: the routes' own refusals (ApiError), zod validation of a request's parts, and Fastify's own
 * errors (unknown route, body too large, malformed JSON), so a client parses one shape.
 */
import { z } from 'zod';
import { BadInputError, ConfigError, NotFoundError } from '../core/errors.js';
import { IndicatorInputError } from '../indicators/indicator-error.js';

export type ApiErrorCode = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'too_many_requests' | 'conflict' | 'internal';

const CODE_OF_STATUS: Record<number, ApiErrorCode> = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 429: 'too_many_requests' };

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(['bad_request', 'unauthorized', 'forbidden', 'not_found', 'too_many_requests', 'conflict', 'internal']),
    message: z.string(),
    field: z.string().optional().describe('the request field that was wrong, e.g. query.interval'),
    position: z.number().int().optional().describe('0-based position of an expression error'),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** A refusal a route answers with: its HTTP status, and the field (`query.symbol`, `body.name`) it is about. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly field: string | undefined;
  readonly position: number | undefined;
  constructor(statusCode: number, message: string, where: { field?: string; position?: number } = {}) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.field = where.field;
    this.position = where.position;
  }
}

/** Where a Fastify validation context puts a field: `querystring` reads as `query` in the field path. */
const PART: Record<string, string> = { querystring: 'query', body: 'body', params: 'params', headers: 'headers' };

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  validation?: ReadonlyArray<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>;
  validationContext?: string;
}

/** The status and body to answer for `err`; a 5xx never carries the error's own text (it may hold internals). */
export function toErrorReply(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof ApiError) return reply(err.statusCode, err.message, err.field, err.position);
  if (err instanceof IndicatorInputError) return reply(400, err.message, 'query.ind');
  if (err instanceof NotFoundError) return reply(404, err.message);
  if (err instanceof BadInputError || err instanceof ConfigError) return reply(400, err.message);
  const e = (typeof err === 'object' && err !== null ? err : {}) as FastifyLikeError;
  if (e.validation !== undefined && e.validation.length > 0) {
    const first = e.validation[0]!;
    const part = PART[e.validationContext ?? ''] ?? e.validationContext ?? 'request';
    const path = (first.instancePath ?? '').split('/').filter((s) => s !== '');
    // A missing required key is reported on its parent object by JSON-schema validators; zod names it in the path.
    const field = [part, ...path].join('.');
    return reply(400, `${field}: ${first.message ?? 'invalid'}`, field);
  }
  const status = typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
  if (status >= 500) return reply(status, 'internal error');
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply(413, 'request body is larger than the server accepts', 'body');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply(415, e.message ?? 'unsupported media type', 'headers.content-type');
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (e.message ?? '').includes('JSON')) return reply(400, e.message ?? 'malformed JSON body', 'body');
  return reply(status, e.message ?? 'request refused');
}

function reply(status: number, message: string, field?: string, position?: number): { status: number; body: ErrorBody } {
  const code = CODE_OF_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request');
  return { status, body: { error: { code, message, ...(field === undefined ? {} : { field }), ...(position === undefined ? {} : { position }) } } };
}
