/** Stream signals (liquidity windows, migration 9), shared by both SQL backends. */
import { BadInputError } from '../../core/errors.js';
import { LIQUIDITY_VALUE_FIELDS, type LiquidityWindow } from '../signal-records.js';
import type { SqlExecutor, SqlParam, SqlSession } from './sql-session.js';
import { col, toNumber, toNumberOrNull, toText } from './sql-values.js';
import { insertValues } from './values-tuples.js';

const VALUE_COLUMNS = [
  'bid_delta_notional', 'ask_delta_notional', 'delta_ratio', 'top_levels', 'book_bid_notional', 'book_ask_notional', 'book_ratio',
  'taker_buy_quantity', 'taker_sell_quantity', 'trade_imbalance', 'best_bid', 'best_ask', 'spread', 'mid', 'delta_events', 'bid_levels', 'ask_levels', 'trades',
];
const KEY_COLUMNS = ['exchange', 'symbol', 'window_start', 'window_ms'];
const COLUMNS = [...KEY_COLUMNS, ...VALUE_COLUMNS, 'incomplete'].join(', ');

function row(w: LiquidityWindow): SqlParam[] {
  const values = LIQUIDITY_VALUE_FIELDS.map((f) => w[f]);
  for (const [i, v] of values.entries()) {
    if (v !== null && !Number.isFinite(v)) throw new BadInputError(`signal ${w.exchange}:${w.symbol} window ${w.windowStart}: ${LIQUIDITY_VALUE_FIELDS[i]} is ${v}, not a finite number`);
  }
  return [w.exchange, w.symbol, w.windowStart, w.windowMs, ...values, w.incomplete];
}

export async function upsertSignalsSql(db: SqlSession, windows: readonly LiquidityWindow[]): Promise<number> {
  // One row per key (the last wins): neither engine lets one statement update a row twice.
  const byKey = new Map<string, SqlParam[]>();
  for (const w of windows) byKey.set(`${w.exchange}\u0000${w.symbol}\u0000${w.windowStart}\u0000${w.windowMs}`, row(w));
  if (byKey.size === 0) return 0;
  const update = [...VALUE_COLUMNS, 'incomplete'].map((c) => `${c} = excluded.${c}`).join(', ');
  return db.transaction(async (tx: SqlExecutor) => {
    await insertValues(tx, `INSERT INTO signals (${COLUMNS})`, [...byKey.values()], `ON CONFLICT (${KEY_COLUMNS.join(', ')}) DO UPDATE SET ${update}`);
    return byKey.size;
  });
}

function windowFromRow(r: unknown[]): LiquidityWindow {
  const v = (i: number, what: string): number => toNumber(col(r, 4 + i), `signal ${what}`);
  const n = (i: number, what: string): number | null => toNumberOrNull(col(r, 4 + i), `signal ${what}`);
  return {
    exchange: toText(col(r, 0), 'signal exchange'), symbol: toText(col(r, 1), 'signal symbol'),
    windowStart: toNumber(col(r, 2), 'signal window_start'), windowMs: toNumber(col(r, 3), 'signal window_ms'),
    bidDeltaNotional: v(0, 'bid_delta_notional'), askDeltaNotional: v(1, 'ask_delta_notional'), deltaRatio: n(2, 'delta_ratio'),
    topLevels: v(3, 'top_levels'), bookBidNotional: n(4, 'book_bid_notional'), bookAskNotional: n(5, 'book_ask_notional'), bookRatio: n(6, 'book_ratio'),
    takerBuyQuantity: v(7, 'taker_buy_quantity'), takerSellQuantity: v(8, 'taker_sell_quantity'), tradeImbalance: n(9, 'trade_imbalance'),
    bestBid: n(10, 'best_bid'), bestAsk: n(11, 'best_ask'), spread: n(12, 'spread'), mid: n(13, 'mid'),
    deltaEvents: v(14, 'delta_events'), bidLevels: v(15, 'bid_levels'), askLevels: v(16, 'ask_levels'), trades: v(17, 'trades'),
    incomplete: col(r, 4 + LIQUIDITY_VALUE_FIELDS.length) === true,
  };
}

export async function readSignalsSql(db: SqlExecutor, exchange: string, symbol: string, windowMs: number, from: number, to: number): Promise<LiquidityWindow[]> {
  const rows = await db.all(
    `SELECT ${COLUMNS} FROM signals WHERE exchange = $1 AND symbol = $2 AND window_ms = $3 AND window_start >= $4 AND window_start < $5 ORDER BY window_start`,
    [exchange, symbol, windowMs, from, to],
  );
  return rows.map(windowFromRow);
}
