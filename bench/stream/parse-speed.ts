/**
 * Messages/s parsed and normalised per exchange on the recorded captures (issue 17 "Speed"): our
 * mapper, ccxt's own parser, and a bare `JSON.parse` + field map of the same lines (the ceiling).
 * The machine is shared, so the candidates run round-robin on the same messages, each round
 * timed; the best round of each and the median of the per-round ratios are reported.
 *
 * ccxt is called the way its own websocket handlers call it (`handleTrade`): Binance looks the
 * market up by the message's `s` and calls `parseWsTrade(data, market)`, Gemini calls
 * `parseWsTrade(message)`; both with markets loaded from the replay server's recorded REST bodies.
 * ccxt's book path (`handleOrderBookMessage`, `handleL2Updates`) writes into its client's cached
 * order books and has no per-message parse to time, so depth frames are compared with the
 * ceiling only.
 */
import ccxt from 'ccxt';
import { mapBinanceFrame } from '../../src/connectors/binance/ws/stream-mappers.js';
import { GeminiFeedPolicy } from '../../src/connectors/gemini/gemini-feed-policy.js';
import type { RawFrame } from '../../src/connectors/ws/raw-frame.js';
import { readCryptofeedFrames, readHftbacktestCapture } from '../../src/connectors/ws/test-captures.js';
import type { ReplayServer } from '../../src/replay/index.js';

type Row = Record<string, unknown>;
type BinanceCcxt = InstanceType<typeof ccxt.pro.binance>;
type GeminiCcxt = InstanceType<typeof ccxt.pro.gemini>;

const lv = (a: unknown): [number, number][] => (a as [string, string][]).map((l) => [+l[0], +l[1]]);

/** The ceiling: JSON.parse and a plain field map to the same fields, no checks. */
export function bareBinance(text: string, receivedAt: number): unknown {
  const root = JSON.parse(text) as Row;
  const d = root.data as Row;
  switch (d.e) {
    case 'depthUpdate':
      return { kind: 'book_delta', symbol: d.s, receivedAt, exchangeTime: d.E, bids: lv(d.b), asks: lv(d.a), firstSequence: d.U, lastSequence: d.u };
    case 'trade':
      return { kind: 'trade', symbol: d.s, receivedAt, exchangeTime: d.T, tradeId: String(d.t), price: +(d.p as string), quantity: +(d.q as string), takerSide: d.m ? 'sell' : 'buy' };
    default:
      return { kind: 'book_ticker', symbol: d.s, updateId: d.u, bid: [+(d.b as string), +(d.B as string)], ask: [+(d.a as string), +(d.A as string)] };
  }
}

export function bareGemini(text: string, receivedAt: number): unknown {
  const d = JSON.parse(text) as Row;
  if (d.type === 'l2_updates') {
    const bids: [number, number][] = [];
    const asks: [number, number][] = [];
    for (const c of d.changes as string[][]) (c[0] === 'buy' ? bids : asks).push([+c[1]!, +c[2]!]);
    return { symbol: d.symbol, receivedAt, bids, asks };
  }
  if (d.type === 'trade') return { symbol: d.symbol, receivedAt, exchangeTime: d.timestamp, tradeId: String(d.event_id), price: +(d.price as string), quantity: +(d.quantity as string), takerSide: d.side };
  return null;
}

export interface ParseCase {
  exchange: 'binance' | 'gemini';
  messages: string;
  count: number;
  /** Best round, messages/s. */
  ceiling: number;
  ours: number;
  ccxt: number | null;
  /** Medians of the per-round ratios. */
  oursVsCeiling: number;
  ccxtVsCeiling: number | null;
  oursVsCcxt: number | null;
  rounds: number;
}

let sink: unknown = null;

function timeOnce(run: () => void): number {
  const t = performance.now();
  run();
  return performance.now() - t;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
};

function measure(exchange: ParseCase['exchange'], messages: string, count: number, rounds: number, ceiling: () => void, ours: () => void, theirs: (() => void) | null): ParseCase {
  ceiling();
  ours();
  theirs?.();
  const ms = { ceiling: [] as number[], ours: [] as number[], ccxt: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    ms.ceiling.push(timeOnce(ceiling));
    ms.ours.push(timeOnce(ours));
    if (theirs) ms.ccxt.push(timeOnce(theirs));
  }
  const rate = (xs: number[]): number => (count / Math.min(...xs)) * 1000;
  const ratio = (a: number[], b: number[]): number => median(a.map((x, i) => (b[i] as number) / x));
  return {
    exchange, messages, count, rounds,
    ceiling: rate(ms.ceiling),
    ours: rate(ms.ours),
    ccxt: theirs ? rate(ms.ccxt) : null,
    oursVsCeiling: ratio(ms.ours, ms.ceiling),
    ccxtVsCeiling: theirs ? ratio(ms.ccxt, ms.ceiling) : null,
    oursVsCcxt: theirs ? ratio(ms.ours, ms.ccxt) : null,
  };
}

async function ccxtClients(server: ReplayServer): Promise<{ binance: BinanceCcxt; gemini: GeminiCcxt }> {
  const binance = new ccxt.pro.binance({ options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false } });
  binance.urls.api = { ...binance.urls.api, public: `${server.urls.binance}/api/v3` };
  // ccxt's default market loading reads a docs page for currencies, which the replay does not serve.
  const gemini = new ccxt.pro.gemini({ options: { fetchCurrencies: { webApiEnable: false } } });
  gemini.urls.api = { ...gemini.urls.api, public: server.urls.gemini };
  await Promise.all([binance.loadMarkets(), gemini.loadMarkets()]);
  return { binance, gemini };
}

/** ccxt's Binance trade handler's parse step: market by the message's id, then `parseWsTrade`. */
function ccxtBinanceTrade(ex: BinanceCcxt, text: string): { symbol?: string | undefined; price?: number | undefined } {
  const data = (JSON.parse(text) as Row).data as Row;
  const market = ex.safeMarket(data.s as string, undefined, undefined, 'spot');
  return ex.parseWsTrade(data, market);
}

function ccxtGeminiTrade(ex: GeminiCcxt, text: string): { symbol?: string | undefined; price?: number | undefined } {
  return ex.parseWsTrade(JSON.parse(text) as Row);
}

function repeat<T>(xs: readonly T[], times: number): T[] {
  return Array.from({ length: times }, () => xs).flat();
}

/** The four cases: Binance trades and all frames, Gemini trades and all frames. */
export async function measureParseSpeed(server: ReplayServer, options: { rounds: number; log: (line: string) => void }): Promise<ParseCase[]> {
  const { rounds, log } = options;
  const cx = await ccxtClients(server);
  const binance = ['btcusdt', 'ethusdt'].flatMap((s) => readHftbacktestCapture(`${s}_20240808.gz`, `${s}_20240809.gz`)).filter((f) => !f.text.startsWith('{"lastUpdateId"'));
  const binanceTrades = binance.filter((f) => f.text.includes('@trade"'));
  const gemini = readCryptofeedFrames('cryptofeed_GEMINI.ws.1.0_v2_marketdata_2021-06-24.jsonl').filter((f) => !f.text.startsWith('{"type":"heartbeat"'));
  const geminiTrades = gemini.filter((f) => f.text.startsWith('{"type":"trade"'));

  // The comparison is only fair if every parser really maps the message: check one of each.
  const check = (what: string, got: { symbol?: string | undefined; price?: number | undefined }, symbol: string, price: number): void => {
    if (got.symbol !== symbol || got.price !== price) throw new Error(`${what}: expected ${symbol} at ${price}, got ${String(got.symbol)} at ${String(got.price)}`);
  };
  const b0 = binanceTrades[0] as RawFrame;
  const b0data = (JSON.parse(b0.text) as Row).data as Row;
  check('ccxt binance parseWsTrade', ccxtBinanceTrade(cx.binance, b0.text), 'BTC/USDT', Number(b0data.p));
  const g0 = geminiTrades[0] as RawFrame;
  const g0data = JSON.parse(g0.text) as Row;
  const gemSymbol = cx.gemini.safeMarket(String(g0data.symbol).toLowerCase()).symbol;
  check('ccxt gemini parseWsTrade', ccxtGeminiTrade(cx.gemini, g0.text), gemSymbol, Number(g0data.price));

  const cases: ParseCase[] = [];
  const each = (frames: readonly RawFrame[], f: (x: RawFrame) => unknown) => () => {
    for (const x of frames) sink = f(x);
  };
  log(`bench stream: parse, Binance ${binanceTrades.length} trade frames`);
  cases.push(measure('binance', 'trade frames (hftbacktest BTCUSDT + ETHUSDT)', binanceTrades.length, rounds,
    each(binanceTrades, (f) => bareBinance(f.text, f.receivedAt)),
    each(binanceTrades, (f) => mapBinanceFrame(f.text, f.receivedAt)),
    each(binanceTrades, (f) => ccxtBinanceTrade(cx.binance, f.text))));
  log(`bench stream: parse, Binance ${binance.length} frames`);
  cases.push(measure('binance', 'all frames: depth@100ms, bookTicker, trade', binance.length, rounds,
    each(binance, (f) => bareBinance(f.text, f.receivedAt)),
    each(binance, (f) => mapBinanceFrame(f.text, f.receivedAt)),
    null));
  // The Gemini capture is small (26 trades, 655 l2 frames): repeated to make a measurable round.
  const gt = repeat(geminiTrades, 2000);
  log(`bench stream: parse, Gemini ${gt.length} trade frames`);
  cases.push(measure('gemini', `trade frames (cryptofeed, ${geminiTrades.length} × 2000)`, gt.length, rounds,
    each(gt, (f) => bareGemini(f.text, f.receivedAt)),
    () => {
      const p = new GeminiFeedPolicy();
      for (const f of gt) sink = p.onFrame(f);
    },
    each(gt, (f) => ccxtGeminiTrade(cx.gemini, f.text))));
  const g20 = repeat(gemini, 20);
  log(`bench stream: parse, Gemini ${g20.length} frames`);
  cases.push(measure('gemini', `all frames: l2_updates, trade (cryptofeed, ${gemini.length} × 20)`, g20.length, rounds,
    each(g20, (f) => bareGemini(f.text, f.receivedAt)),
    () => {
      // A fresh policy per pass, so the first l2_updates of each symbol is the whole book every time.
      let p = new GeminiFeedPolicy();
      for (let i = 0; i < g20.length; i++) {
        if (i % gemini.length === 0) p = new GeminiFeedPolicy();
        sink = p.onFrame(g20[i] as RawFrame);
      }
    },
    null));
  void sink;
  await Promise.all([cx.binance.close(), cx.gemini.close()]);
  return cases;
}
