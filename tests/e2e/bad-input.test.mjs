// bad-input.test.mjs - a matrix of client mistakes: each answers the right 4xx with Kombo's
// error shape and a message naming the problem, never a 5xx, and the engine stays healthy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, client } from './lib/harness.mjs';
import { assertSchema } from './lib/schema.mjs';
import { resources, expectError, rawRequest } from './lib/helpers.mjs';

let engine, api, R, cs, feed, posting;
const GOOD_URL = 'http://127.0.0.1:9/jobs/x'; // parsing will fail; only the input matters here

before(async () => {
  engine = await startEngine();
  api = client(engine);
  R = resources(api);
  cs = await R.createSite('Bad Input Co');
  posting = await R.createPosting({ url: GOOD_URL, career_site_id: cs.id });
  const f = await api.post('/v1/ai-apply/job-feeds', { label: 'Bad Input Feed' });
  assert.equal(f.status, 200, f.text);
  assertSchema('PostAiApplyJobFeedsPositiveResponse', f.json);
  feed = f.json.data;
});
after(async () => {
  const code = await engine.stop();
  engine.cleanup();
  assert.equal(code, 0, 'engine exits cleanly on SIGTERM (no leaks under sanitizers)');
});

/** Runs every case, then fails once listing every case that failed (a matrix shows all holes). */
async function matrix(cases, fn) {
  const failures = [];
  for (const c of cases) {
    try { await fn(c); } catch (e) { failures.push(e.message.split('\n').slice(0, 3).join(' | ')); }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases failed:\n${failures.join('\n')}`);
}

const postRaw = (path, raw, headers = {}) => api.call('POST', path, undefined, { raw, headers: { 'content-type': 'application/json', ...headers } });

test('bodies that are not a JSON object', async () => {
  const cases = [
    ['/v1/ai-apply/career-sites', '{"label": "x"', /JSON/],
    ['/v1/ai-apply/career-sites', '{label: "x"}', /JSON/],
    ['/v1/ai-apply/career-sites', '["label"]', /object/],
    ['/v1/ai-apply/career-sites', '"label"', /object|'\{' expected/],
    ['/v1/ai-apply/career-sites', '42', /object|'\{' expected/],
    ['/v1/ai-apply/career-sites', 'null', /object|'\{' expected/],
    ['/v1/ai-apply/career-sites', '', /empty/],
    ['/v1/ai-apply/career-sites', '  \n ', /empty/],
    ['/v1/ai-apply/postings', '', /empty/],
    ['/v1/ai-apply/apply', '', /empty/],
    ['/v1/ai-apply/job-feeds', '', /empty/],
    ['/v1/ai-apply/career-sites', '{"label":"a","label":"b"}', /duplicate/i],
    ['/v1/ai-apply/career-sites', '{"label":"x"} {"label":"y"}', /JSON/],
    [`/v1/ai-apply/postings/${posting.id}/inquire`, '[]', /object/],
  ];
  await matrix(cases, async ([path, raw, word]) => expectError(await postRaw(path, raw), 400, word, `${path} ${JSON.stringify(raw)}`));
});

test('wrong types and missing or empty fields name the field', async () => {
  const P = '/v1/ai-apply/postings';
  const ok = { url: GOOD_URL, career_site_id: cs.id };
  const cases = [
    ['/v1/ai-apply/career-sites', { label: 5 }, 'label'],
    ['/v1/ai-apply/career-sites', { label: null }, 'label'],
    ['/v1/ai-apply/career-sites', { label: '' }, 'label'],
    ['/v1/ai-apply/career-sites', { label: 'x'.repeat(501) }, 'label'],
    ['/v1/ai-apply/career-sites', {}, 'label'],
    ['/v1/ai-apply/job-feeds', {}, 'label'],
    ['/v1/ai-apply/job-feeds', { label: ['a'] }, 'label'],
    [P, { ...ok, url: [] }, 'url'],
    [P, { ...ok, url: 42 }, 'url'],
    [P, { career_site_id: cs.id }, 'url'],
    [P, { url: GOOD_URL }, 'career_site_id'],
    [P, { ...ok, career_site_id: null }, 'career_site_id'],
    [P, { ...ok, career_site_id: 7 }, 'career_site_id'],
    [P, { ...ok, job_code: 12 }, 'job_code'],
    [P, { ...ok, job_code: 'x'.repeat(501) }, 'job_code'],
    [P, { ...ok, location: 'DE' }, 'location'],
    [P, { ...ok, location: ['DE'] }, 'location'],
    [P, { ...ok, location: { country: 'XX' } }, 'country'],
    [P, { ...ok, location: { country: 'Germany' } }, 'country'],
    [P, { ...ok, location: {} }, 'country'],
    [P, { ...ok, location: { postal_code: '10115' } }, 'country'],
    [P, { ...ok, location: { country: 'DE', postal_code: 10115 } }, 'postal_code'],
    [P, { ...ok, url: 'ftp://example.com/job' }, 'url'],
    [P, { ...ok, url: 'javascript:alert(1)' }, 'url'],
    [P, { ...ok, url: 'http://' }, 'url'],
    [P, { ...ok, url: 'http://:8080/jobs/1' }, 'url'],
    [P, { ...ok, url: 'https://?q=1' }, 'url'],
    [P, { ...ok, url: 'http://#top' }, 'url'],
    [P, { ...ok, url: 'http://user@example.com/jobs/1' }, 'url'],
    [P, { ...ok, url: 'http://exa mple.com/jobs/1' }, 'url'],
    [P, { ...ok, url: `http://example.com/${'a'.repeat(9000)}` }, 'url'],
    [P, { ...ok, url: 'https://user:secret@example.com/jobs/1' }, 'url'],
    [P, { ...ok, url: 'not a url' }, 'url'],
    [P, { ...ok, url: '/jobs/relative' }, 'url'],
    [P, { ...ok, url: '' }, 'url'],
    ['/v1/ai-apply/apply', { candidate_email: 'a@example.com', screening_question_answers: [] }, 'submission_token'],
    ['/v1/ai-apply/apply', { submission_token: 'x', screening_question_answers: [] }, 'candidate_email'],
    ['/v1/ai-apply/apply', { submission_token: 5, candidate_email: 'a@example.com', screening_question_answers: [] }, 'submission_token'],
    ['/v1/ai-apply/apply', { submission_token: 'x', candidate_email: 'a@example.com', screening_question_answers: {} }, 'screening_question_answers'],
    ['/v1/ai-apply/apply', { submission_token: 'x', candidate_email: 'a@example.com', screening_question_answers: [], query_params: 'a=b' }, 'query_params'],
    ['/v1/ai-apply/apply', { submission_token: 'x', candidate_email: 'a@example.com', screening_question_answers: [], query_params: { a: 1 } }, 'query_params'],
    ['/v1/ai-apply/apply', { submission_token: 'x', candidate_email: 'a@example.com', screening_question_answers: [], additional_clicks: 'many' }, 'additional_clicks'],
    ['/v1/ai-apply/apply', { submission_token: 'x', candidate_email: 'a@example.com', screening_question_answers: [], additional_clicks_scatter_duration: 5 }, 'additional_clicks'],
  ];
  await matrix(cases, async ([path, body, word]) => {
    const r = await api.post(path, body);
    const err = expectError(r, 400, word, `${path} ${JSON.stringify(body).slice(0, 120)}`);
    assert.equal(err.code, 'PLATFORM.INPUT_INVALID');
  });
  // None of them created anything.
  const list = await api.get(`/v1/ai-apply/postings?career_site_ids=${cs.id}`);
  assert.deepEqual(list.json.data.results.map((p) => p.id), [posting.id]);
});

test('unknown ids in paths and bodies answer 404', async () => {
  const unknown = 'Unknown0Id000000000000aa';
  const cases = [
    [`/v1/ai-apply/postings/${unknown}/inquire`, {}, 'not found'],
    [`/v1/ai-apply/postings/${unknown}/archive`, {}, 'not found'],
    [`/v1/ai-apply/postings/not-even-an-id/inquire`, {}, 'not found'],
    [`/v1/ai-apply/postings/${'x'.repeat(300)}/archive`, {}, 'not found'],
    [`/v1/ai-apply/applications/${unknown}/review`, { decision: 'SUBMITTED' }, 'not found'],
    ['/v1/ai-apply/postings', { url: GOOD_URL, career_site_id: unknown }, 'career site'],
    ['/v1/ai-apply/postings', { url: GOOD_URL, career_site_id: 'short' }, 'career site'],
  ];
  await matrix(cases, async ([path, body, word]) => expectError(await api.post(path, body), 404, word, path.slice(0, 80)));
  const imp = await api.call('POST', `/v1/ai-apply/job-feeds/${unknown}/bulk-import`, undefined,
    { raw: `{"url":"${GOOD_URL}","career_site_label":"x"}\n`, headers: { 'content-type': 'application/x-ndjson' } });
  expectError(imp, 404, 'not found', 'bulk-import of an unknown feed');
});

test('authentication: missing, wrong scheme, unknown key -> 401', async () => {
  const noAuth = client(engine, null);
  expectError(await noAuth.get('/v1/ai-apply/career-sites'), 401, 'Authorization', 'no header');
  expectError(await noAuth.post('/v1/ai-apply/career-sites', { label: 'x' }), 401, 'Authorization', 'no header (POST)');
  const basic = await noAuth.get('/v1/ai-apply/career-sites', { headers: { authorization: 'Basic dGVzdDp0ZXN0' } });
  expectError(basic, 401, 'Bearer', 'Basic scheme');
  const bare = await noAuth.get('/v1/ai-apply/career-sites', { headers: { authorization: 'test-key-default' } });
  expectError(bare, 401, 'Bearer', 'key without scheme');
  const empty = await noAuth.get('/v1/ai-apply/career-sites', { headers: { authorization: 'Bearer ' } });
  expectError(empty, 401, 'key', 'empty key');
  expectError(await client(engine, 'wrong-key').get('/v1/ai-apply/postings'), 401, 'not valid', 'unknown key');
  expectError(await client(engine, 'x'.repeat(600)).get('/v1/ai-apply/postings'), 401, 'key', 'oversized key');
  const lower = await noAuth.get('/v1/ai-apply/career-sites', { headers: { authorization: 'bearer test-key-default' } });
  assert.equal(lower.status, 200, 'the scheme is case-insensitive');
  assertSchema('GetAiApplyCareerSitesPositiveResponse', lower.json);
});

test('unknown routes answer 404; wrong methods 405 with Allow', async () => {
  expectError(await api.get('/v1/nope'), 404, 'No such endpoint', 'unknown route');
  expectError(await api.get('/v1/ai-apply/postings/abc/nope'), 404, 'No such endpoint', 'unknown sub-route');
  expectError(await api.get('/ai-apply/postings'), 404, 'No such endpoint', 'Kombo path without /v1');
  const cases = [
    ['DELETE', '/v1/ai-apply/career-sites', 'GET, POST'],
    ['PUT', '/v1/ai-apply/postings', 'GET, POST'],
    ['GET', `/v1/ai-apply/postings/${posting.id}/inquire`, 'POST'],
    ['GET', '/v1/ai-apply/apply', 'POST'],
    ['POST', '/v1/ai-apply/applications', 'GET'],
    ['POST', '/healthz', 'GET'],
  ];
  for (const [method, path, allow] of cases) {
    const r = await api.call(method, path, method === 'GET' ? undefined : {});
    expectError(r, 405, method, `${method} ${path}`);
    const methods = (h) => (h ?? '').split(',').map((m) => m.trim()).filter(Boolean).sort();
    assert.deepEqual(methods(r.headers.get('allow')), methods(allow), `${method} ${path} Allow`);
  }
});

test('bodies over the limit answer 413 (Content-Length, chunked, bulk-import over 35 MB)', async () => {
  // Content-Length over the limit with Expect: 100-continue: answered from the headers,
  // before any body byte is sent.
  const declared = await rawRequest(engine.url, {
    path: '/v1/ai-apply/career-sites', headersOnly: true,
    headers: { authorization: 'Bearer test-key-default', 'content-type': 'application/json', 'content-length': String((1 << 20) + 10), expect: '100-continue' },
  });
  expectError(declared, 413, 'limit', '1 MiB + 10 with Content-Length');

  const chunk = Buffer.alloc(64 * 1024, 'x');
  const chunks = [Buffer.from('{"label":"'), ...Array(18).fill(chunk), Buffer.from('"}')];
  const chunked = await rawRequest(engine.url, {
    path: '/v1/ai-apply/career-sites', chunks,
    headers: { authorization: 'Bearer test-key-default', 'content-type': 'application/json' },
  });
  expectError(chunked, 413, 'limit', '1.1 MiB chunked');

  const early = await rawRequest(engine.url, {
    path: `/v1/ai-apply/job-feeds/${feed.id}/bulk-import`, headersOnly: true,
    headers: { authorization: 'Bearer test-key-default', 'content-type': 'application/x-ndjson', 'content-length': String(36 * 1000 * 1000), expect: '100-continue' },
  });
  expectError(early, 413, 'limit', '36 MB Content-Length with Expect: 100-continue, refused before the body is sent');
  // Without Expect the engine reads and discards the body, so a client still sending gets
  // the 413 rather than a reset connection.
  const sent = await rawRequest(engine.url, {
    path: '/v1/ai-apply/career-sites', chunks: [Buffer.alloc(2 << 20, 0x20)],
    headers: { authorization: 'Bearer test-key-default', 'content-type': 'application/json', 'content-length': String(2 << 20) },
  });
  expectError(sent, 413, 'limit', '2 MiB with Content-Length, body sent');

  const line = Buffer.from(`${JSON.stringify({ url: GOOD_URL, career_site_label: 'Too Big' })}\n`);
  const block = Buffer.concat(Array(Math.ceil((1 << 20) / line.length)).fill(line));
  const many = Array(Math.ceil(36e6 / block.length)).fill(block);
  const chunkedImport = await rawRequest(engine.url, {
    path: `/v1/ai-apply/job-feeds/${feed.id}/bulk-import`, chunks: many,
    headers: { authorization: 'Bearer test-key-default', 'content-type': 'application/x-ndjson' },
  });
  expectError(chunkedImport, 413, 'limit', '36 MB chunked bulk-import');
  const sites = await api.get('/v1/ai-apply/career-sites?page_size=250');
  assertSchema('GetAiApplyCareerSitesPositiveResponse', sites.json);
  assert.ok(!sites.json.data.results.some((s) => s.label === 'Too Big'), 'nothing imported');

  // Just under the limit is fine.
  const fits = await api.post('/v1/ai-apply/career-sites', { label: 'ok' });
  assert.equal(fits.status, 200);
  assertSchema('PostAiApplyCareerSitesPositiveResponse', fits.json);
});

test('invalid UTF-8, NUL characters, huge numbers and deep nesting answer 400', async () => {
  const bad = Buffer.concat([Buffer.from('{"label":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
  expectError(await postRaw('/v1/ai-apply/career-sites', bad), 400, /JSON|UTF-8/i, 'invalid UTF-8');
  const overlong = Buffer.concat([Buffer.from('{"label":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
  expectError(await postRaw('/v1/ai-apply/career-sites', overlong), 400, /JSON|UTF-8/i, 'overlong UTF-8');
  const surrogate = '{"label":"\\ud800"}';
  expectError(await postRaw('/v1/ai-apply/career-sites', surrogate), 400, /JSON|surrogate|UTF/i, 'lone surrogate escape');

  expectError(await postRaw('/v1/ai-apply/career-sites', '{"label":"a\\u0000b"}'), 400, 'NUL', 'NUL in label');
  expectError(await postRaw('/v1/ai-apply/postings', `{"url":"${GOOD_URL}\\u0000x","career_site_id":"${cs.id}"}`), 400, /NUL|url/, 'NUL in url');
  expectError(await postRaw('/v1/ai-apply/postings', `{"url":"${GOOD_URL}","career_site_id":"${cs.id}","job_code":"a\\u0000"}`), 400, 'NUL', 'NUL in job_code');

  expectError(await postRaw('/v1/ai-apply/career-sites', '{"label":"x","n":1e999999}'), 400, /JSON|number|overflow/i, 'real overflow');
  expectError(await postRaw('/v1/ai-apply/career-sites', '{"label":"x","n":123456789012345678901234567890}'), 400, /JSON|integer|too big/i, 'integer overflow');
  expectError(await postRaw('/v1/ai-apply/apply', '{"submission_token":"x","candidate_email":"a@example.com","screening_question_answers":[],"additional_clicks":1e30}'), 400, 'additional_clicks', 'huge real for an integer field');
  expectError(await postRaw('/v1/ai-apply/apply', '{"submission_token":"x","candidate_email":"a@example.com","screening_question_answers":[],"additional_clicks":-9223372036854775808}'), 400, 'additional_clicks', 'INT64_MIN');

  expectError(await postRaw('/v1/ai-apply/career-sites', '['.repeat(10000)), 400, /JSON/i, '10000 [');
  expectError(await postRaw('/v1/ai-apply/career-sites', '{"a":'.repeat(10000)), 400, /JSON/i, '10000 {"a":');
  expectError(await postRaw('/v1/ai-apply/career-sites', `{"label":"x","deep":${'['.repeat(5000)}${']'.repeat(5000)}}`), 400, /JSON|depth|nest/i, 'balanced deep nesting');
  const ndjsonDeep = await api.call('POST', `/v1/ai-apply/job-feeds/${feed.id}/bulk-import`, undefined,
    { raw: `${'['.repeat(10000)}\n`, headers: { 'content-type': 'application/x-ndjson' } });
  expectError(ndjsonDeep, 400, 'Line 1', 'deep nesting in an NDJSON line');
});

test('the engine is healthy after the whole matrix', async () => {
  const r = await client(engine, null).get('/healthz');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'ok');
  const again = await api.post('/v1/ai-apply/career-sites', { label: 'still works' });
  assert.equal(again.status, 200);
  assertSchema('PostAiApplyCareerSitesPositiveResponse', again.json);
  assert.equal(engine.proc.exitCode, null, 'still running');
});

test('oversized headers and URIs get Kombo\'s error shape (431, 414), and the engine serves on', async () => {
  const api = client(engine);
  const bigKey = client(engine, 'k'.repeat(200 * 1024));
  expectError(await bigKey.get('/v1/ai-apply/postings'), 431, 'headers', '200 KiB Authorization header');
  expectError(await api.get('/v1/ai-apply/postings', { headers: { 'x-filler': 'f'.repeat(40 * 1024) } }), 431, 'headers', '40 KiB of other headers');
  expectError(await api.get(`/v1/ai-apply/postings?ids=${'a'.repeat(200 * 1024)}`), 414, 'URI', '200 KiB query string');
  expectError(await api.get(`/v1/ai-apply/${'p'.repeat(20 * 1024)}`), 414, 'URI', '20 KiB path');
  // Just under the limits: an ordinary answer.
  const fine = await api.get('/v1/ai-apply/postings', { headers: { 'x-filler': 'f'.repeat(16 * 1024) } });
  assert.equal(fine.status, 200, fine.text);
});
