/**
 * The contract every indicator passes, on real recorded candles (test-support/real-bars.ts):
 * batch output has the input's length with exactly the declared warm-up; streaming `update`
 * equals batch bar by bar; `replace` of the forming bar equals `update` with that bar; no
 * look-ahead (a value at bar i is the same whatever follows bar i); bad input throws
 * `IndicatorInputError` naming the indicator and the bar, and leaves a stream untouched; with
 * `into`, batch into a reused caller buffer (pre-filled with garbage) equals the allocating batch.
 *
 * Use it from `<indicator>.test.ts`:
 *   runIndicatorContract({ name: 'rsi', input: 'close', batch: (b) => rsi(b.close, 14),
 *     stream: () => new RsiStream(14), warmup: 14, badParams: [() => rsi(close, 1)],
 *     into: (b, out) => rsi(b.close, 14, out) });
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IndicatorInputError } from './indicator-error.js';
import type { Bars, Streaming } from './types.js';
import { realDatasets, type RealBars } from './test-support/real-bars.js';
import {
  asRecord, assertOutRejected, assertSameSeries, assertStreamMatches, assertThrowsAt, barAt, type BatchOutput, cloneBars,
  type ContractSpec, copyOut, feeder, fillGarbage, maxWarmup, same, sliceBars, type StreamOutput, warmupOf,
} from './test-support/contract-support.js';

export type { BarsContractSpec, CloseContractSpec, ContractSpec } from './test-support/contract-support.js';

/** The `out` checks: garbage-filled reused buffers give the allocating result; bad buffers throw. */
function runOutContract<O extends BatchOutput>(spec: ContractSpec<O>, into: (bars: Bars, out: O) => O, datasets: RealBars[]): void {
  for (const bars of datasets) {
    test(`${spec.name} - batch into a reused garbage-filled buffer equals the allocating batch on ${bars.label}`, () => {
      const expected = asRecord(spec.batch(bars));
      // The buffers come from an allocating call, so they have the right shape without a cast.
      const buf = spec.batch(bars);
      const bufRec = asRecord(buf);
      for (let round = 0; round < 2; round++) {
        fillGarbage(bufRec);
        const got = into(bars, buf);
        const gotRec = asRecord(got);
        for (const [key, s] of Object.entries(bufRec)) assert.equal(gotRec[key], s, `${spec.name}: "${key}" is not the caller's buffer`);
        assertSameSeries(spec.name, gotRec, expected, `into a reused buffer (round ${round + 1})`);
      }
    });
  }

  const bars = datasets[0]!;
  const n = bars.close.length;
  test(`${spec.name} - out of the wrong length is rejected naming out`, () => {
    assertOutRejected(spec, () => into(bars, spec.batch(sliceBars(bars, n - 1))), 'short out');
  });
  const sample = spec.batch(bars);
  if (!(sample instanceof Float64Array)) {
    test(`${spec.name} - out missing an output key is rejected naming out`, () => {
      for (const key of Object.keys(sample)) {
        const partial = { ...spec.batch(bars) };
        Reflect.deleteProperty(partial, key);
        assertOutRejected(spec, () => into(bars, partial), `out without "${key}"`);
      }
    });
  }
  test(`${spec.name} - out sharing memory with an input column is rejected`, () => {
    const b = cloneBars(bars);
    const buf = spec.batch(b);
    const first = Object.values(asRecord(buf))[0]!;
    b.close = first;
    assertOutRejected(spec, () => into(b, buf), 'out aliasing close');
  });
}

/** Registers the contract tests for one indicator configuration. */
export function runIndicatorContract<O extends BatchOutput>(spec: ContractSpec<O>): void {
  const datasets = spec.datasets ?? realDatasets();
  const feed = feeder(spec);
  const columns = spec.columns ?? (spec.input === 'close' ? ['close'] : ['close', 'high', 'low', ...(spec.needs?.volume === true ? ['volume'] : [])]);

  describe(`${spec.name} contract`, () => {
    test(`${spec.name} - stream declares the batch warm-up`, () => {
      const s = spec.stream();
      assert.equal(s.warmup, maxWarmup(spec));
    });

    for (const bars of datasets) {
      const n = bars.close.length;
      const full = asRecord(spec.batch(bars));

      test(`${spec.name} - batch output has the input length and exactly the declared warm-up on ${bars.label}`, () => {
        for (const [key, out] of Object.entries(full)) {
          assert.equal(out.length, n, `${spec.name} "${key}" length`);
          const w = warmupOf(spec, key);
          for (let i = 0; i < Math.min(w, n); i++) assert.ok(Number.isNaN(out[i]), `${spec.name} "${key}" bar ${i} is ${out[i]} inside the warm-up of ${w}`);
          for (let i = w; i < n; i++) assert.ok(Number.isFinite(out[i]), `${spec.name} "${key}" bar ${i} is ${out[i]} after the warm-up of ${w}`);
        }
      });

      test(`${spec.name} - streaming update equals batch bar by bar on ${bars.label}`, () => {
        const step = feed.make();
        for (let i = 0; i < n; i++) assertStreamMatches(spec, full, step('update', bars, i), i, 'update');
      });

      test(`${spec.name} - replace of the forming bar equals update with that bar on ${bars.label}`, () => {
        const step = feed.make();
        for (let i = 0; i < n; i++) {
          step('update', bars, i, 1.01, 1.5);
          step('replace', bars, i, 0.99, 0.5);
          assertStreamMatches(spec, full, step('replace', bars, i), i, 'replace');
        }
        const first = feed.make();
        assertStreamMatches(spec, full, first('replace', bars, 0), 0, 'replace as first call');
        for (let i = 1; i < Math.min(n, maxWarmup(spec) + 20); i++) {
          assertStreamMatches(spec, full, first('update', bars, i), i, 'update after a first replace');
        }
      });

      test(`${spec.name} - no look-ahead: values up to bar i ignore the bars after it on ${bars.label}`, () => {
        const w = maxWarmup(spec);
        for (const end of new Set([1, w, w + 1, w + 2, Math.floor(n / 2), n - 1].filter((e) => e > 0 && e < n))) {
          const part = asRecord(spec.batch(sliceBars(bars, end)));
          for (const [key, out] of Object.entries(part)) {
            assert.equal(out.length, end);
            for (let i = 0; i < end; i++) {
              if (!same(out[i]!, full[key]![i]!, 0)) assert.fail(`${spec.name} "${key}" bar ${i}: ${out[i]} on ${end} bars, ${full[key]![i]} on ${n}`);
            }
          }
        }
      });
    }

    test(`${spec.name} - empty input gives empty output`, () => {
      const empty = new Float64Array(0);
      const bars: Bars = { open: empty, high: empty, low: empty, close: empty, volume: empty, openTime: empty };
      for (const out of Object.values(asRecord(spec.batch(bars)))) assert.equal(out.length, 0);
    });

    const bars = datasets[0]!;
    const k = Math.min(bars.close.length - 1, maxWarmup(spec) + 7);
    for (const col of columns) {
      for (const bad of [NaN, -1]) {
        test(`${spec.name} - batch rejects ${bad} ${col} naming bar ${k}`, () => {
          const b = cloneBars(bars);
          const c = col === 'close' ? b.close : col === 'high' ? b.high : col === 'low' ? b.low : col === 'open' ? b.open! : b.volume!;
          c[k] = bad;
          assertThrowsAt(spec, () => spec.batch(b), k, `${bad} ${col}`);
        });
      }
      if (spec.input === 'bars' && col !== 'close') {
        // Plain JavaScript callers can leave a column out; TypeScript callers cannot.
        test(`${spec.name} - batch without the ${col} column says it needs it`, () => {
          const b: Record<string, Float64Array | undefined> = { ...cloneBars(bars) };
          delete b[col];
          assert.throws(() => spec.batch(b as unknown as Bars), (e: unknown) => e instanceof IndicatorInputError && e.message.includes(col));
        });
      }
    }

    // JavaScript callers: plain arrays work as the typed ones do; a string (Binance sends prices
    // as "7211.02") or null in a column or a bar is an error naming the bar, never arithmetic on it.
    test(`${spec.name} - batch on plain arrays equals batch on Float64Arrays`, () => {
      const plain: Record<string, number[]> = {};
      for (const [k, v] of Object.entries(bars)) if (v instanceof Float64Array) plain[k] = Array.from(v);
      assertSameSeries(spec.name, asRecord(spec.batch(plain as unknown as Bars)), asRecord(spec.batch(bars)), 'plain arrays');
    });

    for (const col of columns) {
      for (const bad of [String(bars.close[k]), null] as const) {
        test(`${spec.name} - batch rejects a ${bad === null ? 'null' : 'string'} ${col} in a plain array naming bar ${k}`, () => {
          const plain: Record<string, unknown[]> = {};
          for (const [key, v] of Object.entries(bars)) if (v instanceof Float64Array) plain[key] = Array.from(v);
          plain[col]![k] = bad;
          assertThrowsAt(spec, () => spec.batch(plain as unknown as Bars), k, `${String(bad)} ${col}`);
        });
      }
    }

    test(`${spec.name} - stream rejects a string or null value and keeps its state`, () => {
      const full = asRecord(spec.batch(bars));
      const s = spec.stream() as Streaming<unknown, StreamOutput>;
      const at = (i: number): unknown => (spec.input === 'close' ? bars.close[i]! : barAt(bars, i));
      for (let i = 0; i < k; i++) s.update(at(i));
      for (const col of columns) {
        for (const bad of [String(bars.close[k]), null]) {
          const input = spec.input === 'close' ? bad : { ...barAt(bars, k), [col]: bad };
          assertThrowsAt(spec, () => s.update(input), k, `stream update ${String(bad)} ${col}`);
          assertThrowsAt(spec, () => s.replace(input), k - 1, `stream replace ${String(bad)} ${col}`);
        }
      }
      for (let i = k; i < bars.close.length; i++) assertStreamMatches(spec, full, copyOut(s.update(at(i))), i, 'update after rejected strings');
    });

    test(`${spec.name} - stream rejects a bad bar and keeps its state`, () => {
      const full = asRecord(spec.batch(bars));
      const bad = cloneBars(bars);
      bad.close[k] = NaN;
      if (spec.input === 'close') {
        const s = spec.stream();
        for (let i = 0; i < k; i++) s.update(bars.close[i]!);
        assertThrowsAt(spec, () => s.update(NaN), undefined, 'stream update NaN');
        assertThrowsAt(spec, () => s.replace(-1), undefined, 'stream replace -1');
        for (let i = k; i < bars.close.length; i++) assertStreamMatches(spec, full, copyOut(s.update(bars.close[i]!)), i, 'update after a rejected bar');
      } else {
        const s = spec.stream();
        for (let i = 0; i < k; i++) s.update(barAt(bars, i));
        assertThrowsAt(spec, () => s.update(barAt(bad, k)), undefined, 'stream update NaN close');
        assertThrowsAt(spec, () => s.replace({ ...barAt(bars, k), close: -1 }), undefined, 'stream replace -1 close');
        for (let i = k; i < bars.close.length; i++) assertStreamMatches(spec, full, copyOut(s.update(barAt(bars, i))), i, 'update after a rejected bar');
      }
    });

    if (spec.into !== undefined) {
      const into = spec.into;
      runOutContract(spec, (b, out) => into.call(spec, b, out), datasets);
    }

    for (const [j, thunk] of (spec.badParams ?? []).entries()) {
      test(`${spec.name} - rejects out-of-range parameters (case ${j + 1})`, () => {
        assertThrowsAt(spec, thunk, undefined, `bad parameter case ${j + 1}`);
      });
    }
  });
}
