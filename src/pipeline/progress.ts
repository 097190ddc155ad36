/** A progress sink for long jobs; cli/ draws it as a bar in a terminal, tests pass nothing. */

/** What one finished unit of work (an archive file) moved. */
export interface ProgressAmount {
  rows: number;
  /** Bytes downloaded for it (the zip), for a download rate. */
  bytes: number;
}

export interface Progress {
  /** More units of work (archive files) became known. */
  add(n: number): void;
  /** A unit started (several may run at once). */
  start(label: string): void;
  /** A unit finished (written, skipped or rejected), with what it moved when it was written. */
  tick(label: string, done?: ProgressAmount): void;
}
