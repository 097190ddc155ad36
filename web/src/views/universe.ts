/** The universe table: price at the symbol's decimals, 24h change, RSI(14), TD count, alerts armed. */
import type { ViewContext } from '../main.js';
import { h, mount } from '../dom.js';
import { formatNumber, formatPct, formatPrice, formatUtc, priceDecimals } from '../format.js';

export async function universeView({ api, root }: ViewContext): Promise<void> {
  const u = await api.universe();
  const rows = u.symbols.map((s) => {
    const td = s.td && s.td.buySetup > 0 ? `B${s.td.buySetup}` : s.td && s.td.sellSetup > 0 ? `S${s.td.sellSetup}` : '—';
    return h(
      'tr',
      { 'data-symbol': s.symbol },
      h('td', { class: 'num rank' }, s.rank ?? '—'),
      h('td', {}, h('a', { href: `#/chart/${encodeURIComponent(s.symbol)}` }, s.symbol)),
      h('td', { class: 'num' }, formatPrice(s.last, priceDecimals(s.priceDecimals, s.last === null ? [] : [s.last]))),
      h('td', { class: `num ${(s.change24h ?? 0) >= 0 ? 'up' : 'down'}` }, formatPct(s.change24h)),
      h('td', { class: 'num' }, formatNumber(s.rsi14)),
      h('td', { class: 'num' }, td),
      h('td', { class: 'num' }, s.alertsArmed),
    );
  });
  mount(
    root,
    h('h1', {}, 'Universe'),
    h('p', { class: 'muted' }, `as of ${formatUtc(u.asOf)}`),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'universe' },
        h('thead', {}, h('tr', {}, h('th', { class: 'rank' }, '#'), ...['Symbol', 'Price', '24h', 'RSI', 'TD', 'Alerts'].map((t) => h('th', {}, t)))),
        h('tbody', {}, ...rows),
      ),
    ),
  );
}
