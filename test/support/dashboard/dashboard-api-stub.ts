/**
 * A stand-in for `createApiServer` (h/api, not merged yet) that answers the API contract
 * (/work/wt/briefs/API-CONTRACT.md, copied into docs/API.md by the API work) with real recorded
 * candles and in-memory users, rules and firings, and serves the built dashboard from web/dist.
 * The browser tests take their server from a factory, so moving them to the real API is a
 * change of one import. Test support only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { computeIndicators, parseIndicatorSpecs } from '../../../src/indicators/catalog.js';
import { rsi } from '../../../src/indicators/rsi.js';
import { tdSequential } from '../../../src/indicators/td-sequential.js';
import { HOUR, recordedHourly, regroup, window, type HourlySeries } from './stub-market.js';
import { StubExpressionError, stubPreview, stubSummary } from './stub-preview.js';

export interface StubUser { name: string; password: string; role: 'admin' | 'user' }
export interface StubOptions { users: StubUser[]; webDist: URL; hourly?: Map<string, HourlySeries> }

interface Rule { id: string; owner: string; name: string; expression: string; scope: { symbols: string[] } | { top: number }; interval: string; frequency: unknown; channels: string[]; enabled: boolean; mutedUntil: null; createdAt: number; updatedAt: number }
interface Firing { id: string; ruleId: string; symbol: string; interval: string; barOpenTime: number; firedAt: number; message: string; incomplete: boolean; inputs: Record<string, number> }

export interface DashboardStub {
  app: FastifyInstance;
  url: string;
  /** Stores a firing of `ruleId` (as the evaluator would) and pushes it to its owner's event streams. */
  fire(ruleId: string, barOpenTime: number, message: string): Firing;
  rulesOf(name: string): Rule[];
  close(): Promise<void>;
}

const INTERVAL_HOURS: Record<string, number> = { '1h': 1, '4h': 4, '1d': 24 };
const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string, readonly position?: number) {
    super(message);
  }
}

export async function startDashboardStub(opts: StubOptions): Promise<DashboardStub> {
  const hourly = opts.hourly ?? recordedHourly();
  const tokens = new Map<string, StubUser>();
  const rules: Rule[] = [];
  const firings: Array<Firing & { owner: string }> = [];
  const streams = new Map<string, Set<FastifyReply>>();
  const app = Fastify({ logger: false });

  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof StubExpressionError) return reply.code(400).send({ error: { code: 'bad_request', message: err.message, field: 'expression', position: err.position } });
    if (err instanceof HttpError) return reply.code(err.status).send({ error: { code: err.code, message: err.message, field: err.field, position: err.position } });
    return reply.code(err.statusCode ?? 500).send({ error: { code: (err.statusCode ?? 500) < 500 ? 'bad_request' : 'internal', message: err.message } });
  });

  const auth = (req: FastifyRequest): StubUser => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : (req.query as { token?: string }).token;
    const user = token ? tokens.get(token) : undefined;
    if (!user) throw new HttpError(401, 'unauthorized', 'missing or unknown token', 'authorization');
    return user;
  };
  const series = (symbol: unknown, interval: unknown): HourlySeries => {
    const s = typeof symbol === 'string' ? hourly.get(symbol) : undefined;
    if (!s) throw new HttpError(404, 'not_found', `unknown symbol ${String(symbol)}`, 'query.symbol');
    const hours = typeof interval === 'string' ? INTERVAL_HOURS[interval] : undefined;
    if (!hours) throw new HttpError(400, 'bad_request', `the stand-in API serves 1h, 4h and 1d; not ${String(interval)}`, 'query.interval');
    return regroup(s, hours);
  };
  const range = (q: { from?: string; to?: string }) => ({ from: q.from ? Number(q.from) : -Infinity, to: q.to ? Number(q.to) : Infinity });
  const publicUser = (u: StubUser) => ({ id: u.name, name: u.name, role: u.role, timezone: 'UTC' });
  const ownRule = (req: FastifyRequest): Rule => {
    const user = auth(req);
    const rule = rules.find((r) => r.id === (req.params as { id: string }).id && r.owner === user.name);
    if (!rule) throw new HttpError(404, 'not_found', 'no such alert', 'params.id');
    return rule;
  };

  app.get('/api/v1/health', async () => ({ ok: true, store: 'duckdb', version: 'stub' }));
  app.post('/api/v1/login', async (req) => {
    const body = req.body as { name?: string; password?: string };
    const user = opts.users.find((u) => u.name === body.name);
    if (!user || user.password !== body.password) throw new HttpError(401, 'unauthorized', 'wrong name or password', 'password');
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, user);
    return { token, user: publicUser(user) };
  });
  app.post('/api/v1/logout', async (req, reply) => {
    auth(req);
    tokens.delete(req.headers.authorization!.slice(7));
    return reply.code(204).send();
  });
  app.get('/api/v1/me', async (req) => publicUser(auth(req)));

  app.get('/api/v1/universe', async (req) => {
    const user = auth(req);
    let asOf = 0;
    const symbols = [...hourly.values()].map((s, i) => {
      const n = s.close.length;
      const r = rsi(Float64Array.from(s.close), 14);
      const td = tdSequential({ high: Float64Array.from(s.high), low: Float64Array.from(s.low), close: Float64Array.from(s.close) });
      asOf = Math.max(asOf, s.openTime[n - 1]! + HOUR);
      const armed = rules.filter((x) => x.owner === user.name && x.enabled && ('top' in x.scope ? i < x.scope.top : x.scope.symbols.includes(s.symbol))).length;
      return {
        symbol: s.symbol, rank: i + 1, last: s.close[n - 1]!, change24h: s.close[n - 1]! / s.close[n - 25]! - 1, rsi14: r[n - 1]!,
        td: { buySetup: td.buySetup[n - 1]!, sellSetup: td.sellSetup[n - 1]! }, alertsArmed: armed, priceDecimals: s.priceDecimals,
      };
    });
    return { asOf, symbols };
  });

  app.get('/api/v1/candles', async (req) => {
    auth(req);
    const q = req.query as { symbol?: string; interval?: string; from?: string; to?: string };
    const s = series(q.symbol, q.interval);
    const { from, to } = range(q);
    const [lo, hi] = window(s, from, to);
    const rows = [];
    for (let i = lo; i < hi; i++) rows.push([s.openTime[i], s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i], true]);
    return { symbol: s.symbol, interval: q.interval, priceDecimals: s.priceDecimals, volumeDecimals: 2, columns: ['openTime', 'open', 'high', 'low', 'close', 'volume', 'complete'], rows };
  });

  app.get('/api/v1/indicators', async (req) => {
    auth(req);
    const q = req.query as { symbol?: string; interval?: string; from?: string; to?: string; ind?: string };
    const s = series(q.symbol, q.interval);
    let specs;
    try {
      specs = parseIndicatorSpecs(q.ind ?? '');
    } catch (err) {
      throw new HttpError(400, 'bad_request', (err as Error).message, 'query.ind');
    }
    const f = (a: number[]) => Float64Array.from(a);
    const out = computeIndicators(specs, { open: f(s.open), high: f(s.high), low: f(s.low), close: f(s.close), volume: f(s.volume), openTime: f(s.openTime) });
    const { from, to } = range(q);
    const [lo, hi] = window(s, from, to);
    const columns: Record<string, Array<number | null>> = {};
    for (const [name, values] of out.columns) if (name !== 'sr_levels') columns[name] = Array.from(values.subarray(lo, hi), (v) => (Number.isNaN(v) ? null : v));
    return { symbol: s.symbol, interval: q.interval, openTime: s.openTime.slice(lo, hi), columns, levels: out.levels?.map((l) => ({ price: l.price, kind: l.kind, strength: l.strength })) };
  });

  app.get('/api/v1/alerts', async (req) => {
    const user = auth(req);
    return { alerts: rules.filter((r) => r.owner === user.name).map(({ owner: _o, ...r }) => r) };
  });
  app.post('/api/v1/alerts', async (req, reply) => {
    const user = auth(req);
    const d = req.body as Omit<Rule, 'id' | 'owner'>;
    if (typeof d.expression !== 'string' || d.expression.trim() === '') throw new HttpError(400, 'bad_request', 'expression is empty', 'body.expression');
    stubPreview(d.expression, [...hourly.values()][0]!, 0, 0);
    const now = Date.now();
    const rule: Rule = { ...d, id: randomUUID(), owner: user.name, enabled: true, mutedUntil: null, createdAt: now, updatedAt: now };
    rules.push(rule);
    const { owner: _o, ...out } = rule;
    return reply.code(201).send(out);
  });
  app.get('/api/v1/alerts/:id', async (req) => ownRule(req));
  app.delete('/api/v1/alerts/:id', async (req, reply) => {
    const rule = ownRule(req);
    rules.splice(rules.indexOf(rule), 1);
    return reply.code(204).send();
  });
  app.post('/api/v1/alerts/preview', async (req) => {
    auth(req);
    const body = req.body as { rule: { expression: string; scope: { symbols?: string[] }; interval: string }; from: number; to: number };
    if (body.rule.interval !== '1h') throw new HttpError(400, 'bad_request', 'the stand-in preview runs at 1h only', 'body.rule.interval');
    const all = (body.rule.scope.symbols ?? []).flatMap((sym) => stubPreview(body.rule.expression, series(sym, '1h'), body.from, body.to));
    return { firings: all, summary: stubSummary(all) };
  });

  app.get('/api/v1/firings', async (req) => {
    const user = auth(req);
    return { firings: firings.filter((f) => f.owner === user.name).map(({ owner: _o, ...f }) => f).reverse() };
  });
  app.get('/api/v1/events', (req, reply) => {
    const user = auth(req);
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    reply.raw.write(': open\n\n');
    const set = streams.get(user.name) ?? new Set();
    streams.set(user.name, set);
    set.add(reply);
    req.raw.on('close', () => set.delete(reply));
  });

  app.get('/api/v1/jobs', async (req) => {
    adminOnly(auth(req));
    return { jobs: SAMPLE_JOBS.map((j) => j.job) };
  });
  app.get('/api/v1/jobs/:id', async (req) => {
    adminOnly(auth(req));
    const j = SAMPLE_JOBS.find((x) => String(x.job.id) === (req.params as { id: string }).id);
    if (!j) throw new HttpError(404, 'not_found', 'no such job', 'params.id');
    return j;
  });
  app.get('/api/v1/coverage', async (req) => {
    adminOnly(auth(req));
    return { symbols: [...hourly.keys()].map((symbol, i) => ({ symbol, days: sampleCoverage(i) })) };
  });

  app.get('/*', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    const file = path === '/' || !extname(path) ? 'index.html' : path.slice(1);
    if (file.includes('..')) throw new HttpError(400, 'bad_request', 'bad path', 'path');
    const body = await readFile(new URL(file, opts.webDist)).catch(() => null);
    if (!body) throw new HttpError(404, 'not_found', `no file ${path}`, 'path');
    return reply.type(MIME[extname(file)] ?? 'application/octet-stream').send(body);
  });

  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url,
    fire(ruleId, barOpenTime, message) {
      const rule = rules.find((r) => r.id === ruleId);
      if (!rule) throw new Error(`no rule ${ruleId}`);
      const symbol = 'symbols' in rule.scope ? rule.scope.symbols[0]! : 'BTCUSDT';
      const f = { id: randomUUID(), ruleId, symbol, interval: rule.interval, barOpenTime, firedAt: barOpenTime + HOUR, message, incomplete: false, inputs: {} };
      firings.push({ ...f, owner: rule.owner });
      for (const reply of streams.get(rule.owner) ?? []) reply.raw.write(`event: firing\ndata: ${JSON.stringify(f)}\n\n`);
      return f;
    },
    rulesOf: (name) => rules.filter((r) => r.owner === name),
    async close() {
      for (const set of streams.values()) for (const r of set) r.raw.end();
      await app.close();
    },
  };
}

function adminOnly(user: StubUser): void {
  if (user.role !== 'admin') throw new HttpError(403, 'forbidden', 'the pipeline is for admins', 'authorization');
}

/** A small, fixed picture of the pipeline: what the real API reads from job_runs/task_runs/gaps. */
const T = Date.UTC(2024, 1, 29, 23);
const log = (taskId: number, at: number, level: string, message: string) => ({ taskId, at, level, message });
const SAMPLE_JOBS = [
  { job: { id: 2, kind: 'sync', params: {}, status: 'partial', startedAt: T, finishedAt: T + 9_000, rows: 60, summary: '1 of 2 symbols failed' }, tasks: [
    { id: 21, jobId: 2, name: 'sync BTCUSDT 1m', status: 'ok', startedAt: T, finishedAt: T + 2_000, rows: 60, error: null, logs: [log(21, T + 1_000, 'info', 'BTCUSDT: 60 rows 2024-02-29T22:00Z…22:59Z')] },
    { id: 22, jobId: 2, name: 'sync ETHUSDT 1m', status: 'failed', startedAt: T, finishedAt: T + 9_000, rows: 0, error: 'gave up after 5 attempts', logs: [log(22, T + 2_000, 'warn', 'HTTP 429, retry after 2 s'), log(22, T + 9_000, 'error', 'ETHUSDT: gave up after 5 attempts')] },
  ] },
  { job: { id: 1, kind: 'backfill', params: {}, status: 'ok', startedAt: Date.UTC(2024, 1, 1), finishedAt: Date.UTC(2024, 1, 1, 0, 3), rows: 44_640, summary: null }, tasks: [
    { id: 11, jobId: 1, name: 'archive BTCUSDT-1m-2024-01.zip', status: 'ok', startedAt: Date.UTC(2024, 1, 1), finishedAt: Date.UTC(2024, 1, 1, 0, 3), rows: 44_640, error: null, logs: [log(11, Date.UTC(2024, 1, 1, 0, 3), 'info', '44,640 rows, SHA-256 ok')] },
  ] },
];

function sampleCoverage(seed: number) {
  const days = [];
  for (let d = 0; d < 30; d++) {
    const date = new Date(Date.UTC(2024, 1, d)).toISOString().slice(0, 10);
    const hole = (d * 7 + seed * 3) % 29 === 0 ? 37 : 0;
    const outage = d === 12 && seed % 3 === 0 ? 90 : 0;
    days.push({ date, stored: 1440 - hole - outage, expected: 1440, gaps: { hole, exchange_outage: outage, not_published: 0, before_listing: 0 } });
  }
  return days;
}
