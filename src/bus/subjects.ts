/**
 * Subject names on the bus: `md.<kind>.<exchange>.<symbol>` for market events, and the token rules
 * every subject obeys. NATS subject tokens cannot hold `.`, whitespace, `*` or `>`; rather than an
 * encoding a reader has to undo, a token may only hold letters, digits, `-` and `_` (every exchange
 * symbol we stream fits: `BTCUSDT`, `BTC-EUR`, `BTCTRY`), and anything else is refused naming it.
 */
import { BadInputError } from '../core/errors.js';
import type { MarketEventKind, MarketRef } from '../core/market-events.js';

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** Throws BadInputError unless `token` can be one subject token; `what` names it in the message. */
export function checkToken(token: string, what: string): string {
  if (!TOKEN.test(token)) {
    throw new BadInputError(`${what} "${token}" cannot be a bus subject token: only letters, digits, '-' and '_' are allowed`);
  }
  return token;
}

/** Splits and checks a subject (no wildcards) or, with `pattern`, a subscription pattern. */
export function subjectTokens(subject: string, pattern = false): string[] {
  const tokens = subject.split('.');
  tokens.forEach((t, i) => {
    if (pattern && t === '*') return;
    if (pattern && t === '>' && i === tokens.length - 1) return;
    if (!TOKEN.test(t)) {
      const kind = pattern ? 'pattern' : 'subject';
      throw new BadInputError(`bus ${kind} "${subject}": token ${i + 1} "${t}" is not letters, digits, '-' or '_'${pattern ? " (or '*', or '>' last)" : ''}`);
    }
  });
  return tokens;
}

/** Whether `subject` tokens match `pattern` tokens (`*` one token, a final `>` one or more). */
export function tokensMatch(pattern: readonly string[], subject: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p === '>') return subject.length > i;
    if (i >= subject.length) return false;
    if (p !== '*' && p !== subject[i]) return false;
  }
  return pattern.length === subject.length;
}

/** `md.trade.binance.BTCUSDT`. */
export function marketSubject(kind: MarketEventKind, ref: MarketRef): string {
  return `md.${kind}.${ref.exchange}.${checkToken(ref.symbol, 'symbol')}`;
}

/** Every market event of one kind (`md.trade.>`), or of one kind on one exchange (`md.trade.binance.*`). */
export function marketPattern(kind: MarketEventKind | '*', exchange?: string): string {
  return exchange === undefined ? `md.${kind}.>` : `md.${kind}.${checkToken(exchange, 'exchange')}.*`;
}

/** Derived stream outputs: `bar.1m.binance.BTCUSDT`, `signal.liquidity_60s.gemini.BTCUSD`. */
export function derivedSubject(family: 'bar' | 'signal', name: string, ref: { exchange: string; symbol: string }): string {
  return `${family}.${checkToken(name, `${family} name`)}.${checkToken(ref.exchange, 'exchange')}.${checkToken(ref.symbol, 'symbol')}`;
}
