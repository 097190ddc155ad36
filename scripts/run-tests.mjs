#!/usr/bin/env node
// Runs every test file with Node's test runner (TypeScript through tsx).
// Before that it makes sure the local services the integration tests use are up, starting a
// stopped one; if one cannot be started it fails loudly: tests never skip for a missing service.
import { execSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

function findTests(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (/\.test\.ts$/.test(name)) out.push(p);
  }
  return out;
}

function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => { s.destroy(); resolve(false); });
  });
}

async function waitPort(port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await portOpen(port)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

const SERVICES = {
  postgres: {
    port: 5432,
    start: () => {
      const versions = readdirSync('/etc/postgresql');
      for (const v of versions) execSync(`pg_ctlcluster --skip-systemctl-redirect ${v} main start`, { stdio: 'inherit' });
    },
  },
  nats: {
    port: 4222,
    start: () =>
      execSync(
        'start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log',
        { stdio: 'inherit' },
      ),
  },
};

// The dashboard's browser tests drive Debian's Chromium (never a downloaded browser).
const BROWSER_TESTS = /(^|\/)test\/dashboard\.test\.ts$/;
const CHROMIUM = '/usr/bin/chromium';

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  console.log(`run-tests: ${CHROMIUM} is missing; installing Debian's chromium`);
  try {
    execSync('apt-get install -y -q chromium || (apt-get update -q && apt-get install -y -q chromium)', { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (err) {
    console.error(`run-tests: could not install chromium: ${err.message}`);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`run-tests: the dashboard tests need ${CHROMIUM} (apt-get install -y chromium) and will not be skipped`);
    process.exit(1);
  }
}

async function ensureService(name) {
  const svc = SERVICES[name];
  if (await portOpen(svc.port)) return;
  console.log(`run-tests: ${name} is not listening on 127.0.0.1:${svc.port}; starting it`);
  try {
    svc.start();
  } catch (err) {
    console.error(`run-tests: could not start ${name}: ${err.message}`);
    process.exit(1);
  }
  if (!(await waitPort(svc.port, 30))) {
    console.error(`run-tests: ${name} did not come up on 127.0.0.1:${svc.port}; the integration tests need it and will not be skipped`);
    process.exit(1);
  }
}

let files = ['src', 'test', 'bench', 'web'].flatMap((d) => findTests(d)).sort();
if (unitOnly) files = files.filter((f) => !f.endsWith('.int.test.ts'));
if (filters.length > 0) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
const needs = new Set();
for (const f of files) if (f.endsWith('.int.test.ts')) needs.add('postgres');
if (files.some((f) => /nats|bus/.test(f) && f.endsWith('.int.test.ts'))) needs.add('nats');
for (const s of needs) await ensureService(s);
if (files.some((f) => BROWSER_TESTS.test(f))) ensureChromium();

process.env.TICKERFLOW_TEST_PG_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
process.env.TICKERFLOW_TEST_NATS_URL ??= 'nats://127.0.0.1:4222';
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=600000', ...files],
  { stdio: 'inherit', env: process.env },
);
process.exit(res.status ?? 1);
