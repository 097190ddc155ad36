/**
 * Timing primitives for the indicator benchmark. Each streaming loop is compiled separately
 * (`new Function` with a unique source) so V8 keeps a monomorphic call site per implementation:
 * one shared `s.update(x)` loop would go megamorphic after the third indicator class and
 * measure V8's inline-cache misses instead of the indicators.
 */
import type { StreamSpec } from './cases.js';

/** Feeds inputs `0..n-1` to `stream` and returns the last output. */
export type StreamLoop = (stream: object, closes: Float64Array, bars: readonly object[], n: number) => unknown;

/** A dedicated loop for one implementation; `tag` only makes the source (and so its feedback) unique. */
export function compileStreamLoop(tag: string, method: StreamSpec['method'], input: StreamSpec['input']): StreamLoop {
  if (!/^[A-Za-z_$][\w$]*$/.test(method)) throw new Error(`bad method name ${method}`);
  const arg = input === 'close' ? 'closes[i]' : 'bars[i]';
  const source = `// ${tag.replace(/[\r\n]/g, ' ')}
    let r;
    for (let i = 0; i < n; i++) r = stream.${method}(${arg});
    return r;`;
  const fn: unknown = new Function('stream', 'closes', 'bars', 'n', source);
  if (typeof fn !== 'function') throw new Error('compileStreamLoop: not a function');
  return (stream, closes, bars, n) => Reflect.apply(fn, undefined, [stream, closes, bars, n]);
}

/**
 * `cpu`: this process's CPU time (user + system, µs resolution: ≥ 1 ms per run keeps it under
 * 0.1 %), so time descheduled on a shared machine does not count; `wall`: monotonic wall time.
 */
export type Clock = 'cpu' | 'wall';

function nowNs(clock: Clock): number {
  if (clock === 'wall') return Number(process.hrtime.bigint());
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/** Time of one call of `fn`, in ns per bar; `sink` receives the result so it stays live. */
export function timePerBar(fn: () => unknown, n: number, sink: (r: unknown) => void, clock: Clock = 'cpu'): number {
  const t0 = nowNs(clock);
  const r = fn();
  const t1 = nowNs(clock);
  sink(r);
  return (t1 - t0) / n;
}

/** Median of a non-empty sample (mean of the middle two for even sizes). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** `items` rotated left by `k`, so each round starts with a different implementation. */
export function rotate<T>(items: readonly T[], k: number): T[] {
  if (items.length === 0) return [];
  const r = ((k % items.length) + items.length) % items.length;
  return [...items.slice(r), ...items.slice(0, r)];
}
