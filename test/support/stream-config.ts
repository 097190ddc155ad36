/**
 * The `tickerflow.toml` of a stream test against the replay server: its Binance websocket and
 * REST roots (and Gemini's websocket when a Gemini market is streamed), the markets, the lake,
 * and the store when the test gives one in the file rather than with `--db`.
 */
import type { ReplayServer } from '../../src/replay/index.js';

export interface StreamConfigOptions {
  replay: Pick<ReplayServer, 'urls'>;
  markets: readonly string[];
  lake: string;
  /** `[store] db`; left out when the command line names the store. */
  db?: string;
  /** Seconds between lake flushes (default 1). */
  lakeFlushSeconds?: number;
}

export function streamConfigToml(o: StreamConfigOptions): string {
  const { urls } = o.replay;
  return [
    ...(o.db === undefined ? [] : ['[store]', `db = "${o.db}"`]),
    '[sources]',
    `binance_ws = "${urls.binanceWs.replace(/\/ws$/, '')}"`,
    `binance_rest = "${urls.binance}"`,
    ...(o.markets.some((m) => m.startsWith('gemini:')) ? [`gemini_ws = "${urls.geminiWs}"`] : []),
    '[stream]',
    `markets = [${o.markets.map((m) => `"${m}"`).join(', ')}]`,
    `lake = "${o.lake}"`,
    `lake_flush_seconds = ${o.lakeFlushSeconds ?? 1}`,
    '',
  ].join('\n');
}
