// widgets.js - pieces every page uses: error and status messages, cursor pagination, live
// lists that keep their rows (and the focus in them) across refreshes, a confirmation dialog.
import { h, setChildren, fmtTime, uid } from './dom.js';
import { errorText, isAbort } from './api.js';
import { poll } from './live.js';

/** An error message people can read (role=alert: screen readers say it at once). */
export function errorBox(err, prefix) {
  return h('div', { class: 'msg msg-error', role: 'alert' }, prefix ? `${prefix}: ` : '', errorText(err));
}

/** A polite status line for the outcome of an action: status.ok('Saved'), status.error(e). */
export function statusLine() {
  const el = h('p', { class: 'msg-line', role: 'status' });
  return {
    el,
    ok(text) { el.className = 'msg-line msg-ok'; setChildren(el, text); },
    info(text) { el.className = 'msg-line msg-info'; setChildren(el, text); },
    error(err, prefix) {
      el.className = 'msg-line msg-error';
      setChildren(el, prefix ? `${prefix}: ` : '', typeof err === 'string' ? err : errorText(err));
    },
    clear() { el.className = 'msg-line'; el.replaceChildren(); },
  };
}

/**
 * Keeps container's children in step with items, by key: an item whose data did not change
 * keeps its element (so focus and anything typed into it survive a refresh); a changed one
 * gets update(el, item) when given, else a fresh create(item). Only misplaced nodes move.
 */
export function syncKeyed(container, items, { key, create, update }) {
  const old = container._keyed || new Map();
  const next = new Map();
  for (const item of items) {
    const k = key(item);
    const sig = JSON.stringify(item);
    let entry = old.get(k);
    if (!entry) entry = { el: create(item), sig };
    else if (entry.sig !== sig) {
      if (update) update(entry.el, item);
      else { const fresh = create(item); entry.el.replaceWith(fresh); entry.el = fresh; }
      entry.sig = sig;
    }
    next.set(k, entry);
  }
  for (const [k, entry] of old) if (!next.has(k)) entry.el.remove();
  [...next.values()].forEach((entry, i) => {
    const at = container.children[i];
    if (at !== entry.el) container.insertBefore(entry.el, at || null);
  });
  container._keyed = next;
}

/** Cursor pagination over the API's `next`: a stack of the cursors of the pages seen. */
export class Pager {
  constructor(onChange) {
    this.cursors = [null];
    this.next = null;
    this.onChange = onChange;
    const label = uid('pager');
    this.prevBtn = h('button', { type: 'button', class: 'btn', disabled: true, onClick: () => this.move(-1) }, 'Previous page');
    this.nextBtn = h('button', { type: 'button', class: 'btn', disabled: true, onClick: () => this.move(1) }, 'Next page');
    this.info = h('span', { id: label, class: 'muted' }, 'Page 1');
    this.el = h('nav', { class: 'pager', 'aria-label': 'Pages' }, this.prevBtn, this.info, this.nextBtn);
  }

  get cursor() { return this.cursors[this.cursors.length - 1]; }

  /** Records the `next` of the page just loaded. */
  loaded(next) {
    this.next = next || null;
    this.prevBtn.disabled = this.cursors.length === 1;
    this.nextBtn.disabled = !this.next;
    this.info.textContent = `Page ${this.cursors.length}`;
  }

  move(dir) {
    if (dir > 0 && this.next) this.cursors.push(this.next);
    else if (dir < 0 && this.cursors.length > 1) this.cursors.pop();
    else return;
    this.onChange();
  }

  reset() { this.cursors = [null]; this.next = null; }
}

/**
 * A live table: fetches a page (through the Pager's cursor) now and every few seconds, and
 * shows its rows. opts: { caption, columns: [header...], fetch(cursor, signal) -> {results,
 * next}, filter(items) (client-side, over the loaded page), key(item), row(item) -> <tr>,
 * empty: text }. Returns { el, refresh() }.
 */
export function liveTable(view, opts) {
  const tbody = h('tbody');
  const status = h('p', { class: 'list-status muted' }, 'Loading…');
  const problem = h('div');
  const empty = h('p', { class: 'empty', hidden: true }, opts.empty || 'Nothing here yet.');
  const pager = new Pager(() => poller.now());
  const table = h('table', null,
    h('caption', { class: 'visually-hidden' }, opts.caption),
    h('thead', null, h('tr', null, opts.columns.map((c) => h('th', { scope: 'col' }, c)))),
    tbody);
  const el = h('div', { class: 'live-list' }, problem, h('div', { class: 'table-wrap' }, table), empty, h('div', { class: 'list-foot' }, status, pager.el));

  async function load() {
    try {
      const page = await opts.fetch(pager.cursor, view.signal);
      const items = opts.filter ? opts.filter(page.results) : page.results;
      syncKeyed(tbody, items, { key: opts.key, create: opts.row });
      empty.hidden = items.length > 0;
      pager.loaded(page.next);
      problem.replaceChildren();
      status.textContent = `${items.length} shown${opts.filter && items.length !== page.results.length ? ` of ${page.results.length} loaded` : ''} · updated ${fmtTime(new Date().toISOString())}`;
    } catch (e) {
      if (isAbort(e)) return;
      setChildren(problem, errorBox(e, `Could not load ${opts.caption.toLowerCase()}`));
    }
  }
  const poller = poll(load, view.signal);
  return {
    el,
    refresh: () => poller.now(),
    /** Filters changed: back to the first page. */
    restart: () => { pager.reset(); poller.now(); },
  };
}

/**
 * Asks for confirmation in a modal <dialog> (keyboard: Tab between the buttons, Escape
 * cancels). Resolves true when confirmed.
 */
export function confirmDialog({ title, message, confirm = 'Confirm', danger = false }) {
  return new Promise((resolve) => {
    const titleId = uid('dlg');
    const descId = uid('dlg');
    const cancelBtn = h('button', { type: 'button', class: 'btn', onClick: () => dlg.close('cancel') }, 'Cancel');
    const okBtn = h('button', { type: 'button', class: ['btn', danger ? 'btn-danger' : 'btn-primary'], onClick: () => dlg.close('ok') }, confirm);
    const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': descId },
      h('h2', { id: titleId }, title),
      h('p', { id: descId }, message),
      h('div', { class: 'actions' }, cancelBtn, okBtn));
    dlg.addEventListener('close', () => {
      dlg.remove();
      resolve(dlg.returnValue === 'ok');
    });
    document.body.append(dlg);
    dlg.showModal();
    cancelBtn.focus();
  });
}

/** The page size of a list: the route's ?page_size= (1-250) or the default. */
export function pageSize(view, fallback) {
  const n = Number(view.query.get('page_size'));
  return Number.isInteger(n) && n >= 1 && n <= 250 ? n : fallback;
}

/** A page heading that receives focus after navigation (so screen readers announce it). */
export function pageTitle(text, props = {}) {
  return h('h1', { tabindex: '-1', class: 'page-title', ...props }, text);
}
