/**
 * The `/api/v3/exchangeInfo` body the replay serves: the recorded 2021-10-12 response
 * (`fixtures/binance-rest/binance_exchangeInfo_2021-10-12_full.json`) with `serverTime` set to the
 * simulated now and the REQUEST_WEIGHT limit set to today's 6,000 per minute (Binance changed it
 * on 2023-08-25; the recorded 2021 file says 1,200). Everything else is served as recorded.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/general-endpoints#exchange-information
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BadInputError } from '../core/errors.js';

const docSchema = z
  .object({
    serverTime: z.number(),
    rateLimits: z.array(z.object({ rateLimitType: z.string(), interval: z.string(), intervalNum: z.number(), limit: z.number() }).passthrough()),
    symbols: z.array(z.object({ symbol: z.string() }).passthrough()),
  })
  .passthrough();
type Doc = z.infer<typeof docSchema>;
/** One `symbols[]` entry of exchangeInfo, fields as recorded. */
export type SymbolEntry = Doc['symbols'][number];

/** Today's REQUEST_WEIGHT limit per minute (CHANGELOG 2023-08-25; PROTOCOLS.md §2). */
export const REQUEST_WEIGHT_PER_MINUTE = 6000;
const TIME_MARK = -987654321;

export class ExchangeInfoDoc {
  /** Top-level fields in recorded order, so re-serialised bodies keep the exchange's field order. */
  private readonly fields: [string, unknown][];
  private readonly symbolEntries: Doc['symbols'];
  private readonly head: string;
  private readonly tail: string;
  readonly symbols: ReadonlySet<string>;

  /**
   * @param extraSymbols entries to append after the recorded ones (scale mode's derived symbols),
   *   built from the recorded entries
   */
  constructor(file: string, weightLimit: number = REQUEST_WEIGHT_PER_MINUTE, extraSymbols?: (recorded: Doc['symbols']) => Doc['symbols']) {
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const parsed = docSchema.safeParse(raw);
    if (!parsed.success || typeof raw !== 'object' || raw === null) {
      throw new BadInputError(`${file} is not an exchangeInfo body: ${parsed.error?.message ?? 'not an object'}`);
    }
    const rateLimits = parsed.data.rateLimits.map((r) =>
      r.rateLimitType === 'REQUEST_WEIGHT' && r.interval === 'MINUTE' && r.intervalNum === 1 ? { ...r, limit: weightLimit } : r,
    );
    this.symbolEntries = [...parsed.data.symbols, ...(extraSymbols?.(parsed.data.symbols) ?? [])];
    this.fields = Object.entries(raw).map(([k, v]): [string, unknown] => [k, k === 'rateLimits' ? rateLimits : k === 'symbols' ? this.symbolEntries : v]);
    // Serialise the 1.8 MB body once; per request only serverTime is spliced in.
    const text = this.serialise(TIME_MARK, null);
    const at = text.indexOf(String(TIME_MARK));
    this.head = text.slice(0, at);
    this.tail = text.slice(at + String(TIME_MARK).length);
    this.symbols = new Set(this.symbolEntries.map((s) => s.symbol));
  }

  private serialise(now: number, only: ReadonlySet<string> | null): string {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.fields) {
      if (k === 'serverTime') out[k] = now;
      else if (k === 'symbols' && only) out[k] = this.symbolEntries.filter((s) => only.has(s.symbol));
      else out[k] = v;
    }
    return JSON.stringify(out);
  }

  /** The full body at simulated time `now`. */
  body(now: number): string {
    return `${this.head}${now}${this.tail}`;
  }

  /** The body restricted to `symbols` (all known; the caller checks). */
  bodyFor(symbols: readonly string[], now: number): string {
    return this.serialise(now, new Set(symbols));
  }
}
