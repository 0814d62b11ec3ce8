// keys.test.mjs - the API key lifecycle from the command line (`openapply keys list|create|
// revoke`) against a running engine's database, on the run's backend: a key made by the CLI
// works at once, a revoked or expired key is refused at once with the very answer a made-up key
// gets (the log alone says why, by key id), a revoked --api-key stays revoked across restarts,
// revoking the last key and restarting prints a fresh one, list never shows a key, and bad
// arguments exit 2 (1 for an unknown id) with a clear message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, client, waitFor, dbExec, dbCliMissing, freshStore } from './lib/harness.mjs';
import { runToExit, serveRaw } from './lib/helpers.mjs';

let engine;
const dirs = [], stores = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'oa-keys-')); dirs.push(d); return d; };

before(async () => {
  engine = await startEngine({ keys: ['default:test-key-default'] });
});
after(async () => {
  const code = await engine.stop();
  engine.cleanup();
  for (const s of stores) s.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  assert.equal(code, 0, 'engine exits cleanly on SIGTERM (no leaks under sanitizers)');
});

/** Runs `openapply keys ARGS --db <the engine's database>`. */
const keys = (args, db = engine.dbUrl) => runToExit(['keys', ...args, '--db', db]);

/** Creates a key with the CLI: { key, id }. */
async function create(args = [], db) {
  const r = await keys(['create', ...args], db);
  assert.equal(r.code, 0, r.stderr);
  const key = r.stdout.trim();
  assert.match(key, /^oa_[1-9A-HJ-NP-Za-km-z]{40,}$/, `the key alone on stdout: ${r.stdout}`);
  const m = r.stderr.match(/created key ([0-9a-f]{12})/);
  assert.ok(m, `the key's id on stderr: ${r.stderr}`);
  assert.ok(!r.stderr.includes(key), 'the key is printed once, on stdout only');
  return { key, id: m[1] };
}

async function listJson(args = [], db) {
  const r = await keys(['list', '--json', ...args], db);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const sites = (key, e = engine) => client(e, key).get('/v1/ai-apply/career-sites');

/** What a made-up key gets: the reference every refused key must match exactly. */
async function unknownAnswer() {
  const r = await sites('oa_made-up-key-that-never-existed');
  assert.equal(r.status, 401, r.text);
  return r.text;
}

test('a key made by the CLI works at once on the running engine, for its tenant', async () => {
  const { key, id } = await create(['--tenant', 'acme', '--label', 'ci bot']);
  const w = await client(engine, key).post('/v1/ai-apply/career-sites', { label: 'Acme careers' });
  assert.equal(w.status, 200, w.text);
  const mine = await sites(key);
  assert.deepEqual(mine.json.data.results.map((s) => s.label), ['Acme careers']);
  const other = await sites('test-key-default');
  assert.ok(!other.json.data.results.some((s) => s.label === 'Acme careers'), 'tenants stay isolated');
  const row = (await listJson()).find((k) => k.id === id);
  assert.deepEqual({ tenant: row.tenant, source: row.source, label: row.label, state: row.state, revoked_at: row.revoked_at, expires_at: row.expires_at },
    { tenant: 'acme', source: 'cli', label: 'ci bot', state: 'active', revoked_at: null, expires_at: null });
  assert.match(row.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('a revoked key is refused from the next request on, exactly like an unknown key', async () => {
  const ref = await unknownAnswer();
  const { key, id } = await create();
  assert.equal((await sites(key)).status, 200);
  const r = await keys(['revoke', id.slice(0, 8)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`revoked key ${id}`));
  const after = await sites(key);
  assert.equal(after.status, 401);
  assert.equal(after.text, ref, 'the same body as a made-up key: no oracle');
  assert.equal(after.json.error.code, 'PLATFORM.AUTHENTICATION_INVALID');
  const line = await waitFor(() => engine.stderr.find((l) => /auth\.rejected/.test(l) && l.includes(`key_id=${id}`)), { what: 'auth.rejected log line' });
  assert.match(line, /reason=revoked/);
  assert.ok(!engine.stderr.some((l) => l.includes(key)), 'the key is never logged');
  // Revoking again changes nothing and says so.
  const again = await keys(['revoke', id.toUpperCase()]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /already revoked/);
  const row = (await listJson()).find((k) => k.id === id);
  assert.equal(row.state, 'revoked');
  assert.match(row.revoked_at, /Z$/);
});

test('an expired key is refused like an unknown key', async () => {
  const ref = await unknownAnswer();
  const { key, id } = await create(['--expires', '1s']);
  const row = (await listJson()).find((k) => k.id === id);
  assert.ok(row.expires_at, 'list shows the expiry');
  await waitFor(async () => (await sites(key)).status === 401, { ms: 5000, what: 'the key to expire' });
  const r = await sites(key);
  assert.equal(r.text, ref);
  const line = await waitFor(() => engine.stderr.find((l) => /auth\.rejected/.test(l) && l.includes(`key_id=${id}`)), { what: 'log line' });
  assert.match(line, /reason=expired/);
  assert.equal((await listJson()).find((k) => k.id === id).state, 'expired');
});

test('list shows ids, never a key or its hash; --tenant filters', async () => {
  const { key, id } = await create(['--tenant', 'globex']);
  const text = await keys(['list']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^ID\s+TENANT\s+SOURCE\s+STATE/);
  assert.ok(text.stdout.includes(id));
  const json = await keys(['list', '--json']);
  for (const out of [text.stdout + text.stderr, json.stdout + json.stderr]) {
    assert.ok(!out.includes(key), 'never the key');
    assert.ok(!out.includes('test-key-default'), 'never a flag key');
    assert.ok(!/[0-9a-f]{13,}/.test(out), 'never more of a hash than the 12-character id');
  }
  const flag = JSON.parse(json.stdout).find((k) => k.source === 'flag');
  assert.equal(flag.tenant, 'default');
  const g = await listJson(['--tenant', 'globex']);
  assert.deepEqual(g.map((k) => k.id), [id]);
  assert.deepEqual(await listJson(['--tenant', 'nobody']), []);
});

test('bad arguments exit 2 with a message, an unknown id exits 1', async () => {
  const cases = [
    [[], /list, create or revoke/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['create', '--expires', 'soon'], /--expires.*soon/],
    [['create', '--expires', '0'], /--expires/],
    [['create', '--tenant', 'bad tenant!'], /--tenant/],
    [['create', '--no-such-flag'], /unknown option --no-such-flag/],
    [['create', 'extra'], /unexpected argument "extra"/],
    [['list', '--expires', '1d'], /--expires is an option of create/],
    [['revoke'], /which key/],
    [['revoke', 'abc'], /not a key id/],
    [['revoke', 'zzzzzzzzzzzz'], /not a key id/],
    [['revoke', '0123456789abcdef'], /not a key id/],
    [['revoke', 'aaaaaaaa', 'bbbbbbbb'], /one key id at a time/],
    [['list', '--db', 'mysql://x'], /--db must be sqlite:PATH/],
  ];
  for (const [args, re] of cases) {
    const r = await runToExit(['keys', ...args]);
    assert.equal(r.code, 2, `keys ${args.join(' ')}: exit 2 (${r.stderr})`);
    assert.match(r.stderr, re, `keys ${args.join(' ')}`);
    assert.match(r.stderr, /openapply keys --help/);
    assert.equal(r.stdout, '');
  }
  const unknown = await keys(['revoke', 'deadbeef']);
  assert.equal(unknown.code, 1, unknown.stderr);
  assert.match(unknown.stderr, /no key has the id deadbeef/);
  const help = await runToExit(['keys', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /openapply keys list/);
  assert.match(help.stdout, /openapply keys revoke/);
  const top = await runToExit(['--help']);
  assert.match(top.stdout, /^\s+keys\s+/m, 'openapply --help lists keys');
});

test('a prefix naming two keys is refused as ambiguous', { skip: dbCliMissing() }, async () => {
  const h = (tail) => `abcdef12${tail}`.padEnd(64, '0');
  dbExec(engine, `INSERT INTO api_keys (key_hash, key_id, tenant, source, created_at) VALUES ` +
    `('${h('0001')}', 'abcdef120001', 'amb', 'cli', 1), ('${h('0002')}', 'abcdef120002', 'amb', 'cli', 2)`);
  const r = await keys(['revoke', 'abcdef12']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /more than one key/);
  const ok = await keys(['revoke', 'abcdef120002']);
  assert.equal(ok.code, 0, ok.stderr);
  const amb = await listJson(['--tenant', 'amb']);
  assert.deepEqual(amb.map((k) => [k.id, k.state]), [['abcdef120001', 'active'], ['abcdef120002', 'revoked']]);
});

test('a revoked --api-key stays revoked after a restart, and the start says so', async () => {
  const dir = tmp();
  const e1 = await startEngine({ dir, keys: ['ops:flag-key-1', 'ops:flag-key-2'] });
  const cleanup = [];
  try {
    assert.equal((await sites('flag-key-1', e1)).status, 200);
    const flags = (await listJson(['--tenant', 'ops'], e1.dbUrl));
    assert.equal(flags.length, 2);
    const ids = flags.map((k) => k.id);
    // Which id is flag-key-1's: revoke one, see which key stops.
    const r = await keys(['revoke', ids[0]], e1.dbUrl);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /--api-key/, 'revoking a flag key says to remove it from the flags');
    const k1 = (await sites('flag-key-1', e1)).status, k2 = (await sites('flag-key-2', e1)).status;
    assert.deepEqual([k1, k2].sort(), [200, 401]);
    const revokedKey = k1 === 401 ? 'flag-key-1' : 'flag-key-2', liveKey = k1 === 401 ? 'flag-key-2' : 'flag-key-1';
    assert.equal(await e1.stop(), 0);
    const e2 = await startEngine({ dir, keys: ['ops:flag-key-1', 'ops:flag-key-2'] });
    cleanup.push(e2);
    assert.equal((await sites(revokedKey, e2)).status, 401, 'still revoked after the restart');
    assert.equal((await sites(liveKey, e2)).status, 200);
    const warn = e2.stderr.find((l) => /auth\.key_unusable/.test(l));
    assert.ok(warn, `a warning at start: ${e2.stderr.join('\n')}`);
    assert.match(warn, new RegExp(`key_id=${ids[0]}`));
    assert.match(warn, /revoked/);
    assert.match(warn, /OPENAPPLY_API_KEY/);
    assert.ok(!e2.stderr.some((l) => l.includes(revokedKey)), 'the key itself is not logged');
    assert.equal((await listJson(['--tenant', 'ops'], e2.dbUrl)).find((k) => k.id === ids[0]).state, 'revoked');
  } finally {
    for (const e of cleanup) assert.equal(await e.stop(), 0);
    await e1.stop();
    e1.cleanup();
  }
});

test('revoking the last usable key and restarting prints a fresh one', async () => {
  const store = freshStore(tmp());
  stores.push(store);
  const args = ['--listen', '127.0.0.1:0', '--db', store.dbUrl];
  const e1 = await serveRaw(args);
  const first = e1.stdout.find((l) => /API key/.test(l))?.trim().split(/\s+/).pop();
  assert.ok(first, e1.stdout.join('\n'));
  assert.equal((await sites(first, e1)).status, 200);
  const [row] = await listJson([], store.dbUrl);
  assert.equal(row.source, 'generated');
  assert.equal((await keys(['revoke', row.id], store.dbUrl)).code, 0);
  assert.equal((await sites(first, e1)).status, 401);
  assert.equal(await e1.stop(), 0);
  const e2 = await serveRaw(args);
  try {
    const fresh = e2.stdout.find((l) => /API key/.test(l))?.trim().split(/\s+/).pop();
    assert.ok(fresh && fresh !== first, `a fresh key is printed: ${e2.stdout.join('\n')}`);
    assert.equal((await sites(fresh, e2)).status, 200);
    assert.equal((await sites(first, e2)).status, 401);
  } finally {
    assert.equal(await e2.stop(), 0);
  }
  // An expired key is no usable key either; a key that is still good is.
  await create(['--expires', '1s'], store.dbUrl);
  const ids = (await listJson([], store.dbUrl)).filter((k) => k.state === 'active' && k.source === 'generated').map((k) => k.id);
  for (const id of ids) assert.equal((await keys(['revoke', id], store.dbUrl)).code, 0);
  await new Promise((r) => setTimeout(r, 1100));
  const e3 = await serveRaw(args);
  try {
    assert.equal(e3.stdout.filter((l) => /API key/.test(l)).length, 1, 'only expired and revoked keys left: a new one');
  } finally {
    assert.equal(await e3.stop(), 0);
  }
  const e4 = await serveRaw(args);
  try {
    assert.deepEqual(e4.stdout.filter((l) => /API key/.test(l)), [], 'a usable key is stored: none printed');
  } finally {
    assert.equal(await e4.stop(), 0);
  }
});
