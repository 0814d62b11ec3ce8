// consumer.test.mjs - the consumer kit's commands: `openapply verify` on webhooks signed by the
// reference `standardwebhooks` package (good, tampered, wrong secret, stale, junk headers,
// usage errors), and `openapply listen` end to end against the real engine: events arrive,
// print once and forward once with identical body and signature headers; a replay and a
// redelivery are acknowledged but dropped; tampered, stale and unsigned requests get 401; a
// failed forward is answered 502 and the engine's retry goes through; --json prints the event.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startEngine, startSite, startReceiver, client, waitFor, ROOT } from './lib/harness.mjs';
import { verifies, kombosVerifies, kombo, standard } from './lib/verify.mjs';
import { answerAll } from './lib/forms.mjs';
import {
  startListen, verifyCli, runCli, signedHeaders, postRaw, replayHeaders, createEndpoint,
  moveEndpoint, sleep,
} from './lib/consumer.mjs';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER = 'whsec_bm90IHRoZSByaWdodCBzZWNyZXQgYXQgYWxs';
const BODY = JSON.stringify({
  id: 'Eq5jVbGUsTzS1rX9gq2Ufq4H', type: 'ai-apply-job-posting-status-updated',
  data: {
    id: '7BxCvW2kq9Nd1rLmTzA4sYpQ', career_site: { id: '3kTnR8vXq2WmYp5sLc7dHfJb', label: 'Bäckerei Müller 🍞' },
    url: 'https://careers.example.com/jobs/1', job_code: null, created_at: '2025-01-01T10:00:00.000Z',
    updated_at: '2025-01-01T10:05:00.000Z', archived_at: null, archived_reason: null, availability: 'APPLYABLE',
  },
});
const now = () => Math.floor(Date.now() / 1000);

describe('openapply verify', () => {
  test('a webhook signed by the reference library verifies (stdin body)', async () => {
    const r = await verifyCli(SECRET, signedHeaders(SECRET, 'msg_1', BODY), BODY);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, 'valid\n');
  });

  test('with both schemes, and with X-Kombo-Signature alone', async () => {
    const both = await verifyCli(SECRET, signedHeaders(SECRET, 'msg_2', BODY, now(), { withKombo: true }), BODY);
    assert.equal(both.code, 0, both.stdout);
    assert.equal(both.stdout, 'valid\n');
    const k = await verifyCli(SECRET, [['X-Kombo-Signature', kombo(SECRET, BODY)]], BODY);
    assert.equal(k.code, 0, k.stdout);
    assert.equal(k.stdout, 'valid\n');
    assert.match(k.stderr, /replays cannot be detected/);
  });

  test('rotation: either secret verifies a two-signature header', async () => {
    const ts = now();
    const a = signedHeaders(SECRET, 'msg_rot', BODY, ts);
    const b = signedHeaders(OTHER, 'msg_rot', BODY, ts);
    const h = { ...a, 'webhook-signature': `${b['webhook-signature']} ${a['webhook-signature']}` };
    for (const s of [SECRET, OTHER]) assert.equal((await verifyCli(s, h, BODY)).code, 0);
    const third = 'whsec_dGhpcmQgc2VjcmV0IG5vYm9keSBoYXM=';
    assert.equal((await verifyCli(third, h, BODY)).code, 1);
  });

  test('wrong secret, tampered body, stale and future timestamps: exit 1 with the reason', async () => {
    const h = signedHeaders(SECRET, 'msg_3', BODY);
    const cases = [
      [OTHER, h, BODY, /^invalid: no signature matches: wrong secret or tampered body\n$/],
      [SECRET, h, BODY.replace('APPLYABLE', 'ARCHIVED'), /no signature matches/],
      [SECRET, h, BODY + '\n', /ends with a newline/],
      [SECRET, signedHeaders(SECRET, 'msg_3', BODY, now() - 600), BODY, /too old.*60[01] s old, tolerance 300 s/],
      [SECRET, signedHeaders(SECRET, 'msg_3', BODY, now() + 600), BODY, /too far in the future/],
    ];
    for (const [s, hh, body, re] of cases) {
      const r = await verifyCli(s, hh, body);
      assert.equal(r.code, 1, `${re}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, re);
    }
    const tol = await verifyCli(SECRET, signedHeaders(SECRET, 'msg_3', BODY, now() - 600), BODY, ['--tolerance', '3600']);
    assert.equal(tol.code, 0, tol.stdout);
    const env = await runCli(['verify', ...Object.entries(h).flatMap(([n, v]) => ['-H', `${n}:${v}`])],
      { input: BODY, env: { OPENAPPLY_WEBHOOK_SECRET: SECRET } });
    assert.equal(env.code, 0, 'the secret may come from $OPENAPPLY_WEBHOOK_SECRET');
  });

  test('junk headers and junk input are rejected with a reason, never a crash', async () => {
    const good = signedHeaders(SECRET, 'msg_4', BODY);
    const cases = [
      [{ ...good, 'webhook-signature': 'garbage' }, BODY, /webhook-signature is malformed/],
      [{ ...good, 'webhook-signature': 'v1,' + 'A'.repeat(500) }, BODY, /webhook-signature is malformed/],
      [{ ...good, 'webhook-timestamp': 'yesterday' }, BODY, /webhook-timestamp is malformed/],
      [{ ...good, 'webhook-timestamp': '1e9' }, BODY, /webhook-timestamp is malformed/],
      [{ 'webhook-id': 'x', 'webhook-signature': good['webhook-signature'] }, BODY, /incomplete/],
      [{ ...good, 'webhook-id': 'x'.repeat(300) }, BODY, /webhook-id is malformed/],
      [[...Object.entries(good), ['Webhook-Signature', good['webhook-signature']]], BODY, /more than once/],
      [{ 'X-Kombo-Signature': 'short' }, BODY, /X-Kombo-Signature is malformed/],
      [good, Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 13, 0]), /no signature matches/],
      [good, '', /no signature matches/],
    ];
    for (const [hh, body, re] of cases) {
      const r = await verifyCli(SECRET, hh, body);
      assert.equal(r.code, 1, `${re}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, re);
    }
    const badSecret = await verifyCli('whsec_!!', good, BODY);
    assert.equal(badSecret.code, 1);
    assert.match(badSecret.stdout, /not a whsec_ secret/);
  });

  test('usage errors exit 2 with a message on stderr', async () => {
    const cases = [
      [['verify'], /--secret is required/],
      [['verify', '--secret', SECRET, '--header', 'no colon here'], /Name: value/],
      [['verify', '--secret', SECRET, '--header', ': empty name'], /Name: value/],
      [['verify', '--secret', SECRET, '--tolerance', 'soon'], /tolerance/],
      [['verify', '--secret', SECRET, '--tolerance', '0'], /tolerance/],
      [['verify', '--secret', SECRET, '--frobnicate'], /unknown option/],
      [['verify', '--secret'], /missing value/],
      [['verify', '--secret', SECRET, 'extra'], /unexpected argument/],
      // No signature header at all is a usage error, not a failed verification.
      [['verify', '--secret', SECRET], /no signature header given/],
      [['verify', '--secret', SECRET, '--header', 'Content-Type: application/json'], /no signature header given/],
      [['verify', '--secret', SECRET, '--headers-file', '/nonexistent/h'], /headers-file/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args, { input: BODY });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
    }
    const help = await runCli(['verify', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: openapply verify/);
    const top = await runCli(['--help']);
    assert.match(top.stdout, /verify .*\n.*listen/);
  });

  test('the committed test vectors match the reference library', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'tests/vectors/generate.mjs'), '--check'], { encoding: 'utf8' });
    assert.match(out, /up to date/);
  });
});

describe('openapply listen against the engine', () => {
  let site, rcv, engine, api, ep, listen, captured;
  const FWD = 'fwd';
  const printed = (re) => listen.lines.filter((l) => re.test(l));
  const forwards = async () => rcv.received(FWD);

  before(async () => {
    site = await startSite();
    rcv = await startReceiver();
    engine = await startEngine({ args: ['--retry-schedule', '0,300ms,300ms,300ms', '--webhook-timeout', '5s'] });
    api = client(engine);
    // The secret exists only once the endpoint does, and listen's port only once listen runs:
    // create the endpoint, start listen with its secret, then point the endpoint at listen.
    ep = await createEndpoint(api, rcv.hook('placeholder'));
    listen = await startListen(['--secret', ep.secret, '--forward-to', rcv.hook(FWD)]);
    assert.match(listen.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    await moveEndpoint(api, ep.id, `${listen.url}/webhooks`);
  });
  after(async () => {
    const lc = listen ? await listen.stop() : 0;
    const code = await engine.stop();
    await rcv.stop();
    await site.stop();
    engine.cleanup();
    assert.equal(lc, 0, 'listen exits cleanly');
    assert.equal(code, 0, 'engine exits cleanly');
    assert.match(listen.stderr.join('\n'), /stopped: \d+ events, \d+ duplicates dropped, \d+ rejected/);
  });

  test('events arrive, print once, forward once with identical body and signature headers', async () => {
    const cs = await api.post('/v1/ai-apply/career-sites', { label: 'Listen Co' });
    const p = (await api.post('/v1/ai-apply/postings', { url: site.jobUrl('backend-engineer'), career_site_id: cs.json.data.id })).json.data;
    await waitFor(() => printed(new RegExp(`posting=${p.id} availability=APPLYABLE`)).length === 1, { what: 'APPLYABLE printed' });
    // An application: inquire, apply, SUBMITTED.
    const inq = await api.post(`/v1/ai-apply/postings/${p.id}/inquire`, {});
    const ap = await api.post('/v1/ai-apply/apply', {
      submission_token: inq.json.data.submission_token, candidate_email: 'listen@example.com',
      screening_question_answers: answerAll(inq.json.data.application_form),
    });
    assert.equal(ap.status, 200, ap.text);
    await waitFor(() => printed(new RegExp(`application=${ap.json.data.id} posting=${p.id} status=SUBMITTED`)).length === 1,
      { what: 'SUBMITTED printed' });
    // Archive: the last event.
    assert.equal((await api.post(`/v1/ai-apply/postings/${p.id}/archive`, {})).status, 200);
    await waitFor(() => printed(new RegExp(`posting=${p.id} availability=ARCHIVED reason=MANUAL_ARCHIVE`)).length === 1,
      { what: 'ARCHIVED printed' });
    const fwd = await waitFor(async () => { const r = await forwards(); return r.length >= 3 && r; }, { what: '3 forwards' });
    await sleep(300);
    assert.equal(listen.lines.length, 3, `one line per event:\n${listen.lines.join('\n')}`);
    assert.equal((await forwards()).length, 3, 'one forward per event');
    const ids = fwd.map((r) => r.headers['webhook-id']);
    assert.equal(new Set(ids).size, 3);
    for (const [i, req] of fwd.entries()) {
      // The engine's signatures still verify on the forwarded request: body and signature
      // headers arrived unchanged.
      assert.ok(verifies(ep.secret, req), 'webhook-signature verifies on the forwarded bytes');
      assert.ok(kombosVerifies(ep.secret, req), 'X-Kombo-Signature verifies on the forwarded bytes');
      assert.equal(req.headers['content-type'], 'application/json');
      assert.match(req.headers['user-agent'], /^openapply\/\d+\.\d+\.\d+/);
      assert.equal(req.headers['webhook-id'], req.json.id);
      assert.match(listen.lines[i], new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z ${req.json.type} id=${req.json.id} .* forward=200 ms=\\d+$`));
    }
    assert.deepEqual(fwd.map((r) => r.json.type), [
      'ai-apply-job-posting-status-updated', 'ai-apply-application-status-updated', 'ai-apply-job-posting-status-updated']);
    // The engine saw 200 from listen for each.
    for (const id of ids) {
      const att = await waitFor(async () => {
        const a = await api.get(`/v1/webhooks/events/${id}/attempts`);
        return a.json.data.results.length >= 1 && a.json.data.results;
      });
      assert.deepEqual(att.map((a) => a.status_code), [200]);
    }
    captured = fwd;
  });

  test('a replayed request and an engine redelivery are acknowledged but not printed or forwarded again', async () => {
    assert.ok(captured, 'needs the previous test');
    const req = captured[0];
    const r = await postRaw(`${listen.url}/webhooks`, replayHeaders(req), req.raw);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { ok: true, duplicate: true });
    // The engine redelivers the same event: same webhook-id, fresh timestamp and signature.
    const id = req.headers['webhook-id'];
    const red = await api.post(`/v1/webhooks/events/${id}/redeliver`, {});
    assert.equal(red.status, 200, red.text);
    await waitFor(async () => {
      const a = await api.get(`/v1/webhooks/events/${id}/attempts`);
      return a.json.data.results.length === 2 && a.json.data.results.every((x) => x.status_code === 200);
    }, { what: 'the redelivery acknowledged' });
    await sleep(300);
    assert.equal(listen.lines.length, 3, 'nothing printed again');
    assert.equal((await forwards()).length, 3, 'nothing forwarded again');
    assert.ok(listen.stderr.some((l) => l.includes('listen.duplicate') && l.includes(id)));
  });

  test('tampered, stale, wrongly signed and unsigned requests get 401 and go nowhere', async () => {
    assert.ok(captured, 'needs the first test');
    const req = captured[0];
    const h = replayHeaders(req);
    const url = `${listen.url}/webhooks`;
    const stale = now() - 600;
    const cases = [
      ['tampered body', h, req.body.replace('APPLYABLE', 'UNAVAILABLE'), /no signature matches/],
      ['stale timestamp', { ...h, ...signedHeaders(ep.secret, 'fresh-id-1', req.body, stale) }, req.body, /too old/],
      ['wrong secret', { ...h, ...signedHeaders(OTHER, 'fresh-id-2', req.body) }, req.body, /no signature matches/],
      ['no signature headers', { 'content-type': 'application/json' }, req.body, /no signature headers/],
      ['junk signature', { ...h, 'webhook-signature': 'v1,###' }, req.body, /malformed/],
    ];
    for (const [what, hh, body, re] of cases) {
      const r = await postRaw(url, hh, body);
      assert.equal(r.status, 401, `${what}: ${r.status} ${r.text}`);
      assert.match(r.json.error, re, what);
    }
    const get = await postRaw(url, {}, undefined, 'GET');
    assert.equal(get.status, 405);
    await sleep(200);
    assert.equal(listen.lines.length, 3, 'nothing printed');
    assert.equal((await forwards()).length, 3, 'nothing forwarded');
    assert.ok(listen.stderr.some((l) => l.includes('listen.rejected') && /too old/.test(l)));
  });

  test('a failed forward answers 502 so the engine retries; the retry is printed and forwarded once', async () => {
    await rcv.behave(FWD, { mode: 'fail_first', n: 1 });
    const cs = await api.post('/v1/ai-apply/career-sites', { label: 'Retry Co' });
    const p = (await api.post('/v1/ai-apply/postings', { url: `${site.jobUrl('backend-engineer')}?r=1`, career_site_id: cs.json.data.id })).json.data;
    const line = await waitFor(() => printed(new RegExp(`posting=${p.id} availability=APPLYABLE`))[0], { what: 'printed after the retry' });
    assert.match(line, /forward=200/);
    const mine = (await forwards()).filter((r) => r.json?.data?.id === p.id);
    assert.equal(mine.length, 2, 'the failed forward and the successful one');
    const id = mine[0].headers['webhook-id'];
    const att = await waitFor(async () => {
      const a = await api.get(`/v1/webhooks/events/${id}/attempts`);
      return a.json.data.results.length === 2 && a.json.data.results;
    });
    assert.deepEqual(att.map((a) => a.status_code), [502, 200]);
    assert.equal(printed(new RegExp(`posting=${p.id}`)).length, 1, 'printed once');
    assert.ok(listen.stderr.some((l) => l.includes('listen.forward_failed') && l.includes('HTTP 500')));
    await rcv.behave(FWD, { mode: 'ok' });
  });
});

describe('openapply listen on its own', () => {
  test('--json prints each new event as pretty JSON; usage errors exit 2', async () => {
    const l = await startListen(['--secret', SECRET, '--json']);
    try {
      const h = signedHeaders(SECRET, JSON.parse(BODY).id, BODY); // webhook-id = event id, as the engine sends
      assert.equal((await postRaw(l.url, h, BODY)).status, 200);
      assert.equal((await postRaw(l.url, h, BODY)).status, 200); // duplicate: not printed
      const k = await postRaw(l.url, { 'X-Kombo-Signature': kombo(SECRET, BODY) }, BODY);
      assert.deepEqual(k.json, { ok: true, duplicate: true }, 'Kombo-only: deduplicated on the event id');
      await waitFor(() => l.lines.includes('}'));
      await sleep(200);
      assert.deepEqual(JSON.parse(l.lines.join('\n')), JSON.parse(BODY));
      assert.ok(l.lines.length > 5, 'pretty-printed over several lines');
      assert.ok(l.lines.some((x) => x.includes('Bäckerei Müller 🍞')));
    } finally {
      assert.equal(await l.stop(), 0);
    }
    const cases = [
      [['listen', '--secret', SECRET], /--listen/],
      [['listen', '--listen', '127.0.0.1:0'], /--secret/],
      [['listen', '--listen', 'nowhere', '--secret', SECRET], /HOST:PORT/],
      [['listen', '--listen', '127.0.0.1:0', '--secret', 'whsec_short'], /whsec_/],
      [['listen', '--listen', '127.0.0.1:0', '--secret', SECRET, '--forward-to', 'ftp://x'], /forward-to/],
      [['listen', '--listen', '127.0.0.1:0', '--secret', SECRET, '--tolerance', '-1'], /tolerance/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
  });

  test('an unknown event type is printed with a note and a non-JSON signed body does not crash', async () => {
    const l = await startListen(['--secret', SECRET]);
    try {
      const other = JSON.stringify({ id: 'evt_op', type: 'openapply.endpoint.disabled', data: { endpoint_id: 'x' } });
      assert.equal((await postRaw(l.url, signedHeaders(SECRET, 'evt_op', other), other)).status, 200);
      // Not UTF-8, so signed over the raw bytes with node:crypto (the reference signs strings).
      const junk = Buffer.from([0xff, 0, 1, 2, 10, 34]);
      const ts = String(now());
      const jh = { 'webhook-id': 'evt_junk', 'webhook-timestamp': ts, 'webhook-signature': standard(SECRET, 'evt_junk', ts, junk) };
      assert.equal((await postRaw(l.url, jh, junk)).status, 200);
      await waitFor(() => l.lines.length === 2);
      assert.match(l.lines[0], /openapply\.endpoint\.disabled id=evt_op note="not an AI Apply event/);
      assert.match(l.lines[1], /id=evt_junk note="invalid/);
    } finally {
      assert.equal(await l.stop(), 0);
    }
  });
});
