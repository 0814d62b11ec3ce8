// helpers.mjs - shared steps of the end-to-end suite: create resources through the API (every
// 2xx body schema-checked), wait for lifecycle states, read the event outbox, assert Kombo's
// error shape with a message that names the problem, raw HTTP for what fetch cannot send
// (chunked bodies, huge bodies, headers only), and the CLI as a plain child process.
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { waitFor, sql, BIN } from './harness.mjs';
import { assertSchema, assertError } from './schema.mjs';

/** Validates one posting as an item of the postings list (archive answers a bare posting). */
export function assertPosting(p) {
  assertSchema('GetAiApplyPostingsPositiveResponse', { status: 'success', data: { results: [p], next: null } });
}

/** Validates one application as an item of the applications list (review answers one). */
export function assertApplication(a) {
  assertSchema('GetAiApplyApplicationsPositiveResponse', { status: 'success', data: { results: [a], next: null } });
}

/**
 * Asserts an error answer: the status, Kombo's error shape, and a message matching `word`
 * (a RegExp or a string that must occur, case-insensitively).
 */
export function expectError(res, status, word, what = '') {
  const label = `${what ? what + ': ' : ''}${res.status} ${res.text?.slice(0, 300)}`;
  assert.equal(res.status, status, label);
  assertError(res.json);
  const msg = res.json.error.message;
  const re = word instanceof RegExp ? word : new RegExp(word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  assert.match(msg, re, `${what}: message names the problem: ${msg}`);
  return res.json.error;
}

/** Resource helpers bound to one API client. */
export function resources(api) {
  const r = {
    async createSite(label = 'Brightwave Labs') {
      const res = await api.post('/v1/ai-apply/career-sites', { label });
      assert.equal(res.status, 200, res.text);
      assertSchema('PostAiApplyCareerSitesPositiveResponse', res.json);
      assert.equal(res.json.data.label, label);
      return res.json.data;
    },
    async createPosting(body) {
      const res = await api.post('/v1/ai-apply/postings', body);
      assert.equal(res.status, 200, res.text);
      assertSchema('PostAiApplyPostingsPositiveResponse', res.json);
      return res.json.data;
    },
    /** A fresh career site and a posting of `url` on it. */
    async newPosting(url, extra = {}, label = 'Brightwave Labs') {
      const cs = await r.createSite(label);
      return r.createPosting({ url, career_site_id: cs.id, ...extra });
    },
    async posting(id) {
      const res = await api.get(`/v1/ai-apply/postings?ids=${id}`);
      assert.equal(res.status, 200, res.text);
      assertSchema('GetAiApplyPostingsPositiveResponse', res.json);
      assert.equal(res.json.data.results.length, 1, `posting ${id} listed once`);
      return res.json.data.results[0];
    },
    async waitPosting(id, availability, ms = 15000) {
      return waitFor(async () => {
        const p = await r.posting(id);
        return p.availability === availability && p;
      }, { ms, what: `posting ${id} ${availability}` });
    },
    async application(id) {
      const res = await api.get(`/v1/ai-apply/applications?ids=${id}`);
      assert.equal(res.status, 200, res.text);
      assertSchema('GetAiApplyApplicationsPositiveResponse', res.json);
      assert.equal(res.json.data.results.length, 1, `application ${id} listed once`);
      return res.json.data.results[0];
    },
    async waitApplication(id, status, ms = 15000) {
      return waitFor(async () => {
        const a = await r.application(id);
        return a.status === status && a;
      }, { ms, what: `application ${id} ${status}` });
    },
    async inquire(postingId) {
      const res = await api.post(`/v1/ai-apply/postings/${postingId}/inquire`, {});
      assert.equal(res.status, 200, res.text);
      assertSchema('PostAiApplyPostingsPostingIdInquirePositiveResponse', res.json);
      return { form: res.json.data.application_form, token: res.json.data.submission_token };
    },
    async apply(body) {
      const res = await api.post('/v1/ai-apply/apply', body);
      assert.equal(res.status, 200, res.text);
      assertSchema('PostAiApplyApplyPositiveResponse', res.json);
      assert.equal(res.json.data.status, 'PENDING', 'a new application is PENDING');
      return res.json.data;
    },
    async archive(id) {
      const res = await api.post(`/v1/ai-apply/postings/${id}/archive`, {});
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.status, 'success');
      assertPosting(res.json.data);
      return res.json.data;
    },
    async review(query = '') {
      const res = await api.get(`/v1/ai-apply/review${query}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.status, 'success');
      // Each queue item is an application as GET /applications shows it, plus review details.
      assertSchema('GetAiApplyApplicationsPositiveResponse', res.json);
      return res.json.data;
    },
    async decide(appId, body) {
      const res = await api.post(`/v1/ai-apply/applications/${appId}/review`, body);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.status, 'success');
      assertApplication(res.json.data);
      return res.json.data;
    },
  };
  return r;
}

/** The event rows of one resource, oldest first, bodies parsed. */
export function events(engine, resourceId) {
  return sql(engine, `SELECT type, resource_id, tenant, body FROM events WHERE resource_id = '${resourceId}' ORDER BY seq`)
    .map((e) => ({ ...e, body: JSON.parse(e.body) }));
}

/** Checks one event row: webhook schema, type, and data equal to `data` when given. */
export function assertEvent(ev, kind, data) {
  const type = kind === 'posting' ? 'ai-apply-job-posting-status-updated' : 'ai-apply-application-status-updated';
  const schema = kind === 'posting' ? 'AiApplyJobPostingStatusUpdatedWebhookPayload' : 'AiApplyApplicationStatusUpdatedWebhookPayload';
  assert.equal(ev.type, type);
  assert.equal(ev.body.type, type);
  assertSchema(schema, ev.body);
  if (data) assert.deepEqual(ev.body.data, data, 'event data is the resource as GET returns it');
}

/** Waits until the engine's log has a line matching re after index `from`. */
export function waitLog(engine, re, { from = 0, ms = 15000 } = {}) {
  return waitFor(() => engine.stderr.slice(from).find((l) => re.test(l)), { ms, what: `log ${re}` });
}

/**
 * Raw HTTP request with node:http: `chunks` (array of Buffers/strings) are written one by one
 * without Content-Length (chunked) unless headers carry one; `headersOnly` sends the headers
 * and waits for an early answer. Resolves { status, headers, text, json }.
 */
export function rawRequest(baseUrl, { method = 'POST', path, headers = {}, chunks = [], headersOnly = false }) {
  return new Promise((resolve, reject) => {
    const u = new URL(path, baseUrl);
    const req = http.request({ hostname: u.hostname, port: u.port, path: u.pathname + u.search, method, headers });
    let settled = false;
    req.on('response', (res) => {
      const bufs = [];
      res.on('data', (d) => bufs.push(d));
      res.on('end', () => {
        settled = true;
        const text = Buffer.concat(bufs).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
        req.destroy();
      });
    });
    req.on('error', (e) => { if (!settled) reject(e); });
    if (headersOnly) { req.flushHeaders(); return; }
    (async () => {
      for (const c of chunks) {
        if (settled || req.destroyed) return;
        if (!req.write(c)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })().catch(() => { /* an early answer closed the connection: the response decides */ });
  });
}

/**
 * Runs the binary with args until it exits (or `ms` passes: then SIGKILL and fail).
 * Resolves { code, signal, stdout, stderr } (strings).
 */
export function runToExit(args, { env = {}, ms = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    const e = cleanEnv(env);
    const proc = spawn(BIN, args, { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    proc.stdout.on('data', (d) => { out += d; });
    proc.stderr.on('data', (d) => { err += d; });
    const t = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`openapply ${args.join(' ')} did not exit within ${ms} ms\n${err}`)); }, ms);
    proc.on('exit', (code, signal) => { clearTimeout(t); setImmediate(() => resolve({ code, signal, stdout: out, stderr: err })); });
  });
}

function cleanEnv(env) {
  const e = { ...process.env };
  for (const k of Object.keys(e)) if (k.startsWith('OPENAPPLY_')) delete e[k];
  return { ...e, ...env };
}

/**
 * Starts `openapply serve` with exactly these args (no harness defaults), keeping every stdout
 * line (the harness drops lines printed right after the "listening" one, like the API key).
 * Resolves { url, stdout: [...], stderr: [...], stop() -> exit code }.
 */
export async function serveRaw(args, { env = {} } = {}) {
  const proc = spawn(BIN, ['serve', ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = [], stderr = [];
  const exited = new Promise((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  createInterface({ input: proc.stderr }).on('line', (l) => { stderr.push(l); if (process.env.OA_E2E_VERBOSE) console.error('[engine]', l); });
  const rl = createInterface({ input: proc.stdout });
  const stdoutClosed = new Promise((res) => rl.once('close', res));
  rl.on('line', (l) => stdout.push(l));
  let url;
  try {
    const m = await waitFor(() => {
      if (proc.exitCode !== null) throw new Error(`openapply serve exited with ${proc.exitCode}:\n${stderr.join('\n')}`);
      return stdout.map((l) => l.match(/listening on (http:\/\/\S+)/)).find(Boolean);
    }, { ms: 15000, what: 'openapply serve listening' });
    url = m[1];
  } catch (e) { proc.kill('SIGKILL'); throw e; }
  return {
    url, proc, stdout, stderr,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const r = await exited;
      await stdoutClosed;
      if (r.code !== 0) console.error(`engine exited with ${r.code ?? r.signal}:\n${stderr.slice(-40).join('\n')}`);
      return r.code;
    },
  };
}
