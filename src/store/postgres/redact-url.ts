/** Removes credentials from a connection URL so it is safe to print, log or put in an error. */

/** `postgres://user:secret@host/db?password=x` → `postgres://user@host/db`. Unparseable input gives a placeholder. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.searchParams.delete('password');
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
