/**
 * Abort helpers for the jobs. A job stops between units of work (files, pages, symbols) and never
 * inside a store write: a write is one transaction, so stopping there could only lose it, never
 * shorten it, and waiting for it costs well under a second.
 */
import { StoppedError } from '../core/errors.js';

/**
 * Sleeps `ms` or until `signal` aborts, whichever comes first, and leaves no listener behind:
 * `up` sleeps once a cycle for as long as it runs, so a listener left per sleep is a leak (Node
 * warns with MaxListenersExceededWarning after 11).
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles as `work` does, or rejects with the signal's reason as soon as it aborts. The work is
 * not cancelled (a download the client cannot stop runs on in the background); its result is
 * dropped, and the listener is removed either way.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      work.catch(() => undefined);
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** The error a job reports when it stopped on request. */
export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error && r.name !== 'AbortError' ? r : new StoppedError('stopped: the job was asked to abort', { cause: r });
}

/** How an error of a job's work is logged: a stop on request is news, not a failure. */
export function failureLevel(err: unknown): 'info' | 'error' {
  return err instanceof StoppedError ? 'info' : 'error';
}

/** Throws the abort reason if `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw abortReason(signal);
}
