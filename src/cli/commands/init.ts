/** `tickerflow init`: writes a commented tickerflow.toml with every default. */
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { CONFIG_TEMPLATE, DEFAULT_CONFIG_PATH } from '../load-config.js';

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description(`write ${DEFAULT_CONFIG_PATH} with every setting and its default`)
    .option('--force', 'overwrite an existing file')
    .action((opts: { force?: boolean }, cmd: Command) => {
      const path = cmd.optsWithGlobals<{ config?: string }>().config ?? DEFAULT_CONFIG_PATH;
      if (existsSync(path) && opts.force !== true) throw new ConfigError(`${path} already exists; use --force to overwrite it`);
      writeFileSync(path, CONFIG_TEMPLATE);
      process.stdout.write(`wrote ${path}\n`);
    });
}
