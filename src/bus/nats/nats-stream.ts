/**
 * The bus's JetStream stream: one per bus, holding the subject families `md.>`, `bar.>` and
 * `signal.>` (under an optional prefix), with bounded retention. Created when missing; an existing
 * stream must hold the same subjects.
 */
import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { BadInputError, ConfigError } from '../../core/errors.js';
import { checkToken } from '../subjects.js';

export const BUS_FAMILIES = ['md', 'bar', 'signal'] as const;

export interface NatsStreamSettings {
  /** Stream name (letters, digits, `-`, `_`); default `tickerflow`. */
  stream: string;
  /** Tokens put before every bus subject on the wire (`t1.md.trade…`), so several buses share a server; default none. */
  prefix: string;
  /** Events older than this are removed; default 24 h. */
  maxAgeMs: number;
  /** The stream keeps at most this many bytes, discarding the oldest; default 1 GiB. */
  maxBytes: number;
  /** Publishes with the same message id within this window are stored once; default 2 min. */
  duplicateWindowMs: number;
  storage: 'file' | 'memory';
}

export const DEFAULT_STREAM_SETTINGS: NatsStreamSettings = {
  stream: 'tickerflow', prefix: '', maxAgeMs: 24 * 3600_000, maxBytes: 1024 ** 3, duplicateWindowMs: 120_000, storage: 'file',
};

/** Bus subject ↔ wire subject, and the check that a subject belongs to the stream. */
export class WireSubjects {
  readonly #head: string;
  constructor(prefix: string) {
    if (prefix !== '') prefix.split('.').forEach((t) => checkToken(t, 'bus subject prefix token'));
    this.#head = prefix === '' ? '' : `${prefix}.`;
  }

  get streamSubjects(): string[] {
    return BUS_FAMILIES.map((f) => `${this.#head}${f}.>`);
  }

  /** The wire subject of a (checked) bus subject; refuses a family the stream does not hold. */
  toWire(subject: string): string {
    const family = subject.slice(0, subject.indexOf('.'));
    if (!(BUS_FAMILIES as readonly string[]).includes(family)) {
      throw new BadInputError(`bus subject "${subject}": token 1 "${family}" is not one of the stream's families ${BUS_FAMILIES.join(', ')}`);
    }
    return this.#head + subject;
  }

  /** The server-side filter for a (checked) pattern: exact when its first token is a literal, else the whole stream (filtered here). */
  filterFor(pattern: string): { filter: string; exact: boolean } {
    const first = pattern.split('.')[0];
    if (first === '*' || (first === '>' && this.#head !== '')) return { filter: `${this.#head}>`, exact: first === '>' };
    return { filter: this.#head + pattern, exact: true };
  }

  fromWire(wire: string): string {
    return wire.slice(this.#head.length);
  }
}

/** Creates the stream if missing; an existing one with other subjects is a configuration error. */
export async function ensureStream(jsm: JetStreamManager, s: NatsStreamSettings, subjects: string[]): Promise<void> {
  checkToken(s.stream, 'stream name');
  for (const [name, v] of [['maxAgeMs', s.maxAgeMs], ['maxBytes', s.maxBytes], ['duplicateWindowMs', s.duplicateWindowMs]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ConfigError(`NATS bus ${name} must be a positive integer, not ${v}`);
  }
  const existing = await jsm.streams.info(s.stream).catch((err: unknown) => {
    if (err instanceof Error && /stream not found/i.test(err.message)) return null;
    throw err;
  });
  if (existing !== null) {
    const have = [...existing.config.subjects].sort().join(', ');
    if (have !== [...subjects].sort().join(', ')) {
      throw new ConfigError(`NATS stream "${s.stream}" exists with subjects ${have}, not ${subjects.join(', ')}: pick another stream name or prefix`);
    }
    return;
  }
  await jsm.streams.add({
    name: s.stream, subjects, retention: RetentionPolicy.Limits, discard: DiscardPolicy.Old,
    max_age: nanos(s.maxAgeMs), max_bytes: s.maxBytes, duplicate_window: nanos(Math.min(s.duplicateWindowMs, s.maxAgeMs)),
    storage: s.storage === 'file' ? StorageType.File : StorageType.Memory,
  });
}
