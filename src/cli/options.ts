/** Argument parsers shared by commands: each turns bad input into a one-line reason. */
import { InvalidArgumentError } from 'commander';
import { parseTime } from '../core/time.js';

export function timeArg(value: string): number {
  try {
    return parseTime(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function positiveIntArg(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError(`"${value}" is not a positive whole number`);
  return Number(value);
}

export function nonNegativeIntArg(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a whole number ≥ 0`);
  return Number(value);
}

export function symbolArg(value: string): string {
  const s = value.toUpperCase();
  if (!/^[A-Z0-9]{2,20}$/.test(s)) throw new InvalidArgumentError(`"${value}" is not an exchange symbol such as BTCUSDT`);
  return s;
}

export function symbolsArg(values: string[]): string[] {
  return values.map(symbolArg);
}
