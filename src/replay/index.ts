// replay: serves bundled recorded market data through the exchanges' own protocols on a simulated clock, with fault injection; it must not write to the store or call the real exchanges.
export { startReplayServer, BUNDLED_FIXTURES, DEFAULT_COINGECKO_FILES } from './replay-server.js';
export type { ReplayServer, ReplayServerOptions, ReplayFaults, ReplayStats, ReplayScaleOptions } from './replay-server.js';
export { parseScaleSpec, scaleSymbol, type ScaleSpec } from './scale/scale-layout.js';
export { SimClock } from './sim-clock.js';
export type { AppliedArchiveFault } from './archive-catalog.js';
export { DEFAULT_PUBLICATION_LAG_MS, publicationTime } from './publication.js';
export type { ReplayWs, ReplayWsOptions, ReplayWsStats, DerivedLogEntry } from './ws/replay-ws.js';
export type { WsFault, AppliedWsFault } from './ws/ws-faults.js';
