/**
 * The stand-in API's preview: only `rsi:<period> <op> <number>` with `<`, `>`, `crosses_below`
 * or `crosses_above`, at 1h, evaluated bar by bar on closes with the project's RSI. Enough to
 * drive the dashboard's builder (markers, summary, an error with a position); the real preview
 * (h/alerts) replaces it when the browser tests move to createApiServer.
 */
import { rsi } from '../../../src/indicators/rsi.js';
import type { HourlySeries } from './stub-market.js';

const HORIZONS = { '1h': 1, '4h': 4, '1d': 24 } as const;
type Horizon = keyof typeof HORIZONS;

export interface StubPreviewFiring { symbol: string; openTime: number; close: number; operands: Record<string, number>; returns: Record<Horizon, number | null> }

/** Thrown for an expression the stub cannot read, with the 0-based position at fault. */
export class StubExpressionError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
  }
}

const GRAMMAR = /^\s*rsi:(\d+)\s+(<|>|crosses_below|crosses_above)\s+(-?\d+(?:\.\d+)?)\s*$/;

export function stubPreview(expression: string, series: HourlySeries, from: number, to: number): StubPreviewFiring[] {
  const m = GRAMMAR.exec(expression);
  if (!m) {
    const at = expression.search(/\S/);
    const head = /^rsi:\d+\s+/.exec(expression.slice(Math.max(at, 0)));
    throw new StubExpressionError(`the stand-in preview reads only "rsi:N <op> X"; cannot read "${expression.trim()}"`, head ? at + head[0].length : Math.max(at, 0));
  }
  const period = Number(m[1]);
  const op = m[2]!;
  const level = Number(m[3]);
  const values = rsi(Float64Array.from(series.close), period);
  const out: StubPreviewFiring[] = [];
  for (let i = 1; i < values.length; i++) {
    const t = series.openTime[i]!;
    if (t < from || t > to) continue;
    const v = values[i]!;
    const prev = values[i - 1]!;
    if (Number.isNaN(v)) continue;
    const hit =
      op === '<' ? v < level
      : op === '>' ? v > level
      : op === 'crosses_below' ? prev >= level && v < level
      : prev <= level && v > level;
    if (!hit) continue;
    const close = series.close[i]!;
    const returns = {} as Record<Horizon, number | null>;
    for (const [k, n] of Object.entries(HORIZONS) as Array<[Horizon, number]>) {
      const j = i + n;
      returns[k] = j < series.close.length && series.openTime[j] === t + n * 3_600_000 ? series.close[j]! / close - 1 : null;
    }
    out.push({ symbol: series.symbol, openTime: t, close, operands: { [`rsi:${period}`]: v }, returns });
  }
  return out;
}

/** The contract's summary: count, share positive, median and worst per horizon. */
export function stubSummary(firings: StubPreviewFiring[]) {
  const positive: Record<string, number | null> = {};
  const median: Record<string, number | null> = {};
  const worst: Record<string, number | null> = {};
  for (const k of Object.keys(HORIZONS) as Horizon[]) {
    const r = firings.map((f) => f.returns[k]).filter((x): x is number => x !== null).sort((a, b) => a - b);
    positive[k] = r.length ? r.filter((x) => x > 0).length / r.length : null;
    median[k] = r.length ? (r.length % 2 ? r[(r.length - 1) / 2]! : (r[r.length / 2 - 1]! + r[r.length / 2]!) / 2) : null;
    worst[k] = r.length ? r[0]! : null;
  }
  return { count: firings.length, positive, median, worst };
}
