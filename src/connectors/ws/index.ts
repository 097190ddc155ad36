// Generic websocket feed plumbing shared by the exchange folders: the byte-moving feed runner, the raw frame, and the per-exchange feed policy contract. Knows no exchange.
export { runWsFeed, type WsFeedItem, type WsFeedOptions } from './ws-feed.js';
export type { RawFrame } from './raw-frame.js';
export { emptyOutput, type FeedPolicy, type PolicyOutput, type SequenceGap } from './feed-policy.js';
