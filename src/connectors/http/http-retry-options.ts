/** The retry and transport knobs every HTTP connector takes, and their resolution against a client's own defaults. */

/** Options shared by the REST clients; each client states its own defaults. */
export interface HttpRetryOptions {
  /** Default the global `fetch`. */
  fetch?: typeof fetch;
  /** Epoch-ms clock. */
  now?: () => number;
  /** Waits between retries. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per call, counting the first. */
  maxAttempts?: number;
  /** Back-off after a failure: base·2^(n−1), capped (see `backoffMs`). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
}

/** A client's defaults for the numeric options. */
export interface HttpRetryDefaults {
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  timeoutMs: number;
}

/** Every option resolved (the clock stays optional: clients differ in what "now" defaults to). */
export interface HttpRetrySettings extends HttpRetryDefaults {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
}

/** Waits `ms` on a timer: the default `sleep`. */
export function timerSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Fills unset options from `defaults`; at least one attempt is always made. */
export function resolveHttpRetry(options: HttpRetryOptions, defaults: HttpRetryDefaults): HttpRetrySettings {
  return {
    // Looked up per call, so a global fetch replaced after construction (e.g. by a test) is used.
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    sleep: options.sleep ?? timerSleep,
    maxAttempts: Math.max(1, options.maxAttempts ?? defaults.maxAttempts),
    backoffBaseMs: options.backoffBaseMs ?? defaults.backoffBaseMs,
    backoffCapMs: options.backoffCapMs ?? defaults.backoffCapMs,
    timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
  };
}
