/**
 * `tickerflow demo` keeps going: the 10 recorded coins at 1h from 2023-01-01, then hours closing on
 * the fast replay clock, each printed as it is stored (its BTCUSDT close is the recorded one), until
 * SIGINT, which exits 0. In between, in Chromium, the demo user builds an RSI alert on the
 * dashboard, previews and saves it, and sees it fire as the replay clock advances: in the history
 * view and in the local Telegram endpoint's recorded messages. And the real 2023-03-24 trading halt on its way: stored as the exchange
 * sent it, the missing 13:00 recorded as an exchange outage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../src/core/config.js';
import { parseTime } from '../src/core/time.js';
import { runBackfillJob } from '../src/pipeline/backfill-job.js';
import { createReplaySources } from '../src/pipeline/create-sources.js';
import { runGapsJob } from '../src/pipeline/gaps-job.js';
import { startReplayServer } from '../src/replay/index.js';
import { ChunkCompleteness } from '../src/store/chunk-completeness.js';
import { openStore } from '../src/store/open-store.js';
import { silentLogger } from './support/pipeline-harness.js';
import { launchChromium } from './support/dashboard/browser.js';
import { runCli } from './support/run-cli.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const HOUR = 3_600_000;
const COINS = ['ADAUSDT', 'AVAXUSDT', 'BNBUSDT', 'BTCUSDT', 'DOGEUSDT', 'DOTUSDT', 'ETHUSDT', 'LINKUSDT', 'SOLUSDT', 'XRPUSDT'];
/** The demo's streamed markets, sorted (src/cli/commands/demo.ts DEMO_MARKETS). */
const MARKETS = ['binance:BTCUSDT', 'binance:ETHUSDT', 'bitvavo:BTC-EUR', 'btcturk:ETHUSDT', 'gemini:BTCGBP', 'gemini:ETHEUR'];

/** Recorded BTCUSDT 1h closes of March 2023 by open time (the fixture the replay serves). */
function recordedCloses(): Map<number, number> {
  const rows = JSON.parse(readFileSync(new URL('../fixtures/binance-rest/klines/BTCUSDT/1h/2023-03-01.json', import.meta.url), 'utf8')) as [number, string, string, string, string][];
  return new Map(rows.map((r) => [r[0], Number(r[4])]));
}

test('demo - serves: history from 2023-01-01 at 1h, hours closing on the replay clock with their recorded close, the API with the printed login, the sample alert in Telegram; SIGINT exits 0', { timeout: 300_000 }, async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tf-demo-serve-'));
  let child: ReturnType<typeof spawn> | undefined;
  try {
    const demo = spawn(process.execPath, ['--import', TSX, MAIN, 'demo', '--port', '0'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child = demo;
    let stdout = '';
    let stderr = '';
    demo.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => demo.on('exit', (code) => resolve(code)));
    const hourLines = (): RegExpMatchArray[] => [...stdout.matchAll(/^(\S+) hour closed: (\d+) bars stored, BTCUSDT close (\S+)$/gm)];
    await new Promise<void>((resolve, reject) => {
      demo.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (/^ {2}telegram → chat /m.test(stdout)) resolve();
      });
      void exited.then((code) => reject(new Error(`demo exited (${code}) before the sample alert reached Telegram:\n${stdout}\n${stderr}`)));
    });
    const url = /^dashboard and API: (http:\/\/127\.0\.0\.1:\d+) /m.exec(stdout)?.[1];
    const [, name, password] = /^login: (\S+) \/ (\S+) /m.exec(stdout) ?? [];
    const replayUrl = /^tickerflow demo: replay server (http:\/\/127\.0\.0\.1:\d+)/m.exec(stdout)?.[1];
    assert.ok(url && name && password && replayUrl, stdout);
    // The dashboard (web/dist, built by npm ci's prepare step) at the printed URL.
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /<html/i);
    const health = await fetch(`${url}/api/v1/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { ok: boolean }).ok, true);
    const badLogin = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password: `${password}x` }) });
    assert.equal(badLogin.status, 401);
    const login = await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
    assert.equal(login.status, 200);
    const { token } = (await login.json()) as { token: string };
    const me = (await (await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { name: string };
    assert.equal(me.name, 'demo');
    // The local Telegram endpoint recorded the sample alert's first firing: the 06:00 bar, its close and EMA 20.
    const sent = ((await (await fetch(`${replayUrl}/_telegram/messages`)).json()) as { result: Array<{ chat_id: number; plain: string }> }).result;
    assert.equal(sent[0]?.chat_id, 700000001);
    assert.match(sent[0]?.plain ?? '', /BTCUSDT 1h bar 2023-03-20T06:00Z close 27628\.5 \(close 27628\.5, ema:20 27592\.56/);
    assert.match(stdout, /^ {2}alert fired: rule 1 BTCUSDT 1h bar 2023-03-20T06:00Z$/m);

    // The printed `gaps --list -i 1h` reads the running demo's 1h ledger through its API: the
    // hours stored since 2023-01-01 (at 1m it would list none of these 1h series).
    const gapsArgs = /^ {2}tickerflow (--db \S+ gaps --list -i 1h --since \S+)/m.exec(stdout)?.[1]?.split(' ');
    assert.ok(gapsArgs, stdout);
    // An hour that has just closed on the replay clock counts as expected a moment before the
    // demo's sync has stored it (a loaded run printed 1879 stored of 1880): asked again, it is.
    let gapList = runCli([...gapsArgs, 'BTCUSDT'], { cwd });
    let btc: RegExpExecArray | null = null;
    for (let attempt = 1; ; attempt++) {
      assert.equal(gapList.code, 0, gapList.stderr);
      btc = /^BTCUSDT +2023-01-01 00:00 +2023-01-01 00:00 +\S+ \S+ +(\d+) +(\d+) +([\d.]+) %/m.exec(gapList.stdout);
      assert.ok(btc, gapList.stdout);
      if (btc[1] === btc[2] || attempt === 5) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      gapList = runCli([...gapsArgs, 'BTCUSDT'], { cwd });
    }
    // At least 2023-01-01 00:00 … 2023-03-20 06:00 (the sample alert's bar): 78 days and 7 hours, every one stored.
    assert.ok(Number(btc[1]) >= 78 * 24 + 7 && btc[1] === btc[2] && btc[3] === '100.0', gapList.stdout);

    // In the browser: an RSI alert built, previewed and saved on the dashboard fires on a later
    // close of the running replay clock, into the history view and the local Telegram endpoint.
    const browser = await launchChromium();
    try {
      const ui = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      ui.setDefaultTimeout(120_000);
      await ui.goto(`${url}/#/login`);
      await ui.fill('input[name=name]', name!);
      await ui.fill('input[name=password]', password!);
      await ui.click('button[type=submit]');
      await ui.waitForSelector('table.universe tbody tr');
      await ui.goto(`${url}/#/alerts?symbol=ETHUSDT&interval=1h`);
      await ui.waitForSelector('#chart canvas');
      await ui.fill('input[name=name]', 'ETH RSI above 1');
      await ui.fill('input[name=expression]', 'rsi:14 > 1');
      await ui.fill('input[name=channels]', 'telegram:700000001');
      await ui.click('button[name=preview]');
      await ui.waitForSelector('.summary h2');
      assert.match((await ui.textContent('.summary h2')) ?? '', /^Preview: \d+ firings?$/);
      await ui.click('form.builder button[type=submit]');
      await ui.waitForSelector('[role=status]');
      const rules = ((await (await fetch(`${url}/api/v1/alerts`, { headers: { authorization: `Bearer ${token}` } })).json()) as { alerts: Array<{ id: number; expression: string }> }).alerts;
      const rule = rules.find((r) => r.expression === 'rsi:14 > 1');
      assert.ok(rule, JSON.stringify(rules));
      await ui.click('nav a[href="#/history"]');
      const row = ui.locator('tr[data-firing] td.message', { hasText: /^ETH RSI above 1: ETHUSDT 1h bar \S+ close / }).first();
      await row.waitFor();
      const shown = (await row.textContent()) ?? '';
      const bar = /^ETH RSI above 1: ETHUSDT 1h bar (\S+) close \S+ \(rsi:14 [\d.]+\)/.exec(shown)?.[1];
      assert.ok(bar && parseTime(bar.replace('Z', ':00Z')) > parseTime('2023-03-20T06:00:00Z'), `fired on a later close than the sample alert: ${shown}`);
      let inTelegram: string | undefined;
      for (let i = 0; i < 120 && !inTelegram; i++) {
        const all = ((await (await fetch(`${replayUrl}/_telegram/messages`)).json()) as { result: Array<{ chat_id: number; plain: string }> }).result;
        inTelegram = all.find((m) => m.chat_id === 700000001 && m.plain.includes(`ETHUSDT 1h bar ${bar}`) && m.plain.includes('ETH RSI above 1'))?.plain;
        if (!inTelegram) await new Promise((r) => setTimeout(r, 500));
      }
      assert.ok(inTelegram, `the dashboard's alert reached the local Telegram endpoint (bar ${bar})`);

      // The Live view: the demo's six streamed markets synced, BTCUSDT's and Bitvavo BTC-EUR's 1m stream bars and liquidity windows drawn.
      await ui.click('nav a[href="#/live"]');
      await ui.waitForFunction(() => document.querySelectorAll('table.live tr[data-synced=true]').length === 6);
      assert.deepEqual((await ui.$$eval('table.live tbody tr', (rows) => rows.map((r) => r.getAttribute('data-market')))).sort(), MARKETS);
      for (const market of ['binance:BTCUSDT', 'bitvavo:BTC-EUR']) {
        await ui.click(`table.live a[href="#/live/${encodeURIComponent(market)}"]`);
        await ui.waitForSelector(`h2:has-text("${market}")`);
        // Bitvavo's first bar closes at the first whole minute of the capture's clock, up to 46 s after the stream starts.
        await ui.waitForFunction(() => Number(document.getElementById('live-chart')?.dataset.bars) > 0 && Number(document.getElementById('live-chart')?.dataset.windows) > 0, undefined, { timeout: 90_000 });
      }
    } finally {
      await browser.close();
    }
    // The live streams beside the history: their status file shows every book synced, none with a gap.
    assert.match(stdout, /^live streams: binance:BTCUSDT, binance:ETHUSDT, gemini:BTCGBP, gemini:ETHEUR, bitvavo:BTC-EUR, btcturk:ETHUSDT from the recorded websockets/m);
    const status = JSON.parse(readFileSync(join(cwd, 'tickerflow-data', 'demo-lake.status.json'), 'utf8')) as { running: boolean; events: number; exchanges: Array<{ exchange: string; books: Array<{ symbol: string; synced: boolean; gaps: number }> }> };
    assert.equal(status.running, true);
    assert.ok(status.events > 0);
    assert.deepEqual(status.exchanges.flatMap((x) => x.books.filter((b) => MARKETS.includes(`${x.exchange}:${b.symbol}`)).map((b) => [x.exchange, b.symbol, b.synced, b.gaps])).sort(), [
      ['binance', 'BTCUSDT', true, 0], ['binance', 'ETHUSDT', true, 0], ['bitvavo', 'BTC-EUR', true, 0], ['btcturk', 'ETHUSDT', true, 0], ['gemini', 'BTCGBP', true, 0], ['gemini', 'ETHEUR', true, 0],
    ]);
    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    assert.match(stdout, /^live streams: [1-9]\d* events, \d+ bars, \d+ liquidity windows, \d+ lake files$/m);
    assert.match(stdout, /^tickerflow demo: replay server http:\/\/127\.0\.0\.1:\d+, simulated now 2023-03-20T00:00:30/m);
    assert.match(stdout, /summary: 10 symbols with candles, 18720 candles stored, 18720 added by this run/, '78 days × 24 h × 10 coins');
    assert.match(stdout, /replay clock: 2023-03-20T00:0\dZ UTC at 1200x, an hour closes every 3\.0 s/);
    assert.match(stdout, /tickerflow demo: stopped\n$/);

    const closes = recordedCloses();
    const lines = hourLines();
    let prev = parseTime('2023-03-19T23:00:00Z');
    for (const [, at, , close] of lines) {
      const open = parseTime(at as string);
      assert.ok(open > prev, `${at} follows ${new Date(prev).toISOString()}`);
      assert.equal(Number(close), closes.get(open), `BTCUSDT close of ${at}`);
      prev = open;
    }

    const store = await openStore(join(cwd, 'tickerflow-data', 'demo-live.duckdb'));
    try {
      for (const symbol of COINS) {
        const s = await store.seriesStats({ exchange: 'binance', symbol, interval: '1h' });
        assert.equal(s?.first, parseTime('2023-01-01'), symbol);
        assert.ok((s?.last ?? 0) >= parseTime('2023-03-20T00:00:00Z'), `${symbol}: hours after the demo's start were stored`);
        assert.equal(s?.count, ((s?.last ?? 0) - parseTime('2023-01-01')) / HOUR + 1, `${symbol}: no hour missing`);
      }
      // Its only minutes are the live stream's bars (the recorded capture's August 2024), none from history.
      const minutes = await store.countBySource({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, 0, Number.MAX_SAFE_INTEGER);
      assert.deepEqual([minutes.archive, minutes.rest], [0, 0], 'the serving demo loads no history minutes');
      const user = await store.getUserByName('demo');
      const firings = (await store.listFirings(user?.id ?? -1, { limit: 100 })).filter((f) => f.symbol === 'BTCUSDT');
      // close crosses_above ema:20 on the recorded closes: 06:00, 14:00, 18:00 and 20:00 of 2023-03-20,
      // then 01:00, 04:00 and 09:00 of 03-21, 05:00 and 14:00 of 03-23 (EMA seeded by the SMA of
      // 2023-01-01's first 20 closes, computed apart from tickerflow on the fixture's closes).
      const crossings = ['20T06', '20T14', '20T18', '20T20', '21T01', '21T04', '21T09', '23T05', '23T14'].map((h) => parseTime(`2023-03-${h}:00:00Z`));
      const bars = firings.map((f) => f.barOpenTime).sort((a, b) => a - b);
      assert.deepEqual(bars, crossings.slice(0, bars.length));
      assert.ok(bars.length >= 1);
    } finally {
      await store.close();
    }
  } finally {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('demo data - the real 2023-03-24 halt at 1h: its early-closed candle is stored as sent, the missing 13:00 is an exchange outage', async () => {
  const replay = await startReplayServer({ now: '2023-03-25T00:00:30Z', speed: 0, publicationLagMs: 0 });
  const store = await openStore(':memory:');
  try {
    const sources = createReplaySources(configSchema.parse({}), replay);
    const since = parseTime('2023-03-23');
    const key = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1h' as const };
    const backfill = await runBackfillJob(store, sources, silentLogger, { symbols: ['BTCUSDT'], interval: '1h', since });
    assert.deepEqual(backfill.results[0], { symbol: 'BTCUSDT', archiveFiles: 0, archiveRows: 0, restRows: 47, rejectedFiles: [] });
    const halt = parseTime('2023-03-24T12:00:00Z');
    const c = await store.readCandles(key, halt, halt + 1);
    assert.equal(c.closeTime[0], 1679661581646, 'closed at the halt, 12:39:41.646, as Binance sent it');
    assert.equal(c.trades[0], 0);

    // The 4h bars built from the 1h series: the one holding the halt is short an hour, so it is
    // complete only once the gap ledger records that hour as an exchange outage.
    const fourHourFlags = async (): Promise<Array<[string, number]>> => {
      const completeness = await ChunkCompleteness.load(store, 'binance', 'BTCUSDT', '4h', replay.clock.now());
      const out: Array<[string, number]> = [];
      for await (const chunk of store.streamCandles('binance', 'BTCUSDT', '4h', since, parseTime('2023-03-25'))) {
        assert.equal(chunk.source, '1h');
        const flags = await completeness.flags(chunk);
        for (let i = 0; i < chunk.candles.length; i++) out.push([new Date(chunk.candles.openTime[i] as number).toISOString(), flags[i] as number]);
      }
      return out;
    };
    const haltBar = '2023-03-24T12:00:00.000Z';
    const before = await fourHourFlags();
    assert.equal(before.length, 12);
    assert.deepEqual(before.filter(([, f]) => f === 0).map(([t]) => t), [haltBar], 'before the gaps job');

    const gaps = await runGapsJob(store, sources, silentLogger, { symbols: ['BTCUSDT'], interval: '1h', since, repair: true });
    assert.equal(gaps.byKind.exchange_outage, 1);
    assert.equal(gaps.missingCandles, 1);
    const ledger = (await store.listGaps({ exchange: 'binance', symbol: 'BTCUSDT' })).filter((g) => g.interval === '1h');
    assert.deepEqual(ledger.map((g) => [g.from, g.to, g.kind, g.status]), [[halt + HOUR, halt + HOUR, 'exchange_outage', 'unrepairable']]);
    assert.deepEqual((await fourHourFlags()).filter(([, f]) => f === 0), [], 'the halt recorded as an exchange outage: every 4h bar complete');
  } finally {
    await store.close();
    await replay.close();
  }
});
