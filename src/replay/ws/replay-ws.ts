/**
 * The replay server's websocket side: which captures it serves (loaded on first use, so a server
 * that never sees a websocket client pays nothing), the open connections and the ticker that
 * moves them along the simulated clock, injected faults, and the log that marks every frame that
 * is not the recording byte for byte (loop-shifted, loop reset, whole book on subscribe, REST
 * depth derived from diffs, malformed on purpose) — derived data is flagged here, never inside
 * the exchange's JSON.
 */
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import type { SimClock } from '../sim-clock.js';
import { readCryptofeedBinance, readCryptofeedJsonl, readCryptofeedRest, readFrameLines, readHftbacktest, type RecordedMessage, type RecordedSnapshot } from './capture-readers.js';
import { BinanceCapture, streamSymbol } from './binance-capture.js';
import { BinanceTradeTape } from './binance-trade-tape.js';
import { GeminiCapture } from './gemini-capture.js';
import { BitvavoCapture } from './bitvavo-capture.js';
import { BtcturkCapture } from './btcturk-capture.js';
import { BinanceSession } from './binance-session.js';
import { GeminiSession } from './gemini-session.js';
import { BitvavoSession } from './bitvavo-session.js';
import { BtcturkSession } from './btcturk-session.js';
import type { DerivedKind, OutFrame } from './looped-capture.js';
import type { AppliedWsFault, WsFault } from './ws-faults.js';
import type { DropReason, ReplayWsExchange, SessionHost, WsSessionOptions } from './session-host.js';

export const HFTBACKTEST_FILES = ['btcusdt_20240808.gz', 'btcusdt_20240809.gz', 'ethusdt_20240808.gz', 'ethusdt_20240809.gz'];
export const CRYPTOFEED_BINANCE = 'cryptofeed_BINANCE.ws.1.0_spot_streams_2021-10-12.jsonl';
export const CRYPTOFEED_GEMINI = 'cryptofeed_GEMINI.ws.1.0_v2_marketdata_2021-06-24.jsonl';
export const GEMINI_SYMBOLS = 'cryptofeed_GEMINI.0_symbols_details_2021-06-24.capture.txt';
export const BITVAVO_FRAMES = 'bitvavo_ws_v2_server_frames_2026-09-23.jsonl';
export const BITVAVO_DOCS_EXAMPLES = 'docs-examples/bitvavo_docs_examples.jsonl';
export const BTCTURK_FRAMES = 'btcturk_ws_server_frames_2026-09-23.jsonl';

export interface ReplayWsOptions extends Partial<WsSessionOptions> {
  /** Real ms between ticks that send due frames; default 20. */
  tickMs?: number;
  /** Load the captures before the server listens instead of on first use (the CLI does). */
  preload?: boolean;
  /** Called for every frame sent, with whether (and why) it is derived. */
  onFrame?: (exchange: ReplayWsExchange, frame: OutFrame) => void;
}

export interface DerivedLogEntry {
  exchange: ReplayWsExchange;
  kind: DerivedKind | 'rest-depth';
  stream: string;
  loop: number;
  /** Simulated time it was sent. */
  at: number;
}

export interface ReplayWsStats {
  connections: Record<ReplayWsExchange, number>;
  opened: number;
  framesSent: number;
  derivedFramesSent: number;
  dropped: Record<DropReason, number>;
  faults: AppliedWsFault[];
  /** The last 1,000 derived frames sent. */
  derived: DerivedLogEntry[];
}

const LOG_SIZE = 1000;

export class ReplayWs implements SessionHost {
  readonly options: WsSessionOptions;
  private binanceCaptures: BinanceCapture[] | undefined;
  private binanceTapes: BinanceTradeTape[] | undefined;
  private geminiCapture: GeminiCapture | undefined;
  private geminiRest: Map<string, string> | undefined;
  private bitvavoCapture: BitvavoCapture | undefined;
  private btcturkCapture: BtcturkCapture | undefined;
  private readonly binance = new Set<BinanceSession>();
  private readonly gemini = new Set<GeminiSession>();
  private readonly bitvavo = new Set<BitvavoSession>();
  private readonly btcturk = new Set<BtcturkSession>();
  private ticker: NodeJS.Timeout | undefined;
  private readonly counters = { opened: 0, framesSent: 0, derivedFramesSent: 0 };
  private readonly drops: Record<DropReason, number> = { 'no-pong': 0, 'rate-limit': 0, fault: 0, lifetime: 0 };
  private readonly applied: AppliedWsFault[] = [];
  private readonly log: DerivedLogEntry[] = [];

  constructor(
    readonly clock: SimClock,
    readonly anchorSim: number,
    private readonly wsDir: string,
    private readonly opts: ReplayWsOptions = {},
  ) {
    this.options = { pingIntervalMs: opts.pingIntervalMs ?? 20_000, pongTimeoutMs: opts.pongTimeoutMs ?? 60_000, maxInboundPerSecond: opts.maxInboundPerSecond ?? 5 };
  }

  /** The recorded Binance captures: hftbacktest BTCUSDT/ETHUSDT (with REST snapshots), cryptofeed's 4 symbols. */
  binanceData(): BinanceCapture[] {
    if (!this.binanceCaptures) {
      const messages: RecordedMessage[] = [];
      const snapshots = new Map<string, RecordedSnapshot>();
      for (const f of HFTBACKTEST_FILES) {
        const { messages: m, snapshots: s } = readHftbacktest(join(this.wsDir, 'hftbacktest', 'spot', f));
        messages.push(...m);
        // The bare snapshot line has no symbol: it is the one the file's streams are for.
        const symbol = m[0] ? streamSymbol(m[0].stream) : '';
        for (const snap of s) snapshots.set(symbol, snap);
      }
      // Stable sort: each file is in arrival order; files of one symbol follow each other.
      messages.sort((a, b) => a.at - b.at);
      this.binanceCaptures = [
        new BinanceCapture(messages, snapshots, 'hftbacktest spot'),
        new BinanceCapture(readCryptofeedBinance(join(this.wsDir, CRYPTOFEED_BINANCE)), new Map(), CRYPTOFEED_BINANCE),
      ];
    }
    return this.binanceCaptures;
  }

  geminiData(): GeminiCapture {
    this.geminiCapture ??= new GeminiCapture(readCryptofeedJsonl(join(this.wsDir, CRYPTOFEED_GEMINI)), CRYPTOFEED_GEMINI);
    return this.geminiCapture;
  }

  /** The recorded Bitvavo frames and the documentation's trade example, as a looped capture. */
  bitvavoData(): BitvavoCapture {
    this.bitvavoCapture ??= new BitvavoCapture(readFrameLines(join(this.wsDir, BITVAVO_FRAMES)), readFrameLines(join(this.wsDir, BITVAVO_DOCS_EXAMPLES)), BITVAVO_FRAMES);
    return this.bitvavoCapture;
  }

  /** The recorded BTCTurk frames as a looped capture. */
  btcturkData(): BtcturkCapture {
    this.btcturkCapture ??= new BtcturkCapture(readFrameLines(join(this.wsDir, BTCTURK_FRAMES)), BTCTURK_FRAMES);
    return this.btcturkCapture;
  }

  /** Bitvavo `GET /v2/{market}/book` body now, or undefined for a market the capture has no book of. */
  bitvavoBook(market: string, depth?: number): string | undefined {
    const cap = this.bitvavoData();
    const b = cap.bookAt(market, cap.startAt + (this.clock.now() - this.anchorSim), depth);
    if (b?.derived) this.remember({ exchange: 'bitvavo', kind: 'rest-depth', stream: `${market} /v2/${market}/book`, loop: b.loop, at: this.clock.now() });
    return b?.body;
  }

  /** BTCTurk `GET /api/v2/orderbook` body now (always derived: no REST book was recorded), or undefined for an unknown pair. */
  btcturkOrderbook(pair: string, limit: number): string | undefined {
    const cap = this.btcturkData();
    const body = cap.orderbookAt(pair, cap.startAt + (this.clock.now() - this.anchorSim), limit, this.clock.now());
    if (body !== undefined) this.remember({ exchange: 'btcturk', kind: 'rest-depth', stream: `${pair} /api/v2/orderbook`, loop: 0, at: this.clock.now() });
    return body;
  }

  /** Recorded Gemini REST bodies by path (`/v1/symbols`, `/v1/symbols/details/btcusd`). */
  geminiRestBody(path: string): string | undefined {
    if (!this.geminiRest) {
      this.geminiRest = new Map();
      for (const [url, body] of readCryptofeedRest(join(this.wsDir, GEMINI_SYMBOLS))) this.geminiRest.set(new URL(url).pathname, body);
    }
    return this.geminiRest.get(path);
  }

  /** `GET /api/v3/depth` body for `symbol` now, or undefined when no snapshot of it was recorded. */
  depth(symbol: string, limit: number): string | undefined {
    for (const cap of this.binanceData()) {
      const d = cap.depthAt(symbol, cap.startAt + (this.clock.now() - this.anchorSim), limit);
      if (!d) continue;
      if (d.derived) this.remember({ exchange: 'binance', kind: 'rest-depth', stream: `${symbol} /api/v3/depth`, loop: d.loop, at: this.clock.now() });
      return d.body;
    }
    return undefined;
  }

  /**
   * `GET /api/v3/historicalTrades` body for `symbol` now (trades the stream has sent by the
   * replay clock), or undefined when no `trade` stream of it was recorded.
   */
  historicalTrades(symbol: string, limit: number, fromId: number | undefined): string | undefined {
    const captures = this.binanceData();
    this.binanceTapes ??= captures.map((cap) => new BinanceTradeTape(cap));
    for (const [i, tape] of this.binanceTapes.entries()) {
      const cap = captures[i] as BinanceCapture;
      const body = tape.historicalTrades(symbol, cap.startAt + (this.clock.now() - this.anchorSim), limit, fromId);
      if (body !== undefined) return body;
    }
    return undefined;
  }

  openBinance(socket: WebSocket, combined: boolean, streams: string[]): void {
    this.counters.opened++;
    const session = new BinanceSession(socket, this, () => this.binanceData(), { combined, streams });
    this.binance.add(session);
    this.startTicker();
  }

  openGemini(socket: WebSocket): void {
    this.counters.opened++;
    this.gemini.add(new GeminiSession(socket, this, () => this.geminiData()));
    this.startTicker();
  }

  openBitvavo(socket: WebSocket): void {
    this.counters.opened++;
    this.bitvavo.add(new BitvavoSession(socket, this, () => this.bitvavoData()));
    this.startTicker();
  }

  openBtcturk(socket: WebSocket): void {
    this.counters.opened++;
    this.btcturk.add(new BtcturkSession(socket, this, () => this.btcturkData()));
    this.startTicker();
  }

  private sessions(): Record<ReplayWsExchange, Set<{ pump(): void; inject(f: WsFault): void }>> {
    return { binance: this.binance, gemini: this.gemini, bitvavo: this.bitvavo, btcturk: this.btcturk };
  }

  private startTicker(): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => this.tick(), this.opts.tickMs ?? 20);
    this.ticker.unref();
  }

  private tick(): void {
    const all = Object.values(this.sessions());
    for (const set of all) for (const s of set) s.pump();
    if (all.every((set) => set.size === 0)) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /** Applies a fault to every open connection of its exchange. */
  inject(f: WsFault): AppliedWsFault {
    const sessions = [...this.sessions()[f.exchange]];
    for (const s of sessions) s.inject(f);
    const applied = { ...f, connections: sessions.length, at: this.clock.now() };
    this.applied.push(applied);
    return applied;
  }

  sent(exchange: ReplayWsExchange, frame: OutFrame): void {
    this.counters.framesSent++;
    if (frame.derived) {
      this.counters.derivedFramesSent++;
      this.remember({ exchange, kind: frame.derived, stream: frame.stream, loop: frame.loop, at: this.clock.now() });
    }
    this.opts.onFrame?.(exchange, frame);
  }

  private remember(e: DerivedLogEntry): void {
    this.log.push(e);
    if (this.log.length > LOG_SIZE) this.log.splice(0, this.log.length - LOG_SIZE);
  }

  dropped(_exchange: ReplayWsExchange, reason: DropReason): void {
    this.drops[reason]++;
  }

  closed(session: object): void {
    if (session instanceof BinanceSession) this.binance.delete(session);
    if (session instanceof GeminiSession) this.gemini.delete(session);
    if (session instanceof BitvavoSession) this.bitvavo.delete(session);
    if (session instanceof BtcturkSession) this.btcturk.delete(session);
  }

  stats(): ReplayWsStats {
    return {
      connections: { binance: this.binance.size, gemini: this.gemini.size, bitvavo: this.bitvavo.size, btcturk: this.btcturk.size },
      ...this.counters,
      dropped: { ...this.drops },
      faults: [...this.applied],
      derived: [...this.log],
    };
  }

  close(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }
}
