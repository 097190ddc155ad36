/**
 * The bar of an interval still forming, built from its stored minutes as they close: what a
 * `once_per_bar` rule is evaluated on before the bar closes. Open of the first minute, the highest
 * high and lowest low, close of the last minute, volume summed. It is only ever evaluated, never
 * stepped into an indicator stream for real: at its close the store's own bar is.
 */
import { floorToInterval, MINUTE_MS, type Interval } from '../core/intervals.js';
import type { EvalBar } from './rule-evaluator.js';

export class FormingBar implements EvalBar {
  openTime = NaN;
  open = NaN;
  high = NaN;
  low = NaN;
  close = NaN;
  volume = NaN;
  /** Open time of the last minute added (NaN before the first). */
  lastMinute = NaN;

  constructor(readonly interval: Interval) {}

  /**
   * Adds a closed minute: the first of another bar starts that bar afresh; a minute at or before
   * the last one added is ignored (minutes come in order; one read twice adds nothing).
   */
  add(minute: EvalBar): void {
    if (minute.openTime <= this.lastMinute) return;
    const openTime = floorToInterval(minute.openTime, this.interval);
    if (openTime === this.openTime) {
      if (minute.high > this.high) this.high = minute.high;
      if (minute.low < this.low) this.low = minute.low;
      this.close = minute.close;
      this.volume += minute.volume;
    } else {
      this.openTime = openTime;
      this.open = minute.open;
      this.high = minute.high;
      this.low = minute.low;
      this.close = minute.close;
      this.volume = minute.volume;
    }
    this.lastMinute = minute.openTime;
  }

  /** When the bar as it now stands was known: the close of its last minute. */
  get upTo(): number {
    return this.lastMinute + MINUTE_MS;
  }
}
