/**
 * The words of a rule expression. An indicator operand is read whole here (`macd:12:26:9.signal@4h`,
 * `sma:20(volume)`), checked against the indicator catalog, and so is a liquidity signal
 * (`bid_ask_ratio@gemini`, `spread@gemini:BTCUSD`), so an unknown name, parameter, output,
 * interval or exchange is refused at its own position.
 */
import { isInterval, type Interval } from '../core/intervals.js';
import { STREAM_EXCHANGES, type StreamExchange } from '../core/market-events.js';
import { computeIndicator, INDICATOR_CATALOG, parseIndicatorSpecs, specText } from '../indicators/catalog.js';
import { IndicatorInputError } from '../indicators/indicator-error.js';
import { BAR_FIELDS, STREAM_CATALOG, type BarField } from '../indicators/stream-catalog.js';
import type { IndicatorRef, SignalRef } from './rule-ast.js';
import { RuleSyntaxError } from './rule-syntax-error.js';
import { isSignalName, SIGNAL_OPERANDS } from './signal-catalog.js';

export type Token =
  | { type: 'number'; value: number; position: number }
  | { type: 'field'; field: BarField; position: number }
  | { type: 'indicator'; ref: IndicatorRef; position: number }
  | { type: 'signal'; ref: SignalRef; position: number }
  | { type: 'keyword'; word: Keyword; position: number }
  | { type: 'op'; op: Op; position: number }
  | { type: 'end'; position: number };

const KEYWORDS = ['and', 'or', 'for', 'bars', 'bar', 'crosses_above', 'crosses_below'] as const;
type Keyword = (typeof KEYWORDS)[number];
const OPS = ['<=', '>=', '==', '!=', '<', '>', '+', '-', '*', '/', '(', ')'] as const;
export type Op = (typeof OPS)[number];

const NUMBER = /\d+(?:\.\d+)?|\.\d+/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const PARAMS = /(?::(?:\d+(?:\.\d+)?|\.\d+)?)*/y;
const SOURCE = /\(\s*([A-Za-z_]+)\s*\)/y;
const OUTPUT = /\.([A-Za-z_][A-Za-z0-9_]*)/y;
const AT = /@([0-9A-Za-z]*)/y;
/**
 * `@exchange` and an optional `:SYMBOL`: letters and digits, with `-` before a part that starts
 * with a letter (`BTC-EUR`), so `mid@bitvavo:BTC-EUR-1` is the signal minus one.
 */
const AT_MARKET = /@([0-9A-Za-z_]*)(?::([A-Za-z0-9]+(?:-[A-Za-z][A-Za-z0-9]*)*))?/y;
const SIGNAL_NAMES = Object.keys(SIGNAL_OPERANDS).join(', ');

function match(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

const NO_BARS = (() => {
  const none = new Float64Array(0);
  return { open: none, high: none, low: none, close: none, volume: none, openTime: none };
})();

/** Output names of an indicator (`signal`, `buy_setup` …), empty for a single-output one. */
export function indicatorOutputs(name: string, params: number[]): string[] {
  const prefix = STREAM_CATALOG[name]?.prefix;
  if (prefix === undefined) return [];
  return computeIndicator({ name, params }, NO_BARS).columns.map(([c]) => c.slice(prefix.length + 1));
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = match(NUMBER, text, i);
    if (num !== null) {
      tokens.push({ type: 'number', value: Number(num[0]), position: i });
      i += num[0].length;
      continue;
    }
    const word = match(WORD, text, i);
    if (word !== null) {
      const lower = word[0].toLowerCase();
      if ((KEYWORDS as readonly string[]).includes(lower)) {
        tokens.push({ type: 'keyword', word: lower as Keyword, position: i });
        i += word[0].length;
      } else if ((BAR_FIELDS as readonly string[]).includes(lower)) {
        tokens.push({ type: 'field', field: lower as BarField, position: i });
        i += word[0].length;
      } else if (isSignalName(lower)) {
        const { ref, end } = readSignal(text, i, word[0]);
        tokens.push({ type: 'signal', ref, position: i });
        i = end;
      } else {
        const { ref, end } = readIndicator(text, i, word[0]);
        tokens.push({ type: 'indicator', ref, position: i });
        i = end;
      }
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op === undefined) throw new RuleSyntaxError(i, `unexpected "${c}"`);
    tokens.push({ type: 'op', op, position: i });
    i += op.length;
  }
  tokens.push({ type: 'end', position: text.length });
  return tokens;
}

/** `name[:p…][(field)][.output][@interval]` starting at `start`. */
function readIndicator(text: string, start: number, rawName: string): { ref: IndicatorRef; end: number } {
  const name = rawName.toLowerCase();
  const entry = STREAM_CATALOG[name];
  if (INDICATOR_CATALOG[name] === undefined || entry === undefined) {
    const exchange = match(AT_MARKET, text, start + rawName.length)?.[1]?.toLowerCase();
    if (exchange !== undefined && isExchange(exchange)) {
      throw new RuleSyntaxError(start, `unknown liquidity signal "${rawName}"; the signals of an exchange: ${SIGNAL_NAMES}`);
    }
    throw new RuleSyntaxError(
      start,
      `unknown operand "${rawName}": expected a bar field (${BAR_FIELDS.join(', ')}), a number, an indicator (${Object.keys(INDICATOR_CATALOG).join(', ')}) or a liquidity signal with its exchange (${SIGNAL_NAMES}; e.g. bid_ask_ratio@gemini)`,
    );
  }
  let i = start + rawName.length;
  const params = match(PARAMS, text, i)?.[0] ?? '';
  let spec;
  try {
    [spec] = parseIndicatorSpecs(name + params);
  } catch (err) {
    if (err instanceof IndicatorInputError) throw new RuleSyntaxError(start, err.message, { cause: err });
    throw err;
  }
  if (spec === undefined) throw new RuleSyntaxError(start, `"${rawName}" names no indicator`);
  i += params.length;

  let source: BarField = 'close';
  const src = match(SOURCE, text, i);
  if (src !== null) {
    const field = (src[1] as string).toLowerCase();
    if (!(BAR_FIELDS as readonly string[]).includes(field)) {
      throw new RuleSyntaxError(i + 1, `"${src[1]}" is not a bar field; an indicator reads one of ${BAR_FIELDS.join(', ')}`);
    }
    if (entry.input !== 'close') throw new RuleSyntaxError(i, `${name} reads the whole bar, so it takes no input field`);
    source = field as BarField;
    i += src[0].length;
  }

  const outputs = indicatorOutputs(spec.name, spec.params);
  let output: string | null = null;
  const out = match(OUTPUT, text, i);
  if (out !== null) {
    const wanted = (out[1] as string).toLowerCase();
    if (outputs.length === 0) throw new RuleSyntaxError(i + 1, `${name} has one output; write it without ".${out[1]}"`);
    if (!outputs.includes(wanted)) throw new RuleSyntaxError(i + 1, `${name} has no output "${out[1]}"; its outputs: ${outputs.join(', ')}`);
    output = wanted;
    i += out[0].length;
  } else if (outputs.length > 0) {
    throw new RuleSyntaxError(start, `${name} has several outputs: name one, e.g. ${name}.${outputs[0]} (outputs: ${outputs.join(', ')})`);
  }

  let interval: Interval | null = null;
  const at = match(AT, text, i);
  if (at !== null) {
    const raw = at[1] as string;
    if (isExchange(raw.toLowerCase())) throw new RuleSyntaxError(i + 1, `"${raw}" is an exchange, which only a liquidity signal takes (bid_ask_ratio@${raw.toLowerCase()}); an indicator takes an interval (${name}@4h)`);
    if (!isInterval(raw)) throw new RuleSyntaxError(i + 1, `unknown interval "${raw}"`);
    interval = raw;
    i += at[0].length;
  }

  const streamKey = specText(spec) + (source === 'close' ? '' : `(${source})`);
  const text_ = streamKey + (output === null ? '' : `.${output}`) + (interval === null ? '' : `@${interval}`);
    // Batch columns are the stream keys in snake case (catalog.ts), so the key is the output in camel case.
  const outputKey = output === null ? null : output.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return { ref: { spec, source, output, outputKey, interval, streamKey, text: text_ }, end: i };
}

function isExchange(name: string): name is StreamExchange {
  return (STREAM_EXCHANGES as readonly string[]).includes(name);
}

/** `signal@exchange[:SYMBOL]` starting at `start`: the exchange is required, the symbol optional. */
function readSignal(text: string, start: number, rawName: string): { ref: SignalRef; end: number } {
  const name = rawName.toLowerCase();
  if (!isSignalName(name)) throw new RuleSyntaxError(start, `unknown liquidity signal "${rawName}"`);
  const i = start + rawName.length;
  const at = match(AT_MARKET, text, i);
  if (at === null) {
    throw new RuleSyntaxError(i, `${name} is a liquidity signal of one exchange: name it, e.g. ${name}@gemini (exchanges: ${STREAM_EXCHANGES.join(', ')})`);
  }
  const exchange = (at[1] as string).toLowerCase();
  if (!isExchange(exchange)) {
    throw new RuleSyntaxError(i + 1, `unknown exchange "${at[1] as string}" for ${name}; signals are kept for ${STREAM_EXCHANGES.join(', ')}`);
  }
  const symbol = at[2] === undefined ? null : at[2].toUpperCase();
  const ref: SignalRef = { name, field: SIGNAL_OPERANDS[name], exchange, symbol, text: `${name}@${exchange}${symbol === null ? '' : `:${symbol}`}` };
  return { ref, end: i + at[0].length };
}
