/**
 * Webhook signing: `X-Tickerflow-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, with a
 * secret per user and URL derived from the server's webhook key, so a receiver can check that a
 * call came from this tickerflow and was not altered, and no per-channel secret needs storing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-tickerflow-signature';

/** The secret one user's webhook at `url` is signed with (what the dashboard shows them). */
export function webhookSecret(serverKey: string, userId: number, url: string): string {
  return createHmac('sha256', serverKey).update(`webhook\n${userId}\n${url}`).digest('hex');
}

/** The header value for `body` signed with `secret`. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** True when `header` is the signature of `body` under `secret` (constant-time compare), for receivers. */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signBody(secret, body));
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
