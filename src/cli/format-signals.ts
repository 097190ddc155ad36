/**
 * What `tickerflow signals` prints: liquidity windows as CSV (snake_case header, empty cell for
 * null) or one JSON array of the records (the fields of store/signal-records.ts), chunk by chunk.
 */
import { LIQUIDITY_VALUE_FIELDS, type LiquidityWindow } from '../store/signal-records.js';

export type SignalFormat = 'csv' | 'json';
export const SIGNAL_FORMATS: readonly SignalFormat[] = ['csv', 'json'];

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const SIGNAL_CSV_HEADER = ['exchange', 'symbol', 'window_start', 'window_ms', ...LIQUIDITY_VALUE_FIELDS.map(snake), 'incomplete'].join(',');

export interface SignalFormatter {
  begin(): string;
  rows(windows: readonly LiquidityWindow[]): string;
  end(): string;
}

export function signalFormatter(format: SignalFormat): SignalFormatter {
  if (format === 'csv') {
    return {
      begin: () => `${SIGNAL_CSV_HEADER}\n`,
      rows: (windows) => windows.map((w) => `${[w.exchange, w.symbol, w.windowStart, w.windowMs, ...LIQUIDITY_VALUE_FIELDS.map((f) => w[f] ?? ''), w.incomplete].join(',')}\n`).join(''),
      end: () => '',
    };
  }
  let first = true;
  return {
    begin: () => '[',
    rows(windows) {
      let out = '';
      for (const w of windows) {
        out += `${first ? '' : ','}${JSON.stringify(w)}`;
        first = false;
      }
      return out;
    },
    end: () => ']\n',
  };
}
