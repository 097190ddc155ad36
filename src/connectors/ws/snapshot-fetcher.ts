/**
 * The REST book snapshot fetch the live books call for one symbol (at the first sync and after a
 * gap): GET the URL the exchange's connector names, return the body as text. A failed request or
 * a non-2xx answer is an UpstreamError naming the URL (the live books retry it with back-off).
 * An exchange that budgets REST weight passes `admit`: each request first waits for its permit,
 * which is settled with the response (a 429 pauses the budget's other callers too) or cancelled
 * when no response came.
 */
import { UpstreamError } from '../../core/errors.js';

export type SnapshotFetcher = (symbol: string, signal: AbortSignal) => Promise<string>;

export interface SnapshotPermit {
  settle(response: Response): void;
  cancel(): void;
}

export function createSnapshotFetcher(urlOf: (symbol: string) => string, doFetch: typeof globalThis.fetch = globalThis.fetch, admit?: () => Promise<SnapshotPermit>): SnapshotFetcher {
  return async (symbol, signal) => {
    const url = urlOf(symbol);
    const permit = await admit?.();
    let res: Response;
    try {
      res = await doFetch(url, { signal });
    } catch (err) {
      permit?.cancel();
      throw new UpstreamError(`GET ${url}: ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
    }
    permit?.settle(res);
    const body = await res.text();
    if (!res.ok) throw new UpstreamError(`GET ${url}: HTTP ${res.status} ${body.slice(0, 200)}`, res.status);
    return body;
  };
}
