/** Which support/resistance levels the chart draws. Pure. */
import type { SrLevelJson } from './api.js';

/** How many levels each side of the last close get a line: the nearest matter, dozens clutter. */
export const LEVELS_PER_SIDE = 2;

/** The {@link LEVELS_PER_SIDE} nearest resistances at or above `close` and supports below it. */
export function nearestLevels(levels: readonly SrLevelJson[], close: number): SrLevelJson[] {
  const above = levels.filter((l) => l.kind === 'resistance' && l.price >= close).sort((a, b) => a.price - b.price);
  const below = levels.filter((l) => l.kind === 'support' && l.price < close).sort((a, b) => b.price - a.price);
  return [...above.slice(0, LEVELS_PER_SIDE), ...below.slice(0, LEVELS_PER_SIDE)];
}
