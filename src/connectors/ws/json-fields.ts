/**
 * Checked readers for fields of parsed exchange messages (STYLE habit 2: no `as` casts on external
 * data). Each throws a BadInputError naming the message kind and the field. They sit on the hot
 * path of every feed, so they are plain typeof checks, no schema library.
 */
import { BadInputError } from '../../core/errors.js';
import type { BookLevel } from '../../core/market-events.js';

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

export function objectField(o: JsonObject, key: string, what: string): JsonObject {
  const v = o[key];
  if (!isObject(v)) throw new BadInputError(`${what}: field "${key}" should be an object, got ${describe(v)}`);
  return v;
}

export function stringField(o: JsonObject, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw new BadInputError(`${what}: field "${key}" should be a non-empty string, got ${describe(v)}`);
  return v;
}

/** A JSON number that is a safe integer (ids, epoch ms). */
export function integerField(o: JsonObject, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new BadInputError(`${what}: field "${key}" should be an integer, got ${describe(v)}`);
  return v;
}

export function booleanField(o: JsonObject, key: string, what: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new BadInputError(`${what}: field "${key}" should be true or false, got ${describe(v)}`);
  return v;
}

/**
 * A decimal string such as "61837.63000000" as the nearest double, or NaN when it is not one
 * (empty, non-finite, not a string). Callers build their error message only on NaN: this runs for
 * every price level, where even a template string per call costs a third of the mapper's time.
 */
export function toDecimal(v: unknown): number {
  if (typeof v !== 'string' || v === '') return NaN;
  // `+` accepts a few non-decimal spellings ("0x1f", " 1"); exchanges never send them and a regex
  // here would cost a fifth of the mapper's time, so only what would poison a book is refused.
  const n = +v;
  return Number.isFinite(n) ? n : NaN;
}

export function decimal(v: unknown, what: string, key: string): number {
  const n = toDecimal(v);
  if (n !== n) throw new BadInputError(`${what}: field "${key}" should be a decimal string, got ${describe(v)}`);
  return n;
}

export function decimalField(o: JsonObject, key: string, what: string): number {
  return decimal(o[key], what, key);
}

/** `[["price","qty"], …]` → levels (price > 0, quantity >= 0); the whole list is refused if one level is malformed. */
export function levelsField(o: JsonObject, key: string, what: string): BookLevel[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new BadInputError(`${what}: field "${key}" should be an array of [price, quantity], got ${describe(v)}`);
  const out: BookLevel[] = new Array<BookLevel>(v.length);
  for (let i = 0; i < v.length; i++) {
    const level: unknown = v[i];
    if (!Array.isArray(level) || level.length < 2) throw new BadInputError(`${what}: ${key}[${i}] should be [price, quantity], got ${describe(level)}`);
    const price = toDecimal(level[0]);
    const quantity = toDecimal(level[1]);
    // `!(x > 0)` is also true for NaN: one comparison refuses both a bad string and a bad value.
    if (!(price > 0) || !(quantity >= 0)) {
      const [j, bad] = !(price > 0) ? [0, level[0]] : [1, level[1]];
      throw new BadInputError(`${what}: field "${key}[${i}][${j}]" should be a ${j === 0 ? 'positive' : 'non-negative'} decimal string, got ${describe(bad)}`);
    }
    out[i] = [price, quantity];
  }
  return out;
}

/** JSON.parse that reports a BadInputError instead of a SyntaxError. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadInputError(`${what}: not JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}
