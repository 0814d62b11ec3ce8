// nodes.test.mjs - several engine nodes over one PostgreSQL database (OA_E2E_DB=postgres; the
// tests skip on SQLite, where one process holds the file). Each node is a real engine process
// with its own --node-id on the same --db:
//   - nodes started together on an empty database migrate it once and all come up;
//   - work written through any node is done once, by one node, and its webhooks arrive at
//     least once, in order per resource, with one webhook-id per delivery across redeliveries;
//   - a node that starts (or stops) while another is applying leaves that node's lease alone:
//     the application reaches the career site once;
//   - a node killed while the career site holds its submission: another node takes the job
//     over when the lease runs out and sends it to review instead of submitting again;
//   - the database's connections cut under a running node (pg_terminate_backend): it keeps
//     working, loses nothing, and /metrics counts the lost connections.
import { test, after } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startEngine, startSite, startReceiver, client, waitFor, BACKEND, dbExec, dbQuery } from './lib/harness.mjs';
import { answerAll, findQuestion } from './lib/forms.mjs';
import { resources } from './lib/helpers.mjs';

const skip = BACKEND !== 'postgres' && 'needs a shared database (OA_E2E_DB=postgres)';
const SLUG = 'backend-engineer';

const engines = [];
let site, rcv;
after(async () => {
  for (const e of engines) {
    if (e.proc.exitCode === null && e.proc.signalCode === null) assert.equal(await e.stop(), 0, 'clean exit');
  }
  for (const e of engines) e.cleanup();
  await rcv?.stop();
  await site?.stop();
});

/** A node on the store of `dir` (a new store when dir is undefined), named `name`. */
async function node(name, dir, args = []) {
  const e = await startEngine({ dir, args: ['--node-id', name, ...args] });
  engines.push(e);
  return e;
}

async function metric(api, name) {
  const r = await api.call('GET', '/metrics');
  const m = r.text.match(new RegExp(`^${name} (\\d+)`, 'm'));
  return m ? Number(m[1]) : NaN;
}

let n = 0;
async function applyOnce(R) {
  const p = await R.newPosting(`${site.jobUrl(SLUG)}?nodes=${++n}`);
  await R.waitPosting(p.id, 'APPLYABLE');
  const { form, token } = await R.inquire(p.id);
  const email = `nodes${n}@example.com`;
  const q = findQuestion(form, (x) => x.unified_key === 'EMAIL');
  const app = await R.apply({ submission_token: token, candidate_email: email, screening_question_answers: answerAll(form, { [q.question_id]: email }) });
  return { app, email };
}
const mine = async (email) => (await site.submissions(SLUG)).filter((s) => s.fields.email?.[0] === email);

test('three nodes on one database: work done once, every webhook delivered, in order per resource', { skip }, async () => {
  site ??= await startSite();
  rcv ??= await startReceiver();
  const a = await node('node-a');
  const b = await node('node-b', a.dir);
  const c = await node('node-c', a.dir);
  const [A, B, C] = [a, b, c].map((e) => client(e));
  const ep = await A.post('/v1/webhooks/endpoints', { url: rcv.hook('nodes') });
  assert.equal(ep.status, 200, ep.text);
  // Postings created through all three nodes; every node's workers and dispatcher compete.
  const cs = await B.post('/v1/ai-apply/career-sites', { label: 'Nodes Co' });
  const ids = [];
  for (let i = 0; i < 24; i++) {
    const api = [A, B, C][i % 3];
    const p = await api.post('/v1/ai-apply/postings', { url: `${site.jobUrl(SLUG)}?many=${i}`, career_site_id: cs.json.data.id });
    assert.equal(p.status, 200, p.text);
    ids.push(p.json.data.id);
  }
  await waitFor(async () => {
    const r = await C.get(`/v1/ai-apply/postings?page_size=100&career_site_ids=${cs.json.data.id}`);
    return r.json.data.results.filter((p) => p.availability === 'APPLYABLE').length === ids.length;
  }, { ms: 30000, what: 'every posting APPLYABLE' });
  for (const [i, id] of ids.entries()) {
    const r = await [C, A, B][i % 3].post(`/v1/ai-apply/postings/${id}/archive`, {});
    assert.equal(r.status, 200, r.text);
  }
  // Two events per posting (APPLYABLE, then ARCHIVED), each delivered, the ARCHIVED one last.
  await waitFor(async () => {
    const got = await rcv.received('nodes');
    return new Set(got.map((x) => x.headers['webhook-id'])).size >= ids.length * 2;
  }, { ms: 30000, what: 'every webhook at the receiver' });
  const got = await rcv.received('nodes');
  const byResource = new Map();
  for (const x of got) {
    const d = x.json.data;
    if (!byResource.has(d.id)) byResource.set(d.id, []);
    byResource.get(d.id).push(d.availability);
  }
  for (const id of ids) {
    const seen = byResource.get(id) ?? [];
    assert.deepEqual([...new Set(seen)], ['APPLYABLE', 'ARCHIVED'], `posting ${id}: its events in order (${seen})`);
  }
  // One webhook-id per delivery: a redelivery (none expected here) would reuse its id, so
  // the number of distinct ids is exactly the number of events.
  assert.equal(new Set(got.map((x) => x.headers['webhook-id'])).size, ids.length * 2);
  // Each change wrote one event, whichever node made it or parsed the posting: exactly two
  // per posting in the event log (a posting parsed twice would still write no more, but a
  // change applied twice would).
  const evs = dbQuery(a, `SELECT COUNT(*) FROM events WHERE resource_id IN (${ids.map((x) => `'${x}'`).join(',')})`);
  assert.equal(Number(evs), ids.length * 2);
});

test('three nodes started at once on an empty database: one migrates, all serve', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oa-e2e-'));
  const [a, b, c] = await Promise.all(['start-a', 'start-b', 'start-c'].map((name) => node(name, dir)));
  for (const e of [a, b, c]) {
    const h = await client(e).call('GET', '/healthz');
    assert.equal(h.status, 200, h.text);
  }
  assert.equal(Number(dbQuery(a, 'SELECT COUNT(*) FROM schema_migrations WHERE version = 1')), 1);
});

test('three nodes deliver to one endpoint: its bound on requests in flight holds across them', { skip }, async () => {
  rcv ??= await startReceiver();
  await rcv.behave('bound', { mode: 'slow', delay_ms: 150 });
  const args = ['--endpoint-concurrency', '2'];
  const a = await node('bound-a', undefined, args);
  const b = await node('bound-b', a.dir, args);
  const c = await node('bound-c', a.dir, args);
  const api = client(a);
  const ep = await api.post('/v1/webhooks/endpoints', { url: rcv.hook('bound') });
  assert.equal(ep.status, 200, ep.text);
  // Held back while the backlog is written, then let go to all three nodes at once.
  assert.equal((await api.call('PATCH', `/v1/webhooks/endpoints/${ep.json.data.id}`, { enabled: false })).status, 200);
  const cs = await client(b).post('/v1/ai-apply/career-sites', { label: 'Bound Co' });
  const ids = [];
  for (let i = 0; i < 30; i++) {
    const p = await client(c).post('/v1/ai-apply/postings', { url: `http://127.0.0.1:1/bound/${i}`, career_site_id: cs.json.data.id });
    ids.push(p.json.data.id);
  }
  await waitFor(async () => {
    const r = await api.get(`/v1/ai-apply/postings?page_size=100&career_site_ids=${cs.json.data.id}`);
    return r.json.data.results.filter((p) => p.availability === 'UNAVAILABLE').length === ids.length;
  }, { ms: 30000, what: 'every posting UNAVAILABLE' });
  // Disabled endpoints get no deliveries: archive now, with it enabled, so that all 30 queue.
  assert.equal((await api.call('PATCH', `/v1/webhooks/endpoints/${ep.json.data.id}`, { enabled: true })).status, 200);
  await Promise.all(ids.map((id, i) => client([a, b, c][i % 3]).post(`/v1/ai-apply/postings/${id}/archive`, {})));
  await waitFor(async () => (await rcv.summary('bound')).total >= ids.length, { ms: 30000, what: 'every archive webhook' });
  const sum = await rcv.summary('bound');
  assert.ok(sum.max_open <= 2, `at most 2 requests in flight across three nodes (saw ${sum.max_open})`);
});

test('a node starting and stopping beside one that is applying leaves its lease alone', { skip }, async () => {
  site ??= await startSite();
  await site.setJob(SLUG, { submit: 'slow', delay_ms: 3000 });
  const a = await node('apply-a', undefined, ['--workers', '2', '--fetch-timeout', '10s']);
  const { app, email } = await applyOnce(resources(client(a)));
  // The site has the submission and holds its answer for 3 s.
  await waitFor(async () => (await mine(email)).length === 1, { what: 'the submission at the site' });
  // While a holds the apply job, another node starts on the same database and stops again.
  const b = await node('apply-b', a.dir);
  assert.equal(await b.stop(), 0);
  await resources(client(a)).waitApplication(app.id, 'SUBMITTED', 30000);
  assert.equal((await mine(email)).length, 1, 'the site received the application once');
  await site.setJob(SLUG, { submit: 'ok' });
});

test('a node killed while the site holds its submission: another node sends it to review, not again', { skip }, async () => {
  site ??= await startSite();
  await site.setJob(SLUG, { submit: 'hang' });
  const a = await node('crash-a', undefined, ['--fetch-timeout', '30s', '--job-lease', '2s']);
  const { app, email } = await applyOnce(resources(client(a)));
  await waitFor(async () => (await mine(email)).length === 1, { what: 'the submission at the site' });
  await a.kill();
  await site.setJob(SLUG, { submit: 'ok' });
  // A different node: it cannot know a's lease is dead until it runs out (2 s).
  const b = await node('crash-b', a.dir, ['--job-lease', '2s']);
  const R = resources(client(b));
  const item = await waitFor(async () => (await R.review()).results.find((x) => x.id === app.id), { ms: 30000, what: 'the interrupted submission in review' });
  assert.ok(item);
  assert.equal((await R.application(app.id)).status, 'PENDING');
  assert.equal((await mine(email)).length, 1, 'never submitted twice');
});

test('connections cut under a running node: it carries on, loses nothing, and /metrics says so', { skip }, async () => {
  site ??= await startSite();
  rcv ??= await startReceiver();
  const a = await node('cut-a');
  const api = client(a);
  const ep = await api.post('/v1/webhooks/endpoints', { url: rcv.hook('cut') });
  assert.equal(ep.status, 200, ep.text);
  const R = resources(api);
  const before = await metric(api, 'openapply_store_connections_lost_total');
  const p1 = await R.newPosting(`${site.jobUrl(SLUG)}?cut=1`);
  await R.waitPosting(p1.id, 'APPLYABLE');
  // Every connection of this database is terminated, the engine's pool and listener alike.
  dbExec(a, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
  const p2 = await R.newPosting(`${site.jobUrl(SLUG)}?cut=2`);
  await R.waitPosting(p2.id, 'APPLYABLE');
  await R.posting(p1.id);
  await waitFor(async () => {
    const got = await rcv.received('cut');
    return [p1.id, p2.id].every((id) => got.some((x) => x.json.data.id === id && x.json.data.availability === 'APPLYABLE'));
  }, { ms: 30000, what: 'both postings\' webhooks' });
  const health = await api.call('GET', '/healthz');
  assert.equal(health.status, 200);
  assert.ok(await metric(api, 'openapply_store_connections_lost_total') > before, 'the lost connections are counted');
  assert.equal(await metric(api, 'openapply_store_up'), 1);
});
