/**
 * What the pipeline needs from a work queue shared by several processes (cli/ wires NATS
 * JetStream behind it): jobs in, one job at a time out to whichever worker asks, results back.
 * Bytes only: the pipeline encodes and validates its own job messages (archive-file-job.ts).
 */
import type { WorkItem } from '../bus/index.js';

/**
 * One job in a worker's hands, leased until acked, handed back, or its lease lapses: the bus's
 * work item (ack, nak, term, working), the same whichever queue carries it.
 */
export type QueuedJob = WorkItem;

export interface JobQueue {
  /** How long a job's lease lasts without `working()`. */
  readonly ackWaitMs: number;
  /** Stores a job; an enqueue of the same `msgId` shortly after is dropped (resolves false). */
  enqueue(kind: string, data: Uint8Array, msgId: string): Promise<boolean>;
  /** The next job, or null when none came within about `expiresMs`. */
  next(expiresMs: number): Promise<QueuedJob | null>;
  /** Sends a result to whoever waits on `run`, at most once. */
  publishResult(run: string, data: Uint8Array): Promise<void>;
  /** The results of `run` from now on. */
  results(run: string): AsyncIterable<Uint8Array> & { stop(): void };
}
