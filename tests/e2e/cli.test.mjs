// cli.test.mjs - the `openapply serve` command line: bad flags exit 2 with a message on
// stderr; with no key configured and an empty database a key is generated and printed once;
// OPENAPPLY_* environment variables work like their flags.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, freshStore } from './lib/harness.mjs';
import { assertSchema } from './lib/schema.mjs';
import { runToExit, serveRaw, expectError } from './lib/helpers.mjs';

const dirs = [], stores = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'oa-cli-')); dirs.push(d); return d; };
after(() => {
  for (const s of stores) s.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const base = (db) => ['--listen', '127.0.0.1:0', '--db', `sqlite:${db}`];

test('bad flags and values exit 2 with a message on stderr', async () => {
  const db = join(tmp(), 'x.db');
  const cases = [
    [['serve', '--listen', 'bad', '--db', `sqlite:${db}`], /listen/],
    [['serve', '--listen', '127.0.0.1:99999', '--db', `sqlite:${db}`], /listen/],
    [['serve', ...base(db), '--refresh-interval', '5x'], /refresh-interval.*5x|5x.*duration/],
    [['serve', ...base(db), '--refresh-interval', '10ms'], /refresh-interval/],
    [['serve', ...base(db), '--fetch-timeout', 'soon'], /fetch-timeout/],
    [['serve', ...base(db), '--workers', '0'], /workers/],
    [['serve', ...base(db), '--apply-retry-schedule', '1s,,x'], /apply-retry-schedule/],
    [['serve', '--listen', '127.0.0.1:0', '--db', 'mysql://x'], /db|sqlite/i],
    [['serve', ...base(db), '--no-such-flag'], /no-such-flag|unrecognized|unknown/],
    [['serve', ...base(db), 'extra-argument'], /extra-argument/],
    [['serve', ...base(db), '--api-key', 'bad tenant!:key'], /api-key|tenant/],
    [['serve', ...base(db), '--log-level', 'loud'], /log-level|loud/],
    [['no-such-command'], /no-such-command|command|usage/i],
  ];
  const failures = [];
  for (const [args, re] of cases) {
    const r = await runToExit(args);
    const what = `openapply ${args.join(' ')}`;
    try {
      assert.equal(r.code, 2, `${what}: exit code (stderr: ${r.stderr.trim()})`);
      assert.match(r.stderr, re, `${what}: stderr names the problem`);
      assert.doesNotMatch(r.stdout, /listening/, `${what}: did not start`);
    } catch (e) { failures.push(e.message.split('\n')[0]); }
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('an environment variable with a bad value exits 2 naming the variable', async () => {
  const db = join(tmp(), 'x.db');
  const r = await runToExit(['serve', ...base(db)], { env: { OPENAPPLY_REFRESH_INTERVAL: 'often' } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /OPENAPPLY_REFRESH_INTERVAL/);
});

test('no key configured and an empty database: a key is printed once and works; a restart prints none', async () => {
  // The generated key is kept in the store: this one runs on the backend of the run
  // (a SQLite file, or a fresh PostgreSQL database under OA_E2E_DB=postgres).
  const store = freshStore(tmp());
  stores.push(store);
  const fresh = ['--listen', '127.0.0.1:0', '--db', store.dbUrl];
  const e1 = await serveRaw(fresh);
  const keyLines = e1.stdout.filter((l) => /API key/.test(l));
  assert.equal(keyLines.length, 1, `one API key line: ${e1.stdout.join(' | ')}`);
  const key = keyLines[0].trim().split(/\s+/).pop();
  assert.ok(key.length >= 20, `a long random key: ${key}`);
  const ok = await client(e1, key).post('/v1/ai-apply/career-sites', { label: 'Bootstrapped' });
  assert.equal(ok.status, 200, ok.text);
  assertSchema('PostAiApplyCareerSitesPositiveResponse', ok.json);
  expectError(await client(e1, key + 'x').get('/v1/ai-apply/career-sites'), 401, 'not valid', 'a wrong key');
  assert.ok(!e1.stderr.some((l) => l.includes(key)), 'the key is not logged');
  assert.equal(await e1.stop(), 0);
  assert.equal(e1.stdout.filter((l) => /API key/.test(l)).length, 1, 'printed exactly once');

  const e2 = await serveRaw(fresh);
  const list = await client(e2, key).get('/v1/ai-apply/career-sites');
  assert.equal(list.status, 200, 'the generated key still works after a restart');
  assertSchema('GetAiApplyCareerSitesPositiveResponse', list.json);
  assert.deepEqual(list.json.data.results.map((s) => s.label), ['Bootstrapped']);
  assert.equal(await e2.stop(), 0);
  assert.deepEqual(e2.stdout.filter((l) => /API key/.test(l)), [], 'no key printed on restart');
});

test('OPENAPPLY_API_KEY=t1:k1 works like --api-key (and no key is generated)', async () => {
  const db = join(tmp(), 'env.db');
  const e = await serveRaw(base(db), { env: { OPENAPPLY_API_KEY: 't1:k1' } });
  try {
    const r = await client(e, 'k1').post('/v1/ai-apply/career-sites', { label: 'From env' });
    assert.equal(r.status, 200, r.text);
    assertSchema('PostAiApplyCareerSitesPositiveResponse', r.json);
    expectError(await client(e, 't1:k1').get('/v1/ai-apply/career-sites'), 401, 'not valid', 'the tenant prefix is not part of the key');
  } finally {
    assert.equal(await e.stop(), 0);
  }
  assert.deepEqual(e.stdout.filter((l) => /API key/.test(l)), [], 'no generated key');

  // The same tenant through the flag sees the same data.
  const f = await serveRaw([...base(db), '--api-key', 't1:k2']);
  try {
    const list = await client(f, 'k2').get('/v1/ai-apply/career-sites');
    assert.equal(list.status, 200);
    assertSchema('GetAiApplyCareerSitesPositiveResponse', list.json);
    assert.deepEqual(list.json.data.results.map((s) => s.label), ['From env'], 'tenant t1 via --api-key');
  } finally {
    assert.equal(await f.stop(), 0);
  }
});

// PostgreSQL start-up errors: each is one line naming the problem, exit code 2, and the
// password never printed. A malformed URL and a server that is not there need no cluster; a
// wrong password and a missing database run against the cluster of $OA_TEST_PG when set.
test('a bad PostgreSQL --db stops the start with one line and exit code 2, never the password', async () => {
  const cases = [
    ['postgres://u:s3cr3t-pw@[::1/x', /not a valid PostgreSQL URL/],
    ['postgres://u:s3cr3t-pw@127.0.0.1:1/x', /port 1 failed.*Connection refused.*running and reachable/],
  ];
  const pg = process.env.OA_TEST_PG && new URL(process.env.OA_TEST_PG);
  if (pg) {
    const at = `${pg.hostname}:${pg.port}`;
    cases.push([`postgres://${pg.username}:s3cr3t-pw@${at}/postgres`, /password authentication failed.*check the user and password/]);
    cases.push([`postgres://${pg.username}:${pg.password}@${at}/oa_no_such_db`, /database "oa_no_such_db" does not exist.*createdb/]);
  }
  for (const [url, re] of cases) {
    const r = await runToExit(['serve', '--listen', '127.0.0.1:0', '--db', url]);
    assert.equal(r.code, 2, `${url}: exit code (stderr: ${r.stderr.trim()})`);
    const lines = r.stderr.trim().split('\n').filter((l) => !l.includes('level='));
    assert.equal(lines.length, 1, `${url}: one line: ${r.stderr}`);
    assert.match(lines[0], re);
    assert.doesNotMatch(r.stderr + r.stdout, /s3cr3t-pw/, 'the password is not printed');
    if (pg) assert.doesNotMatch(r.stderr + r.stdout, new RegExp(pg.password), 'nor the cluster\'s');
    assert.doesNotMatch(r.stdout, /listening/);
  }
});
