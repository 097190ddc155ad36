/**
 * Output columns of batch indicators. A fresh zero-filled 8 MB Float64Array costs more than the
 * SMA that fills it (the allocator clears, or the kernel faults in, every page), so batch forms
 * that write every index themselves take uninitialised memory instead.
 */
import { Buffer } from 'node:buffer';

/**
 * A Float64Array of `n` whose first `warmup` values are NaN and whose other values are
 * UNINITIALISED: the caller must write every index from `warmup` to `n − 1` before returning it.
 * `warmup` is clamped to `n`.
 */
export function outputSeries(n: number, warmup: number): Float64Array {
  // allocUnsafeSlow: its own ArrayBuffer (never the shared small-buffer pool), so offset 0 and
  // nothing else aliases it.
  const bytes = Buffer.allocUnsafeSlow(n * 8);
  return new Float64Array(bytes.buffer, bytes.byteOffset, n).fill(NaN, 0, Math.min(warmup, n));
}
