// core: domain types, intervals and UTC time, error classes, config schema. No I/O, no imports of other folders.
export * from './archive-manifest.js';
export * from './bar-complete.js';
export * from './candle.js';
export * from './errors.js';
export * from './instrument.js';
export * from './intervals.js';
export * from './time.js';
export * from './seeded-random.js';
export * from './market-events.js';
export * from './weight-ledger.js';
