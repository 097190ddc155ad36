/**
 * The dashboard: a hash router over seven views. It talks only to the API (api.ts); a missing or
 * expired session sends every view back to the login.
 */
import { Api, ApiError, type User } from './api.js';
import { errorLine, mount } from './dom.js';
import { alertsView } from './views/alerts.js';
import { chartView } from './views/chart.js';
import { historyView } from './views/history.js';
import { liveView } from './views/live.js';
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
/** Counts routes: a route that finds a later one started while it waited on the API stops there. */
let routeSeq = 0;

const views: Record<string, (ctx: ViewContext) => Promise<void> | void> = {
  universe: universeView,
  chart: chartView,
  alerts: alertsView,
  history: historyView,
  pipeline: pipelineView,
  live: liveView,
};

async function route(): Promise<void> {
  const seq = ++routeSeq;
  for (const c of cleanups) c();
  cleanups = [];
  const [path = '', search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [name = 'universe', ...params] = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (!user && api.token) user = await api.me().catch(() => null);
  if (seq !== routeSeq) return;
  // Each route draws into a container of its own: a view whose route was left while it still
  // waited on the API draws into a detached element, never over the view now shown.
  const viewRoot = document.createElement('div');
  mount(root, viewRoot);
  if (!user || name === 'login') {
    nav.hidden = true;
    loginView(viewRoot, api, (u) => {
      user = u;
      // Setting the hash to the one already shown fires no hashchange; otherwise its event routes.
      if (location.hash === '#/universe') void route();
      else location.hash = '#/universe';
    });
    return;
  }
  nav.hidden = false;
  for (const a of nav.querySelectorAll<HTMLElement>('[data-admin]')) a.hidden = user.role !== 'admin';
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.getAttribute('href')?.startsWith(`#/${name}`) ?? false);
  const view = views[name] ?? universeView;
  const ctx: ViewContext = { api, user, root: viewRoot, params, query: new URLSearchParams(search), onLeave: (c) => cleanups.push(c) };
  try {
    await view(ctx);
  } catch (err) {
    if (seq !== routeSeq) return;
    if (err instanceof ApiError && err.status === 401) {
      user = null;
      location.hash = '#/login';
      return;
    }
    mount(viewRoot, errorLine(err));
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
