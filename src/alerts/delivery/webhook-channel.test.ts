import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DeliveryFailedError, RateLimitError, UpstreamError } from '../../core/errors.js';
import type { StoredFiring } from '../../store/alert-records.js';
import { WebhookChannel } from './webhook-channel.js';
import { webhookSecret, verifySignature } from './webhook-signature.js';

const KEY = 'server-webhook-key';
const FIRING: StoredFiring = { id: 17, ruleId: 4, userId: 9, exchange: 'binance', symbol: 'ETHUSDT', interval: '4h', barOpenTime: 1_704_067_200_000, firedAt: 1_704_081_600_500, inputs: { rsi14: 28.1 }, incomplete: false, message: 'rsi:14 < 30' };

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver on loopback answering each call with the next of `answers` (status and headers). */
async function withReceiver(answers: { status: number; headers?: Record<string, string>; hang?: boolean }[], fn: (url: string, got: Received[]) => Promise<void>): Promise<void> {
  const got: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      const a = answers.shift() ?? { status: 200 };
      if (a.hang) return;
      res.writeHead(a.status, a.headers).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=receiver-secret`, got);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

const signal = new AbortController().signal;
const notice = { userId: 9, idempotencyKey: 'firing-17-webhook:x', firing: FIRING, test: false };

test('webhook - POSTs the firing as JSON, signed with HMAC-SHA256 of the body under the user and URL secret, with the idempotency key', async () => {
  await withReceiver([{ status: 204 }], async (url, got) => {
    await new WebhookChannel({ serverKey: KEY }).deliver(url, notice, signal);
    const [call] = got;
    assert.ok(call);
    assert.equal(call.headers['content-type'], 'application/json');
    assert.equal(call.headers['idempotency-key'], 'firing-17-webhook:x');
    // The receiver's own check, from the documented recipe: HMAC-SHA256(secret, raw body), hex.
    const secret = createHmac('sha256', KEY).update(`webhook\n9\n${url}`).digest('hex');
    assert.equal(secret, webhookSecret(KEY, 9, url));
    assert.equal(call.headers['x-tickerflow-signature'], `sha256=${createHmac('sha256', secret).update(call.body).digest('hex')}`);
    assert.ok(verifySignature(secret, call.body, call.headers['x-tickerflow-signature'] as string));
    assert.equal(verifySignature(webhookSecret(KEY, 10, url), call.body, call.headers['x-tickerflow-signature'] as string), false);
    const body = JSON.parse(call.body) as { type: string; idempotencyKey: string; firing: Record<string, unknown> };
    assert.equal(body.type, 'firing');
    assert.deepEqual(body.firing, { id: 17, ruleId: 4, exchange: 'binance', symbol: 'ETHUSDT', interval: '4h', barOpenTime: 1_704_067_200_000, firedAt: 1_704_081_600_500, incomplete: false, message: 'rsi:14 < 30', inputs: { rsi14: 28.1 } });
  });
});

test('webhook - 4xx fails for good; 408, 5xx and a timeout are retryable; 429 carries its Retry-After; no error shows the URL query', async () => {
  await withReceiver([{ status: 400 }, { status: 408 }, { status: 503 }, { status: 429, headers: { 'retry-after': '7' } }, { status: 200, hang: true }], async (url) => {
    const channel = new WebhookChannel({ serverKey: KEY });
    const errors: unknown[] = [];
    for (let i = 0; i < 4; i++) errors.push(await channel.deliver(url, notice, signal).catch((e: unknown) => e));
    // Only the call the receiver never answers gets the short timeout (a loaded machine may take 200 ms to answer the others).
    errors.push(await new WebhookChannel({ serverKey: KEY, timeoutMs: 200 }).deliver(url, notice, signal).catch((e: unknown) => e));
    assert.ok(errors[0] instanceof DeliveryFailedError);
    assert.ok(errors[1] instanceof UpstreamError && errors[1].status === 408);
    assert.ok(errors[2] instanceof UpstreamError && errors[2].status === 503);
    assert.ok(errors[3] instanceof RateLimitError && errors[3].retryAfterMs === 7000);
    assert.ok(errors[4] instanceof UpstreamError);
    assert.match((errors[4] as Error).message, /no answer in 200 ms/);
    for (const e of errors) assert.doesNotMatch((e as Error).message, /receiver-secret/);
  });
});

test('webhook - a redirect is not followed and fails for good', async () => {
  await withReceiver([{ status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } }], async (url, got) => {
    const err = await new WebhookChannel({ serverKey: KEY }).deliver(url, notice, signal).catch((e: unknown) => e);
    assert.ok(err instanceof DeliveryFailedError);
    assert.match(err.message, /answered a redirect \(HTTP 302\)/);
    assert.equal(got.length, 1);
  });
});

test('webhook - a target that is not an http(s) URL fails for good without a call', async () => {
  const channel = new WebhookChannel({ serverKey: KEY });
  await assert.rejects(channel.deliver('not a url', notice, signal), DeliveryFailedError);
  await assert.rejects(channel.deliver('file:///etc/passwd', notice, signal), /must be http\(s\)/);
  // Saved before such URLs were refused: fails for good, and neither the password nor the query is shown.
  let calls = 0;
  const counting = new WebhookChannel({ serverKey: KEY, fetch: async () => { calls++; return new Response(null, { status: 200 }); } });
  await assert.rejects(counting.deliver('http://user:pw@127.0.0.1:9/x?k=Q', notice, signal), (err: unknown) =>
    err instanceof DeliveryFailedError && /user or password/.test(err.message) && !/pw|k=Q/.test(err.message));
  assert.equal(calls, 0);
});

test('webhook - a network error quoting the whole URL is told without its query', async () => {
  const channel = new WebhookChannel({ serverKey: KEY, fetch: async (input) => { throw new TypeError(`fetch failed for ${String(input)}`); } });
  await assert.rejects(channel.deliver('https://example.org/hook?token=SECRET', notice, signal), (err: unknown) =>
    err instanceof Error && err.message === 'webhook https://example.org/hook: fetch failed for https://example.org/hook');
});
