/**
 * Migration 9: stream signals (issue 17), one row per liquidity window of a market, keyed by
 * (exchange, symbol, window_start, window_ms) so a replayed or redelivered window is an upsert of
 * the same row. The record and its definitions are in ../signal-records.ts. The CHECKs make the
 * database refuse a record no processor should produce, failing its whole batch.
 */
import type { Dialect, Migration } from './migration.js';

function statements(dialect: Dialect): string[] {
  const duck = dialect === 'duckdb';
  const text = duck ? 'VARCHAR' : 'TEXT';
  const double = duck ? 'DOUBLE' : 'DOUBLE PRECISION';
  return [
    `CREATE TABLE signals (
  exchange ${text} NOT NULL CHECK (exchange <> ''),
  symbol ${text} NOT NULL CHECK (symbol <> ''),
  window_start BIGINT NOT NULL CHECK (window_start >= 0),
  window_ms BIGINT NOT NULL CHECK (window_ms > 0),
  bid_delta_notional ${double} NOT NULL CHECK (bid_delta_notional >= 0),
  ask_delta_notional ${double} NOT NULL CHECK (ask_delta_notional >= 0),
  delta_ratio ${double},
  top_levels INTEGER NOT NULL CHECK (top_levels > 0),
  book_bid_notional ${double},
  book_ask_notional ${double},
  book_ratio ${double},
  taker_buy_quantity ${double} NOT NULL CHECK (taker_buy_quantity >= 0),
  taker_sell_quantity ${double} NOT NULL CHECK (taker_sell_quantity >= 0),
  trade_imbalance ${double} CHECK (trade_imbalance BETWEEN -1 AND 1),
  best_bid ${double},
  best_ask ${double},
  spread ${double},
  mid ${double},
  delta_events INTEGER NOT NULL CHECK (delta_events >= 0),
  bid_levels INTEGER NOT NULL CHECK (bid_levels >= 0),
  ask_levels INTEGER NOT NULL CHECK (ask_levels >= 0),
  trades INTEGER NOT NULL CHECK (trades >= 0),
  PRIMARY KEY (exchange, symbol, window_start, window_ms)
)`,
  ];
}

export const signals: Migration = { version: 9, name: 'stream signals (liquidity windows)', statements };
