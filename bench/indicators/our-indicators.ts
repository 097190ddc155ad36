/**
 * Finds our indicators in src/indicators/ by the shared API convention (batch function `rsi`,
 * streaming class `RsiStream`), so the benchmark picks up each indicator as soon as its file
 * exists. A file that fails to load (work in progress) is reported and skipped, never fatal.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = new URL('../../src/indicators/', import.meta.url);
const SKIP = /(\.test\.ts|\.contract\.ts|\.d\.ts)$|^(index|types|validate|indicator-error)\.ts$/;

/** Everything our indicator modules export, by export name, and the files that did not load. */
export interface OurExports {
  exports: Map<string, unknown>;
  files: string[];
  failed: { file: string; reason: string }[];
}

/** Called as `(...lead, input, ...args)`, see BenchCase in cases.ts. */
export type BatchFn = (...args: unknown[]) => unknown;
export type StreamCtor = new (...args: unknown[]) => object;

/** Imports every indicator module once. */
export async function loadOurIndicators(): Promise<OurExports> {
  const exports = new Map<string, unknown>();
  const files: string[] = [];
  const failed: { file: string; reason: string }[] = [];
  const names = readdirSync(fileURLToPath(DIR)).filter((f) => f.endsWith('.ts') && !SKIP.test(f)).sort();
  for (const file of names) {
    try {
      const mod: Record<string, unknown> = await import(new URL(file, DIR).href);
      for (const [name, value] of Object.entries(mod)) exports.set(name, value);
      files.push(file);
    } catch (err) {
      failed.push({ file, reason: err instanceof Error ? err.message.split('\n')[0]! : String(err) });
    }
  }
  return { exports, files, failed };
}

/** The first candidate name that is an exported function (batch forms are plain functions). */
export function findBatch(ours: OurExports, names: string[]): { name: string; fn: BatchFn } | undefined {
  for (const name of names) {
    const v = ours.exports.get(name);
    if (typeof v === 'function' && !isClass(v)) return { name, fn: (...args) => Reflect.apply(v, undefined, args) };
  }
  return undefined;
}

/** The first candidate name that is an exported class. */
export function findStream(ours: OurExports, names: string[]): { name: string; ctor: StreamCtor } | undefined {
  for (const name of names) {
    const v = ours.exports.get(name);
    if (isClass(v)) return { name, ctor: v };
  }
  return undefined;
}

/** Batch forms are plain functions, streams are classes; their source text tells them apart. */
function isClass(fn: unknown): fn is StreamCtor {
  return typeof fn === 'function' && Function.prototype.toString.call(fn).startsWith('class');
}
