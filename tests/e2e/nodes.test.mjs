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

test('three nodes deliver to a rate-limited endpoint: its rate holds across them', { skip }, async () => {
  rcv ??= await startReceiver();
  const args = ['--endpoint-concurrency', '16'];
  const a = await node('rate-a', undefined, args);
  const b = await node('rate-b', a.dir, args);
  const c = await node('rate-c', a.dir, args);
  const api = client(a);
  const RATE = 3, N = 15;
  const ep = await api.post('/v1/webhooks/endpoints', { url: rcv.hook('rate3'), rate_limit_per_second: RATE });
  assert.equal(ep.status, 200, ep.text);
  assert.equal((await api.call('PATCH', `/v1/webhooks/endpoints/${ep.json.data.id}`, { enabled: false })).status, 200);
  const cs = await client(b).post('/v1/ai-apply/career-sites', { label: 'Rate Co' });
  const ids = [];
  for (let i = 0; i < N; i++) {
    const p = await client(c).post('/v1/ai-apply/postings', { url: `http://127.0.0.1:1/rate/${i}`, career_site_id: cs.json.data.id });
    ids.push(p.json.data.id);
  }
  await waitFor(async () => {
    const r = await api.get(`/v1/ai-apply/postings?page_size=100&career_site_ids=${cs.json.data.id}`);
    return r.json.data.results.filter((p) => p.availability === 'UNAVAILABLE').length === N;
  }, { ms: 30000, what: 'every posting UNAVAILABLE' });
  // The backlog goes to all three nodes at once.
  assert.equal((await api.call('PATCH', `/v1/webhooks/endpoints/${ep.json.data.id}`, { enabled: true })).status, 200);
  await Promise.all(ids.map((id, i) => client([a, b, c][i % 3]).post(`/v1/ai-apply/postings/${id}/archive`, {})));
  const got = await waitFor(async () => { const r = await rcv.received('rate3'); return r.length >= N && r; },
    { ms: 60000, what: `${N} rate-limited deliveries` });
  const at = got.map((r) => r.at).sort((x, y) => x - y);
  // One bucket of one second's worth for the endpoint, whichever node sends: any 1 s window
  // holds at most 2 x RATE, and N take at least (N - RATE) / RATE s. Three buckets, one per
  // node, would let 3 x RATE through in the first second.
  for (let i = 0; i < at.length; i++) {
    const inWindow = at.filter((t) => t >= at[i] && t < at[i] + 1000).length;
    assert.ok(inWindow <= 2 * RATE, `${inWindow} deliveries within 1 s of the ${i + 1}th (rate ${RATE}/s)`);
  }
  const span = at[at.length - 1] - at[0];
  // (less the first requests' connection set-up)
  assert.ok(span >= ((N - RATE) / RATE) * 1000 - 300, `${N} deliveries spread over ${span} ms`);
});

test('three nodes parse one tenant\'s postings: the per-tenant parse limit holds across them', { skip }, async () => {
  const s = await startSite();
  try {
    // Each parse holds the page for 400 ms; 3 nodes x 6 workers could take 18 at once.
    await s.setJob(SLUG, { page: 'slow', delay_ms: 400 });
    const args = ['--workers', '6'];
    const a = await node('parse-a', undefined, args);
    const b = await node('parse-b', a.dir, args);
    const c = await node('parse-c', a.dir, args);
    const nodes = [a, b, c].map((e) => client(e));
    const cs = await nodes[0].post('/v1/ai-apply/career-sites', { label: 'Parse Co' });
    const ids = await Promise.all(Array.from({ length: 15 }, async (_, i) => {
      const p = await nodes[i % 3].post('/v1/ai-apply/postings', { url: `${s.jobUrl(SLUG)}?parse=${i}`, career_site_id: cs.json.data.id });
      assert.equal(p.status, 200, p.text);
      return p.json.data.id;
    }));
    await waitFor(async () => {
      const r = await nodes[1].get(`/v1/ai-apply/postings?page_size=100&career_site_ids=${cs.json.data.id}`);
      return r.json.data.results.filter((p) => p.availability === 'APPLYABLE').length === ids.length;
    }, { ms: 60000, what: 'every posting APPLYABLE' });
    const st = (await s.job(SLUG)).settings;
    assert.ok(st.page_open_max >= 2, `parses ran side by side (${st.page_open_max})`);
    assert.ok(st.page_open_max <= 5, `at most 5 parses of one tenant at once across three nodes (saw ${st.page_open_max})`);
  } finally {
    await s.stop();
  }
});

test('three nodes under API writes, one killed with kill -9 every few seconds and restarted: nothing lost, nothing twice', { skip, timeout: 240000 }, async () => {
  const s = await startSite();
  rcv ??= await startReceiver();
  try {
    // Each webhook takes 30 ms, so that kills find requests in flight.
    await rcv.behave('churn', { mode: 'slow', delay_ms: 30 });
    const args = ['--endpoint-concurrency', '2', '--job-lease', '3s', '--webhook-timeout', '2s'];
    const names = ['churn-a', 'churn-b', 'churn-c'];
    const live = [await node(names[0], undefined, args)];
    const dir = live[0].dir;
    live.push(await node(names[1], dir, args), await node(names[2], dir, args));
    const ran = [...live]; // every process, for their logs
    const ep = await client(live[0]).post('/v1/webhooks/endpoints', { url: rcv.hook('churn') });
    assert.equal(ep.status, 200, ep.text);
    const cs = await client(live[1]).post('/v1/ai-apply/career-sites', { label: 'Churn Co' });
    assert.equal(cs.status, 200, cs.text);

    // One API call through any live node; a node killed under it fails the call (whether or
    // not the write committed), and the caller goes on. Returns null then.
    const any = async (fn) => {
      for (let t = 0; t < 6; t++) {
        const e = live[Math.floor(Math.random() * live.length)];
        try { return await fn(client(e)); } catch { await new Promise((r) => setTimeout(r, 50)); }
      }
      return null;
    };
    let stop = false, n = 0;
    const emails = [];
    // A writer: a posting, parsed by whichever node; once applyable, an application or an
    // archive. Every step through a random node.
    async function writer(w) {
      while (!stop) {
        const i = ++n;
        const p = await any((api) => api.post('/v1/ai-apply/postings', { url: `${s.jobUrl(SLUG)}?churn=${w}-${i}`, career_site_id: cs.json.data.id }));
        if (p?.status !== 200) continue;
        const id = p.json.data.id;
        let ready = false;
        for (let t = 0; t < 100 && !ready && !stop; t++) {
          const r = await any((api) => api.get(`/v1/ai-apply/postings?ids=${id}`));
          ready = r?.json?.data?.results?.[0]?.availability === 'APPLYABLE';
          if (!ready) await new Promise((res) => setTimeout(res, 50));
        }
        if (!ready) continue;
        if (i % 2) {
          await any((api) => api.post(`/v1/ai-apply/postings/${id}/archive`, {}));
          continue;
        }
        const inq = await any((api) => api.post(`/v1/ai-apply/postings/${id}/inquire`, {}));
        if (inq?.status !== 200) continue;
        const form = inq.json.data.application_form;
        const email = `churn${i}@example.com`;
        const q = findQuestion(form, (x) => x.unified_key === 'EMAIL');
        emails.push(email);
        await any((api) => api.post('/v1/ai-apply/apply', { submission_token: inq.json.data.submission_token, candidate_email: email,
          screening_question_answers: answerAll(form, { [q.question_id]: email }) }));
      }
    }
    const writers = [writer(1), writer(2), writer(3)];
    // Every 2-3 s a random node dies (kill -9) and comes back under the same name.
    let kills = 0;
    for (const until = Date.now() + 15000; Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 2000 + Math.random() * 1000));
      const k = Math.floor(Math.random() * live.length);
      const victim = live[k];
      await victim.kill();
      kills++;
      live.splice(k, 1);
      await new Promise((r) => setTimeout(r, 200));
      const back = await node(names.find((x) => !live.some((e) => e.proc.spawnargs.includes(x))), dir, args);
      ran.push(back);
      live.push(back);
    }
    stop = true;
    await Promise.all(writers);
    assert.ok(kills >= 4, `${kills} nodes killed`);

    // Quiet: nothing left to parse, apply or deliver.
    const a = live[0];
    await waitFor(async () => Number(dbQuery(a,
      `SELECT (SELECT COUNT(*) FROM webhook_deliveries WHERE status <> 'delivered')
            + (SELECT COUNT(*) FROM jobs WHERE lease_token IS NOT NULL OR run_at <= ${Date.now() + 1000})`)) === 0,
    { ms: 90000, every: 250, what: 'every job done and every delivery delivered' });
    const events = dbQuery(a, 'SELECT id, resource_id, seq FROM events ORDER BY seq').split('\n').filter(Boolean)
      .map((l) => { const [id, resource, seq] = l.split('|'); return { id, resource, seq: Number(seq) }; });
    assert.ok(events.length >= 30, `${events.length} events written under churn`);
    const got = await rcv.received('churn');
    const seqOf = new Map(events.map((e) => [e.id, e.seq]));
    // Every event delivered (at least once; a node killed mid-request sends it again).
    const arrived = new Set(got.map((x) => x.event_id));
    const missing = events.filter((e) => !arrived.has(e.id));
    assert.deepEqual(missing, [], 'every event reached the receiver');
    // Per-resource order: an event is sent only after every earlier event of its resource was
    // delivered, so a resource's arrivals (repeats included) never go back in the log.
    const lastSeq = new Map();
    for (const x of got) {
      const seq = seqOf.get(x.event_id);
      assert.ok(seq !== undefined, `the receiver got only events of the log (${x.event_id})`);
      assert.ok(seq >= (lastSeq.get(x.resource) ?? 0), `resource ${x.resource}: event ${seq} after ${lastSeq.get(x.resource)}`);
      lastSeq.set(x.resource, seq);
    }
    // One webhook-id per event, stable across redeliveries.
    const idsOf = new Map();
    for (const x of got) {
      if (!idsOf.has(x.event_id)) idsOf.set(x.event_id, new Set());
      idsOf.get(x.event_id).add(x.headers['webhook-id']);
    }
    for (const [ev, ids] of idsOf) assert.equal(ids.size, 1, `event ${ev} sent under ${[...ids]}`);
    const sum = await rcv.summary('churn');
    assert.ok(sum.max_open <= 2, `at most 2 requests in flight across the nodes (saw ${sum.max_open})`);
    // No lease taken from a live node: no delivery sent twice at the same time, and no live
    // node found its lease gone (it logs lease_lost).
    assert.equal(sum.overlaps, 0, 'no webhook sent by two nodes at once');
    const lost = ran.flatMap((e) => e.stderr.filter((l) => /lease_lost/.test(l)));
    assert.deepEqual(lost, [], 'no node lost a lease it held');
    // No application submitted twice.
    const subs = await s.submissions(SLUG);
    for (const email of emails) {
      const k = subs.filter((x) => x.fields.email?.[0] === email).length;
      assert.ok(k <= 1, `${email} submitted ${k} times`);
    }
    assert.ok(subs.length >= 3, `applications reached the site (${subs.length})`);
    console.log(`# churn: ${kills} kills, ${events.length} events, ${got.length} requests, ${subs.length} submissions, ${emails.length} applications`);
  } finally {
    await s.stop();
  }
});
