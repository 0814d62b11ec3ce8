// apply.test.mjs - applications end to end: forms in four languages, conditional questions,
// answer validation, submission tokens, duplicates, the review queue and review decisions,
// retries of failing submissions, and what happens to an application in flight when its
// posting is archived or taken offline. Checks what the career site received and the events.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, client, waitFor } from './lib/harness.mjs';
import { questions, findQuestion, answerAll, PDF_BYTES, sha256 } from './lib/forms.mjs';
import { assertSchema } from './lib/schema.mjs';
import { resources, events, assertEvent, expectError, waitLog } from './lib/helpers.mjs';

let engine, site, api, R, other;
before(async () => {
  site = await startSite();
  engine = await startEngine({ keys: ['default:test-key-default', 'other:key-other'] });
  api = client(engine);
  R = resources(api);
  other = resources(client(engine, 'key-other'));
});
after(async () => {
  const code = await engine.stop();
  await site.stop();
  engine.cleanup();
  assert.equal(code, 0, 'engine exits cleanly on SIGTERM (no leaks under sanitizers)');
});
beforeEach(async () => { await site.reset(); });

const EMAIL_FIELD = { 'backend-engineer': 'email', vertriebsmitarbeiter: 'field_123', 'developpeur-web': 'courriel', 'disenador-ux': 'correo' };

/** A fresh APPLYABLE posting of slug and a form + token for it. */
async function ready(slug, res = R) {
  const p = await res.newPosting(site.jobUrl(slug));
  await res.waitPosting(p.id, 'APPLYABLE');
  const { form, token } = await res.inquire(p.id);
  return { posting: p, form, token };
}

/** Answers every question; the form's email question gets `email` (to find the submission). */
function fill(form, email, overrides = {}) {
  const q = findQuestion(form, (x) => x.unified_key === 'EMAIL');
  return answerAll(form, { [q.question_id]: email, ...overrides });
}

async function submissionsOf(slug, email) {
  return (await site.submissions(slug)).filter((s) => s.fields[EMAIL_FIELD[slug]]?.[0] === email);
}

test('German form: German labels and unified keys; applies end to end', async () => {
  const { posting, form, token } = await ready('vertriebsmitarbeiter');
  const vorname = findQuestion(form, 'Vorname');
  assert.ok(vorname, 'a "Vorname" question');
  assert.equal(vorname.unified_key, 'FIRST_NAME');
  assert.equal(vorname.question_type, 'TEXT');
  assert.equal(vorname.required, true);
  assert.equal(findQuestion(form, 'Nachname')?.unified_key, 'LAST_NAME');
  const cv = findQuestion(form, 'Lebenslauf');
  assert.equal(cv?.question_type, 'FILE');
  assert.equal(cv.required, true);
  const anrede = findQuestion(form, 'Anrede');
  assert.equal(anrede.question_type, 'SINGLE_SELECT');
  assert.deepEqual(anrede.options.map((o) => o.label), ['Herr', 'Frau', 'Divers'], 'the placeholder option is dropped');
  assert.ok(form.some((b) => b.block_type === 'SECTION' && b.label === 'Persönliche Daten'));

  const frau = anrede.options.find((o) => o.label === 'Frau');
  const app = await R.apply({
    submission_token: token, candidate_email: 'erika.musterfrau@example.de',
    screening_question_answers: fill(form, 'erika.musterfrau@example.de', { Vorname: 'Erika', Nachname: 'Musterfrau', [anrede.question_id]: frau.id }),
  });
  assert.equal(app.posting_id, posting.id);
  const done = await R.waitApplication(app.id, 'SUBMITTED');
  const subs = await submissionsOf('vertriebsmitarbeiter', 'erika.musterfrau@example.de');
  assert.equal(subs.length, 1);
  const s = subs[0];
  assert.equal(s.status_returned, 303);
  assert.equal(s.csrf_ok, true);
  assert.deepEqual(s.fields.vorname, ['Erika']);
  assert.deepEqual(s.fields.nachname, ['Musterfrau']);
  assert.deepEqual(s.fields.anrede, ['frau'], 'option ids map back to the site\'s values');
  assert.equal(s.query.schritt, 'absenden', 'query-only form action resolved');
  assert.equal(s.files.lebenslauf?.[0]?.sha256, sha256(PDF_BYTES));
  const ev = events(engine, app.id);
  assert.equal(ev.length, 1);
  assertEvent(ev[0], 'application', done);
});

test('French and Spanish forms parse with their labels and apply end to end', async () => {
  const fr = await ready('developpeur-web');
  const prenom = findQuestion(fr.form, 'Prénom');
  assert.equal(prenom?.unified_key, 'FIRST_NAME');
  assert.equal(prenom.required, true, 'required from the * in the label');
  assert.equal(findQuestion(fr.form, 'CV')?.question_type, 'FILE');
  const frApp = await R.apply({ submission_token: fr.token, candidate_email: 'jeanne@example.fr', screening_question_answers: fill(fr.form, 'jeanne@example.fr', { Prénom: 'Jeanne' }) });

  const es = await ready('disenador-ux');
  const nombre = findQuestion(es.form, 'Nombre');
  assert.equal(nombre?.unified_key, 'FIRST_NAME');
  const pais = findQuestion(es.form, 'País de residencia');
  assert.equal(pais.question_type, 'SINGLE_SELECT');
  const mx = pais.options.find((o) => o.label === 'México');
  assert.ok(mx, 'a México option');
  assert.equal(mx.unified_key, 'MX');
  const esApp = await R.apply({ submission_token: es.token, candidate_email: 'lucia@example.es', screening_question_answers: fill(es.form, 'lucia@example.es', { Nombre: 'Lucía', [pais.question_id]: mx.id }) });

  await R.waitApplication(frApp.id, 'SUBMITTED');
  await R.waitApplication(esApp.id, 'SUBMITTED');
  const [f] = await submissionsOf('developpeur-web', 'jeanne@example.fr');
  assert.deepEqual(f.fields.prenom, ['Jeanne']);
  assert.equal(f.files.cv?.[0]?.filename, 'resume.pdf');
  assert.equal(f.status_returned, 303);
  const [e] = await submissionsOf('disenador-ux', 'lucia@example.es');
  assert.deepEqual(e.fields.nombre, ['Lucía']);
  assert.deepEqual(e.fields.pais, ['MX']);
  assert.equal(e.status_returned, 303);
});

test('conditional question: display_when points at the work arrangement and its Remote option', async () => {
  const { form, token } = await ready('backend-engineer');
  const tz = findQuestion(form, 'Which timezone are you in?');
  const wa = findQuestion(form, 'Preferred work arrangement');
  const remote = wa.options.find((o) => o.label === 'Remote');
  const onsite = wa.options.find((o) => o.label === 'On-site');
  assert.deepEqual(tz.display_when, { question_id: wa.question_id, answer_equals: remote.id });
  assert.equal(tz.required, true);

  // Remote without a timezone: the shown, required question is missing.
  const bad = await api.post('/v1/ai-apply/apply', { submission_token: token, candidate_email: 'tz@example.com',
    screening_question_answers: fill(form, 'tz@example.com', { [wa.question_id]: remote.id, [tz.question_id]: null }) });
  expectError(bad, 400, tz.question_id, 'remote without timezone');
  assert.match(bad.json.error.message, /required/);

  // On-site: the timezone question is hidden and need not be answered.
  const app = await R.apply({ submission_token: token, candidate_email: 'tz@example.com',
    screening_question_answers: fill(form, 'tz@example.com', { [wa.question_id]: onsite.id, [tz.question_id]: null }) });
  await R.waitApplication(app.id, 'SUBMITTED');
  const [s] = await submissionsOf('backend-engineer', 'tz@example.com');
  assert.deepEqual(s.fields.work_arrangement, ['onsite']);
  assert.equal(s.fields.timezone, undefined, 'no timezone sent for on-site');
  assert.equal(s.status_returned, 303);

  // Remote with a timezone: sent along.
  const t2 = await R.inquire(app.posting_id);
  const app2 = await R.apply({ submission_token: t2.token, candidate_email: 'tz2@example.com',
    screening_question_answers: fill(t2.form, 'tz2@example.com', { [wa.question_id]: remote.id, [tz.question_id]: 'Europe/Lisbon' }) });
  await R.waitApplication(app2.id, 'SUBMITTED');
  const [s2] = await submissionsOf('backend-engineer', 'tz2@example.com');
  assert.deepEqual(s2.fields.work_arrangement, ['remote']);
  assert.deepEqual(s2.fields.timezone, ['Europe/Lisbon']);
});

test('answers that do not fit the form answer 400 naming the question; the token stays usable', async () => {
  const { form, token } = await ready('backend-engineer');
  const q = (label) => findQuestion(form, label);
  const why = q('Why do you want to join us?');
  const years = q('Years of professional experience');
  const team = q('Which team interests you most?');
  const start = q('Earliest start date');
  const resume = q('Resume / CV');
  const privacy = q('I have read and accept the privacy policy');
  const skills = q('Languages you use professionally');
  const base = { submission_token: token, candidate_email: 'val@example.com' };
  const cases = [
    ['missing required answer', { [why.question_id]: null }, why.question_id, /required/],
    ['empty required text', { [why.question_id]: '   ' }, why.question_id, /required/],
    ['string for NUMBER', { [years.question_id]: 'five' }, years.question_id, /number/i],
    ['unknown option id', { [team.question_id]: 'NoSuchOption1234567890ab' }, team.question_id, /option/],
    ['option label instead of id', { [team.question_id]: 'Platform' }, team.question_id, /option/],
    ['MULTI_SELECT not an array', { [skills.question_id]: skills.options[0].id }, skills.question_id, /array/],
    ['bad date', { [start.question_id]: '2027-13-45' }, start.question_id, /date/i],
    ['date in another format', { [start.question_id]: '15.01.2027' }, start.question_id, /date/i],
    ['bad base64', { [resume.question_id]: { name: 'cv.pdf', content_type: 'application/pdf', data: '%%%not base64%%%' } }, resume.question_id, /base64/],
    ['file without name', { [resume.question_id]: { content_type: 'application/pdf', data: PDF_BYTES.toString('base64') } }, resume.question_id, /name/],
    ['string for FILE', { [resume.question_id]: 'cv.pdf' }, resume.question_id, /file/i],
    ['required checkbox false', { [privacy.question_id]: false }, privacy.question_id, /must be true/],
    ['string for BOOLEAN', { [privacy.question_id]: 'yes' }, privacy.question_id, /true or false/],
  ];
  for (const [name, overrides, qid, word] of cases) {
    const r = await api.post('/v1/ai-apply/apply', { ...base, screening_question_answers: fill(form, 'val@example.com', overrides) });
    const err = expectError(r, 400, qid, name);
    assert.match(err.message, word, `${name}: ${err.message}`);
    assert.equal(err.code, 'PLATFORM.INPUT_INVALID');
  }
  const unknown = await api.post('/v1/ai-apply/apply', { ...base,
    screening_question_answers: [...fill(form, 'val@example.com'), { question_id: 'Unknown0Question0Id000000', answer: 'x' }] });
  expectError(unknown, 400, 'Unknown0Question0Id000000', 'unknown question_id');
  const twice = await api.post('/v1/ai-apply/apply', { ...base,
    screening_question_answers: [...fill(form, 'val@example.com'), { question_id: why.question_id, answer: 'again' }] });
  expectError(twice, 400, why.question_id, 'answered twice');
  const noAnswers = await api.post('/v1/ai-apply/apply', { submission_token: token, candidate_email: 'val@example.com' });
  expectError(noAnswers, 400, 'screening_question_answers', 'missing answers');
  const badEmail = await api.post('/v1/ai-apply/apply', { ...base, candidate_email: 'not-an-email', screening_question_answers: fill(form, 'val@example.com') });
  expectError(badEmail, 400, 'candidate_email', 'bad candidate_email');
  const badClicks = await api.post('/v1/ai-apply/apply', { ...base, additional_clicks: 31, screening_question_answers: fill(form, 'val@example.com') });
  expectError(badClicks, 400, 'additional_clicks', 'additional_clicks out of range');

  // None of these used the token up.
  const ok = await R.apply({ ...base, screening_question_answers: fill(form, 'val@example.com') });
  await R.waitApplication(ok.id, 'SUBMITTED');
  assert.equal((await submissionsOf('backend-engineer', 'val@example.com')).length, 1, 'only the valid application reached the site');
});

test('submission tokens: single use, signed, bound to the tenant and to an applyable posting', async () => {
  const { posting, form, token } = await ready('backend-engineer');
  const answers = fill(form, 'tok@example.com');
  const first = await R.apply({ submission_token: token, candidate_email: 'tok@example.com', screening_question_answers: answers });
  const reuse = await api.post('/v1/ai-apply/apply', { submission_token: token, candidate_email: 'tok2@example.com', screening_question_answers: answers });
  expectError(reuse, 400, 'already been used', 'token reuse');

  const garbage = await api.post('/v1/ai-apply/apply', { submission_token: 'garbage.token.value', candidate_email: 'tok@example.com', screening_question_answers: answers });
  expectError(garbage, 400, 'submission_token', 'garbage token');
  const [h, p, s] = (await R.inquire(posting.id)).token.split('.');
  const flipped = s[0] === 'A' ? 'B' + s.slice(1) : 'A' + s.slice(1);
  const tampered = await api.post('/v1/ai-apply/apply', { submission_token: `${h}.${p}.${flipped}`, candidate_email: 'tok@example.com', screening_question_answers: answers });
  expectError(tampered, 400, 'submission_token', 'tampered signature');

  // A token the other tenant got from inquire does not work with this tenant's key.
  const theirs = await ready('developpeur-web', other);
  const cross = await api.post('/v1/ai-apply/apply', { submission_token: theirs.token, candidate_email: 'tok@example.com', screening_question_answers: fill(theirs.form, 'tok@example.com') });
  // Exactly the answer a forged token gets: no way to tell that the token is genuine.
  const crossErr = expectError(cross, 400, 'submission_token', 'token from another tenant');
  const tamperedErr = tampered.json.error;
  assert.deepEqual(crossErr, tamperedErr, 'another tenant\'s token answers like a forged one');
  assert.deepEqual(garbage.json.error, tamperedErr, 'a malformed token answers like a forged one');

  // A token for a posting archived since: 400.
  const fresh = await R.inquire(posting.id);
  await R.archive(posting.id);
  const late = await api.post('/v1/ai-apply/apply', { submission_token: fresh.token, candidate_email: 'late@example.com', screening_question_answers: fill(fresh.form, 'late@example.com') });
  expectError(late, 400, /applyable/i, 'token of an archived posting');
  assert.ok(['SUBMITTED', 'FAILED'].includes((await R.application(first.id)).status));
});

test('one token applied five times at once: exactly one application', async () => {
  const { posting, form, token } = await ready('backend-engineer');
  const rs = await Promise.all([0, 1, 2, 3, 4].map((i) => api.post('/v1/ai-apply/apply', {
    submission_token: token, candidate_email: `race${i}@example.com`, screening_question_answers: fill(form, `race${i}@example.com`) })));
  const ok = rs.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, rs.map((r) => r.status).join(','));
  for (const r of rs) {
    if (r.status !== 200) expectError(r, 400, 'already been used', 'concurrent reuse');
    else assertSchema('PostAiApplyApplyPositiveResponse', r.json);
  }
  const list = await api.get(`/v1/ai-apply/applications?job_posting_ids=${posting.id}`);
  assertSchema('GetAiApplyApplicationsPositiveResponse', list.json);
  assert.equal(list.json.data.results.length, 1);
  await R.waitApplication(ok[0].json.data.id, 'SUBMITTED');
});

test('duplicate: the same email (other letter case) on one posting -> the later is DUPLICATE; the site gets one', async () => {
  const { posting, form, token } = await ready('backend-engineer');
  const t2 = (await R.inquire(posting.id)).token;
  const a1 = await R.apply({ submission_token: token, candidate_email: 'Dup.Candidate@Example.com', screening_question_answers: fill(form, 'dup.candidate@example.com') });
  const a2 = await R.apply({ submission_token: t2, candidate_email: 'dup.candidate@EXAMPLE.COM', screening_question_answers: fill(form, 'dup.candidate@example.com') });
  const s1 = await R.waitApplication(a1.id, 'SUBMITTED');
  const s2 = await R.waitApplication(a2.id, 'DUPLICATE');
  assert.equal(s2.job_posting_id, posting.id);
  const e1 = events(engine, a1.id), e2 = events(engine, a2.id);
  assert.equal(e1.length, 1);
  assertEvent(e1[0], 'application', s1);
  assert.equal(e2.length, 1, 'PENDING -> DUPLICATE is an event');
  assertEvent(e2[0], 'application', s2);
  assert.equal((await submissionsOf('backend-engineer', 'dup.candidate@example.com')).length, 1, 'only one submission reached the site');

  // The same email on another posting is no duplicate.
  const o = await ready('backend-engineer');
  const a3 = await R.apply({ submission_token: o.token, candidate_email: 'dup.candidate@example.com', screening_question_answers: fill(o.form, 'dup.candidate@example.com') });
  await R.waitApplication(a3.id, 'SUBMITTED');
});

test('review queue: a rejected submission stays PENDING in the queue; reviewers decide', async () => {
  const { posting, form, token } = await ready('backend-engineer');
  await site.setJob('backend-engineer', { submit: '422' });
  const team = findQuestion(form, 'Which team interests you most?');
  const data = team.options.find((o) => o.label === 'Data');
  const cover = findQuestion(form, 'Cover letter');
  const letter = Buffer.from('Dear team, hire me.\n'); // 20 bytes: base64 with padding
  const tokens = [token, (await R.inquire(posting.id)).token, (await R.inquire(posting.id)).token];
  const apps = [];
  for (const [i, t] of tokens.entries()) {
    apps.push(await R.apply({ submission_token: t, candidate_email: `Review${i}@Example.com`,
      screening_question_answers: fill(form, `review${i}@example.com`, { [team.question_id]: data.id,
        [cover.question_id]: { name: 'letter.txt', content_type: 'text/plain', data: letter.toString('base64') } }) }));
  }
  const queue = await waitFor(async () => {
    const q = await R.review(`?job_posting_ids=${posting.id}`);
    return q.results.length === 3 && q;
  }, { what: 'three applications in review' });
  assert.deepEqual(queue.results.map((a) => a.id), apps.map((a) => a.id), 'queue in arrival order');
  assert.equal(queue.next, null);
  const item = queue.results[0];
  assert.equal(item.job_posting_id, posting.id);
  assert.equal(item.status, 'PENDING');
  assert.equal(item.candidate_email, 'Review0@Example.com');
  assert.equal(typeof item.review_reason, 'string');
  assert.ok(item.review_reason.length > 0, 'a review reason');
  assert.equal(item.job_posting_url, site.jobUrl('backend-engineer'));
  const byQid = Object.fromEntries(item.answers.map((a) => [a.question_id, a]));
  for (const q of questions(form)) {
    if (!byQid[q.question_id]) continue;
    assert.equal(byQid[q.question_id].label, q.label, 'answers carry their question labels');
  }
  const resumeQ = findQuestion(form, 'Resume / CV');
  const fileAns = byQid[resumeQ.question_id].answer;
  assert.equal(fileAns.name, 'resume.pdf');
  assert.equal(fileAns.content_type, 'application/pdf');
  assert.equal(fileAns.size, PDF_BYTES.length, 'file size in bytes');
  assert.equal(fileAns.data, undefined, 'no file contents in the queue');
  assert.equal(byQid[team.question_id].answer, data.id);
  assert.deepEqual(byQid[team.question_id].answer_labels, ['Data']);
  for (const a of apps) {
    assert.equal((await R.application(a.id)).status, 'PENDING');
    assert.equal(events(engine, a.id).length, 0, 'entering review is no status change: no event');
  }
  const subs = await site.submissions('backend-engineer');
  assert.ok(subs.filter((s) => s.status_returned === 422).length >= 3, 'the site rejected them');

  // Decide: FAILED with a reason, SUBMITTED.
  const failed = await R.decide(apps[0].id, { decision: 'FAILED', reason: 'The site rejects the phone number format' });
  assert.equal(failed.status, 'FAILED');
  assert.equal(failed.id, apps[0].id);
  const submitted = await R.decide(apps[1].id, { decision: 'SUBMITTED' });
  assert.equal(submitted.status, 'SUBMITTED');
  for (const [a, d] of [[apps[0], failed], [apps[1], submitted]]) {
    const got = await R.application(a.id);
    assert.deepEqual(got, d, 'GET shows the decision');
    const ev = events(engine, a.id);
    assert.equal(ev.length, 1);
    assertEvent(ev[0], 'application', got);
  }
  const left = await R.review(`?job_posting_ids=${posting.id}`);
  assert.deepEqual(left.results.map((a) => a.id), [apps[2].id], 'decided applications leave the queue');

  // Bad decisions.
  const again = await api.post(`/v1/ai-apply/applications/${apps[0].id}/review`, { decision: 'SUBMITTED' });
  expectError(again, 400, 'review queue', 'reviewing a decided application');
  const badValue = await api.post(`/v1/ai-apply/applications/${apps[2].id}/review`, { decision: 'MAYBE' });
  expectError(badValue, 400, 'decision', 'bad decision value');
  const noReason = await api.post(`/v1/ai-apply/applications/${apps[2].id}/review`, { decision: 'FAILED' });
  expectError(noReason, 400, 'reason', 'FAILED without reason');
  const noDecision = await api.post(`/v1/ai-apply/applications/${apps[2].id}/review`, {});
  expectError(noDecision, 400, 'decision', 'missing decision');
  const unknown = await api.post('/v1/ai-apply/applications/Unknown0Application000000/review', { decision: 'SUBMITTED' });
  expectError(unknown, 404, 'not found', 'unknown application');
  assert.equal((await R.application(apps[2].id)).status, 'PENDING', 'bad decisions change nothing');
  assert.equal(events(engine, apps[2].id).length, 0);
  // Last, so a mismatch does not hide the checks above.
  assert.deepEqual(byQid[cover.question_id].answer, { name: 'letter.txt', content_type: 'text/plain', size: letter.length },
    'size is the file\'s byte count (also when the base64 is padded)');
});

test('an application that is not in the queue cannot be reviewed', async () => {
  const { form, token } = await ready('backend-engineer');
  const a = await R.apply({ submission_token: token, candidate_email: 'notqueued@example.com', screening_question_answers: fill(form, 'notqueued@example.com') });
  await R.waitApplication(a.id, 'SUBMITTED');
  const r = await api.post(`/v1/ai-apply/applications/${a.id}/review`, { decision: 'FAILED', reason: 'x' });
  expectError(r, 400, 'review queue', 'reviewing a SUBMITTED application');
  assert.equal((await R.application(a.id)).status, 'SUBMITTED');
});

test('a transient failure is retried: fail_first_n=1 -> SUBMITTED after two submissions', async () => {
  const { form, token } = await ready('backend-engineer');
  await site.setJob('backend-engineer', { submit: 'fail_first_n', n: 1 });
  const a = await R.apply({ submission_token: token, candidate_email: 'retry@example.com', screening_question_answers: fill(form, 'retry@example.com') });
  const done = await R.waitApplication(a.id, 'SUBMITTED');
  const subs = await submissionsOf('backend-engineer', 'retry@example.com');
  assert.deepEqual(subs.map((s) => s.status_returned), [500, 303]);
  const ev = events(engine, a.id);
  assert.equal(ev.length, 1, 'the retry itself is no status change');
  assertEvent(ev[0], 'application', done);
});

test('a site that always answers 500: retried on the schedule, then the review queue (still PENDING)', async () => {
  const { posting, form, token } = await ready('backend-engineer');
  await site.setJob('backend-engineer', { submit: '500' });
  const a = await R.apply({ submission_token: token, candidate_email: 'always500@example.com', screening_question_answers: fill(form, 'always500@example.com') });
  const item = await waitFor(async () => (await R.review(`?job_posting_ids=${posting.id}`)).results.find((x) => x.id === a.id), { what: 'in review' });
  assert.equal(item.status, 'PENDING');
  assert.equal(item.attempts, 3, 'first attempt + 2 retries');
  assert.match(item.review_reason, /500/);
  assert.equal((await submissionsOf('backend-engineer', 'always500@example.com')).length, 3);
  assert.equal((await R.application(a.id)).status, 'PENDING');
  assert.equal(events(engine, a.id).length, 0);
});

test('a hanging site with --fetch-timeout 1s: sent once, the application ends in the review queue, no crash', async () => {
  const e2 = await startEngine({ args: ['--fetch-timeout', '1s'] });
  try {
    const R2 = resources(client(e2));
    const p = await R2.newPosting(site.jobUrl('developpeur-web'));
    await R2.waitPosting(p.id, 'APPLYABLE');
    const { form, token } = await R2.inquire(p.id);
    await site.setJob('developpeur-web', { submit: 'hang' });
    const a = await R2.apply({ submission_token: token, candidate_email: 'hang@example.fr', screening_question_answers: fill(form, 'hang@example.fr') });
    const item = await waitFor(async () => (await R2.review()).results.find((x) => x.id === a.id), { what: 'in review', ms: 20000 });
    assert.equal(item.status, 'PENDING');
    // Sent once: a timeout after the bytes went out is an unknown outcome, never retried.
    assert.equal(item.attempts, 1);
    const subs = await submissionsOf('developpeur-web', 'hang@example.fr');
    assert.equal(subs.length, 1);
    assert.equal(subs[0].status_returned, null, 'the submission was left hanging');
    assert.equal(events(e2, a.id).length, 0);
    assert.equal((await client(e2).get('/healthz')).status, 200);
  } finally {
    assert.equal(await e2.stop(), 0, 'clean shutdown');
    e2.cleanup();
  }
});

test('archive while a submission is in flight: application FAILED (event); the late result changes nothing', async () => {
  const { posting, form, token } = await ready('backend-engineer');
  await site.setJob('backend-engineer', { submit: 'hang' });
  const a = await R.apply({ submission_token: token, candidate_email: 'inflight@example.com', screening_question_answers: fill(form, 'inflight@example.com') });
  await waitFor(async () => (await submissionsOf('backend-engineer', 'inflight@example.com')).length === 1, { what: 'submission in flight' });
  const mark = engine.stderr.length;
  const arch = await R.archive(posting.id);
  assert.equal(arch.archived_reason, 'MANUAL_ARCHIVE');
  const failed = await R.application(a.id);
  assert.equal(failed.status, 'FAILED');
  const ev = events(engine, a.id);
  assert.equal(ev.length, 1);
  assertEvent(ev[0], 'application', failed);
  // The hanging request times out (3s) and its result is dropped.
  const line = await waitLog(engine, new RegExp(`event=application\\.attempt .*application_id=${a.id}`), { from: mark });
  assert.match(line, /dropped=1/, 'the late result is void');
  assert.deepEqual(await R.application(a.id), failed, 'still FAILED, unchanged');
  assert.equal(events(engine, a.id).length, 1);
  assert.equal((await submissionsOf('backend-engineer', 'inflight@example.com')).length, 1, 'no retry after the archive');
});

test('a job taken offline while its application is pending: posting ARCHIVED (taken offline), application FAILED', async () => {
  const { posting, form, token } = await ready('backend-engineer');
  await site.setJob('backend-engineer', { offline: '404' });
  const a = await R.apply({ submission_token: token, candidate_email: 'gone@example.com', screening_question_answers: fill(form, 'gone@example.com') });
  const failed = await R.waitApplication(a.id, 'FAILED');
  const p = await R.posting(posting.id);
  assert.equal(p.availability, 'ARCHIVED');
  assert.equal(p.archived_reason, 'JOB_POSTING_TAKEN_OFFLINE');
  const pe = events(engine, posting.id);
  assert.deepEqual(pe.map((e) => e.body.data.availability), ['APPLYABLE', 'ARCHIVED']);
  assertEvent(pe[1], 'posting', p);
  const ae = events(engine, a.id);
  assert.equal(ae.length, 1);
  assertEvent(ae[0], 'application', failed);
  assert.equal((await submissionsOf('backend-engineer', 'gone@example.com')).length, 0, 'nothing was submitted');
});
