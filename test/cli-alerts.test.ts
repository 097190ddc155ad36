import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { previewRule } from '../src/alerts/preview.js';
import { parseRuleDraft, type BarRuleDefinition } from '../src/alerts/rule-draft.js';
import { parseTime } from '../src/core/time.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { btcusdtDay } from '../src/store/test-support/fixture-candles.js';
import { runCli, type CliResult } from './support/run-cli.js';
import { spawnUp } from './support/spawn-up.js';

const PASSWORD = 'correct horse battery';
const D1 = parseTime('2020-01-01');

async function inStore<T>(db: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A store with 3 recorded days of BTCUSDT 1m and the admin alice (Europe/Amsterdam). */
async function seeded(dir: string): Promise<string> {
  const db = join(dir, 'x.duckdb');
  await inStore(db, async (store) => {
    await store.upsertInstruments([{ exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: D1, tickSize: '0.01000000', stepSize: '0.00000100' }]);
    for (const day of [1, 2, 3] as const) await store.writeCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, btcusdtDay(day), 'archive');
  });
  const added = runCli(['--db', db, 'users', 'add', 'alice', '--admin', '--timezone', 'Europe/Amsterdam', '--password-stdin'], { input: `${PASSWORD}\n` });
  assert.equal(added.code, 0, added.stderr);
  return db;
}

function ok(r: CliResult, what: string): string {
  assert.equal(r.code, 0, `${what}: ${r.stderr}`);
  return r.stdout;
}

function failed(r: CliResult, what: string): string {
  assert.notEqual(r.code, 0, `${what} should fail: ${r.stdout}`);
  assert.equal(r.stdout, '', `${what} printed on stdout`);
  return r.stderr;
}

const PREVIEW = ['alerts', 'preview', 'rsi:14 < 40', '--symbol', 'BTCUSDT', '--interval', '15m', '--from', '2020-01-01', '--to', '2020-01-04'];

test('cli alerts - add stores the flags as the rule document and links its Telegram chat, list shows it, mute and rm change it; bad input names the flag or the position and writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-cli-alerts-'));
  try {
    const db = await seeded(dir);
    const alerts = (args: string[]): CliResult => runCli(['--db', db, 'alerts', ...args]);
    const alice = await inStore(db, async (s) => s.getUserByName('alice'));
    assert.ok(alice);

    const added = ok(
      alerts(['add', 'rsi:14 < 30 and close > ema:200@1h', '--symbols', 'BTCUSDT,ethusdt', '--interval', '1h', '--channel', 'dashboard', '--channel', 'telegram:-100123', '--frequency', 'every:30', '--cooldown', '15', '--quiet', '22:00-07:00', '--expires', '2030-01-01', '--name', 'dip']),
      'add',
    );
    const id = Number(/^added rule (\d+) "dip" for alice\n$/.exec(added)?.[1]);
    assert.ok(id > 0, added);
    await inStore(db, async (s) => {
      assert.deepEqual((await s.getRule(alice.id, id))?.definition, {
        kind: 'bar',
        name: 'dip',
        expression: 'rsi:14 < 30 and close > ema:200@1h',
        scope: { symbols: ['BTCUSDT', 'ETHUSDT'] },
        interval: '1h',
        frequency: { atMostEveryMinutes: 30 },
        expiresAt: Date.UTC(2030, 0, 1),
        cooldownMinutes: 15,
        quietHours: { from: '22:00', to: '07:00', timezone: 'Europe/Amsterdam' },
        channels: ['dashboard', 'telegram:-100123'],
      });
      assert.deepEqual((await s.listChatLinks(alice.id)).map((c) => c.chatId), ['-100123'], 'the named chat is linked to alice');
    });

    const listed = ok(alerts(['list']), 'list').trimEnd().split('\n');
    assert.equal(listed.length, 2, listed.join('\n'));
    assert.deepEqual(listed[0]?.trim().split(/\s+/), ['id', 'name', 'rule', 'scope', 'interval', 'frequency', 'channels', 'state']);
    assert.match(listed[1] ?? '', new RegExp(`^${id}\\s+dip\\s+rsi:14 < 30 and close > ema:200@1h\\s+BTCUSDT,ETHUSDT\\s+1h\\s+every:30\\s+dashboard telegram:-100123\\s+armed$`));

    // Refused before anything is written: the rule, and the chat it names, stay out of the store.
    const bad = failed(alerts(['add', 'rsi:14 < 30 and', '--symbol', 'BTCUSDT', '--interval', '1h', '--channel', 'telegram:777']), 'a bad expression').split('\n');
    assert.equal(bad[0], 'tickerflow: expression: at 16: expected a number, a bar field or an indicator, not the end of the expression');
    assert.equal(bad[1], '  rsi:14 < 30 and');
    assert.equal(bad[2], `  ${' '.repeat(15)}^`);
    const cases: Array<[string[], string]> = [
      [['add', 'close > 1', '--symbol', 'BTCUSDT', '--interval', '1h', '--channel', 'telegram:me'], 'tickerflow: --channel telegram:me: a channel is telegram:<chat id>, webhook:<http(s) url without user or password> or dashboard'],
      [['add', 'close > 1', '--symbol', 'BTCUSDT', '--interval', '7m', '--channel', 'dashboard'], 'tickerflow: --interval: an interval such as 1m, 5m, 15m, 1h, 4h, 1d'],
      [['add', 'close > 1', '--symbol', 'BTCUSDT', '--top', '5', '--interval', '1h', '--channel', 'dashboard'], 'tickerflow: name the symbols with exactly one of --symbol S, --symbols A,B or --top N'],
      [['add', 'close > 1', '--symbol', 'BTCUSDT', '--interval', '1h', '--channel', 'dashboard', '--quiet', '22-7'], 'tickerflow: --quiet 22-7: expected HH:MM-HH:MM in your time zone, e.g. 22:00-07:00'],
      [['add', 'close > 1', '--symbol', 'BTCUSDT', '--interval', '1h', '--channel', 'dashboard', '--user', 'nobody'], 'tickerflow: --user: no user named "nobody" (`tickerflow users list` shows them)'],
      [['rm', '999'], 'tickerflow: alice has no rule 999 (`tickerflow alerts list` shows them)'],
      [['mute', '999', '--minutes', '5'], 'tickerflow: alice has no rule 999 (`tickerflow alerts list` shows them)'],
      [['mute', String(id)], 'tickerflow: give either --minutes M or --off'],
    ];
    for (const [args, message] of cases) assert.equal(failed(alerts(args), args.join(' ')), `${message}\n`, args.join(' '));
    await inStore(db, async (s) => {
      assert.deepEqual((await s.listRules(alice.id)).map((r) => r.id), [id]);
      assert.deepEqual((await s.listChatLinks()).map((c) => c.chatId), ['-100123']);
    });

    const before = Date.now();
    const muted = ok(alerts(['mute', String(id), '--minutes', '90']), 'mute');
    const after = Date.now();
    const until = (await inStore(db, async (s) => s.getRule(alice.id, id)))?.mutedUntil ?? 0;
    assert.ok(until >= before + 90 * 60_000 && until <= after + 90 * 60_000, `mutedUntil ${until}`);
    assert.equal(muted, `rule ${id} muted until ${new Date(until).toISOString().replace('T', ' ').slice(0, 16)} UTC\n`);
    assert.match(ok(alerts(['list']), 'list'), /muted to \d{4}-\d\d-\d\d \d\d:\d\d\n$/);
    assert.equal(ok(alerts(['mute', String(id), '--off']), 'unmute'), `rule ${id} is no longer muted\n`);
    assert.equal((await inStore(db, async (s) => s.getRule(alice.id, id)))?.mutedUntil, null);

    // No Telegram token here: the test reaches the dashboard and says which channel failed and why.
    const tested = alerts(['test', String(id)]);
    assert.notEqual(tested.code, 0);
    assert.equal(tested.stdout, 'sent     dashboard\nFAILED   telegram:-100123: no telegram channel is configured\n');
    assert.equal(tested.stderr, `tickerflow: 1 of the 2 channels of rule ${id} failed\n`);

    assert.equal(ok(alerts(['rm', String(id)]), 'rm'), `removed rule ${id}\n`);
    assert.match(ok(alerts(['list']), 'list'), /^alice has no alert rules yet/);

    // Two admins: whose rules is no longer obvious.
    ok(runCli(['--db', db, 'users', 'add', 'bob', '--admin', '--password-stdin'], { input: `${PASSWORD}\n` }), 'add bob');
    assert.equal(failed(alerts(['list']), 'list with two admins'), 'tickerflow: 2 admins (alice, bob): name whose rules with --user\n');
    assert.match(ok(alerts(['list', '--user', 'bob']), 'list --user bob'), /^bob has no alert rules yet/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cli alerts - preview prints one CSV row per firing equal to previewRule on the same store, and the table ends with the summary', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-cli-alerts-preview-'));
  try {
    const db = await seeded(dir);
    const csv = ok(runCli(['--db', db, ...PREVIEW, '--format', 'csv']), 'preview csv').trimEnd().split('\n');
    const definition = parseRuleDraft({ expression: 'rsi:14 < 40', scope: { symbol: 'BTCUSDT' }, interval: '15m', channels: ['dashboard'] }) as BarRuleDefinition;
    const direct = await inStore(db, async (store) => previewRule({ store, exchange: 'binance', definition, symbols: ['BTCUSDT'], from: D1, to: parseTime('2020-01-04'), now: Date.now(), graceMinutes: 5 }));
    assert.ok(direct.firings.length > 1, 'the window has firings to compare');
    const operands = Object.keys(direct.firings[0]!.operands);
    assert.ok(operands.includes('rsi:14'), operands.join());
    assert.equal(csv[0], ['symbol', 'open_time', 'fired_at', 'intrabar', 'close', 'incomplete', ...operands, 'return_1h', 'return_4h', 'return_1d'].join(','));
    assert.equal(csv.length - 1, direct.firings.length);
    csv.slice(1).forEach((line, i) => {
      const f = direct.firings[i]!;
      const cells = line.split(',');
      assert.equal(Number(cells[1]), f.openTime, `row ${i} open_time in epoch ms`);
      assert.equal(f.openTime % (15 * 60_000), 0);
      assert.deepEqual([Number(cells[2]), cells[3]], [f.openTime + 15 * 60_000, 'false'], `row ${i}: a once_per_bar_close rule fires at the bar's close`);
      assert.equal(Number(cells[4]), f.close);
      const rsi = Number(cells[6 + operands.indexOf('rsi:14')]);
      assert.equal(rsi, f.operands['rsi:14']);
      assert.ok(rsi < 40, `row ${i}: rsi ${rsi} fired below 40`);
      assert.deepEqual(cells.slice(-3).map((c) => (c === '' ? null : Number(c))), [f.returns['1h'], f.returns['4h'], f.returns['1d']]);
    });
    const table = ok(runCli(['--db', db, ...PREVIEW]), 'preview table');
    assert.match(table, new RegExp(`\\n${direct.summary.count} firings\\n\\s+after\\s+positive\\s+median\\s+worst\\n\\s+1h\\s+\\d+ %\\s+-?\\d+\\.\\d\\d %\\s+-?\\d+\\.\\d\\d %\\n`));
    const json = JSON.parse(ok(runCli(['--db', db, ...PREVIEW, '--format', 'json']), 'preview json')) as unknown;
    assert.deepEqual(json, JSON.parse(JSON.stringify(direct)));
    assert.equal(failed(runCli(['--db', db, 'alerts', 'preview', 'rsi:14 < 40', '--symbol', 'BTCUSDT', '--interval', '15m', '--from', '2020-01-04', '--to', '2020-01-01']), 'to before from'), 'tickerflow: --to must be after --from\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cli alerts through up - while up holds the DuckDB file, add, list, mute, rm, test and preview go through its API and print what they print on the store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-cli-alerts-up-'));
  const db = await seeded(dir);
  const config = join(dir, 'tickerflow.toml');
  writeFileSync(config, '[universe]\ntop = 0\nsymbols = []\n\n[schedule]\nuniverse_every_hours = 1000\n');
  const base = ['--config', config, '--db', db];
  const cli = (args: string[]): CliResult => runCli([...base, ...args], { cwd: dir });
  const up = await spawnUp(base, db, dir);
  try {
    const addressFile = up.addressFile;
    assert.ok(existsSync(addressFile), `up wrote no address file: ${up.output()}`);

    assert.equal(ok(cli(['alerts', 'add', 'rsi:14 < 40', '--symbol', 'BTCUSDT', '--interval', '15m', '--channel', 'telegram:555', '--channel', 'dashboard']), 'add through up'), 'added rule 1 "rsi:14 < 40" for alice\n');
    assert.equal(ok(cli(['alerts', 'add', 'close > 1', '--symbol', 'BTCUSDT', '--interval', '1h', '--channel', 'dashboard']), 'add'), 'added rule 2 "close > 1" for alice\n');
    const bad = failed(cli(['alerts', 'add', 'rsi:14 <> 30', '--symbol', 'BTCUSDT', '--interval', '1h', '--channel', 'dashboard']), 'bad expression through up');
    assert.equal(bad, 'tickerflow: expression: at 9: expected a number, a bar field or an indicator, not ">"\n  rsi:14 <> 30\n          ^\n');
    assert.match(ok(cli(['alerts', 'mute', '2', '--minutes', '30']), 'mute through up'), /^rule 2 muted until \d{4}-\d\d-\d\d \d\d:\d\d UTC\n$/);
    assert.equal(ok(cli(['alerts', 'test', '2']), 'test through up'), 'sent     dashboard\n');
    assert.equal(failed(cli(['alerts', 'rm', '9']), 'rm unknown through up'), 'tickerflow: alice has no rule 9 (`tickerflow alerts list` shows them)\n');
    assert.equal(failed(cli(['alerts', 'list', '--user', 'bob']), 'another user through up'), `tickerflow: --user bob: tickerflow up holds the store, and through its API (${(JSON.parse(readFileSync(addressFile, 'utf8')) as { url: string }).url}) the rules are its local admin's, alice; stop up to manage another user's\n`);
    ok(cli(['alerts', 'add', 'close > 2', '--symbol', 'BTCUSDT', '--interval', '1h', '--channel', 'dashboard']), 'add a third');
    assert.equal(ok(cli(['alerts', 'rm', '3']), 'rm through up'), 'removed rule 3\n');
    const remoteList = ok(cli(['alerts', 'list']), 'list through up');
    const remotePreview = ok(cli([...PREVIEW, '--format', 'csv']), 'preview through up');
    const remoteTable = ok(cli(PREVIEW), 'preview table through up');

    up.child.kill('SIGINT');
    assert.equal(await up.exited, 0, up.output());
    assert.match(remoteList, /^2\s.*close > 1\s+BTCUSDT\s+1h\s+once_per_bar_close\s+dashboard\s+muted to /m);
    assert.equal(remoteList.split('\n').length, 4, 'rule 3 was removed through up');
    assert.equal(ok(cli(['alerts', 'list']), 'list on the store'), remoteList);
    assert.equal(remotePreview, ok(cli([...PREVIEW, '--format', 'csv']), 'preview on the store'));
    assert.ok(remotePreview.split('\n').length > 2, remotePreview);
    assert.equal(remoteTable, ok(cli(PREVIEW), 'preview table on the store'));
    const alice = await inStore(db, async (s) => s.getUserByName('alice'));
    assert.deepEqual(await inStore(db, async (s) => (await s.listChatLinks(alice?.id)).map((c) => c.chatId)), ['555'], 'the chat named through up is linked to alice');
  } finally {
    if (up.child.exitCode === null) up.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
