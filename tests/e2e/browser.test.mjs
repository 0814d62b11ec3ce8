// browser.test.mjs - career pages that build their form with scripts, parsed through the
// engine's headless Chromium (src/browser/), against the sample site's /scripted/ pages: a
// form built after load, dialogs, a page that never goes idle, the SSRF guard against every
// way a page can reach a canary, pages that never show a form, a page that eats memory, and
// no browser process left behind, also when the engine is killed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { startEngine, startSite, client, waitFor } from './lib/harness.mjs';
import { resources } from './lib/helpers.mjs';
import { questions, findQuestion, answerAll } from './lib/forms.mjs';
import { browserMissing } from './lib/dashboard.mjs';

const skip = await browserMissing();
if (skip) console.log(`# browser.test.mjs skipped: ${skip}`);

let site, canary, engine, R;
const hits = [];

/** Browser processes of the engine (their profile folders are /tmp/openapply-browser-*). */
function browserProcs() {
  const out = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('openapply-browser-')) out.push(Number(pid));
    } catch { /* gone */ }
  }
  return out;
}

function engineArgs() {
  const port = new URL(site.url).port;
  // Private networks stay refused; only the sample site is allowed, so the canary (another
  // loopback port) must never be reached.
  return { noPrivate: true, args: ['--allow-private', `127.0.0.1:${port}`, '--browsers', '2', '--browser-timeout', '6s'] };
}

before(async () => {
  if (skip) return;
  site = await startSite();
  canary = createServer((req, res) => { hits.push(req.url); res.end('canary'); });
  canary.on('upgrade', (req, sock) => { hits.push(`upgrade ${req.url}`); sock.destroy(); });
  await new Promise((r) => canary.listen(0, '127.0.0.1', r));
  engine = await startEngine(engineArgs());
  R = resources(client(engine));
});
after(async () => {
  if (skip) return;
  const groups = browserGroupsOf(engine.proc.pid);
  assert.ok(groups.size > 0, 'the engine has browsers running');
  const code = await engine.stop();
  engine.cleanup();
  await site.stop();
  canary.close();
  assert.equal(code, 0, 'engine exits cleanly on SIGTERM');
  await waitFor(() => inGroups(groups).length === 0, { ms: 5000, what: 'no browser process after a clean stop' });
});

const scripted = (name, q = '') => `${site.url}/scripted/${name}${q}`;

async function parsed(url, availability) {
  const p = await R.newPosting(url);
  return R.waitPosting(p.id, availability, 40000);
}

test('a form built by scripts after load: APPLYABLE with its questions, read through the browser', { skip }, async () => {
  const p = await parsed(scripted('built'), 'APPLYABLE');
  const { form, token } = await R.inquire(p.id);
  const qs = questions(form);
  assert.equal(qs.length, 8, JSON.stringify(qs.map((q) => q.label)));
  const first = findQuestion(form, (q) => q.unified_key === 'FIRST_NAME');
  assert.ok(first && first.required, 'first name, required');
  assert.ok(findQuestion(form, (q) => q.unified_key === 'EMAIL'));
  const resume = findQuestion(form, (q) => q.unified_key === 'RESUME');
  assert.equal(resume.question_type, 'FILE');
  const country = findQuestion(form, (q) => /Country of residence/.test(q.label));
  assert.equal(country.question_type, 'SINGLE_SELECT');
  assert.deepEqual(country.options.map((o) => o.label), ['Germany', 'France', 'Spain', 'Other'], 'the placeholder is no option');
  const permit = findQuestion(form, (q) => /authorized to work/.test(q.label));
  assert.equal(permit.question_type, 'SINGLE_SELECT');
  assert.deepEqual(permit.options.map((o) => o.label), ['Yes', 'No']);
  assert.equal(findQuestion(form, (q) => /privacy policy/.test(q.label)).required, true);
  assert.ok(engine.stderr.some((l) => l.includes(`posting_id=${p.id} driver=html+browser outcome=form`)), 'the log names the browser');
  // Applying: such a form is not submitted by a plain POST; it goes to review, saying why.
  const email = findQuestion(form, (q) => q.unified_key === 'EMAIL');
  const a = await R.apply({ submission_token: token, candidate_email: 'js@example.com', screening_question_answers: answerAll(form, { [email.question_id]: 'js@example.com' }) });
  const item = await waitFor(async () => (await R.review(`?job_posting_ids=${p.id}`)).results.find((x) => x.id === a.id), { what: 'in review', ms: 20000 });
  assert.match(item.review_reason, /built by the page's scripts/);
  assert.match(item.review_reason, /nothing was sent/);
});

test('alert(), confirm() and prompt() are dismissed; the form behind them is read', { skip }, async () => {
  await parsed(scripted('dialogs'), 'APPLYABLE');
});

test('a page that never goes idle (a request left open) is read when its time runs out', { skip }, async () => {
  await parsed(scripted('busy'), 'APPLYABLE');
});

test('the SSRF guard covers everything the page does: fetch, images, styles, iframes, redirects, beacons, WebSockets, popups, downloads, workers', { skip }, async () => {
  const c = `http://127.0.0.1:${canary.address().port}`;
  const before = hits.length;
  const p = await parsed(scripted('probe', `?canary=${encodeURIComponent(c)}`), 'APPLYABLE');
  await new Promise((r) => setTimeout(r, 1000));
  assert.deepEqual(hits.slice(before), [], 'the canary was never reached');
  assert.ok(engine.stderr.some((l) => l.includes('browser.request_refused')), 'refusals are logged');
  assert.ok(p);
  // A posting on the canary itself is refused when it is submitted (the allowed site is
  // another port of the same address).
  const sitesRes = await client(engine).get('/v1/ai-apply/career-sites');
  const direct = await client(engine).post('/v1/ai-apply/postings', { career_site_id: sitesRes.json.data.results[0].id, url: `${c}/job` });
  assert.equal(direct.status, 400, direct.text);
  assert.match(direct.json.error.message, /--allow-private/);
  assert.deepEqual(hits.slice(before), []);
});

test('pages that never show a form end UNAVAILABLE with a reason: a CAPTCHA wall, a reload loop', { skip }, async () => {
  for (const name of ['captcha', 'reload']) {
    const p = await parsed(scripted(name), 'UNAVAILABLE');
    const line = engine.stderr.find((l) => l.includes(`posting_id=${p.id}`) && l.includes('jobs.parsed'));
    assert.match(line, /also after rendering its scripts in a browser/, line);
  }
});

test('a page that eats memory ends UNAVAILABLE; its browser is replaced and the next page works', { skip }, async () => {
  const p = await parsed(scripted('hog'), 'UNAVAILABLE');
  const line = engine.stderr.find((l) => l.includes(`posting_id=${p.id}`) && l.includes('jobs.parsed'));
  assert.match(line, /MiB|stopped answering|crashed/, line);
  await waitFor(() => engine.stderr.some((l) => l.includes('browser.replaced')), { what: 'the browser replaced' });
  await parsed(scripted('built'), 'APPLYABLE');
});

/** The process group ids of browsers started by the process pid (their parent). */
function browserGroupsOf(pid) {
  const groups = new Set();
  for (const b of browserProcs()) {
    try {
      const stat = readFileSync(`/proc/${b}/stat`, 'utf8');
      const [, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid) groups.add(Number(pgrp));
    } catch { /* gone */ }
  }
  return groups;
}

/** Live processes in any of the groups. */
function inGroups(groups) {
  return browserProcs().filter((b) => {
    try {
      const stat = readFileSync(`/proc/${b}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return f[0] !== 'Z' && groups.has(Number(f[2]));
    } catch { return false; }
  });
}

test('killed with SIGKILL, the engine leaves no browser process behind', { skip }, async () => {
  const e = await startEngine(engineArgs());
  try {
    const r = resources(client(e));
    await r.newPosting(scripted('busy'));
    // A browser is several processes (the browser, its zygotes, renderers, the network
    // service): wait until its page is being rendered.
    const groups = await waitFor(() => { const g = browserGroupsOf(e.proc.pid); return g.size > 0 && inGroups(g).length > 3 && g; }, { what: 'a browser running', ms: 20000 });
    await e.kill();
    await waitFor(() => inGroups(groups).length === 0, { ms: 10000, what: 'the browsers died with the engine' });
  } finally {
    if (e.proc.exitCode === null && e.proc.signalCode === null) await e.kill();
    e.cleanup();
  }
});
