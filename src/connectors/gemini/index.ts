// gemini connector (market data v2 websocket): the l2 subscribe message, pure mappers to normalised events and the feed policy. Must not write to the store or the bus.
export { GEMINI_WS_DEFAULT_URL, geminiFrameChannel, geminiL2Subscribe, geminiStreamCapabilities } from './marketdata-v2.js';
export { classifyGeminiFrame, mapGeminiTrade, mapL2Delta, mapL2Snapshot, type GeminiMessage } from './l2-mappers.js';
export { GeminiFeedPolicy } from './gemini-feed-policy.js';
export { geminiWsFeedOptions, type GeminiFeedSettings } from './gemini-ws-feed.js';
