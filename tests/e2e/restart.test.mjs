// restart.test.mjs - durability and operations: data survives a SIGKILL, work in flight at the
// crash (a parse, an apply) completes after the restart (leases returned), one engine per
// SQLite file (lock), and the unauthenticated /healthz and /metrics endpoints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, client, waitFor, sql, STORE, SQLITE_ONLY } from './lib/harness.mjs';
import { assertSchema } from './lib/schema.mjs';
import { findQuestion, answerAll } from './lib/forms.mjs';
import { resources, events, assertEvent, runToExit, waitLog } from './lib/helpers.mjs';

const ARGS = ['--fetch-timeout', '5s'];
let engine, site, api, R;
before(async () => {
  site = await startSite();
  engine = await startEngine({ args: ARGS });
  api = client(engine);
  R = resources(api);
});
after(async () => {
  const code = await engine.stop();
  await site.stop();
  engine.cleanup();
  assert.equal(code, 0, 'engine exits cleanly on SIGTERM (no leaks under sanitizers)');
});

async function restart() {
  engine = await startEngine({ dir: engine.dir, args: ARGS });
  api = client(engine);
  R = resources(api);
}

test('GET /healthz answers without authentication', async () => {
  const r = await client(engine, null).get('/healthz');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /application\/json/);
  assert.equal(r.json.status, 'ok');
  assert.equal(r.json.database, 'ok');
  assert.equal(r.json.store, STORE); // 'sqlite', or 'postgres' under OA_E2E_DB=postgres
  assert.equal(typeof r.json.version, 'string');
  assert.equal(typeof r.json.uptime_seconds, 'number');
});

test('GET /metrics is Prometheus text with postings and applications by state', async () => {
  const p = await R.newPosting(site.jobUrl('backend-engineer'));
  await R.waitPosting(p.id, 'APPLYABLE');
  const un = await R.newPosting(site.jobUrl('office-manager'));
  await R.waitPosting(un.id, 'UNAVAILABLE');
  const r = await client(engine, null).get('/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain/);
  const text = r.text;
  assert.match(text, /^# TYPE openapply_postings gauge$/m);
  const val = (re) => Number(text.match(re)?.[1]);
  const counts = sql(engine, 'SELECT availability, COUNT(*) AS n FROM postings GROUP BY availability');
  const n = (av) => counts.find((c) => c.availability === av)?.n ?? 0;
  for (const av of ['PENDING', 'APPLYABLE', 'UNAVAILABLE', 'ARCHIVED']) {
    assert.equal(val(new RegExp(`^openapply_postings\\{availability="${av}"\\} (\\d+)$`, 'm')), n(av), `postings ${av}`);
  }
  assert.ok(n('APPLYABLE') >= 1 && n('UNAVAILABLE') >= 1);
  for (const st of ['PENDING', 'SUBMITTED', 'FAILED', 'DUPLICATE']) {
    assert.match(text, new RegExp(`^openapply_applications\\{status="${st}"\\} \\d+$`, 'm'));
  }
  const evCount = sql(engine, 'SELECT COUNT(*) AS n FROM events')[0].n;
  assert.equal(val(/^openapply_events_total (\d+)$/m), evCount);
  assert.equal(val(/^openapply_events_stored (\d+)$/m), evCount);
  // The figures come from trigger-kept counters: they match a fresh count of the tables.
  const one = (q) => sql(engine, q)[0].n;
  for (const kind of ['parse', 'apply']) {
    assert.equal(val(new RegExp(`^openapply_jobs_queued\\{kind="${kind}"\\} (\\d+)$`, 'm')),
      one(`SELECT COUNT(*) AS n FROM jobs WHERE kind = '${kind}'`), `jobs ${kind}`);
  }
  assert.equal(val(/^openapply_review_queue_depth (\d+)$/m),
    one("SELECT COUNT(*) AS n FROM applications WHERE needs_review = 1 AND status = 'PENDING'"));
  for (const st of ['pending', 'delivered', 'failed', 'cancelled']) {
    assert.equal(val(new RegExp(`^openapply_webhook_deliveries\\{status="${st}"\\} (\\d+)$`, 'm')),
      one(`SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = '${st}'`), `deliveries ${st}`);
  }
  // The store's own work: counters, and a scrape is one read transaction of one statement.
  for (const name of ['openapply_store_transactions_total', 'openapply_store_statements_total',
    'openapply_store_slow_write_transactions_total']) {
    assert.match(text, new RegExp(`^# TYPE ${name} counter$`, 'm'));
  }
  const reads = (t) => Number(t.match(/^openapply_store_transactions_total\{mode="read"\} (\d+)$/m)?.[1]);
  const stmts = (t) => Number(t.match(/^openapply_store_statements_total (\d+)$/m)?.[1]);
  const again = (await client(engine, null).get('/metrics')).text;
  assert.ok(reads(again) >= reads(text) + 1 && stmts(again) >= stmts(text) + 1);
  assert.ok(val(/^openapply_store_transactions_total\{mode="write"\} (\d+)$/m) >= 1);
  // Every sample line is NAME{labels} VALUE or NAME VALUE.
  for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
    assert.match(line, /^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?\d+(\.\d+)?$/, line);
  }
});

test('SIGKILL while a parse is in flight: data survives, the parse completes after the restart', async () => {
  await site.setJob('developpeur-web', { page: 'hang' });
  const cs = await R.createSite('Survivor GmbH');
  const p = await R.createPosting({ url: site.jobUrl('developpeur-web'), career_site_id: cs.id, job_code: 'KILL-1' });
  await waitFor(async () => (await site.state()).page_hits['developpeur-web'] >= 1, { what: 'parse in flight' });
  assert.equal((await R.posting(p.id)).availability, 'PENDING');
  await engine.kill();
  await site.setJob('developpeur-web', { page: 'ok' });

  await restart();
  const sites = await api.get(`/v1/ai-apply/career-sites?ids=${cs.id}`);
  assertSchema('GetAiApplyCareerSitesPositiveResponse', sites.json);
  assert.deepEqual(sites.json.data.results, [cs], 'the career site survived');
  const before = await R.posting(p.id);
  assert.equal(before.job_code, 'KILL-1');
  assert.equal(before.created_at, p.created_at);
  // The lease of the killed worker is returned at start-up: no waiting for it to expire (5 min).
  assert.match(await waitLog(engine, /event=jobs\.recovered/), /leases_released=1\b/);
  const done = await R.waitPosting(p.id, 'APPLYABLE', 8000);
  const ev = events(engine, p.id);
  assert.equal(ev.length, 1, 'one event, PENDING -> APPLYABLE');
  assertEvent(ev[0], 'posting', done);
  const { form } = await R.inquire(p.id);
  assert.ok(findQuestion(form, 'Prénom'));
});

test('SIGKILL while a submission is in flight: after the restart it goes to review, not to the site again', async () => {
  const p = await R.newPosting(site.jobUrl('backend-engineer'));
  await R.waitPosting(p.id, 'APPLYABLE');
  const { form, token } = await R.inquire(p.id);
  await site.setJob('backend-engineer', { submit: 'hang' });
  const email = findQuestion(form, (q) => q.unified_key === 'EMAIL');
  const a = await R.apply({ submission_token: token, candidate_email: 'crash@example.com',
    screening_question_answers: answerAll(form, { [email.question_id]: 'crash@example.com' }) });
  const mine = async () => (await site.submissions('backend-engineer')).filter((s) => s.fields.email?.[0] === 'crash@example.com');
  await waitFor(async () => (await mine()).length === 1, { what: 'submission in flight' });
  await engine.kill();
  await site.setJob('backend-engineer', { submit: 'ok' });

  await restart();
  assert.match(await waitLog(engine, /event=jobs\.recovered/), /leases_released=1\b/);
  // The site may have it: the application is kept for a human, never sent twice.
  const item = await waitFor(async () => (await R.review()).results.find((x) => x.id === a.id), { what: 'in review' });
  assert.equal(item.status, 'PENDING', 'the application survived, still PENDING');
  assert.match(JSON.stringify(item), /not sent again/);
  const subs = await mine();
  assert.deepEqual(subs.map((s) => s.status_returned), [null], 'only the hung attempt reached the site');
  assert.equal(events(engine, a.id).length, 0, 'no status change, no event');
});

test('a second engine on the same SQLite file refuses to start', { skip: SQLITE_ONLY }, async () => {
  const r = await runToExit(['serve', '--listen', '127.0.0.1:0', '--db', `sqlite:${engine.db}`, '--api-key', 'other-key'], { ms: 10000 });
  assert.notEqual(r.code, 0, 'non-zero exit');
  assert.equal(r.signal, null, 'exited, did not crash');
  assert.match(r.stderr, /lock/i, r.stderr);
  assert.doesNotMatch(r.stdout, /listening/);
  // The running engine is unaffected.
  const h = await client(engine, null).get('/healthz');
  assert.equal(h.status, 200);
  const list = await api.get('/v1/ai-apply/career-sites');
  assert.equal(list.status, 200);
  assertSchema('GetAiApplyCareerSitesPositiveResponse', list.json);
});
