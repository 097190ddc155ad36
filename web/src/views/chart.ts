/** The chart view: any interval, indicator overlays chosen in a text box (the CLI's --ind specs). */
import type { ViewContext } from '../main.js';
import { loadChartPanel } from '../chart-panel.js';
import { errorLine, h, mount } from '../dom.js';

export const INTERVALS = ['1m', '5m', '15m', '1h', '4h', '1d'];
const DEFAULT_IND = 'ema:20,ema:50,rsi:14,td,sr';

export async function chartView({ api, root, params, query, onLeave }: ViewContext): Promise<void> {
  const symbol = params[0] ?? 'BTCUSDT';
  const interval = query.get('interval') ?? '1h';
  const ind = query.get('ind') ?? DEFAULT_IND;
  // An explicit window (epoch ms or ISO, as the API takes them); without one the API's default.
  const from = query.get('from') ?? undefined;
  const to = query.get('to') ?? undefined;
  const go = (next: { interval?: string; ind?: string }) => {
    const q = new URLSearchParams({ interval: next.interval ?? interval, ind: next.ind ?? ind, ...(from ? { from } : {}), ...(to ? { to } : {}) });
    location.hash = `#/chart/${encodeURIComponent(symbol)}?${q}`;
  };
  const intervals = h('div', { class: 'segmented', role: 'group', 'aria-label': 'interval' },
    ...INTERVALS.map((i) => h('button', { type: 'button', class: i === interval ? 'on' : '', onclick: () => go({ interval: i }) }, i)));
  const indInput = h('input', { name: 'ind', value: ind, 'aria-label': 'indicators', spellcheck: 'false' });
  const indForm = h('form', { class: 'inline' }, indInput, h('button', { type: 'submit' }, 'Apply'));
  indForm.addEventListener('submit', (e) => {
    e.preventDefault();
    go({ ind: indInput.value.trim() });
  });
  const box = h('div', { class: 'chart', id: 'chart' });
  mount(root, h('div', { class: 'toolbar' }, h('h1', {}, symbol), intervals, indForm,
    h('a', { class: 'button', href: `#/alerts?symbol=${encodeURIComponent(symbol)}&interval=${interval}` }, 'New alert')), box);
  const panel = await loadChartPanel(api, box, { symbol, interval, ind: ind.split(',').map((s) => s.trim()).filter(Boolean), visibleBars: 240, from, to });
  box.dataset.bars = String(panel.candles.rows.length);
  onLeave(() => panel.destroy());
  // lightweight-charts draws on the next animation frame; the one after it is on screen. The
  // browser test reads these marks for the first-paint figures (docs/BENCHMARKS.md "Dashboard").
  markPainted('tickerflow:candles-painted');
  await panel.overlaid.then(
    () => markPainted('tickerflow:chart-painted'),
    (err: unknown) => box.before(errorLine(err)),
  );
}

function markPainted(name: string): void {
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark(name)));
}
