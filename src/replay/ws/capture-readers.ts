/**
 * Readers for the recorded websocket captures the replay server serves (fixtures/SOURCES.md):
 *
 * - hftbacktest (`ws/hftbacktest/spot/*.gz`): gzip text, one `<receive ns> <JSON>` per line, the
 *   JSON being Binance's combined-stream envelope `{"stream":…,"data":…}` except for the bare REST
 *   depth snapshot line (`{"lastUpdateId":…}`), which has no envelope and no symbol.
 * - cryptofeed derived JSONL (`ws/cryptofeed_*.jsonl`, SOURCES §2.2): `{"dir":"recv","ts":<s>,
 *   "data":<message>}` per received message; `open`/`sent` lines are the client's side.
 * - cryptofeed REST captures (`*.capture.txt`, SOURCES §2.1): `URL -> TS: BODY` lines.
 *
 * These are the replay's own readers; the client's parsers in src/connectors are not used.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { BadInputError } from '../../core/errors.js';

/** One recorded message: when it was received (capture ms) and its payload text as received. */
export interface RecordedMessage {
  at: number;
  /** The combined-stream name for Binance; '' where the capture has none. */
  stream: string;
  /** The payload text (for Binance, the envelope's `data`), byte for byte where the file allows. */
  text: string;
}

export interface RecordedSnapshot {
  at: number;
  text: string;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One recorded frame's JSON object; `where` names the frame in the error when it is not one. */
export function parseObject(text: string, where: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new BadInputError(`${where}: not JSON`, { cause: err });
  }
  if (!isRecord(v)) throw new BadInputError(`${where}: not a JSON object`);
  return v;
}

const ENVELOPE_HEAD = /^\{"stream":"([^"]+)","data":/;

/** Reads one hftbacktest file: its stream messages and the REST depth snapshot lines in it. */
export function readHftbacktest(path: string): { messages: RecordedMessage[]; snapshots: RecordedSnapshot[] } {
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  const messages: RecordedMessage[] = [];
  const snapshots: RecordedSnapshot[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line === '') continue;
    const space = line.indexOf(' ');
    const ns = line.slice(0, space);
    if (space < 0 || !/^\d{19}$/.test(ns)) throw new BadInputError(`${path} line ${lineNo}: expected "<19-digit ns> <JSON>", got "${line.slice(0, 40)}"`);
    const at = Number(BigInt(ns) / 1_000_000n);
    const json = line.slice(space + 1);
    const head = ENVELOPE_HEAD.exec(json);
    if (head && json.endsWith('}')) {
      messages.push({ at, stream: head[1] as string, text: json.slice(head[0].length, -1) });
    } else if (json.startsWith('{"lastUpdateId":')) {
      snapshots.push({ at, text: json });
    } else {
      throw new BadInputError(`${path} line ${lineNo}: neither a combined-stream envelope nor a depth snapshot: "${json.slice(0, 60)}"`);
    }
  }
  return { messages, snapshots };
}

/** The received messages of a cryptofeed JSONL capture, in file order, payloads as objects. */
export function readCryptofeedJsonl(path: string): { at: number; data: unknown }[] {
  const out: { at: number; data: unknown }[] = [];
  let lineNo = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    lineNo++;
    if (line.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      throw new BadInputError(`${path} line ${lineNo}: not JSON`, { cause: err });
    }
    if (!isRecord(row) || typeof row.dir !== 'string' || typeof row.ts !== 'number') throw new BadInputError(`${path} line ${lineNo}: expected {"dir":…,"ts":…}`);
    if (row.dir !== 'recv') continue;
    out.push({ at: Math.round(row.ts * 1000), data: row.data });
  }
  return out;
}

/** Binance combined-stream messages of a cryptofeed JSONL capture, payloads re-serialised compactly. */
export function readCryptofeedBinance(path: string): RecordedMessage[] {
  return readCryptofeedJsonl(path).map(({ at, data }, i) => {
    if (!isRecord(data) || typeof data.stream !== 'string' || !isRecord(data.data)) throw new BadInputError(`${path} recv message ${i + 1}: not a combined-stream envelope`);
    return { at, stream: data.stream, text: JSON.stringify(data.data) };
  });
}

/** `URL -> TS: BODY` lines of a cryptofeed REST capture, by URL (the last body wins). */
export function readCryptofeedRest(path: string): Map<string, string> {
  const out = new Map<string, string>();
  let lineNo = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    lineNo++;
    if (line.trim() === '' || line.startsWith('configuration: ')) continue;
    const m = /^(\S+) -> [0-9.]+: /.exec(line);
    if (!m) throw new BadInputError(`${path} line ${lineNo}: expected "URL -> TS: BODY"`);
    out.set(m[1] as string, line.slice(m[0].length));
  }
  return out;
}

/** The non-empty lines of a file of one frame per line (the Bitvavo and BTCTurk frames, the docs examples), each as written. */
export function readFrameLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
}
