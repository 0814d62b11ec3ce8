// lifecycle.test.mjs - the job posting lifecycle over real HTTP against the sample career site:
// every transition, the event row it writes (and the ones it must not write), re-checks on the
// refresh schedule (1s here), taken offline, failed re-parses, recovery, form changes, manual
// archive, and re-submission of an archived posting.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, client, waitFor, sql } from './lib/harness.mjs';
import { findQuestion, answerAll } from './lib/forms.mjs';
import { resources, events, assertEvent, expectError, waitLog } from './lib/helpers.mjs';

let engine, site, api, R;
before(async () => {
  site = await startSite();
  engine = await startEngine({ args: ['--refresh-interval', '1s'] });
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

/** The posting's parse bookkeeping, as stored (to know a re-check ran). */
const parseRow = (id) => sql(engine, `SELECT parse_failures, last_error FROM postings WHERE id = '${id}'`)[0];

test('creation emits nothing; PENDING -> APPLYABLE writes one event; re-POST returns the same posting', async () => {
  const cs = await R.createSite('Lifecycle Co');
  const body = { url: site.jobUrl('backend-engineer'), career_site_id: cs.id, job_code: 'LC-1' };
  const created = await R.createPosting(body);
  assert.equal(created.availability, 'PENDING');
  assert.equal(created.archived_at, null);
  assert.equal(created.archived_reason, null);
  assert.equal(created.job_code, 'LC-1');
  assert.deepEqual(created.career_site, { id: cs.id, label: 'Lifecycle Co' });
  const got = await R.waitPosting(created.id, 'APPLYABLE');
  assert.equal(got.created_at, created.created_at);

  let ev = events(engine, created.id);
  assert.equal(ev.length, 1, 'one event: PENDING -> APPLYABLE (creation wrote none)');
  assertEvent(ev[0], 'posting', got);

  // The same (career_site_id, url, job_code) again: the same posting, no new event.
  const again = await R.createPosting(body);
  assert.equal(again.id, created.id);
  assert.equal(again.availability, 'APPLYABLE');
  // Another job_code is another posting.
  const other = await R.createPosting({ ...body, job_code: 'LC-2' });
  assert.notEqual(other.id, created.id);
  assert.equal(other.availability, 'PENDING');

  // Let a few scheduled re-checks run (the page is unchanged): still one event.
  const hits = (await site.state()).page_hits['backend-engineer'] ?? 0;
  await waitFor(async () => ((await site.state()).page_hits['backend-engineer'] ?? 0) >= hits + 3, { what: 're-checks' });
  ev = events(engine, created.id);
  assert.equal(ev.length, 1, 'unchanged re-parses emit nothing');
  assert.equal((await R.posting(created.id)).availability, 'APPLYABLE');
});

test('a page without an application form -> UNAVAILABLE with one event', async () => {
  const p = await R.newPosting(site.jobUrl('office-manager'));
  assert.equal(p.availability, 'PENDING');
  const got = await R.waitPosting(p.id, 'UNAVAILABLE');
  assert.equal(got.archived_at, null);
  assert.equal(got.archived_reason, null);
  const ev = events(engine, p.id);
  assert.equal(ev.length, 1);
  assertEvent(ev[0], 'posting', got);
  assert.match(parseRow(p.id).last_error ?? '', /form/i, 'the stored reason says no form was found');
});

test('the "job closed" page -> ARCHIVED with JOB_POSTING_TAKEN_OFFLINE', async () => {
  const p = await R.newPosting(site.jobUrl('closed-role'));
  const got = await R.waitPosting(p.id, 'ARCHIVED');
  assert.equal(got.archived_reason, 'JOB_POSTING_TAKEN_OFFLINE');
  assert.ok(got.archived_at, 'archived_at set');
  assert.ok(Date.parse(got.archived_at) >= Date.parse(got.created_at));
  const ev = events(engine, p.id);
  assert.equal(ev.length, 1);
  assertEvent(ev[0], 'posting', got);
});

for (const mode of ['404', '410', 'closed']) {
  test(`an APPLYABLE job taken offline (${mode}) is archived on the next re-check`, async () => {
    const p = await R.newPosting(site.jobUrl('developpeur-web'));
    const applyable = await R.waitPosting(p.id, 'APPLYABLE');
    assert.equal(applyable.archived_at, null);
    await site.setJob('developpeur-web', { offline: mode });
    const got = await R.waitPosting(p.id, 'ARCHIVED');
    assert.equal(got.archived_reason, 'JOB_POSTING_TAKEN_OFFLINE');
    assert.ok(got.archived_at, 'archived_at set');
    assert.ok(Date.parse(got.archived_at) >= Date.parse(applyable.updated_at));
    const ev = events(engine, p.id);
    assert.equal(ev.length, 2, 'APPLYABLE, then ARCHIVED');
    assertEvent(ev[0], 'posting');
    assert.equal(ev[0].body.data.availability, 'APPLYABLE');
    assertEvent(ev[1], 'posting', got);
    // An archived posting is not re-checked any more.
    const hits = (await site.state()).page_hits['developpeur-web'];
    await site.setJob('developpeur-web', { offline: false });
    const p2 = await R.newPosting(site.jobUrl('developpeur-web'));
    await R.waitPosting(p2.id, 'APPLYABLE');
    await waitFor(async () => (await site.state()).page_hits['developpeur-web'] >= hits + 3, { what: 'more re-checks' });
    assert.equal((await R.posting(p.id)).availability, 'ARCHIVED', 'stays archived');
    assert.equal(events(engine, p.id).length, 2);
  });
}

test('a failed re-parse keeps APPLYABLE and emits nothing; the stored form stays usable', async () => {
  const p = await R.newPosting(site.jobUrl('vertriebsmitarbeiter'));
  await R.waitPosting(p.id, 'APPLYABLE');
  assert.equal(parseRow(p.id).parse_failures, 0);
  await site.setJob('vertriebsmitarbeiter', { page: '500' });
  const row = await waitFor(() => { const r = parseRow(p.id); return r.parse_failures >= 2 && r; }, { what: 'two failed re-checks' });
  assert.match(row.last_error, /500/, 'the failure is recorded');
  const got = await R.posting(p.id);
  assert.equal(got.availability, 'APPLYABLE');
  assert.equal(events(engine, p.id).length, 1, 'only the first APPLYABLE event');
  const { form } = await R.inquire(p.id);
  assert.ok(findQuestion(form, 'Vorname'), 'inquire serves the last good revision');
});

test('UNAVAILABLE -> APPLYABLE when the page recovers (retries capped by the refresh interval)', async () => {
  await site.setJob('disenador-ux', { page: '500' });
  const p = await R.newPosting(site.jobUrl('disenador-ux'));
  const down = await R.waitPosting(p.id, 'UNAVAILABLE');
  assert.equal(down.archived_reason, null);
  await site.setJob('disenador-ux', { page: 'ok' });
  const up = await R.waitPosting(p.id, 'APPLYABLE');
  const ev = events(engine, p.id);
  assert.deepEqual(ev.map((e) => e.body.data.availability), ['UNAVAILABLE', 'APPLYABLE']);
  assertEvent(ev[0], 'posting');
  assertEvent(ev[1], 'posting', up);
  assert.equal(parseRow(p.id).parse_failures, 0, 'a success resets the failure count');
});

test('a changed form shows in inquire after the re-check; still APPLYABLE, no event; applying uses the new form', async () => {
  const p = await R.newPosting(site.jobUrl('backend-engineer'));
  await R.waitPosting(p.id, 'APPLYABLE');
  const v1 = await R.inquire(p.id);
  assert.equal(findQuestion(v1.form, (q) => /visa/i.test(q.label)), undefined, 'v1 has no visa question');
  assert.ok(findQuestion(v1.form, 'Portfolio or GitHub URL'));
  await site.setJob('backend-engineer', { form_variant: 'v2' });
  const v2 = await waitFor(async () => {
    const r = await R.inquire(p.id);
    return findQuestion(r.form, (q) => /visa/i.test(q.label)) && r;
  }, { what: 'new form revision' });
  const visa = findQuestion(v2.form, (q) => /visa/i.test(q.label));
  assert.equal(visa.required, true);
  assert.equal(visa.question_type, 'SINGLE_SELECT');
  assert.deepEqual(visa.options.map((o) => o.label).sort(), ['No', 'Yes']);
  assert.equal(findQuestion(v2.form, 'Portfolio or GitHub URL'), undefined, 'the dropped field is gone');
  const first1 = findQuestion(v1.form, (q) => q.unified_key === 'FIRST_NAME');
  const first2 = findQuestion(v2.form, (q) => q.unified_key === 'FIRST_NAME');
  assert.equal(first2.question_id, first1.question_id, 'unchanged fields keep their question ids');
  assert.equal((await R.posting(p.id)).availability, 'APPLYABLE');
  assert.equal(events(engine, p.id).length, 1, 'a new revision is not an availability change');

  const email = findQuestion(v2.form, (q) => q.unified_key === 'EMAIL');
  const yes = visa.options.find((o) => o.label === 'Yes');
  const app = await R.apply({
    submission_token: v2.token, candidate_email: 'v2.candidate@example.com',
    screening_question_answers: answerAll(v2.form, { [email.question_id]: 'v2.candidate@example.com', [visa.question_id]: yes.id }),
  });
  await R.waitApplication(app.id, 'SUBMITTED');
  const sub = (await site.submissions('backend-engineer')).find((s) => s.fields.email?.[0] === 'v2.candidate@example.com');
  assert.ok(sub, 'the site received the application');
  assert.equal(sub.form_variant, 'v2');
  assert.equal(sub.status_returned, 303);
  assert.deepEqual(sub.fields.visa_sponsorship, ['yes']);
});

test('manual archive -> ARCHIVED/MANUAL_ARCHIVE with one event; idempotent; inquire then answers 400', async () => {
  const p = await R.newPosting(site.jobUrl('backend-engineer'));
  await R.waitPosting(p.id, 'APPLYABLE');
  const a1 = await R.archive(p.id);
  assert.equal(a1.id, p.id);
  assert.equal(a1.availability, 'ARCHIVED');
  assert.equal(a1.archived_reason, 'MANUAL_ARCHIVE');
  assert.ok(a1.archived_at);
  const got = await R.posting(p.id);
  assert.deepEqual(got, a1, 'GET shows what archive answered');
  let ev = events(engine, p.id);
  assert.equal(ev.length, 2);
  assertEvent(ev[1], 'posting', got);

  const a2 = await R.archive(p.id);
  assert.deepEqual(a2, a1, 'archiving again changes nothing');
  ev = events(engine, p.id);
  assert.equal(ev.length, 2, 'no second event');

  const inq = await api.post(`/v1/ai-apply/postings/${p.id}/inquire`, {});
  expectError(inq, 400, /applyable/i, 'inquire on ARCHIVED');
  assert.match(inq.json.error.message, /ARCHIVED/);
});

test('inquire on UNAVAILABLE and PENDING postings answers 400', async () => {
  const un = await R.newPosting(site.jobUrl('office-manager'));
  await R.waitPosting(un.id, 'UNAVAILABLE');
  const r1 = await api.post(`/v1/ai-apply/postings/${un.id}/inquire`, {});
  expectError(r1, 400, /applyable/i, 'inquire on UNAVAILABLE');
  assert.match(r1.json.error.message, /UNAVAILABLE/);

  await site.setJob('developpeur-web', { page: 'hang' });
  const pend = await R.newPosting(site.jobUrl('developpeur-web'));
  await waitFor(async () => (await site.state()).page_hits['developpeur-web'] >= 1, { what: 'parse in flight' });
  assert.equal((await R.posting(pend.id)).availability, 'PENDING');
  const r2 = await api.post(`/v1/ai-apply/postings/${pend.id}/inquire`, {});
  expectError(r2, 400, /applyable/i, 'inquire on PENDING');
  assert.match(r2.json.error.message, /PENDING/);
  assert.equal(events(engine, pend.id).length, 0, 'nothing happened yet: no event');
});

test('re-POSTing an archived posting revives it: ARCHIVED -> PENDING -> APPLYABLE, one event each', async () => {
  const cs = await R.createSite('Revival Inc');
  const body = { url: site.jobUrl('backend-engineer'), career_site_id: cs.id };
  const p = await R.createPosting(body);
  await R.waitPosting(p.id, 'APPLYABLE');
  await R.archive(p.id);
  const revived = await R.createPosting(body);
  assert.equal(revived.id, p.id);
  assert.equal(revived.availability, 'PENDING');
  assert.equal(revived.archived_at, null);
  assert.equal(revived.archived_reason, null);
  const up = await R.waitPosting(p.id, 'APPLYABLE');
  const ev = events(engine, p.id);
  assert.deepEqual(ev.map((e) => e.body.data.availability), ['APPLYABLE', 'ARCHIVED', 'PENDING', 'APPLYABLE']);
  ev.forEach((e) => assertEvent(e, 'posting'));
  assert.equal(ev[2].body.data.archived_reason, null);
  assert.deepEqual(ev[3].body.data, up);
});

test('a job taken offline while an application waits for review: posting archived, application FAILED', async () => {
  const p = await R.newPosting(site.jobUrl('backend-engineer'));
  await R.waitPosting(p.id, 'APPLYABLE');
  await site.setJob('backend-engineer', { submit: '422' });
  const { form, token } = await R.inquire(p.id);
  const app = await R.apply({ submission_token: token, candidate_email: 'offline.review@example.com', screening_question_answers: answerAll(form) });
  await waitFor(async () => (await R.review(`?job_posting_ids=${p.id}`)).results.some((a) => a.id === app.id), { what: 'in review' });
  assert.equal(events(engine, app.id).length, 0, 'entering review is no status change');
  await site.setJob('backend-engineer', { offline: '410' });
  const arch = await R.waitPosting(p.id, 'ARCHIVED');
  assert.equal(arch.archived_reason, 'JOB_POSTING_TAKEN_OFFLINE');
  const failed = await R.application(app.id);
  assert.equal(failed.status, 'FAILED', 'archiving the posting fails its pending application');
  const ev = events(engine, app.id);
  assert.equal(ev.length, 1);
  assertEvent(ev[0], 'application', failed);
  assert.equal((await R.review(`?job_posting_ids=${p.id}`)).results.length, 0, 'gone from the review queue');
});

test('archive while the first parse is in flight: the late parse result is dropped', async () => {
  await site.setJob('developpeur-web', { page: 'hang' });
  const p = await R.newPosting(site.jobUrl('developpeur-web'));
  await waitFor(async () => (await site.state()).page_hits['developpeur-web'] >= 1, { what: 'parse in flight' });
  const mark = engine.stderr.length;
  const arch = await R.archive(p.id);
  assert.equal(arch.availability, 'ARCHIVED');
  assert.equal(arch.archived_reason, 'MANUAL_ARCHIVE');
  // The hanging fetch times out (3s); its result must not touch the archived posting.
  const line = await waitLog(engine, new RegExp(`event=posting\\.parsed .*posting_id=${p.id}`), { from: mark });
  assert.match(line, /dropped=1/, line);
  assert.deepEqual(await R.posting(p.id), arch, 'still archived, unchanged');
  const ev = events(engine, p.id);
  assert.equal(ev.length, 1, 'PENDING -> ARCHIVED only');
  assertEvent(ev[0], 'posting', arch);
});
