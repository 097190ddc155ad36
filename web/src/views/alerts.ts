/**
 * The alert builder: expression, scope, interval, frequency and channels; "Preview" evaluates the
 * draft over the history shown on the chart and plots each firing as a marker, with the summary
 * of forward returns; "Save" stores it. Below, the user's own rules. Expression errors show the
 * server's message and a caret under the position it names.
 */
import { ApiError, type Frequency, type Horizon, type Preview, type Rule, type RuleDraft, type Scope } from '../api.js';
import { loadChartPanel, toTime, type ChartPanel } from '../chart-panel.js';
import { errorLine, h, mount } from '../dom.js';
import { formatPct, formatPrice, formatUtc } from '../format.js';
import type { ViewContext } from '../main.js';
import { INTERVALS } from './chart.js';

const HORIZONS: Horizon[] = ['1h', '4h', '1d'];

export async function alertsView({ api, root, query, onLeave }: ViewContext): Promise<void> {
  const symbol = query.get('symbol') ?? 'BTCUSDT';
  const interval = query.get('interval') ?? '1h';
  const f = {
    name: h('input', { name: 'name', value: `${symbol} RSI oversold` }),
    expression: h('input', { name: 'expression', value: 'rsi:14 < 30', spellcheck: 'false', autocomplete: 'off' }),
    scopeKind: h('select', { name: 'scopeKind' }, h('option', { value: 'symbols' }, 'Symbols'), h('option', { value: 'top' }, 'Top N')),
    scopeValue: h('input', { name: 'scopeValue', value: symbol }),
    interval: h('select', { name: 'interval' }, ...INTERVALS.map((i) => h('option', { value: i, selected: i === interval }, i))),
    frequency: h('select', { name: 'frequency' },
      ...['once_per_bar_close', 'once_per_bar', 'once', 'at_most_every'].map((v) => h('option', { value: v }, v.replaceAll('_', ' ')))),
    minutes: h('input', { name: 'minutes', type: 'number', min: 1, value: 60, 'aria-label': 'minutes' }),
    dashboard: h('input', { name: 'dashboard', type: 'checkbox', checked: true }),
    channels: h('input', { name: 'channels', placeholder: 'telegram:123, webhook:https://…', spellcheck: 'false' }),
  };
  f.minutes.hidden = true;
  f.frequency.addEventListener('change', () => (f.minutes.hidden = f.frequency.value !== 'at_most_every'));
  const exprError = h('div', { class: 'expr-error' });
  const status = h('div', { class: 'status' });
  const summary = h('div', { class: 'summary' });
  const list = h('div', { class: 'alert-list' });
  const chartBox = h('div', { class: 'chart short', id: 'chart' });
  const form = h(
    'form',
    { class: 'card builder' },
    h('label', { class: 'wide' }, 'Expression', f.expression, exprError),
    h('label', {}, 'Name', f.name),
    h('label', {}, 'Scope', h('span', { class: 'pair' }, f.scopeKind, f.scopeValue)),
    h('label', {}, 'Interval', f.interval),
    h('label', {}, 'Frequency', h('span', { class: 'pair' }, f.frequency, f.minutes)),
    h('label', { class: 'check' }, f.dashboard, 'Dashboard'),
    h('label', {}, 'Other channels', f.channels),
    h('div', { class: 'actions' }, h('button', { type: 'button', name: 'preview' }, 'Preview'), h('button', { type: 'submit' }, 'Save')),
    status,
  );
  mount(root, h('h1', {}, 'Alerts'), chartBox, form, summary, h('h2', {}, 'My alerts'), list);

  let panel: ChartPanel | undefined;
  const loadChart = async () => {
    panel?.destroy();
    panel = await loadChartPanel(api, chartBox, { symbol: firstSymbol(f.scopeValue.value) ?? symbol, interval: f.interval.value, ind: ['rsi:14'] });
    panel.overlaid.catch((err: unknown) => status.replaceChildren(errorLine(err)));
  };
  onLeave(() => panel?.destroy());
  f.interval.addEventListener('change', () => void loadChart().catch((e: unknown) => status.replaceChildren(errorLine(e))));

  const draft = (): RuleDraft => {
    const extra = f.channels.value.split(',').map((s) => s.trim()).filter(Boolean);
    const frequency: Frequency = f.frequency.value === 'at_most_every' ? { atMostEveryMinutes: Number(f.minutes.value) } : (f.frequency.value as Frequency);
    const scope: Scope = f.scopeKind.value === 'top'
      ? { top: Number(f.scopeValue.value) }
      : { symbols: f.scopeValue.value.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean) };
    return { name: f.name.value, expression: f.expression.value, scope, interval: f.interval.value, frequency, channels: [...(f.dashboard.checked ? ['dashboard'] : []), ...extra] };
  };
  const fail = (err: unknown) => {
    status.replaceChildren(errorLine(err));
    if (err instanceof ApiError && err.position !== undefined) {
      exprError.replaceChildren(h('code', {}, f.expression.value), h('code', { class: 'caret' }, `${' '.repeat(err.position)}^`));
    }
  };
  const clear = () => {
    status.replaceChildren();
    exprError.replaceChildren();
  };

  form.querySelector('[name=preview]')!.addEventListener('click', () => {
    clear();
    if (!panel) return;
    const rows = panel.candles.rows;
    const from = rows[0]?.[0] ?? 0;
    const to = rows.at(-1)?.[0] ?? 0;
    api.preview(draft(), from, to).then((p) => {
      panel?.setExtraMarkers(p.firings.map((x) => ({ time: toTime(x.openTime), position: 'belowBar', shape: 'arrowUp', color: '#ffd54f', text: '' })));
      showSummary(summary, p, panel?.decimals ?? 2);
    }, fail);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear();
    api.createAlert(draft()).then((rule) => {
      status.replaceChildren(h('p', { class: 'ok', role: 'status' }, `Saved “${rule.name}”.`));
      void refreshList();
    }, fail);
  });

  const refreshList = async () => {
    const { alerts } = await api.alerts();
    list.replaceChildren(
      alerts.length === 0 ? h('p', { class: 'muted' }, 'No alerts yet.') : h('ul', { class: 'rules' }, ...alerts.map((r) => ruleItem(r, () => {
        api.deleteAlert(r.id).then(refreshList, (err: unknown) => status.replaceChildren(errorLine(err)));
      }))),
    );
  };
  await Promise.all([loadChart(), refreshList()]);
}

function firstSymbol(text: string): string | undefined {
  const s = text.split(',')[0]?.trim().toUpperCase();
  return s && /^[A-Z0-9]+$/.test(s) ? s : undefined;
}

function ruleItem(r: Rule, remove: () => void): HTMLElement {
  const scope = r.scope === null ? 'any symbol' : 'top' in r.scope ? `top ${r.scope.top}` : r.scope.symbols.join(', ');
  // A health rule (made through the API or the CLI) has an event where a bar rule has an expression and interval.
  const what = r.kind === 'health' ? (r.event === 'gap' ? 'on a data gap' : 'on a failed job') : r.expression;
  const interval = r.kind === 'health' ? '' : ` · ${r.interval}`;
  return h('li', { 'data-rule': r.id },
    h('strong', {}, r.name), ' ', h('code', {}, what),
    h('span', { class: 'muted' }, ` ${scope}${interval} · ${r.channels.join(', ') || 'no channel'}${r.enabled ? '' : ' · disabled'}`),
    h('button', { type: 'button', class: 'link', onclick: remove }, 'Delete'));
}

function showSummary(box: HTMLElement, p: Preview, decimals: number): void {
  const s = p.summary;
  box.replaceChildren(
    h('h2', {}, `Preview: ${s.count} firing${s.count === 1 ? '' : 's'}`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'preview-summary' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), ...HORIZONS.map((x) => h('th', {}, x)))),
      h('tbody', {},
        h('tr', {}, h('th', {}, 'positive'), ...HORIZONS.map((x) => h('td', { class: 'num' }, s.positive[x] == null ? '—' : `${Math.round(s.positive[x]! * 100)}%`))),
        h('tr', {}, h('th', {}, 'median'), ...HORIZONS.map((x) => h('td', { class: 'num' }, formatPct(s.median[x])))),
        h('tr', {}, h('th', {}, 'worst'), ...HORIZONS.map((x) => h('td', { class: 'num' }, formatPct(s.worst[x]))))))),
    h('details', {}, h('summary', {}, 'Firings'), h('div', { class: 'table-wrap' }, h('table', { class: 'preview-firings' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Bar (UTC)'), h('th', {}, 'Symbol'), h('th', {}, 'Close'), ...HORIZONS.map((x) => h('th', {}, x)))),
      h('tbody', {}, ...p.firings.map((x) => h('tr', {},
        h('td', {}, formatUtc(x.openTime)), h('td', {}, x.symbol), h('td', { class: 'num' }, formatPrice(x.close, decimals)),
        ...HORIZONS.map((k) => h('td', { class: 'num' }, formatPct(x.returns[k]))))))))),
  );
}
