import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/**
 * A test double shares no code with what it tests (STYLE.md, issue 15): the replay server's code
 * and the end-to-end tests' expected values must not import the client connectors. Tests of the
 * replay may import clients (they are what is tested), so `*.test.ts` files are not checked.
 */
function imports(dir: string): { file: string; spec: string }[] {
  const out: { file: string; spec: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)) out.push({ file, spec: m[1] as string });
  }
  return out;
}

test('replay independence - src/replay and test/support import nothing from src/connectors', () => {
  const roots = ['../../src/replay', '../../test/support'].map((r) => fileURLToPath(new URL(r, import.meta.url)));
  const all = roots.flatMap(imports);
  assert.ok(all.length > 20, `expected to find the replay's imports, found ${all.length}`);
  const offending = all.filter((i) => i.spec.includes('/connectors/')).map((i) => `${i.file}: ${i.spec}`);
  assert.deepEqual(offending, []);
});

test('replay independence - the websocket replay (src/replay/ws) reads captures with its own code: nothing from connectors, stream or bus', () => {
  const ws = imports(fileURLToPath(new URL('./ws', import.meta.url)));
  assert.ok(ws.length > 10, `expected to find the websocket replay's imports, found ${ws.length}`);
  const offending = ws.filter((i) => /\/(connectors|stream|bus)\//.test(i.spec) || /^\.\.\/\.\.\/(connectors|stream|bus)\b/.test(i.spec)).map((i) => `${i.file}: ${i.spec}`);
  assert.deepEqual(offending, []);
});
