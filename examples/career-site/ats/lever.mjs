// lever.mjs — fake Lever: the hosted job site (https://jobs.lever.co) and the Postings API
// (https://api.lever.co), both under /lever. The API follows lever/postings-api README.md:
//   GET  /v0/postings/{site}[?mode=json|html&skip&limit&team&location&commitment&department&level&group]
//   GET  /v0/postings/{site}/{id}               one posting (JSON)
//   POST /v0/postings/{site}/{id}?key=KEY       apply: JSON, multipart or urlencoded (resume only
//                                               in multipart) -> {ok:true, applicationId} / {ok:false, error}
// and the hosted pages, which Lever does not document (their shape follows live pages):
//   GET  /{site}, /{site}/{id}, /{site}/{id}/apply   HTML; the apply form carries the custom
//        question cards as hidden cards[{uuid}][baseTemplate] inputs (the card JSON) and answer
//        inputs cards[{uuid}][field{N}], plus urls[Name] and eeo[...] fields.
//   POST /{site}/{id}/apply                      the form itself (no key) -> 303 .../thanks
// The README says custom questions cannot be read through the API; whether the POST takes card
// answers is not documented: the fake records them and checks them only as warnings.
// Guessed: the error strings, 401 for a bad key, and 404 {ok:false, error} for a posting that is
// not published (the README: such postings are "completely hidden").

import { ATS_BASES } from './bases.mjs';
import { EEO, POSTINGS } from './lever-jobs.mjs';
import { FileInfo, blank, nonEmptyString, serve, uuid } from './common.mjs';

const SITE = ATS_BASES.lever.account;
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const plain = (html) => html.replace(/<li>/g, '\n').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').trim();
const fail = (status, error) => ({ status, json: { ok: false, error } });
const MISSING = (name) => fail(400, `Missing required field: ${name}`);

function posting(p, origin) {
  const description = p.opening + p.descriptionBody;
  const out = {
    id: p.id, text: p.text, categories: p.categories, country: p.country, workplaceType: p.workplaceType, createdAt: p.createdAt,
    opening: p.opening, openingPlain: plain(p.opening), description, descriptionPlain: plain(description),
    descriptionBody: p.descriptionBody, descriptionBodyPlain: plain(p.descriptionBody), lists: p.lists,
    additional: p.additional, additionalPlain: plain(p.additional),
    hostedUrl: `${origin}/lever/${SITE}/${p.id}`, applyUrl: `${origin}/lever/${SITE}/${p.id}/apply`,
  };
  if (p.salaryRange) Object.assign(out, { salaryRange: p.salaryRange, salaryDescription: p.salaryDescription, salaryDescriptionPlain: plain(p.salaryDescription) });
  return out;
}

// ---- hosted pages ------------------------------------------------------------------------------

const page = (lang, title, body) => `<!DOCTYPE html>\n<html lang="${lang}">\n<head>\n<meta charset="utf-8">\n` +
  `<title>${esc(title)}</title>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
const REQ = '<span class="required">&#10033;</span>';

function question(label, required, control, extra = '') {
  return `<li class="application-question${extra}"><label><div class="application-label">${esc(label)}${required ? REQ : ''}</div>` +
    `<div class="application-field">${control}</div></label></li>`;
}

function cardHtml(c) {
  const items = c.fields.map((fd, i) => {
    const name = esc(`cards[${c.id}][field${i}]`);
    const req = fd.required ? ' required' : '';
    let control;
    if (fd.type === 'textarea') control = `<textarea name="${name}" class="card-field-input"${req}></textarea>`;
    else if (fd.type === 'dropdown') {
      control = `<select name="${name}"${req}><option value="">Select ...</option>` +
        fd.options.map((o) => `<option value="${esc(o.text)}">${esc(o.text)}</option>`).join('') + '</select>';
    } else if (fd.type === 'multiple-choice' || fd.type === 'multiple-select') {
      const type = fd.type === 'multiple-choice' ? 'radio' : 'checkbox';
      control = `<ul data-qa="${fd.type}">` + fd.options.map((o) => `<li><label><input type="${type}" name="${name}" value="${esc(o.text)}"${type === 'radio' ? req : ''}>` +
        `<span class="application-answer-alternative">${esc(o.text)}</span></label></li>`).join('') + '</ul>';
    } else control = `<input type="text" name="${name}" class="card-field-input" placeholder="Type your response"${req}>`;
    return question(fd.text, fd.required, control, ' custom-question');
  });
  return `<div class="section page-centered application-form" data-qa="additional-cards">\n<h4 data-qa="card-name">${esc(c.text)}</h4>\n` +
    `<input type="hidden" name="${esc(`cards[${c.id}][baseTemplate]`)}" value="${esc(JSON.stringify({ id: c.id, text: c.text, fields: c.fields }))}">\n` +
    `<ul>${items.join('\n')}</ul>\n</div>`;
}

function eeoHtml() {
  const select = (key, label) => question(label, false, `<select name="eeo[${key}]"><option value="">Select ...</option>` +
    EEO[key].map((o) => `<option value="${esc(o)}">${esc(o)}</option>`).join('') + '</select>');
  return '<div class="section page-centered application-form eeo-section">\n<h4>U.S. Equal Employment Opportunity information ' +
    '(Completion is voluntary and will not subject you to adverse treatment)</h4>\n<ul>' +
    select('gender', 'Gender') + select('race', 'Race') + select('veteran', 'Veteran status') + select('disability', 'Disability status') +
    question('Name (disability form signature)', false, '<input type="text" name="eeo[disabilitySignature]">') +
    question('Date', false, '<input type="text" name="eeo[disabilitySignatureDate]">') + '</ul>\n</div>';
}

function applyPage(p) {
  const std = (name, label, type) => question(label, p.required.includes(name) || name === 'name' || name === 'email',
    `<input type="${type}" name="${name}"${p.required.includes(name) || name === 'name' || name === 'email' ? ' required' : ''}>`);
  const hidden = ['accountId', 'origin', 'referer', 'timezone', 'socialReferralKey', 'linkedInData', 'resumeStorageId', 'selectedLocation']
    .map((n) => `<input type="hidden" name="${n}" value="${n === 'accountId' ? '2b7c4e1a-0f3d-4c5e-9a8b-7c6d5e4f3a21' : ''}">`).join('\n');
  return page(p.lang, `Brightwave Labs - ${p.text}`, `<div class="posting-headline"><h2>${esc(p.text)}</h2>` +
    `<div class="posting-categories">${esc(p.categories.location)} / ${esc(p.categories.team)} / ${esc(p.categories.commitment)}</div></div>\n` +
    `<form id="application-form" class="application-form" method="POST" enctype="multipart/form-data" action="/lever/${SITE}/${p.id}/apply">\n${hidden}\n` +
    '<div class="section page-centered application-form">\n<h4>Submit your application</h4>\n<ul>' +
    question('Resume/CV', p.required.includes('resume'), `<input type="file" name="resume" id="resume-upload-input"${p.required.includes('resume') ? ' required' : ''}>`, ' resume') +
    std('name', 'Full name', 'text') + std('email', 'Email', 'email') + std('phone', 'Phone', 'tel') +
    std('location', 'Current location', 'text') + std('org', 'Current company', 'text') + '</ul>\n</div>\n' +
    '<div class="section page-centered application-form">\n<h4>Links</h4>\n<ul>' +
    p.urls.map((u) => question(`${u === 'Other' ? 'Other website' : `${u} URL`}`, false, `<input type="text" name="urls[${esc(u)}]">`)).join('') + '</ul>\n</div>\n' +
    p.cards.map(cardHtml).join('\n') + '\n' +
    '<div class="section page-centered application-form">\n<h4>Additional information</h4>\n' +
    '<textarea name="comments" placeholder="Add a cover letter or anything else you want to share."></textarea>\n</div>\n' +
    (p.eeo ? `${eeoHtml()}\n` : '') +
    '<div class="section page-centered application-form"><label><input type="checkbox" name="consent[marketing]" value="true"> ' +
    'Keep me informed about future opportunities</label></div>\n' +
    '<button type="submit" id="btn-submit" class="postings-btn template-btn-submit">Submit application</button>\n</form>');
}

function listPage(open) {
  return page('en', 'Brightwave Labs', '<h1>Brightwave Labs</h1>\n<div class="postings-group">' + open.map((p) =>
    `<div class="posting" data-qa-posting-id="${p.id}"><a class="posting-title" href="/lever/${SITE}/${p.id}"><h5>${esc(p.text)}</h5></a>` +
    `<span class="sort-by-location">${esc(p.categories.location)}</span></div>`).join('\n') + '</div>');
}

const notFoundPage = () => ({ status: 404, html: page('en', 'Not found', '<h2>Sorry, we couldn\'t find anything here</h2>') });

// ---- the application ---------------------------------------------------------------------------

const boolish = (v) => v === undefined || [true, false, 'true', 'false'].includes(v);

/** Checks card and EEO answers; returns the problems (warnings for the API, errors for the form). */
function cardProblems(p, params) {
  const problems = [];
  const cards = params.cards && typeof params.cards === 'object' ? params.cards : {};
  for (const c of p.cards) {
    c.fields.forEach((fd, i) => {
      const given = cards[c.id]?.[`field${i}`];
      const values = [].concat(given ?? []).filter((x) => !blank(x));
      const where = `cards[${c.id}][field${i}]`;
      if (values.length === 0) { if (fd.required) problems.push({ field: where, label: fd.text, problem: 'required_card_field_unanswered' }); return; }
      if (fd.options && !values.every((x) => fd.options.some((o) => o.text === x))) problems.push({ field: where, problem: 'not_an_option' });
      if (fd.type !== 'multiple-select' && values.length > 1) problems.push({ field: where, problem: 'several_values' });
    });
  }
  for (const [key, value] of Object.entries(params.eeo && typeof params.eeo === 'object' ? params.eeo : {})) {
    if (EEO[key] && !blank(value) && !EEO[key].includes(value)) problems.push({ field: `eeo[${key}]`, problem: 'not_an_option' });
  }
  return problems;
}

/** Validates an application; hosted (the apply page's own form) also enforces its cards. */
function apply(p, parsed, record, hosted = false) {
  if (parsed.format === 'unparseable' || !parsed.params || typeof parsed.params !== 'object' || Array.isArray(parsed.params)) {
    record.errors.push({ problem: 'unparseable_body' });
    return fail(400, 'Could not parse the request body');
  }
  const a = parsed.params;
  for (const name of ['name', 'email']) if (blank(a[name]) || typeof a[name] !== 'string') return MISSING(name);
  if (!a.email.includes('@')) return fail(400, 'Invalid email address: an email must contain "@"');
  const resume = a.resume instanceof FileInfo ? a.resume : null;
  if (parsed.format === 'json' && a.resume !== undefined) record.warnings.push({ field: 'resume', problem: 'resume_only_in_multipart' });
  if (resume && resume.size === 0) return fail(400, 'The resume file is empty');
  for (const name of p.required) if (name === 'resume' ? !resume : blank(a[name])) return MISSING(name);
  if (a.urls !== undefined && (typeof a.urls !== 'object' || Array.isArray(a.urls) || Object.values(a.urls).some((u) => typeof u !== 'string'))) {
    return fail(400, 'urls must be an object of strings');
  }
  if (!boolish(a.silent)) return fail(400, 'silent must be true or false');
  const cardIssues = cardProblems(p, a);
  if (hosted && cardIssues.length) {
    record.errors.push(...cardIssues);
    return fail(400, cardIssues.map((x) => `${x.field}: ${x.problem}`).join('; '));
  }
  record.warnings.push(...cardIssues);
  if (resume) record.files.push({ field: 'resume', ...resume });
  record.accepted = true;
  return { status: 200, json: { ok: true, applicationId: uuid() } };
}

/** The documented POST rate limit (2 a second), when the admin setting rate_limit is on. */
function overRateLimit(v) {
  if (!v.settings.rate_limit) return false;
  const now = Date.now();
  const recent = (v.extra.posts || []).filter((t) => now - t < 1000);
  v.extra.posts = [...recent, now];
  return recent.length >= v.settings.rate_limit;
}

export default {
  name: 'lever',
  secrets: { api_key: 'lever-test-key', rate_limit: 0 },
  settingRules: { api_key: nonEmptyString, rate_limit: (x) => (Number.isInteger(x) && x >= 0 ? null : 'must be a non-negative integer (0: off)') },
  jobIds: () => POSTINGS.map((p) => p.id),
  errorBody: (status) => fail(status, { 404: 'Not found', 413: 'Request entity too large', 429: 'Too many requests' }[status] || 'Internal server error'),

  route(v, req, res, url, rest, ctx) {
    const { origin } = ctx;
    const open = (site) => (site === SITE ? POSTINGS.filter((p) => !v.jobs[p.id].closed) : null);
    const find = (site, id) => open(site)?.find((p) => p.id === id);
    if (rest[0] === 'v0' && rest[1] === 'postings' && rest.length >= 3 && rest.length <= 4) {
      const [, , site, id] = rest;
      if (req.method === 'POST' && id) {
        return serve(v, req, res, url, ctx, { kind: 'submit', jobOf: () => id, repeat: 'array' }, (parsed, record) => {
          record.auth_ok = url.searchParams.get('key') === v.settings.api_key;
          if (!record.auth_ok) return fail(401, 'Invalid API key');
          const p = find(site, id);
          if (!p) return fail(404, 'Posting not found');
          if (overRateLimit(v)) { record.errors.push({ problem: 'rate_limited' }); return { ...fail(429, 'Too many requests'), headers: { 'Retry-After': '1' } }; }
          return apply(p, parsed, record);
        });
      }
      if (req.method !== 'GET') return false;
      return serve(v, req, res, url, ctx, { kind: 'read', jobOf: () => id ?? null }, () => {
        const list = open(site);
        if (!list) return fail(404, 'Document not found');
        if (id) { const p = find(site, id); return p ? { status: 200, json: posting(p, origin) } : fail(404, 'Document not found'); }
        const q = url.searchParams;
        let found = list.filter((p) => ['team', 'location', 'commitment', 'department', 'level']
          .every((k) => q.getAll(k).length === 0 || q.getAll(k).includes(p.categories[k])));
        found = found.slice(Number(q.get('skip')) || 0);
        if (q.get('limit')) found = found.slice(0, Number(q.get('limit')));
        if (['html', 'iframe'].includes(q.get('mode'))) return { status: 200, html: listPage(found) };
        const out = found.map((p) => posting(p, origin));
        const group = q.get('group');
        if (!['location', 'commitment', 'team'].includes(group)) return { status: 200, json: out };
        const titles = [...new Set(out.map((p) => p.categories[group]))];
        return { status: 200, json: titles.map((title) => ({ title, postings: out.filter((p) => p.categories[group] === title) })) };
      });
    }
    // hosted pages, and the apply page's own form (no key; its cards are enforced; there is no
    // hCaptcha here): 303 to /{site}/{id}/thanks, or 400 with the problems.
    const [site, id, sub, extra] = rest;
    if (extra !== undefined || (sub !== undefined && sub !== 'apply' && sub !== 'thanks')) return false;
    if (req.method === 'POST' && sub === 'apply') {
      return serve(v, req, res, url, ctx, { kind: 'submit', jobOf: () => id, repeat: 'array' }, (parsed, record) => {
        record.auth_ok = true;
        const p = find(site, id);
        if (!p) return notFoundPage();
        const out = apply(p, parsed, record, true);
        if (out.status !== 200) return { status: out.status, html: page(p.lang, 'Error', `<div class="error-message">${esc(out.json.error)}</div>`) };
        return { status: 303, text: 'See Other\n', headers: { Location: `/lever/${SITE}/${p.id}/thanks` } };
      });
    }
    if (req.method !== 'GET' || !site) return false;
    return serve(v, req, res, url, ctx, { kind: 'read', jobOf: () => id ?? null }, () => {
      if (!open(site)) return notFoundPage();
      if (!id) return { status: 200, html: listPage(open(site)) };
      const p = find(site, id);
      if (!p) return notFoundPage();
      if (sub === 'apply') return { status: 200, html: applyPage(p) };
      if (sub === 'thanks') return { status: 200, html: page(p.lang, 'Application submitted', '<h3>Application submitted!</h3>') };
      return { status: 200, html: page(p.lang, `Brightwave Labs - ${p.text}`, `<h2>${esc(p.text)}</h2>\n${p.opening}${p.descriptionBody}\n` +
        p.lists.map((l) => `<h3>${esc(l.text)}</h3><ul>${l.content}</ul>`).join('\n') + `\n<a class="postings-btn" href="/lever/${SITE}/${p.id}/apply">Apply for this job</a>`) };
    });
  },
};
