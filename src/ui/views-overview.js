// views-overview.js - #/overview: postings by availability, applications by status, the
// review queue's depth, deliveries of the last hour (chart, failure rate, latency
// percentiles), all from GET /v1/stats, refreshed every few seconds.
import { h, append, setChildren, badge, fmtInt, fmtPercent, fmtMs, fmtTime } from './dom.js';
import { isAbort } from './api.js';
import { poll } from './live.js';
import { errorBox, pageTitle } from './widgets.js';
import { deliveriesChart } from './chart.js';
import { fetchStats } from './stats.js';

const AVAILABILITY = ['PENDING', 'APPLYABLE', 'UNAVAILABLE', 'ARCHIVED'];
const STATUSES = ['PENDING', 'SUBMITTED', 'FAILED', 'DUPLICATE'];

function counts(title, obj, keys) {
  return h('section', { class: 'card', 'aria-label': title },
    h('h2', null, title),
    h('dl', { class: 'counts' }, keys.map((k) => h('div', null, h('dt', null, badge(k)), h('dd', null, fmtInt(obj?.[k] ?? 0))))));
}

function metric(title, pairs) {
  return h('section', { class: 'card', 'aria-label': title },
    h('h2', null, title),
    h('dl', { class: 'counts' }, pairs.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v)))));
}

function render(s) {
  const d = s.deliveries || {};
  const lat = d.latency_ms || {};
  return [
    h('div', { class: 'cards' },
      counts('Postings by availability', s.postings, AVAILABILITY),
      counts('Applications by status', s.applications, STATUSES),
      h('section', { class: 'card', 'aria-label': 'Review queue' },
        h('h2', null, 'Review queue'),
        h('p', { class: 'big' }, h('span', { 'data-stat': 'review_queue' }, fmtInt(s.review_queue ?? 0)), ' waiting'),
        h('p', null, h('a', { href: '#/applications' }, 'Open the review queue'))),
      metric('Deliveries, last hour', [
        ['Delivered', fmtInt(d.delivered_last_hour ?? 0)],
        ['Failed', fmtInt(d.failed_last_hour ?? 0)],
        ['Failure rate', fmtPercent(d.failure_rate)]]),
      metric('Latency, last hour', [['p50', fmtMs(lat.p50)], ['p90', fmtMs(lat.p90)], ['p99', fmtMs(lat.p99)]])),
    h('section', { class: 'card wide', 'aria-label': 'Deliveries per minute' },
      h('h2', null, 'Deliveries per minute'),
      deliveriesChart(d.per_minute)),
  ];
}

export function renderOverview(view) {
  const body = h('div', { class: 'overview' }, h('p', { class: 'muted' }, 'Loading…'));
  const updated = h('p', { class: 'list-status muted' });
  append(view.root, pageTitle('Overview'), body, updated);
  let last = null;

  poll(async () => {
    try {
      const s = await fetchStats(view.signal);
      const sig = JSON.stringify(s);
      if (sig !== last) {
        last = sig;
        // Keep an open "Show as a table" open across refreshes.
        const open = body.querySelector('details')?.open;
        if (!s) {
          setChildren(body, h('div', { class: 'msg msg-info', role: 'status' },
            'Stats unavailable: this engine does not offer GET /v1/stats yet (it answered 404). ',
            'The other pages work: ', h('a', { href: '#/postings' }, 'postings'), ', ',
            h('a', { href: '#/applications' }, 'the review queue'), ', ', h('a', { href: '#/events' }, 'the event log'), '.'));
        } else {
          setChildren(body, render(s));
          const det = body.querySelector('details');
          if (det && open) det.open = true;
        }
      }
      updated.textContent = `Updated ${fmtTime(new Date().toISOString())}`;
    } catch (e) {
      if (isAbort(e)) return;
      last = null;
      setChildren(body, errorBox(e, 'Could not load the stats'));
    }
  }, view.signal);
}
