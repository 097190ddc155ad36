/** A progress sink for long jobs; cli/ draws it as a bar in a terminal, tests pass nothing. */
export interface Progress {
  /** More units of work became known. */
  add(n: number): void;
  start(label: string): void;
  tick(label: string): void;
}
