/**
 * Measures what the shared weight ledger adds to a Binance request on PostgreSQL: the wall time of
 * one reservation, alone and with three processes' pools reserving at once, and of a whole
 * SharedRateGovernor acquire against the local governor's alone. Nothing is sent anywhere.
 * Run: node --import tsx src/store/bench/measure-weight-ledger.ts [reservations per pool, default 2000]
 */
import { performance } from 'node:perf_hooks';
import { createRateGovernor } from '../../connectors/binance/rate-governor.js';
import { SharedRateGovernor } from '../../connectors/binance/shared-rate-governor.js';
import { PostgresStore } from '../postgres/postgres-store.js';
import { createTempDatabase } from '../test-support/temp-postgres.js';

const N = Number(process.argv[2] ?? 2000);
const BUDGET = 1_000_000_000;

function summary(ms: number[]): string {
  const s = ms.toSorted((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  let sum = 0;
  for (const x of s) sum += x;
  return `mean ${(sum / s.length).toFixed(3)} ms, p50 ${at(0.5).toFixed(3)}, p99 ${at(0.99).toFixed(3)}, max ${at(1).toFixed(3)} (n=${s.length})`;
}

async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

const db = await createTempDatabase();
const stores = [0, 1, 2].map(() => PostgresStore.open(db.url, { maxConnections: 2 }));
try {
  for (const s of stores) await s.migrate();
  const ledgers = stores.map((s) => s.weightLedger());
  const window = Date.UTC(2024, 0, 1);
  const reserve = (k: number) => (i: number): Promise<unknown> => ledgers[k]!.reserve({ scope: 'bench', windowStart: window + (i % 60) * 60_000, weight: 2, budget: BUDGET, now: window });
  await timed(200, reserve(0)); // warm-up: connections open, plans cached
  console.log(`reserve, one pool:            ${summary(await timed(N, reserve(0)))}`);
  const three = await Promise.all([0, 1, 2].map((k) => timed(N, reserve(k))));
  console.log(`reserve, three pools at once: ${summary(three.flat())}`);

  const local = createRateGovernor({ weightPerMinute: BUDGET });
  const shared = new SharedRateGovernor({ ledger: ledgers[0]!, scope: 'bench-governor', local: createRateGovernor({ weightPerMinute: BUDGET }) });
  await timed(200, async () => (await shared.acquire(2)).cancel());
  console.log(`acquire, local governor:      ${summary(await timed(N, async () => (await local.acquire(2)).cancel()))}`);
  console.log(`acquire, shared governor:     ${summary(await timed(N, async () => (await shared.acquire(2)).cancel()))}`);
  await shared.flush();
} finally {
  await Promise.all(stores.map((s) => s.close()));
  await db.drop();
}
