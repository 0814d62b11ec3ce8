// apply-once.test.mjs - an application reaches the career site at most once: a slow site with
// a lease shorter than the submission (the lease is renewed while the job runs), a site that
// drops the connection after reading the body (libcurl must not resend, the engine must not
// retry: an unknown outcome goes to review), a submission that times out after it was sent,
// and kill -9 of the engine while the site holds the submission (the restarted engine sends
// it to review instead of sending it again).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, client, waitFor } from './lib/harness.mjs';
import { answerAll, findQuestion } from './lib/forms.mjs';
import { resources } from './lib/helpers.mjs';

const SLUG = 'backend-engineer';
let site;
const engines = [];
before(async () => { site = await startSite(); });
after(async () => {
  for (const e of engines) { if (e.proc.exitCode === null && e.proc.signalCode === null) assert.equal(await e.stop(), 0); e.cleanup(); }
  await site.stop();
});
beforeEach(async () => { await site.reset(); });

async function engineWith(args, dir) {
  const e = await startEngine({ args, dir });
  engines.push(e);
  return { e, R: resources(client(e)) };
}

let n = 0;
async function applyOnce(R) {
  const p = await R.newPosting(`${site.jobUrl(SLUG)}?once=${++n}`);
  await R.waitPosting(p.id, 'APPLYABLE');
  const { form, token } = await R.inquire(p.id);
  const email = `once${n}@example.com`;
  const q = findQuestion(form, (x) => x.unified_key === 'EMAIL');
  const app = await R.apply({ submission_token: token, candidate_email: email, screening_question_answers: answerAll(form, { [q.question_id]: email }) });
  return { app, email };
}

const mine = async (email) => (await site.submissions(SLUG)).filter((s) => s.fields.email?.[0] === email);

async function inReview(R, id, what) {
  return waitFor(async () => (await R.review()).results.find((x) => x.id === id), { ms: 30000, what });
}

test('a slow site and a lease shorter than the submission: exactly one submission', async () => {
  await site.setJob(SLUG, { submit: 'slow', delay_ms: 2500 });
  const { R } = await engineWith(['--job-lease', '600ms', '--fetch-timeout', '10s', '--workers', '4']);
  const { app, email } = await applyOnce(R);
  await R.waitApplication(app.id, 'SUBMITTED', 30000);
  assert.equal((await mine(email)).length, 1, 'the site received the application once');
});

test('a site that drops the connection after reading the body gets one POST; the application goes to review', async () => {
  await site.setJob(SLUG, { submit: 'drop' });
  const { R } = await engineWith([]);
  const { app, email } = await applyOnce(R);
  const item = await inReview(R, app.id, 'the unknown outcome in the review queue');
  assert.match(JSON.stringify(item), /no complete answer|unknown/i, 'the reason says the outcome is unknown');
  assert.equal((await R.application(app.id)).status, 'PENDING');
  assert.equal((await mine(email)).length, 1, 'sent once: no resend by libcurl, no retry by the engine');
});

test('a submission that times out after it was sent is not retried', async () => {
  await site.setJob(SLUG, { submit: 'hang' });
  const { R } = await engineWith(['--fetch-timeout', '1s']);
  const { app, email } = await applyOnce(R);
  await inReview(R, app.id, 'the timed-out submission in review');
  assert.equal((await mine(email)).length, 1);
});

test('kill -9 while the site holds the submission: the restarted engine does not send it again', async () => {
  await site.setJob(SLUG, { submit: 'hang' });
  const first = await engineWith(['--fetch-timeout', '30s']);
  const { app, email } = await applyOnce(first.R);
  await waitFor(async () => (await mine(email)).length === 1, { what: 'the submission at the site' });
  await first.e.kill();
  await site.setJob(SLUG, { submit: 'ok' });
  const second = await engineWith([], first.e.dir);
  const item = await inReview(second.R, app.id, 'the interrupted submission in review');
  assert.match(JSON.stringify(item), /not sent again/);
  assert.equal((await mine(email)).length, 1, 'not sent a second time after the restart');
});
