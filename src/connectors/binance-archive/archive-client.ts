/**
 * The I/O half of the archive connector: lists keys through the bucket's S3 ListObjects v1
 * endpoint and downloads objects from data.binance.vision. It moves bytes only; parsing lives in
 * the pure modules beside it.
 *
 * @see https://github.com/binance/binance-public-data (layout, `.CHECKSUM` files)
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html (listing, pagination)
 */
import { BadInputError, NotFoundError, RateLimitError, UpstreamError } from '../../core/errors.js';
import { backoffMs, httpDateMs, parseRetryAfter, resolveHttpRetry, type HttpRetryDefaults, type HttpRetryOptions, type HttpRetrySettings } from '../http/index.js';
import { parseChecksum, type ArchiveChecksum } from './checksum.js';
import { checksumKey } from './archive-layout.js';
import { nextListMarker, parseS3ListObjectsV1, type S3ListPage, type S3Object } from './s3-listing.js';

/**
 * The shared `fetch`, `sleep` and `timeoutMs` options, plus the retry budget under the names this
 * client has always taken (`retries` counts after the first attempt).
 */
export interface ArchiveClientOptions extends Pick<HttpRetryOptions, 'fetch' | 'sleep' | 'timeoutMs'> {
  /** Where objects are downloaded from. Default `https://data.binance.vision`. */
  dataBaseUrl?: string;
  /** The bucket endpoint that answers ListObjects v1. Default `https://s3-ap-northeast-1.amazonaws.com/data.binance.vision`. */
  listBaseUrl?: string;
  /** Retries after the first attempt for 5xx, 429 and network errors. Default 4. */
  retries?: number;
  /** First back-off delay; doubles per retry up to `maxDelayMs`. Defaults 250 ms and 8 s. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-request timeout. Default 60 s (a month zip of 1m klines is a few MB). */
  timeoutMs?: number;
}

/** A downloaded object with the metadata the archive manifest records. */
export interface ArchiveObject {
  body: Buffer;
  /** `Last-Modified` as epoch ms, or null when absent or unreadable. */
  lastModified: number | null;
  size: number;
}

export const DEFAULT_DATA_BASE_URL = 'https://data.binance.vision';
export const DEFAULT_LIST_BASE_URL = 'https://s3-ap-northeast-1.amazonaws.com/data.binance.vision';

const RETRY_DEFAULTS: HttpRetryDefaults = { maxAttempts: 5, backoffBaseMs: 250, backoffCapMs: 8000, timeoutMs: 60_000 };

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** HTTP client for data.binance.vision and its S3 listing. */
export class ArchiveClient {
  readonly dataBaseUrl: string;
  readonly listBaseUrl: string;
  private readonly http: HttpRetrySettings;

  constructor(opts: ArchiveClientOptions = {}) {
    this.dataBaseUrl = trimSlash(opts.dataBaseUrl ?? DEFAULT_DATA_BASE_URL);
    this.listBaseUrl = trimSlash(opts.listBaseUrl ?? DEFAULT_LIST_BASE_URL);
    this.http = resolveHttpRetry(
      {
        fetch: opts.fetch,
        sleep: opts.sleep,
        timeoutMs: opts.timeoutMs,
        maxAttempts: opts.retries === undefined ? undefined : opts.retries + 1,
        backoffBaseMs: opts.baseDelayMs,
        backoffCapMs: opts.maxDelayMs,
      },
      RETRY_DEFAULTS,
    );
  }

  /** URL of an object key on the data host (each path segment percent-encoded). */
  objectUrl(key: string): string {
    return `${this.dataBaseUrl}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  /**
   * One ListObjects v1 page under `prefix` with `delimiter=/`, starting after `marker`.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
   */
  async listPage(prefix: string, marker = ''): Promise<S3ListPage> {
    const url = `${this.listBaseUrl}?delimiter=%2F&prefix=${encodeURIComponent(prefix)}&marker=${encodeURIComponent(marker)}`;
    return this.request(url, `S3 listing of ${prefix}`, undefined, async (res) => parseS3ListObjectsV1((await readWhole(res)).toString('utf8')));
  }

  /**
   * Every object directly under `prefix` (a "folder" ending in `/`), across all pages, in key order.
   * A page that still fails after the retries throws an `UpstreamError` naming the prefix: a
   * listing that cannot be read must not pass for an empty one.
   * @see https://github.com/binance/binance-public-data (listing is not in the README; the bucket's S3 endpoint is)
   */
  async *list(prefix: string): AsyncGenerator<S3Object> {
    let marker = '';
    for (;;) {
      const page = await this.listPage(prefix, marker);
      yield* page.contents;
      const next = nextListMarker(page, true);
      if (next === null) return;
      if (next <= marker) throw new UpstreamError(`S3 listing of ${prefix} did not advance past marker ${marker}`);
      marker = next;
    }
  }

  /**
   * Downloads one object. 404 → `NotFoundError` (not published, or not existing); 5xx, 429,
   * network failures and a body cut short are retried with capped exponential back-off, then an
   * `UpstreamError` naming the key and the attempts made.
   * @see https://github.com/binance/binance-public-data#klines
   */
  async fetchObject(key: string, signal?: AbortSignal): Promise<ArchiveObject> {
    return this.request(this.objectUrl(key), key, signal, async (res) => {
      const body = await readWhole(res);
      return { body, lastModified: httpDateMs(res.headers.get('last-modified')), size: body.length };
    });
  }

  /**
   * Downloads and parses the `.CHECKSUM` published beside the zip `zipKey`.
   * @see https://github.com/binance/binance-public-data#checksum
   */
  async fetchChecksum(zipKey: string, signal?: AbortSignal): Promise<ArchiveChecksum> {
    const key = checksumKey(zipKey);
    const obj = await this.fetchObject(key, signal);
    return parseChecksum(obj.body, key);
  }

  /**
   * GET `url` and `read` its body, both inside the retry loop: a connection reset (or a body
   * shorter than its Content-Length) mid-download is retried like a failed request, so a file is
   * never rejected for one dropped connection. `what` names the object in the final error.
   * `signal` cancels the transfer and the retries (its reason is thrown as it is).
   */
  private async request<T>(url: string, what: string, signal: AbortSignal | undefined, read: (res: Response) => Promise<T>): Promise<T> {
    const { fetch: fetchFn, sleep, maxAttempts, backoffBaseMs, backoffCapMs, timeoutMs } = this.http;
    for (let attempt = 1; ; attempt++) {
      const backoff = backoffMs(attempt, backoffBaseMs, backoffCapMs);
      let err: UpstreamError | RateLimitError;
      signal?.throwIfAborted();
      try {
        const timeout = AbortSignal.timeout(timeoutMs);
        const res = await fetchFn(url, { signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal]) });
        if (res.ok) return await read(res);
        await res.body?.cancel();
        if (res.status === 404) throw new NotFoundError(`HTTP 404 from ${url}`);
        if (res.status === 429) {
          const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
          err = new RateLimitError(429, retryAfterMs !== null && retryAfterMs > 0 ? retryAfterMs : backoff, url);
        } else {
          err = new UpstreamError(`${what}: HTTP ${res.status} from ${url}`, res.status);
          if (res.status < 500) throw err; // other 4xx will not change on retry
        }
      } catch (e) {
        signal?.throwIfAborted();
        if (e instanceof NotFoundError || (e instanceof UpstreamError && !(e instanceof CutBodyError))) throw e;
        // A malformed listing is the server's answer, not a transport fault: not retried.
        if (e instanceof BadInputError) throw new BadInputError(`${what}: ${e.message}`, { cause: e });
        err = new UpstreamError(`${what}: request to ${url} failed: ${(e as Error).message}`, undefined, { cause: e });
      }
      if (attempt >= maxAttempts) {
        if (err instanceof RateLimitError) throw err;
        throw new UpstreamError(`${what}: failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${err.message}`, err.status, { cause: err });
      }
      await sleep(err instanceof RateLimitError ? Math.max(err.retryAfterMs, backoff) : backoff);
    }
  }
}

/** A body that ended before its declared Content-Length without a transport error: retried. */
class CutBodyError extends UpstreamError {}

/**
 * The whole body as bytes. A reset mid-body rejects (undici: "terminated"); a body that ends
 * cleanly but short of Content-Length (no content-encoding) is a `CutBodyError`.
 */
async function readWhole(res: Response): Promise<Buffer> {
  const body = Buffer.from(await res.arrayBuffer());
  const declared = res.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) !== body.length && res.headers.get('content-encoding') === null) {
    throw new CutBodyError(`body is ${body.length} bytes, Content-Length said ${declared}`);
  }
  return body;
}
