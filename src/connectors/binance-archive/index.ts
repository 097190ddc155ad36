// binance-archive: data.binance.vision keys, listing, download and pure zip/CSV/CHECKSUM parsers; never writes to the store or the bus.
export * from './zip.js';
export * from './kline-csv.js';
export * from './archive-layout.js';
export * from './plan-archive-files.js';
export * from './checksum.js';
export * from './s3-listing.js';
export * from './archive-client.js';
export * from './load-archive-file.js';
export * from './archive-decode-pool.js';
