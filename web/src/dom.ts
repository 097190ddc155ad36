/** A tiny element builder so views read as the markup they make (no framework needed). */
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | EventListener | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** Replaces everything in `parent` with `children`. */
export function mount(parent: Element, ...children: Node[]): void {
  parent.replaceChildren(...children);
}

/** A message line for errors and empty states; `role=alert` so tests and screen readers find it. */
export function errorLine(err: unknown): HTMLElement {
  const text = err instanceof Error ? err.message : String(err);
  return h('p', { class: 'error', role: 'alert' }, text);
}
