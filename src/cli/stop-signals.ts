/**
 * Ctrl-C (SIGINT) and SIGTERM as an abort signal, for the commands that run until stopped (`up`,
 * `serve`, `worker`, `stream`, `demo`) and for `backfill`, which stops between files: the first
 * signal prints what stopping means for that command and aborts; a second one gets Node's default
 * handling (the signals are taken once); `release()` gives them back.
 */
export class StopSignals {
  readonly #controller = new AbortController();
  readonly #onSignal: () => void;

  /** `stoppingLine` is printed on stderr at the first signal, e.g. "tickerflow up: stopping". */
  constructor(stoppingLine: string) {
    this.#onSignal = (): void => {
      if (!this.#controller.signal.aborted) process.stderr.write(`${stoppingLine}\n`);
      this.#controller.abort();
    };
    process.once('SIGINT', this.#onSignal);
    process.once('SIGTERM', this.#onSignal);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Stops as a signal would, without printing (the command ended on its own). */
  abort(): void {
    this.#controller.abort();
  }

  release(): void {
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
  }
}
