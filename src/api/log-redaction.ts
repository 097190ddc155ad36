/**
 * What the API's logger must never write: the Authorization header, passwords and tokens in
 * bodies or objects, and the `?token=` an EventSource has to put in its URL.
 */

/** pino redaction paths (the logger's own `secrets`, `*.apiKey`, `*.token` stay too). */
export const SECRET_LOG_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'password',
  'token',
  '*.password',
  '*.token',
  '*.authorization',
  'body.password',
  'body.token',
];

/** The URL with any `token` query parameter's value replaced. */
export function redactedUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}
