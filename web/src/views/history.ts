/** Firing history: the latest firings, with new ones prepended live from the event stream. */
import type { Firing } from '../api.js';
import { h, mount } from '../dom.js';
import { formatUtc } from '../format.js';
import type { ViewContext } from '../main.js';

export async function historyView({ api, root, onLeave }: ViewContext): Promise<void> {
  const { firings } = await api.firings();
  const body = h('tbody', {}, ...firings.map(row));
  const live = h('span', { class: 'muted', id: 'live' }, 'connecting…');
  const empty = h('p', { class: 'muted' }, 'No firings yet; new ones appear here as they happen.');
  empty.hidden = firings.length > 0;
  mount(root, h('div', { class: 'toolbar' }, h('h1', {}, 'Firing history'), live),
    h('div', { class: 'table-wrap' }, h('table', { class: 'firings' },
      h('thead', {}, h('tr', {}, ...['Fired (UTC)', 'Symbol', 'Interval', 'Bar (UTC)', 'Message'].map((t) => h('th', {}, t)))), body)), empty);
  const source = api.events((f) => {
    body.prepend(row(f));
    empty.hidden = true;
  });
  source.addEventListener('open', () => live.replaceChildren('live'));
  source.addEventListener('error', () => live.replaceChildren('reconnecting…'));
  onLeave(() => source.close());
}

function row(f: Firing): HTMLElement {
  return h('tr', { 'data-firing': f.id },
    h('td', {}, formatUtc(f.firedAt)), h('td', { class: 'symbol' }, f.symbol), h('td', {}, f.interval), h('td', { class: 'bar' }, formatUtc(f.barOpenTime)),
    h('td', { class: 'message' }, f.message, f.incomplete ? h('span', { class: 'badge' }, 'incomplete bar') : null));
}
