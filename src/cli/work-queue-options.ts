/**
 * The options of the commands that share a NATS work queue (`worker`, `backfill --bus`), and
 * the checks that the store is one several processes can share.
 */
import type { Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import { DEFAULT_WORK_QUEUE, NatsWorkQueue } from '../bus/nats/nats-work-queue.js';
import { globalOptions } from './context.js';
import { loadConfig } from './load-config.js';

export interface WorkQueueOptions {
  bus?: string;
  queue: string;
}

export function addWorkQueueOptions(cmd: Command, busHelp: string): Command {
  return cmd
    .option('--bus <url>', busHelp)
    .option('--queue <name>', 'the JetStream work-queue stream (one per store)', DEFAULT_WORK_QUEUE.stream);
}

/**
 * Workers and the backfill that feeds them must reach the same store: a DuckDB file is one
 * process's. Checked before the store is opened, so a refused command creates no file.
 */
export function requireSharedStore(cmd: Command, command: string): void {
  const { db } = loadConfig(globalOptions(cmd)).config.store;
  if (!/^postgres(ql)?:\/\//i.test(db)) throw new ConfigError(`${command} needs a store every process can reach: --db postgres://…, not "${db}" (a DuckDB file is held by one process)`);
}

/** A worker passes its lease (seconds); a producer does not change the workers' consumer. */
export function openWorkQueue(bus: string, o: WorkQueueOptions, leaseSeconds?: number): Promise<NatsWorkQueue> {
  if (!/^nats:\/\//i.test(bus)) throw new ConfigError(`--bus must be nats://host[:port] for a work queue, not "${bus}"`);
  return leaseSeconds === undefined
    ? NatsWorkQueue.open(bus, 'producer', { stream: o.queue })
    : NatsWorkQueue.open(bus, 'worker', { stream: o.queue, ackWaitMs: leaseSeconds * 1000 });
}
