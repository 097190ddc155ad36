/** The logger every command and script uses: pino on stderr, secrets redacted. */
import { pino, type Logger } from 'pino';
import { ConfigError } from '../core/errors.js';

/**
 * A pino logger at `level` writing to stderr, so that stdout stays clean for data
 * (`candles --format csv | …`); API keys and tokens are redacted.
 * @throws ConfigError for a level pino does not have.
 */
export function createLogger(level: string): Logger {
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(level)) throw new ConfigError(`--log-level must be one of ${levels.join(', ')}, not "${level}"`);
  return pino({ level, base: undefined, redact: ['secrets', '*.apiKey', '*.token'] }, pino.destination(2));
}

