// crash.test.mjs - at-least-once across crashes: many state changes, kill -9 of the engine
// while deliveries are in flight, restart on the same database, and every event arrives at
// least once. Duplicates may only come from deliveries in flight at the crash; they carry the
// same webhook-id, and the test prints how many there were.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, startReceiver, client, waitFor } from './lib/harness.mjs';

const PER_ENDPOINT = 8; // the dispatcher's per-endpoint bound on requests in flight

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
  assert.ok(dups.length <= PER_ENDPOINT, `duplicates only for deliveries in flight at the crash (${dups.length})`);
  for (const [, n] of dups) assert.equal(n, 2);
  // Per resource, the last state delivered is the final one (order kept across the restart).
  const lastByResource = new Map();
  for (const r of got) lastByResource.set(r.json.data.id, r.json.data.availability);
  for (const id of ids) assert.equal(lastByResource.get(id), 'ARCHIVED');
});
