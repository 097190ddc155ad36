// http: retry pieces shared by the HTTP connectors (Retry-After, capped back-off, common options); knows no venue and sends no request itself.
export { parseRetryAfter } from './retry-after.js';
export { backoffMs } from './backoff.js';
export { httpDateMs } from './http-date.js';
export { parseJsonBody } from './json-body.js';
export { resolveHttpRetry, timerSleep, type HttpRetryDefaults, type HttpRetryOptions, type HttpRetrySettings } from './http-retry-options.js';
export { ServerClock } from './server-clock.js';
