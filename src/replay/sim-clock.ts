/**
 * The replay server's simulated clock: a start instant that advances at `speed` simulated
 * seconds per real second. Everything time-dependent in the replay (which candles exist, which
 * archive files are published, rate-limit windows) reads this clock, never `Date.now()`.
 */
export class SimClock {
  private anchorSim: number;
  private anchorReal: number;
  private rate: number;

  /**
   * @param startMs simulated epoch ms at construction (default: the real now)
   * @param speed simulated seconds per real second; 0 freezes the clock (useful in tests)
   * @param realNow source of real time, injectable for tests
   */
  constructor(startMs: number = Date.now(), speed = 1, private readonly realNow: () => number = Date.now) {
    if (!Number.isFinite(startMs)) throw new RangeError(`clock start ${startMs} is not a finite epoch ms`);
    if (!(speed >= 0) || !Number.isFinite(speed)) throw new RangeError(`clock speed ${speed} must be a finite number ≥ 0`);
    this.anchorSim = startMs;
    this.anchorReal = realNow();
    this.rate = speed;
  }

  /** Simulated epoch ms, an integer. */
  now(): number {
    return Math.floor(this.anchorSim + (this.realNow() - this.anchorReal) * this.rate);
  }

  /** Jumps the simulated clock to `ms`; it keeps running from there at the same speed. */
  setNow(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError(`clock time ${ms} is not a finite epoch ms`);
    this.anchorSim = ms;
    this.anchorReal = this.realNow();
  }

  /** Moves the simulated clock forward (or back, if negative) by `ms`. */
  advance(ms: number): void {
    this.setNow(this.now() + ms);
  }

  get speed(): number {
    return this.rate;
  }

  setSpeed(speed: number): void {
    if (!(speed >= 0) || !Number.isFinite(speed)) throw new RangeError(`clock speed ${speed} must be a finite number ≥ 0`);
    this.anchorSim = this.now();
    this.anchorReal = this.realNow();
    this.rate = speed;
  }
}
