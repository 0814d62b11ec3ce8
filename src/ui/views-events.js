// views-events.js - #/events (the event log: filter by type and resource, pages by cursor)
// and #/events/ID (one event: its payload, its deliveries, every attempt with status,
// latency, response excerpt and error; redeliver). Payloads and excerpts come from outside
// (career sites, receivers): text only.
import { h, append, setChildren, badge, time, dl, fmtMs, uid } from './dom.js';
import { api, isAbort } from './api.js';
import { poll } from './live.js';
import { liveTable, errorBox, statusLine, syncKeyed, pageTitle, pageSize } from './widgets.js';

const TYPES = ['ai-apply-job-posting-status-updated', 'ai-apply-application-status-updated',
  'openapply.endpoint.disabled', 'openapply.delivery.exhausted'];

const evPath = (id, tail = '') => `/v1/webhooks/events/${encodeURIComponent(id)}${tail}`;

/** The state an event's payload reports (availability or status), when it has one. */
function stateOf(ev) {
  const d = ev.payload && ev.payload.data;
  return d && (d.availability || d.status);
}

function eventRow(ev) {
  return h('tr', null,
    h('td', null, time(ev.created_at)),
    h('td', null, h('code', null, ev.type)),
    h('td', null, stateOf(ev) ? badge(stateOf(ev)) : '—'),
    h('td', null, h('code', { class: 'break' }, ev.resource_id)),
    h('td', null, h('a', { href: `#/events/${encodeURIComponent(ev.id)}`, 'aria-label': `Details of event ${ev.id}` }, 'Details')));
}

export function renderEvents(view) {
  const type = h('select', { id: 'f-type' }, h('option', { value: '' }, 'Any type'),
    TYPES.map((t) => h('option', { value: t, selected: view.query.get('type') === t }, t)));
  const resource = h('input', { id: 'f-resource', type: 'search', value: view.query.get('resource_id') || '', autocomplete: 'off' });
  const retention = h('p', { class: 'hint' });
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter events' },
    h('div', { class: 'field' }, h('label', { for: 'f-type' }, 'Event type'), type),
    h('div', { class: 'field grow' }, h('label', { for: 'f-resource' }, 'Resource id (posting or application)'), resource),
    h('button', { type: 'submit', class: 'btn' }, 'Apply filters'));
  const list = liveTable(view, {
    caption: 'Events',
    columns: ['Time', 'Type', 'State', 'Resource', 'Event'],
    empty: 'No events match.',
    key: (ev) => ev.id,
    row: eventRow,
    async fetch(cursor, signal) {
      const page = await api('GET', '/v1/webhooks/events', {
        query: { cursor, page_size: pageSize(view, 50), type: type.value, resource_id: resource.value.trim(), order: 'desc' }, signal,
      });
      const r = page.retention;
      if (r) retention.textContent = `Newest first. The log keeps finished events for ${Math.round(r.period_seconds / 86400)} days${r.oldest_event_at ? `; the oldest is from ${new Date(r.oldest_event_at).toLocaleString()}` : ''}.`;
      return page;
    },
  });
  filters.addEventListener('submit', (e) => { e.preventDefault(); list.restart(); });
  type.addEventListener('change', () => list.restart());
  append(view.root, pageTitle('Event log'), filters, retention, list.el);
}

function deliveryRow(d, urls) {
  return h('tr', null,
    h('td', null, urls.get(d.endpoint_id) ? h('span', { class: 'mono break' }, urls.get(d.endpoint_id)) : h('code', null, d.endpoint_id)),
    h('td', null, badge(d.status)),
    h('td', null, String(d.attempts)),
    h('td', null, d.last_status_code ?? '—'),
    h('td', null, h('span', { class: 'pre' }, d.last_error ?? '—')),
    h('td', null, time(d.next_attempt_at)),
    h('td', null, time(d.finished_at)));
}

function attemptRow(a) {
  return h('tr', null,
    h('td', null, h('code', null, a.delivery_id)),
    h('td', null, String(a.attempt)),
    h('td', null, time(a.attempted_at)),
    h('td', null, a.status_code ?? '—'),
    h('td', null, fmtMs(a.latency_ms)),
    h('td', null, h('span', { class: 'pre' }, a.error ?? '—')),
    h('td', null, a.response_excerpt ? h('pre', { class: 'excerpt' }, a.response_excerpt) : '—'));
}

function table(caption, columns, tbody) {
  return h('div', { class: 'table-wrap' }, h('table', null,
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))), tbody));
}

export function renderEvent(view, id) {
  const facts = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const payload = h('pre', { class: 'payload', tabindex: '0', 'aria-label': 'Payload' });
  const deliveries = h('tbody');
  const attempts = h('tbody');
  const problem = h('div');
  const status = statusLine();
  const redeliver = h('button', { type: 'button', class: 'btn btn-primary' }, 'Redeliver');
  const urls = new Map(); // endpoint id -> URL, to name deliveries
  const payloadId = uid('payload');
  append(view.root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/events' }, '← Event log')),
    pageTitle('Event'), problem, facts,
    h('div', { class: 'actions' }, redeliver), status.el,
    h('section', { 'aria-labelledby': `${payloadId}-t` }, h('h2', { id: `${payloadId}-t` }, 'Payload'), payload),
    h('section', { 'aria-labelledby': 'deliveries-title' }, h('h2', { id: 'deliveries-title' }, 'Deliveries'),
      table('Deliveries', ['Endpoint', 'Status', 'Attempts', 'Last HTTP status', 'Last error', 'Next attempt', 'Finished'], deliveries)),
    h('section', { 'aria-labelledby': 'attempts-title' }, h('h2', { id: 'attempts-title' }, 'Attempts'),
      table('Attempts', ['Delivery', 'Attempt', 'Time', 'HTTP status', 'Latency', 'Error', 'Response excerpt'], attempts)));

  let lastPayload = null;
  const poller = poll(async () => {
    try {
      const ev = await api('GET', evPath(id), { signal: view.signal });
      if (ev.deliveries.some((d) => !urls.has(d.endpoint_id))) {
        const eps = await api('GET', '/v1/webhooks/endpoints', { query: { page_size: 250 }, signal: view.signal });
        for (const ep of eps.results) urls.set(ep.id, ep.url);
      }
      const at = await api('GET', evPath(id, '/attempts'), { signal: view.signal });
      const resourceLink = ev.type === TYPES[0]
        ? h('a', { href: `#/postings/${encodeURIComponent(ev.resource_id)}` }, h('code', null, ev.resource_id))
        : h('code', null, ev.resource_id);
      setChildren(facts, dl([
        ['Type', h('code', null, ev.type)],
        ['State', stateOf(ev) ? badge(stateOf(ev)) : '—'],
        ['Resource', resourceLink],
        ['Created', time(ev.created_at)],
        ['Id', h('code', null, ev.id)],
      ]));
      const text = JSON.stringify(ev.payload, null, 2);
      if (text !== lastPayload) { lastPayload = text; payload.textContent = text; }
      syncKeyed(deliveries, ev.deliveries, { key: (d) => d.id, create: (d) => deliveryRow(d, urls) });
      syncKeyed(attempts, at.results, { key: (a) => `${a.delivery_id}/${a.attempt}/${a.attempted_at}`, create: attemptRow });
      problem.replaceChildren();
    } catch (e) {
      if (!isAbort(e)) setChildren(problem, errorBox(e, 'Could not load the event'));
    }
  }, view.signal);

  redeliver.addEventListener('click', async () => {
    redeliver.disabled = true;
    try {
      const r = await api('POST', evPath(id, '/redeliver'), { body: {}, signal: view.signal });
      status.ok(`Redelivery queued: ${r.deliveries_queued} ${r.deliveries_queued === 1 ? 'delivery' : 'deliveries'}.`);
      poller.now();
    } catch (e) {
      if (!isAbort(e)) status.error(e, 'Not redelivered');
    } finally {
      redeliver.disabled = false;
    }
  });
}
