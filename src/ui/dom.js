// dom.js - building the page with DOM APIs only.
//
// Everything the dashboard shows comes from the API, and much of that comes from career sites
// and candidates (labels, options, URLs, answers, webhook payloads): hostile text. So nothing
// here ever parses HTML: h() sets text with text nodes, attributes with setAttribute, and
// refuses `style` and `innerHTML` (the page's Content-Security-Policy forbids inline styles
// anyway; looks come from classes in app.css).

const SVG_NS = 'http://www.w3.org/2000/svg';
// Properties set as DOM properties (their attributes mean "initial value" only).
const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'required', 'multiple', 'readOnly']);

function setProps(el, props) {
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'style' || k === 'innerHTML' || k === 'outerHTML') throw new Error(`h(): "${k}" is not allowed`);
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'class') el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    else if (PROPS.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

/** Appends children: strings and numbers become text nodes; arrays are flattened; null skipped. */
export function append(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** An HTML element: h('button', { type: 'button', onClick }, 'Save'). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  return append(el, children);
}

/** An SVG element (presentation attributes such as fill= are attributes, not styles). */
export function svg(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setProps(el, props);
  return append(el, children);
}

/** Replaces el's children. */
export function setChildren(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let nextId = 0;
/** A fresh element id (for label for=, aria-describedby, aria-controls). */
export const uid = (prefix = 'id') => `${prefix}-${++nextId}`;

/** The URL if it is http(s), else null: only such URLs become links. */
export function safeHref(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** A link to another site (opened in a new tab), or plain text when the URL is not http(s). */
export function externalLink(url, text = url) {
  const href = safeHref(url);
  if (!href) return h('span', { class: 'mono' }, text);
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'mono break' }, text);
}

// ---- formatting: the viewer's locale and time zone ----------------------------------------

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const hourMinute = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const integer = new Intl.NumberFormat();
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** The viewer's time zone, e.g. "Europe/Berlin". */
export const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A <time> element showing an ISO time in the viewer's zone ("—" for none). */
export function time(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return h('span', null, String(iso));
  return h('time', { datetime: d.toISOString(), title: d.toISOString() }, dateTime.format(d));
}

export const fmtTime = (iso) => (iso ? dateTime.format(new Date(iso)) : '—');
export const fmtHourMinute = (iso) => hourMinute.format(new Date(iso));
export const fmtInt = (n) => (n === null || n === undefined ? '—' : integer.format(n));
export const fmtPercent = (x) => (x === null || x === undefined ? '—' : percent.format(x));
export const fmtMs = (n) => (n === null || n === undefined ? '—' : `${integer.format(n)} ms`);

/** Bytes in a readable unit. */
export function fmtBytes(n) {
  if (typeof n !== 'number') return '?';
  if (n < 1024) return `${integer.format(n)} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A status word as a badge (class from the value, text as is). */
export function badge(value) {
  const v = String(value ?? '—');
  return h('span', { class: ['badge', `badge-${v.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`] }, v);
}

/** A <dl> of [term, value] pairs (values may be nodes); pairs with value undefined are skipped. */
export function dl(pairs, cls = 'facts') {
  const el = h('dl', { class: cls });
  for (const [k, v] of pairs) {
    if (v === undefined) continue;
    el.append(h('div', null, h('dt', null, k), h('dd', null, v ?? '—')));
  }
  return el;
}
