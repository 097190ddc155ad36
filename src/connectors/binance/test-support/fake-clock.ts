/** A manual clock for governor tests: sleep() resolves only when advance() moves time past its deadline. */
export class FakeClock {
  t: number;
  private timers: { at: number; resolve: () => void }[] = [];
  constructor(start: number) {
    this.t = start;
  }
  now = (): number => this.t;
  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.t + ms, resolve });
    });
  async advance(ms: number): Promise<void> {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const x of due) x.resolve();
    await flush();
  }
  get sleepers(): number {
    return this.timers.length;
  }
}

/** Lets every settled promise's callbacks run (a macrotask turn). */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
