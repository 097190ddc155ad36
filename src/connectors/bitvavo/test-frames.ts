/**
 * Test support only: the lines of a plain one-frame-per-line capture or example file under
 * `fixtures/ws/` (provenance in fixtures/SOURCES.md), each as a frame received at `receivedAt`.
 */
import { readFileSync } from 'node:fs';
import type { RawFrame } from '../ws/raw-frame.js';

const WS_FIXTURES = new URL('../../../fixtures/ws/', import.meta.url);

export function readFrameLines(name: string, receivedAt = 0): RawFrame[] {
  return readFileSync(new URL(name, WS_FIXTURES), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((text) => ({ receivedAt, text }));
}
