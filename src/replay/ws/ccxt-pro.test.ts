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

test('ccxt pro binance - watchOrderBook rides over the loop seam without a resync; the book equals the recorded one one loop earlier', async () => {
  // The recorded snapshots' arrival (both 0808 files): loops replay from the later one on.
  const snapshotAt = Math.max(
    ...['btcusdt_20240808.gz', 'ethusdt_20240808.gz'].map((f) => {
      const line = gunzipSync(readFileSync(new URL(`hftbacktest/spot/${f}`, WS))).toString('utf8').split('\n').find((l) => l.includes(' {"lastUpdateId"')) ?? '';
      return Number(BigInt(line.slice(0, line.indexOf(' '))) / 1_000_000n);
    }),
  );
  const lines = ['btcusdt_20240808.gz', 'btcusdt_20240809.gz'].flatMap((f) => gunzipSync(readFileSync(new URL(`hftbacktest/spot/${f}`, WS))).toString('utf8').split('\n'));
  const depth = lines.filter((l) => l.includes('"stream":"btcusdt@depth@100ms"')).map((l) => ({ at: Number(BigInt(l.slice(0, l.indexOf(' '))) / 1_000_000n), ...(JSON.parse(l.slice(l.indexOf(' ') + 1)) as { data: { U: number; u: number } }).data }));
  const firstLooped = depth.find((d) => d.at >= snapshotAt);
  const lastU = depth[depth.length - 1]?.u ?? 0;
  assert.equal(lastU, 50_093_696_318);
  // One loop of update ids: the recording's, plus one for the seam frame.
  const span = lastU - (firstLooped?.U ?? 0) + 2;

  // Recordings are due from the server's start time `now`.
  const start = Date.UTC(2026, 0, 1);
  const seamServer = await startReplayServer({ now: start, speed: 2 });
  const ex = new ccxt.pro.binance({ options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false } });
  ex.urls.api = { ...ex.urls.api, public: `${seamServer.urls.binance}/api/v3`, ws: { spot: seamServer.urls.binanceWs } };
  await ex.loadHttpProxyAgent();
  try {
    await ex.loadMarkets();
    seamServer.ws?.binanceData(); // load the captures now, not on the simulated clock's time
    // About 8 recorded seconds before the end of the recording.
    const recordingLength = (depth[depth.length - 1]?.at ?? 0) - (btcFirstAt() ?? 0);
    seamServer.clock.setNow(start + recordingLength - 8_000);
    let book = await ex.watchOrderBook('BTC/USDT');
    const requestsAfterSync = seamServer.stats().binance.requests;
    assert.ok((book.nonce ?? 0) < lastU, 'synced in the recorded loop');
    while ((book.nonce ?? 0) <= lastU + 50) book = await ex.watchOrderBook('BTC/USDT');
    assert.equal(seamServer.stats().binance.requests, requestsAfterSync, 'no new REST snapshot: no gap seen at the seam');
    const nonce = (book.nonce ?? 0) - span;
    let ticker: Recorded['data'] | undefined;
    for (const r of btc) if (r.stream === 'btcusdt@bookTicker' && (r.data.u ?? 0) <= nonce && (ticker === undefined || (r.data.u ?? 0) > (ticker.u ?? 0))) ticker = r.data;
    assert.equal(book.bids[0]?.[0], Number(ticker?.b), `best bid at looped update id ${book.nonce}`);
    assert.equal(book.asks[0]?.[0], Number(ticker?.a), `best ask at looped update id ${book.nonce}`);
  } finally {
    await ex.close();
    await seamServer.close();
  }
});

/** Receive time of the first message of the hftbacktest recording (BTCUSDT's file starts first). */
function btcFirstAt(): number | undefined {
  const first = gunzipSync(readFileSync(new URL('hftbacktest/spot/btcusdt_20240808.gz', WS))).toString('utf8').split('\n', 1)[0] ?? '';
  return Number(BigInt(first.slice(0, first.indexOf(' '))) / 1_000_000n);
}

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
