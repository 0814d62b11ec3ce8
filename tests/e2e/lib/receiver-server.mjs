// receiver-server.mjs - a webhook receiver process for the end-to-end tests.
//
//   node receiver-server.mjs [--port 0]   prints "receiver listening on http://127.0.0.1:PORT"
//
// POST /hook/NAME records the request (headers, exact body bytes as base64, time) and answers
// according to NAME's behaviour, set with POST /__admin/behave/NAME {mode, n, event_id,
// retry_after, status}:
//   ok (200, default) | status (answer `status`) | 500 | 302 | 410 | hang (never answer) |
//   fail_first (500 to the first `n` requests, for `event_id` only when given) |
//   slow (answer 200 after `delay_ms`)
// GET /__admin/received?name=NAME lists what arrived; GET /__admin/summary?name=NAME counts it
// (requests per webhook-id, last state per resource, the most requests in flight at once, and
// `overlaps`: requests that arrived while another of the same webhook-id was still being
// answered, i.e. one message sent twice at the same time); DELETE /__admin/received clears.
import { createServer } from 'node:http';

const args = process.argv.slice(2);
const port = Number(args[args.indexOf('--port') + 1] || 0) || 0;
const received = [];
const behaviour = new Map();
const failures = new Map(); // name|event -> failures served
const hung = new Set();
// Requests being answered per hook name, and the most at once (summary: max_open), so that a
// test can check a bound on requests in flight.
const open = new Map(), maxOpen = new Map();
// Requests being answered per webhook-id, and the arrivals that found one already open.
const openIds = new Map(), overlaps = new Map();

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/__admin/')) {
      if (req.method === 'GET' && url.pathname === '/__admin/received') {
        const name = url.searchParams.get('name');
        return send(res, 200, { received: received.filter((r) => !name || r.name === name) });
      }
      if (req.method === 'GET' && url.pathname === '/__admin/summary') {
        // For large runs: how many requests per webhook-id, and the last payload state per
        // resource (data.availability or data.status), without the bodies.
        const name = url.searchParams.get('name');
        const ids = {}, last = {};
        let total = 0;
        for (const r of received) {
          if (name && r.name !== name) continue;
          total++;
          const id = r.headers['webhook-id'];
          ids[id] = (ids[id] ?? 0) + 1;
          if (r.resource) last[r.resource] = r.state;
        }
        return send(res, 200, { total, ids, last, max_open: maxOpen.get(name) ?? 0, overlaps: overlaps.get(name) ?? 0 });
      }
      if (req.method === 'DELETE' && url.pathname === '/__admin/received') {
        received.length = 0;
        failures.clear();
        maxOpen.clear();
        overlaps.clear();
        return send(res, 200, { ok: true });
      }
      const m = url.pathname.match(/^\/__admin\/behave\/([\w.-]+)$/);
      if (req.method === 'POST' && m) {
        behaviour.set(m[1], body.length ? JSON.parse(body.toString()) : { mode: 'ok' });
        return send(res, 200, { ok: true });
      }
      return send(res, 404, { error: 'unknown admin call' });
    }
    const m = url.pathname.match(/^\/hook\/([\w.-]+)$/);
    if (!m || req.method !== 'POST') return send(res, 404, { error: 'no such hook' });
    const name = m[1];
    let eventId = null, resource = null, state = null;
    try {
      const ev = JSON.parse(body.toString());
      eventId = ev.id;
      resource = ev.data?.id ?? null;
      state = ev.data?.availability ?? ev.data?.status ?? null;
    } catch { /* recorded as is */ }
    received.push({ name, at: Date.now(), headers: req.headers, body_b64: body.toString('base64'), event_id: eventId,
      client_port: req.socket.remotePort, resource, state });
    open.set(name, (open.get(name) ?? 0) + 1);
    maxOpen.set(name, Math.max(maxOpen.get(name) ?? 0, open.get(name)));
    const wid = req.headers['webhook-id'] ?? '';
    if (openIds.get(wid)) overlaps.set(name, (overlaps.get(name) ?? 0) + 1);
    openIds.set(wid, (openIds.get(wid) ?? 0) + 1);
    let closed = false;
    const done = () => {
      if (closed) return;
      closed = true;
      open.set(name, open.get(name) - 1);
      if (openIds.get(wid) > 1) openIds.set(wid, openIds.get(wid) - 1);
      else openIds.delete(wid);
    };
    res.once('finish', done);
    res.once('close', done);
    const b = behaviour.get(name) || { mode: 'ok' };
    const extra = b.retry_after !== undefined ? { 'retry-after': String(b.retry_after) } : {};
    switch (b.mode) {
      case 'status': return send(res, b.status, { status: b.status }, extra);
      case '500': return send(res, 500, { error: 'receiver configured to fail' }, extra);
      case '302': return send(res, 302, '', { location: 'http://127.0.0.1:1/elsewhere' });
      case '410': return send(res, 410, { error: 'gone' });
      case 'hang': hung.add(res); return undefined;
      case 'slow': setTimeout(() => send(res, 200, { ok: true }), b.delay_ms ?? 100); return undefined;
      case 'fail_first': {
        if (b.event_id && b.event_id !== eventId) return send(res, 200, { ok: true });
        const key = `${name}|${b.event_id ?? ''}`;
        const served = failures.get(key) ?? 0;
        if (served < (b.n ?? 1)) { failures.set(key, served + 1); return send(res, 500, { error: `failure ${served + 1}` }, extra); }
        return send(res, 200, { ok: true });
      }
      default: return send(res, 200, { ok: true });
    }
  });
});
server.keepAliveTimeout = 30000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`receiver listening on http://127.0.0.1:${server.address().port}\n`);
});
const stop = () => { for (const r of hung) r.destroy(); server.close(() => process.exit(0)); server.closeAllConnections?.(); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
