// binance spot websocket streams: stream names and URLs, pure frame mappers, the REST depth snapshot parser, the diff-depth sync and the feed policy. Must not write to the store or the bus.
export {
  BINANCE_STREAM_KINDS,
  BINANCE_WS_DEFAULT_BASE_URL,
  BINANCE_WS_LIMITS,
  binanceCombinedUrl,
  binanceDepthSnapshotUrl,
  binanceFrameStream,
  binanceShutdownNotice,
  binanceStreamCapabilities,
  binanceStreamName,
  binanceStreamNames,
  binanceSubscribeMessages,
  type BinanceStreamKind,
  type BinanceSubscription,
} from './streams.js';
export { mapBinanceFrame, type BinanceBookTicker, type BinanceControl, type BinanceMessage } from './stream-mappers.js';
export { mapHistoricalTrades, mapAggTradesPage, type BinanceTradeList } from './rest-trade-mappers.js';
export { parseDepthSnapshot } from './depth-snapshot.js';
export { DepthSync, DEFAULT_DEPTH_BUFFER_LIMIT, type DepthSyncStep } from './depth-sync.js';
export { BinanceFeedPolicy } from './binance-feed-policy.js';
export { binanceWsFeedOptions, createBinanceSnapshotFetcher, type BinanceFeedSettings, type BinanceSnapshotFetchSettings } from './binance-ws-feed.js';
