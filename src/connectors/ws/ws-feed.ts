/**
 * A websocket feed that only moves bytes (STYLE habit 1): connect, send the exchange's subscribe
 * messages paced under its inbound message-rate limit, answer pings (the `ws` library replies to
 * every protocol ping with a pong carrying the ping's payload), reconnect with capped exponential
 * back-off, reconnect when a channel goes quiet for too long or the connection reaches its maximum
 * age, and stop promptly on an AbortSignal. Exchange knowledge (URLs, messages, channel names)
 * comes in through the options.
 *
 * Frames are yielded as they arrive with the local receive time; lifecycle notices are yielded
 * in the same sequence, so a consumer sees `connected` before that connection's frames and
 * `disconnected` after them.
 */
import WebSocket from 'ws';
import { backoffMs } from '../http/backoff.js';
import { ConfigError } from '../../core/errors.js';
import type { RawFrame } from './raw-frame.js';

export type WsFeedItem =
  | ({ type: 'frame' } & RawFrame)
  | { type: 'connected'; url: string; connection: number; at: number }
  | { type: 'disconnected'; reason: string; at: number }
  | { type: 'reconnecting'; attempt: number; delayMs: number; at: number };

export interface WsFeedOptions {
  /** The URL, or a function giving it per connection (e.g. a combined-stream URL). */
  url: string | (() => string);
  /** Text messages sent after each connect, in order (subscribes). */
  subscribeMessages?: readonly string[] | (() => readonly string[]);
  /** Outgoing messages per second the exchange accepts; pongs count on Binance, so leave headroom. */
  maxMessagesPerSecond: number;
  /** Reconnect back-off: base·2^(attempt−1), at most cap. Defaults 500 ms … 30 s. */
  backoff?: { baseMs: number; capMs: number };
  /** Reconnect when an expected channel has had no message for this long. Off when unset. */
  staleAfterMs?: number;
  /** Channels that must keep talking (e.g. stream names); empty means the connection as a whole. */
  expectedChannels?: readonly string[];
  /** Which channel a frame belongs to, or null for a connection-level frame (heartbeat, ack), which refreshes every channel. */
  channelOf?: (text: string) => string | null;
  /** A reason to reconnect now when a frame is the exchange's "going away" notice (Binance `serverShutdown`), else null. Runs on every frame: keep it cheap. */
  reconnectOn?: (text: string) => string | null;
  /** Force a reconnect after this long on one connection (Binance: 24 h). Off when unset. */
  maxConnectionAgeMs?: number;
  /**
   * Frames waiting for a slow consumer before the connection is dropped (a reconnect resyncs the
   * books; memory stays bounded). Default 100,000.
   */
  maxQueuedFrames?: number;
  /** Give up a connect attempt after this long. Default 10 s. */
  handshakeTimeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_BACKOFF = { baseMs: 500, capMs: 30_000 };

function checkOptions(o: WsFeedOptions): void {
  if (!(o.maxMessagesPerSecond > 0)) throw new ConfigError(`websocket feed: maxMessagesPerSecond must be > 0, got ${o.maxMessagesPerSecond}`);
  if (o.staleAfterMs !== undefined && !(o.staleAfterMs > 0)) throw new ConfigError(`websocket feed: staleAfterMs must be > 0, got ${o.staleAfterMs}`);
  if (o.maxConnectionAgeMs !== undefined && !(o.maxConnectionAgeMs > 0)) {
    throw new ConfigError(`websocket feed: maxConnectionAgeMs must be > 0, got ${o.maxConnectionAgeMs}`);
  }
}

/** Streams frames and lifecycle notices until the signal aborts or the consumer stops iterating. */
export async function* runWsFeed(options: WsFeedOptions): AsyncGenerator<WsFeedItem> {
  checkOptions(options);
  const stop = new AbortController();
  const onOuterAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted === true) stop.abort();

  const queue: WsFeedItem[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  const push = (item: WsFeedItem): number => {
    queue.push(item);
    wake?.();
    wake = null;
    return queue.length;
  };
  const loop = connectLoop(options, stop.signal, push).finally(() => {
    done = true;
    wake?.();
    wake = null;
  });
  try {
    while (true) {
      const item = queue.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (done) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    await loop;
  } finally {
    stop.abort();
    options.signal?.removeEventListener('abort', onOuterAbort);
    await loop.catch(() => undefined);
  }
}

async function connectLoop(o: WsFeedOptions, signal: AbortSignal, push: (item: WsFeedItem) => number): Promise<void> {
  const backoff = o.backoff ?? DEFAULT_BACKOFF;
  let failures = 0;
  for (let connection = 1; !signal.aborted; connection++) {
    const { reason, sawFrame } = await connectOnce(o, connection, signal, push);
    push({ type: 'disconnected', reason, at: Date.now() });
    if (signal.aborted) return;
    // A connection that delivered data resets the back-off; one that failed before any frame grows it.
    failures = sawFrame ? 1 : failures + 1;
    const delayMs = backoffMs(failures, backoff.baseMs, backoff.capMs);
    push({ type: 'reconnecting', attempt: failures, delayMs, at: Date.now() });
    await sleep(delayMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function connectOnce(
  o: WsFeedOptions,
  connection: number,
  signal: AbortSignal,
  push: (item: WsFeedItem) => number,
): Promise<{ reason: string; sawFrame: boolean }> {
  const maxQueued = o.maxQueuedFrames ?? 100_000;
  return new Promise((resolve) => {
    const url = typeof o.url === 'function' ? o.url() : o.url;
    const ws = new WebSocket(url, { handshakeTimeout: o.handshakeTimeoutMs ?? 10_000, perMessageDeflate: false });
    const timers: NodeJS.Timeout[] = [];
    let ourReason: string | null = null;
    let errorText: string | null = null;
    let sawFrame = false;
    const lastSeen = new Map<string, number>();

    const closeWith = (reason: string): void => {
      if (ourReason === null) ourReason = reason;
      ws.terminate();
    };
    const onAbort = (): void => closeWith('aborted');
    signal.addEventListener('abort', onAbort, { once: true });

    ws.on('open', () => {
      const openedAt = Date.now();
      push({ type: 'connected', url, connection, at: openedAt });
      const channels = o.expectedChannels ?? [];
      for (const ch of channels) lastSeen.set(ch, openedAt);
      lastSeen.set('', openedAt);
      const messages = o.subscribeMessages === undefined ? [] : typeof o.subscribeMessages === 'function' ? o.subscribeMessages() : o.subscribeMessages;
      // Each send schedules the next one a full spacing after it really went out, so a stalled
      // event loop delays messages but never bunches them above the exchange's rate.
      const spacingMs = Math.ceil(1000 / o.maxMessagesPerSecond);
      const sendFrom = (i: number): void => {
        const m = messages[i];
        if (m === undefined || ws.readyState !== WebSocket.OPEN) return;
        ws.send(m);
        if (i + 1 < messages.length) timers.push(setTimeout(() => sendFrom(i + 1), spacingMs));
      };
      sendFrom(0);
      if (o.maxConnectionAgeMs !== undefined) {
        timers.push(setTimeout(() => closeWith(`max connection age ${o.maxConnectionAgeMs} ms reached`), o.maxConnectionAgeMs));
      }
      const staleMs = o.staleAfterMs;
      if (staleMs !== undefined) {
        const watched = channels.length > 0 ? channels : [''];
        timers.push(
          setInterval(() => {
            const now = Date.now();
            for (const ch of watched) {
              const quietMs = now - (lastSeen.get(ch) ?? openedAt);
              if (quietMs > staleMs) return closeWith(`stale: no message on ${ch === '' ? 'the connection' : ch} for ${quietMs} ms (limit ${staleMs} ms)`);
            }
          }, Math.max(10, Math.floor(staleMs / 4))),
        );
      }
    });

    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      const receivedAt = Date.now();
      const text = isBinary ? '' : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString();
      sawFrame = true;
      const ch = o.channelOf?.(text) ?? null;
      if (ch === null) {
        for (const k of lastSeen.keys()) lastSeen.set(k, receivedAt);
      } else {
        lastSeen.set(ch, receivedAt);
        lastSeen.set('', receivedAt);
      }
      if (isBinary || ourReason !== null) return;
      const queued = push({ type: 'frame', receivedAt, text });
      if (queued > maxQueued) return closeWith(`consumer too slow: ${queued} frames queued (limit ${maxQueued})`);
      const goAway = o.reconnectOn?.(text) ?? null;
      if (goAway !== null) closeWith(goAway);
    });

    ws.on('error', (err: Error) => {
      errorText = err.message;
    });

    ws.on('close', (code: number, reasonBuf: Buffer) => {
      for (const t of timers) clearTimeout(t);
      signal.removeEventListener('abort', onAbort);
      const serverReason = reasonBuf.toString();
      const reason = ourReason ?? (errorText !== null ? `error: ${errorText}` : `closed by server: code ${code}${serverReason === '' ? '' : ` ${serverReason}`}`);
      resolve({ reason, sawFrame });
    });
  });
}
