/** Checks of what a person types for a user (name, time zone), shared by `tickerflow users` and the API. */
import { BadInputError } from '../../core/errors.js';

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A user name: 1–64 letters, digits, `_`, `.` or `-`, starting with a letter or digit. */
export function checkUserName(name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new BadInputError(`user name "${name}": use 1 to 64 letters, digits, "_", "." or "-", starting with a letter or digit`);
  }
  return name;
}

/**
 * An IANA time zone the runtime knows (quiet hours are evaluated in it), in its canonical
 * spelling: `europe/amsterdam` is stored as `Europe/Amsterdam`.
 */
export function checkTimezone(timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch (err) {
    throw new BadInputError(`timezone "${timezone}" is not an IANA time zone (e.g. Europe/Amsterdam, America/New_York, UTC)`, { cause: err });
  }
}
