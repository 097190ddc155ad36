/** Every migration, in order. Append new ones; never edit or renumber an applied one. */
import { initialSchema } from './001-initial-schema.js';
import { seriesKeySchema } from './002-series-key.js';
import { jobHeartbeat } from './003-job-heartbeat.js';
import { manifestKeptRange } from './004-manifest-kept-range.js';
import { alertRecords } from './005-alert-records.js';
import { users } from './006-users.js';
import { seriesVolumeMax } from './007-series-volume-max.js';
import { outboxClaims } from './008-outbox-claims.js';
import { signals } from './009-signals.js';
import { weightLedger } from './010-weight-ledger.js';
import { signalIncomplete } from './011-signal-incomplete.js';
import { evaluationMarks } from './012-evaluation-marks.js';
import type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [initialSchema, seriesKeySchema, jobHeartbeat, manifestKeptRange, alertRecords, users, seriesVolumeMax, outboxClaims, signals, weightLedger, signalIncomplete, evaluationMarks];
