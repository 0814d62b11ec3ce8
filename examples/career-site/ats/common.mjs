// common.mjs — what every fake ATS vendor shares: its state (secrets, per-job settings, recorded
// submissions), the misbehaviour modes set through /__admin/ats, request bodies parsed into the
// vendor's parameter shape, and the way answers are written (whole, malformed or truncated).
//
// A vendor module (greenhouse.mjs, ...) exports a definition:
//   { name, secrets: {key: default}, jobIds(): [id...], errorBody(status, headers): {status, json|text},
//     route(req, res, url, rest, ctx): handled? }
// and answers its requests through serve() below, with a handler that returns a description of
// the answer ({status, json | text | xml | html, headers}) instead of writing it.

import crypto from 'node:crypto';

export const MODES = ['ok', '500', '429', 'malformed', 'truncated', 'hang', 'slow'];
export const SCOPES = ['all', 'read', 'submit'];

// ---- values ------------------------------------------------------------------------------

export const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
export const uuid = () => crypto.randomUUID();
export const isEmail = (v) => typeof v === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v);
export const isDate = (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
export const blank = (v) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && v.length === 0);

/** An uploaded file as recorded: the bytes' sha256 and size, and the bytes themselves (base64). */
export class FileInfo {
  constructor(buf, filename, contentType, source) {
    this.filename = filename ?? null;
    this.content_type = contentType || null;
    this.size = buf.length;
    this.sha256 = sha256(buf);
    this.source = source; // multipart | base64 | url | text | upload
    this.data_base64 = buf.toString('base64');
  }

  /** In a record's `fields` a file shows without its bytes; `files` (plain copies) keeps them. */
  toJSON() {
    const { data_base64: _, ...rest } = this;
    return rest;
  }
}

/** A file given as base64 text in a JSON body; null when it is not valid base64. */
export function base64File(text, filename, contentType) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/=\s_-]*$/.test(text)) return null;
  return new FileInfo(Buffer.from(text, 'base64'), filename, contentType, 'base64');
}

export const extensionOf = (name) => (/\.([A-Za-z0-9]+)$/.exec(name || '') || [])[1]?.toLowerCase() ?? '';

// ---- request bodies ----------------------------------------------------------------------

/**
 * Nests form entries [[name, value]] the way the vendor's framework does: "a[b][c]" is a hash,
 * "a[]" an array, "a[][k]" an array of hashes (a new hash starts when k repeats, as in Rack).
 * repeat: 'last' (Rack, Plug: a repeated plain name keeps the last value) or 'array' (Node qs:
 * repeated names collect into an array).
 */
export function nestParams(entries, repeat = 'last') {
  const root = {};
  for (const [name, value] of entries) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    const keys = m ? [m[1], ...[...m[2].matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1])] : [name];
    put(root, keys, value, repeat);
  }
  return root;
}

function hasPath(obj, keys) {
  if (keys.includes('')) return false;
  let cur = obj;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, k)) return false;
    cur = cur[k];
  }
  return true;
}

function put(obj, keys, value, repeat) {
  const [k, ...rest] = keys;
  if (rest.length === 0) {
    if (repeat === 'array' && Object.hasOwn(obj, k)) obj[k] = [].concat(obj[k], value);
    else obj[k] = value;
    return;
  }
  if (rest[0] === '') {
    if (!Array.isArray(obj[k])) obj[k] = [];
    const arr = obj[k];
    if (rest.length === 1) { arr.push(value); return; }
    const last = arr[arr.length - 1];
    const child = rest.slice(1);
    if (last && typeof last === 'object' && !(last instanceof FileInfo) && !hasPath(last, child)) put(last, child, value, repeat);
    else { const fresh = {}; put(fresh, child, value, repeat); arr.push(fresh); }
    return;
  }
  if (obj[k] === null || typeof obj[k] !== 'object' || Array.isArray(obj[k]) || obj[k] instanceof FileInfo) obj[k] = {};
  put(obj[k], rest, value, repeat);
}

/**
 * Parses a request body: JSON (application/json), or multipart / urlencoded form data.
 * Returns { format: 'json' | 'multipart' | 'urlencoded' | 'empty' | 'unparseable', params }:
 * the JSON value, or the nested form params (file parts are FileInfo values).
 */
export async function parseBody(body, contentType, ctx, repeat = 'last') {
  const type = (contentType || '').split(';')[0].trim().toLowerCase();
  if (body.length === 0 && !type) return { format: 'empty', params: {} };
  if (type === 'application/json' || type.endsWith('+json')) {
    try { return { format: 'json', params: JSON.parse(body.toString('utf8')) }; } catch { return { format: 'unparseable', params: null }; }
  }
  if (type === 'multipart/form-data' || type === 'application/x-www-form-urlencoded') {
    try {
      const { entries } = await ctx.parseForm(body, contentType);
      const mapped = entries.map(([name, v]) => [name, typeof v === 'string' ? v
        : new FileInfo(v.data, v.filename, v.content_type, 'multipart')]);
      return { format: type === 'multipart/form-data' ? 'multipart' : 'urlencoded', params: nestParams(mapped, repeat) };
    } catch { return { format: 'unparseable', params: null }; }
  }
  return { format: 'unparseable', params: null };
}

// ---- auth headers --------------------------------------------------------------------------

/** The username of an HTTP Basic Authorization header; null when there is none or it is malformed. */
export function basicUser(req) {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization || '');
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : decoded.slice(0, colon);
}

export function bearer(req) {
  return (/^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization || '') || [])[1] ?? null;
}

// ---- state ---------------------------------------------------------------------------------

const MODE_DEFAULTS = { mode: 'ok', on: 'all', n: null, retry_after: 30, delay_ms: 2000 };

/** One vendor's state: settings (secrets + vendor-wide misbehaviour), jobs, submissions, counters. */
export class VendorState {
  constructor(def) {
    this.def = def;
    this.reset();
  }

  reset() {
    this.settings = { ...this.def.secrets, ...MODE_DEFAULTS, left: null };
    this.jobs = {};
    for (const id of this.def.jobIds()) this.jobs[id] = { closed: false, ...MODE_DEFAULTS, left: null };
    this.submissions = [];
    this.nextId = 1;
    this.hits = { read: 0, submit: 0 };
    this.extra = {}; // vendor-specific state (uploaded documents, rate-limit window, ...)
  }

  /** Applies an admin patch to `target` (settings or a job); throws a message on bad input. */
  patch(target, body, allowed) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('body must be a JSON object');
    const next = { ...target };
    for (const [key, value] of Object.entries(body)) {
      if (key === 'mode') {
        if (!MODES.includes(String(value))) throw new Error(`"mode" must be one of ${MODES.join(', ')}`);
        next.mode = String(value);
      } else if (key === 'on') {
        if (!SCOPES.includes(value)) throw new Error(`"on" must be one of ${SCOPES.join(', ')}`);
        next.on = value;
      } else if (key === 'n') {
        if (value !== null && !(Number.isInteger(value) && value >= 0)) throw new Error('"n" must be a non-negative integer or null');
        next.n = value;
      } else if (key === 'retry_after' || key === 'delay_ms') {
        if (!Number.isInteger(value) || value < 0 || value > 600000) throw new Error(`"${key}" must be an integer from 0 to 600000`);
        next[key] = value;
      } else if (Object.hasOwn(allowed, key)) {
        const problem = allowed[key](value);
        if (problem) throw new Error(`"${key}" ${problem}`);
        next[key] = value;
      } else {
        throw new Error(`unknown setting "${key}"`);
      }
    }
    // n counts the requests left to misbehave; setting mode or n restarts the count.
    if ('mode' in body || 'n' in body) next.left = next.n;
    return next;
  }

  publicSettings(s) {
    const { left, ...rest } = s;
    return { ...rest, misbehaviours_left: left };
  }

  state() {
    const jobs = {};
    for (const [id, j] of Object.entries(this.jobs)) jobs[id] = this.publicSettings(j);
    return {
      vendor: this.def.name, settings: this.publicSettings(this.settings), jobs,
      read_hits: this.hits.read, submit_hits: this.hits.submit, submissions: this.submissions.length,
    };
  }
}

/** The misbehaviour for a request of `kind` ('read' | 'submit') about job `jobId`: the job's
 *  setting first, then the vendor's; null when the request is answered normally. */
export function misbehaviour(v, jobId, kind) {
  const job = jobId !== null && jobId !== undefined ? v.jobs[String(jobId)] : undefined;
  for (const s of [job, v.settings]) {
    if (!s || s.mode === 'ok' || (s.on !== 'all' && s.on !== kind) || s.left === 0) continue;
    if (s.left > 0) s.left--;
    return s;
  }
  return null;
}

// ---- answering -----------------------------------------------------------------------------

/** Serializes an answer description: { status, json | text | xml | html, headers }. */
function bodyOf(out) {
  if (out.json !== undefined) return ['application/json; charset=utf-8', JSON.stringify(out.json)];
  if (out.xml !== undefined) return ['application/xml; charset=utf-8', out.xml];
  if (out.html !== undefined) return ['text/html; charset=utf-8', out.html];
  return ['text/plain; charset=utf-8', out.text ?? ''];
}

/** Writes an answer; `bad` malformed sends the first half of the body (complete, so the
 *  content is invalid), truncated promises the whole body and cuts the connection halfway. */
export function write(res, out, bad) {
  const [type, text] = bodyOf(out);
  const buf = Buffer.from(text, 'utf8');
  const headers = { 'Content-Type': type, 'Cache-Control': 'no-store', ...(out.headers || {}) };
  if (bad?.mode === 'malformed') {
    const half = buf.subarray(0, Math.max(1, Math.floor(buf.length / 2)));
    res.writeHead(out.status, { ...headers, 'Content-Length': half.length });
    return res.end(half);
  }
  if (bad?.mode === 'truncated') {
    res.writeHead(out.status, { ...headers, 'Content-Length': buf.length });
    res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => res.socket?.destroy());
    return undefined;
  }
  res.writeHead(out.status, { ...headers, 'Content-Length': buf.length });
  return res.end(out.status === 204 ? undefined : buf);
}

/**
 * Answers one request. kind 'read' or 'submit'. For a submission the body is read (at most
 * ctx.maxBody bytes), parsed and recorded before anything else, so a hanging or failing
 * submission still shows in the record. jobOf(parsed) names the job (for per-job settings).
 * handler(parsed, record) returns the answer description; for submissions it sets
 * record.accepted when the vendor would have saved the application.
 * Misbehaviour: 500 / 429 / hang answer before the handler runs (nothing saved); slow waits
 * delay_ms first; malformed / truncated run the handler and spoil only the answer.
 */
export async function serve(v, req, res, url, ctx, { kind, jobOf = () => null, repeat = 'last' }, handler) {
  v.hits[kind]++;
  let parsed = null;
  let record = null;
  if (kind === 'submit') {
    const { body, tooLarge } = await ctx.readBody(req, ctx.maxBody);
    parsed = tooLarge ? { format: 'too_large', params: null } : await parseBody(body, req.headers['content-type'], ctx, repeat);
    record = {
      id: `${v.def.name}_${v.nextId++}`, vendor: v.def.name, job: null, received_at: new Date().toISOString(),
      method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams),
      content_type: req.headers['content-type'] || '', body_format: parsed.format,
      auth_ok: null, accepted: false, status_returned: null,
      fields: parsed.params, files: [], errors: [], warnings: [],
    };
    v.submissions.push(record);
  }
  const jobId = jobOf(parsed?.params);
  if (record && jobId !== null && jobId !== undefined) record.job = String(jobId);
  const bad = misbehaviour(v, jobId, kind);
  const finish = (out, spoil) => {
    if (record) record.status_returned = out.status;
    if (!res.destroyed) write(res, out, spoil);
  };
  if (bad?.mode === 'hang') return ctx.hang(res);
  if (bad?.mode === '500') return finish(v.def.errorBody(500));
  if (bad?.mode === '429') {
    const out = v.def.errorBody(429);
    return finish({ ...out, headers: { ...(out.headers || {}), 'Retry-After': String(bad.retry_after) } });
  }
  if (bad?.mode === 'slow') await new Promise((r) => setTimeout(r, bad.delay_ms));
  if (parsed?.format === 'too_large') {
    record.errors.push({ problem: 'body_too_large' });
    const out = v.def.errorBody(413);
    return finish({ ...out, headers: { ...(out.headers || {}), Connection: 'close' } });
  }
  return finish(await handler(parsed, record), bad);
}

// ---- /__admin/ats ----------------------------------------------------------------------------

/** GET /__admin/ats[/VENDOR[/submissions | /jobs/ID]], POST to change, DELETE submissions. */
export async function serveAtsAdmin(vendors, req, res, url, ctx) {
  const send = (status, json) => write(res, { status, json });
  let parts; // after /__admin/ats
  try { parts = url.pathname.replace(/\/+$/, '').split('/').slice(3).map(decodeURIComponent); } catch { return send(400, { error: 'bad path encoding' }); }
  const method = req.method;
  const readJson = async () => {
    const { body, tooLarge } = await ctx.readBody(req, ctx.maxAdmin);
    if (tooLarge) throw new Error('body too large');
    try { return JSON.parse(body.toString('utf8') || '{}'); } catch { throw new Error('body is not valid JSON'); }
  };
  if (parts.length === 0) {
    if (method !== 'GET') return send(405, { error: 'use GET' });
    return send(200, { vendors: Object.fromEntries(Object.entries(vendors).map(([n, v]) => [n, v.state()])) });
  }
  const v = vendors[parts[0]];
  if (!v) return send(404, { error: `unknown vendor "${parts[0]}"` });
  if (parts.length === 1) {
    if (method === 'GET') return send(200, v.state());
    if (method !== 'POST') return send(405, { error: 'use GET or POST' });
    try { v.settings = v.patch(v.settings, await readJson(), v.def.settingRules || {}); } catch (e) { return send(400, { error: e.message }); }
    return send(200, v.state());
  }
  if (parts.length === 2 && parts[1] === 'submissions') {
    if (method === 'GET') {
      const job = url.searchParams.get('job');
      return send(200, { submissions: job ? v.submissions.filter((s) => s.job === job) : v.submissions });
    }
    if (method === 'DELETE') { const deleted = v.submissions.length; v.submissions = []; return send(200, { deleted }); }
    return send(405, { error: 'use GET or DELETE' });
  }
  if (parts.length === 2 && parts[1] === 'reset') {
    if (method !== 'POST') return send(405, { error: 'use POST' });
    v.reset();
    return send(200, v.state());
  }
  if (parts.length === 3 && parts[1] === 'jobs') {
    const id = parts[2];
    if (!Object.hasOwn(v.jobs, id)) return send(404, { error: `unknown ${v.def.name} job "${id}"` });
    if (method === 'GET') return send(200, { job: id, settings: v.publicSettings(v.jobs[id]) });
    if (method !== 'POST') return send(405, { error: 'use GET or POST' });
    const closed = v.def.closedValues || [false, true];
    const rules = { closed: (x) => (closed.includes(x) ? null : `must be one of ${closed.map((c) => JSON.stringify(c)).join(', ')}`) };
    try { v.jobs[id] = v.patch(v.jobs[id], await readJson(), rules); } catch (e) { return send(400, { error: e.message }); }
    return send(200, { job: id, settings: v.publicSettings(v.jobs[id]) });
  }
  return send(404, { error: 'unknown admin endpoint' });
}

/** Validation rule for a secret setting: a non-empty string. */
export const nonEmptyString = (x) => (typeof x === 'string' && x !== '' ? null : 'must be a non-empty string');
