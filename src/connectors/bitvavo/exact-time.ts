/**
 * Bitvavo's book `timestamp` is an integer count of NANOSECONDS (≈1.79e18 in 2026), far above
 * 2^53: `JSON.parse` rounds it to the nearest double, off by up to 256 ns and no longer the
 * exchange's value (PROTOCOLS.md §5, recorded frames). So the digits are read from the frame's own
 * text and divided as a BigInt; a double never holds the nanoseconds.
 *
 * The documentation's examples write 13-digit values (`1542967486256`, milliseconds) under the
 * same field, so 13 digits are read as ms and 18–19 digits as ns; anything else is refused.
 */
import { BadInputError } from '../../core/errors.js';

const NS_PER_MS = 1_000_000n;

/** The digits of the integer after `"key":` in `text` (the first occurrence), or null when absent. */
export function integerDigitsAfter(text: string, key: string): string | null {
  const needle = `"${key}":`;
  const at = text.indexOf(needle);
  if (at < 0) return null;
  let i = at + needle.length;
  while (text.charCodeAt(i) === 32) i++;
  const start = i;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i));
  return i === start ? '' : text.slice(start, i);
}

/** Epoch ms (floored) from a Bitvavo timestamp's digits: 18–19 digits are ns, 13 are ms. */
export function bitvavoDigitsToMs(digits: string, what: string): number {
  if (digits.length >= 18 && digits.length <= 19) return Number(BigInt(digits) / NS_PER_MS);
  if (digits.length === 13) return Number(digits);
  throw new BadInputError(`${what}: field "timestamp" should be epoch nanoseconds (19 digits) or milliseconds (13 digits), got "${digits.slice(0, 30)}"`);
}

/** The exact timestamp of a frame's `"timestamp"` field in ms; throws naming the frame when absent or not an integer. */
export function bitvavoTimestampMs(text: string, what: string): number {
  const digits = integerDigitsAfter(text, 'timestamp');
  if (digits === null || digits === '') throw new BadInputError(`${what}: field "timestamp" should be an integer, got ${digits === null ? 'nothing' : 'a non-integer'}`);
  return bitvavoDigitsToMs(digits, what);
}
