import { runBusContract } from '../bus.contract.js';
import type { MarketEvent } from '../../core/market-events.js';
import { MemoryBus } from './memory-bus.js';

runBusContract('memory', () => Promise.resolve(new MemoryBus<MarketEvent>()), { delivery: 'at-most-once', publishWaitsOnFullBuffer: true });
