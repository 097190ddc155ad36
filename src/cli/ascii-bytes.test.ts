import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../core/seeded-random.js';
import { AsciiBytes, NUMBER_MAX_BYTES } from './ascii-bytes.js';

/** What the writer prints for each of `values`, one per line, each guess carried to the next value. */
function printed(values: readonly number[], guess = 0): string[] {
  const out = new AsciiBytes(16);
  let d = guess;
  for (const v of values) {
    out.reserve(NUMBER_MAX_BYTES + 1);
    d = out.number(v, d);
    out.byte(10);
  }
  return out.written().toString('latin1').split('\n').slice(0, -1);
}

/** String(v) of each value: the oracle, V8's own Number::toString. */
const strings = (values: readonly number[]): string[] => values.map((v) => String(v));

test('ascii bytes - edges of plain notation, zero, integers and what falls back to String()', () => {
  const values = [
    0, -0, 1, 7, 10, 493, 99_999_999, 100_000_000, 1577836800000, 1577836859999, 999_999_999_999_999, 1e15, 2 ** 53, 2 ** 53 + 2, 1e21, 1e22,
    1e-6, 0.000001, 1.5e-6, 9.99e-7, 1e-7, 1.2345e-7, 5e-324, Number.MIN_VALUE, Number.MAX_VALUE, -1.5, -0.1, -1577836800000,
    NaN, Infinity, -Infinity, 0.1 + 0.2, 1 / 3, 2 / 3, Math.PI, 0.1, 0.5, 0.05, 0.00001, 123456789012345.6, 12345678901234.56, 99999999.99999999,
    0.999999999999999, 0.9999999999999999, 4503599627370495.5, 1.0000000000000002, 7195.24, 51.642812, 371233.23, 19.59823, 140888.47,
  ];
  assert.deepEqual(printed(values), strings(values));
  // From any starting guess: a guess past what a value needs only adds zeros that are stripped.
  for (const guess of [0, 3, 8, 15]) assert.deepEqual(printed(values, guess), strings(values), `guess ${guess}`);
});

test('ascii bytes - decimals of up to 17 significant digits at every magnitude print as String() does', () => {
  const random = seededRandom(15);
  const values: number[] = [];
  for (let i = 0; i < 200_000; i++) {
    const digits = 1 + Math.floor(random() * 17);
    let mantissa = '';
    for (let k = 0; k < digits; k++) mantissa += String(Math.floor(random() * 10));
    const exponent = Math.floor(random() * 30) - 12;
    values.push(Number(`${mantissa}e${exponent}`));
  }
  assert.deepEqual(printed(values), strings(values));
});

test('ascii bytes - any double (random bit patterns) prints as String() does', () => {
  const random = seededRandom(4);
  const bits = new Uint32Array(2);
  const f = new Float64Array(bits.buffer);
  const values: number[] = [];
  for (let i = 0; i < 100_000; i++) {
    bits[0] = random() * 2 ** 32;
    // Exponents around 0 (1e-12 … 1e17) as well as the whole range.
    bits[1] = i % 2 === 0 ? random() * 2 ** 32 : (0x3d7 + Math.floor(random() * (0x438 - 0x3d7))) * 2 ** 20 + Math.floor(random() * 2 ** 20);
    values.push(f[0] as number);
  }
  assert.deepEqual(printed(values), strings(values));
});

test('ascii bytes - sums of decimals (aggregated volumes) and prices of every tick size print as String() does', () => {
  const random = seededRandom(7);
  const values: number[] = [];
  for (let i = 0; i < 100_000; i++) {
    const places = Math.floor(random() * 9);
    const tick = 10 ** -places;
    const price = Math.round(random() * 10 ** (2 + Math.floor(random() * 8))) * tick;
    values.push(price, Number(price.toFixed(places)), price + Number((random() * 1000).toFixed(8)));
  }
  assert.deepEqual(printed(values), strings(values));
});

test('ascii bytes - grows past its first capacity and keeps what it wrote; the longest number fits its bound', () => {
  const out = new AsciiBytes(1);
  out.reserve(5);
  out.ascii('ab,cd');
  out.reserve(NUMBER_MAX_BYTES);
  out.number(-1.2345678901234567e-6, 0);
  assert.equal(out.written().toString('latin1'), `ab,cd${String(-1.2345678901234567e-6)}`);
  assert.equal(out.length, 5 + NUMBER_MAX_BYTES);
});
