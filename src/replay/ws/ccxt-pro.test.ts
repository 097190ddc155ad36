import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import ccxt from 'ccxt';
import { startReplayServer } from '../replay-server.js';

/**
 * Faithfulness: ccxt's own pro clients, changed only in their URLs, run against the replay and
 * see the recorded values. Expected values are read here straight from the recordings
 * (fixtures/ws/, SOURCES.md §12.1 and §2), not through the replay's code.
 */
const WS = new URL('../../../fixtures/ws/', import.meta.url);

interface Recorded {
  stream: string;
  data: { t?: number; p?: string; q?: string; T?: number; u?: number; b?: string; a?: string };
}

function hftbacktest(file: string): Recorded[] {
  const out: Recorded[] = [];
  for (const line of gunzipSync(readFileSync(new URL(`hftbacktest/spot/${file}`, WS))).toString('utf8').split('\n')) {
    const json = line.slice(line.indexOf(' ') + 1);
    if (json.startsWith('{"stream"')) out.push(JSON.parse(json) as Recorded);
  }
  return out;
}

const btc = [...hftbacktest('btcusdt_20240808.gz'), ...hftbacktest('btcusdt_20240809.gz')];
const server = await startReplayServer({ speed: 1 });
after(() => server.close());

// ccxt refuses plain ws:// URLs until its http agent is loaded (its own rule for non-TLS URLs).
async function binanceClient(): Promise<InstanceType<typeof ccxt.pro.binance>> {
  const ex = new ccxt.pro.binance({ options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false } });
  ex.urls.api = { ...ex.urls.api, public: `${server.urls.binance}/api/v3`, ws: { spot: server.urls.binanceWs } };
  await ex.loadHttpProxyAgent();
  return ex;
}

test('ccxt pro binance - watchTrades gets the recorded BTCUSDT trades: id, price, amount and time as captured', async () => {
  const ex = await binanceClient();
  try {
    const trades = await ex.watchTrades('BTC/USDT');
    assert.ok(trades.length > 0);
    for (const trade of trades) {
      const rec = btc.find((r) => r.stream === 'btcusdt@trade' && String(r.data.t) === trade.id);
      assert.ok(rec, `trade ${trade.id} is in the recording`);
      assert.equal(trade.price, Number(rec.data.p));
      assert.equal(trade.amount, Number(rec.data.q));
      assert.equal(trade.timestamp, rec.data.T);
    }
  } finally {
    await ex.close();
  }
});

test('ccxt pro binance - watchOrderBook syncs from the REST snapshot and its best bid/ask equal the recorded bookTicker at that update id', async () => {
  const ex = await binanceClient();
  try {
    let book = await ex.watchOrderBook('BTC/USDT');
    // A few updates on, so the book has been through diffs after the snapshot.
    for (let i = 0; i < 5; i++) book = await ex.watchOrderBook('BTC/USDT');
    const nonce = book.nonce ?? 0;
    assert.ok(nonce > 50_093_239_218, `nonce ${nonce} is past the recorded snapshot`);
    let ticker: Recorded['data'] | undefined;
    for (const r of btc) if (r.stream === 'btcusdt@bookTicker' && (r.data.u ?? 0) <= nonce && (ticker === undefined || (r.data.u ?? 0) > (ticker.u ?? 0))) ticker = r.data;
    assert.ok(ticker);
    assert.equal(book.bids[0]?.[0], Number(ticker.b), `best bid at update id ${nonce}`);
    assert.equal(book.asks[0]?.[0], Number(ticker.a), `best ask at update id ${nonce}`);
  } finally {
    await ex.close();
  }
});

interface GeminiFrame {
  type: string;
  symbol?: string;
  changes?: [string, string, string][];
  price?: string;
  event_id?: number;
}

const gemini = readFileSync(new URL('cryptofeed_GEMINI.ws.1.0_v2_marketdata_2021-06-24.jsonl', WS), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('{"dir":"recv"'))
  .map((l) => (JSON.parse(l) as { data: GeminiFrame }).data);

// Its own server, so the 31 s recording starts when the Gemini tests do (loop 0, ids as recorded).
const geminiServer = await startReplayServer({ speed: 1 });
after(() => geminiServer.close());

async function geminiClient(): Promise<InstanceType<typeof ccxt.pro.gemini>> {
  // ccxt's default market loading: GET /v1/symbols, ids split by its quote list; fetchCurrencies
  // reads a docs web page, which the replay does not serve.
  const ex = new ccxt.pro.gemini({ options: { fetchCurrencies: { webApiEnable: false } } });
  ex.urls.api = { ...ex.urls.api, public: geminiServer.urls.gemini, ws: geminiServer.urls.geminiWs };
  await ex.loadHttpProxyAgent();
  return ex;
}

test('ccxt pro gemini - watchOrderBook gets the recorded BTCGBP book: best bid/ask of the recorded whole book and diffs', async () => {
  const ex = await geminiClient();
  try {
    const book = await ex.watchOrderBook('BTC/GBP');
    // The recording replayed from its start: everything recorded up to the frames ccxt has seen.
    const levels = { buy: new Map<number, number>(), sell: new Map<number, number>() };
    for (const f of gemini) {
      if (f.type !== 'l2_updates' || f.symbol !== 'BTCGBP') continue;
      for (const [side, p, q] of f.changes ?? []) {
        const m = side === 'buy' ? levels.buy : levels.sell;
        if (Number(q) === 0) m.delete(Number(p));
        else m.set(Number(p), Number(q));
      }
      if (levels.buy.size > 0 && Math.max(...levels.buy.keys()) === book.bids[0]?.[0] && Math.min(...levels.sell.keys()) === book.asks[0]?.[0]) break;
    }
    assert.equal(book.bids[0]?.[0], Math.max(...levels.buy.keys()));
    assert.equal(book.asks[0]?.[0], Math.min(...levels.sell.keys()));
    assert.equal(book.bids[0]?.[1], levels.buy.get(book.bids[0]?.[0] ?? 0));
    assert.ok((book.bids[0]?.[0] ?? 0) < (book.asks[0]?.[0] ?? 0));
  } finally {
    await ex.close();
  }
});

test('ccxt pro gemini - watchTrades gets recorded trades with their recorded price and event id', async () => {
  const ex = await geminiClient();
  try {
    const trades = await ex.watchTrades('BTC/GBP');
    assert.ok(trades.length > 0);
    for (const t of trades) {
      const rec = gemini.flatMap((f) => [f, ...((f as { trades?: GeminiFrame[] }).trades ?? [])]).find((f) => f.type === 'trade' && String(f.event_id) === t.id);
      assert.ok(rec, `trade ${t.id} is in the recording`);
      assert.equal(t.price, Number(rec.price));
    }
  } finally {
    await ex.close();
  }
});
