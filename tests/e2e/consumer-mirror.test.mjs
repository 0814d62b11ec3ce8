// consumer-mirror.test.mjs - examples/sync-mirror driven by the real engine: postings and
// applications land in its SQLite mirror, an archived posting leaves the visible list, an
// older event delivered after a newer one does not overwrite it, a redelivered event id is
// skipped, and a bad signature is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, startSite, client, waitFor, haveSqliteCli } from './lib/harness.mjs';
import { answerAll } from './lib/forms.mjs';
import {
  startSyncMirror, signedHeaders, postRaw, createEndpoint, moveEndpoint, sleep,
} from './lib/consumer.mjs';

const skip = !haveSqliteCli() && 'needs the sqlite3 CLI';
let site, engine, api, ep, mirror, dir, db, archivedId;

/** Rows of a query on a mirror database. */
const q = (file, sql) => {
  const out = execFileSync('sqlite3', ['-json', '-readonly', file, sql], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
};
const row = (file, table, id) => q(file, `SELECT * FROM ${table} WHERE id = '${id}'`)[0];

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'oa-mirror-'));
  db = join(dir, 'mirror.db');
  site = await startSite();
  engine = await startEngine({ args: ['--retry-schedule', '0,300ms,300ms'] });
  api = client(engine);
  ep = await createEndpoint(api, 'http://127.0.0.1:9/placeholder');
  mirror = await startSyncMirror(ep.secret, db);
  await moveEndpoint(api, ep.id, mirror.url);
});
after(async () => {
  if (skip) return;
  const mc = await mirror.stop();
  const code = await engine.stop();
  await site.stop();
  engine.cleanup();
  rmSync(dir, { recursive: true, force: true });
  assert.equal(mc, 0, 'sync-mirror exits cleanly');
  assert.equal(code, 0, 'engine exits cleanly');
});

async function newPosting(tag) {
  const cs = await api.post('/v1/ai-apply/career-sites', { label: `Mirror ${tag}` });
  const p = await api.post('/v1/ai-apply/postings', { url: `${site.jobUrl('backend-engineer')}?m=${tag}`, career_site_id: cs.json.data.id });
  assert.equal(p.status, 200, p.text);
  return p.json.data;
}

/** The engine's stored events of a resource, oldest first (payloads as JSON). */
async function eventsOf(resourceId) {
  const r = await api.get(`/v1/webhooks/events?resource_id=${resourceId}`);
  assert.equal(r.status, 200, r.text);
  return r.json.data.results.sort((a, b) => a.payload.data.updated_at.localeCompare(b.payload.data.updated_at));
}

test('the mirror follows the engine: visible while APPLYABLE, hidden once archived', { skip }, async () => {
  const p1 = await newPosting('one');
  const p2 = await newPosting('two');
  await waitFor(() => row(db, 'postings', p1.id)?.visible === 1 && row(db, 'postings', p2.id)?.visible === 1,
    { what: 'both postings mirrored and visible' });
  const r1 = row(db, 'postings', p1.id);
  assert.equal(r1.availability, 'APPLYABLE');
  assert.equal(r1.url, p1.url);
  assert.equal(r1.career_site_label, 'Mirror one');
  assert.deepEqual(q(db, `SELECT id FROM visible_postings WHERE id IN ('${p1.id}','${p2.id}') ORDER BY id`).map((x) => x.id),
    [p1.id, p2.id].sort());

  assert.equal((await api.post(`/v1/ai-apply/postings/${p2.id}/archive`, {})).status, 200);
  await waitFor(() => row(db, 'postings', p2.id)?.availability === 'ARCHIVED', { what: 'archive mirrored' });
  const r2 = row(db, 'postings', p2.id);
  assert.equal(r2.visible, 0);
  assert.equal(r2.archived_reason, 'MANUAL_ARCHIVE');
  assert.deepEqual(q(db, `SELECT id FROM visible_postings WHERE id IN ('${p1.id}','${p2.id}')`).map((x) => x.id), [p1.id],
    'the archived posting disappeared from the visible list');

  // An application reaches the mirror too.
  const inq = await api.post(`/v1/ai-apply/postings/${p1.id}/inquire`, {});
  const ap = await api.post('/v1/ai-apply/apply', {
    submission_token: inq.json.data.submission_token, candidate_email: 'mirror@example.com',
    screening_question_answers: answerAll(inq.json.data.application_form),
  });
  assert.equal(ap.status, 200, ap.text);
  await waitFor(() => row(db, 'applications', ap.json.data.id)?.status === 'SUBMITTED', { what: 'application mirrored' });
  assert.equal(row(db, 'applications', ap.json.data.id).job_posting_id, p1.id);
  assert.ok(mirror.lines.some((l) => l.includes(`resource=${p2.id} outcome=applied`)));

  // A redelivery of the archive event: same event id, skipped.
  const [applyable, archived] = await eventsOf(p2.id);
  assert.equal(archived.payload.data.availability, 'ARCHIVED');
  const before = q(db, 'SELECT COUNT(*) AS n FROM processed_events')[0].n;
  assert.equal((await api.post(`/v1/webhooks/events/${archived.id}/redeliver`, {})).status, 200);
  await waitFor(() => mirror.lines.some((l) => l === `event=${archived.id} type=${archived.type} resource=${p2.id} outcome=duplicate`),
    { what: 'duplicate logged' });
  assert.equal(q(db, 'SELECT COUNT(*) AS n FROM processed_events')[0].n, before, 'nothing recorded twice');
  const att = await api.get(`/v1/webhooks/events/${archived.id}/attempts`);
  assert.deepEqual(att.json.data.results.map((a) => a.status_code), [200, 200], 'the duplicate is acknowledged');

  // Signed requests the engine never sent: a tampered body is refused.
  const body = JSON.stringify(applyable.payload);
  const h = signedHeaders(ep.secret, applyable.id, body);
  assert.equal((await postRaw(mirror.url, h, body.replace('APPLYABLE', 'PENDING'))).status, 401);
  assert.equal(row(db, 'postings', p2.id).availability, 'ARCHIVED');
  archivedId = p2.id;
});

test('out of order: an older event arriving after a newer one does not overwrite it', { skip }, async () => {
  // A second, empty mirror gets posting two's real events in reverse order.
  const db2 = join(dir, 'reversed.db');
  const m2 = await startSyncMirror(ep.secret, db2);
  try {
    assert.ok(archivedId, 'needs the archived posting of the previous test');
    const evs = await eventsOf(archivedId);
    assert.deepEqual(evs.map((e) => e.payload.data.availability), ['APPLYABLE', 'ARCHIVED']);
    const send = async (e) => {
      const body = JSON.stringify(e.payload);
      const r = await postRaw(m2.url, signedHeaders(ep.secret, e.id, body), body);
      assert.equal(r.status, 200, r.text);
      return r.text;
    };
    assert.equal(await send(evs[1]), 'applied');
    assert.equal(await send(evs[0]), 'stale', 'the older APPLYABLE event is skipped');
    assert.equal(await send(evs[0]), 'duplicate', 'and remembered');
    const r = row(db2, 'postings', archivedId);
    assert.equal(r.availability, 'ARCHIVED');
    assert.equal(r.visible, 0);
    assert.equal(q(db2, 'SELECT COUNT(*) AS n FROM processed_events')[0].n, 2);
    // Unknown event types are acknowledged and ignored; bodies off the schema are refused.
    const other = JSON.stringify({ id: 'op1', type: 'openapply.endpoint.disabled', data: {} });
    const o = await postRaw(m2.url, signedHeaders(ep.secret, 'op1', other), other);
    assert.equal(o.status, 200);
    const bad = JSON.stringify({ ...evs[0].payload, id: 'bad1', data: { ...evs[0].payload.data, availability: 'OPEN' } });
    const b = await postRaw(m2.url, signedHeaders(ep.secret, 'bad1', bad), bad);
    assert.equal(b.status, 400);
    await sleep(100);
    assert.ok(m2.lines.some((l) => l.includes('rejected status=400') && l.includes('$.data.availability')));
  } finally {
    assert.equal(await m2.stop(), 0);
  }
});
