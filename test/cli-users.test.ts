import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { verifyPassword } from '../src/api/auth/password-hash.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { runCli, type CliResult } from './support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tf-cli-users-'));
const db = join(dir, 'tickerflow.duckdb');
test.after(() => rmSync(dir, { recursive: true, force: true }));

const PASSWORD = 'correct horse battery';
const users = (args: string[], input?: string): CliResult => runCli(['--db', db, 'users', ...args], input === undefined ? {} : { input });

async function inStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Nothing the command printed carries the password. */
function assertSilentAbout(r: CliResult, secret: string): void {
  assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${r.stdout}${r.stderr}`);
}

test('cli users - add, list, token, passwd and rm go straight to the store, and no password is ever printed', async () => {
  const added = users(['add', 'alice', '--admin', '--timezone', 'europe/amsterdam', '--password-stdin'], `${PASSWORD}\n`);
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /^added user alice \(id \d+, admin, Europe\/Amsterdam\)\n$/);
  assertSilentAbout(added, PASSWORD);
  const bob = users(['add', 'bob', '--password-stdin'], 'bobs own password\n');
  assert.equal(bob.code, 0, bob.stderr);

  const alice = await inStore((s) => s.getUserByName('alice'));
  assert.ok(alice);
  assert.equal(alice.role, 'admin');
  assert.equal(alice.timezone, 'Europe/Amsterdam');
  assert.ok(!alice.passwordHash.includes(PASSWORD));
  assert.equal(await verifyPassword(PASSWORD, alice.passwordHash), true);
  assert.equal(await verifyPassword('bobs own password', alice.passwordHash), false);

  const list = users(['list']);
  assert.equal(list.code, 0, list.stderr);
  const rows = list.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).slice(0, 4));
  assert.deepEqual(rows, [['name', 'id', 'role', 'timezone'], ['alice', String(alice.id), 'admin', 'Europe/Amsterdam'], ['bob', String(alice.id + 1), 'user', 'UTC']]);

  const token = users(['token', 'alice', '--label', 'laptop']);
  assert.equal(token.code, 0, token.stderr);
  assert.match(token.stdout, /^tf_[A-Za-z0-9_-]{43}\n$/, 'the token alone on stdout, for scripts');
  assert.match(token.stderr, /^token \d+ "laptop" for alice; it is shown only now:\n$/);
  const printed = token.stdout.trim();
  await inStore(async (s) => {
    assert.equal((await s.userForTokenHash(createHash('sha256').update(printed).digest('hex'), Date.now()))?.name, 'alice');
    assert.deepEqual((await s.listApiTokens(alice.id)).map((t) => t.label), ['laptop']);
  });

  const passwd = users(['passwd', 'alice', '--password-stdin'], 'a brand new passphrase\r\n');
  assert.equal(passwd.code, 0, passwd.stderr);
  assert.equal(passwd.stdout, 'password of alice changed\n');
  const hash = (await inStore((s) => s.getUserByName('alice')))?.passwordHash ?? '';
  assert.equal(await verifyPassword('a brand new passphrase', hash), true);
  assert.equal(await verifyPassword(PASSWORD, hash), false);

  const rm = users(['rm', 'alice']);
  assert.equal(rm.code, 0, rm.stderr);
  await inStore(async (s) => {
    assert.equal(await s.getUserByName('alice'), null);
    assert.equal(await s.userForTokenHash(createHash('sha256').update(printed).digest('hex'), Date.now()), null, 'her token went with her');
    assert.deepEqual((await s.listUsers()).map((u) => u.name), ['bob']);
  });
});

test('cli users - bad input gets a one-line reason, a non-zero exit, and changes nothing', async () => {
  const setup = users(['add', 'carol', '--password-stdin'], `${PASSWORD}\n`);
  assert.equal(setup.code, 0, setup.stderr);
  const before = await inStore((s) => s.getUserByName('carol'));
  const cases: Array<[string[], string | undefined, RegExp]> = [
    [['add', 'carol', '--password-stdin'], 'another password!\n', /^tickerflow: user "carol" already exists$/],
    [['add', 'dave', '--timezone', 'Mars/Olympus', '--password-stdin'], `${PASSWORD}\n`, /timezone "Mars\/Olympus" is not an IANA time zone/],
    [['add', 'no spaces', '--password-stdin'], `${PASSWORD}\n`, /user name "no spaces": use 1 to 64 letters/],
    [['add', 'dave', '--password-stdin'], 'short\n', /password: at least 10 characters, got 5$/],
    [['add', 'dave'], undefined, /no terminal to type the password on: pipe it in with --password-stdin$/],
    [['passwd', 'nobody', '--password-stdin'], `${PASSWORD}\n`, /no user named "nobody"/],
    [['passwd', 'carol', '--password-stdin'], '2short\n', /password: at least 10 characters, got 6$/],
    [['rm', 'nobody'], undefined, /no user named "nobody"/],
    [['token', 'nobody'], undefined, /no user named "nobody"/],
    [['token', 'carol', '--label', ''], undefined, /a label is 1 to 100 characters/],
  ];
  for (const [args, input, reason] of cases) {
    const r = users(args, input);
    assert.notEqual(r.code, 0, args.join(' '));
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
    assert.match(lines[0] ?? '', reason, args.join(' '));
    if (input !== undefined) assertSilentAbout(r, input.trim());
  }
  await inStore(async (s) => {
    assert.deepEqual(await s.getUserByName('carol'), before, 'carol unchanged');
    assert.equal(await s.getUserByName('dave'), null);
    assert.deepEqual(await s.listApiTokens(before?.id ?? -1), []);
  });
});
