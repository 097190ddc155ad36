/** Builds the commander program: global options and one subcommand per file under cli/commands/. */
import { Command, Option } from 'commander';
import { registerAlertsCommand } from './commands/alerts.js';
import { registerCandlesCommand } from './commands/candles.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerIndicatorsCommand } from './commands/indicators.js';
import { registerInitCommand } from './commands/init.js';
import { registerJobsCommand } from './commands/jobs.js';
import { registerPipelineCommands } from './commands/pipeline-commands.js';
import { registerReplayCommand } from './commands/replay.js';
import { registerReplayServerCommand } from './commands/replay-server.js';
import { registerUpCommand } from './commands/up.js';
import { registerSignalsCommand } from './commands/signals.js';
import { registerStreamCommand } from './commands/stream.js';
import { registerUsersCommand } from './commands/users.js';
import { registerWorkerCommand } from './commands/worker.js';

export function buildProgram(): Command {
  const program = new Command('tickerflow')
    .description('Self-hosted market data: a complete, gap-free candle history of the coins you follow')
    .version('0.1.0')
    .option('-c, --config <file>', 'configuration file (default ./tickerflow.toml if present)')
    .option('--db <path|url>', 'DuckDB file or postgres:// URL (default ./tickerflow-data/tickerflow.duckdb)')
    .addOption(new Option('--log-level <level>', 'log level on stderr').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'))
    .configureHelp({ showGlobalOptions: true });
  registerInitCommand(program);
  registerUpCommand(program);
  registerDemoCommand(program);
  registerPipelineCommands(program);
  registerWorkerCommand(program);
  registerCandlesCommand(program);
  registerSignalsCommand(program);
  registerStreamCommand(program);
  registerIndicatorsCommand(program);
  registerJobsCommand(program);
  registerReplayCommand(program);
  registerReplayServerCommand(program);
  registerDoctorCommand(program);
  registerUsersCommand(program);
  registerAlertsCommand(program);
  return program;
}
