/**
 * "Send a test message": one message to each of a rule's channels right away, outside the
 * outbox (nothing is stored), answering which channels took it and why the others did not.
 */
import type { StoredFiring } from '../../store/alert-records.js';
import { parseChannel, type ChannelKind, type DeliveryChannel } from './delivery-channel.js';

export interface TestResult {
  delivered: string[];
  failed: { channel: string; error: string }[];
}

/** Sends a test notice to each of `targets` (outbox channel strings) for `userId`. */
export async function sendTestMessages(channels: ReadonlyMap<ChannelKind, DeliveryChannel>, userId: number, targets: readonly string[], opts: { now: number; ruleName?: string; signal?: AbortSignal }): Promise<TestResult> {
  const firing: StoredFiring = {
    id: 0,
    ruleId: 0,
    userId,
    exchange: 'binance',
    symbol: 'TEST',
    interval: '1m',
    barOpenTime: opts.now,
    firedAt: opts.now,
    inputs: {},
    incomplete: false,
    message: `Test message from tickerflow${opts.ruleName === undefined ? '' : ` for the rule "${opts.ruleName}"`}: this channel works.`,
  };
  const result: TestResult = { delivered: [], failed: [] };
  await Promise.all(
    targets.map(async (channel) => {
      try {
        const { kind, target } = parseChannel(channel);
        const impl = channels.get(kind);
        if (!impl) throw new Error(`no ${kind} channel is configured`);
        await impl.deliver(target, { userId, idempotencyKey: `test-${opts.now}-${channel}`, firing, test: true }, opts.signal ?? new AbortController().signal);
        result.delivered.push(channel);
      } catch (err) {
        result.failed.push({ channel, error: err instanceof Error ? err.message : String(err) });
      }
    }),
  );
  return result;
}
