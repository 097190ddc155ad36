/**
 * Pure mappers for BTCTurk websocket frames `[type, {…}]` and the REST order book.
 * PROTOCOLS.md §5; recorded frames in fixtures/ws/btcturk_ws_server_frames_2026-09-23.jsonl.
 *
 * - 431 (order book, the `obdiff` join's first message): `{CS, PS, AO:[{A,P}], BO:[{A,P}]}` →
 *   BookSnapshotEvent, sequence `CS`, no exchange time.
 * - 432 (diff): `{CS, PS, AO:[{CP,P,A}], BO:[…]}` → BookDeltaEvent, first = last sequence `CS`;
 *   `CP` 0 = amount replaced, 1 = new level (both absolute amounts), 3 = level deleted (quantity 0).
 * - 100 (result of a join, `ok` true/false), 991 (version), 402 (ticker) → no event.
 * - REST `{"success":true,…,"data":{"timestamp":ms,"bids":[["p","q"]],"asks":[…]}}` →
 *   BookSnapshotEvent with `sequence` null (the body carries no `CS`).
 */
import { BadInputError } from '../../core/errors.js';
import type { BookLevel, BookDeltaEvent, BookSnapshotEvent } from '../../core/market-events.js';
import { booleanField, describe, integerField, isObject, levelsField, parseJsonText, stringField, toDecimal, type JsonObject } from '../ws/json-fields.js';

export type BtcturkMessage =
  | BookSnapshotEvent
  | BookDeltaEvent
  | { kind: 'result'; ok: boolean; message: string }
  | { kind: 'control'; type: number };

const WHAT = 'btcturk frame';
const IGNORED_TYPES = new Set([991, 402]);

export function mapBtcturkFrame(text: string, receivedAt: number): BtcturkMessage {
  const root = parseJsonText(text, WHAT);
  if (!Array.isArray(root) || root.length !== 2 || typeof root[0] !== 'number' || !isObject(root[1])) {
    throw new BadInputError(`${WHAT}: expected [type, {…}], got ${describe(root)}`);
  }
  const type = root[0];
  const body = root[1];
  if (type === 431) return mapOrderbookFull(body, receivedAt);
  if (type === 432) return mapOrderbookDiff(body, receivedAt);
  if (type === 100) return { kind: 'result', ok: booleanField(body, 'ok', 'btcturk result'), message: typeof body.message === 'string' ? body.message : '' };
  if (IGNORED_TYPES.has(type)) return { kind: 'control', type };
  throw new BadInputError(`${WHAT}: unknown model type ${type}`);
}

/** `[{A,P},…]` (431) → levels; both sides are refused whole if one entry is malformed. */
function fullLevels(o: JsonObject, key: string, what: string): BookLevel[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new BadInputError(`${what}: field "${key}" should be an array of {A, P}, got ${describe(v)}`);
  const out = new Array<BookLevel>(v.length);
  for (let i = 0; i < v.length; i++) {
    const e: unknown = v[i];
    if (!isObject(e)) throw new BadInputError(`${what}: ${key}[${i}] should be {A, P}, got ${describe(e)}`);
    const price = toDecimal(e.P);
    const quantity = toDecimal(e.A);
    if (!(price > 0)) throw new BadInputError(`${what}: field "${key}[${i}].P" should be a positive decimal string, got ${describe(e.P)}`);
    if (!(quantity >= 0)) throw new BadInputError(`${what}: field "${key}[${i}].A" should be a non-negative decimal string, got ${describe(e.A)}`);
    out[i] = [price, quantity];
  }
  return out;
}

/** `[{CP,P,A},…]` (432) → levels; CP 3 removes the level whatever `A` says. */
function diffLevels(o: JsonObject, key: string, what: string): BookLevel[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new BadInputError(`${what}: field "${key}" should be an array of {CP, P, A}, got ${describe(v)}`);
  const out = new Array<BookLevel>(v.length);
  for (let i = 0; i < v.length; i++) {
    const e: unknown = v[i];
    if (!isObject(e)) throw new BadInputError(`${what}: ${key}[${i}] should be {CP, P, A}, got ${describe(e)}`);
    const price = toDecimal(e.P);
    if (!(price > 0)) throw new BadInputError(`${what}: field "${key}[${i}].P" should be a positive decimal string, got ${describe(e.P)}`);
    const cp = e.CP;
    if (cp === 3) {
      out[i] = [price, 0];
      continue;
    }
    if (cp !== 0 && cp !== 1) throw new BadInputError(`${what}: field "${key}[${i}].CP" should be 0, 1 or 3, got ${describe(cp)}`);
    const quantity = toDecimal(e.A);
    if (!(quantity >= 0)) throw new BadInputError(`${what}: field "${key}[${i}].A" should be a non-negative decimal string, got ${describe(e.A)}`);
    out[i] = [price, quantity];
  }
  return out;
}

function mapOrderbookFull(body: JsonObject, receivedAt: number): BookSnapshotEvent {
  const pair = stringField(body, 'PS', 'btcturk order book (431)');
  const what = `btcturk order book (431) for ${pair}`;
  const bids = fullLevels(body, 'BO', what);
  const asks = fullLevels(body, 'AO', what);
  bids.sort((a, b) => b[0] - a[0]);
  asks.sort((a, b) => a[0] - b[0]);
  return { kind: 'book_snapshot', exchange: 'btcturk', symbol: pair, receivedAt, exchangeTime: null, bids, asks, sequence: integerField(body, 'CS', what) };
}

function mapOrderbookDiff(body: JsonObject, receivedAt: number): BookDeltaEvent {
  const pair = stringField(body, 'PS', 'btcturk order book diff (432)');
  const what = `btcturk order book diff (432) for ${pair}`;
  const cs = integerField(body, 'CS', what);
  return {
    kind: 'book_delta',
    exchange: 'btcturk',
    symbol: pair,
    receivedAt,
    exchangeTime: null,
    bids: diffLevels(body, 'BO', what),
    asks: diffLevels(body, 'AO', what),
    firstSequence: cs,
    lastSequence: cs,
  };
}

/** The REST `GET /api/v2/orderbook` body for `pair`; `success: false` is refused with the exchange's message. */
export function parseBtcturkOrderbook(body: string, pair: string, receivedAt: number): BookSnapshotEvent {
  const what = `btcturk orderbook snapshot for ${pair}`;
  const root = parseJsonText(body, what);
  if (!isObject(root)) throw new BadInputError(`${what}: expected a JSON object, got ${describe(root)}`);
  if (root.success !== true) throw new BadInputError(`${what}: "success" is ${describe(root.success)} (code ${describe(root.code)}, message ${describe(root.message)})`);
  const data = root.data;
  if (!isObject(data)) throw new BadInputError(`${what}: field "data" should be an object, got ${describe(data)}`);
  const bids = levelsField(data, 'bids', what);
  const asks = levelsField(data, 'asks', what);
  bids.sort((a, b) => b[0] - a[0]);
  asks.sort((a, b) => a[0] - b[0]);
  return { kind: 'book_snapshot', exchange: 'btcturk', symbol: pair, receivedAt, exchangeTime: integerField(data, 'timestamp', what), bids, asks, sequence: null };
}
