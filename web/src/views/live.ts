/**
 * The live view: the running stream's books (synced, gaps, resyncs) and, for one market, its 1m
 * stream bars with the liquidity signal below them: the bid/ask ratio of book-update notional per
 * window (`deltaRatio`) and of the top of the book at each window's end (`bookRatio`). It polls
 * the API every few seconds; the chart's `data-bars` / `data-windows` say how many it draws.
 */
import { CandlestickSeries, createChart, LineSeries, LineStyle, type IChartApi, type ISeriesApi } from 'lightweight-charts';
import type { StreamMarket, StreamStatus } from '../api.js';
import { toTime } from '../chart-panel.js';
import { errorLine, h, mount } from '../dom.js';
import { formatNumber, formatPrice, formatUtc, priceDecimals, tickSize } from '../format.js';
import type { ViewContext } from '../main.js';

const POLL_MS = 3000;
/** The bars and windows shown: the last two hours of the market's stream time. */
const SPAN_MS = 2 * 3_600_000;
const MIN = 60_000;

export async function liveView({ api, root, params, onLeave }: ViewContext): Promise<void> {
  const first = await api.streamStatus();
  const chosen = params[0] ?? first.markets[0]?.market;
  const summary = h('p', { class: 'muted' });
  const tbody = h('tbody', {});
  const table = h('table', { class: 'live' },
    h('thead', {}, h('tr', {}, ...['Market', 'Book', 'Bids', 'Asks', 'Gaps', 'Resyncs', 'Last bar'].map((t) => h('th', {}, t)))), tbody);
  const note = h('div', {});
  const box = h('div', { class: 'chart short', id: 'live-chart', 'data-bars': '0', 'data-windows': '0' });
  mount(root, h('h1', {}, 'Live'), summary, h('div', { class: 'table-wrap' }, table),
    h('h2', {}, chosen ? `${chosen}: 1m stream bars, bid/ask ratio per window` : 'No streamed market'), note, box);
  const chart = chosen ? new LiveChart(box) : null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  onLeave(() => {
    stopped = true;
    clearTimeout(timer);
    chart?.destroy();
  });

  const refresh = async (status: StreamStatus): Promise<void> => {
    summary.textContent = status.running
      ? `${status.events.toLocaleString('en-US')} events, ${status.bars} bars, ${status.windows} liquidity windows this run`
      : 'this server runs no live stream (tickerflow up with [stream] markets, or tickerflow demo)';
    tbody.replaceChildren(...status.markets.map((m) => row(m, m.market === chosen)));
    const market = status.markets.find((m) => m.market === chosen);
    if (!chart || !market) return;
    if (market.lastBarOpenTime === null) {
      note.replaceChildren(h('p', { class: 'muted' }, 'no bar stored yet'));
      return;
    }
    const to = market.lastBarOpenTime + MIN;
    const from = to - SPAN_MS;
    const [candles, signals] = await Promise.all([
      api.candles({ exchange: market.exchange, symbol: market.symbol, interval: '1m', from, to }),
      api.signals({ market: market.market, from, to: to + MIN }),
    ]);
    if (stopped) return;
    note.replaceChildren();
    chart.draw(candles.rows, candles.priceDecimals, signals.windows);
  };

  const poll = async (status: StreamStatus | null): Promise<void> => {
    try {
      await refresh(status ?? (await api.streamStatus()));
    } catch (err) {
      if (!stopped) note.replaceChildren(errorLine(err));
    }
    if (!stopped) timer = setTimeout(() => void poll(null), POLL_MS);
  };
  await poll(first);
}

function row(m: StreamMarket, chosen: boolean): HTMLElement {
  return h('tr', { 'data-market': m.market, 'data-synced': String(m.synced), class: chosen ? 'chosen' : '' },
    h('td', {}, h('a', { href: `#/live/${encodeURIComponent(m.market)}` }, m.market)),
    h('td', {}, h('span', { class: `badge ${m.synced ? 'ok' : 'running'}` }, m.synced ? 'synced' : 'syncing')),
    h('td', { class: 'num' }, m.bids), h('td', { class: 'num' }, m.asks),
    h('td', { class: `num ${m.gaps > 0 ? 'down' : ''}` }, m.gaps), h('td', { class: 'num' }, m.resyncs),
    h('td', {}, m.lastBarOpenTime === null ? '—' : formatUtc(m.lastBarOpenTime)));
}

/** Candles on the price scale, the two ratios in a pane of their own (1 = as much bid as ask). */
class LiveChart {
  readonly #chart: IChartApi;
  readonly #bars: ISeriesApi<'Candlestick'>;
  readonly #delta: ISeriesApi<'Line'>;
  readonly #book: ISeriesApi<'Line'>;
  #decimals = -1;

  constructor(private readonly box: HTMLElement) {
    this.#chart = createChart(box, {
      autoSize: true,
      layout: { background: { color: '#11161d' }, textColor: '#c9d1d9', fontSize: 12 },
      grid: { vertLines: { color: '#1c232c' }, horzLines: { color: '#1c232c' } },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#2d3640' },
      rightPriceScale: { borderColor: '#2d3640' },
      localization: { timeFormatter: (t: number) => formatUtc(t * 1000) },
    });
    this.#bars = this.#chart.addSeries(CandlestickSeries, { upColor: '#26a69a', downColor: '#ef5350', wickUpColor: '#26a69a', wickDownColor: '#ef5350', borderVisible: false });
    const ratio = { priceLineVisible: false, priceFormat: { type: 'custom' as const, formatter: (v: number) => formatNumber(v, 2), minMove: 0.01 } };
    this.#delta = this.#chart.addSeries(LineSeries, { ...ratio, color: '#f5a623', lineWidth: 2, title: 'bid/ask updates' }, 1);
    this.#book = this.#chart.addSeries(LineSeries, { ...ratio, color: '#4a90e2', lineWidth: 1, lineStyle: LineStyle.Dashed, title: 'bid/ask book' }, 1);
    this.#delta.createPriceLine({ price: 1, color: '#6e7681', lineStyle: LineStyle.Dotted, lineWidth: 1, axisLabelVisible: false, title: '' });
    if (this.#chart.panes().length > 1) this.#chart.panes()[1]!.setHeight(110);
  }

  draw(rows: ReadonlyArray<[number, number, number, number, number, number, boolean]>, fromApi: number | null, windows: ReadonlyArray<{ windowStart: number; deltaRatio: number | null; bookRatio: number | null }>): void {
    const decimals = priceDecimals(fromApi, rows.slice(-50).map((r) => r[4]));
    if (decimals !== this.#decimals) {
      this.#decimals = decimals;
      this.#bars.applyOptions({ priceFormat: { type: 'custom', formatter: (p: number) => formatPrice(p, decimals), minMove: tickSize(decimals) } });
    }
    this.#bars.setData(rows.map(([t, o, hi, lo, c]) => ({ time: toTime(t), open: o, high: hi, low: lo, close: c })));
    const line = (pick: (w: (typeof windows)[number]) => number | null) =>
      windows.flatMap((w) => {
        const v = pick(w);
        return v === null || !Number.isFinite(v) ? [] : [{ time: toTime(w.windowStart), value: v }];
      });
    this.#delta.setData(line((w) => w.deltaRatio));
    this.#book.setData(line((w) => w.bookRatio));
    // Fitted while the bars are few (a fresh stream); after that the chart follows the newest bar as it pans.
    if (rows.length <= 60) this.#chart.timeScale().fitContent();
    this.box.dataset.bars = String(rows.length);
    this.box.dataset.windows = String(windows.length);
    this.box.dataset.lastBar = String(rows.at(-1)?.[0] ?? '');
  }

  destroy(): void {
    this.#chart.remove();
  }
}
