/**
 * One Binance spot market-stream connection: raw (`/ws/<stream>`, payloads as they are) or
 * combined (`/stream?streams=a/b`, `{"stream":…,"data":…}`), the live SUBSCRIBE / UNSUBSCRIBE /
 * LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY methods with their documented answers and
 * error messages, a server ping every 20 s answered by a pong copying its payload within 1 min,
 * at most 5 incoming messages (text, ping or pong frames) per second, and the 24 h connection
 * life — every rule as web-socket-streams.md states it. A request the table of error messages
 * does not cover (e.g. SUBSCRIBE with `params` that are not strings) is answered like
 * Binance's own parser would, with the nearest documented message.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
 */
import type { WebSocket } from 'ws';
import type { OutFrame } from './looped-capture.js';
import { LoopCursor } from './looped-capture.js';
import type { BinanceCapture } from './binance-capture.js';
import { SessionFaults, type WsFault } from './ws-faults.js';
import { rawText } from './looped-session.js';
import type { SessionHost } from './session-host.js';

const METHODS = ['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS', 'SET_PROPERTY', 'GET_PROPERTY'];
const CONNECTION_LIFE_MS = 24 * 3_600_000;

type Id = number | string | null;

function validId(v: unknown): v is Id {
  return v === null || (typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && /^[A-Za-z0-9]{1,36}$/.test(v));
}

/** 1-based line and column of the character at 0-based index `idx`, as serde_json reports them. */
function lineColumn(text: string, idx: number): { line: number; column: number } {
  const before = text.slice(0, idx);
  return { line: before.split('\n').length, column: idx - before.lastIndexOf('\n') };
}

export class BinanceSession {
  readonly subscriptions = new Set<string>();
  readonly faults = new SessionFaults();
  private combined: boolean;
  private cursors: LoopCursor[] | undefined;
  private readonly connectedAt: number;
  private readonly inbound: number[] = [];
  private pingTimer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private pingPayload: string | undefined;
  private pings = 0;
  closed = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly host: SessionHost,
    private readonly captures: () => BinanceCapture[],
    opts: { combined: boolean; streams: string[] },
  ) {
    this.combined = opts.combined;
    for (const s of opts.streams) this.subscriptions.add(s);
    this.connectedAt = host.clock.now();
    socket.on('message', (data, isBinary) => {
      if (!this.countInbound()) return;
      if (!isBinary) this.onText(rawText(data));
    });
    socket.on('ping', () => this.countInbound());
    socket.on('pong', (payload) => {
      if (!this.countInbound()) return;
      // An unsolicited pong (not copying the outstanding ping) does not count as an answer.
      if (this.pingPayload !== undefined && payload.toString('utf8') === this.pingPayload) {
        this.pingPayload = undefined;
        clearTimeout(this.pongTimer);
        this.pongTimer = undefined;
      }
    });
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
    this.pingTimer = setInterval(() => this.ping(), host.options.pingIntervalMs);
    this.pingTimer.unref();
  }

  private ping(): void {
    if (this.closed) return;
    this.pingPayload = String(++this.pings);
    this.socket.ping(this.pingPayload);
    if (this.pongTimer === undefined) {
      this.pongTimer = setTimeout(() => this.drop('no-pong'), this.host.options.pongTimeoutMs);
      this.pongTimer.unref();
    }
  }

  /** Counts one incoming message; over the limit the connection is closed and false returned. */
  private countInbound(): boolean {
    if (this.closed) return false;
    const now = performance.now();
    this.inbound.push(now);
    while ((this.inbound[0] as number) <= now - 1000) this.inbound.shift();
    if (this.inbound.length > this.host.options.maxInboundPerSecond) {
      this.drop('rate-limit');
      return false;
    }
    return true;
  }

  private drop(reason: 'no-pong' | 'rate-limit' | 'fault' | 'lifetime'): void {
    if (this.closed) return;
    this.host.dropped('binance', reason);
    // The documents say "disconnected" without a close code: the socket is simply closed.
    this.socket.terminate();
    this.dispose();
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.host.closed(this);
  }

  private reply(body: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(body));
  }

  private onText(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch (err) {
      const m = err instanceof SyntaxError ? /position (\d+)/.exec(err.message) : null;
      const { line, column } = lineColumn(text, m ? Number(m[1]) : Math.max(0, text.length - 1));
      this.reply({ code: 3, msg: `Invalid JSON: expected value at line ${line} column ${column}` });
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg) || !('method' in msg)) {
      const { line, column } = lineColumn(text, Math.max(0, text.length - 1));
      this.reply({ code: 2, msg: `Invalid request: missing field \`method\` at line ${line} column ${column}` });
      return;
    }
    const req = msg as Record<string, unknown>;
    const method = req.method;
    if (typeof method !== 'string' || !METHODS.includes(method)) {
      // serde stops at the variant's closing quote.
      const quoted = JSON.stringify(method) ?? '';
      const { line, column } = lineColumn(text, Math.max(0, text.indexOf(quoted) + quoted.length - 1));
      this.reply({ code: 2, msg: `Invalid request: unknown variant ${JSON.stringify(method)}, expected one of \`SUBSCRIBE\`, \`UNSUBSCRIBE\`, \`LIST_SUBSCRIPTIONS\`, \`SET_PROPERTY\`, \`GET_PROPERTY\` at line ${line} column ${column}` });
      return;
    }
    if (!validId(req.id)) {
      this.reply({ code: 2, msg: 'Invalid request: request ID must be an unsigned integer' });
      return;
    }
    const id = req.id;
    const params = Array.isArray(req.params) ? req.params : [];
    if (method === 'SUBSCRIBE' || method === 'UNSUBSCRIBE') {
      if (!params.every((p): p is string => typeof p === 'string')) {
        this.reply({ code: 2, msg: 'Invalid request: property name must be a string' });
        return;
      }
      this.pump();
      for (const p of params) {
        if (method === 'SUBSCRIBE') this.subscriptions.add(p);
        else this.subscriptions.delete(p);
      }
      this.reply({ result: null, id });
    } else if (method === 'LIST_SUBSCRIPTIONS') {
      this.reply({ result: [...this.subscriptions], id });
    } else if (params[0] !== 'combined') {
      if (typeof params[0] !== 'string') this.reply({ code: 2, msg: 'Invalid request: property name must be a string' });
      else this.reply({ code: 0, msg: 'Unknown property', id });
    } else if (method === 'GET_PROPERTY') {
      this.reply({ result: this.combined, id });
    } else if (typeof params[1] !== 'boolean') {
      this.reply({ code: 1, msg: 'Invalid value type: expected Boolean' });
    } else {
      this.combined = params[1];
      this.reply({ result: null, id });
    }
  }

  inject(f: WsFault): void {
    if (f.kind === 'disconnect') this.drop('fault');
    else this.faults.add(f, this.host.clock.now());
  }

  /** Sends every subscribed frame due by now. */
  pump(): void {
    if (this.closed) return;
    const now = this.host.clock.now();
    if (now - this.connectedAt >= CONNECTION_LIFE_MS) {
      this.drop('lifetime');
      return;
    }
    const captures = this.captures();
    this.cursors ??= captures.map((cap) => new LoopCursor(cap, cap.startAt + (now - this.host.anchorSim)));
    const due: OutFrame[] = [];
    captures.forEach((cap, j) => {
      for (const f of (this.cursors as LoopCursor[])[j]?.take(cap.startAt + (now - this.host.anchorSim)) ?? []) if (this.subscriptions.has(f.stream)) due.push(f);
    });
    for (const f of this.faults.apply(due, now, (x) => x.stream.includes('@depth'))) {
      this.socket.send(this.combined ? `{"stream":"${f.stream}","data":${f.text}}` : f.text);
      this.host.sent('binance', f);
    }
  }
}
