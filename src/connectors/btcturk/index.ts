// btcturk connector (websocket feed `obdiff` order book, REST order book): the join messages, pure mappers, the CS-synced feed policy and the feed options. Must not write to the store or the bus.
export { BTCTURK_REST_DEFAULT_URL, BTCTURK_WS_DEFAULT_URL, btcturkFramePair, btcturkJoinMessages, btcturkOrderbookUrl, btcturkStreamCapabilities, type BtcturkBookChannel } from './ws-feed-models.js';
export { mapBtcturkFrame, parseBtcturkOrderbook, type BtcturkMessage } from './orderbook-mappers.js';
export { BtcturkFeedPolicy } from './btcturk-feed-policy.js';
export { btcturkWsFeedOptions, createBtcturkSnapshotFetcher, type BtcturkFeedSettings, type BtcturkSnapshotFetchSettings } from './btcturk-ws-feed.js';
