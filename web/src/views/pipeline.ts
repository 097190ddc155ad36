/**
 * The pipeline view (admin): a per-symbol coverage heat-map of the last days (cell shade = share
 * of minutes stored, a red outline where a gap is open, grey where the exchange itself was out),
 * and the job runs, each opening into its tasks and a task into its logs.
 */
import type { CoverageDay, JobRun, TaskRun } from '../api.js';
import { errorLine, h, mount } from '../dom.js';
import { formatUtc } from '../format.js';
import type { ViewContext } from '../main.js';

const DAYS = 30;

export async function pipelineView({ api, root }: ViewContext): Promise<void> {
  const [coverage, { jobs }] = await Promise.all([api.coverage(DAYS), api.jobs()]);
  const detail = h('div', { class: 'job-detail' });
  const heat = h('div', { class: 'heat-wrap' }, h('table', { class: 'heat' }, h('tbody', {}, ...coverage.symbols.map((s) =>
    h('tr', {}, h('th', {}, s.symbol), ...s.days.map((d) => h('td', { class: cellClass(d), title: cellTitle(s.symbol, d), style: `--fill:${fill(d)}` })))))));
  const legend = h('p', { class: 'legend muted' },
    h('span', { class: 'swatch full' }), 'complete ', h('span', { class: 'swatch part' }), 'partial ',
    h('span', { class: 'swatch gap' }), 'open gap ', h('span', { class: 'swatch outage' }), 'exchange outage');
  const jobList = h('ul', { class: 'jobs' }, ...jobs.map((j) => h('li', {},
    h('button', { type: 'button', class: 'link', onclick: () => void openJob(String(j.id)) }, jobLabel(j)), ' ', h('span', { class: `badge ${j.status}` }, j.status))));
  mount(root, h('h1', {}, 'Pipeline'), h('h2', {}, `Coverage, last ${DAYS} days (1m)`), heat, legend,
    h('div', { class: 'split' }, h('section', {}, h('h2', {}, 'Job runs'), jobList), h('section', {}, detail)));

  async function openJob(id: string): Promise<void> {
    try {
      const { job, tasks } = await api.job(id);
      detail.replaceChildren(h('h2', {}, jobLabel(job)),
        h('ul', { class: 'tasks' }, ...tasks.map((t) => taskItem(t))));
    } catch (err) {
      detail.replaceChildren(errorLine(err));
    }
  }
}

function taskItem(t: TaskRun): HTMLElement {
  const logs = h('ol', { class: 'logs' }, ...(t.logs ?? []).map((l) => h('li', { class: l.level ?? '' }, l.message)));
  const error = t.error ? h('p', { class: 'error' }, t.error) : null;
  return h('li', {}, h('details', {}, h('summary', {}, `${t.name} #${t.id} · ${t.rows} rows `, h('span', { class: `badge ${t.status}` }, t.status)), error, logs));
}

function jobLabel(j: JobRun): string {
  return `${j.kind} #${j.id} · ${formatUtc(j.startedAt)}`;
}

function gapCount(d: CoverageDay): { open: number; outage: number } {
  let open = 0;
  let outage = 0;
  // `not_published` and `before_listing` are not the store's fault: neither is flagged.
  for (const [kind, n] of Object.entries(d.gaps)) {
    if (kind === 'exchange_outage') outage += n;
    else if (kind === 'hole') open += n;
  }
  return { open, outage };
}

function fill(d: CoverageDay): string {
  return d.expected === 0 ? '0' : (d.stored / d.expected).toFixed(3);
}

function cellClass(d: CoverageDay): string {
  const g = gapCount(d);
  return g.open > 0 ? 'gap' : g.outage > 0 ? 'outage' : d.stored >= d.expected ? 'full' : 'part';
}

function cellTitle(symbol: string, d: CoverageDay): string {
  const gaps = Object.entries(d.gaps).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
  return `${symbol} ${d.date}: ${d.stored}/${d.expected} minutes${gaps ? `; gaps: ${gaps}` : ''}`;
}
