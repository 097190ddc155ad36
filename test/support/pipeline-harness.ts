/**
 * End-to-end harness: the replay server (bundled real recordings) in this process, the real
 * connectors pointed at it, and a store of either backend.
 */
import { pino } from 'pino';
import { createReplaySources, type BuiltSources } from '../../src/pipeline/create-sources.js';
import { configSchema } from '../../src/core/config.js';
import { startReplayServer, type ReplayServer, type ReplayServerOptions } from '../../src/replay/index.js';

export interface Harness {
  replay: ReplayServer;
  sources: BuiltSources;
  logger: pino.Logger;
  close(): Promise<void>;
}

export const silentLogger = pino({ level: 'silent' });

export async function startHarness(opts: ReplayServerOptions): Promise<Harness> {
  const replay = await startReplayServer({ speed: 0, ...opts });
  const sources = createReplaySources(configSchema.parse({}), replay);
  return { replay, sources, logger: silentLogger, close: () => replay.close() };
}

/** A tickerflow.toml that points every source at the replay server (its `urls`, or those of one another process runs). */
export function replayConfigToml(replay: { urls: Pick<ReplayServer['urls'], 'binance' | 'archiveData' | 'archiveList' | 'coingecko'> }, symbols: string[]): string {
  return `[universe]
top = 0
symbols = [${symbols.map((s) => `"${s}"`).join(', ')}]

[sources]
binance_rest = "${replay.urls.binance}"
binance_archive = "${replay.urls.archiveData}"
binance_archive_list = "${replay.urls.archiveList}"
coingecko = "${replay.urls.coingecko}"
`;
}
