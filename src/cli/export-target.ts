/** Where an export goes and how its table looks: choices `candles` and `indicators` share. */
import type { Store } from '../store/store.js';
import type { FileFormat, TableDecimals } from './format-candles.js';
import { fileSink, streamSink, type OutputSink } from './output-sink.js';
import { parquetSink, type ParquetType } from './parquet-sink.js';
import { incrementDecimals } from '../core/instrument.js';

/** Where the text goes: stdout, a file renamed into place when whole, or Parquet through a CSV. */
export function openSink(format: FileFormat, output: string | undefined, parquetColumns: ReadonlyArray<readonly [string, ParquetType]>): OutputSink {
  if (output === undefined) return streamSink(process.stdout);
  return format === 'parquet' ? parquetSink(output, parquetColumns) : fileSink(output);
}

/** Table decimals from the symbol's tick and step sizes, when the store has them. */
export async function tableDecimals(store: Store, exchange: string, symbol: string): Promise<TableDecimals> {
  const instrument = (await store.listInstruments(exchange)).find((i) => i.symbol === symbol);
  const price = incrementDecimals(instrument?.tickSize);
  const volume = incrementDecimals(instrument?.stepSize);
  return { ...(price === undefined ? {} : { price }), ...(volume === undefined ? {} : { volume }) };
}

/** Finishes an export (a file renamed into place, Parquet converted); on failure removes what it wrote. */
export async function finishSink(sink: OutputSink): Promise<void> {
  try {
    await sink.finish();
  } catch (err) {
    await sink.discard();
    throw err;
  }
}
