// delivery.test.mjs - delivery at any backlog, from outside: per-endpoint rate limits (set,
// shown, validated, honoured by the dispatcher), retention (finished deliveries and their
// events go, pending ones stay; the event log says how far back it reaches), and the
// dispatcher leaving the database alone while there is nothing to do, also when a resource is
// blocked behind a retry due in an hour (read from the store's work counters in /metrics).
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startReceiver, client, waitFor, dbExec } from './lib/harness.mjs';
import { expectError } from './lib/helpers.mjs';

const engines = [];
let rcv;
after(async () => {
  for (const e of engines) { assert.equal(await e.stop(), 0, 'engine exits cleanly'); e.cleanup(); }
  await rcv?.stop();
});

async function engineWith(args) {
  rcv ??= await startReceiver();
  const e = await startEngine({ args });
  engines.push(e);
  return { engine: e, api: client(e) };
}

let n = 0;
/** n postings whose first parse fails at once (a closed port): one UNAVAILABLE event each. */
async function events(api, count) {
  const cs = await api.post('/v1/ai-apply/career-sites', { label: `Delivery ${++n}` });
  assert.equal(cs.status, 200, cs.text);
  const ids = [];
  for (let i = 0; i < count; i++) {
    const p = await api.post('/v1/ai-apply/postings', { url: `http://127.0.0.1:1/job/${n}/${i}`, career_site_id: cs.json.data.id });
    assert.equal(p.status, 200, p.text);
    ids.push(p.json.data.id);
  }
  return ids;
}

async function metric(api, name) {
  const r = await api.get('/metrics');
  assert.equal(r.status, 200);
  const line = r.text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  assert.ok(line, `metric ${name} is exported`);
  return Number(line.split(' ').pop());
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('per-endpoint rate limit', () => {
  test('is set, shown, changed and validated', async () => {
    const { api } = await engineWith([]);
    const ep = await api.post('/v1/webhooks/endpoints', { url: rcv.hook('rl-shape'), rate_limit_per_second: 7 });
    assert.equal(ep.status, 200, ep.text);
    assert.equal(ep.json.data.rate_limit_per_second, 7);
    const id = ep.json.data.id;
    assert.equal((await api.get(`/v1/webhooks/endpoints/${id}`)).json.data.rate_limit_per_second, 7);
    const up = await api.call('PATCH', `/v1/webhooks/endpoints/${id}`, { rate_limit_per_second: 2 });
    assert.equal(up.status, 200, up.text);
    assert.equal(up.json.data.rate_limit_per_second, 2);
    // Other changes keep it; null removes it.
    assert.equal((await api.call('PATCH', `/v1/webhooks/endpoints/${id}`, { description: 'x' })).json.data.rate_limit_per_second, 2);
    assert.equal((await api.call('PATCH', `/v1/webhooks/endpoints/${id}`, { rate_limit_per_second: null })).json.data.rate_limit_per_second, null);
    const plain = await api.post('/v1/webhooks/endpoints', { url: rcv.hook('rl-shape2') });
    assert.equal(plain.json.data.rate_limit_per_second, null);
    for (const bad of [0, -1, 1.5, '5', true, 100001]) {
      expectError(await api.post('/v1/webhooks/endpoints', { url: rcv.hook('rl-bad'), rate_limit_per_second: bad }), 400,
        'rate_limit_per_second', `rate_limit_per_second ${JSON.stringify(bad)}`);
      expectError(await api.call('PATCH', `/v1/webhooks/endpoints/${id}`, { rate_limit_per_second: bad }), 400,
        'rate_limit_per_second', `PATCH rate_limit_per_second ${JSON.stringify(bad)}`);
    }
  });

  test('is honoured: never more than a second\'s worth at once, then the rate', async () => {
    const { api } = await engineWith(['--endpoint-concurrency', '16']);
    const RATE = 4, N = 14;
    const ep = await api.post('/v1/webhooks/endpoints', { url: rcv.hook('rl'), rate_limit_per_second: RATE });
    assert.equal(ep.status, 200, ep.text);
    await events(api, N);
    const got = await waitFor(async () => { const r = await rcv.received('rl'); return r.length >= N && r; },
      { ms: 30000, what: `${N} rate-limited deliveries` });
    const at = got.map((r) => r.at).sort((a, b) => a - b);
    // A token bucket of one second's worth: any 1 s window holds at most 2 x RATE (the burst
    // plus a second of refill), and N deliveries take at least (N - RATE) / RATE seconds. Both
    // are bounds a slow machine cannot break, only a missing limit.
    for (let i = 0; i < at.length; i++) {
      const inWindow = at.filter((t) => t >= at[i] && t < at[i] + 1000).length;
      assert.ok(inWindow <= 2 * RATE, `${inWindow} deliveries within 1 s of the ${i + 1}th`);
    }
    // After the burst, one a token: from the first delivery past the burst to the last, at
    // least (N - RATE - 1) / RATE s. (Measured from the burst's first arrival, the first
    // request's connection set-up, 30-100 ms under the sanitizers, would count against it.)
    const span = at[at.length - 1] - at[RATE];
    assert.ok(span >= ((N - RATE - 1) / RATE) * 1000 - 100, `${N - RATE} deliveries after the burst spread over ${span} ms`);
  });
});

describe('retention', () => {
  test('finished deliveries and their events go after --retention; pending ones stay', async () => {
    const { api } = await engineWith(['--retention', '2s', '--retry-schedule', '0,1h']);
    await rcv.behave('ret-fail', { mode: '500' });
    await api.post('/v1/webhooks/endpoints', { url: rcv.hook('ret-ok'), event_types: ['ai-apply-job-posting-status-updated'] });
    const [done] = await events(api, 1);
    await waitFor(async () => (await rcv.received('ret-ok')).length >= 1, { what: 'the first delivery' });
    const list = await api.get(`/v1/webhooks/events?resource_id=${done}`);
    assert.equal(list.status, 200, list.text);
    assert.equal(list.json.data.results.length, 1);
    assert.equal(list.json.data.retention.period_seconds, 2);
    assert.equal(list.json.data.retention.oldest_event_at, list.json.data.results[0].created_at);
    const doneEvent = list.json.data.results[0].id;

    // A second endpoint that fails: its delivery stays pending (next attempt in an hour).
    await api.post('/v1/webhooks/endpoints', { url: rcv.hook('ret-fail') });
    const [waiting] = await events(api, 1);
    await waitFor(async () => (await rcv.received('ret-fail')).length >= 1, { what: 'the failing attempt' });
    const wl = await api.get(`/v1/webhooks/events?resource_id=${waiting}`);
    const waitingEvent = wl.json.data.results[0].id;

    await waitFor(async () => (await api.get(`/v1/webhooks/events/${doneEvent}`)).status === 404,
      { ms: 20000, what: 'the delivered event swept' });
    const kept = await api.get(`/v1/webhooks/events/${waitingEvent}`);
    assert.equal(kept.status, 200, 'an event with a pending delivery is kept');
    const pending = kept.json.data.deliveries.filter((d) => d.status === 'pending');
    assert.equal(pending.length, 1, 'its pending delivery is kept');
    // The log now reaches back to the kept event.
    const after = await api.get('/v1/webhooks/events');
    assert.ok(after.json.data.results.every((e) => e.id !== doneEvent));
    assert.equal(after.json.data.retention.oldest_event_at, after.json.data.results[0].created_at);
  });

  test('the default is 30 days, shown by the event log', async () => {
    const { api } = await engineWith([]);
    const r = await api.get('/v1/webhooks/events');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data.retention.period_seconds, 30 * 86400);
    assert.equal(r.json.data.retention.oldest_event_at, null);
  });
});

describe('no busy work', () => {
  // The store's statements over a quiet window, less those of the /metrics scrapes that read
  // them (measured the same way, back to back).
  async function statementsOver(api, ms) {
    const a = await metric(api, 'openapply_store_statements_total');
    const b = await metric(api, 'openapply_store_statements_total');
    const perScrape = b - a;
    await sleep(ms);
    const c = await metric(api, 'openapply_store_statements_total');
    return c - b - perScrape;
  }

  test('an idle engine, and one with a resource blocked behind a retry due in an hour, leaves the database alone', async () => {
    const { api } = await engineWith(['--retry-schedule', '0,1h']);
    await rcv.behave('blocked', { mode: '500' });
    const ep = await api.post('/v1/webhooks/endpoints', { url: rcv.hook('blocked') });
    assert.equal(ep.status, 200);
    const [id] = await events(api, 1);
    await waitFor(async () => (await rcv.received('blocked')).length >= 1, { what: 'the failed first attempt' });
    // A second event of the same resource waits behind the first one's retry.
    assert.equal((await api.post(`/v1/ai-apply/postings/${id}/archive`, {})).status, 200);
    const ev = await api.get(`/v1/webhooks/events?resource_id=${id}`);
    assert.equal(ev.json.data.results.length, 2);
    // Let the one-off work after the writes pass (a parse retry timer of the archived posting
    // firing once, the first retention sweep): wait for a quiet second, then measure.
    for (let i = 0; i < 10 && (await statementsOver(api, 1000)) > 1; i++);
    const idle = await statementsOver(api, 5000);
    console.log(`# statements in 5 s with a resource blocked behind a retry in 1 h: ${idle}`);
    assert.ok(idle <= 6, `at most about one statement per second while nothing is due (${idle} in 5 s)`);
    assert.equal((await rcv.received('blocked')).length, 1, 'the blocked event was not sent');
  });
});

describe('never an unsigned webhook', () => {
  test('a secret that cannot sign fails the attempt with a reason, and nothing is sent', async () => {
    const { engine, api } = await engineWith(['--retry-schedule', '0']);
    const ep = await api.post('/v1/webhooks/endpoints', { url: rcv.hook('unsigned') });
    assert.equal(ep.status, 200, ep.text);
    // Damage the stored secret behind the engine's back (sqlite3 CLI, WAL lets it write; or psql).
    dbExec(engine, `UPDATE webhook_endpoints SET secret = 'whsec_!!' WHERE id = '${ep.json.data.id}'`);
    const [id] = await events(api, 1);
    const ev = await waitFor(async () => {
      const l = await api.get(`/v1/webhooks/events?resource_id=${id}`);
      const e = l.json.data.results[0];
      if (!e) return false;
      const a = await api.get(`/v1/webhooks/events/${e.id}/attempts`);
      return a.json.data.results?.length ? a.json.data : false;
    }, { what: 'the attempt recorded' });
    assert.match(ev.results[0].error, /could not be signed/);
    assert.equal(ev.results[0].status_code, null);
    await sleep(300);
    assert.equal((await rcv.received('unsigned')).length, 0, 'no request went out');
  });
});
