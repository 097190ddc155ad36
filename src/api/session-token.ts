/**
 * Login sessions are API tokens (UserStore keeps every token by its SHA-256 hash only) whose text
 * carries their expiry: `tfs_<expiresAt base 36>_<32 random bytes, base64url>`. The hash covers
 * the whole text, so an edited expiry names no stored token; the expiry is checked before the
 * store is asked. A session's label (`session <first 12 hex of its hash>`) lets logout find and
 * revoke the one row without the token ever being stored.
 */
import { randomBytes } from 'node:crypto';

const SESSION_PREFIX = 'tfs_';
const SESSION_PATTERN = /^tfs_([0-9a-z]{1,12})_[A-Za-z0-9_-]{43}$/;

/** What a bearer token may look like before the store is asked: the API's and the sessions' alphabets, bounded. */
export const BEARER_TOKEN_PATTERN = /^[A-Za-z0-9_\-.~+/]{16,256}=*$/;

export function newSessionToken(expiresAt: number): string {
  return `${SESSION_PREFIX}${expiresAt.toString(36)}_${randomBytes(32).toString('base64url')}`;
}

/** The expiry a session token carries, or null for a token that is not a session (an API token never expires, only revoked). */
export function sessionExpiry(token: string): number | null {
  const m = SESSION_PATTERN.exec(token);
  return m === null ? null : parseInt(m[1]!, 36);
}

/** The label a session's token row carries; the session's `tokenHash` (auth/api-token.ts) names it. */
export function sessionLabel(hash: string): string {
  return `session ${hash.slice(0, 12)}`;
}
