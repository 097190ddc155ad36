/**
 * Connecting to NATS with errors that say what to do next: an unreachable server names the URL
 * (with any password masked), a server without JetStream says how to enable it.
 */
import { connect } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ConfigError, UpstreamError } from '../../core/errors.js';

/** `nats://user:secret@host:4222` → `nats://user:***@host:4222`; a token-only userinfo is masked whole. */
export function redactNatsUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/)([^@/]*)@/i, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon === -1 ? '***' : `${userinfo.slice(0, colon)}:***`}@`;
  });
}

export interface NatsLink {
  nc: NatsConnection;
  jsm: JetStreamManager;
}

/** Connects and checks that JetStream answers; closes the connection again if it does not. */
export async function connectJetStream(url: string, timeoutMs: number): Promise<NatsLink> {
  if (!/^nats:\/\/[^/]+$/i.test(url)) throw new ConfigError(`bus URL "${redactNatsUrl(url)}" is not nats://[user:password@]host[:port]`);
  let nc: NatsConnection;
  try {
    // A bus lives as long as its process: keep reconnecting (publishes fail meanwhile, subscriptions resume).
    nc = await connect({ servers: url, timeout: timeoutMs, name: 'tickerflow-bus', maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UpstreamError(`cannot reach NATS at ${redactNatsUrl(url)}: ${reason}`, undefined, { cause: err });
  }
  try {
    const jsm = await jetstreamManager(nc, { timeout: timeoutMs });
    return { nc, jsm };
  } catch (err) {
    await nc.close();
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`JetStream is not available on NATS at ${redactNatsUrl(url)} (${reason}): start nats-server with -js (JetStream enabled)`, { cause: err });
  }
}
