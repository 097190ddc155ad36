/** Draws pipeline progress as a bar on stderr when it is a terminal; otherwise draws nothing. */
import cliProgress from 'cli-progress';
import type { Progress } from '../pipeline/progress.js';

export interface ProgressBar extends Progress {
  stop(): void;
}

export function progressBar(title: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar | undefined {
  if (stream.isTTY !== true) return undefined;
  const bar = new cliProgress.SingleBar(
    { format: `${title} [{bar}] {value}/{total} {label}`, stream, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let total = 0;
  let started = false;
  return {
    add(n) {
      total += n;
      if (!started) {
        bar.start(total, 0, { label: '' });
        started = true;
      } else bar.setTotal(total);
    },
    start(label) {
      if (started) bar.update({ label });
    },
    tick(label) {
      if (started) bar.increment(1, { label });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
