/**
 * The dashboard: a hash router over six views. It talks only to the API (api.ts); a missing or
 * expired session sends every view back to the login.
 */
import { Api, ApiError, type User } from './api.js';
import { errorLine, mount } from './dom.js';
import { alertsView } from './views/alerts.js';
import { chartView } from './views/chart.js';
import { historyView } from './views/history.js';
import { loginView } from './views/login.js';
import { pipelineView } from './views/pipeline.js';
import { universeView } from './views/universe.js';

/** What a view gets; `cleanup` runs when the route changes (closes charts and event streams). */
export interface ViewContext {
  api: Api;
  user: User;
  root: HTMLElement;
  params: string[];
  query: URLSearchParams;
  onLeave(cleanup: () => void): void;
}

const api = new Api();
const root = document.getElementById('app')!;
const nav = document.getElementById('nav')!;
let user: User | null = null;
let cleanups: Array<() => void> = [];

const views: Record<string, (ctx: ViewContext) => Promise<void> | void> = {
  universe: universeView,
  chart: chartView,
  alerts: alertsView,
  history: historyView,
  pipeline: pipelineView,
};

async function route(): Promise<void> {
  for (const c of cleanups) c();
  cleanups = [];
  const [path = '', search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [name = 'universe', ...params] = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (!user && api.token) user = await api.me().catch(() => null);
  if (!user || name === 'login') {
    nav.hidden = true;
    loginView(root, api, (u) => {
      user = u;
      location.hash = '#/universe';
      void route();
    });
    return;
  }
  nav.hidden = false;
  for (const a of nav.querySelectorAll<HTMLElement>('[data-admin]')) a.hidden = user.role !== 'admin';
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.getAttribute('href')?.startsWith(`#/${name}`) ?? false);
  const view = views[name] ?? universeView;
  const ctx: ViewContext = { api, user, root, params, query: new URLSearchParams(search), onLeave: (c) => cleanups.push(c) };
  try {
    await view(ctx);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      user = null;
      location.hash = '#/login';
      return;
    }
    mount(root, errorLine(err));
  }
}

document.getElementById('logout')!.addEventListener('click', () => {
  void api.logout().finally(() => {
    user = null;
    location.hash = '#/login';
  });
});
window.addEventListener('hashchange', () => void route());
void route();
