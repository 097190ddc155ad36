/** The error of a rule draft that cannot be saved: which field is wrong, and where in the expression. */
import { BadInputError } from '../core/errors.js';

/**
 * A rule draft with a bad field. `field` is its path (`expression`, `scope.symbols.2`,
 * `quietHours.from`); `position` is set for an expression error (0-based, as RuleSyntaxError's).
 */
export class RuleDraftError extends BadInputError {
  readonly field: string;
  readonly position: number | undefined;
  constructor(field: string, message: string, position?: number, options?: { cause?: unknown }) {
    super(`${field}: ${message}`, options);
    this.field = field;
    this.position = position;
  }
}
