// verify.mjs - an independent implementation of both signature schemes (node:crypto), used to
// check what the engine sends, next to the reference `standardwebhooks` package.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** X-Kombo-Signature: base64url (unpadded) HMAC-SHA256 of the raw body, keyed with the secret string. */
export function kombo(secret, raw) {
  return createHmac('sha256', secret).update(raw).digest('base64url');
}

/** Standard Webhooks v1 signature of id.timestamp.body with the base64 key after whsec_. */
export function standard(secret, id, ts, raw) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${id}.${ts}.`).update(raw).digest('base64');
}

const eq = (a, b) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** True when `secret` produced one of the signatures of a received request. */
export function verifies(secret, req) {
  const h = req.headers;
  const std = standard(secret, h['webhook-id'], h['webhook-timestamp'], req.raw);
  return h['webhook-signature'].split(' ').some((s) => eq(s, std));
}

export function kombosVerifies(secret, req) {
  return eq(req.headers['x-kombo-signature'], kombo(secret, req.raw));
}
