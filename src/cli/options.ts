/** Argument parsers shared by commands: each turns bad input into a one-line reason. */
import { InvalidArgumentError } from 'commander';
import { parseTime } from '../core/time.js';

export { barWindow, defaultBars } from '../core/bar-window.js';

/** A time flag (ISO-8601 UTC or epoch ms) whose errors name `what`. */
export function timeArgNamed(what: string): (value: string) => number {
  return (value) => {
    try {
      return parseTime(value, what);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

/** A time flag, ISO-8601 UTC or epoch ms. */
export const timeArg = timeArgNamed('time');

/** A whole number in [min, max]. */
export function intArg(name: string, min: number, max: number): (value: string) => number {
  return (v) => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return Number(v);
  };
}

/** A finite number in [min, max]. */
export function numberArg(name: string, min: number, max: number): (value: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}`);
    return n;
  };
}

/** A finite number above zero (e.g. a clock speed, where 0 would never advance), at most `max`. */
export function positiveNumberArg(name: string, max = Number.MAX_VALUE): (value: string) => number {
  return (v) => {
    const n = Number(v);
    if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a positive number, not "${v}"`);
    if (n > max) throw new InvalidArgumentError(`${name} must be at most ${max.toLocaleString('en-US')}, not "${v}"`);
    return n;
  };
}

/** Whole numbers up to 2^53 − 1 (every id and count): a larger one would not read back as itself. */
export function positiveIntArg(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  if (!Number.isSafeInteger(Number(value))) throw new InvalidArgumentError(`"${value}" is too large (at most ${Number.MAX_SAFE_INTEGER})`);
  return Number(value);
}

export function nonNegativeIntArg(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a whole number ≥ 0`);
  if (!Number.isSafeInteger(Number(value))) throw new InvalidArgumentError(`"${value}" is too large (at most ${Number.MAX_SAFE_INTEGER})`);
  return Number(value);
}

/** {@link nonNegativeIntArg} with an upper bound. */
export function nonNegativeIntArgUpTo(max: number): (value: string) => number {
  return (value) => {
    if (/^\d+$/.test(value) && Number(value) > max) throw new InvalidArgumentError(`"${value}" is more than ${max.toLocaleString('en-US')}`);
    return nonNegativeIntArg(value);
  };
}

export function symbolArg(value: string): string {
  const s = value.toUpperCase();
  if (!/^[A-Z0-9]{2,20}$/.test(s)) throw new InvalidArgumentError(`"${value}" is not an exchange symbol such as BTCUSDT`);
  return s;
}

export function symbolsArg(values: string[]): string[] {
  return values.map(symbolArg);
}

/** Help text for the time defaults, shared by `candles` and `indicators`. */
export const TIME_DEFAULTS_HELP = '--to defaults to now; --from to one day before --to at 1m, 500 bars before it at other intervals';
