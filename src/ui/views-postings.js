// views-postings.js - #/postings (the list: filter by availability, search by URL or job
// code, pages by cursor) and #/postings/ID (one posting: its parsed form as a candidate
// sees it, its revision history (any revision shown on request), and the archive action).
import { h, append, setChildren, badge, time, dl, externalLink } from './dom.js';
import { api, isAbort } from './api.js';
import { poll } from './live.js';
import { liveTable, errorBox, statusLine, confirmDialog, pageTitle, pageSize } from './widgets.js';
import { formPreview } from './form-preview.js';

const PAGE_SIZE = 50;
const AVAILABILITY = ['PENDING', 'APPLYABLE', 'UNAVAILABLE', 'ARCHIVED'];

function postingRow(p) {
  return h('tr', null,
    h('td', null, h('a', { href: `#/postings/${encodeURIComponent(p.id)}`, class: 'mono break' }, p.url)),
    h('td', null, p.job_code ?? h('span', { class: 'muted' }, '—')),
    h('td', null, p.career_site?.label ?? ''),
    h('td', null, badge(p.availability)),
    h('td', null, time(p.updated_at)));
}

export function renderPostings(view) {
  const size = pageSize(view, PAGE_SIZE);
  const availability = h('select', { id: 'f-availability' },
    h('option', { value: '' }, 'Any availability'),
    AVAILABILITY.map((a) => h('option', { value: a, selected: view.query.get('availability') === a }, a)));
  const search = h('input', { id: 'f-search', type: 'search', value: view.query.get('q') || '', autocomplete: 'off' });
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter postings' },
    h('div', { class: 'field' }, h('label', { for: 'f-availability' }, 'Availability'), availability),
    h('div', { class: 'field grow' }, h('label', { for: 'f-search' }, 'Search by URL or job code'), search),
    h('button', { type: 'submit', class: 'btn' }, 'Apply filters'),
    h('p', { class: 'hint' }, 'The engine filters: a URL that contains the text (any case) or a job code that equals it.'));

  const list = liveTable(view, {
    caption: 'Postings',
    columns: ['URL', 'Job code', 'Career site', 'Availability', 'Updated'],
    empty: 'No postings match.',
    key: (p) => p.id,
    row: postingRow,
    fetch(cursor, signal) {
      const term = search.value.trim().slice(0, 200);
      return api('GET', '/v1/ai-apply/postings', {
        query: { cursor, page_size: size, availabilities: availability.value, search: term }, signal,
      });
    },
  });
  filters.addEventListener('submit', (e) => { e.preventDefault(); list.restart(); });
  availability.addEventListener('change', () => list.restart());
  append(view.root, pageTitle('Postings'), filters, list.el);
}

export function renderPosting(view, id) {
  const facts = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const status = statusLine();
  const archiveBtn = h('button', { type: 'button', class: 'btn btn-danger', disabled: true }, 'Archive posting');
  const formBox = h('div', null, h('p', { class: 'muted' }, 'The form is shown once the posting is APPLYABLE.'));
  const title = pageTitle('Posting');
  const revBox = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  append(view.root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/postings' }, '← All postings')),
    title, facts,
    h('div', { class: 'actions' }, archiveBtn, h('a', { class: 'btn', href: `#/events?resource_id=${encodeURIComponent(id)}` }, 'Events of this posting')),
    status.el,
    h('section', { 'aria-labelledby': 'form-title' },
      h('h2', { id: 'form-title' }, 'Application form'),
      h('p', { class: 'hint' }, 'The parsed form as a candidate would see it. Choose a revision below to see an earlier one.'),
      formBox),
    h('section', { 'aria-labelledby': 'rev-title' },
      h('h2', { id: 'rev-title' }, 'Revision history'),
      h('p', { class: 'hint' }, 'A new revision is kept each time a re-check finds the form changed.'),
      revBox));

  let posting = null;
  let formShownFor = null; // availability + updated_at the form was fetched for
  let pinned = null; // the revision chosen in the history, or null for the current form
  let revKey = null;

  async function showRevision(rev) {
    pinned = rev.current ? null : rev.id;
    try {
      const r = await api('GET', `/v1/ai-apply/postings/${encodeURIComponent(id)}/revisions/${encodeURIComponent(rev.id)}`, { signal: view.signal });
      setChildren(formBox,
        h('p', { class: rev.current ? 'msg msg-ok' : 'msg msg-warn', role: 'status' },
          rev.current ? 'Current revision' : ['Earlier revision of ', time(r.created_at), ' (not the one applications use now)']),
        formPreview(r.application_form));
    } catch (e) {
      if (!isAbort(e)) setChildren(formBox, errorBox(e, 'Could not load the revision'));
    }
  }

  async function loadRevisions() {
    const all = [];
    let cursor;
    do { // a posting has a handful of revisions; at most 4 pages of 100 are shown
      const page = await api('GET', `/v1/ai-apply/postings/${encodeURIComponent(id)}/revisions`, { query: { cursor, page_size: 100 }, signal: view.signal });
      all.push(...page.results);
      cursor = page.next;
    } while (cursor && all.length < 400);
    const key = all.map((r) => `${r.id}:${r.current}`).join(',');
    if (key === revKey) return;
    revKey = key;
    if (!all.length) { setChildren(revBox, h('p', { class: 'muted' }, 'No revision yet: the form has not been parsed.')); return; }
    const newest = all.slice().reverse();
    setChildren(revBox, h('div', { class: 'table-wrap' }, h('table', null,
      h('caption', { class: 'visually-hidden' }, 'Form revisions'),
      h('thead', null, h('tr', null, ['Revision', 'Created', 'Current', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, newest.map((r) => h('tr', null,
        h('td', null, h('code', null, r.id)),
        h('td', null, time(r.created_at)),
        h('td', null, r.current ? badge('CURRENT') : '—'),
        h('td', null, h('button', { type: 'button', class: 'btn', 'aria-label': `Show revision ${r.id}`, onClick: () => showRevision(r) }, 'Show form'))))))));
  }

  async function loadForm() {
    try {
      const data = await api('POST', `/v1/ai-apply/postings/${encodeURIComponent(id)}/inquire`, { body: {}, signal: view.signal });
      setChildren(formBox, formPreview(data.application_form));
    } catch (e) {
      if (!isAbort(e)) setChildren(formBox, errorBox(e, 'Could not load the form'));
    }
  }

  const poller = poll(async () => {
    try {
      const page = await api('GET', '/v1/ai-apply/postings', { query: { ids: id }, signal: view.signal });
      posting = page.results[0] || null;
      if (!posting) {
        setChildren(facts, h('div', { class: 'msg msg-error', role: 'alert' }, `Posting ${id} was not found for this API key.`));
        archiveBtn.disabled = true;
        return;
      }
      title.textContent = posting.job_code ? `Posting ${posting.job_code}` : 'Posting';
      setChildren(facts, dl([
        ['URL', externalLink(posting.url)],
        ['Availability', badge(posting.availability)],
        ['Career site', posting.career_site?.label ?? '—'],
        ['Job code', posting.job_code ?? '—'],
        ['Archived', posting.archived_at ? [time(posting.archived_at), ' ', posting.archived_reason || ''] : '—'],
        ['Created', time(posting.created_at)],
        ['Updated', time(posting.updated_at)],
        ['Id', h('code', null, posting.id)],
      ]));
      archiveBtn.disabled = posting.availability === 'ARCHIVED';
      const formKey = `${posting.availability}|${posting.updated_at}`;
      loadRevisions().catch((e) => { if (!isAbort(e)) setChildren(revBox, errorBox(e, 'Could not load the revisions')); });
      if (pinned) {
        // An earlier revision is on screen: leave it there.
      } else if (posting.availability === 'APPLYABLE' && formShownFor !== formKey) {
        formShownFor = formKey;
        await loadForm();
      } else if (posting.availability !== 'APPLYABLE' && formShownFor !== formKey) {
        formShownFor = formKey;
        setChildren(formBox, h('p', { class: 'muted' }, `No form to show: the posting is ${posting.availability}.`));
      }
    } catch (e) {
      if (!isAbort(e)) setChildren(facts, errorBox(e, 'Could not load the posting'));
    }
  }, view.signal);

  archiveBtn.addEventListener('click', async () => {
    if (!posting) return;
    const ok = await confirmDialog({
      title: 'Archive this posting?',
      message: `${posting.url} will be ARCHIVED (MANUAL_ARCHIVE): no more applications, and a webhook tells your endpoints.`,
      confirm: 'Archive', danger: true,
    });
    if (!ok) { archiveBtn.focus(); return; }
    archiveBtn.disabled = true;
    try {
      const p = await api('POST', `/v1/ai-apply/postings/${encodeURIComponent(id)}/archive`, { body: {}, signal: view.signal });
      status.ok(`Archived (${p.archived_reason || 'MANUAL_ARCHIVE'}).`);
      poller.now();
    } catch (e) {
      if (!isAbort(e)) { status.error(e, 'Archive failed'); archiveBtn.disabled = false; }
    }
    archiveBtn.focus();
  });
}
