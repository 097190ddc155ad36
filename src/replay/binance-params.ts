/**
 * Checked readers for Binance query parameters, answering with Binance's own error codes and
 * messages (errors.md) so clients see what the exchange would send.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/errors
 */
export interface BinanceError {
  code: number;
  msg: string;
}

export class BinanceParamError extends Error {
  constructor(readonly body: BinanceError) {
    super(body.msg);
  }
}

type Query = Record<string, unknown>;

/** One string value or undefined; a repeated parameter is -1101 "Duplicate values". */
export function single(q: Query, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  throw new BinanceParamError({ code: -1101, msg: `Duplicate values for a parameter detected.` });
}

export function mandatory(q: Query, name: string): string {
  const v = single(q, name);
  if (v === undefined || v === '') {
    throw new BinanceParamError({ code: -1102, msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.` });
  }
  return v;
}

/** An unsigned integer parameter; non-digits are -1100 as on the exchange. */
export function unsigned(q: Query, name: string): number | undefined {
  const v = single(q, name);
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,20}$/.test(v)) {
    throw new BinanceParamError({ code: -1100, msg: `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.` });
  }
  return Number(v);
}

export function invalid(name: string): BinanceParamError {
  return new BinanceParamError({ code: -1130, msg: `Data sent for parameter '${name}' is not valid.` });
}

const SYMBOL = /^[A-Z0-9-_.]{1,20}$/;

export function symbolParam(q: Query, known: (s: string) => boolean): string {
  const s = mandatory(q, 'symbol');
  if (!SYMBOL.test(s)) {
    throw new BinanceParamError({ code: -1100, msg: `Illegal characters found in parameter 'symbol'; legal range is '${SYMBOL.source}'.` });
  }
  if (!known(s)) throw new BinanceParamError({ code: -1121, msg: 'Invalid symbol.' });
  return s;
}

/** Timestamp parameters accept ms or µs (PROTOCOLS.md §2); µs are brought to ms. */
export function timestampParam(q: Query, name: string): number | undefined {
  const v = unsigned(q, name);
  return v !== undefined && v >= 1e15 ? Math.floor(v / 1000) : v;
}
