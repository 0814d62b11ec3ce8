// views-endpoints.js - #/endpoints: webhook endpoints. Create one; per endpoint edit its
// event types, enable or disable it, set its rate limit, send a test event, rotate its secret
// (the new secret and the grace period shown), recover failed deliveries since a time, and
// see its success rate and latency of the last hour (from GET /v1/stats).
import { h, append, setChildren, badge, time, dl, fmtPercent, fmtMs, fmtInt, uid } from './dom.js';
import { api, isAbort } from './api.js';
import { poll } from './live.js';
import { errorBox, statusLine, syncKeyed, Pager, confirmDialog, pageTitle, pageSize } from './widgets.js';
import { fetchStats } from './stats.js';

const EVENT_TYPES = [
  ['ai-apply-job-posting-status-updated', 'Posting status updated'],
  ['ai-apply-application-status-updated', 'Application status updated'],
  ['openapply.endpoint.disabled', 'Endpoint disabled (openapply)'],
  ['openapply.delivery.exhausted', 'Delivery retries exhausted (openapply)'],
];

const epPath = (id, tail = '') => `/v1/webhooks/endpoints/${encodeURIComponent(id)}${tail}`;

/** A fieldset of event type checkboxes; .value() gives the checked types or null (all). */
function eventTypesField(legend, selected) {
  const boxes = EVENT_TYPES.map(([type, label]) => {
    const id = uid('et');
    const box = h('input', { type: 'checkbox', id, value: type, checked: Array.isArray(selected) && selected.includes(type) });
    return [box, h('div', { class: 'check' }, box, ' ', h('label', { for: id }, label), ' ', h('code', { class: 'muted' }, type))];
  });
  const el = h('fieldset', { class: 'choices' }, h('legend', null, legend), boxes.map(([, row]) => row),
    h('p', { class: 'hint' }, 'None checked: every API event type (the two ai-apply types).'));
  return { el, value: () => { const v = boxes.filter(([b]) => b.checked).map(([b]) => b.value); return v.length ? v : null; } };
}

/** "24 h" style text for an ISO time in the future, relative to now. */
function untilText(iso) {
  const ms = new Date(iso).getTime() - Date.now();
  if (!(ms > 0)) return 'now';
  const m = Math.round(ms / 60000);
  return m < 120 ? `${m} min from now` : `${Math.round(m / 60)} h from now`;
}

function secretBox(secret, extra) {
  return h('div', { class: 'secret', role: 'group', 'aria-label': 'Signing secret' },
    h('p', null, 'Signing secret: ', h('code', { class: 'break', 'data-secret': '' }, secret)), extra || null);
}

function facts(ep) {
  const s = ep._stats;
  return dl([
    ['Status', [badge(ep.enabled ? 'ENABLED' : 'DISABLED'), ep.disabled_reason ? ` ${ep.disabled_reason}` : '']],
    ['Description', ep.description || '—'],
    ['Event types', ep.event_types ? ep.event_types.join(', ') : 'All API event types'],
    ['Rate limit', ep.rate_limit_per_second ? `${fmtInt(ep.rate_limit_per_second)} per second` : 'none'],
    ['Success rate (last hour)', s ? `${fmtPercent(s.success_rate)} of ${fmtInt((s.delivered_last_hour || 0) + (s.failed_last_hour || 0))}` : 'stats unavailable'],
    ['Latency p50 / p99', s ? `${fmtMs(s.latency_ms?.p50)} / ${fmtMs(s.latency_ms?.p99)}` : 'stats unavailable'],
    ['Created', time(ep.created_at)],
    ['Id', h('code', null, ep.id)],
  ]);
}

/** A button that shows and hides a panel (aria-expanded, aria-controls). */
function disclosure(label, panel, onOpen) {
  panel.id ||= uid('panel');
  panel.hidden = true;
  const btn = h('button', { type: 'button', class: 'btn', 'aria-expanded': 'false', 'aria-controls': panel.id }, label);
  btn.addEventListener('click', () => {
    const open = panel.hidden;
    panel.hidden = !open;
    btn.setAttribute('aria-expanded', String(open));
    if (open) { onOpen?.(); panel.querySelector('input, select, textarea, button')?.focus(); }
  });
  return btn;
}

function endpointCard(ep, refresh) {
  let current = ep;
  const titleId = uid('ep');
  const factsBox = h('div', null, facts(ep));
  const status = statusLine();
  const secretOut = h('div', { 'aria-live': 'polite' });

  // Edit: description, event types, enabled, rate limit.
  const editPanel = h('form', { class: 'panel', 'aria-label': 'Edit endpoint' });
  const openEdit = () => {
    const desc = h('input', { id: uid('desc'), type: 'text', value: current.description || '', maxlength: 500 });
    const types = eventTypesField('Event types', current.event_types);
    const enabledId = uid('en');
    const enabled = h('input', { type: 'checkbox', id: enabledId, checked: current.enabled });
    const rate = h('input', { id: uid('rate'), type: 'number', min: 1, max: 100000, step: 1, value: current.rate_limit_per_second ?? '', inputmode: 'numeric' });
    setChildren(editPanel,
      h('div', { class: 'field' }, h('label', { for: desc.id }, 'Description'), desc),
      types.el,
      h('div', { class: 'check' }, enabled, ' ', h('label', { for: enabledId }, 'Enabled (deliver webhooks to this endpoint)')),
      h('div', { class: 'field' }, h('label', { for: rate.id }, 'Rate limit per second'), rate,
        h('p', { class: 'hint' }, 'At most this many deliveries a second; empty for no limit.')),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save changes')));
    editPanel.onsubmit = async (e) => {
      e.preventDefault();
      const body = {
        description: desc.value.trim() || null,
        event_types: types.value(),
        enabled: enabled.checked,
        rate_limit_per_second: rate.value === '' ? null : Number(rate.value),
      };
      try {
        current = await api('PATCH', epPath(current.id), { body });
        status.ok('Changes saved.');
        refresh();
      } catch (err) { if (!isAbort(err)) status.error(err, 'Not saved'); }
    };
  };

  // Rotate the secret, with a grace period for the old one.
  const graceId = uid('grace');
  const grace = h('input', { id: graceId, type: 'text', value: '24h', size: 6, 'aria-describedby': `${graceId}-hint` });
  const rotatePanel = h('form', { class: 'panel', 'aria-label': 'Rotate secret' },
    h('div', { class: 'field' }, h('label', { for: graceId }, 'Grace period'), grace,
      h('p', { class: 'hint', id: `${graceId}-hint` }, 'How long the old secret keeps signing beside the new one: e.g. 24h, 30m, 0 (at most 7d).')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Rotate now')));
  rotatePanel.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const body = grace.value.trim() ? { grace_period: grace.value.trim() } : {};
      const r = await api('POST', epPath(current.id, '/rotate-secret'), { body });
      const until = r.previous_secret_expires_at;
      setChildren(secretOut, secretBox(r.secret, h('p', { class: 'grace' }, until
        ? ['The previous secret keeps signing until ', time(until), ` (${untilText(until)}; grace period ${body.grace_period || 'default'}).`]
        : 'The previous secret no longer signs (no grace period).')));
      status.ok('Secret rotated. Give the new secret to the receiver before the grace period ends.');
    } catch (err) { if (!isAbort(err)) status.error(err, 'Not rotated'); }
  });

  // Recover: redeliver every failed delivery since a time.
  const sinceId = uid('since');
  const since = h('input', { id: sinceId, type: 'datetime-local', step: 1, required: true });
  const recoverPanel = h('form', { class: 'panel', 'aria-label': 'Recover failed deliveries' },
    h('div', { class: 'field' }, h('label', { for: sinceId }, 'Redeliver failed deliveries since'), since,
      h('p', { class: 'hint' }, 'In your time zone.')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Recover')));
  const openRecover = () => {
    if (since.value) return;
    const d = new Date(Date.now() - 3600e3);
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset()); // local wall time for the input
    since.value = d.toISOString().slice(0, 19);
  };
  recoverPanel.addEventListener('submit', async (e) => {
    e.preventDefault();
    const t = new Date(since.value); // datetime-local values are local wall times
    if (Number.isNaN(t.getTime())) { status.error('Enter a date and time.'); since.focus(); return; }
    try {
      const r = await api('POST', epPath(current.id, '/recover'), { body: { since: t.toISOString() } });
      status.ok(`${fmtInt(r.recovered)} failed deliveries since ${t.toLocaleString()} queued again.`);
    } catch (err) { if (!isAbort(err)) status.error(err, 'Not recovered'); }
  });

  const testBtn = h('button', { type: 'button', class: 'btn' }, 'Send test event');
  testBtn.addEventListener('click', async () => {
    status.info('Sending a test event…');
    try {
      const r = await api('POST', epPath(current.id, '/test'), { body: {} });
      const ev = r && (r.event_id || r.id);
      status.ok(ev ? `Test event sent (event ${ev}).` : 'Test event sent.');
      refresh();
    } catch (err) {
      if (isAbort(err)) return;
      if (err.missingRoute) status.error('This engine cannot send test events: it has no POST /v1/webhooks/endpoints/{id}/test.');
      else status.error(err, 'No test event');
    }
  });

  const showSecret = h('button', { type: 'button', class: 'btn', 'aria-expanded': 'false' }, 'Show secret');
  showSecret.addEventListener('click', async () => {
    if (showSecret.getAttribute('aria-expanded') === 'true') {
      secretOut.replaceChildren();
      showSecret.setAttribute('aria-expanded', 'false');
      return;
    }
    try {
      const full = await api('GET', epPath(current.id));
      setChildren(secretOut, secretBox(full.secret, full.previous_secret_expires_at
        ? h('p', { class: 'grace' }, 'The previous secret also signs until ', time(full.previous_secret_expires_at), '.') : null));
      showSecret.setAttribute('aria-expanded', 'true');
    } catch (err) { if (!isAbort(err)) status.error(err, 'Cannot show the secret'); }
  });

  const del = h('button', { type: 'button', class: 'btn btn-danger' }, 'Delete endpoint');
  del.addEventListener('click', async () => {
    const ok = await confirmDialog({ title: 'Delete this endpoint?', message: `No more webhooks will go to ${current.url}.`, confirm: 'Delete', danger: true });
    if (!ok) { del.focus(); return; }
    try { await api('DELETE', epPath(current.id)); refresh(); } catch (err) { if (!isAbort(err)) status.error(err, 'Not deleted'); }
  });

  const card = h('article', { class: 'card endpoint', 'aria-labelledby': titleId },
    h('h3', { id: titleId, class: 'mono break' }, ep.url),
    factsBox,
    h('div', { class: 'actions' }, disclosure('Edit', editPanel, openEdit), testBtn, disclosure('Rotate secret', rotatePanel),
      disclosure('Recover deliveries', recoverPanel, openRecover), showSecret, del),
    editPanel, rotatePanel, recoverPanel, secretOut, status.el);
  card._update = (next) => { current = next; setChildren(factsBox, facts(next)); };
  return card;
}

function createForm(onCreated) {
  const url = h('input', { id: 'new-url', type: 'url', required: true, placeholder: 'https://example.com/webhooks' });
  const desc = h('input', { id: 'new-desc', type: 'text', maxlength: 500 });
  const types = eventTypesField('Event types', null);
  const status = statusLine();
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card create', 'aria-labelledby': 'create-title' },
    h('h2', { id: 'create-title' }, 'Add an endpoint'),
    h('div', { class: 'field' }, h('label', { for: 'new-url' }, 'Endpoint URL'), url),
    h('div', { class: 'field' }, h('label', { for: 'new-desc' }, 'Description'), desc),
    types.el,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create endpoint')),
    status.el, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!url.value.trim()) { status.error('Enter the endpoint URL.'); url.focus(); return; }
    const body = { url: url.value.trim(), event_types: types.value() };
    if (desc.value.trim()) body.description = desc.value.trim();
    try {
      const ep = await api('POST', '/v1/webhooks/endpoints', { body });
      status.ok(`Endpoint created for ${ep.url}. Copy its secret now to verify signatures.`);
      setChildren(out, secretBox(ep.secret));
      url.value = '';
      desc.value = '';
      onCreated();
    } catch (err) { if (!isAbort(err)) status.error(err, 'Not created'); }
  });
  return form;
}

export function renderEndpoints(view) {
  const list = h('div', { class: 'endpoint-list' });
  const problem = h('div');
  const note = h('p', { class: 'hint' });
  const empty = h('p', { class: 'empty', hidden: true }, 'No webhook endpoints yet.');
  const pager = new Pager(() => poller.now());
  const poller = poll(async () => {
    try {
      const page = await api('GET', '/v1/webhooks/endpoints', { query: { cursor: pager.cursor, page_size: pageSize(view, 25) }, signal: view.signal });
      let stats = null;
      try { stats = await fetchStats(view.signal); } catch (e) { if (isAbort(e)) throw e; }
      note.textContent = stats ? '' : 'Success rate and latency need GET /v1/stats, which this engine does not offer yet.';
      const byId = new Map((stats?.endpoints || []).map((s) => [s.id, s]));
      const items = page.results.map((ep) => ({ ...ep, _stats: byId.get(ep.id) || (stats ? {} : null) }));
      syncKeyed(list, items, {
        key: (ep) => ep.id,
        create: (ep) => endpointCard(ep, () => poller.now()),
        update: (el, ep) => el._update(ep),
      });
      empty.hidden = items.length > 0;
      pager.loaded(page.next);
      problem.replaceChildren();
    } catch (e) {
      if (!isAbort(e)) setChildren(problem, errorBox(e, 'Could not load the endpoints'));
    }
  }, view.signal);
  append(view.root, pageTitle('Webhook endpoints'), createForm(() => poller.now()),
    h('section', { 'aria-labelledby': 'eps-title' }, h('h2', { id: 'eps-title' }, 'Endpoints'), note, problem, list, empty, pager.el));
}
