/**
 * Pure parser for the REST order-book snapshot `GET /api/v3/depth` that seeds a diff-depth book.
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#order-book
 *
 * Body: `{"lastUpdateId":n,"bids":[["p","q"],…],"asks":[…]}`, best first, no symbol and no time
 * (so `exchangeTime` is null and the caller names the symbol). With limit=1000 a side can hold
 * fewer than 1000 levels.
 */
import { BadInputError } from '../../../core/errors.js';
import type { BookSnapshotEvent } from '../../../core/market-events.js';
import { integerField, isObject, levelsField, parseJsonText } from '../../ws/json-fields.js';

export function parseDepthSnapshot(body: string, symbol: string, receivedAt: number): BookSnapshotEvent {
  const what = `binance depth snapshot for ${symbol}`;
  const root = parseJsonText(body, what);
  if (!isObject(root)) throw new BadInputError(`${what}: expected a JSON object`);
  return {
    kind: 'book_snapshot',
    exchange: 'binance',
    symbol,
    receivedAt,
    exchangeTime: null,
    bids: levelsField(root, 'bids', what),
    asks: levelsField(root, 'asks', what),
    sequence: integerField(root, 'lastUpdateId', what),
  };
}
