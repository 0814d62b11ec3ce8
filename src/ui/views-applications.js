// views-applications.js - #/applications: the review queue (applications automation handed
// to a human, with their answers and the reason) with the two decisions, and every
// application with its status. Answers come from candidates: text only.
import { h, append, setChildren, badge, time, dl, externalLink, fmtBytes, uid } from './dom.js';
import { api, isAbort } from './api.js';
import { poll } from './live.js';
import { liveTable, errorBox, statusLine, syncKeyed, Pager, pageTitle, pageSize } from './widgets.js';

const PAGE_SIZE = 25;
const STATUSES = ['PENDING', 'SUBMITTED', 'FAILED', 'DUPLICATE'];

/** One answer as text: files as name/type/size, choices by their labels. */
export function answerText(a) {
  const v = a.answer;
  if (v && typeof v === 'object' && !Array.isArray(v) && 'name' in v) {
    return `${v.name} (${v.content_type || 'unknown type'}, ${fmtBytes(v.size)})`;
  }
  if (Array.isArray(a.answer_labels) && a.answer_labels.length) return a.answer_labels.join(', ');
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (Array.isArray(v)) return v.join(', ');
  if (v === null || v === undefined) return '—';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function reviewFacts(item) {
  return [
    dl([
      ['Posting', externalLink(item.job_posting_url || '')],
      ['Why it needs review', h('span', { class: 'pre' }, item.review_reason || '—')],
      ['Attempts', String(item.attempts ?? '—')],
      ['Applied', time(item.created_at)],
      ['Application', h('code', null, item.id)],
    ]),
    h('details', { class: 'answers' },
      h('summary', null, `Answers (${(item.answers || []).length})`),
      dl((item.answers || []).map((a) => [a.label ?? a.question_id, h('span', { class: 'pre' }, answerText(a))]), 'facts answers-list')),
  ];
}

/**
 * The two decisions on an application in the review queue: a reason box and the buttons.
 * onDecided(app) runs after the engine saved it.
 */
export function decisionForm(appId, onDecided) {
  const reasonId = uid('reason');
  const reason = h('textarea', { id: reasonId, rows: 2, maxlength: 2000, 'aria-describedby': `${reasonId}-hint` });
  const status = statusLine();
  const approve = h('button', { type: 'button', class: 'btn btn-primary' }, 'Approve as SUBMITTED');
  const fail = h('button', { type: 'button', class: 'btn btn-danger' }, 'Mark FAILED');

  async function decide(decision) {
    const text = reason.value.trim();
    if (decision === 'FAILED' && !text) {
      status.error('A reason is required to mark an application FAILED.');
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      return;
    }
    reason.removeAttribute('aria-invalid');
    approve.disabled = fail.disabled = true;
    status.info('Saving…');
    try {
      const body = { decision };
      if (text) body.reason = text;
      const app = await api('POST', `/v1/ai-apply/applications/${encodeURIComponent(appId)}/review`, { body });
      status.ok(`Decided: ${app.status}.`);
      onDecided(app);
    } catch (e) {
      if (isAbort(e)) return;
      status.error(e, 'The decision was not saved');
      approve.disabled = fail.disabled = false;
    }
  }
  approve.addEventListener('click', () => decide('SUBMITTED'));
  fail.addEventListener('click', () => decide('FAILED'));
  return h('div', { class: 'decision' },
    h('label', { for: reasonId }, 'Reason'),
    reason,
    h('p', { class: 'hint', id: `${reasonId}-hint` }, 'Required to mark FAILED; optional note when approving.'),
    h('div', { class: 'actions' }, approve, fail),
    status.el);
}

/** A queue item: its facts (updated in place on refresh) and the decision form (kept). */
function reviewCard(item, onDecided) {
  const titleId = uid('app');
  const facts = h('div', null, reviewFacts(item));
  const card = h('article', { class: 'card review-item', 'aria-labelledby': titleId },
    h('h3', { id: titleId, class: 'break' }, item.candidate_email || item.id),
    facts,
    h('p', null, h('a', { href: `#/applications/${encodeURIComponent(item.id)}` }, 'History and attempts')),
    decisionForm(item.id, onDecided));
  card._facts = facts;
  return card;
}

function reviewQueue(view, onDecided) {
  const list = h('div', { class: 'review-list' });
  const problem = h('div');
  const empty = h('p', { class: 'empty', hidden: true }, 'The review queue is empty.');
  const count = h('p', { class: 'list-status muted' });
  const pager = new Pager(() => poller.now());
  const poller = poll(async () => {
    try {
      const page = await api('GET', '/v1/ai-apply/review', { query: { cursor: pager.cursor, page_size: pageSize(view, PAGE_SIZE) }, signal: view.signal });
      syncKeyed(list, page.results, {
        key: (x) => x.id,
        create: (x) => reviewCard(x, () => { poller.now(); onDecided(); }),
        update: (el, x) => {
          // Keep whether the answers were open, and keep the decision form as it is.
          const open = el._facts.querySelector('details')?.open;
          setChildren(el._facts, reviewFacts(x));
          if (open) el._facts.querySelector('details').open = true;
        },
      });
      empty.hidden = page.results.length > 0;
      pager.loaded(page.next);
      problem.replaceChildren();
      count.textContent = `${page.results.length} on this page${page.next ? ', more on the next' : ''}`;
    } catch (e) {
      if (!isAbort(e)) setChildren(problem, errorBox(e, 'Could not load the review queue'));
    }
  }, view.signal);
  return h('section', { 'aria-labelledby': 'queue-title' },
    h('h2', { id: 'queue-title' }, 'Review queue'),
    h('p', { class: 'hint' }, 'Applications automation could not finish. They stay PENDING until you decide.'),
    problem, list, empty, h('div', { class: 'list-foot' }, count, pager.el));
}

function appRow(a) {
  return h('tr', null,
    h('td', null, h('a', { href: `#/applications/${encodeURIComponent(a.id)}` }, h('code', null, a.id))),
    h('td', null, h('a', { href: `#/postings/${encodeURIComponent(a.job_posting_id)}` }, h('code', null, a.job_posting_id))),
    h('td', null, badge(a.status)),
    h('td', null, time(a.created_at)),
    h('td', null, time(a.updated_at)),
    h('td', null, h('a', { href: `#/events?resource_id=${encodeURIComponent(a.id)}` }, 'Events')));
}

export function renderApplications(view) {
  const statusFilter = h('select', { id: 'f-status' }, h('option', { value: '' }, 'Any status'),
    STATUSES.map((s) => h('option', { value: s }, s)));
  const all = liveTable(view, {
    caption: 'Applications',
    columns: ['Application', 'Posting', 'Status', 'Created', 'Updated', 'Webhooks'],
    empty: 'No applications match.',
    key: (a) => a.id,
    row: appRow,
    fetch: (cursor, signal) => api('GET', '/v1/ai-apply/applications', { query: { cursor, page_size: pageSize(view, PAGE_SIZE), statuses: statusFilter.value }, signal }),
  });
  statusFilter.addEventListener('change', () => all.restart());
  append(view.root,
    pageTitle('Applications'),
    reviewQueue(view, () => all.refresh()),
    h('section', { 'aria-labelledby': 'all-title' },
      h('h2', { id: 'all-title' }, 'All applications'),
      h('div', { class: 'filters' },
        h('div', { class: 'field' }, h('label', { for: 'f-status' }, 'Status'), statusFilter)),
      all.el));
}
