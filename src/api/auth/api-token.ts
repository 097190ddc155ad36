/**
 * API tokens: shown once when made, kept by the store only as their SHA-256 hex, so a copy of the
 * database signs nobody in. The `tf_` prefix lets a secret scanner or a reader tell one at a glance.
 * A token is 32 random bytes, so a fast unsalted hash is enough: there is nothing to guess.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A new API token: `tf_` and 32 random bytes, base64url (46 characters). */
export function newApiToken(): string {
  return `tf_${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 hex of the token: what UserStore keeps and looks tokens up by. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
