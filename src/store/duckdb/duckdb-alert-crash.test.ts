import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDbStore } from './duckdb-store.js';

const WRITER = fileURLToPath(new URL('../test-support/alert-crash-writer.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// DuckDB 1.5 once left a file unopenable after a kill when its WAL held an ALTER of a table whose
// id defaults to nextval() (migration 003). The alert tables are new tables with such ids, written,
// updated and deleted from: their WAL must replay, and the evaluation open at the kill must vanish.
test('duckdb store - kill -9 after every kind of alert and user write replays them all and drops the open evaluation', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-alert-crash-'));
  const db = join(dir, 'alerts.duckdb');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, db], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (text: string) => {
        out += text;
        if (out.includes('paused\n')) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited without being killed: ${out}`))));
    });
    assert.match(out, /written\npaused\n$/);
    const ids = JSON.parse(/^ids (.*)$/m.exec(out)?.[1] ?? '{}') as Record<string, number>;
    const alice = ids.alice ?? -1;
    const bob = ids.bob ?? -1;

    const store = await DuckDbStore.open(db);
    try {
      await store.migrate();
      assert.deepEqual((await store.listUsers()).map((u) => [u.name, u.role, u.timezone]), [['alice', 'admin', 'UTC'], ['bob', 'user', 'Europe/Amsterdam']]);
      assert.equal((await store.getUserByName('alice'))?.passwordHash, 'hash-a2');
      assert.deepEqual((await store.listRules(alice)).map((r) => [r.id, r.enabled, r.mutedUntil]), [[ids.kept, false, 1_704_067_200_001]]);
      assert.deepEqual(await store.listRuleStates(), [{ ruleId: ids.kept, state: { n: 1 }, updatedAt: 1_704_067_200_000 }], 'the open evaluation left its state unchanged');
      assert.deepEqual((await store.listFirings(alice, { limit: 10 })).map((f) => f.id), [ids.firing], 'and no firing');
      assert.deepEqual((await store.listOutbox(ids.firing ?? -1)).map((o) => [o.channel, o.status, o.attempts]), [
        ['telegram:-1005', 'pending', 1],
        ['dashboard', 'delivered', 1],
      ]);
      assert.deepEqual((await store.dueOutbox(Number.MAX_SAFE_INTEGER, 10)).map((o) => o.firingId), [ids.firing], 'and no outbox row');
      assert.deepEqual((await store.listChatLinks()).map((l) => [l.userId, l.chatId]), [[alice, '-1005'], [bob, '77']]);
      assert.deepEqual((await store.listApiTokens(bob)).map((t) => [t.id, t.lastUsedAt, t.revokedAt]), [[ids.token, 1_704_067_320_000, 1_704_067_400_000]]);
      // The ids go on from where they were: new rows do not reuse a replayed id.
      const next = await store.createRule(bob, 'after', {}, 0);
      assert.ok(next.id > (ids.gone ?? Infinity), `rule id ${next.id} after ${ids.gone}`);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
