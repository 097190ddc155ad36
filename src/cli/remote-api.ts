/**
 * The CLI's client of a running `up`'s API (found through up-address.ts): JSON reads and changes
 * (`alerts add|rm|mute|test|preview`), and the candles CSV read back into column chunks so `candles` prints exactly what it prints from the
 * store. An API refusal becomes the same one-line error a local run gives.
 */
import { allocateColumns, type CandleColumns } from '../core/candle.js';
import { ConfigError, NotFoundError, TickerflowError, UpstreamError } from '../core/errors.js';
import type { UpAddress } from './up-address.js';

/** Bars per chunk handed to the formatters (as the local export's text slices). */
const CHUNK_ROWS = 8192;

export interface RemoteCandleChunk {
  candles: CandleColumns;
  complete: Uint8Array;
}

export class RemoteApi {
  constructor(private readonly address: UpAddress) {}

  /** Where the API is, for a note on stderr. */
  get url(): string {
    return this.address.url;
  }

  async getJson(path: string, query: Record<string, string | number | undefined> = {}): Promise<unknown> {
    const res = await this.request(path, query);
    return res.json();
  }

  /** A JSON change (POST, PATCH, DELETE): the answer's JSON, or null for an empty answer (204). */
  async sendJson(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const res = await this.request(path, {}, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    return res.status === 204 ? null : res.json();
  }

  /** Candles of `columns=all` CSV as chunks; `decimals` from the response's headers. */
  async candles(query: Record<string, string | number | undefined>): Promise<{ decimals: { price?: number; volume?: number }; chunks: AsyncGenerator<RemoteCandleChunk> }> {
    const res = await this.request('/api/v1/candles', { ...query, format: 'csv', columns: 'all' });
    const header = (name: string): number | undefined => {
      const v = res.headers.get(name);
      return v === null || !/^\d+$/.test(v) ? undefined : Number(v);
    };
    const price = header('x-price-decimals');
    const volume = header('x-volume-decimals');
    if (res.body === null) throw new UpstreamError(`${this.address.url}: the candles answer has no body`);
    return { decimals: { ...(price === undefined ? {} : { price }), ...(volume === undefined ? {} : { volume }) }, chunks: csvChunks(res.body) };
  }

  private async request(path: string, query: Record<string, string | number | undefined>, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const url = new URL(path, this.address.url);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${this.address.token}` } });
    } catch (err) {
      throw new UpstreamError(`tickerflow up holds the store but its API at ${this.address.url} did not answer: ${(err as Error).message}`, undefined, { cause: err });
    }
    if (res.ok) return res;
    throw await refusal(res);
  }
}

/** The API's error body as the error a local run would throw: 404 → NotFoundError, other 4xx → ConfigError. */
async function refusal(res: Response): Promise<TickerflowError> {
  let message = `HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // not the API's JSON: keep the status
  }
  if (res.status === 404) return new NotFoundError(message);
  if (res.status < 500) return new ConfigError(message);
  return new UpstreamError(`tickerflow up: ${message}`, res.status);
}

/** Parses the `columns=all` CSV (header, then rows of 11 numbers and true/false) into chunks of {@link CHUNK_ROWS}. */
async function* csvChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<RemoteCandleChunk> {
  const decoder = new TextDecoder();
  let rest = '';
  let header = true;
  let c = allocateColumns(CHUNK_ROWS);
  let complete = new Uint8Array(CHUNK_ROWS);
  let n = 0;
  const fields = ['openTime', 'open', 'high', 'low', 'close', 'volume', 'closeTime', 'quoteVolume', 'trades', 'takerBuyBase', 'takerBuyQuote'] as const;
  const take = (line: string): void => {
    const cells = line.split(',');
    if (cells.length !== fields.length + 1) throw new UpstreamError(`the API's candles CSV has a row of ${cells.length} cells, not ${fields.length + 1}: ${line.slice(0, 80)}`);
    for (let j = 0; j < fields.length; j++) c[fields[j]!][n] = Number(cells[j]);
    complete[n] = cells[fields.length] === 'true' ? 1 : 0;
    n++;
  };
  const full = (): RemoteCandleChunk => {
    c.length = n;
    return { candles: c, complete: complete.subarray(0, n) };
  };
  for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(bytes, { stream: true });
    let nl = rest.indexOf('\n');
    let at = 0;
    while (nl >= 0) {
      const line = rest.slice(at, nl);
      at = nl + 1;
      if (header) header = false;
      else if (line !== '') take(line);
      if (n === CHUNK_ROWS) {
        yield full();
        c = allocateColumns(CHUNK_ROWS);
        complete = new Uint8Array(CHUNK_ROWS);
        n = 0;
      }
      nl = rest.indexOf('\n', at);
    }
    rest = rest.slice(at);
  }
  if (rest.trim() !== '') throw new UpstreamError('the API ended the candles CSV inside a row (the connection was cut)');
  if (n > 0) yield full();
}
