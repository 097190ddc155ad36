/**
 * The shared request-weight ledger (core/weight-ledger.ts) on PostgreSQL, tables of migration 10.
 * Each call is one autocommit statement, so a reservation costs one round trip and holds no lock
 * past it: the row lock of ON CONFLICT DO UPDATE serialises concurrent reservations of a window.
 * @see https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT
 */
import type { WeightLedger, WeightReservation, WeightReserveRequest } from '../../core/weight-ledger.js';
import type { SqlExecutor } from '../sql/sql-session.js';
import { col, toNumber, toNumberOrNull } from '../sql/sql-values.js';

// A pause committed while this statement runs may be missed (the CTE reads its snapshot): it is
// then seen by the next reservation, like a request already in flight when the 429 came.
const RESERVE = `WITH pause AS (
  SELECT paused_until FROM weight_pauses WHERE scope = $1::text AND paused_until > $5::bigint
), granted AS (
  INSERT INTO weight_windows AS w (scope, window_start, used)
  SELECT $1::text, $2::bigint, $3::integer WHERE $3::integer <= $4::integer AND NOT EXISTS (SELECT 1 FROM pause)
  ON CONFLICT (scope, window_start) DO UPDATE SET used = w.used + excluded.used
  WHERE w.used + excluded.used <= $4::integer
  RETURNING w.used
)
SELECT (SELECT used FROM granted), (SELECT paused_until FROM pause)`;

const RAISE = `INSERT INTO weight_windows AS w (scope, window_start, used) VALUES ($1, $2, $3)
ON CONFLICT (scope, window_start) DO UPDATE SET used = GREATEST(w.used, excluded.used)
RETURNING w.used`;

const PAUSE = `INSERT INTO weight_pauses AS p (scope, paused_until) VALUES ($1, $2)
ON CONFLICT (scope) DO UPDATE SET paused_until = GREATEST(p.paused_until, excluded.paused_until)`;

export class PostgresWeightLedger implements WeightLedger {
  constructor(private readonly db: SqlExecutor) {}

  async reserve(r: WeightReserveRequest): Promise<WeightReservation> {
    const rows = await this.db.all(RESERVE, [r.scope, r.windowStart, r.weight, r.budget, r.now]);
    const row = rows[0] ?? [null, null];
    return { used: toNumberOrNull(col(row, 0), 'reserved weight'), pausedUntil: toNumberOrNull(col(row, 1), 'paused_until') };
  }

  async raise(scope: string, windowStart: number, used: number): Promise<number> {
    const rows = await this.db.all(RAISE, [scope, windowStart, used]);
    return toNumber(col(rows[0] ?? [], 0), 'raised weight');
  }

  async pause(scope: string, until: number): Promise<void> {
    await this.db.run(PAUSE, [scope, until]);
  }

  prune(scope: string, before: number): Promise<number> {
    return this.db.run('DELETE FROM weight_windows WHERE scope = $1 AND window_start < $2', [scope, before]);
  }
}
