import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIndicatorSpecs } from './catalog.js';
import { STREAM_CATALOG, type MadeStream } from './stream-catalog.js';
import { btcusdt1m } from './test-support/real-bars.js';

const bars = btcusdt1m();
const barAt = (i: number, scale = 1): { openTime: number; open: number; high: number; low: number; close: number; volume: number } => ({
  openTime: bars.openTime?.[i] as number,
  open: (bars.open?.[i] as number) * scale,
  high: (bars.high[i] as number) * scale,
  low: (bars.low[i] as number) * scale,
  close: (bars.close[i] as number) * scale,
  volume: (bars.volume?.[i] as number) * scale,
});
/** The output as plain numbers (multi-output streams reuse their record). */
const values = (v: ReturnType<MadeStream['step']>): number[] => (typeof v === 'number' ? [v] : Object.values(v));

for (const [name, entry] of Object.entries(STREAM_CATALOG)) {
  test(`stream catalog ${name} - a fork stepped tentatively leaves the stream as it was, and replace on the fork gives what the stream's own step gives`, () => {
    const params = (parseIndicatorSpecs(name)[0] as { params: number[] }).params;
    const stream = entry.make(params, 'close');
    const twin = entry.make(params, 'close');
    const at = stream.warmup + 30;
    for (let i = 0; i < at; i++) {
      stream.step(barAt(i));
      twin.step(barAt(i));
    }
    const fork = stream.fork();
    fork.step(barAt(at, 1.02));
    fork.replace(barAt(at, 0.97));
    const tentative = values(fork.replace(barAt(at)));
    const real = values(stream.step(barAt(at)));
    assert.deepEqual(tentative, real, 'the fork\'s last replace equals the real step with that bar');
    assert.ok(real.some((x) => Number.isFinite(x)), `${name} is warmed up at bar ${at}`);
    // The stream and its never-forked twin go on equal: nothing of the fork's steps reached it.
    assert.deepEqual(real, values(twin.step(barAt(at))));
    fork.step(barAt(at + 1, 1.5));
    for (let i = at + 1; i < at + 40; i++) assert.deepEqual(values(stream.step(barAt(i))), values(twin.step(barAt(i))), `bar ${i}`);
  });
}
