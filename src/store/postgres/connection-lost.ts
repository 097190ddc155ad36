/**
 * Whether a store error means "the PostgreSQL server is away for now" (a restart, a failover, the
 * network): the connection was refused, reset or terminated, or the server said it is shutting
 * down or starting up. Such a write can be tried again once the server is back; anything else (a
 * constraint, a full disk, a bad statement) cannot. Looks through the error's cause chain, since
 * the store wraps pg's errors.
 * @see https://www.postgresql.org/docs/current/errcodes-appendix.html (class 08, 57P01–57P03)
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** admin_shutdown, crash_shutdown, cannot_connect_now ("the database system is starting up"). */
const SERVER_GOING_CODES = new Set(['57P01', '57P02', '57P03']);
const PG_CLIENT_MESSAGES = [/^Connection terminated/i, /connection error and is not queryable/i, /timeout exceeded when trying to connect/i];

export function isConnectionLost(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_GOING_CODES.has(code) || code.startsWith('08'))) return true;
    if (PG_CLIENT_MESSAGES.some((re) => re.test(e instanceof Error ? e.message : ''))) return true;
    // An AggregateError (connecting to several addresses, e.g. localhost's ::1 and 127.0.0.1) of refusals.
    if (e instanceof AggregateError && e.errors.length > 0 && e.errors.every((x) => isConnectionLost(x))) return true;
  }
  return false;
}
