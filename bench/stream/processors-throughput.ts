/**
 * Stream processor events/s on recorded data: the bar builder over the hftbacktest BTCUSDT and
 * ETHUSDT trades, the liquidity windows over the Gemini l2 capture (each repeated to get a
 * measurable run). Part of `npm run bench -- --only stream`.
 */
import { fileURLToPath } from 'node:url';
import type { MarketEvent, TradeEvent } from '../../src/core/market-events.js';
import { BarBuilder } from '../../src/stream/bar-builder.js';
import { LiquidityWindows } from '../../src/stream/liquidity-window.js';
import { readBinanceTrades } from '../../src/stream/test-support/binance-trade-lines.js';
import { readGeminiEvents } from '../../src/stream/test-support/gemini-lines.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/ws/${name}`, import.meta.url));

export interface ProcessorCase {
  label: string;
  perSecond: number;
}

function time(label: string, rounds: number, perRound: number, fn: () => void): ProcessorCase {
  fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) fn();
  const s = (performance.now() - t0) / 1000;
  return { label, perSecond: (rounds * perRound) / s };
}

export function measureProcessors(rounds: number): ProcessorCase[] {
  const trades: TradeEvent[] = ['btcusdt_20240808', 'btcusdt_20240809', 'ethusdt_20240808', 'ethusdt_20240809'].flatMap((f) => readBinanceTrades(fixture(`hftbacktest/spot/${f}.gz`)));
  const gemini: MarketEvent[] = readGeminiEvents(fixture('cryptofeed_GEMINI.ws.1.0_v2_marketdata_2021-06-24.jsonl'));
  const levels = gemini.reduce((n, e) => n + (e.kind === 'book_delta' ? e.bids.length + e.asks.length : 0), 0);
  return [
    time(`bar builder, ${trades.length.toLocaleString('en')} recorded Binance trades, trades`, rounds, trades.length, () => {
      const b = new BarBuilder();
      for (const t of trades) b.onTrade(t);
    }),
    time(`liquidity windows (10 s), ${gemini.length} recorded Gemini events (${levels.toLocaleString('en')} delta levels), events`, rounds * 2, gemini.length, () => {
      const w = new LiquidityWindows({ windowMs: 10_000 });
      for (const e of gemini) w.onEvent(e);
    }),
  ];
}
