/**
 * The options of the commands that share a NATS work queue (`worker`, `backfill --bus`), and
 * the checks that the store is one several processes can share.
 */
import type { Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import { DEFAULT_WORK_QUEUE, NatsWorkQueue } from '../bus/nats/nats-work-queue.js';
import { positiveIntArg } from './options.js';

export interface WorkQueueOptions {
  bus?: string;
  queue: string;
  /** Seconds a job stays leased to a worker without a heartbeat. */
  lease: number;
}

export function addWorkQueueOptions(cmd: Command, busHelp: string): Command {
  return cmd
    .option('--bus <url>', busHelp)
    .option('--queue <name>', 'the JetStream work-queue stream (one per store)', DEFAULT_WORK_QUEUE.stream)
    .option('--lease <seconds>', 'a job whose worker sends no heartbeat for this long goes to another worker', positiveIntArg, DEFAULT_WORK_QUEUE.ackWaitMs / 1000);
}

/** Workers and the backfill that feeds them must reach the same store: a DuckDB file is one process's. */
export function requireSharedStore(db: string, command: string): void {
  if (!/^postgres(ql)?:\/\//i.test(db)) throw new ConfigError(`${command} needs a store every process can reach: --db postgres://…, not "${db}" (a DuckDB file is held by one process)`);
}

export function openWorkQueue(bus: string, o: WorkQueueOptions): Promise<NatsWorkQueue> {
  if (!/^nats:\/\//i.test(bus)) throw new ConfigError(`--bus must be nats://host[:port] for a work queue, not "${bus}"`);
  return NatsWorkQueue.open(bus, { stream: o.queue, ackWaitMs: o.lease * 1000 });
}
