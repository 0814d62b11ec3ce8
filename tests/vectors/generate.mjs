#!/usr/bin/env node
// generate.mjs - writes tests/vectors/standardwebhooks.json: webhook test vectors signed by the
// reference Standard Webhooks library (the npm `standardwebhooks` package), for libopenapply's
// unit tests (tests/unit/test_lib_webhook.c).
//
//   node tests/vectors/generate.mjs           rewrite the JSON
//   node tests/vectors/generate.mjs --check   exit 1 when the committed JSON is out of date
//
// Everything is deterministic (fixed secrets derived from labels, fixed ids and times), so the
// output only changes when this script or the reference library does. Each vector says what
// libopenapply must answer (`expect`, an oaw_result name) and what the reference library
// answered (`reference`: "valid", its error message, or null where it does not apply: Kombo
// signatures, repeated headers). Where libopenapply is deliberately stricter than the
// reference, `stricter` says why.
import { createRequire } from 'node:module';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// The package is installed for the e2e tests (tests/e2e/package-lock.json pins it).
const require = createRequire(join(here, '../e2e/package.json'));
const { Webhook } = require('standardwebhooks');
const refVersion = require('standardwebhooks/package.json').version;
const OUT = join(here, 'standardwebhooks.json');

const NOW = 1700000000; // "now" of every vector, in seconds
const TOLERANCE = 300;

/** A deterministic whsec_ secret of n bytes. */
function secret(label, n) {
  let bytes = Buffer.alloc(0);
  for (let i = 0; bytes.length < n; i++) bytes = Buffer.concat([bytes, createHash('sha256').update(`${label}/${i}`).digest()]);
  return 'whsec_' + bytes.subarray(0, n).toString('base64');
}

const S16 = secret('openapply-vector-16', 16);
const S24 = secret('openapply-vector-24', 24);
const S32 = secret('openapply-vector-32', 32);
const S64 = secret('openapply-vector-64', 64);
const OTHER = secret('openapply-vector-other', 32);

const POSTING = JSON.stringify({
  id: 'Eq5jVbGUsTzS1rX9gq2Ufq4H', type: 'ai-apply-job-posting-status-updated',
  data: {
    id: '7BxCvW2kq9Nd1rLmTzA4sYpQ', career_site: { id: '3kTnR8vXq2WmYp5sLc7dHfJb', label: 'Brightwave Labs' },
    url: 'https://careers.example.com/jobs/backend-engineer', job_code: null,
    created_at: '2023-11-14T22:10:00.000Z', updated_at: '2023-11-14T22:13:20.000Z',
    archived_at: null, archived_reason: null, availability: 'APPLYABLE',
  },
});
const APPLICATION = JSON.stringify({
  id: 'Hh3KpW9sXq2vLmTz8RcYb5dN', type: 'ai-apply-application-status-updated',
  data: {
    id: 'Qx7mN2pL9sTzK4vWb8RcYh3J', job_posting_id: '7BxCvW2kq9Nd1rLmTzA4sYpQ', status: 'SUBMITTED',
    created_at: '2023-11-14T22:12:00.000Z', updated_at: '2023-11-14T22:13:20.000Z',
  },
});
const UNICODE = '{"label":"Bäckerei Müller – Köln 🍞","city":"東京","note":"naïve café\\u00e9"}';
const PRETTY = '{\n  "id": "msg_pretty",\n  "ok": true\n}\n';
const LARGE = JSON.stringify({ id: 'msg_large', items: Array.from({ length: 400 }, (_, i) => `item-${i}-ünïcødé`) });

const kombo = (s, body) => createHmac('sha256', s).update(body).digest('base64url');
const sign = (s, id, ts, body) => new Webhook(s).sign(id, new Date(ts * 1000), body);

/** What the reference library says about a request, at time `now`. */
function reference(s, pairs, body, now) {
  const names = pairs.map(([n]) => n.toLowerCase());
  if (new Set(names).size !== names.length) return null; // cannot be expressed as an object
  if (names.includes('x-kombo-signature') && !names.some((n) => n.startsWith('webhook-'))) {
    return null; // Kombo-only: not the reference's scheme
  }
  const realNow = Date.now;
  Date.now = () => now * 1000;
  try {
    new Webhook(s).verify(body, Object.fromEntries(pairs));
    return 'valid';
  } catch (e) {
    return e.message;
  } finally {
    Date.now = realNow;
  }
}

const vectors = [];
function add(v) {
  const now = v.now ?? NOW;
  const out = {
    name: v.name, secret: v.secret, body: v.body, now, tolerance: v.tolerance ?? 0,
    require_standard: v.require_standard ?? false, headers: v.headers, expect: v.expect,
    // The reference has a fixed 5-minute tolerance: a custom one is not comparable.
    reference: v.tolerance ? null : reference(v.secret, v.headers, v.body, now),
  };
  if (v.id !== undefined) Object.assign(out, { id: v.id, timestamp: v.timestamp, signature: v.signature });
  if (v.kombo !== undefined) out.kombo = v.kombo;
  if (v.signature_index !== undefined) out.signature_index = v.signature_index;
  if (v.stricter) out.stricter = v.stricter;
  if (v.lenient) out.lenient = v.lenient;
  if (out.expect === 'OAW_OK' && out.reference !== null && out.reference !== 'valid' && !v.lenient) {
    throw new Error(`${v.name}: expected valid but the reference says ${out.reference}`);
  }
  if (out.expect !== 'OAW_OK' && out.reference === 'valid' && !v.stricter) {
    throw new Error(`${v.name}: the reference accepts it: explain with "stricter"`);
  }
  vectors.push(out);
}

/** A correctly signed request. */
function good(name, s, id, ts, body, extra = {}) {
  const signature = sign(s, id, ts, body);
  add({
    name, secret: s, id, timestamp: ts, body, signature, kombo: kombo(s, body),
    headers: [['webhook-id', id], ['webhook-timestamp', String(ts)], ['webhook-signature', signature]],
    expect: 'OAW_OK', signature_index: 0, ...extra,
  });
  return signature;
}

// ---- valid ----
const ID = 'Eq5jVbGUsTzS1rX9gq2Ufq4H';
good('posting event, 32-byte secret', S32, ID, NOW, POSTING);
good('application event, 32-byte secret', S32, 'Hh3KpW9sXq2vLmTz8RcYb5dN', NOW, APPLICATION);
good('16-byte secret (the minimum)', S16, 'msg_16', NOW, POSTING);
good('24-byte secret (Svix-sized)', S24, 'msg_p5jXN8AQM9LWM0D4loKWxJek', NOW, POSTING);
good('64-byte secret', S64, 'msg_64', NOW, POSTING);
good('empty body', S32, 'msg_empty', NOW, '');
good('unicode body', S32, 'msg_unicode', NOW, UNICODE);
good('pretty body with a trailing newline', S32, 'msg_pretty', NOW, PRETTY);
good('large body', S32, 'msg_large', NOW, LARGE);
good('id with dots and dashes', S32, 'evt.2023-11-14.a-b_c', NOW, POSTING);
good('timestamp 299 s old', S32, ID, NOW - 299, POSTING);
good('timestamp 299 s ahead', S32, ID, NOW + 299, POSTING);
good('timestamp exactly at the tolerance', S32, ID, NOW - 300, POSTING);
good('custom tolerance of 1 day', S32, ID, NOW - 86000, POSTING, { tolerance: 86400 });
good('secret without the whsec_ prefix', S32.slice(6), ID, NOW, POSTING);
{
  const sig = sign(S32, ID, NOW, POSTING);
  const base = (name, value, extra = {}) => add({
    name, secret: S32, id: ID, timestamp: NOW, body: POSTING, signature: sig,
    headers: [['webhook-id', ID], ['webhook-timestamp', String(NOW)], ['webhook-signature', value]],
    expect: 'OAW_OK', ...extra,
  });
  const other = sign(OTHER, ID, NOW, POSTING);
  base('two signatures, the second matches (rotation: new secret first)', `${other} ${sig}`, { signature_index: 1 });
  base('two signatures, the first matches', `${sig} ${other}`, { signature_index: 0 });
  base('an unknown version before the match is skipped', `v2,${sig.slice(3)} ${sig}`, { signature_index: 1 });
  base('a malformed candidate before the match is skipped', `v1,!!! ${sig}`, { signature_index: 1 });
  base('extra spaces between signatures', `  ${other}   ${sig}  `, { signature_index: 1 });
  base('unpadded base64 signature', `${sig.replace(/=+$/, '')}`, {
    signature_index: 0,
    lenient: 'signatures are compared as decoded bytes, so missing padding is accepted ' +
      '(the reference compares the base64 text)',
  });
  add({
    name: 'mixed-case header names', secret: S32, id: ID, timestamp: NOW, body: POSTING, signature: sig,
    headers: [['Webhook-Id', ID], ['WEBHOOK-TIMESTAMP', String(NOW)], ['Webhook-Signature', sig]],
    expect: 'OAW_OK', signature_index: 0,
  });
  add({
    name: 'both schemes present', secret: S32, id: ID, timestamp: NOW, body: POSTING, signature: sig,
    kombo: kombo(S32, POSTING),
    headers: [['Content-Type', 'application/json'], ['X-Kombo-Signature', kombo(S32, POSTING)],
      ['webhook-id', ID], ['webhook-timestamp', String(NOW)], ['webhook-signature', sig]],
    expect: 'OAW_OK', signature_index: 0,
  });
  add({
    name: 'both schemes, X-Kombo-Signature from another secret (rotation grace): standard wins',
    secret: S32, id: ID, timestamp: NOW, body: POSTING, signature: sig,
    headers: [['X-Kombo-Signature', kombo(OTHER, POSTING)], ['webhook-id', ID],
      ['webhook-timestamp', String(NOW)], ['webhook-signature', `${other} ${sig}`]],
    expect: 'OAW_OK', signature_index: 1,
  });
  add({
    name: 'X-Kombo-Signature alone', secret: S32, body: POSTING, kombo: kombo(S32, POSTING),
    headers: [['X-Kombo-Signature', kombo(S32, POSTING)]], expect: 'OAW_OK', signature_index: 0,
  });
  add({
    name: 'X-Kombo-Signature alone, unicode body', secret: S32, body: UNICODE, kombo: kombo(S32, UNICODE),
    headers: [['x-kombo-signature', kombo(S32, UNICODE)]], expect: 'OAW_OK', signature_index: 0,
  });

  // ---- invalid ----
  const std = (ts = String(NOW), s = sig, id = ID) => [['webhook-id', id], ['webhook-timestamp', ts], ['webhook-signature', s]];
  const bad = (name, expect, extra) => add({ name, secret: S32, body: POSTING, expect, ...extra });
  bad('tampered body', 'OAW_ERR_SIGNATURE_MISMATCH', { body: POSTING.replace('APPLYABLE', 'ARCHIVED'), headers: std() });
  bad('body with one byte removed', 'OAW_ERR_SIGNATURE_MISMATCH', { body: POSTING.slice(0, -1), headers: std() });
  bad('body with a trailing newline added', 'OAW_ERR_SIGNATURE_MISMATCH', { body: POSTING + '\n', headers: std() });
  bad('wrong secret', 'OAW_ERR_SIGNATURE_MISMATCH', { secret: OTHER, headers: std() });
  bad('another id', 'OAW_ERR_SIGNATURE_MISMATCH', { headers: std(String(NOW), sig, 'msg_other') });
  bad('another timestamp within the tolerance', 'OAW_ERR_SIGNATURE_MISMATCH', { headers: std(String(NOW - 1)) });
  {
    const old = sign(S32, ID, NOW - 301, POSTING);
    bad('stale timestamp (301 s old)', 'OAW_ERR_TIMESTAMP_STALE', { headers: std(String(NOW - 301), old) });
    const old2 = sign(S32, ID, NOW - 3600, POSTING);
    bad('stale timestamp (1 h old), a replay', 'OAW_ERR_TIMESTAMP_STALE', { headers: std(String(NOW - 3600), old2) });
    const fut = sign(S32, ID, NOW + 301, POSTING);
    bad('timestamp 301 s in the future', 'OAW_ERR_TIMESTAMP_FUTURE', { headers: std(String(NOW + 301), fut) });
    bad('stale under a custom 60 s tolerance', 'OAW_ERR_TIMESTAMP_STALE', {
      headers: std(String(NOW - 61), sign(S32, ID, NOW - 61, POSTING)), tolerance: 60,
    });
  }
  bad('timestamp not a number', 'OAW_ERR_MALFORMED_TIMESTAMP', { headers: std('soon') });
  bad('timestamp empty', 'OAW_ERR_MALFORMED_TIMESTAMP', { headers: std('') });
  bad('timestamp with a fraction', 'OAW_ERR_MALFORMED_TIMESTAMP', {
    headers: std(`${NOW}.5`), stricter: 'whole seconds only (the reference parseInt()s "1700000000.5" to 1700000000)',
  });
  bad('timestamp in milliseconds', 'OAW_ERR_MALFORMED_TIMESTAMP', { headers: std(String(NOW * 1000)) });
  bad('negative timestamp', 'OAW_ERR_MALFORMED_TIMESTAMP', { headers: std(String(-NOW)) });
  bad('timestamp with trailing junk', 'OAW_ERR_MALFORMED_TIMESTAMP', {
    headers: std(`${NOW}abc`), stricter: 'no trailing junk (the reference parseInt()s it away)',
  });
  bad('timestamp overflowing 64 bits', 'OAW_ERR_MALFORMED_TIMESTAMP', { headers: std('99999999999999999999999') });
  bad('empty webhook-id', 'OAW_ERR_MALFORMED_ID', { headers: std(String(NOW), sig, '') });
  bad('webhook-id over 256 bytes', 'OAW_ERR_MALFORMED_ID', { headers: std(String(NOW), sig, 'x'.repeat(257)) });
  bad('webhook-id with a control character', 'OAW_ERR_MALFORMED_ID', { headers: std(String(NOW), sig, 'msg\tx') });
  bad('signature without a version', 'OAW_ERR_MALFORMED_SIGNATURE', { headers: std(String(NOW), sig.slice(3)) });
  bad('only an unknown version', 'OAW_ERR_MALFORMED_SIGNATURE', { headers: std(String(NOW), `v2,${sig.slice(3)}`) });
  bad('signature not base64', 'OAW_ERR_MALFORMED_SIGNATURE', { headers: std(String(NOW), 'v1,this is not base64!') });
  bad('signature too short', 'OAW_ERR_MALFORMED_SIGNATURE', { headers: std(String(NOW), 'v1,AAAA') });
  bad('signature too long', 'OAW_ERR_MALFORMED_SIGNATURE', { headers: std(String(NOW), `v1,${Buffer.alloc(48).toString('base64')}`) });
  bad('signature header empty', 'OAW_ERR_MALFORMED_SIGNATURE', { headers: std(String(NOW), '') });
  bad('signature header of spaces', 'OAW_ERR_MALFORMED_SIGNATURE', { headers: std(String(NOW), '    ') });
  bad('well-formed signature of zeros', 'OAW_ERR_SIGNATURE_MISMATCH', { headers: std(String(NOW), `v1,${Buffer.alloc(32).toString('base64')}`) });
  bad('signature of the body alone (Kombo key)', 'OAW_ERR_SIGNATURE_MISMATCH', {
    headers: std(String(NOW), `v1,${createHmac('sha256', S32).update(POSTING).digest('base64')}`),
  });
  bad('missing webhook-signature', 'OAW_ERR_INCOMPLETE_HEADERS', { headers: std().slice(0, 2) });
  bad('missing webhook-timestamp', 'OAW_ERR_INCOMPLETE_HEADERS', { headers: [std()[0], std()[2]] });
  bad('only webhook-id, with a good X-Kombo-Signature', 'OAW_ERR_INCOMPLETE_HEADERS', {
    headers: [['webhook-id', ID], ['X-Kombo-Signature', kombo(S32, POSTING)]],
  });
  bad('no signature headers', 'OAW_ERR_MISSING_HEADERS', { headers: [['Content-Type', 'application/json']] });
  bad('no headers at all', 'OAW_ERR_MISSING_HEADERS', { headers: [] });
  bad('webhook-signature twice', 'OAW_ERR_DUPLICATE_HEADER', { headers: [...std(), ['webhook-signature', sig]] });
  bad('X-Kombo-Signature twice', 'OAW_ERR_DUPLICATE_HEADER', {
    headers: [['X-Kombo-Signature', kombo(S32, POSTING)], ['x-kombo-signature', kombo(OTHER, POSTING)]],
  });
  bad('secret too short (8 bytes)', 'OAW_ERR_SECRET', {
    secret: secret('short', 8), headers: std(String(NOW), sign(secret('short', 8), ID, NOW, POSTING)),
    stricter: 'secrets of fewer than 16 bytes are refused as too weak',
  });
  bad('secret not base64', 'OAW_ERR_SECRET', { secret: 'whsec_not base64 at all!', headers: std() });
  bad('Kombo signature tampered body', 'OAW_ERR_SIGNATURE_MISMATCH', {
    body: POSTING.replace('APPLYABLE', 'ARCHIVED'), headers: [['X-Kombo-Signature', kombo(S32, POSTING)]],
  });
  bad('Kombo signature, wrong secret', 'OAW_ERR_SIGNATURE_MISMATCH', { secret: OTHER, headers: [['X-Kombo-Signature', kombo(S32, POSTING)]] });
  bad('Kombo signature truncated', 'OAW_ERR_MALFORMED_HEADER', { headers: [['X-Kombo-Signature', kombo(S32, POSTING).slice(0, 42)]] });
  bad('Kombo signature in standard base64 alphabet', 'OAW_ERR_MALFORMED_HEADER', {
    headers: [['X-Kombo-Signature', kombo(S32, POSTING).replace(/-/g, '+').replace(/_/g, '/').replace(/^./, '+')]],
  });
  bad('Kombo signature when Standard Webhooks are required', 'OAW_ERR_MISSING_HEADERS', {
    headers: [['X-Kombo-Signature', kombo(S32, POSTING)]], require_standard: true,
  });
}

const doc = {
  description: 'Webhook test vectors for libopenapply, signed by the reference Standard Webhooks ' +
    'library. Regenerate with: node tests/vectors/generate.mjs',
  generator: `standardwebhooks@${refVersion} (npm) and node:crypto for X-Kombo-Signature`,
  default_tolerance: TOLERANCE,
  vectors,
};
const text = JSON.stringify(doc, null, 2) + '\n';
if (process.argv.includes('--check')) {
  const cur = readFileSync(OUT, 'utf8');
  if (cur !== text) {
    console.error('tests/vectors/standardwebhooks.json is out of date: run node tests/vectors/generate.mjs');
    process.exit(1);
  }
  console.log(`tests/vectors/standardwebhooks.json is up to date (${vectors.length} vectors)`);
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT} (${vectors.length} vectors)`);
}
