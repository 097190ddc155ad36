/** `tickerflow replay-server`: serves the bundled recorded data through the exchanges' protocols until stopped. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { BadInputError } from '../../core/errors.js';
import { parseScaleSpec, startReplayServer, type ReplayFaults, type ScaleSpec } from '../../replay/index.js';
import { intArg, numberArg, timeArgNamed } from '../options.js';

interface ReplayServerFlags {
  port: number;
  host: string;
  now?: number;
  speed: number;
  seed: number;
  publicationLag: number;
  failRateLimit?: number | true;
  fail5xx?: number;
  latencyMs?: number;
  truncateZip?: string;
  badChecksum?: string;
  malformedCsv?: string;
  scale?: ScaleSpec;
  cache: string;
}

function scaleArg(v: string): ScaleSpec {
  try {
    return parseScaleSpec(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** Where derived scale zips are kept between runs unless `--cache` says otherwise. */
export const DEFAULT_SCALE_CACHE = join(tmpdir(), 'tickerflow-replay-scale');

export function registerReplayServerCommand(program: Command): void {
  program
    .command('replay-server')
    .description('serve bundled real recorded data (Binance REST, the data.binance.vision archive and its S3 listing, CoinGecko; Binance, Gemini, Bitvavo and BTCTurk websockets) on a simulated clock, with fault injection')
    .option('--port <n>', 'TCP port; 0 picks a free one', intArg('--port', 0, 65535), 0)
    .option('--host <address>', 'listen address', '127.0.0.1')
    .option('--now <ISO>', 'simulated start time, e.g. 2020-01-04T00:30:00Z (default: the real now)', timeArgNamed('--now'))
    .option('--speed <x>', 'simulated seconds per real second (0 freezes the clock)', numberArg('--speed', 0, 1e9), 1)
    .option('--seed <n>', 'seed of every random fault decision', intArg('--seed', 0, 2 ** 32 - 1), 1)
    .option('--publication-lag <minutes>', 'minutes after a day (or month) ends before its archive file appears', numberArg('--publication-lag', 0, 1e6), 10)
    .option('--fail-rate-limit [count]', 'answer the next N Binance requests 429 (default 1); sending again inside the window gets 418', intArg('--fail-rate-limit', 1, 1e9))
    .option('--fail-5xx <fraction>', 'answer this fraction of all requests with 503', numberArg('--fail-5xx', 0, 1))
    .option('--latency, --latency-ms <ms>', 'delay every response by this many real milliseconds', numberArg('--latency-ms', 0, 600_000))
    .option('--truncate-zip <key-substring>', 'serve matching archive zips cut in half (with a matching .CHECKSUM)')
    .option('--bad-checksum <key-substring>', 'serve a wrong .CHECKSUM for matching archive zips')
    .option('--malformed-csv <key-substring>', 'serve matching archive zips with one CSV row cut short (with a matching .CHECKSUM)')
    .option(
      '--scale <NxM>',
      'also serve N derived symbols (SCALE001USDT…) × M derived months ending 2024-12, time-shifted copies of the bundled real 1m months (see README, replay server); without --now the clock starts an hour after the last month is published (2025-01-06T01:10Z at the default lag)',
      scaleArg,
    )
    .option('--cache <dir>', 'where --scale keeps its generated zips (made only when missing)', DEFAULT_SCALE_CACHE)
    .action(async (flags: ReplayServerFlags) => {
      const faults: ReplayFaults = {
        failRateLimit: flags.failRateLimit === true ? 1 : flags.failRateLimit,
        fail5xx: flags.fail5xx,
        latencyMs: flags.latencyMs,
        truncateZip: flags.truncateZip,
        badChecksum: flags.badChecksum,
        malformedCsv: flags.malformedCsv,
      };
      const server = await startReplayServer({
        port: flags.port,
        host: flags.host,
        now: flags.now,
        speed: flags.speed,
        seed: flags.seed,
        publicationLagMs: flags.publicationLag * 60_000,
        faults,
        // A standing server: read the websocket captures before listening, not on first connect.
        ws: { preload: true },
        ...(flags.scale
          ? {
              scale: {
                spec: flags.scale,
                cacheDir: flags.cache,
                onMonth: (done: number, total: number) => {
                  if (done % 50 === 0 || done === total) process.stderr.write(`scale archive: ${done}/${total} months ready\n`);
                },
              },
            }
          : {}),
      });
      // A file fault that matched no object would do nothing: refuse it rather than serve clean files.
      const applied = new Set<string>(server.stats().archiveFaults.map((f) => f.kind));
      const given: Array<[string, string | undefined]> = [['truncate-zip', flags.truncateZip], ['bad-checksum', flags.badChecksum], ['malformed-csv', flags.malformedCsv]];
      const idle = given.filter(([kind, pattern]) => pattern !== undefined && !applied.has(kind));
      if (idle.length > 0) {
        await server.close();
        throw new BadInputError(
          `replay-server: ${idle.map(([kind, pattern]) => `--${kind} "${pattern}"`).join(', ')} matches no archive object; file faults apply to the bundled recorded files ` +
            `(e.g. BTCUSDT-1m-2020-01-02), not to --scale's derived ones`,
        );
      }
      const out = process.stdout;
      out.write(`replay server listening on ${server.url} (simulated now ${new Date(server.clock.now()).toISOString()}, speed ${flags.speed}x)\n`);
      out.write(`  binance REST   ${server.urls.binance}\n`);
      out.write(`  archive data   ${server.urls.archiveData}\n`);
      out.write(`  archive list   ${server.urls.archiveList}\n`);
      out.write(`  coingecko      ${server.urls.coingecko}\n`);
      out.write(`  binance WS     ${server.urls.binanceWs}  (combined: …/binance/stream?streams=; faults: POST ${server.url}/_ws/faults)\n`);
      out.write(`  gemini         ${server.urls.gemini} (REST), ${server.urls.geminiWs}/v2/marketdata\n`);
      out.write(`  bitvavo        ${server.urls.bitvavo} (REST, /{market}/book), ${server.urls.bitvavoWs}\n`);
      out.write(`  btcturk        ${server.urls.btcturk} (REST, /api/v2/orderbook), ${server.urls.btcturkWs}\n`);
      out.write(`  telegram       ${server.urls.telegram}  ([telegram] api_root; sent messages at ${server.url}/_telegram/messages)\n`);
      const sc = server.stats().scale;
      if (sc) {
        out.write(`  scale          ${sc.symbols.length} derived symbols ${sc.symbols[0]}…${sc.symbols[sc.symbols.length - 1]} × ${sc.months} months from ${new Date(sc.seriesStart).toISOString().slice(0, 7)}, `);
        out.write(`${(sc.zipBytes / 1e6).toFixed(1)} MB of zips in ${flags.cache} (${sc.generatedMonths} generated now)\n`);
      }
      for (const f of server.stats().archiveFaults) out.write(`  fault ${f.kind} on ${f.key}${f.row === undefined ? '' : ` (row ${f.row})`}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
      const s = server.stats();
      out.write(`replay server stopped: ${s.requests} requests, binance weight ${s.binance.weight}, 429 ×${s.binance.rateLimited429}, 418 ×${s.binance.banned418}, injected 5xx ×${s.injected5xx}\n`);
    });
}
