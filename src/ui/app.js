// app.js - the dashboard's shell: hash routes (#/overview, #/postings/ID, ...), the session
// (signed in = an API key in sessionStorage), and what happens when the key stops working.
//
// Each page is a function render(view, ...params) from a views-*.js module. `view` carries
// the element to fill, the page's query parameters, and an AbortSignal that fires when the
// viewer leaves the page: requests in flight are cancelled and polling stops.
import { session, onUnauthorized } from './api.js';
import { h, setChildren, timeZone } from './dom.js';
import { renderSignin } from './views-signin.js';
import { renderOverview } from './views-overview.js';
import { renderPostings, renderPosting } from './views-postings.js';
import { renderApplications } from './views-applications.js';
import { renderApplication } from './views-application.js';
import { renderEndpoints } from './views-endpoints.js';
import { renderEvents, renderEvent } from './views-events.js';

const ROUTES = [
  [/^\/overview$/, renderOverview, 'Overview'],
  [/^\/postings$/, renderPostings, 'Postings'],
  [/^\/postings\/([^/]+)$/, renderPosting, 'Posting'],
  [/^\/applications$/, renderApplications, 'Applications'],
  [/^\/applications\/([^/]+)$/, renderApplication, 'Application'],
  [/^\/endpoints$/, renderEndpoints, 'Webhook endpoints'],
  [/^\/events$/, renderEvents, 'Event log'],
  [/^\/events\/([^/]+)$/, renderEvent, 'Event'],
];

const root = document.getElementById('app');
const nav = document.getElementById('nav');
const signout = document.getElementById('signout');
let current = null; // AbortController of the page on screen
let flash = null; // a message for the sign-in page
let returnTo = '#/overview';

/** Parses location.hash into { path, query }. */
function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/overview';
  const [path, qs] = raw.split('?');
  return { path, query: new URLSearchParams(qs || '') };
}

function showNav(signedIn, path) {
  nav.hidden = !signedIn;
  signout.hidden = !signedIn;
  for (const a of nav.querySelectorAll('a')) {
    const target = a.getAttribute('href').slice(1);
    if (path === target || path.startsWith(`${target}/`)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

/** Shows the page of hash (also when it is the hash already, e.g. right after signing in). */
function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function route() {
  if (!location.hash.startsWith('#/')) { location.replace('#/overview'); return; }
  current?.abort();
  current = new AbortController();
  const { path, query } = parseHash();
  const view = { root, query, signal: current.signal };
  root.replaceChildren();

  if (!session.get() || path === '/signin') {
    if (path !== '/signin') returnTo = location.hash;
    showNav(false, path);
    document.title = 'Sign in · openapply';
    const message = flash;
    flash = null;
    renderSignin(view, { message, done: () => go(returnTo === '#/signin' ? '#/overview' : returnTo) });
  } else {
    showNav(true, path);
    const found = ROUTES.map(([re, fn, title]) => [path.match(re), fn, title]).find(([m]) => m);
    if (!found) {
      setChildren(root, h('h1', { tabindex: '-1' }, 'Page not found'),
        h('p', null, 'There is no page at ', h('code', null, path), '. ', h('a', { href: '#/overview' }, 'Go to the overview'), '.'));
    } else {
      const [m, fn, title] = found;
      document.title = `${title} · openapply`;
      fn(view, ...m.slice(1).map(decodeURIComponent));
    }
  }
  // Move focus to the new page's heading, so keyboard and screen-reader users start there.
  (root.querySelector('h1') || root).focus({ preventScroll: false });
}

// A key that stops working (revoked, expired, the engine restarted without it): back to
// sign-in, saying why, and remember where the viewer was.
onUnauthorized(() => {
  if (!session.get()) return;
  session.clear();
  flash = 'Your API key is no longer accepted (it was revoked or has expired). Sign in again.';
  returnTo = location.hash;
  go('#/signin');
});

signout.addEventListener('click', () => {
  session.clear();
  flash = 'Signed out.';
  returnTo = '#/overview';
  go('#/signin');
});

// The skip link would change the hash (our routes live there): move focus instead.
document.querySelector('.skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  (root.querySelector('h1') || root).focus();
});

document.getElementById('zone').textContent = `Times are shown in your time zone, ${timeZone()}.`;
window.addEventListener('hashchange', route);
route();
