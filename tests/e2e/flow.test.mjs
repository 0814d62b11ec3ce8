// flow.test.mjs - the whole flow over real HTTP: career site -> parse -> APPLYABLE -> inquire
// -> apply -> SUBMITTED, checking what the career site received and the event rows written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, client, waitFor, sql } from './lib/harness.mjs';
import { assertSchema } from './lib/schema.mjs';
import { questions, findQuestion, answerAll, PDF_BYTES, sha256 } from './lib/forms.mjs';

let engine, site, api;
before(async () => {
  site = await startSite();
  engine = await startEngine();
  api = client(engine);
});
after(async () => {
  const code = await engine.stop();
  await site.stop();
  engine.cleanup();
  assert.equal(code, 0, 'engine exits cleanly on SIGTERM (no leaks under sanitizers)');
});

async function parsedPosting(slug, extra = {}) {
  const cs = await api.post('/v1/ai-apply/career-sites', { label: 'Acme Careers' });
  assert.equal(cs.status, 200, cs.text);
  const p = await api.post('/v1/ai-apply/postings', { url: site.jobUrl(slug), career_site_id: cs.json.data.id, ...extra });
  assert.equal(p.status, 200, p.text);
  assertSchema('PostAiApplyPostingsPositiveResponse', p.json);
  return { site: cs.json.data, posting: p.json.data };
}

test('a posting is parsed in the background and becomes APPLYABLE', async () => {
  const { site: cs, posting } = await parsedPosting('backend-engineer', { job_code: 'BE-1', location: { country: 'DE', postal_code: '10115' } });
  assert.equal(posting.availability, 'PENDING');
  assert.equal(posting.job_code, 'BE-1');
  assert.deepEqual(posting.career_site, { id: cs.id, label: 'Acme Careers' });
  const got = await waitFor(async () => {
    const r = await api.get(`/v1/ai-apply/postings?ids=${posting.id}`);
    assertSchema('GetAiApplyPostingsPositiveResponse', r.json);
    return r.json.data.results[0]?.availability === 'APPLYABLE' && r.json.data.results[0];
  }, { what: 'APPLYABLE' });
  assert.equal(got.archived_at, null);
  assert.equal(got.archived_reason, null);
  // The transition wrote exactly one event, with the posting as GET returns it.
  const ev = sql(engine, `SELECT type, body FROM events WHERE resource_id = '${posting.id}' ORDER BY seq`);
  assert.equal(ev.length, 1);
  const body = JSON.parse(ev[0].body);
  assertSchema('AiApplyJobPostingStatusUpdatedWebhookPayload', body);
  assert.deepEqual(body.data, got);
});

test('inquire, apply, and the career site receives the right fields and file bytes', async () => {
  const { posting } = await parsedPosting('backend-engineer');
  await waitFor(async () => (await api.get(`/v1/ai-apply/postings?ids=${posting.id}`)).json.data.results[0].availability === 'APPLYABLE');
  const inq = await api.post(`/v1/ai-apply/postings/${posting.id}/inquire`, {});
  assert.equal(inq.status, 200, inq.text);
  assertSchema('PostAiApplyPostingsPostingIdInquirePositiveResponse', inq.json);
  const form = inq.json.data.application_form;
  const qs = questions(form);
  assert.ok(qs.length >= 10, `form has ${qs.length} questions`);
  const first = findQuestion(form, (q) => q.unified_key === 'FIRST_NAME');
  assert.ok(first, 'first name question with unified_key FIRST_NAME');
  assert.equal(first.required, true);
  const resume = findQuestion(form, (q) => q.question_type === 'FILE' && q.required);
  assert.ok(resume, 'a required file question (resume)');

  const answers = answerAll(form, { [first.question_id]: 'Grace' });
  const before = await site.submissions('backend-engineer');
  const ap = await api.post('/v1/ai-apply/apply', {
    submission_token: inq.json.data.submission_token,
    candidate_email: 'Grace.Hopper@Example.com',
    query_params: { source: 'openapply', utm_campaign: 'e2e' },
    screening_question_answers: answers,
  });
  assert.equal(ap.status, 200, ap.text);
  assertSchema('PostAiApplyApplyPositiveResponse', ap.json);
  assert.equal(ap.json.data.status, 'PENDING');
  assert.equal(ap.json.data.posting_id, posting.id);
  const app = await waitFor(async () => {
    const r = await api.get(`/v1/ai-apply/applications?ids=${ap.json.data.id}`);
    assertSchema('GetAiApplyApplicationsPositiveResponse', r.json);
    const a = r.json.data.results[0];
    return a.status !== 'PENDING' && a;
  }, { what: 'application settled' });
  assert.equal(app.status, 'SUBMITTED');
  assert.equal(app.job_posting_id, posting.id);

  const subs = (await site.submissions('backend-engineer')).slice(before.length);
  assert.equal(subs.length, 1, 'exactly one submission reached the site');
  const s = subs[0];
  assert.equal(s.status_returned, 303);
  assert.equal(s.csrf_ok, true, 'CSRF token and session cookie matched');
  assert.deepEqual(s.fields.first_name, ['Grace']);
  assert.equal(s.fields.email[0], 'ada.lovelace@example.com');
  assert.equal(s.query.source, 'openapply', 'apply query_params kept');
  assert.equal(s.query.utm_campaign, 'e2e');
  assert.ok(s.fields.job_id?.[0], 'hidden job_id sent back');
  const file = s.files.resume?.[0];
  assert.ok(file, 'resume uploaded');
  assert.equal(file.filename, 'resume.pdf');
  assert.equal(file.content_type, 'application/pdf');
  assert.equal(file.sha256, sha256(PDF_BYTES), 'file bytes arrive unchanged');

  const ev = sql(engine, `SELECT body FROM events WHERE resource_id = '${app.id}' ORDER BY seq`);
  assert.equal(ev.length, 1, 'one event: PENDING -> SUBMITTED (creation emits nothing)');
  const body = JSON.parse(ev[0].body);
  assertSchema('AiApplyApplicationStatusUpdatedWebhookPayload', body);
  assert.deepEqual(body.data, app);
});
