// pagination.test.mjs - cursor pagination of every list: page sizes, `next` cursors until null,
// creation order without duplicates or gaps, filters combined with paging, and bad paging input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, client } from './lib/harness.mjs';
import { assertSchema } from './lib/schema.mjs';
import { answerAll } from './lib/forms.mjs';
import { resources, expectError } from './lib/helpers.mjs';

let engine, site, api, R;
const sites = [], postings = [], apps = [], feeds = [];
let s1, s2, p1, p2;

before(async () => {
  site = await startSite();
  engine = await startEngine();
  api = client(engine);
  R = resources(api);
  for (let i = 0; i < 7; i++) sites.push(await R.createSite(`Site ${i}`));
  [s1, s2] = sites;
  // 7 postings on s1 (job codes A,B,A,B,...) and 2 on s2.
  for (let i = 0; i < 7; i++) {
    postings.push(await R.createPosting({ url: `${site.jobUrl('office-manager')}?n=${i}`, career_site_id: s1.id, job_code: i % 2 ? 'B' : 'A' }));
  }
  for (let i = 0; i < 2; i++) {
    postings.push(await R.createPosting({ url: `${site.jobUrl('office-manager')}?m=${i}`, career_site_id: s2.id, job_code: 'A' }));
  }
  // Applications: 5 on p1, 2 on p2.
  p1 = await R.createPosting({ url: site.jobUrl('developpeur-web'), career_site_id: sites[2].id });
  p2 = await R.createPosting({ url: site.jobUrl('disenador-ux'), career_site_id: sites[3].id });
  await R.waitPosting(p1.id, 'APPLYABLE');
  await R.waitPosting(p2.id, 'APPLYABLE');
  for (let i = 0; i < 7; i++) {
    const p = i < 5 ? p1 : p2;
    const { form, token } = await R.inquire(p.id);
    apps.push({ ...(await R.apply({ submission_token: token, candidate_email: `page${i}@example.com`, screening_question_answers: answerAll(form) })), p: p.id });
  }
  for (let i = 0; i < 4; i++) {
    const f = await api.post('/v1/ai-apply/job-feeds', { label: `Feed ${i}` });
    assert.equal(f.status, 200, f.text);
    assertSchema('PostAiApplyJobFeedsPositiveResponse', f.json);
    feeds.push(f.json.data);
  }
});
after(async () => {
  const code = await engine.stop();
  await site.stop();
  engine.cleanup();
  assert.equal(code, 0, 'engine exits cleanly on SIGTERM (no leaks under sanitizers)');
});

/** Follows `next` from the first page; returns the page sizes and all items. */
async function walk(path, schema, pageSize) {
  const sizes = [], items = [];
  let cursor = null;
  for (let guard = 0; guard < 100; guard++) {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}page_size=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const r = await api.get(url);
    assert.equal(r.status, 200, `${url}: ${r.text}`);
    assertSchema(schema, r.json);
    const { results, next } = r.json.data;
    assert.ok(results.length <= pageSize, `${url}: page not larger than page_size`);
    // A full last page may be followed by one empty page with next: null (not counted).
    if (!(results.length === 0 && next === null && sizes.length > 0)) sizes.push(results.length);
    items.push(...results);
    if (next === null) return { sizes, items };
    assert.equal(typeof next, 'string');
    assert.notEqual(next, cursor, 'the cursor moves on');
    cursor = next;
  }
  throw new Error('pagination did not end');
}

function assertSameOrder(items, expected, what) {
  const got = items.map((x) => x.id);
  assert.equal(new Set(got).size, got.length, `${what}: no duplicates`);
  assert.deepEqual(got, expected.map((x) => x.id), `${what}: all items, in creation order`);
}

test('career sites: page_size=3 gives 3, 3, 1 then next null', async () => {
  const { sizes, items } = await walk('/v1/ai-apply/career-sites', 'GetAiApplyCareerSitesPositiveResponse', 3);
  assert.deepEqual(sizes, [3, 3, 1]);
  assertSameOrder(items, sites, 'career sites');
  for (const n of [1, 2, 7, 250]) {
    const w = await walk('/v1/ai-apply/career-sites', 'GetAiApplyCareerSitesPositiveResponse', n);
    assertSameOrder(w.items, sites, `career sites page_size=${n}`);
  }
  const all = await api.get('/v1/ai-apply/career-sites');
  assertSchema('GetAiApplyCareerSitesPositiveResponse', all.json);
  assert.equal(all.json.data.results.length, 7, 'default page size holds all');
  assert.equal(all.json.data.next, null);
});

test('postings: filters by career_site_ids, ids and job_codes page the same way', async () => {
  const onS1 = postings.filter((p) => p.career_site.id === s1.id);
  let w = await walk(`/v1/ai-apply/postings?career_site_ids=${s1.id}`, 'GetAiApplyPostingsPositiveResponse', 3);
  assert.deepEqual(w.sizes, [3, 3, 1]);
  assertSameOrder(w.items, onS1, 'postings of s1');

  const picked = [postings[0], postings[2], postings[4], postings[8]];
  w = await walk(`/v1/ai-apply/postings?ids=${picked.map((p) => p.id).join(',')}`, 'GetAiApplyPostingsPositiveResponse', 3);
  assert.deepEqual(w.sizes, [3, 1]);
  assertSameOrder(w.items, picked, 'postings by ids');

  const codeA = postings.filter((p) => p.job_code === 'A');
  w = await walk('/v1/ai-apply/postings?job_codes=A', 'GetAiApplyPostingsPositiveResponse', 2);
  assert.deepEqual(w.sizes, [2, 2, 2]);
  assertSameOrder(w.items, codeA, 'postings with job code A');

  w = await walk(`/v1/ai-apply/postings?job_codes=A&career_site_ids=${s2.id}`, 'GetAiApplyPostingsPositiveResponse', 1);
  assertSameOrder(w.items, postings.slice(7), 'job code A on s2');

  w = await walk(`/v1/ai-apply/postings?career_site_ids=${s1.id},${s2.id}&job_codes=A,B`, 'GetAiApplyPostingsPositiveResponse', 4);
  assert.deepEqual(w.sizes, [4, 4, 1]);
  assertSameOrder(w.items, postings, 'both sites, both codes');

  const none = await api.get('/v1/ai-apply/postings?job_codes=NOPE');
  assertSchema('GetAiApplyPostingsPositiveResponse', none.json);
  assert.deepEqual(none.json.data, { results: [], next: null });
});

test('applications: paged and filtered by job_posting_ids', async () => {
  const onP1 = apps.filter((a) => a.p === p1.id);
  let w = await walk(`/v1/ai-apply/applications?job_posting_ids=${p1.id}`, 'GetAiApplyApplicationsPositiveResponse', 2);
  assert.deepEqual(w.sizes, [2, 2, 1]);
  assertSameOrder(w.items, onP1, 'applications of p1');
  assert.ok(w.items.every((a) => a.job_posting_id === p1.id));

  w = await walk('/v1/ai-apply/applications', 'GetAiApplyApplicationsPositiveResponse', 3);
  assert.deepEqual(w.sizes, [3, 3, 1]);
  assertSameOrder(w.items, apps, 'all applications');

  w = await walk(`/v1/ai-apply/applications?ids=${apps[6].id},${apps[1].id}`, 'GetAiApplyApplicationsPositiveResponse', 1);
  assertSameOrder(w.items, [apps[1], apps[6]], 'applications by ids');
});

test('job feeds: paged like the rest', async () => {
  const w = await walk('/v1/ai-apply/job-feeds', 'GetAiApplyJobFeedsPositiveResponse', 3);
  assert.deepEqual(w.sizes, [3, 1]);
  assertSameOrder(w.items, feeds, 'job feeds');
});

test('bad page_size, cursor or query parameters answer 400 naming them', async () => {
  for (const list of ['career-sites', 'postings', 'applications', 'job-feeds', 'review']) {
    const base = `/v1/ai-apply/${list}`;
    for (const v of ['0', '251', 'abc', '-1', '2.5', '', '99999999999999999999999']) {
      expectError(await api.get(`${base}?page_size=${v}`), 400, 'page_size', `${list} page_size=${v}`);
    }
    expectError(await api.get(`${base}?cursor=garbage!!`), 400, 'cursor', `${list} garbage cursor`);
    expectError(await api.get(`${base}?cursor=${Buffer.from('c1:abc').toString('base64url')}`), 400, 'cursor', `${list} forged cursor`);
    expectError(await api.get(`${base}?colour=blue`), 400, 'colour', `${list} unknown parameter`);
    expectError(await api.get(`${base}?page_size=1&page_size=2`), 400, 'page_size', `${list} page_size twice`);
  }
  expectError(await api.get('/v1/ai-apply/career-sites?job_codes=A'), 400, 'job_codes', 'a filter another list has');
});
