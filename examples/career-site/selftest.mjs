#!/usr/bin/env node
// selftest.mjs — smoke test of the sample career site.
//
// Purpose: start server.mjs on a free port, fetch every page, submit good and bad
// applications (with cookie, CSRF token and a file), exercise the /__admin control API
// (offline modes, form variant v2, failing / hanging pages and submissions), check that
// jobs.mjs and the page templates agree, check the fake ATS vendor APIs (ats/selftest.mjs), and
// finally check that SIGTERM ends the server cleanly even while a request is hanging. Exits 0
// when every check passes, 1 otherwise.
//
// Usage: node examples/career-site/selftest.mjs [--verbose]

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JOBS } from './jobs.mjs';
import { checkAts } from './ats/selftest.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const verbose = process.argv.includes('--verbose');
let failures = 0;
let passes = 0;

function check(cond, what) {
  if (cond) {
    passes++;
    if (verbose) console.log(`ok   ${what}`);
  } else {
    failures++;
    console.log(`FAIL ${what}`);
  }
}

// ---- server process ------------------------------------------------------------------------

function startServer() {
  const child = spawn(process.execPath, [path.join(HERE, 'server.mjs'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 5000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^career-site listening on (http:\/\/\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1], firstLine: out, stderr: () => stderr });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited early (${code}):\n${stderr}`)));
  });
}

// ---- a tiny browser: cookie jar + form scraping -------------------------------------------

class Browser {
  constructor() { this.cookies = new Map(); }

  async fetch(url, init = {}) {
    const headers = new Headers(init.headers || {});
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  }

  /** GETs a job page and returns { res, html, action (absolute URL), hidden: {name: value} }. */
  async openForm(pageUrl) {
    const res = await this.fetch(pageUrl);
    const html = await res.text();
    const form = /<form\b[^>]*class="application-form"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    if (!form) return { res, html, action: null, hidden: {} };
    const action = /\baction="([^"]*)"/.exec(form[0])[1].replace(/&amp;/g, '&');
    const hidden = {};
    for (const m of form[1].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) hidden[m[1]] = m[2];
    return { res, html, action: new URL(action, pageUrl).href, hidden };
  }
}

/** Builds multipart FormData from { name: value | [values] | {file: Buffer, filename, type} }. */
function formData(values) {
  const fd = new FormData();
  for (const [name, v] of Object.entries(values)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) fd.append(name, x);
    else if (v && typeof v === 'object' && v.file) fd.append(name, new Blob([v.file], { type: v.type }), v.filename);
    else fd.append(name, String(v));
  }
  return fd;
}

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

// Valid answers for every form job (files are added per test).
const GOOD = {
  'backend-engineer': {
    first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.org', phone: '+49 30 1234567',
    linkedin_url: 'https://www.linkedin.com/in/ada', years_experience: '12', team: 'platform',
    'skills[]': ['c', 'python'], work_arrangement: 'remote', timezone: 'Europe/London',
    start_date: '2024-09-01', motivation: 'I like fast, boring, correct systems.',
    eeo_gender: 'female', eeo_veteran: 'decline', privacy_policy: 'yes',
  },
  vertriebsmitarbeiter: {
    anrede: 'frau', vorname: 'Erika', nachname: 'Mustermann', field_123: 'erika@example.de',
    field_124: '+49 89 123456', field_125: '80331', field_126: 'München', gehaltsvorstellung: '65000',
    quelle: 'linkedin', datenschutz: '1',
  },
  'developpeur-web': {
    prenom: 'Jean', nom: 'Dupont', courriel: 'jean@example.fr', lettre_motivation: 'Bonjour…',
    disponibilite: '2024-10-01', cgu: 'oui',
  },
  'disenador-ux': {
    nombre: 'Lucía', apellidos: 'García López', correo: 'lucia@example.es', pais: 'MX', privacidad: 'si',
  },
};
const FILE_FIELD = { 'backend-engineer': 'resume', vertriebsmitarbeiter: 'lebenslauf', 'developpeur-web': 'cv', 'disenador-ux': 'curriculum' };

// ---- the checks ----------------------------------------------------------------------------

function checkTemplates() {
  for (const [slug, job] of Object.entries(JOBS)) {
    for (const [variant, file] of Object.entries(job.templates)) {
      const html = fs.readFileSync(path.join(HERE, 'pages', file), 'utf8');
      check(/<html lang="[a-z]{2}">/.test(html), `${file}: has <html lang>`);
      check(/<form[^>]*action="\/search"[^>]*method="get"/.test(html), `${file}: has the site search form`);
      if (!job.fields) continue;
      check(html.includes('<!--{{errors}}-->') && html.includes('value="{{csrf}}"') && html.includes('action="{{action}}"'),
        `${file}: has the errors marker, csrf and action placeholders`);
      check(/action="\/newsletter"/.test(html), `${file}: has the newsletter form`);
      for (const f of job.fields[variant]) {
        check(html.includes(`name="${f.name}"`), `${slug} ${variant}: template has field ${f.name}`);
      }
    }
  }
}

async function checkPages(base) {
  const b = new Browser();
  const home = await b.fetch(`${base}/`);
  const homeHtml = await home.text();
  check(home.status === 200, 'GET / is 200');
  for (const slug of Object.keys(JOBS)) check(homeHtml.includes(`href="/jobs/${slug}"`), `home links /jobs/${slug}`);

  for (const slug of Object.keys(GOOD)) {
    const page = await new Browser().openForm(`${base}/jobs/${slug}`);
    check(page.res.status === 200, `GET /jobs/${slug} is 200`);
    check(page.res.headers.getSetCookie().some((c) => c.startsWith('sid=')), `${slug}: sets a sid cookie`);
    check(page.hidden._csrf && page.hidden.job_id && /^\d+$/.test(page.hidden.form_started_at || ''), `${slug}: hidden _csrf, job_id, form_started_at`);
    check(!page.html.includes('{{'), `${slug}: no unfilled placeholder`);
  }
  const es = await new Browser().openForm(`${base}/jobs/disenador-ux`);
  check(es.action === `${base}/postular?vacante=disenador-ux`, `disenador-ux: absolute action (${es.action})`);
  const de = await new Browser().openForm(`${base}/jobs/vertriebsmitarbeiter`);
  check(de.action === `${base}/jobs/vertriebsmitarbeiter?schritt=absenden`, `vertriebsmitarbeiter: query-only action (${de.action})`);

  const office = await (await b.fetch(`${base}/jobs/office-manager`)).text();
  check(office.includes('jobs@example.com') && !office.includes('application-form') && !office.includes('multipart'),
    'office-manager: mail-your-CV page without application form');
  const closed = await b.fetch(`${base}/jobs/closed-role`);
  const closedHtml = await closed.text();
  check(closed.status === 200 && closedHtml.includes('This job is no longer available') && !closedHtml.includes('multipart'),
    'closed-role: 200 with the closed marker and no form');
  const thanks = await b.fetch(`${base}/jobs/backend-engineer/thanks`);
  check(thanks.status === 200 && (await thanks.text()).includes('Thank you for your application'), 'thanks page');
  const search = await b.fetch(`${base}/search?q=engineer`);
  check(search.status === 200 && (await search.text()).includes('/jobs/backend-engineer'), 'search finds the backend job');
  const nl = await b.fetch(`${base}/newsletter`, { method: 'POST', body: new URLSearchParams({ email: 'x@y.z', consent: 'yes' }) });
  check(nl.status === 200, 'POST /newsletter is 200');
  check((await b.fetch(`${base}/no/such/page`)).status === 404, 'unknown page is 404');
  check((await b.fetch(`${base}/assets/site.js`)).status === 200, 'site.js is served');
}

async function admin(base, method, p, body) {
  const res = await fetch(`${base}/__admin${p}`, {
    method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
}

/** Opens a job page in a fresh browser and submits `values` (+ a file). */
async function apply(base, slug, values, opts = {}) {
  const b = new Browser();
  const page = await b.openForm(`${base}/jobs/${slug}`);
  const file = opts.file === undefined ? crypto.randomBytes(2048) : opts.file;
  const hidden = { ...page.hidden, ...(opts.hidden || {}) };
  const all = { ...hidden, ...values };
  if (file) all[FILE_FIELD[slug]] = { file, filename: 'cv.pdf', type: 'application/pdf' };
  if (opts.dropCookie) b.cookies.clear();
  const res = await b.fetch(page.action, { method: 'POST', body: formData(all), signal: opts.signal });
  return { res, html: await res.text(), file, page };
}

async function checkSubmissions(base) {
  // good submission with cookie, token and a file
  const good = await apply(base, 'backend-engineer', GOOD['backend-engineer']);
  check(good.res.status === 303 && good.res.headers.get('location') === '/jobs/backend-engineer/thanks', `good submission -> 303 thanks (${good.res.status})`);
  let subs = (await admin(base, 'GET', '/submissions?job=backend-engineer')).json.submissions;
  const rec = subs[subs.length - 1];
  check(rec && rec.status_returned === 303 && rec.csrf_ok === true, 'recorded with status 303 and csrf_ok');
  check(rec && rec.files.resume?.[0]?.sha256 === sha256(good.file) && rec.files.resume[0].size === 2048, 'recorded file sha256 and size');
  check(rec && Buffer.from(rec.files.resume[0].data_base64, 'base64').equals(good.file), 'recorded file bytes');
  check(rec && JSON.stringify(rec.fields['skills[]']) === '["c","python"]', 'checkbox group values recorded in order');
  check(rec && rec.content_type.startsWith('multipart/form-data; boundary='), 'content_type recorded');

  // missing required fields -> 422 with error markers, newsletter untouched
  const { phone, ...noPhone } = GOOD['backend-engineer'];
  const bad = await apply(base, 'backend-engineer', noPhone, { file: null });
  check(bad.res.status === 422, `missing phone + resume -> 422 (${bad.res.status})`);
  check(bad.html.includes('<div class="error" role="alert"'), '422 page has the error alert');
  check(/<input aria-invalid="true" type="file" id="resume"/.test(bad.html) && /<input aria-invalid="true" type="tel"/.test(bad.html), '422 page marks resume and phone aria-invalid');
  check(!/aria-invalid="true" type="email" id="newsletter-email"/.test(bad.html), 'newsletter field not marked');
  check(bad.html.includes('name="_csrf" value="'), '422 page carries a fresh token');
  subs = (await admin(base, 'GET', '/submissions?job=backend-engineer')).json.submissions;
  check(subs.at(-1).status_returned === 422 && subs.at(-1).errors.length === 2, 'rejected submission is recorded with its errors');

  // conditional question: required only when work_arrangement=remote
  const { timezone, ...noTz } = GOOD['backend-engineer'];
  check((await apply(base, 'backend-engineer', noTz)).res.status === 422, 'remote without timezone -> 422');
  check((await apply(base, 'backend-engineer', { ...noTz, work_arrangement: 'onsite' })).res.status === 303, 'on-site without timezone -> 303');
  check((await apply(base, 'backend-engineer', { ...GOOD['backend-engineer'], team: 'marketing' })).res.status === 422, 'unknown select option -> 422');

  // CSRF
  const forged = await apply(base, 'backend-engineer', GOOD['backend-engineer'], { hidden: { _csrf: 'forged' } });
  check(forged.res.status === 403, `wrong _csrf -> 403 (${forged.res.status})`);
  const noCookie = await apply(base, 'backend-engineer', GOOD['backend-engineer'], { dropCookie: true });
  check(noCookie.res.status === 403, 'no cookie -> 403');
  subs = (await admin(base, 'GET', '/submissions?job=backend-engineer')).json.submissions;
  check(subs.at(-1).csrf_ok === false && subs.at(-1).status_returned === 403, '403 recorded with csrf_ok=false');

  // the other languages (and their action styles)
  for (const slug of ['vertriebsmitarbeiter', 'developpeur-web', 'disenador-ux']) {
    const r = await apply(base, slug, GOOD[slug]);
    check(r.res.status === 303 && r.res.headers.get('location') === `/jobs/${slug}/thanks`, `${slug}: good submission -> 303 (${r.res.status})`);
    const { [Object.keys(GOOD[slug])[0]]: _, ...missing } = GOOD[slug];
    check((await apply(base, slug, missing)).res.status === 422, `${slug}: missing first field -> 422`);
  }
  const es = (await admin(base, 'GET', '/submissions?job=disenador-ux')).json.submissions[0];
  check(es && es.query.vacante === 'disenador-ux' && es.fields.nombre[0] === 'Lucía', 'es submission: query and UTF-8 value recorded');
}

async function checkAdmin(base) {
  const b = new Browser();
  const state0 = (await admin(base, 'GET', '/state')).json;
  check(state0.page_hits['backend-engineer'] > 0 && state0.jobs['backend-engineer'].page_hits === state0.page_hits['backend-engineer'], 'state has page_hits');

  const set = (slug, body) => admin(base, 'POST', `/jobs/${slug}`, body);
  check((await set('backend-engineer', { offline: '404' })).status === 200, 'set offline 404');
  check((await b.fetch(`${base}/jobs/backend-engineer`)).status === 404, 'offline 404 -> 404');
  await set('backend-engineer', { offline: '410' });
  check((await b.fetch(`${base}/jobs/backend-engineer`)).status === 410, 'offline 410 -> 410');
  await set('backend-engineer', { offline: 'closed' });
  const closed = await b.fetch(`${base}/jobs/backend-engineer`);
  const closedHtml = await closed.text();
  check(closed.status === 200 && closedHtml.includes('This job is no longer available') && !closedHtml.includes('multipart'), 'offline closed -> closed page');
  await set('backend-engineer', { offline: false });
  check((await b.fetch(`${base}/jobs/backend-engineer`)).status === 200, 'offline false -> 200 again');

  await set('backend-engineer', { page: '500' });
  check((await b.fetch(`${base}/jobs/backend-engineer`)).status === 500, 'page 500 -> 500');
  await set('backend-engineer', { page: 'hang' });
  let hung = false;
  try { await b.fetch(`${base}/jobs/backend-engineer`, { signal: AbortSignal.timeout(300) }); } catch { hung = true; }
  check(hung, 'page hang -> no answer');
  await set('backend-engineer', { page: 'ok' });

  await set('backend-engineer', { submit: '500' });
  check((await apply(base, 'backend-engineer', GOOD['backend-engineer'])).res.status === 500, 'submit 500 -> 500');
  await set('backend-engineer', { submit: '422' });
  const forced = await apply(base, 'backend-engineer', GOOD['backend-engineer']);
  check(forced.res.status === 422 && forced.html.includes('role="alert"'), 'submit 422 -> 422 with alert');
  await set('backend-engineer', { submit: 'fail_first_n', n: 2 });
  const codes = [];
  for (let i = 0; i < 3; i++) codes.push((await apply(base, 'backend-engineer', GOOD['backend-engineer'])).res.status);
  check(codes.join() === '500,500,303', `fail_first_n n=2 -> ${codes.join()}`);
  await set('backend-engineer', { submit: 'hang' });
  hung = false;
  try { await apply(base, 'backend-engineer', GOOD['backend-engineer'], { signal: AbortSignal.timeout(300) }); } catch { hung = true; }
  check(hung, 'submit hang -> no answer');
  const subs = (await admin(base, 'GET', '/submissions?job=backend-engineer')).json.submissions;
  check(subs.at(-1).status_returned === null, 'hung submission recorded with status_returned null');
  await set('backend-engineer', { submit: 'ok' });

  // form variant v2: new required visa question, portfolio_url removed
  await set('backend-engineer', { form_variant: 'v2' });
  const v2 = await new Browser().openForm(`${base}/jobs/backend-engineer`);
  check(v2.html.includes('name="visa_sponsorship"') && !v2.html.includes('name="portfolio_url"'), 'v2 page: visa question added, portfolio removed');
  check((await apply(base, 'backend-engineer', GOOD['backend-engineer'])).res.status === 422, 'v2: v1 answers -> 422');
  check((await apply(base, 'backend-engineer', { ...GOOD['backend-engineer'], visa_sponsorship: 'no' })).res.status === 303, 'v2: with visa answer -> 303');

  // bad admin input
  check((await set('backend-engineer', { submit: 'sometimes' })).status === 400, 'invalid setting value -> 400');
  check((await set('backend-engineer', { colour: 'red' })).status === 400, 'unknown setting -> 400');
  check((await set('office-manager', { form_variant: 'v2' })).status === 400, 'missing variant -> 400');
  check((await set('no-such-job', { page: 'ok' })).status === 404, 'unknown job -> 404');

  // reset and delete
  check((await admin(base, 'POST', '/reset')).status === 200, 'reset');
  const st = (await admin(base, 'GET', '/state')).json;
  check(st.submissions === 0 && st.jobs['backend-engineer'].form_variant === 'v1' && st.jobs['backend-engineer'].page_hits === 0, 'reset restored defaults');
  await apply(base, 'disenador-ux', GOOD['disenador-ux']);
  check((await admin(base, 'DELETE', '/submissions')).json.deleted === 1, 'DELETE /submissions clears');
  check((await admin(base, 'GET', '/submissions')).json.submissions.length === 0, 'no submissions after DELETE');
}

async function checkShutdown(server) {
  await admin(server.base, 'POST', '/jobs/backend-engineer', { page: 'hang' });
  fetch(`${server.base}/jobs/backend-engineer`).catch(() => {}); // left hanging on purpose
  await new Promise((r) => setTimeout(r, 100));
  const exited = new Promise((resolve) => server.child.on('exit', (code, signal) => resolve({ code, signal })));
  server.child.kill('SIGTERM');
  const result = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 3000).unref())]);
  check(result && result.code === 0, `SIGTERM with a hanging request -> exit 0 (${JSON.stringify(result)})`);
  if (!result) server.child.kill('SIGKILL');
}

async function main() {
  checkTemplates();
  let server;
  try {
    server = await startServer();
    check(/^career-site listening on http:\/\/127\.0\.0\.1:\d+\n$/.test(server.firstLine), 'exactly one ready line on stdout');
    await checkPages(server.base);
    await checkSubmissions(server.base);
    await checkAdmin(server.base);
    await checkAts(server.base, check);
    await checkShutdown(server);
    check(/"GET \/jobs\/backend-engineer" 200/.test(server.stderr()), 'requests are logged to stderr');
  } catch (err) {
    failures++;
    console.log(`FAIL ${err.stack || err}`);
    if (server) server.child.kill('SIGKILL');
  }
  console.log(`${failures === 0 ? 'PASS' : 'FAIL'}: ${passes} checks passed, ${failures} failed`);
  process.exit(failures === 0 ? 0 : 1);
}

main();
