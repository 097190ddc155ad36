// bitvavo connector (websocket API v2 `book` + `trades`, REST order book): the subscribe message, exact nanosecond timestamps, pure mappers, the nonce-synced feed policy and the feed options. Must not write to the store or the bus.
export { BITVAVO_REST_DEFAULT_URL, BITVAVO_WS_DEFAULT_URL, bitvavoBookUrl, bitvavoFrameMarket, bitvavoStreamCapabilities, bitvavoSubscribe, type BitvavoChannel } from './ws-v2.js';
export { bitvavoDigitsToMs, bitvavoTimestampMs, integerDigitsAfter } from './exact-time.js';
export { mapBitvavoFrame, mapBitvavoTrade, mapBookBody, parseBitvavoBookSnapshot, type BitvavoMessage } from './book-mappers.js';
export { BitvavoFeedPolicy } from './bitvavo-feed-policy.js';
export { bitvavoWsFeedOptions, createBitvavoSnapshotFetcher, type BitvavoFeedSettings, type BitvavoSnapshotFetchSettings } from './bitvavo-ws-feed.js';
