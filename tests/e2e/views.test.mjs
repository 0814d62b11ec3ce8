// views.test.mjs - the operator's reads beyond Kombo's schemas, which the dashboard shows:
// one application with its answers (while kept), reasons and every apply attempt (driver,
// step, outcome, the career site's status, URL and answer excerpt), and a posting's form
// revisions. Tenant isolation and bad input included.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, client, waitFor } from './lib/harness.mjs';
import { findQuestion, answerAll, PDF_BYTES } from './lib/forms.mjs';
import { resources, expectError } from './lib/helpers.mjs';

let engine, site, api, R, otherApi;
before(async () => {
  site = await startSite();
  engine = await startEngine({
    keys: ['default:test-key-default', 'other:key-other'],
    args: ['--refresh-interval', '1s'],
  });
  api = client(engine);
  R = resources(api);
  otherApi = client(engine, 'key-other');
});
after(async () => {
  const code = await engine.stop();
  await site.stop();
  engine.cleanup();
  assert.equal(code, 0, 'engine exits cleanly on SIGTERM (no leaks under sanitizers)');
});
beforeEach(async () => { await site.reset(); });

async function ready(slug) {
  const p = await R.newPosting(site.jobUrl(slug));
  await R.waitPosting(p.id, 'APPLYABLE');
  const { form, token } = await R.inquire(p.id);
  return { posting: p, form, token };
}

function fill(form, email) {
  const q = findQuestion(form, (x) => x.unified_key === 'EMAIL');
  return answerAll(form, { [q.question_id]: email });
}

async function detail(id, key = api) {
  const res = await key.get(`/v1/ai-apply/applications/${id}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.status, 'success');
  return res.json.data;
}

test('an application retried once: both attempts kept with what the site answered; answers gone once final', async () => {
  const { posting, form, token } = await ready('backend-engineer');
  await site.setJob('backend-engineer', { submit: 'fail_first_n', n: 1 });
  const a = await R.apply({ submission_token: token, candidate_email: 'Views.Retry@example.com', screening_question_answers: fill(form, 'views.retry@example.com') });
  await R.waitApplication(a.id, 'SUBMITTED');
  const d = await detail(a.id);
  assert.equal(d.id, a.id);
  assert.equal(d.status, 'SUBMITTED');
  assert.equal(d.job_posting_id, posting.id);
  assert.equal(d.job_posting_url, site.jobUrl('backend-engineer'));
  assert.equal(d.candidate_email, 'Views.Retry@example.com');
  assert.equal(d.in_review_queue, false);
  assert.equal(d.answers, null, 'answers are discarded once the application is final');
  assert.equal(d.apply_attempts.length, 2);
  const [first, second] = d.apply_attempts;
  assert.equal(first.attempt, 1);
  assert.equal(first.outcome, 'retry');
  assert.equal(first.step, 'submit');
  assert.equal(first.driver, 'html');
  assert.equal(first.http_status, 500);
  assert.match(first.reason, /500/);
  assert.equal(typeof first.response_excerpt, 'string');
  assert.ok(first.response_excerpt.length > 0 && first.response_excerpt.length <= 2048, 'an excerpt of at most 2 KiB');
  assert.ok(first.url.startsWith(`http://127.0.0.1:${new URL(site.url).port}/`), first.url);
  assert.ok(!first.url.includes('?'), 'no query in a kept URL (it can carry a key)');
  assert.equal(second.attempt, 2);
  assert.equal(second.outcome, 'submitted');
  assert.ok(second.http_status >= 200 && second.http_status < 400, `HTTP ${second.http_status}`);
  for (const x of d.apply_attempts) {
    assert.ok(Date.parse(x.started_at) <= Date.parse(x.finished_at), 'started before finished');
    assert.equal(x.screenshot, null, 'the HTTP driver keeps no screenshot');
  }
  assert.ok(Date.parse(first.finished_at) <= Date.parse(second.started_at), 'in order');
});

test('an application in review: its answers with labels and file sizes, the reason, the rejected attempt', async () => {
  const { form, token } = await ready('backend-engineer');
  await site.setJob('backend-engineer', { submit: '422' });
  const a = await R.apply({ submission_token: token, candidate_email: 'views.review@example.com', screening_question_answers: fill(form, 'views.review@example.com') });
  const d = await waitFor(async () => {
    const x = await detail(a.id);
    return x.in_review_queue && x;
  }, { what: 'in review' });
  assert.equal(d.status, 'PENDING');
  assert.match(d.review_reason, /422/);
  assert.equal(d.apply_attempts.length, 1);
  const at = d.apply_attempts[0];
  assert.equal(at.outcome, 'review');
  assert.equal(at.http_status, 422);
  assert.equal(at.reason, d.review_reason);
  assert.ok(at.response_excerpt && at.response_excerpt.length > 0, 'the site\'s answer is kept');
  const resume = findQuestion(form, 'Resume / CV');
  const byQid = Object.fromEntries(d.answers.map((x) => [x.question_id, x]));
  assert.equal(byQid[resume.question_id].label, 'Resume / CV');
  assert.deepEqual(byQid[resume.question_id].answer, { name: 'resume.pdf', content_type: 'application/pdf', size: PDF_BYTES.length });
  // The decision shows up too.
  const res = await api.post(`/v1/ai-apply/applications/${a.id}/review`, { decision: 'FAILED', reason: 'phone format' });
  assert.equal(res.status, 200, res.text);
  const after = await detail(a.id);
  assert.equal(after.status, 'FAILED');
  assert.equal(after.decision_reason, 'phone format');
  assert.equal(after.in_review_queue, false);
  assert.equal(after.answers, null);
  assert.equal(after.apply_attempts.length, 1, 'a human decision is no attempt');
});

test('one application: another tenant and unknown ids get the same 404; bad input 400', async () => {
  const { form, token } = await ready('backend-engineer');
  const a = await R.apply({ submission_token: token, candidate_email: 'views.iso@example.com', screening_question_answers: fill(form, 'views.iso@example.com') });
  const theirs = await otherApi.get(`/v1/ai-apply/applications/${a.id}`);
  const e1 = expectError(theirs, 404, 'not found', 'another tenant');
  const unknown = await api.get('/v1/ai-apply/applications/Unknown0Application000000');
  const e2 = expectError(unknown, 404, 'not found', 'unknown id');
  assert.equal(e1.message.replace(a.id, 'X'), e2.message.replace('Unknown0Application000000', 'X'), 'no oracle across tenants');
  expectError(await api.get('/v1/ai-apply/applications/not%20an%20id'), 404, 'not found', 'malformed id');
  expectError(await api.get(`/v1/ai-apply/applications/${a.id}?verbose=1`), 400, 'verbose', 'unknown query argument');
  const noKey = await fetch(`${engine.url}/v1/ai-apply/applications/${a.id}`);
  assert.equal(noKey.status, 401);
});

test('revisions: a changed form adds one, marked current; each revision shows its own form; tenants isolated', async () => {
  const { posting } = await ready('backend-engineer');
  const list = async (q = '') => {
    const res = await api.get(`/v1/ai-apply/postings/${posting.id}/revisions${q}`);
    assert.equal(res.status, 200, res.text);
    return res.json.data;
  };
  const one = await list();
  assert.equal(one.results.length, 1);
  assert.equal(one.results[0].current, true);
  assert.equal(one.next, null);
  await site.setJob('backend-engineer', { form_variant: 'v2' });
  const two = await waitFor(async () => { const l = await list(); return l.results.length === 2 && l; }, { what: 'a second revision' });
  assert.deepEqual(two.results.map((r) => r.current), [false, true], 'the newest is current');
  assert.equal(two.results[0].id, one.results[0].id, 'oldest first');
  assert.ok(Date.parse(two.results[0].created_at) <= Date.parse(two.results[1].created_at));
  assert.notEqual(two.results[0].content_hash, two.results[1].content_hash);
  // Pagination with the API's cursors.
  const p1 = await list('?page_size=1');
  assert.equal(p1.results.length, 1);
  assert.ok(p1.next);
  const p2 = await list(`?page_size=1&cursor=${encodeURIComponent(p1.next)}`);
  assert.deepEqual([...p1.results, ...p2.results].map((r) => r.id), two.results.map((r) => r.id));
  // Each revision's form.
  const form = async (rid) => {
    const res = await api.get(`/v1/ai-apply/postings/${posting.id}/revisions/${rid}`);
    assert.equal(res.status, 200, res.text);
    return res.json.data;
  };
  const old = await form(two.results[0].id);
  const cur = await form(two.results[1].id);
  assert.equal(old.current, false);
  assert.equal(cur.current, true);
  assert.equal(findQuestion(old.application_form, (q) => /visa/i.test(q.label)), undefined, 'v1 has no visa question');
  assert.ok(findQuestion(old.application_form, 'Portfolio or GitHub URL'));
  assert.ok(findQuestion(cur.application_form, (q) => /visa/i.test(q.label)), 'v2 asks about the visa');
  assert.deepEqual(cur.application_form, (await R.inquire(posting.id)).form, 'the current revision is what inquire shows');
  // Isolation and bad input.
  const theirs = await otherApi.get(`/v1/ai-apply/postings/${posting.id}/revisions`);
  expectError(theirs, 404, 'not found', 'another tenant\'s posting');
  expectError(await otherApi.get(`/v1/ai-apply/postings/${posting.id}/revisions/${two.results[0].id}`), 404, 'not found', 'another tenant\'s revision');
  const other = await ready('vertriebsmitarbeiter');
  const foreign = await api.get(`/v1/ai-apply/postings/${other.posting.id}/revisions/${two.results[0].id}`);
  expectError(foreign, 404, 'revision', 'a revision of another posting');
  expectError(await api.get(`/v1/ai-apply/postings/${posting.id}/revisions?page_size=0`), 400, 'page_size', 'bad page size');
  expectError(await api.get(`/v1/ai-apply/postings/${posting.id}/revisions?x=1`), 400, 'x', 'unknown argument');
});
