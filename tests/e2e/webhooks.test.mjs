// webhooks.test.mjs - webhook delivery against a real receiver process: signatures (checked
// by an independent implementation and by the reference `standardwebhooks` package), payloads
// (schema, equal to GET), retries with the same webhook-id, the attempt log, redelivery,
// recovery, rotation, event-type filters, ordering across retries, isolation of a hanging
// endpoint, tenants, 410 / failure-streak disabling, operational events, SSRF refusals.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { startEngine, startSite, startReceiver, client, waitFor } from './lib/harness.mjs';
import { assertSchema } from './lib/schema.mjs';
import { kombo, standard, verifies, kombosVerifies } from './lib/verify.mjs';

const POSTING = 'ai-apply-job-posting-status-updated';
const APPLICATION = 'ai-apply-application-status-updated';

let site, rcv, engine, api, nhook = 0;
const hookName = (p) => `${p}-${++nhook}`;

before(async () => {
  site = await startSite();
  rcv = await startReceiver();
  engine = await startEngine({
    keys: ['default:test-key-default', 'other:test-key-other'],
    args: ['--retry-schedule', '0,300ms,300ms', '--webhook-timeout', '8s', '--secret-grace', '24h'],
  });
  api = client(engine);
});
after(async () => {
  const code = await engine.stop();
  await rcv.stop();
  await site.stop();
  engine.cleanup();
  assert.equal(code, 0, 'engine exits cleanly');
});

async function endpoint(name, extra = {}, c = api) {
  const r = await c.post('/v1/webhooks/endpoints', { url: rcv.hook(name), ...extra });
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.data.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  return r.json.data;
}

let siteId;
async function posting(slug = 'backend-engineer', c = api) {
  if (!siteId || c !== api) {
    const cs = await c.post('/v1/ai-apply/career-sites', { label: 'Webhook Co' });
    if (c !== api) return (await c.post('/v1/ai-apply/postings', { url: site.jobUrl(slug), career_site_id: cs.json.data.id })).json.data;
    siteId = cs.json.data.id;
  }
  const p = await c.post('/v1/ai-apply/postings', { url: `${site.jobUrl(slug)}?n=${Math.random()}`, career_site_id: siteId });
  assert.equal(p.status, 200, p.text);
  return p.json.data;
}

/* Waits until the postings are APPLYABLE (their first event written), so that an archive
 * afterwards is a second event rather than racing the parse. */
async function applyable(ps) {
  const ids = ps.map((p) => p.id).join(',');
  await waitFor(async () => {
    const r = await api.get(`/v1/ai-apply/postings?page_size=250&ids=${ids}`);
    return r.json.data.results.every((p) => p.availability === 'APPLYABLE');
  }, { what: 'postings APPLYABLE' });
}

const received = (name, n, what) => waitFor(async () => {
  const r = await rcv.received(name);
  return r.length >= n && r;
}, { what: what ?? `${n} request(s) at ${name}` });

describe('signatures and payloads', () => {
  test('every webhook verifies with both schemes and matches the GET result', async () => {
    const name = hookName('sig');
    const ep = await endpoint(name);
    const p = await posting();
    const [req] = await received(name, 1);
    const h = req.headers;
    assert.equal(h['content-type'], 'application/json');
    assert.match(h['user-agent'], /^openapply\/\d+\.\d+\.\d+/);
    assert.equal(h['webhook-id'], req.json.id, 'webhook-id is the event id');
    assert.match(h['webhook-timestamp'], /^\d{10}$/);
    assert.ok(Math.abs(Number(h['webhook-timestamp']) - Date.now() / 1000) < 300);
    // Independent implementation (node:crypto) ...
    assert.equal(h['x-kombo-signature'], kombo(ep.secret, req.raw));
    assert.equal(h['webhook-signature'], standard(ep.secret, h['webhook-id'], h['webhook-timestamp'], req.raw));
    // ... and the reference library.
    const payload = new Webhook(ep.secret).verify(req.body, h);
    assert.equal(payload.id, req.json.id);
    assert.throws(() => new Webhook(ep.secret).verify(req.body.replace('APPLYABLE', 'ARCHIVED'), h), /signature/i);
    // The payload is the schema's, and equals what GET returns.
    assertSchema('AiApplyJobPostingStatusUpdatedWebhookPayload', req.json);
    assert.equal(req.json.type, POSTING);
    const g = await api.get(`/v1/ai-apply/postings?ids=${p.id}`);
    assert.deepEqual(req.json.data, g.json.data.results[0]);
    assert.equal(req.json.data.availability, 'APPLYABLE');
  });

  test('application events are signed and match GET /applications', async () => {
    const name = hookName('app');
    const ep = await endpoint(name, { event_types: [APPLICATION] });
    const p = await posting();
    await waitFor(async () => (await api.get(`/v1/ai-apply/postings?ids=${p.id}`)).json.data.results[0].availability === 'APPLYABLE');
    const inq = await api.post(`/v1/ai-apply/postings/${p.id}/inquire`, {});
    const { answerAll } = await import('./lib/forms.mjs');
    const ap = await api.post('/v1/ai-apply/apply', {
      submission_token: inq.json.data.submission_token, candidate_email: 'hooks@example.com',
      screening_question_answers: answerAll(inq.json.data.application_form),
    });
    assert.equal(ap.status, 200, ap.text);
    const [req] = await received(name, 1);
    assert.ok(verifies(ep.secret, req) && kombosVerifies(ep.secret, req));
    assertSchema('AiApplyApplicationStatusUpdatedWebhookPayload', req.json);
    assert.equal(req.json.type, APPLICATION, 'the endpoint only gets the type it subscribed to');
    const g = await api.get(`/v1/ai-apply/applications?ids=${ap.json.data.id}`);
    assert.deepEqual(req.json.data, g.json.data.results[0]);
    assert.equal(req.json.data.status, 'SUBMITTED');
  });
});

describe('retries, attempt log, redelivery, recovery', () => {
  test('a failing endpoint gets retries with the same webhook-id, all logged', async () => {
    const name = hookName('retry');
    await rcv.behave(name, { mode: 'fail_first', n: 2 });
    const ep = await endpoint(name, { event_types: [POSTING] });
    await posting();
    const reqs = await received(name, 3);
    const ids = new Set(reqs.map((r) => r.headers['webhook-id']));
    assert.equal(ids.size, 1, 'same webhook-id on every retry');
    for (const r of reqs) assert.ok(verifies(ep.secret, r), 'each retry is freshly signed');
    const evId = reqs[0].json.id;
    const att = await waitFor(async () => {
      const a = await api.get(`/v1/webhooks/events/${evId}/attempts`);
      const mine = a.json.data.results.filter((x) => x.endpoint_id === ep.id);
      return mine.length === 3 && mine;
    });
    assert.deepEqual(att.map((a) => a.status_code), [500, 500, 200]);
    assert.deepEqual(att.map((a) => a.attempt), [1, 2, 3]);
    assert.equal(att[0].endpoint_id, ep.id);
    assert.match(att[0].error, /HTTP 500/);
    assert.match(att[0].response_excerpt, /failure 1/);
    assert.equal(typeof att[0].latency_ms, 'number');
    const ev = await api.get(`/v1/webhooks/events/${evId}`);
    assert.equal(ev.status, 200);
    const d = ev.json.data.deliveries.find((x) => x.endpoint_id === ep.id);
    assert.equal(d.status, 'delivered');
    assert.equal(d.attempts, 3);
  });

  test('a redirect is a failure, not followed', async () => {
    const name = hookName('redirect');
    await rcv.behave(name, { mode: '302' });
    const ep = await endpoint(name, { event_types: [POSTING] });
    await posting();
    const reqs = await received(name, 3, 'all three attempts');
    const evId = reqs[0].json.id;
    const ev = await waitFor(async () => {
      const e = await api.get(`/v1/webhooks/events/${evId}`);
      const d = e.json.data.deliveries.find((x) => x.endpoint_id === ep.id);
      return d.status === 'failed' && d;
    });
    assert.equal(ev.last_status_code, 302);
    assert.match(ev.last_error, /redirect/);
    await api.call('DELETE', `/v1/webhooks/endpoints/${ep.id}`);
  });

  test('exhausted deliveries are failed, announced, redeliverable and recoverable', async () => {
    const name = hookName('dead');
    const ops = hookName('ops');
    await rcv.behave(name, { mode: '500' });
    const ep = await endpoint(name, { event_types: [POSTING] });
    const opsEp = await endpoint(ops, { event_types: ['openapply.delivery.exhausted'] });
    const since = new Date().toISOString();
    await posting();
    const reqs = await received(name, 3);
    const evId = reqs[0].json.id;
    await waitFor(async () => (await api.get(`/v1/webhooks/events/${evId}`)).json.data.deliveries.find((x) => x.endpoint_id === ep.id).status === 'failed');
    // The operational event reached the endpoint subscribed to it.
    const op = await waitFor(async () => (await rcv.received(ops)).find((r) => r.json.data.endpoint_id === ep.id),
      { what: 'the exhausted event for this endpoint' });
    assert.ok(verifies(opsEp.secret, op));
    assert.equal(op.json.type, 'openapply.delivery.exhausted');
    assert.equal(op.json.data.event_id, evId);
    assert.equal(op.json.data.endpoint_id, ep.id);
    assert.equal(op.json.data.attempts, 3);
    assert.equal(op.json.data.last_status_code, 500);
    // Nothing more arrives on its own.
    assert.equal((await rcv.received(name)).length, 3);
    // Redeliver one event: same webhook-id.
    await rcv.behave(name, { mode: 'ok' });
    const rd = await api.post(`/v1/webhooks/events/${evId}/redeliver`, {});
    assert.equal(rd.status, 200, rd.text);
    assert.equal(rd.json.data.deliveries_queued >= 1, true);
    const after = await received(name, 4);
    assert.equal(after[3].headers['webhook-id'], evId);
    // Recover: every failed delivery of an endpoint since a time.
    await rcv.behave(name, { mode: '500' });
    await posting();
    await posting();
    await received(name, 4 + 6, 'two more events, three attempts each');
    await waitFor(async () => {
      const evs = await api.get(`/v1/webhooks/events?type=${POSTING}&page_size=250`);
      const mine = [];
      for (const e of evs.json.data.results) {
        const d = (await api.get(`/v1/webhooks/events/${e.id}`)).json.data.deliveries.find((x) => x.endpoint_id === ep.id);
        if (d) mine.push(d.status);
      }
      return mine.filter((s) => s === 'failed').length === 2;
    }, { what: 'two failed deliveries' });
    await rcv.behave(name, { mode: 'ok' });
    const rec = await api.post(`/v1/webhooks/endpoints/${ep.id}/recover`, { since });
    assert.equal(rec.status, 200, rec.text);
    assert.equal(rec.json.data.recovered, 2);
    await received(name, 12, 'both recovered deliveries');
    const bad = await api.post(`/v1/webhooks/endpoints/${ep.id}/recover`, { since: 'yesterday' });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /since/);
    await api.call('DELETE', `/v1/webhooks/endpoints/${ep.id}`);
    await api.call('DELETE', `/v1/webhooks/endpoints/${opsEp.id}`);
  });
});

describe('rotation, filters, management', () => {
  test('after rotation both secrets verify during the grace period', async () => {
    const name = hookName('rot');
    const ep = await endpoint(name, { event_types: [POSTING] });
    const rot = await api.post(`/v1/webhooks/endpoints/${ep.id}/rotate-secret`, {});
    assert.equal(rot.status, 200, rot.text);
    const fresh = rot.json.data.secret;
    assert.notEqual(fresh, ep.secret);
    assert.ok(rot.json.data.previous_secret_expires_at);
    await posting();
    const [req] = await received(name, 1);
    const sigs = req.headers['webhook-signature'].split(' ');
    assert.equal(sigs.length, 2, 'two signatures, space separated');
    assert.ok(verifies(fresh, req) && verifies(ep.secret, req));
    new Webhook(fresh).verify(req.body, req.headers);
    new Webhook(ep.secret).verify(req.body, req.headers);
    assert.ok(kombosVerifies(fresh, req), 'X-Kombo-Signature uses the new secret');
    // A rotation with no grace: only the newest secret signs.
    const rot2 = await api.post(`/v1/webhooks/endpoints/${ep.id}/rotate-secret`, { grace_period: '0' });
    await posting();
    const reqs = await received(name, 2);
    assert.equal(reqs[1].headers['webhook-signature'].split(' ').length, 1);
    assert.ok(verifies(rot2.json.data.secret, reqs[1]));
    assert.ok(!verifies(fresh, reqs[1]));
  });

  test('endpoints: list hides secrets, patch, disable/enable, delete, bad input', async () => {
    const name = hookName('crud');
    const ep = await endpoint(name, { description: 'ATS sync', event_types: [POSTING] });
    const list = await api.get('/v1/webhooks/endpoints?page_size=250');
    const mine = list.json.data.results.find((e) => e.id === ep.id);
    assert.equal(mine.description, 'ATS sync');
    assert.equal(mine.secret, undefined, 'secrets are not listed');
    const one = await api.get(`/v1/webhooks/endpoints/${ep.id}`);
    assert.equal(one.json.data.secret, ep.secret);
    const off = await api.call('PATCH', `/v1/webhooks/endpoints/${ep.id}`, { enabled: false });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.json.data.enabled, false);
    const missed = await posting();
    await waitFor(async () => (await api.get(`/v1/webhooks/events?resource_id=${missed.id}`)).json.data.results.length === 1);
    const on = await api.call('PATCH', `/v1/webhooks/endpoints/${ep.id}`, { enabled: true, event_types: null });
    assert.equal(on.json.data.enabled, true);
    assert.equal(on.json.data.event_types, null);
    const p2 = await posting();
    const [got] = await received(name, 1, 'events after re-enabling arrive');
    assert.equal(got.json.data.id, p2.id, 'events written while disabled are not queued for it');
    const del = await api.call('DELETE', `/v1/webhooks/endpoints/${ep.id}`);
    assert.equal(del.status, 200);
    assert.equal((await api.get(`/v1/webhooks/endpoints/${ep.id}`)).status, 404);
    for (const [body, word] of [
      [{}, 'url'], [{ url: 'ftp://example.com/' }, 'http'], [{ url: 5 }, 'url'],
      [{ url: rcv.hook('x'), event_types: ['nope'] }, 'event type'], [{ url: rcv.hook('x'), event_types: [] }, 'event_types'],
      [{ url: rcv.hook('x'), event_types: 'all' }, 'event_types'], [{ url: 'https://' }, 'url'],
    ]) {
      const r = await api.post('/v1/webhooks/endpoints', body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} -> ${r.text}`);
      assert.match(r.json.error.message.toLowerCase(), new RegExp(word.toLowerCase()));
    }
    const r = await api.call('PATCH', `/v1/webhooks/endpoints/${ep.id}`, { enabled: 'yes' });
    assert.equal(r.status, 400);
    assert.equal((await api.call('PUT', `/v1/webhooks/endpoints/${ep.id}`, {})).status, 405);
  });

  test('event log: list with filters and pagination, get, unknown ids', async () => {
    const p = await posting();
    await waitFor(async () => (await api.get(`/v1/webhooks/events?resource_id=${p.id}`)).json.data.results.length === 1);
    const byRes = await api.get(`/v1/webhooks/events?resource_id=${p.id}`);
    const ev = byRes.json.data.results[0];
    assert.equal(ev.type, POSTING);
    assert.equal(ev.payload.data.id, p.id);
    const page1 = await api.get(`/v1/webhooks/events?type=${POSTING}&page_size=2`);
    assert.equal(page1.json.data.results.length, 2);
    assert.ok(page1.json.data.next);
    const page2 = await api.get(`/v1/webhooks/events?type=${POSTING}&page_size=2&cursor=${page1.json.data.next}`);
    assert.notEqual(page2.json.data.results[0].id, page1.json.data.results[0].id);
    assert.equal((await api.get('/v1/webhooks/events?type=bogus')).status, 400);
    assert.equal((await api.get('/v1/webhooks/events/AAAAAAAAAAAAAAAAAAAAAAAA')).status, 404);
    assert.equal((await api.post('/v1/webhooks/events/AAAAAAAAAAAAAAAAAAAAAAAA/redeliver', {})).status, 404);
  });
});

describe('connections, Retry-After, failure streaks', () => {
  test('deliveries to one endpoint reuse kept-alive connections', async () => {
    const name = hookName('keepalive');
    const ep = await endpoint(name, { event_types: [POSTING] });
    const ps = [];
    for (let i = 0; i < 10; i++) ps.push(await posting());
    await applyable(ps);
    for (const p of ps) await api.post(`/v1/ai-apply/postings/${p.id}/archive`, {});
    const reqs = await received(name, 20);
    const uses = new Map();
    for (const r of reqs) uses.set(r.client_port, (uses.get(r.client_port) ?? 0) + 1);
    const most = Math.max(...uses.values());
    assert.ok(uses.size < reqs.length, `20 deliveries over ${uses.size} connection(s)`);
    assert.ok(most >= 3, `one connection carried ${most} deliveries`);
    await api.call('DELETE', `/v1/webhooks/endpoints/${ep.id}`);
  });

  test('Retry-After sets the next attempt within bounds', async () => {
    const name = hookName('ra');
    await rcv.behave(name, { mode: 'status', status: 503, retry_after: 3600 });
    const ep = await endpoint(name, { event_types: [POSTING] });
    await posting();
    const [req] = await received(name, 1);
    const d = await waitFor(async () => {
      const e = await api.get(`/v1/webhooks/events/${req.json.id}`);
      const x = e.json.data.deliveries.find((y) => y.endpoint_id === ep.id);
      return x.attempts === 1 && x;
    });
    assert.equal(d.status, 'pending');
    assert.equal(d.last_status_code, 503);
    const att = (await api.get(`/v1/webhooks/events/${req.json.id}/attempts`)).json.data.results.find((a) => a.endpoint_id === ep.id);
    const gap = Date.parse(d.next_attempt_at) - Date.parse(att.attempted_at);
    // The schedule says 300 ms; the endpoint asked for an hour, and gets it.
    assert.ok(gap > 59 * 60 * 1000 && gap < 61 * 60 * 1000, `next attempt ${gap} ms after the 503`);
    await api.call('DELETE', `/v1/webhooks/endpoints/${ep.id}`);
  });

  test('an endpoint failing every attempt for --endpoint-disable-after is disabled', async () => {
    const e2 = await startEngine({ args: ['--retry-schedule', '0,400ms,400ms,400ms,400ms,400ms', '--endpoint-disable-after', '1s'] });
    try {
      const c = client(e2);
      const name = hookName('streak');
      const ops = hookName('streak-ops');
      await rcv.behave(name, { mode: '500' });
      const ep = (await c.post('/v1/webhooks/endpoints', { url: rcv.hook(name), event_types: [POSTING] })).json.data;
      await c.post('/v1/webhooks/endpoints', { url: rcv.hook(ops), event_types: ['openapply.endpoint.disabled'] });
      const cs = await c.post('/v1/ai-apply/career-sites', { label: 'Streak' });
      await c.post('/v1/ai-apply/postings', { url: site.jobUrl('backend-engineer'), career_site_id: cs.json.data.id });
      const [op] = await received(ops, 1, 'the endpoint.disabled event');
      assert.equal(op.json.data.endpoint_id, ep.id);
      assert.match(op.json.data.reason, /failed/);
      const g = await c.get(`/v1/webhooks/endpoints/${ep.id}`);
      assert.equal(g.json.data.enabled, false);
      const attempts = (await rcv.received(name)).length;
      assert.ok(attempts >= 3, `several failed attempts spanning the window (${attempts})`);
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal((await rcv.received(name)).length, attempts, 'no attempts once disabled');
    } finally {
      assert.equal(await e2.stop(), 0);
      e2.cleanup();
    }
  });
});

describe('ordering and isolation', () => {
  test("one resource's events arrive in order across retries; others are not held back", async () => {
    const name = hookName('order');
    await rcv.behave(name, { mode: 'fail_first', n: 2 });
    await endpoint(name, { event_types: [POSTING] });
    const p = await posting();
    // Event 1 (APPLYABLE) is being retried when event 2 (ARCHIVED) is written.
    await received(name, 1, 'first failed attempt');
    const arch = await api.post(`/v1/ai-apply/postings/${p.id}/archive`, {});
    assert.equal(arch.status, 200);
    const reqs = await received(name, 4);
    const ok = reqs.filter((r, i) => i >= 2);
    assert.deepEqual(reqs.map((r) => r.json.data.availability), ['APPLYABLE', 'APPLYABLE', 'APPLYABLE', 'ARCHIVED']);
    assert.equal(ok[1].json.data.archived_reason, 'MANUAL_ARCHIVE');
  });

  test('an exhausted event lets the next one of the same resource go', async () => {
    const name = hookName('exh');
    await rcv.behave(name, { mode: 'fail_first', n: 3 });
    await endpoint(name, { event_types: [POSTING] });
    const p = await posting();
    await received(name, 1);
    await api.post(`/v1/ai-apply/postings/${p.id}/archive`, {});
    const reqs = await received(name, 4);
    assert.deepEqual(reqs.map((r) => r.json.data.availability), ['APPLYABLE', 'APPLYABLE', 'APPLYABLE', 'ARCHIVED']);
    assert.equal(reqs[3].json.data.id, p.id);
  });

  test('a hanging endpoint does not delay a healthy one', async () => {
    const slow = hookName('hang');
    const fast = hookName('fast');
    await rcv.behave(slow, { mode: 'hang' });
    const hangEp = await endpoint(slow, { event_types: [POSTING] });
    await endpoint(fast, { event_types: [POSTING] });
    const ps = [];
    for (let i = 0; i < 12; i++) ps.push(await posting());
    await applyable(ps);
    for (const p of ps) await api.post(`/v1/ai-apply/postings/${p.id}/archive`, {});
    // 24 events reach the healthy endpoint while the hanging one has not finished a single
    // attempt (each of its attempts waits for the 8 s timeout).
    const got = await received(fast, 24);
    const ids = new Set(got.map((r) => r.json.id));
    assert.equal(ids.size, 24);
    const hung = await rcv.received(slow);
    assert.ok(hung.length >= 1 && hung.length <= 8, `at most the per-endpoint bound in flight, got ${hung.length}`);
    const ev = await api.get(`/v1/webhooks/events/${hung[0].json.id}/attempts`);
    assert.equal(ev.json.data.results.filter((a) => a.endpoint_id === hangEp.id).length, 0, 'the hanging attempts have not completed yet');
    await api.call('DELETE', `/v1/webhooks/endpoints/${hangEp.id}`);
  });
});

describe('tenants, disabling, metrics', () => {
  test("tenants never see or receive each other's events", async () => {
    const other = client(engine, 'test-key-other');
    const nameA = hookName('tenA');
    const nameB = hookName('tenB');
    const a = await endpoint(nameA, { event_types: [POSTING] });
    const b = await endpoint(nameB, { event_types: [POSTING] }, other);
    const p = await posting();
    const [req] = await received(nameA, 1);
    assert.equal(req.json.data.id, p.id);
    assert.equal((await rcv.received(nameB)).length, 0);
    assert.equal((await other.get(`/v1/webhooks/events/${req.json.id}`)).status, 404);
    assert.equal((await other.get(`/v1/webhooks/events/${req.json.id}/attempts`)).status, 404);
    assert.equal((await other.post(`/v1/webhooks/events/${req.json.id}/redeliver`, {})).status, 404);
    assert.equal((await other.get(`/v1/webhooks/endpoints/${a.id}`)).status, 404);
    assert.equal((await other.call('DELETE', `/v1/webhooks/endpoints/${a.id}`)).status, 404);
    assert.equal((await api.get(`/v1/webhooks/endpoints/${b.id}`)).status, 404);
    const list = await other.get('/v1/webhooks/events?page_size=250');
    assert.ok(list.json.data.results.every((e) => e.id !== req.json.id));
  });

  test('410 Gone disables the endpoint and announces it', async () => {
    const name = hookName('gone');
    const ops = hookName('ops-dis');
    await rcv.behave(name, { mode: '410' });
    const ep = await endpoint(name, { event_types: [POSTING] });
    await endpoint(ops, { event_types: ['openapply.endpoint.disabled'] });
    await posting();
    const op = await waitFor(async () => (await rcv.received(ops)).find((r) => r.json.data.endpoint_id === ep.id),
      { what: 'the disabled event for this endpoint' });
    assert.equal(op.json.type, 'openapply.endpoint.disabled');
    assert.equal(op.json.data.endpoint_id, ep.id);
    assert.match(op.json.data.reason, /410/);
    const g = await api.get(`/v1/webhooks/endpoints/${ep.id}`);
    assert.equal(g.json.data.enabled, false);
    assert.match(g.json.data.disabled_reason, /410/);
    assert.equal((await rcv.received(name)).length, 1, 'no more attempts after 410');
  });

  test('/metrics reports deliveries, attempts, queue, latency and endpoint states', async () => {
    const r = await fetch(engine.url + '/metrics');
    const text = await r.text();
    assert.equal(r.status, 200);
    for (const re of [/openapply_webhook_attempts_total\{result="success"\} [1-9]/,
      /openapply_webhook_attempts_total\{result="failure"\} [1-9]/,
      /openapply_webhook_deliveries\{status="pending"\} \d+/,
      /openapply_webhook_deliveries_total\{outcome="exhausted"\} [1-9]/,
      /openapply_webhook_delivery_latency_seconds_bucket\{le="\+Inf"\} [1-9]/,
      /openapply_webhook_delivery_latency_seconds_count [1-9]/,
      /openapply_webhook_endpoints\{state="disabled"\} [1-9]/]) assert.match(text, re);
  });
});

describe('SSRF guard', () => {
  test('private, loopback, link-local and metadata URLs are refused without --allow-private-networks', async () => {
    const strict = await startEngine({ args: [] , keys: ['default:k'], noPrivate: true });
    try {
      const c = client(strict, 'k');
      for (const url of ['http://127.0.0.1:9/x', 'http://10.1.2.3/x', 'http://192.168.0.10/x', 'http://172.16.5.4/x',
        'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://[fd00::1]/x', 'http://localhost/x',
        'http://100.64.1.1/x', 'http://0.0.0.0/x', 'http://[::ffff:127.0.0.1]/x', 'http://2130706433/x']) {
        const r = await c.post('/v1/webhooks/endpoints', { url });
        assert.equal(r.status, 400, `${url} -> ${r.text}`);
        assert.match(r.json.error.message, /private|loopback|reserved|local/i, url);
      }
      const cs = await c.post('/v1/ai-apply/career-sites', { label: 'x' });
      const p = await c.post('/v1/ai-apply/postings', { url: site.jobUrl('backend-engineer'), career_site_id: cs.json.data.id });
      assert.equal(p.status, 400, 'posting URLs on loopback are refused too');
    } finally {
      assert.equal(await strict.stop(), 0);
      strict.cleanup();
    }
  });
});
