/**
 * Reads Tulip Indicators' text test vectors (`fixtures/indicators/tulip/tulip_tests_*.txt`;
 * provenance in fixtures/SOURCES.md) and holds the small helpers the reference-value tests share:
 * padding a series in front to reproduce "seed with the first sample", and a tolerant comparison.
 * Test support only: it does I/O.
 * @see https://github.com/TulipCharts/tulipindicators/blob/master/smoke.c (the format's reader)
 */
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const FIXTURES = new URL('../../../fixtures/indicators/tulip/', import.meta.url);

/** One Tulip case: `name opt…`, then one `{…}` line per input series and per output series. */
export interface TulipCase {
  name: string;
  options: number[];
  /** Every `{…}` line in order: inputs first, then outputs (the split depends on the indicator). */
  arrays: Float64Array[];
  /** 1-based line of the case header, for messages. */
  line: number;
}

function parseArray(file: string, line: number, text: string): Float64Array {
  // Some upstream lines carry text after the closing brace; read what the braces hold.
  const body = (/\{([^}]*)\}/.exec(text)?.[1] ?? '').trim();
  if (body === '') return new Float64Array(0);
  return Float64Array.from(body.split(','), (cell) => {
    const v = Number(cell.trim());
    if (!Number.isFinite(v)) throw new Error(`${file}:${line}: "${cell}" is not a number`);
    return v;
  });
}

/** The cases of `fixtures/indicators/tulip/<file>` whose header is exactly `header` (e.g. `stoch 5 3 3`). */
export function loadTulipCases(file: string, header: string): TulipCase[] {
  const lines = readFileSync(new URL(file, FIXTURES), 'utf8').split(/\r?\n/);
  const found: TulipCase[] = [];
  let cur: TulipCase | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l.startsWith('#')) continue;
    if (l === '') {
      cur = undefined;
      continue;
    }
    if (l.startsWith('{')) {
      if (cur !== undefined) cur.arrays.push(parseArray(file, i + 1, l));
      continue;
    }
    const [name = '', ...opts] = l.split(/\s+/);
    cur = { name, options: opts.map(Number), arrays: [], line: i + 1 };
    if (l === header) found.push(cur);
  }
  if (found.length === 0) throw new Error(`${file}: no case "${header}"`);
  return found;
}

/** `m` copies of `a[0]` followed by `a`. */
export function padFront(a: Float64Array, m: number): Float64Array {
  const out = new Float64Array(a.length + m);
  out.fill(a[0] ?? 0, 0, m);
  out.set(a, m);
  return out;
}

/**
 * Asserts `ours[from + j] ≈ expected[j]` for every j in `js` (default: all), within `abs`
 * absolute or `rel` relative error, whichever is looser: the references are rounded decimals.
 */
export function assertNear(label: string, ours: Float64Array, from: number, expected: Float64Array, tol: { abs?: number; rel?: number }, js?: Iterable<number>): void {
  const abs = tol.abs ?? 0;
  const rel = tol.rel ?? 0;
  let checked = 0;
  for (const j of js ?? expected.keys()) {
    const e = expected[j]!;
    const o = ours[from + j]!;
    const ok = Math.abs(o - e) <= Math.max(abs, rel * Math.abs(e));
    assert.ok(ok, `${label}: reference row ${j} (bar ${from + j}) expected ${e}, ours ${o}`);
    checked++;
  }
  assert.ok(checked > 0, `${label}: nothing compared`);
}
