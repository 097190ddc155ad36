/**
 * TD Sequential setup counts as chart markers: the buy-setup count below the bar, the sell-setup
 * count above it, as on DeMark charts. Our indicator keeps counting past 9 (18, 27… mark
 * recycles); like most charts only 1–9 are printed, the completed 9 in a brighter colour. Pure,
 * so it is tested without a browser.
 */
import type { SeriesMarker, Time, UTCTimestamp } from 'lightweight-charts';
import type { Indicators } from './api.js';

const BUY = /^td_?buy_?setup$/i;
const SELL = /^td_?sell_?setup$/i;

export function tdMarkers(ind: Indicators): SeriesMarker<Time>[] {
  const buyName = Object.keys(ind.columns).find((k) => BUY.test(k));
  const sellName = Object.keys(ind.columns).find((k) => SELL.test(k));
  const out: SeriesMarker<Time>[] = [];
  for (let i = 0; i < ind.openTime.length; i++) {
    const time = Math.floor(ind.openTime[i]! / 1000) as UTCTimestamp;
    const buy = buyName ? ind.columns[buyName]![i] : null;
    const sell = sellName ? ind.columns[sellName]![i] : null;
    if (typeof sell === 'number' && sell >= 1 && sell <= 9) {
      out.push({ time, position: 'aboveBar', shape: 'circle', size: 0, color: sell === 9 ? '#ff8a80' : '#ef9a9a', text: String(sell) });
    }
    if (typeof buy === 'number' && buy >= 1 && buy <= 9) {
      out.push({ time, position: 'belowBar', shape: 'circle', size: 0, color: buy === 9 ? '#69f0ae' : '#a5d6a7', text: String(buy) });
    }
  }
  return out;
}
