/** The write precondition both backends check before touching the database. */
import type { CandleColumns } from '../../core/candle.js';
import { BadInputError } from '../../core/errors.js';

/** Throws unless open times strictly increase: one write may touch each open time once. */
export function assertAscending(c: CandleColumns): void {
  for (let i = 1; i < c.length; i++) {
    if (!((c.openTime[i] as number) > (c.openTime[i - 1] as number))) {
      throw new BadInputError(`candles must be sorted by open time without duplicates (row ${i + 1}: ${c.openTime[i]})`);
    }
  }
}
