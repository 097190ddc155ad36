/**
 * Builds the commander program: global options and one subcommand per file under cli/commands/.
 * A command's file is imported only when that command runs (every file for help or an unknown
 * command): importing all of them cost 1.15 s of CPU at each start, against 0.6 s for `candles`
 * alone, most of it servers and connectors the command never uses.
 */
import { Command, Option } from 'commander';

type Register = (program: Command) => void;

/** Each command's file, in the order help lists them; one file may register several commands. */
const COMMAND_FILES: ReadonlyArray<readonly [names: readonly string[], load: () => Promise<Register>]> = [
  [['init'], async () => (await import('./commands/init.js')).registerInitCommand],
  [['up'], async () => (await import('./commands/up.js')).registerUpCommand],
  [['demo'], async () => (await import('./commands/demo.js')).registerDemoCommand],
  [['universe', 'backfill', 'sync', 'gaps'], async () => (await import('./commands/pipeline-commands.js')).registerPipelineCommands],
  [['worker'], async () => (await import('./commands/worker.js')).registerWorkerCommand],
  [['serve'], async () => (await import('./commands/serve.js')).registerServeCommand],
  [['candles'], async () => (await import('./commands/candles.js')).registerCandlesCommand],
  [['signals'], async () => (await import('./commands/signals.js')).registerSignalsCommand],
  [['stream'], async () => (await import('./commands/stream.js')).registerStreamCommand],
  [['indicators'], async () => (await import('./commands/indicators.js')).registerIndicatorsCommand],
  [['jobs'], async () => (await import('./commands/jobs.js')).registerJobsCommand],
  [['replay'], async () => (await import('./commands/replay.js')).registerReplayCommand],
  [['replay-server'], async () => (await import('./commands/replay-server.js')).registerReplayServerCommand],
  [['doctor'], async () => (await import('./commands/doctor.js')).registerDoctorCommand],
  [['users'], async () => (await import('./commands/users.js')).registerUsersCommand],
  [['alerts'], async () => (await import('./commands/alerts.js')).registerAlertsCommand],
];

/** Global options that take a value (their value is not the command's name). */
const VALUE_OPTIONS = new Set(['-c', '--config', '--db', '--log-level']);

/**
 * The program for `argv` (process.argv: node, script, then the arguments): with only the command
 * that argv names, or with every command when it names none that exists (help, a typo).
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('tickerflow')
    .description('Self-hosted market data: a complete, gap-free candle history of the coins you follow')
    .version('0.1.0')
    .option('-c, --config <file>', 'configuration file (default ./tickerflow.toml if present)')
    .option('--db <path|url>', 'DuckDB file or postgres:// URL (default ./tickerflow-data/tickerflow.duckdb)')
    .addOption(new Option('--log-level <level>', 'log level on stderr').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'))
    .configureHelp({ showGlobalOptions: true });
  const name = commandName(argv.slice(2));
  const named = COMMAND_FILES.find(([names]) => name !== undefined && names.includes(name));
  for (const [, load] of named === undefined ? COMMAND_FILES : [named]) (await load())(program);
  return program;
}

/** The first argument that is neither a global option nor its value. */
function commandName(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') return args[i + 1];
    if (!arg.startsWith('-')) return arg;
    if (VALUE_OPTIONS.has(arg)) i++;
  }
  return undefined;
}
