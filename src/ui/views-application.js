// views-application.js - #/applications/ID: one application as the operator needs it: its
// status and reasons, the candidate's answers (while the engine keeps them: they are
// discarded once the application is final), its history (created, every apply attempt with
// the career site's status, URL and answer excerpt, the review decision, the webhooks sent),
// and the decision when it is in the review queue. Everything in it comes from candidates or
// career sites: text only.
import { h, append, setChildren, badge, time, dl, externalLink } from './dom.js';
import { api, isAbort } from './api.js';
import { poll } from './live.js';
import { errorBox, pageTitle } from './widgets.js';
import { answerText, decisionForm } from './views-applications.js';

const OUTCOME_TEXT = {
  submitted: 'Submitted', review: 'Handed to review', retry: 'Failed, retried later',
  offline: 'Posting gone', unknown: 'Outcome unknown',
};

function attemptsTable(attempts) {
  if (!attempts.length) return h('p', { class: 'muted' }, 'No attempt to submit it yet.');
  return h('div', { class: 'table-wrap' }, h('table', null,
    h('caption', { class: 'visually-hidden' }, 'Apply attempts'),
    h('thead', null, h('tr', null, ['#', 'Started', 'Driver', 'Step', 'Outcome', 'HTTP status', 'URL', 'Reason', 'Response excerpt']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, attempts.map((a) => h('tr', null,
      h('td', null, String(a.attempt)),
      h('td', null, time(a.started_at)),
      h('td', null, a.driver || '—'),
      h('td', null, a.step || '—'),
      h('td', null, badge(OUTCOME_TEXT[a.outcome] || a.outcome)),
      h('td', null, a.http_status ? String(a.http_status) : '—'),
      h('td', { class: 'break' }, a.url ? externalLink(a.url) : '—'),
      h('td', { class: 'pre' }, a.reason || '—'),
      h('td', null, a.response_excerpt ? h('pre', { class: 'excerpt' }, a.response_excerpt) : '—'))))));
}

/** The history, oldest first: created, attempts, webhooks sent, the decision. */
function history(app, events) {
  const items = [{ at: app.created_at, text: 'Application received (PENDING)' }];
  for (const a of app.apply_attempts) {
    items.push({ at: a.finished_at, text: `Attempt ${a.attempt} (${a.driver || 'driver unknown'}): ${OUTCOME_TEXT[a.outcome] || a.outcome}${a.http_status ? `, HTTP ${a.http_status}` : ''}` });
  }
  for (const e of events) {
    items.push({ at: e.created_at, text: `Webhook ${e.type}: ${e.data?.status ?? ''}`, href: `#/events/${encodeURIComponent(e.id)}` });
  }
  if (app.decision_reason !== null || (app.status !== 'PENDING' && !app.in_review_queue && app.review_reason)) {
    items.push({ at: app.updated_at, text: `Decided ${app.status}${app.decision_reason ? `: ${app.decision_reason}` : ''}` });
  }
  items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return h('ol', { class: 'timeline' }, items.map((i) => h('li', null,
    time(i.at), ' ', i.href ? h('a', { href: i.href }, i.text) : h('span', { class: 'pre' }, i.text))));
}

export function renderApplication(view, id) {
  const title = pageTitle('Application');
  const facts = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const decisionBox = h('div');
  const answersBox = h('div');
  const historyBox = h('div');
  const attemptsBox = h('div');
  append(view.root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/applications' }, '← All applications')),
    title, facts, decisionBox,
    h('section', { 'aria-labelledby': 'answers-title' }, h('h2', { id: 'answers-title' }, 'Answers'), answersBox),
    h('section', { 'aria-labelledby': 'history-title' }, h('h2', { id: 'history-title' }, 'History'), historyBox),
    h('section', { 'aria-labelledby': 'attempts-title' }, h('h2', { id: 'attempts-title' }, 'Apply attempts'),
      h('p', { class: 'hint' }, 'What each attempt to submit it did, and what the career site answered. Screenshots are kept only by drivers that use a browser.'),
      attemptsBox));

  let shownDecisionFor = null;
  const poller = poll(async () => {
    try {
      const [app, evs] = await Promise.all([
        api('GET', `/v1/ai-apply/applications/${encodeURIComponent(id)}`, { signal: view.signal }),
        api('GET', '/v1/webhooks/events', { query: { resource_id: id, page_size: 50 }, signal: view.signal }),
      ]);
      title.textContent = `Application of ${app.candidate_email}`;
      setChildren(facts, dl([
        ['Status', badge(app.status)],
        ['In the review queue', app.in_review_queue ? 'Yes' : 'No'],
        ['Why it needs review', h('span', { class: 'pre' }, app.review_reason || '—')],
        ['Decision reason', h('span', { class: 'pre' }, app.decision_reason || '—')],
        ['Posting', [h('a', { href: `#/postings/${encodeURIComponent(app.job_posting_id)}` }, h('code', null, app.job_posting_id)), ' ', externalLink(app.job_posting_url || '')]],
        ['Candidate', app.candidate_email],
        ['Created', time(app.created_at)],
        ['Updated', time(app.updated_at)],
        ['Id', h('code', null, app.id)],
      ]));
      if (app.in_review_queue && shownDecisionFor !== app.id) {
        shownDecisionFor = app.id;
        setChildren(decisionBox, h('section', { 'aria-labelledby': 'decide-title', class: 'card' },
          h('h2', { id: 'decide-title' }, 'Decide'),
          decisionForm(app.id, () => poller.now())));
      } else if (!app.in_review_queue && shownDecisionFor) {
        // Decided (here or elsewhere): keep the confirmation a moment, then drop the form.
        shownDecisionFor = null;
        setTimeout(() => decisionBox.replaceChildren(), 4000);
      }
      setChildren(answersBox, app.answers
        ? dl(app.answers.map((a) => [a.label ?? a.question_id, h('span', { class: 'pre' }, answerText(a))]), 'facts answers-list')
        : h('p', { class: 'muted' }, 'The answers were discarded when the application became final: the engine keeps a candidate\'s answers only while it may still need them.'));
      setChildren(historyBox, history(app, evs.results));
      setChildren(attemptsBox, attemptsTable(app.apply_attempts));
    } catch (e) {
      if (!isAbort(e)) setChildren(facts, errorBox(e, 'Could not load the application'));
    }
  }, view.signal);
}
