import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { runWsFeed, type WsFeedItem } from './ws-feed.js';

interface TestServer {
  url: string;
  wss: WebSocketServer;
  close(): Promise<void>;
}

async function startServer(onConnection: (socket: WebSocket, n: number) => void): Promise<TestServer> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  let n = 0;
  wss.on('connection', (socket) => onConnection(socket, ++n));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/stream`,
    wss,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** Collects items until `until` says stop (then aborts), with a safety timeout. */
async function collect(feed: AsyncIterable<WsFeedItem>, until: (items: WsFeedItem[]) => boolean, timeoutMs = 5000): Promise<WsFeedItem[]> {
  const items: WsFeedItem[] = [];
  const deadline = Date.now() + timeoutMs;
  for await (const item of feed) {
    items.push(item);
    if (until(items)) break;
    if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(items.map((i) => i.type))}`);
  }
  return items;
}

test('ws feed - sends subscribe messages no faster than the rate limit, in order', async () => {
  const arrivals: { text: string; at: number }[] = [];
  const server = await startServer((socket) => socket.on('message', (d) => arrivals.push({ text: String(d), at: Date.now() })));
  try {
    const messages = ['s1', 's2', 's3', 's4', 's5'];
    const feed = runWsFeed({ url: server.url, subscribeMessages: messages, maxMessagesPerSecond: 10 });
    const iter = feed[Symbol.asyncIterator]();
    assert.equal((await iter.next()).value?.type, 'connected');
    while (arrivals.length < 5) await new Promise((r) => setTimeout(r, 20));
    await iter.return(undefined);
    assert.deepEqual(arrivals.map((a) => a.text), messages);
    for (let i = 1; i < arrivals.length; i++) {
      const gap = arrivals[i]!.at - arrivals[i - 1]!.at;
      // 100 ms apart when sent; the server's own event-loop delays can shorten one gap as seen here, never all.
      assert.ok(gap >= 50, `message ${i + 1} came ${gap} ms after the previous one; 10/s needs 100 ms`);
    }
    assert.ok(arrivals[4]!.at - arrivals[0]!.at >= 380, `5 messages at 10/s took only ${arrivals[4]!.at - arrivals[0]!.at} ms`);
  } finally {
    await server.close();
  }
});

test('ws feed - reconnects with capped exponential back-off after refused connections, then yields frames', async () => {
  const connectedAt: number[] = [];
  const server = await startServer((socket, n) => {
    connectedAt.push(Date.now());
    if (n <= 3) socket.close(1011, `refusing ${n}`);
    else socket.send('hello');
  });
  try {
    const feed = runWsFeed({ url: server.url, maxMessagesPerSecond: 5, backoff: { baseMs: 60, capMs: 150 } });
    const items = await collect(feed, (xs) => xs.some((x) => x.type === 'frame'));
    const delays = items.flatMap((x) => (x.type === 'reconnecting' ? [x.delayMs] : []));
    assert.deepEqual(delays, [60, 120, 150]);
    const reasons = items.flatMap((x) => (x.type === 'disconnected' ? [x.reason] : []));
    assert.deepEqual(reasons, ['closed by server: code 1011 refusing 1', 'closed by server: code 1011 refusing 2', 'closed by server: code 1011 refusing 3']);
    for (let i = 1; i < 4; i++) assert.ok(connectedAt[i]! - connectedAt[i - 1]! >= delays[i - 1]! - 2, `attempt ${i + 1} came too early`);
    const frame = items.at(-1);
    assert.equal(frame?.type === 'frame' ? frame.text : null, 'hello');
    assert.equal(items.filter((x) => x.type === 'connected').length, 4);
  } finally {
    await server.close();
  }
});

test('ws feed - a channel that goes quiet forces a reconnect naming it, and the new connection resubscribes', async () => {
  const subscribes: number[] = [];
  const server = await startServer((socket, n) => {
    socket.on('message', () => subscribes.push(n));
    const timer = setInterval(() => socket.send('trades'), 20); // "book" never speaks
    socket.on('close', () => clearInterval(timer));
  });
  try {
    const feed = runWsFeed({
      url: server.url,
      subscribeMessages: ['sub'],
      maxMessagesPerSecond: 5,
      staleAfterMs: 200,
      expectedChannels: ['trades', 'book'],
      channelOf: (text) => text,
      backoff: { baseMs: 10, capMs: 10 },
    });
    const started = Date.now();
    // Frames keep coming on "trades", so the predicate is re-checked until the second subscribe has arrived.
    const items = await collect(feed, (xs) => xs.filter((x) => x.type === 'connected').length === 2 && subscribes.length === 2);
    const gone = items.find((x) => x.type === 'disconnected');
    assert.match(gone?.type === 'disconnected' ? gone.reason : '', /^stale: no message on book for \d+ ms \(limit 200 ms\)$/);
    assert.ok(Date.now() - started >= 200);
    assert.deepEqual(subscribes, [1, 2]);
  } finally {
    await server.close();
  }
});

test('ws feed - a connection older than the maximum age is replaced', async () => {
  const server = await startServer(() => undefined);
  try {
    const feed = runWsFeed({ url: server.url, maxMessagesPerSecond: 5, maxConnectionAgeMs: 100, backoff: { baseMs: 10, capMs: 10 } });
    const items = await collect(feed, (xs) => xs.filter((x) => x.type === 'connected').length === 2);
    const gone = items.find((x) => x.type === 'disconnected');
    assert.equal(gone?.type === 'disconnected' ? gone.reason : '', 'max connection age 100 ms reached');
  } finally {
    await server.close();
  }
});

test('ws feed - abort stops the feed promptly, even while waiting to reconnect', async () => {
  const server = await startServer((socket) => socket.send('x'));
  try {
    const controller = new AbortController();
    const feed = runWsFeed({ url: server.url, maxMessagesPerSecond: 5, signal: controller.signal });
    const items: WsFeedItem[] = [];
    let abortedAt = 0;
    for await (const item of feed) {
      items.push(item);
      if (item.type === 'frame') {
        abortedAt = Date.now();
        controller.abort();
      }
    }
    assert.ok(Date.now() - abortedAt < 200, `took ${Date.now() - abortedAt} ms to stop`);
    assert.deepEqual(items.map((x) => x.type), ['connected', 'frame', 'disconnected']);
    assert.equal(items.at(-1)?.type === 'disconnected' ? (items.at(-1) as { reason: string }).reason : '', 'aborted');

    // Aborting during a long back-off wait ends the feed too.
    await server.close();
    const c2 = new AbortController();
    const refused = runWsFeed({ url: server.url, maxMessagesPerSecond: 5, signal: c2.signal, backoff: { baseMs: 60_000, capMs: 60_000 } });
    const start = Date.now();
    const seen: string[] = [];
    for await (const item of refused) {
      seen.push(item.type);
      if (item.type === 'reconnecting') c2.abort();
    }
    assert.deepEqual(seen, ['disconnected', 'reconnecting']);
    assert.ok(Date.now() - start < 2000);
  } finally {
    await server.close().catch(() => undefined);
  }
});

test('ws feed - a frame the exchange sends before going away triggers an immediate reconnect', async () => {
  const server = await startServer((socket, n) => {
    if (n === 1) socket.send('{"e":"serverShutdown","E":1}');
    else socket.send('data');
  });
  try {
    const feed = runWsFeed({
      url: server.url,
      maxMessagesPerSecond: 5,
      reconnectOn: (t) => (t.includes('serverShutdown') ? 'server shutdown notice' : null),
      backoff: { baseMs: 10, capMs: 10 },
    });
    const items = await collect(feed, (xs) => xs.some((x) => x.type === 'frame' && x.text === 'data'));
    assert.deepEqual(
      items.map((x) => (x.type === 'disconnected' ? `disconnected: ${x.reason}` : x.type)),
      ['connected', 'frame', 'disconnected: server shutdown notice', 'reconnecting', 'connected', 'frame'],
    );
  } finally {
    await server.close();
  }
});

test('ws feed - a consumer that falls behind gets the connection dropped instead of unbounded memory', async () => {
  const server = await startServer((socket) => {
    for (let i = 0; i < 50; i++) socket.send(`f${i}`);
  });
  try {
    const feed = runWsFeed({ url: server.url, maxMessagesPerSecond: 5, maxQueuedFrames: 10, backoff: { baseMs: 10, capMs: 10 } });
    const iter = feed[Symbol.asyncIterator]();
    assert.equal((await iter.next()).value?.type, 'connected');
    await new Promise((r) => setTimeout(r, 200)); // not reading while the frames arrive
    const items: WsFeedItem[] = [];
    for (let r = await iter.next(); !r.done && r.value.type !== 'reconnecting'; r = await iter.next()) items.push(r.value);
    await iter.return(undefined);
    const frames = items.filter((x) => x.type === 'frame');
    assert.ok(frames.length <= 11, `${frames.length} frames were queued`);
    const gone = items.at(-1);
    assert.match(gone?.type === 'disconnected' ? gone.reason : '', /^consumer too slow: 1[01] frames queued \(limit 10\)$/);
  } finally {
    await server.close();
  }
});
