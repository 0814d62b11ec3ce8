#!/usr/bin/env node
// server.mjs — the sample career site: a fake employer's careers website.
//
// Purpose: give openapply's end-to-end tests and README walk-through a realistic career site
// to parse and apply to. It serves job pages with application forms (rendered from the
// templates in pages/), checks a session-bound CSRF token, validates submissions server-side,
// records every submission in memory, and exposes a JSON control API under /__admin that
// tests use to read submissions and to make jobs misbehave (offline, changed form, failing or
// hanging submissions and pages). It also mounts fakes of applicant-tracking-system vendor APIs
// (Greenhouse, Lever, ...; ats/) for the engine's connectors. See README.md for every page, API
// and admin call.
//
// Usage: node server.mjs [--host 127.0.0.1] [--port 8081]      (--port 0 picks a free port)
// Prints exactly one line to stdout when ready: "career-site listening on http://HOST:PORT",
// then one log line per request to stderr. Exits cleanly on SIGTERM / SIGINT.
//
// Plain Node.js 20, ES modules, node:http only, no npm dependencies. Request bodies are
// parsed with the built-in (undici) Response#formData().

import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPANY, JOBS, defaultSettings, jobForSubmission } from './jobs.mjs';
import { resetAts, routeAts, serveAtsAdmin } from './ats/index.mjs';
import { routeScripted, closeScripted } from './scripted/scripted.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MAX_SUBMISSION_BYTES = 25 * 1024 * 1024; // bigger bodies get 413
const MAX_ADMIN_BYTES = 64 * 1024;
const MAX_SESSIONS = 100_000; // oldest sessions are forgotten past this

// ---- command line ---------------------------------------------------------------------------

function usage(exitCode) {
  process.stderr.write('usage: node server.mjs [--host 127.0.0.1] [--port 8081]\n');
  process.exit(exitCode);
}

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: 8081 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--host') {
      opts.host = value();
      if (!opts.host) usage(2);
    } else if (flag === '--port') {
      const v = value();
      if (!/^\d+$/.test(v || '') || Number(v) > 65535) usage(2);
      opts.port = Number(v);
    } else if (flag === '--help' || flag === '-h') {
      usage(0);
    } else {
      process.stderr.write(`unknown argument: ${arg}\n`);
      usage(2);
    }
  }
  return opts;
}

// ---- templates and assets --------------------------------------------------------------------

/** Every pages/*.html file, read once at start: file name -> text. */
const templates = new Map();
for (const name of fs.readdirSync(path.join(HERE, 'pages'))) {
  if (name.endsWith('.html')) templates.set(name, fs.readFileSync(path.join(HERE, 'pages', name), 'utf8'));
}

const ASSETS = {
  '/assets/site.css': { type: 'text/css; charset=utf-8', file: 'site.css' },
  '/assets/site.js': { type: 'text/javascript; charset=utf-8', file: 'site.js' },
};
for (const a of Object.values(ASSETS)) a.body = fs.readFileSync(path.join(HERE, 'assets', a.file));

const ERRORS_MARKER = '<!--{{errors}}-->';

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Fills a template. `vars` values are inserted verbatim (callers escape them); `{{name}}`
 * without a value is left as is. `errorsHtml` replaces the errors comment marker.
 */
function render(templateName, vars, errorsHtml = '') {
  const tpl = templates.get(templateName);
  if (tpl === undefined) throw new Error(`missing template ${templateName}`);
  return tpl
    .replace(ERRORS_MARKER, errorsHtml)
    .replace(/\{\{(\w+)\}\}/g, (whole, key) => (Object.hasOwn(vars, key) ? String(vars[key]) : whole));
}

// ---- state ---------------------------------------------------------------------------------

/** Per-job admin settings and counters; rebuilt by resetState(). */
let jobState = {};
/** Every submission in arrival order. */
let submissions = [];
let nextSubmissionId = 1;

function resetState() {
  jobState = {};
  for (const slug of Object.keys(JOBS)) {
    jobState[slug] = { settings: defaultSettings(), page_hits: 0, page_open: 0, page_open_max: 0, submit_hits: 0, failures_left: 0 };
  }
  submissions = [];
  resetAts();
}
resetState();

// Sessions and CSRF: the job page issues a random `sid` cookie; the hidden _csrf field holds
// HMAC(secret, sid). A token only verifies with the cookie of the session it was made for.
// Sessions survive /__admin/reset so an open page stays submittable.
const csrfSecret = crypto.randomBytes(32);
const sessions = new Set();

function csrfToken(sid) {
  return crypto.createHmac('sha256', csrfSecret).update(sid).digest('base64url');
}

function csrfValid(sid, token) {
  if (!sid || !sessions.has(sid) || typeof token !== 'string') return false;
  const want = Buffer.from(csrfToken(sid));
  const got = Buffer.from(token);
  return want.length === got.length && crypto.timingSafeEqual(want, got);
}

function cookieValue(req, name) {
  for (const part of (req.headers.cookie || '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** Returns the request's known session id, or starts a new session (setting the cookie). */
function ensureSession(req, res) {
  const sid = cookieValue(req, 'sid');
  if (sid && sessions.has(sid)) return sid;
  const fresh = crypto.randomBytes(18).toString('base64url');
  sessions.add(fresh);
  if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.values().next().value);
  res.setHeader('Set-Cookie', `sid=${fresh}; Path=/; HttpOnly; SameSite=Lax`);
  return fresh;
}

// ---- responses -----------------------------------------------------------------------------

/** Responses deliberately left unanswered ("hang" mode); destroyed on shutdown. */
const hanging = new Set();

function hang(res) {
  hanging.add(res);
  res.on('close', () => hanging.delete(res));
}

function sendHtml(res, status, html, headers = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(html);
}

function sendJson(res, status, obj) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(obj, null, 2) + '\n');
}

const ERROR_TEXT = {
  400: ['Bad request', 'The form data could not be read.'],
  403: ['Your session has expired', 'For your security, please reload the job page and submit your application again.'],
  404: ['Page not found', "The page you're looking for doesn't exist or has moved."],
  405: ['Method not allowed', 'This page cannot be used that way.'],
  410: ['This job posting has been removed', 'The position you are looking for is no longer online.'],
  413: ['Upload too large', 'Your files are too large. Please upload files of at most 10 MB.'],
  500: ['Something went wrong', 'An unexpected error occurred on our side. Please try again later.'],
};

function sendError(res, status, extraHeaders = {}) {
  const [heading, message] = ERROR_TEXT[status] || ERROR_TEXT[500];
  sendHtml(res, status, render('error.html', {
    status, heading: escapeHtml(heading), message: escapeHtml(message),
  }), extraHeaders);
}

/** http://host:port as the client addressed us (used for the absolute form action). */
function originOf(req, fallbackHost) {
  const host = req.headers.host;
  return `http://${host && /^[A-Za-z0-9.:\[\]-]+$/.test(host) ? host : fallbackHost}`;
}

// ---- request bodies ------------------------------------------------------------------------

/** Reads the body; resolves { body, tooLarge } (the rest of an oversized body is discarded). */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
  });
}

/**
 * Parses a multipart/form-data or urlencoded body into the recorded shape:
 * fields: { name: [string...] }, files: { name: [{filename, content_type, size, sha256, data_base64}] },
 * and entries: [[name, string | {filename, content_type, data: Buffer}]] in body order (the fake
 * ATS APIs nest these the way each vendor's framework does).
 * Throws on other content types or a malformed body.
 */
async function parseForm(body, contentType) {
  const fd = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  const fields = {};
  const files = {};
  const entries = [];
  for (const [name, value] of fd) {
    if (typeof value === 'string') {
      (fields[name] ||= []).push(value);
      entries.push([name, value]);
    } else {
      const data = Buffer.from(await value.arrayBuffer());
      entries.push([name, { filename: value.name, content_type: value.type, data }]);
      (files[name] ||= []).push({
        filename: value.name,
        content_type: value.type,
        size: data.length,
        sha256: crypto.createHash('sha256').update(data).digest('hex'),
        data_base64: data.toString('base64'),
      });
    }
  }
  return { fields, files, entries };
}

/** What the fake ATS APIs (ats/) use of the server: bodies, size limits, hanging. */
const ATS_CTX = { readBody, parseForm, hang, maxBody: MAX_SUBMISSION_BYTES, maxAdmin: MAX_ADMIN_BYTES };

// ---- validation ----------------------------------------------------------------------------

const MESSAGES = {
  en: { summary: 'Please correct the following:', required: 'This field is required.',
    invalid: 'Please enter a valid value.', rejected: 'We could not process your application. Please review the form and try again.' },
  de: { summary: 'Bitte korrigieren Sie folgende Angaben:', required: 'Dies ist ein Pflichtfeld.',
    invalid: 'Bitte geben Sie einen gültigen Wert ein.', rejected: 'Ihre Bewerbung konnte nicht verarbeitet werden. Bitte prüfen Sie Ihre Angaben.' },
  fr: { summary: 'Veuillez corriger les points suivants :', required: 'Ce champ est obligatoire.',
    invalid: 'Veuillez saisir une valeur valide.', rejected: "Votre candidature n'a pas pu être traitée. Veuillez vérifier le formulaire." },
  es: { summary: 'Por favor, corrige lo siguiente:', required: 'Este campo es obligatorio.',
    invalid: 'Introduce un valor válido.', rejected: 'No hemos podido procesar tu postulación. Revisa el formulario.' },
};

/** Format checks by field type (only applied to non-empty values). */
const FORMAT = {
  email: (v) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v),
  number: (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v),
  url: (v) => { try { return /^https?:$/.test(new URL(v).protocol); } catch { return false; } },
};

/**
 * Checks a parsed submission against a job's field descriptors.
 * Returns [{ name, label, problem: 'required' | 'invalid' }] (empty when valid).
 * Conditional fields (showIf) are skipped while their condition does not hold.
 */
function validate(defs, fields, files) {
  const problems = [];
  for (const f of defs) {
    if (f.showIf && !(fields[f.showIf[0]] || []).includes(f.showIf[1])) continue;
    if (f.type === 'file') {
      const present = (files[f.name] || []).some((x) => x.size > 0);
      if (f.required && !present) problems.push({ name: f.name, label: f.label, problem: 'required' });
      continue;
    }
    const values = (fields[f.name] || []).filter((v) => v.trim() !== '');
    if (values.length === 0) {
      if (f.required) problems.push({ name: f.name, label: f.label, problem: 'required' });
      continue;
    }
    const ok = values.every((v) => (f.options ? f.options.includes(v) : (FORMAT[f.type] || (() => true))(v)));
    const single = f.type !== 'checkboxes' && values.length > 1;
    if (!ok || single) problems.push({ name: f.name, label: f.label, problem: 'invalid' });
  }
  return problems;
}

// ---- job pages -----------------------------------------------------------------------------

/**
 * Renders a job's application form page for session `sid`. `problems` (from validate) become
 * an error summary inside the form plus aria-invalid="true" on the offending controls;
 * `generic` adds a form-level error without naming fields.
 */
function renderFormPage(slug, sid, origin, problems = [], generic = false) {
  const job = JOBS[slug];
  const variant = jobState[slug].settings.form_variant;
  const msg = MESSAGES[job.lang] || MESSAGES.en;
  let errorsHtml = '';
  if (problems.length > 0 || generic) {
    const items = problems.map((p) =>
      `<li data-field="${escapeHtml(p.name)}">${escapeHtml(p.label)}: ${escapeHtml(msg[p.problem])}</li>`);
    errorsHtml = '<div class="error" role="alert" id="form-errors">' +
      (generic ? `<p>${escapeHtml(msg.rejected)}</p>` : '') +
      (items.length ? `<p><strong>${escapeHtml(msg.summary)}</strong></p><ul>${items.join('')}</ul>` : '') +
      '</div>';
  }

  // Mark the bad controls, only inside the application form (the newsletter form also has
  // an input named "email").
  let tpl = templates.get(job.templates[variant]);
  const at = tpl.indexOf(ERRORS_MARKER);
  const start = tpl.lastIndexOf('<form', at);
  const end = tpl.indexOf('</form>', at);
  let form = tpl.slice(start, end);
  for (const p of problems) {
    const re = new RegExp(`<(input|select|textarea)\\b(?=[^>]*\\bname="${escapeRegExp(escapeHtml(p.name))}")`, 'g');
    form = form.replace(re, '<$1 aria-invalid="true"');
  }
  tpl = tpl.slice(0, start) + form + tpl.slice(end);

  const vars = {
    csrf: csrfToken(sid),
    action: escapeHtml(job.action(origin)),
    slug,
    job_id: escapeHtml(job.jobId),
    form_started_at: String(Date.now()),
    title: escapeHtml(job.title),
  };
  return tpl
    .replace(ERRORS_MARKER, errorsHtml)
    .replace(/\{\{(\w+)\}\}/g, (whole, key) => (Object.hasOwn(vars, key) ? vars[key] : whole));
}

function renderClosed(slug) {
  const job = JOBS[slug];
  return render('job-closed.html', { title: escapeHtml(job.title), slug, job_id: escapeHtml(job.jobId) });
}

/** GET /jobs/SLUG */
function serveJobPage(req, res, slug, ctx) {
  const job = JOBS[slug];
  const st = jobState[slug];
  st.page_hits++;
  // Page requests being answered, and the most at once (page_open_max in the job's state).
  st.page_open++;
  st.page_open_max = Math.max(st.page_open_max, st.page_open);
  let open = true;
  const done = () => { if (open) { open = false; st.page_open--; } };
  res.once('finish', done);
  res.once('close', done);
  const s = st.settings;
  if (s.page === 'hang') return hang(res);
  if (s.page === '500') return sendError(res, 500);
  if (s.page === 'slow') {
    setTimeout(() => { if (!res.destroyed) serveJobPageNow(req, res, slug, ctx); }, s.delay_ms ?? 2000);
    return undefined;
  }
  return serveJobPageNow(req, res, slug, ctx);
}

function serveJobPageNow(req, res, slug, ctx) {
  const job = JOBS[slug];
  const s = jobState[slug].settings;
  if (s.offline === '404' || s.offline === '410') return sendError(res, Number(s.offline));
  if (s.offline === 'closed' || job.templates.v1 === 'job-closed.html') return sendHtml(res, 200, renderClosed(slug));
  if (!job.fields) {
    return sendHtml(res, 200, render(job.templates.v1, { slug, job_id: escapeHtml(job.jobId), title: escapeHtml(job.title) }));
  }
  const sid = ensureSession(req, res);
  return sendHtml(res, 200, renderFormPage(slug, sid, originOf(req, ctx.hostPort)));
}

/** POST to a job's form action: record, then answer per the job's settings and validation. */
async function serveSubmission(req, res, slug, url, ctx) {
  const job = JOBS[slug];
  const st = jobState[slug];
  st.submit_hits++;
  const contentType = req.headers['content-type'] || '';
  const record = {
    id: `sub_${nextSubmissionId++}`,
    job: slug,
    received_at: new Date().toISOString(),
    status_returned: null, // stays null while (or when) the request is left hanging
    csrf_ok: false,
    query: Object.fromEntries(url.searchParams),
    fields: {},
    files: {},
    content_type: contentType,
    form_variant: st.settings.form_variant,
    errors: [],
  };
  submissions.push(record);
  const answer = (status, fn) => { record.status_returned = status; fn(); };

  const { body, tooLarge } = await readBody(req, MAX_SUBMISSION_BYTES);
  if (tooLarge) {
    record.errors.push({ problem: 'body_too_large' });
    return answer(413, () => sendError(res, 413, { Connection: 'close' }));
  }

  let parsed = null;
  try {
    parsed = await parseForm(body, contentType);
    record.fields = parsed.fields;
    record.files = parsed.files;
  } catch {
    record.errors.push({ problem: 'unparseable_body' });
  }
  const sid = cookieValue(req, 'sid');
  record.csrf_ok = csrfValid(sid, parsed?.fields._csrf?.[0]);

  // Site-level misbehaviour configured through /__admin comes first.
  const s = st.settings;
  if (s.offline === '404' || s.offline === '410') return answer(Number(s.offline), () => sendError(res, Number(s.offline)));
  if (s.offline === 'closed') return answer(200, () => sendHtml(res, 200, renderClosed(slug)));
  if (s.submit === 'hang') return hang(res);
  // The body was read (and recorded); the connection is dropped without an answer.
  if (s.submit === 'drop') { record.errors.push({ problem: 'dropped' }); req.socket.destroy(); return undefined; }
  if (s.submit === '500') return answer(500, () => sendError(res, 500));
  if (s.submit === 'fail_first_n' && st.failures_left > 0) {
    st.failures_left--;
    return answer(500, () => sendError(res, 500));
  }

  if (!parsed) return answer(400, () => sendError(res, 400));
  if (!record.csrf_ok) return answer(403, () => sendError(res, 403));

  const origin = originOf(req, ctx.hostPort);
  const problems = validate(job.fields[st.settings.form_variant], parsed.fields, parsed.files);
  if (s.submit === 'slow') await new Promise((r) => setTimeout(r, s.delay_ms ?? 2000));
  if (problems.length > 0 || s.submit === '422') {
    record.errors.push(...problems);
    if (problems.length === 0) record.errors.push({ problem: 'forced_422' });
    return answer(422, () => sendHtml(res, 422, renderFormPage(slug, sid, origin, problems, problems.length === 0)));
  }
  return answer(303, () => {
    res.writeHead(303, { Location: `/jobs/${slug}/thanks`, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('See Other\n');
  });
}

// ---- control API (/__admin) ------------------------------------------------------------------

const SETTING_VALUES = {
  offline: [false, '404', '410', 'closed'],
  form_variant: ['v1', 'v2'],
  submit: ['ok', '500', '422', 'hang', 'fail_first_n', 'drop', 'slow'],
  page: ['ok', '500', 'hang', 'slow'],
};

/** Validates a POST /__admin/jobs/SLUG body; returns the new settings or throws a message. */
function applySettings(slug, patch) {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new Error('body must be a JSON object');
  const next = { ...jobState[slug].settings };
  for (const [key, raw] of Object.entries(patch)) {
    let value = raw;
    if (key === 'n') {
      if (!Number.isInteger(value) || value < 0) throw new Error('"n" must be a non-negative integer');
      next.n = value;
      continue;
    }
    if (key === 'delay_ms') {
      if (!Number.isInteger(value) || value < 0 || value > 600000) throw new Error('"delay_ms" must be an integer from 0 to 600000');
      next.delay_ms = value;
      continue;
    }
    if (!Object.hasOwn(SETTING_VALUES, key)) throw new Error(`unknown setting "${key}"`);
    if (typeof value === 'number') value = String(value); // allow {"offline": 404}
    if (!SETTING_VALUES[key].includes(value)) {
      throw new Error(`"${key}" must be one of ${SETTING_VALUES[key].map((v) => JSON.stringify(v)).join(', ')}`);
    }
    if (key === 'form_variant' && !JOBS[slug].templates[value]) throw new Error(`job "${slug}" has no form variant "${value}"`);
    next[key] = value;
  }
  if (patch.submit === 'fail_first_n' && patch.n === undefined) next.n = 1;
  return next;
}

function publicJobState(slug) {
  const st = jobState[slug];
  return {
    ...st.settings,
    page_hits: st.page_hits,
    page_open_max: st.page_open_max,
    submit_hits: st.submit_hits,
    failures_left: st.failures_left,
    has_form: Boolean(JOBS[slug].fields),
    form_variants: Object.keys(JOBS[slug].templates),
    url: `/jobs/${slug}`,
  };
}

async function serveAdmin(req, res, url) {
  const p = url.pathname.replace(/\/+$/, '');
  const method = req.method;
  if (p === '/__admin/ats' || p.startsWith('/__admin/ats/')) return serveAtsAdmin(req, res, url, ATS_CTX);
  const jobMatch = /^\/__admin\/jobs\/([^/]+)$/.exec(p);

  if (p === '/__admin/state') {
    if (method !== 'GET') return sendJson(res, 405, { error: 'use GET' });
    const jobs = {};
    const pageHits = {};
    for (const slug of Object.keys(JOBS)) {
      jobs[slug] = publicJobState(slug);
      pageHits[slug] = jobState[slug].page_hits;
    }
    return sendJson(res, 200, { company: COMPANY, jobs, page_hits: pageHits, submissions: submissions.length, sessions: sessions.size });
  }
  if (p === '/__admin/submissions') {
    if (method === 'GET') {
      const job = url.searchParams.get('job');
      return sendJson(res, 200, { submissions: job ? submissions.filter((s) => s.job === job) : submissions });
    }
    if (method === 'DELETE') {
      const deleted = submissions.length;
      submissions = [];
      return sendJson(res, 200, { deleted });
    }
    return sendJson(res, 405, { error: 'use GET or DELETE' });
  }
  if (p === '/__admin/reset') {
    if (method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
    await readBody(req, MAX_ADMIN_BYTES);
    resetState();
    return sendJson(res, 200, { ok: true });
  }
  if (jobMatch) {
    const slug = decodeURIComponent(jobMatch[1]);
    if (!Object.hasOwn(JOBS, slug)) return sendJson(res, 404, { error: `unknown job "${slug}"` });
    if (method === 'GET') return sendJson(res, 200, { job: slug, settings: publicJobState(slug) });
    if (method !== 'POST') return sendJson(res, 405, { error: 'use GET or POST' });
    const { body, tooLarge } = await readBody(req, MAX_ADMIN_BYTES);
    if (tooLarge) return sendJson(res, 413, { error: 'body too large' });
    let next;
    try {
      next = applySettings(slug, JSON.parse(body.toString('utf8') || '{}'));
    } catch (err) {
      return sendJson(res, 400, { error: err instanceof SyntaxError ? 'body is not valid JSON' : err.message });
    }
    const st = jobState[slug];
    st.settings = next;
    st.failures_left = next.submit === 'fail_first_n' ? next.n : 0;
    return sendJson(res, 200, { job: slug, settings: publicJobState(slug) });
  }
  return sendJson(res, 404, { error: 'unknown admin endpoint' });
}

// ---- routing -------------------------------------------------------------------------------

function serveSearch(res, url) {
  const q = (url.searchParams.get('q') || '').trim();
  const needle = q.toLowerCase();
  const hits = Object.entries(JOBS).filter(([slug, job]) =>
    slug !== 'closed-role' && (job.title.toLowerCase().includes(needle) || slug.includes(needle)));
  const results = hits.length
    ? hits.map(([slug, job]) => `<li class="job-card"><a href="/jobs/${slug}">${escapeHtml(job.title)}</a>` +
        `<span class="job-card-meta">${escapeHtml(job.location)}</span></li>`).join('\n      ')
    : '<li class="no-results">No jobs match your search.</li>';
  sendHtml(res, 200, render('search.html', { q: escapeHtml(q), results }));
}

async function route(req, res, ctx) {
  const url = new URL(req.url, 'http://career-site.invalid');
  const p = url.pathname;
  const method = req.method;
  const isGet = method === 'GET' || method === 'HEAD';

  if (p === '/__admin' || p.startsWith('/__admin/')) return serveAdmin(req, res, url);
  if (await routeAts(req, res, url, { ...ATS_CTX, origin: originOf(req, ctx.hostPort) })) return undefined;
  if (routeScripted(req, res, url)) return undefined;

  const jobPage = /^\/jobs\/([a-z0-9-]+)\/?$/.exec(p);
  const thanks = /^\/jobs\/([a-z0-9-]+)\/thanks$/.exec(p);

  if (method === 'POST') {
    const slug = jobForSubmission(p, url.searchParams);
    if (slug) return serveSubmission(req, res, slug, url, ctx);
    if (p === '/newsletter') {
      await readBody(req, MAX_ADMIN_BYTES);
      return sendHtml(res, 200, render('newsletter.html', {}));
    }
  }
  const known = p === '/' || p === '/search' || p === '/newsletter' || Object.hasOwn(ASSETS, p) ||
    (jobPage && Object.hasOwn(JOBS, jobPage[1])) || (thanks && Object.hasOwn(JOBS, thanks[1]));
  if (!known) return sendError(res, 404);
  if (!isGet) return sendError(res, 405, { Allow: p === '/newsletter' ? 'GET, HEAD, POST' : 'GET, HEAD' });

  if (p === '/') return sendHtml(res, 200, render('index.html', {}));
  if (p === '/search') return serveSearch(res, url);
  if (p === '/newsletter') return sendHtml(res, 200, render('newsletter.html', {}));
  if (Object.hasOwn(ASSETS, p)) {
    res.writeHead(200, { 'Content-Type': ASSETS[p].type, 'Cache-Control': 'public, max-age=300' });
    return res.end(ASSETS[p].body);
  }
  if (thanks) {
    const job = JOBS[thanks[1]];
    return sendHtml(res, 200, render('thanks.html', { title: escapeHtml(job.title), slug: thanks[1] }));
  }
  return serveJobPage(req, res, jobPage[1], ctx);
}

// ---- server lifecycle ----------------------------------------------------------------------

function logRequest(req, res, started) {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const outcome = res.writableFinished ? String(res.statusCode) : 'no-response(client-closed)';
  process.stderr.write(`${new Date().toISOString()} ${req.socket.remoteAddress || '-'} ` +
    `"${req.method} ${req.url}" ${outcome} ${ms.toFixed(1)}ms\n`);
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const ctx = { hostPort: '' };

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    res.on('close', () => logRequest(req, res, started));
    route(req, res, ctx).catch((err) => {
      process.stderr.write(`error handling ${req.method} ${req.url}: ${err.stack || err}\n`);
      if (!res.headersSent) sendError(res, 500);
      else res.destroy();
    });
  });

  server.on('error', (err) => {
    process.stderr.write(`career-site: ${err.message}\n`);
    process.exit(1);
  });

  server.listen(opts.port, opts.host, () => {
    const { port } = server.address();
    const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    ctx.hostPort = `${host}:${port}`;
    process.stdout.write(`career-site listening on http://${host}:${port}\n`);
  });

  // Shutdown: stop accepting, drop every connection (including hanging ones), then exit.
  let stopping = false;
  const shutdown = (signal) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`career-site: ${signal}, shutting down\n`);
    closeScripted();
    server.close(() => process.exit(0));
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main();
