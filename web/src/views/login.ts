/** The login form: name and password to POST /login; the server's message on failure. */
import type { Api, User } from '../api.js';
import { errorLine, h, mount } from '../dom.js';

export function loginView(root: HTMLElement, api: Api, done: (u: User) => void): void {
  const name = h('input', { name: 'name', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const status = h('div');
  const form = h(
    'form',
    { class: 'card login' },
    h('h1', {}, 'Log in'),
    h('label', {}, 'Name', name),
    h('label', {}, 'Password', password),
    h('button', { type: 'submit' }, 'Log in'),
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    status.replaceChildren();
    api.login(name.value, password.value).then(done, (err: unknown) => status.replaceChildren(errorLine(err)));
  });
  mount(root, form);
  name.focus();
}
