// api.js - every call to the engine's public API, with the signed-in key as a Bearer token.
//
// The key lives in sessionStorage (gone when the tab closes) and only ever travels in the
// Authorization header, never in a URL (URLs end up in logs and histories). Errors become
// ApiError with a readable message from Kombo's error shape
// {"status":"error","error":{"code","title","message"}}; a 401 on any call but the sign-in
// check means the key stopped working (revoked, expired): onUnauthorized decides what then.

const KEY = 'openapply.apiKey';

export const session = {
  get: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, code, title, message) {
    super(message);
    this.status = status; // HTTP status, 0 when the engine could not be reached
    this.code = code;
    this.title = title;
  }

  /** One line for people: "Not found: Event x not found. (HTTP 404, PLATFORM.INPUT_INVALID)". */
  get readable() {
    const where = this.status ? `HTTP ${this.status}${this.code ? `, ${this.code}` : ''}` : 'no answer';
    return `${this.title ? `${this.title}: ` : ''}${this.message} (${where})`;
  }

  /** True when the engine has no such route (a newer API feature missing on this engine). */
  get missingRoute() {
    return this.status === 404 && /^No such endpoint/.test(this.message);
  }
}

let unauthorized = () => {};
/** Sets what happens when a call answers 401 (the app: back to sign-in). */
export function onUnauthorized(fn) { unauthorized = fn; }

/**
 * Calls the API: api('GET', '/v1/ai-apply/postings', { query: { ids }, signal }) resolves to
 * the answer's `data`. opts.key overrides the session's key (sign-in checks a candidate key;
 * its 401 is the caller's to show, not a sign-out).
 */
export async function api(method, path, opts = {}) {
  const key = opts.key ?? session.get();
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(opts.query || {})) {
    if (v !== null && v !== undefined && v !== '') url.searchParams.set(k, String(v));
  }
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  let body;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res, text;
  try {
    res = await fetch(url, { method, headers, body, signal: opts.signal, cache: 'no-store', credentials: 'omit' });
    text = await res.text();
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null, 'Cannot reach the engine', `${method} ${url.pathname} failed: ${e.message}`);
  }
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: handled below */ }
  if (res.ok && json && json.status === 'success') return json.data;
  const err = json && json.error
    ? new ApiError(res.status, json.error.code, json.error.title, json.error.message || 'No message.')
    : new ApiError(res.status, null, res.statusText || 'Unexpected answer',
      `${method} ${url.pathname} answered ${res.status} without Kombo's JSON error shape.`);
  if (res.status === 401 && !opts.key) unauthorized(err);
  throw err;
}

/** A readable message for any error (ApiError or not). */
export function errorText(e) {
  return e instanceof ApiError ? e.readable : `Unexpected error: ${e && e.message ? e.message : e}`;
}

export const isAbort = (e) => e && e.name === 'AbortError';
