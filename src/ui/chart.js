// chart.js - deliveries per minute over the last hour, as an SVG bar chart built with DOM
// APIs (geometry and colours are SVG attributes and classes, never style attributes), with
// the same numbers as a table for screen readers and keyboard users.
import { h, svg, uid, fmtHourMinute, fmtInt } from './dom.js';

const W = 960, H = 240;
const PAD = { left: 44, right: 8, top: 12, bottom: 28 };

/** A round axis maximum at or above n (1, 2, 5 × 10^k). */
function niceMax(n) {
  if (n <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/** perMinute: [{minute, delivered, failed}], oldest first. Returns a <figure>. */
export function deliveriesChart(perMinute) {
  const rows = perMinute || [];
  const titleId = uid('chart');
  const descId = uid('chart');
  const delivered = rows.reduce((s, r) => s + (r.delivered || 0), 0);
  const failed = rows.reduce((s, r) => s + (r.failed || 0), 0);
  const max = niceMax(Math.max(0, ...rows.map((r) => (r.delivered || 0) + (r.failed || 0))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(rows.length, 1);
  const y = (v) => PAD.top + plotH - (v / max) * plotH;

  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img',
    'aria-labelledby': `${titleId} ${descId}`, preserveAspectRatio: 'xMidYMid meet',
  },
  svg('title', { id: titleId }, 'Deliveries per minute, last hour'),
  svg('desc', { id: descId }, `${fmtInt(delivered)} delivered and ${fmtInt(failed)} failed in ${rows.length} minutes.`));

  // Grid lines and their values.
  for (const v of [0, max / 2, max]) {
    chart.append(
      svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }),
      svg('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, fmtInt(v)));
  }
  rows.forEach((r, i) => {
    const x = PAD.left + i * slot + slot * 0.1;
    const w = Math.max(slot * 0.8, 1);
    const ok = r.delivered || 0, bad = r.failed || 0;
    const g = svg('g', { class: 'bar' }, svg('title', null, `${fmtHourMinute(r.minute)}: ${fmtInt(ok)} delivered, ${fmtInt(bad)} failed`));
    // An invisible full-height rectangle so every minute has a hover target.
    g.append(svg('rect', { x, y: PAD.top, width: w, height: plotH, class: 'bar-hit' }));
    if (ok) g.append(svg('rect', { x, y: y(ok), width: w, height: y(0) - y(ok), class: 'bar-ok' }));
    if (bad) g.append(svg('rect', { x, y: y(ok + bad), width: w, height: y(ok) - y(ok + bad), class: 'bar-fail' }));
    chart.append(g);
  });
  // Time labels: first, middle and last minute, in the viewer's zone.
  for (const i of [0, Math.floor(rows.length / 2), rows.length - 1]) {
    if (!rows[i]) continue;
    const anchor = i === 0 ? 'start' : i === rows.length - 1 ? 'end' : 'middle';
    const x = i === 0 ? PAD.left : i === rows.length - 1 ? W - PAD.right : PAD.left + (i + 0.5) * slot;
    chart.append(svg('text', { x, y: H - 8, 'text-anchor': anchor, class: 'axis' }, fmtHourMinute(rows[i].minute)));
  }

  const table = h('table', { class: 'compact' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Minute'), h('th', { scope: 'col' }, 'Delivered'), h('th', { scope: 'col' }, 'Failed'))),
    h('tbody', null, rows.map((r) => h('tr', null, h('td', null, fmtHourMinute(r.minute)), h('td', null, fmtInt(r.delivered)), h('td', null, fmtInt(r.failed))))));

  return h('figure', { class: 'chart-box' },
    chart,
    h('figcaption', null,
      h('span', { class: 'key key-ok' }, 'delivered'), ' ', h('span', { class: 'key key-fail' }, 'failed'),
      ' — deliveries per minute over the last hour'),
    h('details', null, h('summary', null, 'Show as a table'), h('div', { class: 'table-wrap' }, table)));
}
