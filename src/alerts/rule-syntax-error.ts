/** The error of a rule that cannot be read: what is wrong and where (0-based character position). */
import { BadInputError } from '../core/errors.js';

/**
 * A rule expression that does not parse or names an unknown indicator, output or interval.
 * `position` is the 0-based offset in the expression of the token at fault; the message says it
 * 1-based, as a person counts ("at 9: …").
 */
export class RuleSyntaxError extends BadInputError {
  readonly position: number;
  constructor(position: number, message: string, options?: { cause?: unknown }) {
    super(`at ${position + 1}: ${message}`, options);
    this.position = position;
  }
}
