// ratelimit.test.mjs - API rate limits per key: writes beyond the burst answer 429 in Kombo's
// error shape with Retry-After; every answer carries RateLimit-* headers; reads, /healthz and
// /metrics do not count; one tenant's burst leaves another tenant unaffected; tokens come back
// at the configured rate; off disables it; bad values are refused at start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, client } from './lib/harness.mjs';
import { expectError, runToExit } from './lib/helpers.mjs';

let engine, A, B;
before(async () => {
  // 2 writes a second, bursts of 5.
  engine = await startEngine({ keys: ['acme:key-a', 'globex:key-b'], args: ['--rate-limit', '2/s,5'] });
  A = client(engine, 'key-a');
  B = client(engine, 'key-b');
});
after(async () => { assert.equal(await engine.stop(), 0); engine.cleanup(); });

const write = (c, i) => c.post('/v1/ai-apply/career-sites', { label: `Site ${i}` });

test('a burst beyond the limit gets 429 with Retry-After; the other tenant is unaffected', async () => {
  const rs = [];
  for (let i = 0; i < 8; i++) rs.push(await write(A, i));
  const ok = rs.filter((r) => r.status === 200).length;
  // Five in the burst, perhaps one more refilled while the loop ran.
  assert.ok(ok >= 5 && ok <= 6, `${ok} of 8 writes accepted`);
  const refused = rs.filter((r) => r.status === 429);
  assert.ok(refused.length >= 2);
  const e = expectError(refused[0], 429, 'Too many requests', 'over the limit');
  assert.equal(e.code, 'PLATFORM.RATE_LIMIT_EXCEEDED');
  const ra = Number(refused[0].headers.get('retry-after'));
  assert.ok(ra >= 1 && ra <= 1, `Retry-After ${ra} s`);
  for (const r of rs) {
    assert.equal(r.headers.get('ratelimit-limit'), '5');
    assert.match(r.headers.get('ratelimit-remaining'), /^\d+$/);
    assert.match(r.headers.get('ratelimit-reset'), /^\d+$/);
  }
  assert.equal(refused[0].headers.get('ratelimit-remaining'), '0');
  // Nothing of the refused writes was stored.
  const sites = await A.get('/v1/ai-apply/career-sites?page_size=250');
  assert.equal(sites.json.data.results.length, ok);
  // Globex's bucket is its own.
  for (let i = 0; i < 5; i++) assert.equal((await write(B, i)).status, 200, `globex write ${i}`);
  // Reads do not count, and still say where the tenant stands.
  const read = await A.get('/v1/ai-apply/career-sites');
  assert.equal(read.status, 200);
  assert.equal(read.headers.get('ratelimit-limit'), '5');
  for (let i = 0; i < 20; i++) assert.equal((await A.get('/v1/ai-apply/postings')).status, 200);
  // Neither do /healthz and /metrics, which carry no RateLimit headers.
  const h = await A.get('/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.headers.get('ratelimit-limit'), null);
});

test('tokens come back at the configured rate', async () => {
  const C = client(engine, 'key-b');
  while ((await write(C, 'drain')).status === 200) { /* empty the bucket */ }
  await new Promise((r) => setTimeout(r, 1100)); // 2/s: at least two tokens back
  assert.equal((await write(C, 'again')).status, 200);
});

test('--rate-limit off disables it; malformed values are refused at start', async () => {
  const off = await startEngine({ args: ['--rate-limit', 'off'] });
  try {
    const c = client(off);
    for (let i = 0; i < 300; i++) {
      const r = await write(c, i);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('ratelimit-limit'), null);
    }
  } finally { assert.equal(await off.stop(), 0); off.cleanup(); }
  for (const bad of ['0', 'fast', '10/h', '10,0', '-5', '10/s,x']) {
    const r = await runToExit(['serve', '--listen', '127.0.0.1:0', '--db', 'sqlite:/tmp/oa-rl-never.db', '--rate-limit', bad]);
    assert.equal(r.code, 2, `--rate-limit ${bad}: ${r.stderr}`);
    assert.match(r.stderr, /rate-limit/);
  }
});
