/**
 * The one contract every Store backend passes (STYLE.md habit 5). Backends call
 * runStoreContract from their own test file; the cases live in contract/.
 */
import { registerCandleCases } from './contract/candle-cases.js';
import { registerAggregateCases } from './contract/aggregate-cases.js';
import { registerCatalogCases } from './contract/catalog-cases.js';
import { registerStreamCases } from './contract/stream-cases.js';
import { registerRuleCases } from './contract/rule-cases.js';
import { registerDeliveryCases } from './contract/delivery-cases.js';
import { registerUserCases } from './contract/user-cases.js';
import { registerVolumeSumCases } from './contract/volume-sum-cases.js';
import { registerSignalCases } from './contract/signal-cases.js';
import type { Store } from './store.js';

/**
 * Registers the shared node:test cases. `makeStore` returns a migrated store; each case closes
 * it. Cases write under their own exchange names, so stores may share one database.
 */
export function runStoreContract(name: string, makeStore: () => Promise<Store>): void {
  registerCandleCases(name, makeStore);
  registerAggregateCases(name, makeStore);
  registerCatalogCases(name, makeStore);
  registerStreamCases(name, makeStore);
  registerRuleCases(name, makeStore);
  registerDeliveryCases(name, makeStore);
  registerUserCases(name, makeStore);
  registerVolumeSumCases(name, makeStore);
  registerSignalCases(name, makeStore);
}
