/** Draws pipeline progress as a bar on stderr when it is a terminal; otherwise draws nothing. */
import cliProgress from 'cli-progress';
import type { Progress, ProgressAmount } from '../pipeline/progress.js';

export interface ProgressBar extends Progress {
  stop(): void;
}

/** What the bar shows beside files done / known: rows, download rate and time left. */
export interface ProgressFigures {
  rows: string;
  rate: string;
  eta: string;
}

/**
 * The bar's figures after `elapsedMs`: MB/s over the whole run (files download in parallel, so
 * a per-file rate would say little), ETA from the files still to do at the rate files finished.
 */
export function progressFigures(done: number, total: number, rows: number, bytes: number, elapsedMs: number): ProgressFigures {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? `${(bytes / 1e6 / seconds).toFixed(1)} MB/s` : '– MB/s';
  let eta = '–';
  if (done > 0 && total >= done && seconds > 0) {
    const left = Math.round(((total - done) * seconds) / done);
    eta = left >= 3600 ? `${Math.floor(left / 3600)}h${String(Math.floor((left % 3600) / 60)).padStart(2, '0')}m` : left >= 60 ? `${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s` : `${left}s`;
  }
  return { rows: rows.toLocaleString('en-US'), rate, eta };
}

export function progressBar(title: string, stream: NodeJS.WriteStream = process.stderr, clock: () => number = Date.now): ProgressBar | undefined {
  if (stream.isTTY !== true) return undefined;
  const bar = new cliProgress.SingleBar(
    { format: `${title} [{bar}] {value}/{total} files | {rows} rows | {rate} | ETA {timeLeft} | {label}`, stream, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const t0 = clock();
  let total = 0;
  let done = 0;
  let rows = 0;
  let bytes = 0;
  let started = false;
  // `timeLeft`, not `eta`: cli-progress fills `{eta}` itself, from its own estimate.
  const payload = (label: string): Record<string, string> => {
    const f = progressFigures(done, total, rows, bytes, clock() - t0);
    return { label, rows: f.rows, rate: f.rate, timeLeft: f.eta };
  };
  return {
    add(n) {
      total += n;
      if (!started) {
        bar.start(total, 0, payload(''));
        started = true;
      } else bar.setTotal(total);
    },
    start(label) {
      if (started) bar.update(payload(label));
    },
    tick(label, amount?: ProgressAmount) {
      done++;
      rows += amount?.rows ?? 0;
      bytes += amount?.bytes ?? 0;
      if (started) bar.update(done, payload(label));
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
