/**
 * The dashboard's only way out: the tickerflow HTTP API v1 (ARCHITECTURE.md: `web/` talks to
 * nothing else). Types follow the API contract; every failure becomes an {@link ApiError} that
 * carries the contract's error body (code, message, the field or expression position at fault),
 * so views can show the server's own words next to the input that caused them.
 */

export interface User { id: string; name: string; role: 'admin' | 'user'; timezone: string }

export interface UniverseRow {
  symbol: string;
  rank: number | null;
  last: number | null;
  change24h: number | null;
  rsi14: number | null;
  td: { buySetup: number; sellSetup: number } | null;
  alertsArmed: number;
  /** null when the exchange's tick size is not stored. */
  priceDecimals: number | null;
}

export type CandleRow = [openTime: number, open: number, high: number, low: number, close: number, volume: number, complete: boolean];
export interface Candles { symbol: string; interval: string; priceDecimals: number | null; volumeDecimals: number | null; columns: string[]; rows: CandleRow[] }

export interface SrLevelJson { price: number; kind: 'support' | 'resistance'; strength?: number }
export interface Indicators { symbol: string; interval: string; openTime: number[]; columns: Record<string, Array<number | null>>; levels?: SrLevelJson[] }

export interface StreamMarket { market: string; exchange: string; symbol: string; synced: boolean; bids: number; asks: number; gaps: number; resyncs: number; crossed: number; malformed: number; lastBarOpenTime: number | null }
export interface StreamStatus { running: boolean; events: number; bars: number; windows: number; lakeFiles: number; markets: StreamMarket[] }
/** One stored liquidity window (the API's `/signals`): notional sums, their ratios, spread and counts. */
export interface SignalWindow { windowStart: number; deltaRatio: number | null; bookRatio: number | null; tradeImbalance: number | null; mid: number | null; trades: number; deltaEvents: number }
export interface Signals { market: string; windowMs: number; from: number; to: number; windows: SignalWindow[] }

export type Frequency = 'once' | 'once_per_bar' | 'once_per_bar_close' | { atMostEveryMinutes: number };
export type Scope = { symbols: string[] } | { top: number };
export interface RuleDraft {
  name: string;
  expression: string;
  scope: Scope;
  interval: string;
  frequency: Frequency;
  cooldownMinutes?: number;
  channels: string[];
}
interface RuleState { id: string; enabled: boolean; mutedUntil: number | string | null; createdAt: number | string }
/** An expression on bars (kind "bar", the default). */
export interface BarRule extends RuleDraft, RuleState { kind?: 'bar' }
/** A pipeline-health rule: a data gap or a failed job, of its scope's symbols or (scope null) any. */
export interface HealthRule extends RuleState { kind: 'health'; name: string; event: 'gap' | 'job_failed'; scope: Scope | null; channels: string[] }
export type Rule = BarRule | HealthRule;

export type Horizon = '1h' | '4h' | '1d';
export interface PreviewFiring { symbol: string; openTime: number; close: number; operands: Record<string, number>; returns: Partial<Record<Horizon, number | null>> }
export interface Preview {
  firings: PreviewFiring[];
  summary: { count: number; positive: Partial<Record<Horizon, number | null>>; median: Partial<Record<Horizon, number | null>>; worst: Partial<Record<Horizon, number | null>> };
}

export interface Firing { id: string; ruleId: string; symbol: string; interval: string; barOpenTime: number; firedAt: number; message: string; incomplete: boolean }

export type RunStatus = 'running' | 'ok' | 'failed' | 'partial' | 'abandoned';
export interface JobRun { id: number; kind: string; status: RunStatus; startedAt: number; finishedAt: number | null; rows: number; summary: string | null }
export interface TaskRun { id: number; jobId: number; name: string; status: RunStatus; startedAt: number; finishedAt: number | null; rows: number; error: string | null; logs: Array<{ at: number; level: string; message: string }> }
export interface CoverageDay { date: string; stored: number; expected: number; gaps: Record<string, number> }
export interface Coverage { symbols: Array<{ symbol: string; days: CoverageDay[] }> }

/** The contract's one error body, as thrown to views. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly position?: number,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'tickerflow.token';

/** A small client holding the session token (sessionStorage: it ends with the tab). */
export class Api {
  constructor(private readonly base = '/api/v1') {}

  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  async login(name: string, password: string): Promise<User> {
    const res = await this.request<{ token: string; user: User }>('POST', '/login', { name, password });
    sessionStorage.setItem(TOKEN_KEY, res.token);
    return res.user;
  }

  async logout(): Promise<void> {
    try {
      await this.request('POST', '/logout');
    } finally {
      sessionStorage.removeItem(TOKEN_KEY);
    }
  }

  me = () => this.request<User>('GET', '/me');
  universe = () => this.request<{ asOf: number; symbols: UniverseRow[] }>('GET', '/universe');
  candles = (q: { symbol: string; interval: string; from?: number | string; to?: number | string; exchange?: string }) => this.request<Candles>('GET', `/candles?${query(q)}`);
  indicators = (q: { symbol: string; interval: string; ind: string; from?: number | string; to?: number | string }) => this.request<Indicators>('GET', `/indicators?${query(q)}`);
  alerts = () => this.request<{ alerts: Rule[] }>('GET', '/alerts');
  createAlert = (draft: RuleDraft) => this.request<Rule>('POST', '/alerts', draft);
  deleteAlert = (id: string) => this.request<void>('DELETE', `/alerts/${encodeURIComponent(id)}`);
  preview = (rule: RuleDraft, from: number, to: number) => this.request<Preview>('POST', '/alerts/preview', { rule, from, to });
  firings = (limit = 100) => this.request<{ firings: Firing[] }>('GET', `/firings?limit=${limit}`);
  jobs = (limit = 20) => this.request<{ jobs: JobRun[] }>('GET', `/jobs?limit=${limit}`);
  job = (id: string) => this.request<{ job: JobRun; tasks: TaskRun[] }>('GET', `/jobs/${encodeURIComponent(id)}`);
  streamStatus = () => this.request<StreamStatus>('GET', '/stream/status');
  signals = (q: { market: string; from: number; to: number }) => this.request<Signals>('GET', `/signals?${query(q)}`);
  coverage = (days: number) => this.request<Coverage>('GET', `/coverage?interval=1m&days=${days}`);

  /** The live firing stream; EventSource cannot send headers, so the token rides in the query. */
  events(onFiring: (f: Firing) => void): EventSource {
    const source = new EventSource(`${this.base}/events?token=${encodeURIComponent(this.token ?? '')}`);
    source.addEventListener('firing', (e) => onFiring(JSON.parse((e as MessageEvent<string>).data) as Firing));
    return source;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw toApiError(res.status, json);
    return json as T;
  }
}

function query(q: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  return p.toString();
}

function toApiError(status: number, body: unknown): ApiError {
  const e = (body as { error?: { code?: unknown; message?: unknown; field?: unknown; position?: unknown } } | undefined)?.error;
  if (!e || typeof e.message !== 'string') return new ApiError(status, 'internal', `HTTP ${status}`);
  return new ApiError(
    status,
    typeof e.code === 'string' ? e.code : 'internal',
    e.message,
    typeof e.field === 'string' ? e.field : undefined,
    typeof e.position === 'number' ? e.position : undefined,
  );
}
