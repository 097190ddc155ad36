/**
 * ASCII text built straight into one byte buffer, numbers written exactly as `String(n)` prints
 * them, for exports of millions of numbers: a string per number (and a rope of them per chunk,
 * encoded to UTF-8 again when written) cost most of `candles --format csv`'s time.
 *
 * Why digits from an integer give `String(v)`: when `v` is the double nearest to m / 10^d for an
 * integer m < 10^15 (m / 10^d === v, the division rounding once, as parsing the decimal does),
 * that decimal has at most 15 significant digits, and two different decimals of at most 15
 * significant digits never round to the same double (DBL_DIG = 15). So no shorter decimal rounds
 * to `v`, and ECMAScript's Number::toString, which prints the shortest decimal that does, prints
 * m / 10^d without its trailing zeros: in plain notation for 1e-6 ≤ v < 1e21. Anything else
 * (exponent notation, negative, NaN, more than 15 significant digits) takes `String(v)` itself.
 * @see https://tc39.es/ecma262/#sec-numeric-types-number-tostring
 */

/** 10^0 … 10^15: every one exact in a double. */
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** m / 10^d is written from its digits only for m below this: at most 15 significant digits. */
const SCALED_BELOW = 1e15;

/** Digits of an integer below {@link SCALED_BELOW}, at most. */
const MAX_DIGITS = 15;

/** Decimals are tried up to this many (m = v · 10^d below 10^15 means v < 1 for d = 15). */
const MAX_DECIMALS = 15;

/** The most bytes `String(v)` takes for any double (-0.0000012345678901234567). */
export const NUMBER_MAX_BYTES = 25;

const ZERO = 48;
const DOT = 46;

export class AsciiBytes {
  #bytes: Buffer;
  #length = 0;

  constructor(capacity: number) {
    this.#bytes = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** Makes room for `n` more bytes (growing the buffer, keeping what is written). */
  reserve(n: number): void {
    if (this.#length + n <= this.#bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#bytes.length * 2, this.#length + n));
    this.#bytes.copy(grown, 0, 0, this.#length);
    this.#bytes = grown;
  }

  /** One byte (a character code below 128). Room must be reserved. */
  byte(code: number): void {
    this.#bytes[this.#length++] = code;
  }

  /** An ASCII string. Room must be reserved. */
  ascii(s: string): void {
    const b = this.#bytes;
    let at = this.#length;
    for (let i = 0; i < s.length; i++) b[at++] = s.charCodeAt(i);
    this.#length = at;
  }

  /**
   * `v` as `String(v)` prints it ({@link NUMBER_MAX_BYTES} at most; room must be reserved).
   * `decimals` is a guess of how many decimals it has (the last return for the same column):
   * the search for them starts there. Returns the next guess.
   */
  number(v: number, decimals: number): number {
    if (v >= 1e-6 && v < SCALED_BELOW) {
      if (Math.floor(v) === v) {
        this.#scaled(v, 0);
        return decimals;
      }
      for (let d = decimals; d <= MAX_DECIMALS; d++) {
        const p = POW10[d] as number;
        const m = Math.round(v * p);
        if (m >= SCALED_BELOW) break;
        if (m / p === v) {
          this.#scaled(m, d);
          return d;
        }
      }
    } else if (v === 0) {
      // String(-0) is "0" too.
      this.#bytes[this.#length++] = ZERO;
      return decimals;
    }
    this.ascii(String(v));
    return decimals;
  }

  /** The text written (a view of the buffer, not a copy: write nothing more after handing it on). */
  written(): Buffer {
    return this.#bytes.subarray(0, this.#length);
  }

  /**
   * m / 10^d for an integer 0 ≤ m < 10^15, without trailing zeros (m not a multiple of 10^d
   * unless d = 0). Written from its last digit back: the low 8 digits, then the rest.
   */
  #scaled(m: number, d: number): void {
    let n = 1;
    while (n < MAX_DIGITS && m >= (POW10[n] as number)) n++;
    // Digits to write: all of m's, and for m < 10^d the zeros after the point and a 0 before it.
    const digits = n > d ? n : d + 1;
    const b = this.#bytes;
    const end = this.#length + digits + (d > 0 ? 1 : 0);
    let high = m >= 100_000_000 ? Math.floor(m / 100_000_000) : 0;
    let low = (m - high * 100_000_000) | 0;
    let at = end - 1;
    for (let k = 0; k < digits; k++) {
      if (k === d && d > 0) b[at--] = DOT;
      let q: number;
      if (k < 8) {
        q = (low / 10) | 0;
        b[at--] = ZERO + low - q * 10;
        low = q;
      } else {
        q = (high / 10) | 0;
        b[at--] = ZERO + high - q * 10;
        high = q;
      }
    }
    let length = end;
    if (d > 0) while (b[length - 1] === ZERO) length--;
    this.#length = length;
  }
}
