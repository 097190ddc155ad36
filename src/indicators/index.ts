// indicators: batch and streaming technical indicators over candle columns, one per file, equal to TA-Lib where it has them. No I/O.
export * from './types.js';
export * from './indicator-error.js';
export * from './validate.js';
export * from './sma.js';
export * from './ema.js';
export * from './rsi.js';
export * from './atr.js';
export * from './bbands.js';
export * from './macd.js';
export * from './aggregate-bars.js';
export * from './wma.js';
export * from './roc.js';
export * from './obv.js';
export * from './willr.js';
export * from './donchian.js';
