// views-signin.js - #/signin: an API key, checked with one cheap read before it is kept.
import { h, append } from './dom.js';
import { api, session, errorText } from './api.js';
import { pageTitle } from './widgets.js';

export function renderSignin(view, { message, done }) {
  const input = h('input', {
    id: 'api-key', name: 'api-key', type: 'password', required: true, autocomplete: 'off',
    spellcheck: 'false', 'aria-describedby': 'api-key-help',
  });
  const error = h('div', { class: 'msg msg-error', role: 'alert', hidden: true });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Sign in');
  const form = h('form', { class: 'signin', 'aria-labelledby': 'signin-title', novalidate: true },
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h('p', { id: 'api-key-help', class: 'hint' },
      'The key of the tenant to look at. It is kept in this tab only (sessionStorage) and sent in the Authorization header, never in a URL.'),
    error,
    button);

  form.addEventListener('submit', async (e) => {
    e.preventDefault(); // form-action 'none': nothing is ever submitted natively
    const key = input.value.trim();
    error.hidden = true;
    if (!key) return showError('Enter an API key.');
    button.disabled = true;
    button.textContent = 'Signing in…';
    try {
      // Any authenticated read tells whether the key is valid; this one is small.
      await api('GET', '/v1/ai-apply/career-sites', { key, query: { page_size: 1 }, signal: view.signal });
      session.set(key);
      done();
    } catch (err) {
      if (err.name === 'AbortError') return;
      showError(err.status === 401
        ? `This API key was not accepted. ${err.message}`
        : `Could not sign in. ${errorText(err)}`);
    } finally {
      button.disabled = false;
      button.textContent = 'Sign in';
    }
  });

  function showError(text) {
    error.textContent = text;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }

  append(view.root, h('section', { class: 'signin-page' },
    pageTitle('Sign in', { id: 'signin-title' }),
    message ? h('p', { class: 'msg msg-info', role: 'status' }, message) : null,
    form));
}
