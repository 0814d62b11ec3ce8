// filters.test.mjs - the list filters the dashboard uses: postings by availabilities and
// search (URL substring, any case, LIKE wildcards literal; or an exact job code), applications
// by statuses, events by resource_ids and newest first (order=desc), each across pages with
// cursors, within the key's tenant, and bad values answered 400 naming the parameter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, client } from './lib/harness.mjs';
import { resources, expectError } from './lib/helpers.mjs';
import { findQuestion, answerAll } from './lib/forms.mjs';

let engine, site, api, R, other;
const ids = {};
before(async () => {
  site = await startSite();
  engine = await startEngine({ keys: ['default:test-key-default', 'other:key-other'] });
  api = client(engine);
  R = resources(api);
  other = resources(client(engine, 'key-other'));
  ids.a1 = (await R.newPosting(site.jobUrl('backend-engineer'), { job_code: 'BE-1' })).id;
  ids.a2 = (await R.newPosting(site.jobUrl('vertriebsmitarbeiter'), { job_code: 'DE_50%' })).id;
  ids.u1 = (await R.newPosting(site.jobUrl('office-manager'), { job_code: 'OM-1' })).id;
  ids.x1 = (await R.newPosting(site.jobUrl('developpeur-web'), { job_code: 'FR-1' })).id;
  await R.waitPosting(ids.a1, 'APPLYABLE');
  await R.waitPosting(ids.a2, 'APPLYABLE');
  await R.waitPosting(ids.u1, 'UNAVAILABLE');
  await R.waitPosting(ids.x1, 'APPLYABLE');
  await R.archive(ids.x1);
  ids.theirs = (await other.newPosting(site.jobUrl('backend-engineer'), { job_code: 'BE-1' })).id;
  await other.waitPosting(ids.theirs, 'APPLYABLE');
});
after(async () => {
  const code = await engine.stop();
  await site.stop();
  engine.cleanup();
  assert.equal(code, 0);
});

/** Every row of a list, page by page (page_size 1, so cursors are exercised). */
async function all(path, q) {
  const out = [];
  let cursor = null;
  for (let i = 0; i < 50; i++) {
    const res = await api.get(`${path}?${q}&page_size=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200, res.text);
    out.push(...res.json.data.results);
    cursor = res.json.data.next;
    if (!cursor) return out;
  }
  throw new Error('too many pages');
}

test('postings by availabilities, across pages, only the tenant\'s', async () => {
  const applyable = await all('/v1/ai-apply/postings', 'availabilities=APPLYABLE');
  assert.deepEqual(applyable.map((p) => p.id).sort(), [ids.a1, ids.a2].sort());
  const two = await all('/v1/ai-apply/postings', 'availabilities=UNAVAILABLE,ARCHIVED');
  assert.deepEqual(two.map((p) => p.id).sort(), [ids.u1, ids.x1].sort());
  assert.ok(two.every((p) => ['UNAVAILABLE', 'ARCHIVED'].includes(p.availability)));
});

test('postings searched by URL (any case) or exact job code; wildcards are literal', async () => {
  const byUrl = await all('/v1/ai-apply/postings', 'search=BACKEND-eng');
  assert.deepEqual(byUrl.map((p) => p.id), [ids.a1], 'not the other tenant\'s posting of the same URL');
  const byCode = await all('/v1/ai-apply/postings', 'search=OM-1');
  assert.deepEqual(byCode.map((p) => p.id), [ids.u1]);
  const literal = await all('/v1/ai-apply/postings', `search=${encodeURIComponent('DE_50%')}`);
  assert.deepEqual(literal.map((p) => p.id), [ids.a2], '% and _ match themselves');
  assert.deepEqual(await all('/v1/ai-apply/postings', `search=${encodeURIComponent('%')}`), [], 'a lone % matches no URL');
  const both = await all('/v1/ai-apply/postings', 'search=jobs&availabilities=ARCHIVED');
  assert.deepEqual(both.map((p) => p.id), [ids.x1], 'filters combine');
});

test('applications by statuses; events of a resource newest first', async () => {
  const { form, token } = await R.inquire(ids.a1);
  const email = findQuestion(form, (q) => q.unified_key === 'EMAIL');
  const app = await R.apply({ submission_token: token, candidate_email: 'f@example.com', screening_question_answers: answerAll(form, { [email.question_id]: 'f@example.com' }) });
  await R.waitApplication(app.id, 'SUBMITTED');
  assert.deepEqual((await all('/v1/ai-apply/applications', 'statuses=SUBMITTED')).map((a) => a.id), [app.id]);
  assert.deepEqual(await all('/v1/ai-apply/applications', 'statuses=FAILED,DUPLICATE'), []);
  // Posting x1's events: APPLYABLE then ARCHIVED; newest first with order=desc.
  const asc = await all('/v1/webhooks/events', `resource_ids=${ids.x1}`);
  const desc = await all('/v1/webhooks/events', `resource_ids=${ids.x1}&order=desc`);
  assert.equal(asc.length, 2);
  assert.deepEqual(desc.map((e) => e.id), asc.map((e) => e.id).reverse());
  assert.equal(desc[0].payload.data.availability, 'ARCHIVED');
});

test('bad filter values get 400 naming the parameter', async () => {
  expectError(await api.get('/v1/ai-apply/postings?availabilities=OPEN'), 400, 'availabilities');
  expectError(await api.get('/v1/ai-apply/postings?availabilities=APPLYABLE,'), 400, 'availabilities');
  expectError(await api.get(`/v1/ai-apply/postings?search=${'x'.repeat(300)}`), 400, 'search');
  expectError(await api.get('/v1/ai-apply/applications?statuses=DONE'), 400, 'statuses');
  expectError(await api.get('/v1/webhooks/events?order=sideways'), 400, 'order');
});
