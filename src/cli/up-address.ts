/**
 * How the CLI finds a running `up`: DuckDB lets one process hold the file, so while `up` holds it,
 * it writes its API address and a local admin token beside the file (`<db>.api.json`, mode 0600,
 * removed when it stops), and commands that read the store go through that API instead of
 * stopping with "file in use". A file left by an `up` that was killed names a dead process and is
 * ignored. PostgreSQL needs none of this: every process opens it.
 */
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/** `command`: which of `up` and `serve` holds the file (absent in files written before `serve` existed: `up`). */
const addressSchema = z.object({ url: z.url(), token: z.string().min(16), pid: z.number().int().positive(), command: z.enum(['up', 'serve']).optional() });
export type UpAddress = z.infer<typeof addressSchema>;

/** The address file of a DuckDB store, or null for PostgreSQL (no file to share). */
export function upAddressPath(db: string): string | null {
  return /^postgres(ql)?:\/\//i.test(db) ? null : `${db}.api.json`;
}

/** Writes the file readable by its owner only (written whole, then renamed into place). */
export function writeUpAddress(path: string, address: UpAddress): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(address)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600); // the umask may have narrowed it further, never widened: made exact
  renameSync(tmp, path);
}

export function removeUpAddress(path: string): void {
  rmSync(path, { force: true });
}

/** The running `up`'s address, or null when there is no file, it is unreadable, or its process is gone. */
export function readUpAddress(path: string): UpAddress | null {
  if (!existsSync(path)) return null;
  let parsed;
  try {
    parsed = addressSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
  if (!parsed.success || !processAlive(parsed.data.pid)) return null;
  return parsed.data;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, owned by another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
