/**
 * Error classes, grouped by what the caller should do next (STYLE.md habit 6).
 * Every error has a stable `code`, a `name`, and keeps its `cause`.
 */
export type ErrorCode =
  | 'CONFIG'
  | 'BAD_INPUT'
  | 'BAD_ARCHIVE'
  | 'CHECKSUM_MISMATCH'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'IP_BANNED'
  | 'NETWORK'
  | 'UPSTREAM'
  | 'STORE'
  | 'STORE_LOCKED'
  | 'DELIVERY_FAILED'
  | 'STOPPED';

export class TickerflowError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Fatal: bad configuration or arguments. Stop and say so. */
export class ConfigError extends TickerflowError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG', message, options);
  }
}

/** Fatal for one item: malformed external input (a row, a message, a parameter). */
export class BadInputError extends TickerflowError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_INPUT', message, options);
  }
}

/**
 * A whole archive object is unusable: corrupt zip, malformed row, broken invariant.
 * Names the object key and, where there is one, the 1-based row number.
 */
export class BadArchiveError extends TickerflowError {
  readonly key: string;
  readonly row: number | undefined;
  constructor(key: string, reason: string, row?: number, options?: { cause?: unknown }) {
    super('BAD_ARCHIVE', `${key}${row === undefined ? '' : ` row ${row}`}: ${reason}`, options);
    this.key = key;
    this.row = row;
  }
}

export class ChecksumMismatchError extends TickerflowError {
  readonly key: string;
  constructor(key: string, expected: string, actual: string) {
    super('CHECKSUM_MISMATCH', `${key}: SHA-256 ${actual} does not match .CHECKSUM ${expected}`);
    this.key = key;
  }
}

/** Retryable: the upstream said slow down (429) or banned us for a while (418). */
export class RateLimitError extends TickerflowError {
  readonly retryAfterMs: number;
  readonly status: number;
  constructor(status: number, retryAfterMs: number, url: string) {
    super(status === 418 ? 'IP_BANNED' : 'RATE_LIMITED', `HTTP ${status} from ${url}; retry after ${Math.ceil(retryAfterMs / 1000)} s`);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Retryable: network failure or 5xx (status unknown upstream). */
export class UpstreamError extends TickerflowError {
  readonly status: number | undefined;
  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super(status === undefined ? 'NETWORK' : 'UPSTREAM', message, options);
    this.status = status;
  }
}

export class NotFoundError extends TickerflowError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class StoreError extends TickerflowError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE', message, options);
  }
}

/** The embedded DuckDB file is held by another process (DuckDB allows one writer process). */
export class StoreLockedError extends TickerflowError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_LOCKED', message, options);
  }
}

/**
 * Fatal for one delivery: the channel refused it for good (a webhook's 4xx, a chat that is not
 * linked or that blocked the bot). The outbox marks it failed instead of retrying.
 */
export class DeliveryFailedError extends TickerflowError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DELIVERY_FAILED', message, options);
  }
}

export function isRetryable(err: unknown): boolean {
  return err instanceof RateLimitError || err instanceof UpstreamError;
}

/** Not a failure: the work was asked to stop (Ctrl-C, a shutdown) before it finished. */
export class StoppedError extends TickerflowError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STOPPED', message, options);
  }
}
