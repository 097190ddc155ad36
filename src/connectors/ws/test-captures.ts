/**
 * Test support only: the one loader of the recorded websocket captures in `fixtures/ws/`
 * (provenance in fixtures/SOURCES.md and shared/data/SOURCES.md §2 and §12.1).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { RawFrame } from './raw-frame.js';

const WS_FIXTURES = new URL('../../../fixtures/ws/', import.meta.url);

/**
 * hftbacktest collector lines `<receive ns> <message as received>`; the receive time becomes epoch
 * ms with its fraction. Files are concatenated in the order given (a symbol's 0808 then 0809 file).
 */
export function readHftbacktestCapture(...names: string[]): RawFrame[] {
  const frames: RawFrame[] = [];
  for (const name of names) {
    const text = gunzipSync(readFileSync(new URL(`hftbacktest/spot/${name}`, WS_FIXTURES))).toString('utf8');
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const space = line.indexOf(' ');
      frames.push({ receivedAt: Number(line.slice(0, space)) / 1e6, text: line.slice(space + 1) });
    }
  }
  return frames;
}

/**
 * The received frames of a cryptofeed-derived `.jsonl` (`{"dir":"recv","ts":s,"data":<message>}`),
 * with `data` cut out of the line verbatim rather than re-serialised, so a frame is the exchange's
 * own text. The receive time is cryptofeed's `ts` (seconds) in ms.
 */
export function readCryptofeedFrames(name: string): RawFrame[] {
  const frames: RawFrame[] = [];
  for (const line of readFileSync(new URL(name, WS_FIXTURES), 'utf8').split('\n')) {
    if (!line.startsWith('{"dir":"recv"')) continue;
    const tsAt = line.indexOf('"ts":') + 5;
    const dataAt = line.indexOf(',"data":', tsAt);
    frames.push({ receivedAt: Number(line.slice(tsAt, dataAt)) * 1000, text: line.slice(dataAt + 8, -1) });
  }
  return frames;
}

/**
 * A plain one-frame-per-line file (the Bitvavo and BTCTurk recorded frames, shared SOURCES §11, and
 * the documentation examples under `docs-examples/`), each line a frame received at `receivedAt`.
 */
export function readFrameLines(name: string, receivedAt = 0): RawFrame[] {
  return readFileSync(new URL(name, WS_FIXTURES), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((text) => ({ receivedAt, text }));
}
