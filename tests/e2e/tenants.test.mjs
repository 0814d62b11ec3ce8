// tenants.test.mjs - tenant isolation: two API keys of two tenants on one engine. Each sees
// only its own career sites, postings, applications, job feeds and review queue; the other's
// ids answer 404 (inquire, archive, review, bulk-import, career_site_id) and filter to nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, client, waitFor, sql } from './lib/harness.mjs';
import { assertSchema } from './lib/schema.mjs';
import { answerAll } from './lib/forms.mjs';
import { resources, expectError, events } from './lib/helpers.mjs';

let engine, site, A, B, ra, rb;
const world = { acme: {}, globex: {} };

async function populate(name, api, res, slug) {
  const w = world[name];
  w.site = await res.createSite(`${name} careers`);
  // Both tenants post the very same URL: two separate postings.
  w.posting = await res.createPosting({ url: site.jobUrl('backend-engineer'), career_site_id: w.site.id, job_code: 'SAME-CODE' });
  await res.waitPosting(w.posting.id, 'APPLYABLE');
  const inq = await res.inquire(w.posting.id);
  w.app = await res.apply({ submission_token: inq.token, candidate_email: `${name}@example.com`, screening_question_answers: answerAll(inq.form) });
  // One application in the review queue, on a job whose submissions the site rejects.
  w.reviewPosting = await res.createPosting({ url: site.jobUrl(slug), career_site_id: w.site.id });
  await res.waitPosting(w.reviewPosting.id, 'APPLYABLE');
  const inq2 = await res.inquire(w.reviewPosting.id);
  w.reviewApp = await res.apply({ submission_token: inq2.token, candidate_email: `${name}.review@example.com`, screening_question_answers: answerAll(inq2.form) });
  const f = await api.post('/v1/ai-apply/job-feeds', { label: `${name} feed` });
  assert.equal(f.status, 200, f.text);
  assertSchema('PostAiApplyJobFeedsPositiveResponse', f.json);
  w.feed = f.json.data;
}

before(async () => {
  site = await startSite();
  await site.setJob('developpeur-web', { submit: '422' });
  await site.setJob('disenador-ux', { submit: '422' });
  engine = await startEngine({ keys: ['acme:key-a', 'globex:key-b'] });
  A = client(engine, 'key-a');
  B = client(engine, 'key-b');
  ra = resources(A);
  rb = resources(B);
  await populate('acme', A, ra, 'developpeur-web');
  await populate('globex', B, rb, 'disenador-ux');
  for (const [res, w] of [[ra, world.acme], [rb, world.globex]]) {
    await waitFor(async () => (await res.review()).results.some((x) => x.id === w.reviewApp.id), { what: 'review entry' });
  }
});
after(async () => {
  const code = await engine.stop();
  await site.stop();
  engine.cleanup();
  assert.equal(code, 0, 'engine exits cleanly on SIGTERM (no leaks under sanitizers)');
});

const ids = (res) => res.json.data.results.map((x) => x.id);
const pairs = () => [['acme', A, world.acme, world.globex], ['globex', B, world.globex, world.acme]];

test('the same URL and job code posted by two tenants are two postings', () => {
  assert.notEqual(world.acme.posting.id, world.globex.posting.id);
  assert.equal(world.acme.posting.url, world.globex.posting.url);
});

test('lists show only the caller\'s own resources', async () => {
  for (const [name, api, mine, theirs] of pairs()) {
    const sites = await api.get('/v1/ai-apply/career-sites');
    assertSchema('GetAiApplyCareerSitesPositiveResponse', sites.json);
    assert.deepEqual(ids(sites), [mine.site.id], `${name} career sites`);

    const postings = await api.get('/v1/ai-apply/postings');
    assertSchema('GetAiApplyPostingsPositiveResponse', postings.json);
    assert.deepEqual(ids(postings), [mine.posting.id, mine.reviewPosting.id], `${name} postings`);
    assert.ok(postings.json.data.results.every((p) => p.career_site.id === mine.site.id));

    const apps = await api.get('/v1/ai-apply/applications');
    assertSchema('GetAiApplyApplicationsPositiveResponse', apps.json);
    assert.deepEqual(ids(apps), [mine.app.id, mine.reviewApp.id], `${name} applications`);

    const feeds = await api.get('/v1/ai-apply/job-feeds');
    assertSchema('GetAiApplyJobFeedsPositiveResponse', feeds.json);
    assert.deepEqual(ids(feeds), [mine.feed.id], `${name} feeds`);

    const review = await resources(api).review();
    assert.deepEqual(review.results.map((x) => x.id), [mine.reviewApp.id], `${name} review queue`);
    assert.ok(!JSON.stringify(review).includes(theirs.reviewApp.id));
  }
});

test('filtering by the other tenant\'s ids returns nothing', async () => {
  for (const [name, api, mine, theirs] of pairs()) {
    const q = [
      ['GetAiApplyCareerSitesPositiveResponse', `/v1/ai-apply/career-sites?ids=${theirs.site.id}`],
      ['GetAiApplyPostingsPositiveResponse', `/v1/ai-apply/postings?ids=${theirs.posting.id},${theirs.reviewPosting.id}`],
      ['GetAiApplyPostingsPositiveResponse', `/v1/ai-apply/postings?career_site_ids=${theirs.site.id}`],
      ['GetAiApplyApplicationsPositiveResponse', `/v1/ai-apply/applications?ids=${theirs.app.id}`],
      ['GetAiApplyApplicationsPositiveResponse', `/v1/ai-apply/applications?job_posting_ids=${theirs.posting.id}`],
      ['GetAiApplyJobFeedsPositiveResponse', `/v1/ai-apply/job-feeds?ids=${theirs.feed.id}`],
      ['GetAiApplyApplicationsPositiveResponse', `/v1/ai-apply/review?job_posting_ids=${theirs.reviewPosting.id}`],
    ];
    for (const [schema, path] of q) {
      const r = await api.get(path);
      assert.equal(r.status, 200, `${name} ${path}: ${r.text}`);
      assertSchema(schema, r.json);
      assert.deepEqual(r.json.data.results, [], `${name} ${path}`);
      assert.equal(r.json.data.next, null);
    }
    // Mixed lists keep only the caller's own ids.
    const mixed = await api.get(`/v1/ai-apply/postings?ids=${theirs.posting.id},${mine.posting.id}`);
    assertSchema('GetAiApplyPostingsPositiveResponse', mixed.json);
    assert.deepEqual(ids(mixed), [mine.posting.id]);
    // The same job code exists in both tenants; each sees its own.
    const codes = await api.get('/v1/ai-apply/postings?job_codes=SAME-CODE');
    assertSchema('GetAiApplyPostingsPositiveResponse', codes.json);
    assert.deepEqual(ids(codes), [mine.posting.id]);
  }
});

test('the other tenant\'s ids answer 404 and change nothing', async () => {
  for (const [name, api, , theirs] of pairs()) {
    expectError(await api.post(`/v1/ai-apply/postings/${theirs.posting.id}/inquire`, {}), 404, 'not found', `${name} inquire`);
    expectError(await api.post(`/v1/ai-apply/postings/${theirs.posting.id}/archive`, {}), 404, 'not found', `${name} archive`);
    expectError(await api.post(`/v1/ai-apply/applications/${theirs.reviewApp.id}/review`, { decision: 'FAILED', reason: 'not mine' }), 404, 'not found', `${name} review`);
    const imp = await api.call('POST', `/v1/ai-apply/job-feeds/${theirs.feed.id}/bulk-import`, undefined, {
      headers: { 'content-type': 'application/x-ndjson' },
      raw: JSON.stringify({ url: site.jobUrl('office-manager'), career_site_label: 'Intruder' }) + '\n',
    });
    expectError(imp, 404, 'not found', `${name} bulk-import`);
    const post = await api.post('/v1/ai-apply/postings', { url: site.jobUrl('office-manager'), career_site_id: theirs.site.id });
    expectError(post, 404, 'career site', `${name} posting on the other's career site`);
  }
  // Nothing changed for the owners.
  for (const [res, w] of [[ra, world.acme], [rb, world.globex]]) {
    assert.equal((await res.posting(w.posting.id)).availability, 'APPLYABLE');
    assert.equal((await res.application(w.reviewApp.id)).status, 'PENDING');
    assert.ok((await res.review()).results.some((x) => x.id === w.reviewApp.id), 'still queued');
    assert.equal(events(engine, w.reviewApp.id).length, 0);
  }
  const intruders = sql(engine, "SELECT COUNT(*) AS n FROM career_sites WHERE label = 'Intruder'")[0].n;
  assert.equal(intruders, 0, 'the refused import created nothing');
});

test('event rows belong to the tenant of their resource', async () => {
  for (const [tenant, w] of [['acme', world.acme], ['globex', world.globex]]) {
    const ev = events(engine, w.posting.id);
    assert.ok(ev.length >= 1);
    assert.ok(ev.every((e) => e.tenant === tenant), `${tenant} events`);
  }
  const mixed = sql(engine, `SELECT COUNT(*) AS n FROM events e JOIN postings p ON p.id = e.resource_id WHERE p.tenant <> e.tenant`)[0].n;
  assert.equal(mixed, 0);
});

test('a key answers for its own tenant only; an unknown key is 401', async () => {
  const r = await client(engine, 'key-c').get('/v1/ai-apply/career-sites');
  expectError(r, 401, 'not valid', 'unknown key');
  const a = await A.get(`/v1/ai-apply/career-sites?ids=${world.acme.site.id}`);
  assertSchema('GetAiApplyCareerSitesPositiveResponse', a.json);
  assert.deepEqual(ids(a), [world.acme.site.id]);
});

test('no existence oracle: the other tenant\'s ids answer exactly like ids that do not exist', async () => {
  // An endpoint and an event per tenant, besides the postings, applications and feeds above.
  for (const [api, w] of [[A, world.acme], [B, world.globex]]) {
    const ep = await api.post('/v1/webhooks/endpoints', { url: 'http://127.0.0.1:1/hook' });
    assert.equal(ep.status, 200, ep.text);
    w.endpoint = ep.json.data;
    const ev = await api.get('/v1/webhooks/events?page_size=1');
    w.event = ev.json.data.results[0];
    assert.ok(w.event, 'the tenant has an event');
  }
  const fake = (id) => [...id].reverse().join(''); // same shape, exists nowhere
  const calls = (w) => [
    ['GET', `/v1/ai-apply/postings?ids=${w.posting.id}`, undefined],
    ['POST', `/v1/ai-apply/postings/${w.posting.id}/inquire`, {}],
    ['POST', `/v1/ai-apply/postings/${w.posting.id}/archive`, {}],
    ['POST', `/v1/ai-apply/applications/${w.reviewApp.id}/review`, { decision: 'FAILED', reason: 'x' }],
    ['POST', '/v1/ai-apply/postings', { url: 'https://jobs.example.com/x', career_site_id: w.site.id }],
    ['GET', `/v1/webhooks/endpoints/${w.endpoint.id}`, undefined],
    ['PATCH', `/v1/webhooks/endpoints/${w.endpoint.id}`, { description: 'x' }],
    ['DELETE', `/v1/webhooks/endpoints/${w.endpoint.id}`, undefined],
    ['POST', `/v1/webhooks/endpoints/${w.endpoint.id}/rotate-secret`, {}],
    ['POST', `/v1/webhooks/endpoints/${w.endpoint.id}/recover`, { since: '2020-01-01T00:00:00Z' }],
    ['GET', `/v1/webhooks/events/${w.event.id}`, undefined],
    ['GET', `/v1/webhooks/events/${w.event.id}/attempts`, undefined],
    ['POST', `/v1/webhooks/events/${w.event.id}/redeliver`, {}],
  ];
  const swap = (w) => {
    const f = structuredClone(w);
    for (const k of ['posting', 'reviewApp', 'site', 'endpoint', 'event']) f[k].id = fake(w[k].id);
    return f;
  };
  for (const [name, api, , theirs] of pairs()) {
    const real = calls(theirs), none = calls(swap(theirs));
    for (let i = 0; i < real.length; i++) {
      const [method, path, body] = real[i];
      const a = await api.call(method, path, body);
      const b = await api.call(...none[i]);
      const idsA = [theirs.posting.id, theirs.reviewApp.id, theirs.site.id, theirs.endpoint.id, theirs.event.id];
      const idsB = idsA.map(fake);
      let na = JSON.stringify({ status: a.status, body: a.json }), nb = JSON.stringify({ status: b.status, body: b.json });
      for (const id of idsA) na = na.replaceAll(id, 'ID');
      for (const id of idsB) nb = nb.replaceAll(id, 'ID');
      assert.equal(na, nb, `${name}: ${method} ${path} tells a foreign id from a missing one`);
      if (a.status === 200) assert.deepEqual(a.json.data.results, [], `${name}: ${method} ${path} lists a foreign id`);
    }
  }
  // Still the owners'.
  for (const [api, w] of [[A, world.acme], [B, world.globex]]) {
    assert.equal((await api.get(`/v1/webhooks/endpoints/${w.endpoint.id}`)).status, 200);
  }
});
