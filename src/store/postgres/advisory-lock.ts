/**
 * A PostgreSQL session-level advisory lock on a connection of its own, for work that one process
 * among several must do (the Telegram getUpdates consumer of a bot, alert evaluation). The lock
 * lives exactly as long as that connection: a holder killed with -9 closes its socket and the
 * server frees the lock at once; a holder whose connection breaks (server restart, network) has
 * lost it too, and is told so through `lost`. Advisory locks are per database, so processes on
 * other databases of the same server never compete.
 *
 * The key is the first 64 bits of SHA-256 over `tickerflow:<name>`; a name may contain a secret
 * (a bot token): only its hash reaches the server, and `label` is what logs show.
 *
 * @see https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 * @see https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

/** The signed 64-bit key of `name`, as text (pg passes it as a BIGINT parameter). */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(`tickerflow:${name}`).digest().readBigInt64BE(0).toString();
}

export class AdvisoryLock {
  readonly key: string;
  #client: pg.Client | null = null;
  #lost = new AbortController();

  constructor(
    private readonly connectionString: string,
    name: string,
  ) {
    this.key = advisoryLockKey(name);
  }

  /** Aborts when a held lock is lost (its connection closed or broke); renewed at each acquisition. */
  get lost(): AbortSignal {
    return this.#lost.signal;
  }

  get held(): boolean {
    return this.#client !== null;
  }

  /**
   * Takes the lock if no other session holds it; false when one does. Throws pg's error when the
   * server cannot be reached (the caller tries again later).
   */
  async tryAcquire(): Promise<boolean> {
    if (this.#client !== null) return true;
    // keepAlive: a holder whose host vanished (no FIN) is found dead by TCP, not only at the next query.
    const client = new pg.Client({ connectionString: this.connectionString, keepAlive: true, application_name: 'tickerflow lock' });
    const lost = new AbortController();
    const drop = (): void => {
      if (this.#client === client) this.#client = null;
      lost.abort();
    };
    client.on('error', drop);
    client.on('end', drop);
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [this.key]);
      if (rows[0]?.locked !== true) {
        await client.end();
        return false;
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.#client = client;
    this.#lost = lost;
    return true;
  }

  /** Asks the server whether the connection (and so the lock) is still there; false marks it lost. */
  async check(): Promise<boolean> {
    const client = this.#client;
    if (client === null) return false;
    try {
      await client.query('SELECT 1');
      return true;
    } catch {
      if (this.#client === client) this.#client = null;
      this.#lost.abort();
      await client.end().catch(() => undefined);
      return false;
    }
  }

  /** Frees the lock by closing its connection (a no-op when not held). */
  async release(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    if (client === null) return;
    await client.end().catch(() => undefined);
  }
}
