/**
 * An exact running sum of decimal numbers, rounded to a double once when read. Exchanges send
 * prices and quantities as decimal strings and compute their own kline volumes exactly; summing
 * doubles (or their products) instead drifts by an ulp now and then (6.6302900000000005 for
 * 6.63029 over one recorded minute). Each double is taken at its shortest decimal form (`String(x)`),
 * which is the exchange's decimal string for any value with up to 15 significant digits.
 */

/** The shortest decimal of a finite double as mantissa × 10^-scale. */
function decimalOf(x: number): [mantissa: bigint, scale: number] {
  const text = String(x);
  const e = text.indexOf('e');
  const digits = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = digits.indexOf('.');
  const fraction = dot < 0 ? 0 : digits.length - dot - 1;
  const mantissa = BigInt(dot < 0 ? digits : digits.slice(0, dot) + digits.slice(dot + 1));
  const scale = fraction - exponent;
  return scale >= 0 ? [mantissa, scale] : [mantissa * 10n ** BigInt(-scale), 0];
}

export class DecimalSum {
  #units = 0n;
  #scale = 0;

  /** Adds `x`, or `x × y` when `y` is given (the product is exact too). */
  add(x: number, y?: number): void {
    if (!Number.isFinite(x) || (y !== undefined && !Number.isFinite(y))) throw new RangeError(`cannot sum ${x}${y === undefined ? '' : ` × ${y}`}: not finite`);
    let [m, s] = decimalOf(x);
    if (y !== undefined) {
      const [m2, s2] = decimalOf(y);
      m *= m2;
      s += s2;
    }
    if (s > this.#scale) {
      this.#units *= 10n ** BigInt(s - this.#scale);
      this.#scale = s;
    } else if (s < this.#scale) {
      m *= 10n ** BigInt(this.#scale - s);
    }
    this.#units += m;
  }

  /** The exact sum rounded to the nearest double. */
  get value(): number {
    return Number(`${this.#units}e-${this.#scale}`);
  }
}
