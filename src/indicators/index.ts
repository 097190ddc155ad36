// indicators: batch and streaming technical indicators over candle columns, one per file, equal to TA-Lib where it has them. No I/O.
export * from './types.js';
export * from './indicator-error.js';
export * from './validate.js';
