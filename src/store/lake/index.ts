// store/lake: normalised market events as hive-partitioned Parquet (kind/exchange/symbol/date), each with a global arrival sequence; written, read back in order, compacted and aged out here; must not know about exchanges.
export { LakeWriter, type LakeWriterOptions, type PublishedFile } from './lake-writer.js';
export { readLake, lakeEvents, type LakeQuery, type SequencedEvent } from './lake-reader.js';
export { lastLakeEvent } from './lake-last-event.js';
export { compactLake, applyRetention, type CompactedFile } from './lake-maintenance.js';
export {
  DEFAULT_LAKE_WRITER_SETTINGS,
  DEFAULT_LAKE_MAINTENANCE_SETTINGS,
  checkWriterSettings,
  checkMaintenanceSettings,
  type LakeWriterSettings,
  type LakeMaintenanceSettings,
} from './lake-settings.js';
export { partitionDir, fileName, parseFileName, type Partition, type LakeFile } from './lake-layout.js';
