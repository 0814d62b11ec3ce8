// ats-fakes.test.mjs - the sample site's fake ATS vendor APIs (examples/career-site/ats/) keep
// their contract: the site's selftest passes (it checks every fake: reads, accepted and refused
// submissions, closed jobs, misbehaviour), and the harness reaches the fakes through site.ats().
// No engine: this runs once, on the plain SQLite pass (the site does not depend on the store or
// on the engine's build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, BACKEND, SANITIZED, startSite } from './lib/harness.mjs';

const skip = (BACKEND !== 'sqlite' || SANITIZED) && 'the site alone: checked once, on the plain SQLite pass';
let site;
before(async () => { if (!skip) site = await startSite(); });
after(async () => { await site?.stop(); });

test('the career site selftest passes, fake ATS APIs included', { skip }, () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'examples/career-site/selftest.mjs')], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^PASS: \d+ checks passed, 0 failed/m);
});

test('site.ats(vendor) reaches a fake: base URL, settings, jobs, submissions, reset', { skip }, async () => {
  const gh = site.ats('greenhouse');
  assert.equal(gh.base, `${site.url}/greenhouse`);
  const board = await (await fetch(`${gh.base}/v1/boards/brightwave/jobs`)).json();
  assert.equal(board.meta.total, 3);
  await gh.job(4012001, { closed: true });
  assert.equal((await gh.job(4012001)).settings.closed, true);
  assert.equal((await fetch(`${gh.base}/v1/boards/brightwave/jobs/4012001`)).status, 404);
  await gh.set({ api_key: 'k2' });
  const r = await fetch(`${gh.base}/v1/boards/brightwave/jobs/4012002`, {
    method: 'POST', headers: { authorization: `Basic ${Buffer.from('k2:').toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.org' }),
  });
  assert.equal(r.status, 200);
  const [rec] = await gh.submissions('4012002');
  assert.equal(rec.accepted, true);
  assert.equal(rec.fields.email, 'ada@example.org');
  await gh.reset();
  assert.equal((await gh.state()).settings.api_key, 'gh-test-key');
  assert.deepEqual(await gh.submissions(), []);
  const args = site.connectorArgs();
  assert.deepEqual(args.filter((a) => a !== '--connector-base').map((a) => a.split('=')[0]),
    ['greenhouse', 'recruitee', 'lever', 'smartrecruiters', 'workday', 'personio']);
  assert.ok(args.includes(`personio=${site.url}/personio/brightwave`));
  assert.throws(() => site.ats('taleo'), /no fake ATS/);
});
