// connectors.test.mjs - the ATS connectors end to end against the sample career site's fakes
// of the vendors' documented APIs (--connector-base points each connector there): a vendor
// posting URL parses to APPLYABLE with the vendor's questions, an application reaches the
// vendor's submit endpoint with the career site's credentials (or goes to review without
// them), a closed job is archived, a failing or malformed vendor answer makes the posting
// UNAVAILABLE with a reason, and the credentials are never shown or logged.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, client, waitFor, sql } from './lib/harness.mjs';
import { questions, findQuestion, answerAll, PDF_BYTES, sha256 } from './lib/forms.mjs';
import { resources, expectError } from './lib/helpers.mjs';

let engine, site, api, R;
const KEYS = {
  greenhouse: { api_key: 'gh-test-key' },
  lever: { api_key: 'lever-test-key' },
  smartrecruiters: { api_key: 'sr-test-token' },
  personio: { api_key: 'personio-test-token', company_id: '12345' },
};

before(async () => {
  site = await startSite();
  // The fakes serve one employer: the connector bases name it (as {account} would).
  engine = await startEngine({ args: site.connectorArgs() });
  api = client(engine);
  R = resources(api);
});
after(async () => {
  const code = await engine.stop();
  await site.stop();
  engine.cleanup();
  assert.equal(code, 0, 'engine exits cleanly on SIGTERM (no leaks under sanitizers)');
});
beforeEach(async () => { await site.reset(); });

async function ats(method, path, body) {
  const r = await fetch(`${site.url}/__admin/ats${path}`, {
    method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
  });
  const t = await r.text();
  assert.ok(r.status < 400, `admin ${method} ${path}: ${r.status} ${t}`);
  return t ? JSON.parse(t) : null;
}
const submissions = async (vendor, job) => (await ats('GET', `/${vendor}/submissions${job ? `?job=${job}` : ''}`)).submissions;

async function siteWith(connectors) {
  const res = await api.post('/v1/ai-apply/career-sites', { label: 'Brightwave Labs', ...(connectors ? { connectors } : {}) });
  assert.equal(res.status, 200, res.text);
  return res.json.data;
}

async function parsed(url, connectors) {
  const cs = await siteWith(connectors);
  const p = await R.createPosting({ url, career_site_id: cs.id });
  await R.waitPosting(p.id, 'APPLYABLE');
  const { form, token } = await R.inquire(p.id);
  return { posting: p, form, token, site: cs };
}

function fill(form, email) {
  const q = findQuestion(form, (x) => x.unified_key === 'EMAIL');
  assert.ok(q, 'an EMAIL question');
  return answerAll(form, { [q.question_id]: email });
}

const CASES = [
  { vendor: 'greenhouse', url: 'https://boards.greenhouse.io/brightwave/jobs/4012001', job: '4012001' },
  { vendor: 'recruitee', url: 'https://brightwave.recruitee.com/o/devops-engineer', job: 'devops-engineer' },
  { vendor: 'lever', url: 'https://jobs.lever.co/brightwave/5f1a3c2e-8b4d-4e6f-9a1b-2c3d4e5f6a01', job: '5f1a3c2e-8b4d-4e6f-9a1b-2c3d4e5f6a01' },
  { vendor: 'smartrecruiters', url: 'https://jobs.smartrecruiters.com/BrightwaveLabs/744000012345673-data-analyst', job: '3f6b2a1e-7c4d-4e5f-8a9b-1c2d3e4f5a03' },
  { vendor: 'personio', url: 'https://brightwave.jobs.personio.de/job/1304501?language=de', job: '1304501' },
];
// Workday documents no way to apply: parsed and closed like the others, applications to review.
const WORKDAY = { vendor: 'workday', url: 'https://brightwave.wd3.myworkdayjobs.com/en-US/External/job/London/Senior-Software-Engineer_JR-1001', job: 'JR-1001' };

for (const c of [...CASES, WORKDAY]) {
  if (c === WORKDAY) continue;
  test(`${c.vendor}: parse, inquire and apply through the vendor's API`, async () => {
    const connectors = KEYS[c.vendor] ? { [c.vendor]: KEYS[c.vendor] } : undefined;
    const { posting, form, token } = await parsed(c.url, connectors);
    const qs = questions(form);
    assert.ok(qs.length >= 4, `${qs.length} questions`);
    assert.ok(findQuestion(form, (q) => q.unified_key === 'EMAIL')?.required, 'a required EMAIL question');
    assert.ok(findQuestion(form, (q) => q.question_type === 'FILE'), 'a FILE question (resume)');
    if (c.vendor !== 'personio') // the feed describes no form: the fixed fields only
      assert.ok(qs.some((q) => q.question_type === 'SINGLE_SELECT' || q.question_type === 'MULTI_SELECT'), 'a select');
    const email = `${c.vendor}.${Date.now()}@example.com`;
    const app = await R.apply({ submission_token: token, candidate_email: email,
      screening_question_answers: fill(form, email) });
    await R.waitApplication(app.id, 'SUBMITTED');
    const subs = (await submissions(c.vendor, c.job)).filter((s) => s.accepted);
    assert.equal(subs.length, 1, 'the vendor saved exactly one application');
    assert.equal(JSON.stringify(subs[0]).includes(email), true, 'with the candidate\'s email');
    assert.ok(subs[0].files.some((f) => f.sha256 === sha256(PDF_BYTES)), 'and the resume\'s bytes');
    assert.deepEqual(subs[0].errors ?? [], []);
    // The driver shows in the logs, the key never does.
    assert.ok(engine.stderr.some((l) => l.includes('event=jobs.parsed') && l.includes(`driver=${c.vendor}`)));
    for (const v of Object.values(KEYS[c.vendor] ?? {}))
      if (v.length > 6) assert.ok(!engine.stderr.some((l) => l.includes(v)), 'the key is not logged');
  });

}

for (const c of [...CASES, WORKDAY]) {
  test(`${c.vendor}: a closed job is archived`, async () => {
    await ats('POST', `/${c.vendor}/jobs/${c.job}`, { closed: c === WORKDAY ? '404' : true });
    const cs = await siteWith();
    const p = await R.createPosting({ url: c.url, career_site_id: cs.id });
    const gone = await R.waitPosting(p.id, 'ARCHIVED');
    assert.equal(gone.archived_reason, 'JOB_POSTING_TAKEN_OFFLINE');
  });

  test(`${c.vendor}: a vendor answering 500, or malformed JSON, leaves the posting UNAVAILABLE with a reason`, async () => {
    for (const mode of ['500', 'malformed']) {
      await ats('POST', `/${c.vendor}`, { mode, on: 'read' });
      const cs = await siteWith();
      const p = await R.createPosting({ url: c.url, career_site_id: cs.id });
      await R.waitPosting(p.id, 'UNAVAILABLE');
      const row = sql(engine, `SELECT last_error FROM postings WHERE id = '${p.id}'`)[0];
      assert.ok(row.last_error && row.last_error.length > 10, `a reason for ${mode}: ${row.last_error}`);
      await ats('POST', `/${c.vendor}/reset`);
    }
  });
}

test('workday: an application goes to review with the posting\'s apply link, nothing is sent', async () => {
  const { posting, form, token } = await parsed(WORKDAY.url);
  const email = 'workday@example.com';
  const app = await R.apply({ submission_token: token, candidate_email: email, screening_question_answers: fill(form, email) });
  const item = await waitFor(async () => (await R.review()).results.find((a) => a.id === app.id), { what: 'review' });
  assert.match(item.review_reason, /Workday has no public application API/);
  assert.equal((await submissions('workday')).length, 0);
});

for (const vendor of ['greenhouse', 'lever', 'smartrecruiters', 'personio']) {
  test(`${vendor}: without the employer's key the application goes to review, saying so`, async () => {
    const c = CASES.find((x) => x.vendor === vendor);
    const { posting, form, token } = await parsed(c.url);
    const email = `nokey.${vendor}@example.com`;
    const app = await R.apply({ submission_token: token, candidate_email: email,
      screening_question_answers: fill(form, email) });
    const item = await waitFor(async () => (await R.review()).results.find((a) => a.id === app.id),
      { what: 'the application in the review queue' });
    assert.match(item.review_reason, new RegExp(`connectors\\.${vendor}\\.(api_key|company_id)`));
    assert.equal((await R.application(app.id)).status, 'PENDING');
    assert.equal((await submissions(vendor, c.job)).length, 0, 'nothing reached the vendor');
  });
}

test('greenhouse: a wrong key is refused by the vendor and the application goes to review', async () => {
  const c = CASES[0];
  const { posting, form, token } = await parsed(c.url, { greenhouse: { api_key: 'not-the-key' } });
  const app = await R.apply({ submission_token: token, candidate_email: 'wrong@example.com',
    screening_question_answers: fill(form, 'wrong@example.com') });
  const item = await waitFor(async () => (await R.review()).results.find((a) => a.id === app.id), { what: 'review' });
  assert.match(item.review_reason, /credentials|401/);
});

test('recruitee: a vendor answering 429 to the submission is retried, then accepted', async () => {
  const c = CASES[1];
  const { posting, form, token } = await parsed(c.url);
  await ats('POST', '/recruitee', { mode: '429', on: 'submit', n: 1, retry_after: 1 });
  const app = await R.apply({ submission_token: token, candidate_email: 'retry@example.com',
    screening_question_answers: fill(form, 'retry@example.com') });
  await R.waitApplication(app.id, 'SUBMITTED');
  assert.equal((await submissions('recruitee', c.job)).filter((s) => s.accepted).length, 1);
});

test('career sites: connector settings are checked, never returned', async () => {
  const bad = [
    [{ connectors: 5 }, /connectors must be an object/],
    [{ connectors: { nosuch: { api_key: 'x' } } }, /no such connector/],
    [{ connectors: { recruitee: { api_key: 'x' } } }, /no such connector takes settings/],
    [{ connectors: { greenhouse: { password: 'x' } } }, /not a setting/],
    [{ connectors: { greenhouse: { api_key: '' } } }, /non-empty string/],
    [{ connectors: { greenhouse: { api_key: 'x'.repeat(5000) } } }, /at most 4096/],
    [{ connectors: { greenhouse: 'x' } }, /must be an object/],
  ];
  for (const [body, re] of bad) {
    const res = await api.post('/v1/ai-apply/career-sites', { label: 'X', ...body });
    expectError(res, 400, '', JSON.stringify(body).slice(0, 60));
    assert.match(res.json.error.message, re);
    assert.ok(!res.text.includes('x'.repeat(20)), 'the value is not echoed');
  }
  const cs = await siteWith({ greenhouse: { api_key: 'super-secret-123', board_token: 'brightwave' } });
  assert.ok(!JSON.stringify(cs).includes('super-secret-123'));
  const list = await api.get(`/v1/ai-apply/career-sites?ids=${cs.id}`);
  assert.ok(!list.text.includes('super-secret-123') && !list.text.includes('connectors'));
  const row = sql(engine, `SELECT connectors FROM career_sites WHERE id = '${cs.id}'`)[0];
  assert.ok(row.connectors && !row.connectors.includes('super-secret'), 'stored sealed');
  assert.ok(!engine.stderr.some((l) => l.includes('super-secret-123')));
});

test('greenhouse: a custom careers page with ?gh_jid= reads the board from the career site', async () => {
  const { form } = await parsed('https://careers.brightwave.example/jobs?gh_jid=4012001',
    { greenhouse: { board_token: 'brightwave' } });
  assert.ok(questions(form).length >= 4);
  const cs = await siteWith();
  const p = await R.createPosting({ url: 'https://careers.brightwave.example/jobs?gh_jid=4012001', career_site_id: cs.id });
  await R.waitPosting(p.id, 'UNAVAILABLE');
  const row = sql(engine, `SELECT last_error FROM postings WHERE id = '${p.id}'`)[0];
  assert.match(row.last_error, /board_token/);
});
