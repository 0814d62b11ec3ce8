// stats.test.mjs - GET /v1/stats (our addition, for the dashboard) and the dashboard's files at
// /ui/: one tenant's postings by availability, applications by status, review queue, webhook
// deliveries per minute with failure rate and latency, per endpoint too; nothing of another
// tenant; and the page headers (CSP, no framing, ETag revalidation).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, startReceiver, client, waitFor } from './lib/harness.mjs';
import { resources, expectError } from './lib/helpers.mjs';

let engine, site, rcv, api, R, other;
before(async () => {
  site = await startSite();
  rcv = await startReceiver();
  engine = await startEngine({ keys: ['default:test-key-default', 'other:key-other'] });
  api = client(engine);
  R = resources(api);
  other = client(engine, 'key-other');
});
after(async () => {
  const code = await engine.stop();
  await site.stop();
  await rcv.stop();
  engine.cleanup();
  assert.equal(code, 0);
});

async function stats(c = api) {
  const res = await c.get('/v1/stats');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.status, 'success');
  return res.json.data;
}

test('stats: counts, deliveries and latency of the tenant only', async () => {
  const before = await stats();
  const good = await api.post('/v1/webhooks/endpoints', { url: rcv.hook('good') });
  assert.equal(good.status, 200, good.text);
  const bad = await api.post('/v1/webhooks/endpoints', { url: rcv.hook('bad') });
  await rcv.behave('bad', { mode: '500' });
  const p1 = await R.newPosting(site.jobUrl('backend-engineer'));
  const p2 = await R.newPosting(site.jobUrl('office-manager')); // no form: UNAVAILABLE
  await R.waitPosting(p1.id, 'APPLYABLE');
  await R.waitPosting(p2.id, 'UNAVAILABLE');
  await R.archive(p1.id);
  const s = await waitFor(async () => {
    const x = await stats();
    const ep = x.endpoints.find((e) => e.id === good.json.data.id);
    return ep && ep.delivered_last_hour >= 2 && x.endpoints.find((e) => e.id === bad.json.data.id)?.failed_last_hour >= 1 && x;
  }, { what: 'deliveries counted' });
  assert.equal(s.postings.ARCHIVED, before.postings.ARCHIVED + 1);
  assert.equal(s.postings.UNAVAILABLE, before.postings.UNAVAILABLE + 1);
  assert.deepEqual(Object.keys(s.applications).sort(), ['DUPLICATE', 'FAILED', 'PENDING', 'SUBMITTED']);
  assert.equal(typeof s.review_queue, 'number');
  assert.equal(s.deliveries.per_minute.length, 60);
  const last = s.deliveries.per_minute.at(-1);
  assert.ok(Date.parse(last.minute) <= Date.now() && Date.now() - Date.parse(last.minute) < 61000, 'the last entry is this minute');
  const sum = s.deliveries.per_minute.reduce((a, m) => a + m.delivered, 0);
  assert.equal(sum, s.deliveries.delivered_last_hour);
  assert.ok(s.deliveries.failed_last_hour >= 1);
  assert.ok(s.deliveries.failure_rate > 0 && s.deliveries.failure_rate < 1);
  for (const p of ['p50', 'p90', 'p99']) assert.equal(typeof s.deliveries.latency_ms[p], 'number');
  assert.ok(s.deliveries.latency_ms.p50 <= s.deliveries.latency_ms.p99);
  const ep = s.endpoints.find((e) => e.id === good.json.data.id);
  assert.equal(ep.success_rate, 1);
  assert.equal(s.endpoints.find((e) => e.id === bad.json.data.id).success_rate, 0);

  const o = await stats(other);
  assert.equal(o.postings.ARCHIVED + o.postings.UNAVAILABLE + o.postings.APPLYABLE, 0, 'another tenant sees none of it');
  assert.equal(o.deliveries.delivered_last_hour, 0);
  assert.deepEqual(o.endpoints, []);
  expectError(await api.get('/v1/stats?x=1'), 400, 'x');
  assert.equal((await client(engine, null).get('/v1/stats')).status, 401);
});

test('ui: the dashboard is served with a strict policy and revalidated by ETag', async () => {
  const r = await fetch(engine.url + '/ui/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  const html = await r.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline script');
  const etag = r.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(engine.url + '/ui/', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  const redirect = await fetch(engine.url + '/ui', { redirect: 'manual' });
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.get('location'), '/ui/');
  assert.equal((await fetch(engine.url + '/ui/../../etc/passwd')).status, 404);
  assert.equal((await fetch(engine.url + '/ui/nope.js')).status, 404);
});

test('test event: to the one endpoint only, whatever its event types', async () => {
  await rcv.clear();
  const a = (await api.post('/v1/webhooks/endpoints', { url: rcv.hook('t-a'), event_types: ['ai-apply-job-posting-status-updated'] })).json.data;
  await api.post('/v1/webhooks/endpoints', { url: rcv.hook('t-b') });
  const res = await api.post(`/v1/webhooks/endpoints/${a.id}/test`, {});
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.data.type, 'openapply.test');
  const got = await waitFor(async () => (await rcv.received('t-a')).find((x) => x.json?.type === 'openapply.test'), { what: 'the test event' });
  assert.equal(got.json.id, res.json.data.event_id);
  assert.equal(got.json.data.endpoint_id, a.id);
  assert.ok(got.headers['webhook-signature'], 'signed like any webhook');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await rcv.received('t-b')).filter((x) => x.json?.type === 'openapply.test').length, 0, 'no other endpoint');
  expectError(await other.post(`/v1/webhooks/endpoints/${a.id}/test`, {}), 404, 'not found');
  expectError(await api.post(`/v1/webhooks/endpoints/${a.id}/test`, { x: 1 }), 400, 'no fields');
});
