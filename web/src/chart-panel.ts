/**
 * One candle chart (lightweight-charts): candles at the symbol's tick decimals, line overlays
 * for price-scale indicators, RSI in its own pane, TD Sequential setup counts as numbers above
 * (sell setup) and below (buy setup) the bars, support/resistance levels as price lines, and
 * extra markers (the alert preview's firings). Times are UTC: lightweight-charts shows the
 * UTCTimestamp it is given without converting to the viewer's zone.
 * @see https://tradingview.github.io/lightweight-charts/docs
 */
import {
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  LineSeries,
  LineStyle,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Api, Candles, Indicators } from './api.js';
import { formatPrice, formatUtc, priceDecimals, tickSize } from './format.js';
import { nearestLevels } from './nearest-levels.js';
import { tdMarkers } from './td-markers.js';

const OVERLAY_COLORS = ['#f5a623', '#4a90e2', '#bd10e0', '#7ed321'];
/** Indicator columns drawn on the price scale (the rest of the catalog lives in other units). */
const PRICE_SCALE = /^(sma|ema|wma|dema|tema|kama|vwap|bb_|keltner|donchian)/;

/** `visibleBars`: open zoomed to the latest bars (readable TD counts, and a year of bars paints fast); all bars when absent. */
export interface ChartRequest { symbol: string; interval: string; ind: string[]; from?: number | string; to?: number | string; visibleBars?: number }


export interface ChartPanel {
  readonly chart: IChartApi;
  readonly candles: Candles;
  /** The price decimals the chart prints with. */
  readonly decimals: number;
  /** Settles when the indicator overlays are drawn (rejects with the API's error). */
  readonly overlaid: Promise<void>;
  /** Markers drawn beside the TD counts (e.g. preview firings); replaces the previous extra set. */
  setExtraMarkers(markers: SeriesMarker<Time>[]): void;
  destroy(): void;
}

export const toTime = (ms: number): UTCTimestamp => Math.floor(ms / 1000) as UTCTimestamp;

export async function loadChartPanel(api: Api, container: HTMLElement, req: ChartRequest): Promise<ChartPanel> {
  const range = { from: req.from, to: req.to };
  // Both requests start now; the candles are drawn as soon as they arrive, the overlays when theirs do.
  const indicators = req.ind.length > 0 ? api.indicators({ symbol: req.symbol, interval: req.interval, ind: req.ind.join(','), ...range }) : Promise.resolve(undefined);
  indicators.catch(() => undefined);
  const candles = await api.candles({ symbol: req.symbol, interval: req.interval, ...range });
  const decimals = priceDecimals(candles.priceDecimals, candles.rows.slice(-50).map((r) => r[4]));
  const chart = createChart(container, {
    autoSize: true,
    layout: { background: { color: '#11161d' }, textColor: '#c9d1d9', fontSize: 12 },
    grid: { vertLines: { color: '#1c232c' }, horzLines: { color: '#1c232c' } },
    timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#2d3640' },
    rightPriceScale: { borderColor: '#2d3640' },
    localization: {
      priceFormatter: (p: number) => formatPrice(p, decimals),
      timeFormatter: (t: Time) => formatUtc((t as number) * 1000),
    },
  });
  const series = chart.addSeries(CandlestickSeries, {
    priceFormat: { type: 'price', precision: decimals, minMove: tickSize(decimals) },
    upColor: '#26a69a', downColor: '#ef5350', wickUpColor: '#26a69a', wickDownColor: '#ef5350', borderVisible: false,
  });
  series.setData(candles.rows.map(([t, o, hi, lo, c]) => ({ time: toTime(t), open: o, high: hi, low: lo, close: c })));
  const n = candles.rows.length;
  if (req.visibleBars && n > req.visibleBars) chart.timeScale().setVisibleLogicalRange({ from: n - req.visibleBars, to: n + 2 });
  else chart.timeScale().fitContent();

  const markers: ISeriesMarkersPluginApi<Time> = createSeriesMarkers(series, []);
  let baseMarkers: SeriesMarker<Time>[] = [];
  let extraMarkers: SeriesMarker<Time>[] = [];
  const showMarkers = () => markers.setMarkers([...baseMarkers, ...extraMarkers].sort((a, b) => (a.time as number) - (b.time as number)));
  let destroyed = false;
  const overlaid = indicators.then((ind) => {
    if (!ind || destroyed) return;
    drawIndicators(chart, series, ind, decimals, candles.rows.at(-1)?.[4] ?? NaN);
    baseMarkers = tdMarkers(ind);
    showMarkers();
  });
  return {
    chart,
    candles,
    decimals,
    overlaid,
    setExtraMarkers(extra) {
      extraMarkers = extra;
      showMarkers();
      container.dataset.extraMarkers = String(extra.length);
    },
    destroy: () => {
      destroyed = true;
      chart.remove();
    },
  };
}

function drawIndicators(chart: IChartApi, series: ISeriesApi<'Candlestick'>, ind: Indicators, decimals: number, lastClose: number): void {
  let color = 0;
  for (const [name, values] of Object.entries(ind.columns)) {
    const isRsi = /^rsi/.test(name);
    if (!isRsi && !PRICE_SCALE.test(name)) continue;
    const line = chart.addSeries(
      LineSeries,
      {
        color: isRsi ? '#c792ea' : OVERLAY_COLORS[color++ % OVERLAY_COLORS.length],
        lineWidth: isRsi ? 1 : 2,
        title: name,
        priceLineVisible: false,
        lastValueVisible: true,
        priceFormat: isRsi ? { type: 'price', precision: 1, minMove: 0.1 } : { type: 'price', precision: decimals, minMove: tickSize(decimals) },
        autoscaleInfoProvider: isRsi ? () => ({ priceRange: { minValue: 0, maxValue: 100 } }) : undefined,
      },
      isRsi ? 1 : 0,
    );
    const data = [];
    for (let i = 0; i < ind.openTime.length; i++) {
      const v = values[i];
      if (v !== null && v !== undefined && Number.isFinite(v)) data.push({ time: toTime(ind.openTime[i]!), value: v });
    }
    line.setData(data);
  }
  for (const level of nearestLevels(ind.levels ?? [], lastClose)) {
    series.createPriceLine({
      price: level.price,
      color: level.kind === 'support' ? '#26a69a' : '#ef5350',
      lineStyle: LineStyle.Dashed,
      lineWidth: 1,
      axisLabelVisible: true,
      title: level.kind === 'support' ? 'S' : 'R',
    });
  }
  if (chart.panes().length > 1) chart.panes()[1]!.setHeight(90);
}

