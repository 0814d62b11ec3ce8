// crash.test.mjs - at-least-once across crashes: many state changes, kill -9 of the engine
// while deliveries are in flight, restart on the same database, and every event arrives at
// least once. Duplicates may only come from deliveries claimed (in flight or held) at the
// crash; they carry the same webhook-id, and the test prints how many there were.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, startReceiver, client, waitFor, BACKEND } from './lib/harness.mjs';

const PER_ENDPOINT = 8; // the dispatcher's per-endpoint bound on requests in flight
// What one endpoint can have claimed and not yet recorded: the requests in flight and those
// held to replace them (WH_PREFETCH = 4 claims per slot). Only these can be sent twice.
const CLAIMED = 4 * PER_ENDPOINT;
// Time allowed for the 10k backlog to build and drain: PostgreSQL's statements are round trips
// (a few times slower here, more under the sanitizers). A budget, not a speed assertion.
const BUDGET = BACKEND === 'postgres' ? 3 : 1;

let site, rcv, engine;
after(async () => {
  if (engine) { assert.equal(await engine.stop(), 0); engine.cleanup(); }
  await rcv?.stop();
  await site?.stop();
});

async function allEvents(api) {
  const out = [];
  let cursor = '';
  for (;;) {
    const r = await api.get(`/v1/webhooks/events?page_size=250${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.data.results);
    if (!r.json.data.next) return out;
    cursor = r.json.data.next;
  }
}

test('kill -9 with deliveries in flight loses no event', async () => {
  site = await startSite();
  rcv = await startReceiver();
  await rcv.behave('crash', { mode: 'slow', delay_ms: 120 });
  const first = await startEngine({ args: ['--retry-schedule', '0,200ms,200ms,200ms,200ms'] });
  let api = client(first);
  const ep = await api.post('/v1/webhooks/endpoints', { url: rcv.hook('crash') });
  assert.equal(ep.status, 200);
  const cs = await api.post('/v1/ai-apply/career-sites', { label: 'Crash Co' });
  const ids = [];
  for (let i = 0; i < 30; i++) {
    const p = await api.post('/v1/ai-apply/postings', { url: `${site.jobUrl('backend-engineer')}?i=${i}`, career_site_id: cs.json.data.id });
    ids.push(p.json.data.id);
  }
  // Each posting: PENDING -> APPLYABLE, then archived: 60 events for one endpoint.
  await waitFor(async () => {
    const r = await api.get(`/v1/ai-apply/postings?page_size=250&career_site_ids=${cs.json.data.id}`);
    return r.json.data.results.filter((p) => p.availability === 'APPLYABLE').length === 30;
  }, { ms: 30000, what: 'all postings parsed' });
  for (const id of ids) assert.equal((await api.post(`/v1/ai-apply/postings/${id}/archive`, {})).status, 200);
  // Crash while deliveries are in flight.
  await waitFor(async () => (await rcv.received('crash')).length >= 10, { what: 'some deliveries' });
  await first.kill();
  const atCrash = (await rcv.received('crash')).length;
  assert.ok(atCrash < 60, `the crash came before everything was delivered (${atCrash} received)`);

  await rcv.behave('crash', { mode: 'ok' });
  engine = await startEngine({ dir: first.dir, args: ['--retry-schedule', '0,200ms,200ms,200ms,200ms'] });
  api = client(engine);
  const events = await allEvents(api);
  assert.equal(events.length, 60, 'every state change wrote its event before the crash');
  const want = new Set(events.map((e) => e.id));
  const got = await waitFor(async () => {
    const r = await rcv.received('crash');
    const seen = new Set(r.map((x) => x.headers['webhook-id']));
    return [...want].every((id) => seen.has(id)) && r;
  }, { ms: 30000, what: 'every event delivered after the restart' });
  const counts = new Map();
  for (const r of got) counts.set(r.headers['webhook-id'], (counts.get(r.headers['webhook-id']) ?? 0) + 1);
  const dups = [...counts.entries()].filter(([, n]) => n > 1);
  console.log(`# crash test: ${events.length} events, ${got.length} requests received, ${atCrash} before the crash, ` +
    `${dups.length} duplicated webhook-id(s): ${dups.map(([id, n]) => `${id}x${n}`).join(', ') || 'none'}`);
  for (const r of got) assert.equal(r.headers['webhook-id'], r.json.id, 'a duplicate carries the same webhook-id');
  assert.ok(dups.length <= CLAIMED, `duplicates only for deliveries claimed at the crash (${dups.length})`);
  for (const [, n] of dups) assert.equal(n, 2);
  // Per resource, the last state delivered is the final one (order kept across the restart).
  const lastByResource = new Map();
  for (const r of got) lastByResource.set(r.json.data.id, r.json.data.availability);
  for (const id of ids) assert.equal(lastByResource.get(id), 'ARCHIVED');
});

test('kill -9 in the middle of a 10k drain loses no event and keeps per-resource order', async () => {
  const N = 10000, TWICE = 500; // N postings, the first TWICE of them with a second event
  const d10k = await startReceiver();
  const args = ['--retry-schedule', '0', '--endpoint-concurrency', '8', '--workers', '8'];
  // The backlog builds behind a receiver that never answers (the first few deliveries hang in
  // flight, the rest wait pending); a clean restart then gives the held ones back.
  let eng = await startEngine({ args: [...args, '--webhook-timeout', '10m'] });
  let api = client(eng);
  try {
    await d10k.behave('drain', { mode: 'hang' });
    const ep = await api.post('/v1/webhooks/endpoints', { url: d10k.hook('drain') });
    assert.equal(ep.status, 200, ep.text);
    const feed = await api.post('/v1/ai-apply/job-feeds', { label: 'Drain feed' });
    const lines = Array.from({ length: N }, (_, i) =>
      JSON.stringify({ url: `http://127.0.0.1:1/drain/${i}`, career_site_label: 'Drain Co', job_code: `D-${i}` })).join('\n');
    const imp = await api.call('POST', `/v1/ai-apply/job-feeds/${feed.json.data.id}/bulk-import`, undefined,
      { raw: `${lines}\n`, headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal(imp.status, 200, imp.text);
    // Every posting's first parse fails at once (a closed port): one UNAVAILABLE event each,
    // its delivery pending (or hung in flight).
    const metric = async (name) => {
      const t = (await api.get('/metrics')).text;
      const line = t.split('\n').find((l) => l.startsWith(name));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    await waitFor(async () => (await metric('openapply_webhook_deliveries{status="pending"}')) >= N,
      { ms: 240000 * BUDGET, every: 500, what: `${N} pending deliveries` });
    // A second event for some resources, queued behind their first: their order must hold
    // through the drain and the crash.
    const ids = [];
    for (let cursor = ''; ;) {
      const r = await api.get(`/v1/ai-apply/postings?page_size=250${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...r.json.data.results.map((p) => p.id));
      if (!r.json.data.next) break;
      cursor = r.json.data.next;
    }
    assert.equal(ids.length, N);
    for (const id of ids.slice(0, TWICE)) assert.equal((await api.post(`/v1/ai-apply/postings/${id}/archive`, {})).status, 200);
    await waitFor(async () => (await metric('openapply_webhook_deliveries{status="pending"}')) >= N + TWICE,
      { ms: 60000 * BUDGET, every: 200, what: 'the archive deliveries pending too' });
    assert.equal(await metric('openapply_webhook_deliveries{status="failed"}'), 0);

    // A clean stop gives the hung deliveries' leases back; the restarted engine drains all.
    assert.equal(await eng.stop(), 0);
    await d10k.clear();
    await d10k.behave('drain', { mode: 'ok' });
    eng = await startEngine({ dir: eng.dir, args });
    api = client(eng);
    // Crash in the middle of the drain.
    await waitFor(async () => (await d10k.summary('drain')).total >= 2000, { ms: 60000 * BUDGET, what: 'the drain under way' });
    await eng.kill();
    const atCrash = (await d10k.summary('drain')).total;
    assert.ok(atCrash < N + TWICE, `the crash came mid-drain (${atCrash} received)`);

    eng = await startEngine({ dir: eng.dir, args });
    api = client(eng);
    const events = [];
    for (let cursor = ''; ;) {
      const r = await api.get(`/v1/webhooks/events?page_size=250${cursor ? `&cursor=${cursor}` : ''}`);
      events.push(...r.json.data.results.filter((e) => !e.type.startsWith('openapply.')).map((e) => e.id));
      if (!r.json.data.next) break;
      cursor = r.json.data.next;
    }
    assert.equal(events.length, N + TWICE, 'every event is still there');
    const sum = await waitFor(async () => {
      const s = await d10k.summary('drain');
      return events.every((id) => s.ids[id]) && s;
    }, { ms: 240000 * BUDGET, every: 500, what: 'every event delivered after the restart' });
    const dups = Object.values(sum.ids).filter((c) => c > 1).length;
    console.log(`# 10k drain crash: ${N + TWICE} events, ${sum.total} requests, ${atCrash} before the crash, ${dups} duplicated`);
    assert.ok(dups <= CLAIMED, `duplicates only for deliveries claimed at the crash (${dups})`);
    for (const id of ids.slice(0, TWICE)) assert.equal(sum.last[id], 'ARCHIVED', `the last event delivered for ${id} is its last`);
  } finally {
    assert.equal(await eng.stop(), 0);
    eng.cleanup();
    await d10k.stop();
  }
});
