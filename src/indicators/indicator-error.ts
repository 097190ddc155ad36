/** The error every indicator throws on bad input: it names the indicator and the bar or parameter. */
import { BadInputError } from '../core/errors.js';

export interface IndicatorInputDetail {
  /** 0-based index of the offending bar, when a bar is at fault. */
  index?: number;
  /** Name of the offending parameter or input column (`period`, `close`, `volume`…). */
  param?: string;
}

/**
 * Bad input to an indicator: NaN or negative price/volume, unsorted or duplicate timestamps,
 * mismatched column lengths, or a parameter out of range. Code `BAD_INPUT`.
 * The message reads `<indicator>: <what>` and includes the bar index or parameter name.
 */
export class IndicatorInputError extends BadInputError {
  readonly indicator: string;
  readonly index: number | undefined;
  readonly param: string | undefined;
  constructor(indicator: string, message: string, detail: IndicatorInputDetail = {}, options?: { cause?: unknown }) {
    super(`${indicator}: ${message}`, options);
    this.indicator = indicator;
    this.index = detail.index;
    this.param = detail.param;
  }
}
