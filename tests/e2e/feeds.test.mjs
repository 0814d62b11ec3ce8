// feeds.test.mjs - job feeds and the NDJSON bulk import: career sites created by label,
// postings parsed, postings left out of a later import archived (REMOVED_FROM_JOB_FEED) and
// revived when they come back, all-or-nothing validation naming the bad line, an import that
// fails part-way (it says what it committed and archives nothing), and two concurrent imports
// of one feed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, client, sql, dbExec, dbCliMissing, BACKEND } from './lib/harness.mjs';
import { assertSchema } from './lib/schema.mjs';
import { resources, events, assertEvent, expectError } from './lib/helpers.mjs';

let engine, site, api, R, feed;
before(async () => {
  site = await startSite();
  engine = await startEngine();
  api = client(engine);
  R = resources(api);
  feed = await createFeed('Main feed');
});
after(async () => {
  const code = await engine.stop();
  await site.stop();
  engine.cleanup();
  assert.equal(code, 0, 'engine exits cleanly on SIGTERM (no leaks under sanitizers)');
});

async function createFeed(label) {
  const r = await api.post('/v1/ai-apply/job-feeds', { label });
  assert.equal(r.status, 200, r.text);
  assertSchema('PostAiApplyJobFeedsPositiveResponse', r.json);
  assert.equal(r.json.data.label, label);
  return r.json.data;
}

const ndjson = (lines) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';
const importRaw = (feedId, raw) => api.call('POST', `/v1/ai-apply/job-feeds/${feedId}/bulk-import`, undefined,
  { raw, headers: { 'content-type': 'application/x-ndjson' } });
async function importOk(feedId, lines) {
  const r = await importRaw(feedId, typeof lines === 'string' ? lines : ndjson(lines));
  assert.equal(r.status, 200, r.text);
  assertSchema('BulkImportResponse', r.json);
  return r.json.data;
}
async function postingsByCode(codes) {
  const r = await api.get(`/v1/ai-apply/postings?job_codes=${codes.join(',')}`);
  assertSchema('GetAiApplyPostingsPositiveResponse', r.json);
  return Object.fromEntries(r.json.data.results.map((p) => [p.job_code, p]));
}
async function siteLabels() {
  const r = await api.get('/v1/ai-apply/career-sites?page_size=250');
  assertSchema('GetAiApplyCareerSitesPositiveResponse', r.json);
  return r.json.data.results.map((s) => s.label);
}

test('POST and GET job-feeds', async () => {
  const second = await createFeed('Second feed');
  const r = await api.get('/v1/ai-apply/job-feeds');
  assertSchema('GetAiApplyJobFeedsPositiveResponse', r.json);
  assert.deepEqual(r.json.data.results, [feed, second]);
  assert.equal(r.json.data.next, null);
  const one = await api.get(`/v1/ai-apply/job-feeds?ids=${second.id}`);
  assertSchema('GetAiApplyJobFeedsPositiveResponse', one.json);
  assert.deepEqual(one.json.data.results, [second]);
  expectError(await api.post('/v1/ai-apply/job-feeds', { label: '' }), 400, 'label', 'empty label');
});

test('import, re-import without a line (archived), re-add (revived)', async () => {
  const lines = [
    { url: site.jobUrl('backend-engineer'), career_site_label: 'Feed Site A', job_code: 'F-1' },
    { url: site.jobUrl('developpeur-web'), career_site_label: 'Feed Site A', job_code: 'F-2', location: { country: 'FR', postal_code: '75001' } },
    { url: site.jobUrl('disenador-ux'), career_site_label: 'Feed Site B', job_code: 'F-3' },
  ];
  const labelsBefore = await siteLabels();
  const first = await importOk(feed.id, lines);
  assert.deepEqual(first, { created: 3, processed: 3, archived: 0 });
  const labels = await siteLabels();
  assert.deepEqual(labels.filter((l) => !labelsBefore.includes(l)).sort(), ['Feed Site A', 'Feed Site B'], 'career sites created by label, once each');

  let ps = await postingsByCode(['F-1', 'F-2', 'F-3']);
  assert.equal(ps['F-1'].career_site.label, 'Feed Site A');
  assert.equal(ps['F-2'].career_site.id, ps['F-1'].career_site.id, 'same label, same career site');
  assert.equal(ps['F-3'].career_site.label, 'Feed Site B');
  for (const code of ['F-1', 'F-2', 'F-3']) {
    assert.equal(ps[code].url, lines[Number(code[2]) - 1].url);
    await R.waitPosting(ps[code].id, 'APPLYABLE');
  }
  const { form } = await R.inquire(ps['F-2'].id);
  assert.ok(form.length > 0, 'the imported posting was parsed');

  // Same feed again, without F-3, with blank lines around: F-3 is archived.
  const second = await importOk(feed.id, `\n${JSON.stringify(lines[0])}\n   \n\r\n${JSON.stringify(lines[1])}\n\n`);
  assert.deepEqual(second, { created: 0, processed: 2, archived: 1 });
  assert.deepEqual((await siteLabels()).length, labels.length, 'no new career sites');
  const gone = await R.posting(ps['F-3'].id);
  assert.equal(gone.availability, 'ARCHIVED');
  assert.equal(gone.archived_reason, 'REMOVED_FROM_JOB_FEED');
  assert.ok(gone.archived_at);
  let ev = events(engine, gone.id);
  assert.deepEqual(ev.map((e) => e.body.data.availability), ['APPLYABLE', 'ARCHIVED']);
  assertEvent(ev[1], 'posting', gone);
  for (const code of ['F-1', 'F-2']) {
    assert.equal((await R.posting(ps[code].id)).availability, 'APPLYABLE', `${code} untouched`);
    assert.equal(events(engine, ps[code].id).length, 1, `${code}: no new event`);
  }

  // F-3 comes back: revived to PENDING (event), parsed again (event).
  const third = await importOk(feed.id, lines);
  assert.deepEqual(third, { created: 0, processed: 3, archived: 0 });
  ps = await postingsByCode(['F-3']);
  assert.equal(ps['F-3'].id, gone.id, 'the same posting comes back');
  const back = await R.waitPosting(gone.id, 'APPLYABLE');
  assert.equal(back.archived_at, null);
  assert.equal(back.archived_reason, null);
  ev = events(engine, gone.id);
  assert.deepEqual(ev.map((e) => e.body.data.availability), ['APPLYABLE', 'ARCHIVED', 'PENDING', 'APPLYABLE']);
  ev.forEach((e) => assertEvent(e, 'posting'));
  assert.deepEqual(ev[3].body.data, back);
});

test('postings of a feed are separate from postings made through the API', async () => {
  const f = await createFeed('Separate feed');
  const r = await importOk(f.id, [{ url: site.jobUrl('office-manager'), career_site_label: 'Feed Site A', job_code: 'SEP-1' }]);
  assert.deepEqual(r, { created: 1, processed: 1, archived: 0 });
  // Another feed's import does not archive the main feed's postings.
  const main = await postingsByCode(['F-1', 'F-2']);
  for (const p of Object.values(main)) assert.equal((await R.posting(p.id)).availability, 'APPLYABLE');
  const sep = await postingsByCode(['SEP-1']);
  await R.waitPosting(sep['SEP-1'].id, 'UNAVAILABLE');
});

test('a bad line answers 400 naming its line number and imports nothing', async () => {
  const f = await createFeed('Bad lines');
  const good = (n) => JSON.stringify({ url: `${site.jobUrl('office-manager')}?bad=${n}`, career_site_label: `Never Created ${n}`, job_code: `BAD-${n}` });
  const cases = [
    [`${good(1)}\n\n{"url": "ftp://example.com/x", "career_site_label": "X"}\n`, 'Line 3', /url/],
    [`${good(1)}\n${good(2)}\n{not json}\n${good(4)}\n`, 'Line 3', /JSON/],
    [`${good(1)}\n${good(2)}\n{"career_site_label": "X"}\n`, 'Line 3', /url/],
    [`${good(1)}\n${good(2)}\n{"url": "https://example.com/j"}\n`, 'Line 3', /career_site_label/],
    [`${good(1)}\n${good(2)}\n["an array"]\n`, 'Line 3', /object/],
    [`${good(1)}\n${good(2)}\n{"url": "https://example.com/j", "career_site_label": "X", "location": {"country": "XX"}}\n`, 'Line 3', /country/],
    [`${good(1)}\n${good(2)}\n{"url": "https://example.com/j", "career_site_label": "X", "job_code": 5}\n`, 'Line 3', /job_code/],
    [`${good(1)}\n${good(2)}\n{"url": "https://example.com/j", "career_site_label": "X", "location": "FR"}\n`, 'Line 3', /location/],
    [`{"url": "https://example.com/j", "career_site_label": ""}\n`, 'Line 1', /career_site_label/],
  ];
  for (const [raw, line, word] of cases) {
    const err = expectError(await importRaw(f.id, raw), 400, line, `${line} ${raw.split('\n')[2] ?? raw}`);
    assert.match(err.message, word, err.message);
  }
  const labels = await siteLabels();
  assert.ok(!labels.some((l) => l.startsWith('Never Created')), 'no career site created');
  assert.deepEqual(Object.keys(await postingsByCode(['BAD-1', 'BAD-2', 'BAD-4'])), [], 'no posting created');

  expectError(await importRaw(f.id, ''), 400, 'no job postings', 'empty body');
  expectError(await importRaw(f.id, '\n\n  \n'), 400, 'no job postings', 'only blank lines');
  expectError(await importRaw('Unknown0Feed000000000000', ndjson([{ url: site.jobUrl('office-manager'), career_site_label: 'X' }])), 404, 'not found', 'unknown feed');
});

test('an import that fails part-way says what it committed and archives nothing', { skip: dbCliMissing() }, async () => {
  const f = await createFeed('Failing feed');
  await site.setJob('office-manager', { page: 'hang' }); // no parse results while it runs
  const line = (i) => ({ url: `${site.jobUrl('office-manager')}?fail=${i}`, career_site_label: 'Failing Site', job_code: `FAIL-${i}` });
  const old = await importOk(f.id, [line(-1)]); // in the feed, left out of the next file
  assert.deepEqual(old, { created: 1, processed: 1, archived: 0 });
  const N = 1250, BAD = 1210;
  const lines = Array.from({ length: N }, (_, i) => line(i));
  // The database refuses the posting of line BAD (as a constraint would).
  const writeSql = (q) => dbExec(engine, q);
  if (BACKEND === 'postgres') {
    writeSql(`CREATE FUNCTION e2e_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.url = '${line(BAD).url}' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`);
    writeSql('CREATE TRIGGER e2e_refuse BEFORE INSERT ON postings FOR EACH ROW EXECUTE FUNCTION e2e_refuse()');
  } else {
    writeSql(`CREATE TRIGGER e2e_refuse BEFORE INSERT ON postings WHEN NEW.url = '${line(BAD).url}' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
  }
  let committed;
  try {
    const err = expectError(await importRaw(f.id, ndjson(lines)), 500, 'not archived', 'failed import');
    const m = err.message.match(/^Import stopped after ([\d,]+) of 1,250 lines \(\1 committed, \1 created\); postings not in the file were not archived: an internal error occurred \(request id [^)]+\)/);
    assert.ok(m, err.message);
    assert.match(m[1], /^\d{1,3}(,\d{3})*$/, 'thousands separated');
    committed = Number(m[1].replaceAll(',', ''));
    assert.ok(committed > 0 && committed <= BAD, `whole chunks before line ${BAD}: ${committed}`);
    const rows = sql(engine, `SELECT COUNT(*) AS n, SUM(CASE WHEN availability = 'ARCHIVED' THEN 1 ELSE 0 END) AS archived FROM postings WHERE job_feed_id = '${f.id}'`)[0];
    assert.equal(rows.n, 1 + committed, 'the committed chunks stay');
    assert.equal(rows.archived, 0, 'nothing archived');
    assert.ok(engine.stderr.some((l) => l.includes('job_feed.import_failed') && l.includes(`job_feed_id=${f.id}`) &&
      l.includes(`processed=${committed} `) && l.includes('archive_missing=not_run')), 'logged with the counts');
  } finally {
    if (BACKEND === 'postgres') writeSql('DROP TRIGGER IF EXISTS e2e_refuse ON postings; DROP FUNCTION IF EXISTS e2e_refuse()');
    else writeSql('DROP TRIGGER IF EXISTS e2e_refuse');
  }
  // The same file again completes it, and only now archives what it does not list.
  const again = await importOk(f.id, ndjson(lines));
  assert.equal(again.processed, N);
  assert.equal(again.created, N - committed, 'creates only what the failed import did not commit');
  assert.equal(again.archived, 1, 'the posting the file does not list');
  await site.setJob('office-manager', { page: 'ok' });
});

test('two concurrent imports of one large feed: one may get 429, none fails otherwise', async () => {
  const f = await createFeed('Large feed');
  const N = 20000;
  const parts = [];
  // The pages hang: the parse workers sit on a few slow fetches instead of writing 20k results
  // into the database while the imports run (that would only make the test slow).
  await site.setJob('office-manager', { page: 'hang' });
  for (let i = 0; i < N; i++) parts.push(`{"url":"${site.jobUrl('office-manager')}?i=${i}","career_site_label":"Large Site ${i % 3}","job_code":"L-${i}"}`);
  const body = parts.join('\n') + '\n';
  const results = await Promise.all([importRaw(f.id, body), importRaw(f.id, body)]);
  const ok = results.filter((r) => r.status === 200);
  assert.ok(ok.length >= 1, 'at least one import ran');
  for (const r of results) {
    if (r.status === 200) {
      assertSchema('BulkImportResponse', r.json);
      assert.equal(r.json.data.processed, N);
      assert.equal(r.json.data.archived, 0);
    } else {
      const err = expectError(r, 429, 'already running', 'concurrent import');
      assert.equal(err.code, 'AI_APPLY.JOB_FEED_IMPORT_ALREADY_RUNNING');
    }
  }
  assert.equal(ok.reduce((n, r) => n + r.json.data.created, 0), N, 'each posting created exactly once');
  const count = sql(engine, `SELECT COUNT(*) AS n FROM postings WHERE job_feed_id = '${f.id}'`)[0].n;
  assert.equal(count, N);
  const sites = (await siteLabels()).filter((l) => l.startsWith('Large Site'));
  assert.equal(sites.length, 3, 'three career sites, created once');
  // The feed is free again afterwards.
  const again = await importOk(f.id, body);
  assert.deepEqual(again, { created: 0, processed: N, archived: 0 });
  await site.setJob('office-manager', { page: 'ok' });
});
