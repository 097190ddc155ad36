/**
 * 10,000 rules at one 1h close (issue 16's speed goal: < 100 ms): 9,000 rules on one symbol each
 * and 1,000 over a top-200 universe, three conditions each over shared indicators, on 200
 * symbols. Bars are real: symbol s replays the real 1h klines of coin s mod 10 (fixtures/
 * binance-rest/klines, January 2023), so the streams and conditions see real values. The streams
 * are warmed on 700 hours first (not timed); then each of the next closes is timed: the runner
 * steps the shared streams of all 200 symbols and evaluates every rule on every symbol of its scope;
 * then, apart, the states to store are built: those of the rules whose state changed.
 */
import type { CandleColumns } from '../../src/core/candle.js';
import { intervalMs } from '../../src/core/intervals.js';
import { compileDefinition } from '../../src/alerts/compile-rule.js';
import { parseRuleDraft } from '../../src/alerts/rule-draft.js';
import type { CompiledRule } from '../../src/alerts/rule-evaluator.js';
import { RuleRunner, type SeriesBar } from '../../src/alerts/rule-runner.js';
import { restKlines } from '../../src/store/test-support/fixture-candles.js';

export const COINS = ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'SOLUSDT', 'DOGEUSDT', 'ADAUSDT', 'AVAXUSDT', 'DOTUSDT', 'LINKUSDT', 'XRPUSDT'];
export const SYMBOLS = Array.from({ length: 200 }, (_, i) => `S${String(i).padStart(3, '0')}USDT`);

/** Three conditions each, over indicators many rules share; thresholds vary by rule. */
const TEMPLATES: Array<(k: number) => string> = [
  (k) => `rsi:14 < ${20 + (k % 30)} and close > ema:200 and volume > ${2 + (k % 3)} * sma:20(volume)`,
  (k) => `close crosses_above ema:50 and rsi:14 > ${40 + (k % 20)} and macd.histogram > 0`,
  (k) => `rsi:14@4h < ${30 + (k % 20)} and close < bbands.lower and roc:10 < -${1 + (k % 4)}`,
  (k) => `td.buy_setup == 9 and rsi:14 < ${35 + (k % 10)} and close > sma:200`,
  (k) => `macd.macd crosses_below macd.signal and atr:14 > ${k % 5} and close < ema:50@4h`,
];

export interface RulesAtCloseResult {
  rules: number;
  evaluations: number;
  streams: number;
  /** Per timed close, ms. */
  closes: Array<{ at: number; fourHour: boolean; ms: number; cpuMs: number; firings: number; statesMs: number; rulesStored: number; symbolStates: number }>;
}

/** The bench's 10,000 rules (interval 1h) with `frequency`, on a runner. */
export function benchRunner(frequency: 'once_per_bar_close' | 'once_per_bar'): { runner: RuleRunner; rules: number } {
  const rules: CompiledRule[] = [];
  for (let i = 0; i < 10_000; i++) {
    const scope = i < 9_000 ? { symbol: SYMBOLS[i % SYMBOLS.length] as string } : { top: 200 };
    const d = parseRuleDraft({ expression: (TEMPLATES[i % TEMPLATES.length] as (k: number) => string)(Math.floor(i / TEMPLATES.length)), scope, interval: '1h', frequency, channels: ['dashboard'] });
    if (d.kind !== 'bar') throw new Error('bench rules are bar rules');
    rules.push(compileDefinition(i + 1, 1 + (i % 20), d));
  }
  return { runner: new RuleRunner(rules, (r) => ('symbols' in r.definition.scope ? r.definition.scope.symbols : SYMBOLS)), rules: rules.length };
}

/** The real 1h klines of the ten coins; symbol s replays coin s mod 10. */
export function coinHours(): CandleColumns[] {
  return COINS.map((c) => restKlines(c, '1h', '2023-01-01.json'));
}

/** Hour `i` of every symbol, and the 4h bar that closes with it, built from its four hours. */
export function barsAt(coinBars: readonly CandleColumns[], i: number): SeriesBar[] {
  const hour = intervalMs('1h');
  const out: SeriesBar[] = [];
  for (const [k, symbol] of SYMBOLS.entries()) {
    const c = coinBars[k % coinBars.length]!;
    const bar = { openTime: c.openTime[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! };
    out.push({ symbol, interval: '1h', bar, incomplete: false, evaluatedAt: bar.openTime + hour });
    if ((bar.openTime + hour) % (4 * hour) === 0) {
      const f = i - 3;
      let high = -Infinity;
      let low = Infinity;
      let volume = 0;
      for (let j = f; j <= i; j++) {
        high = Math.max(high, c.high[j]!);
        low = Math.min(low, c.low[j]!);
        volume += c.volume[j]!;
      }
      out.push({ symbol, interval: '4h', bar: { openTime: c.openTime[f]!, open: c.open[f]!, high, low, close: c.close[i]!, volume }, incomplete: false, evaluatedAt: bar.openTime + hour });
    }
  }
  return out;
}

/** Seeds the runner's streams with hours 3 … warm − 1, as the engine seeds (seed-runner.ts): streams only, no rule evaluated. */
export function seedBench(runner: RuleRunner, coinBars: readonly CandleColumns[], warm: number): void {
  const seedBars = new Map<string, SeriesBar['bar'][]>();
  for (let i = 3; i < warm; i++) {
    for (const sb of barsAt(coinBars, i)) {
      const key = `${sb.symbol}|${sb.interval}`;
      const list = seedBars.get(key);
      if (list === undefined) seedBars.set(key, [sb.bar]);
      else list.push(sb.bar);
    }
  }
  const seedEnd = coinBars[0]!.openTime[warm] as number;
  for (const series of runner.pool.all()) series.seed(seedBars.get(`${series.symbol}|${series.interval}`) ?? [], seedEnd);
}

export function measureRulesAtClose(timedCloses = 8): RulesAtCloseResult {
  const coinBars = coinHours();
  const { runner, rules } = benchRunner('once_per_bar_close');
  let streams = 0;
  for (const s of runner.pool.all()) streams += s.cells.size;
  const evaluations = 9_000 + 1_000 * SYMBOLS.length;
  const hour = intervalMs('1h');
  const warm = 700;
  seedBench(runner, coinBars, warm);
  // The first close after the seed also evaluates every rule for the first time; it is timed too.
  const closes: RulesAtCloseResult['closes'] = [];
  for (let i = warm; i < warm + timedCloses; i++) {
    const bars = barsAt(coinBars, i);
    // Collect the previous close's garbage first, so that each figure is this close's own work.
    (globalThis as { gc?: () => void }).gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const firings = runner.advance(bars);
    const t1 = performance.now();
    const cpu = process.cpuUsage(c0);
    const states = runner.takeChangedStates();
    const t2 = performance.now();
    let symbolStates = 0;
    for (const s of states) symbolStates += Object.keys(s.state.symbols).length;
    const at = (bars[0] as SeriesBar).bar.openTime + hour;
    closes.push({ at, fourHour: at % (4 * hour) === 0, ms: t1 - t0, cpuMs: (cpu.user + cpu.system) / 1000, firings: firings.length, statesMs: t2 - t1, rulesStored: states.length, symbolStates });
  }
  return { rules, evaluations, streams, closes };
}
