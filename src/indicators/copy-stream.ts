/**
 * A deep copy of a stream's state, for a tentative step that must not touch the original (an
 * alert rule evaluated on a forming bar steps a copy, then the real stream steps the closed bar).
 *
 * Streams are plain class instances holding numbers, arrays, typed arrays and other streams, so
 * one structural copy serves them all instead of a `clone()` per indicator: every object is copied
 * with its prototype (the copy keeps its methods), typed arrays and arrays element by element,
 * and an object reached twice (a stream's reused output record, a window shared by two parts) is
 * copied once, so the copy's parts alias each other exactly as the original's do. Functions are
 * shared: streams keep only pure ones (pattern definitions).
 */
export function copyStream<T extends object>(stream: T): T {
  return copyValue(stream, new Map()) as T;
}

function copyValue(v: unknown, seen: Map<object, unknown>): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const done = seen.get(v);
  if (done !== undefined) return done;
  if (ArrayBuffer.isView(v)) {
    if (v instanceof DataView) throw new TypeError('copyStream: a DataView is not copied');
    const copy = (v as unknown as { slice(): unknown }).slice();
    seen.set(v, copy);
    return copy;
  }
  if (Array.isArray(v)) {
    const copy: unknown[] = new Array<unknown>(v.length);
    seen.set(v, copy);
    for (let i = 0; i < v.length; i++) copy[i] = copyValue(v[i], seen);
    return copy;
  }
  if (v instanceof Map || v instanceof Set || v instanceof Promise || v instanceof WeakMap) {
    // No stream holds one today; copying it field by field would give a broken object.
    throw new TypeError(`copyStream: a ${v.constructor.name} is not copied`);
  }
  const copy = Object.create(Object.getPrototypeOf(v) as object | null) as Record<string, unknown>;
  seen.set(v, copy);
  // Class fields are own, enumerable, writable data properties (TypeScript's `readonly` is not
  // enforced at run time): assigned in declaration order, they give the copy the original's shape.
  const source = v as Record<string, unknown>;
  for (const key of Object.keys(source)) copy[key] = copyValue(source[key], seen);
  return copy;
}
