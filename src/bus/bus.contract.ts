/**
 * The one contract every Bus backend passes (STYLE.md habit 5): the memory bus runs it from its
 * own test file, and the NATS JetStream backend will run it unchanged. Backend differences are
 * declared as data (`BusTraits`), not as branches in the backends' tests.
 */
import type { Bus } from './bus.js';
import type { MarketEvent } from '../core/market-events.js';
import { registerDeliveryCases } from './contract/delivery-cases.js';
import { registerFlowCases } from './contract/flow-cases.js';

export interface BusTraits {
  delivery: Bus<MarketEvent>['delivery'];
  /** Whether a publish to a subscription with a full `wait` buffer waits for the reader (memory) or is kept by the server (JetStream). */
  publishWaitsOnFullBuffer: boolean;
}

/** `makeBus` returns a fresh bus; each case closes it. */
export function runBusContract(name: string, makeBus: () => Promise<Bus<MarketEvent>>, traits: BusTraits): void {
  registerDeliveryCases(name, makeBus, traits);
  registerFlowCases(name, makeBus, traits);
}
