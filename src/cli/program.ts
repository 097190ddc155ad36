/** Builds the commander program: one subcommand per file under cli/commands/. */
import { Command } from 'commander';

export function buildProgram(): Command {
  const program = new Command('tickerflow')
    .description('Self-hosted market data: gap-free candle history, indicators and alerts')
    .version('0.1.0');
  return program;
}
