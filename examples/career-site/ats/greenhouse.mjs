// greenhouse.mjs — fake Greenhouse Job Board API (https://boards-api.greenhouse.io), mounted at
// /greenhouse. Follows grnhse/greenhouse-api-docs source/includes/job-board/ (_boards.md,
// _jobs.md, _applications.md):
//   GET  /v1/boards/{board}                       board name and content
//   GET  /v1/boards/{board}/jobs[?content=true]   {jobs: [...], meta: {total}}
//   GET  /v1/boards/{board}/jobs/{id}[?questions=true][&pay_transparency=true]
//   POST /v1/boards/{board}/jobs/{id}             an application (HTTP Basic, the API key as username)
// Undocumented details, chosen and marked here: the 401 bodies (HTTP Basic: Access denied. /
// Invalid Basic Auth credentials, as quoted in greenhouse-api-docs issue #566), the 404 bodies
// ({"status":404,"error":"Job not found"} and "Job board not found", live captures quoted in
// third-party code) and the validation error (400 with the same {status, error} shape).

import { ATS_BASES } from './bases.mjs';
import { BOARD, JOBS } from './greenhouse-jobs.mjs';
import { FileInfo, base64File, basicUser, blank, extensionOf, isEmail, nonEmptyString, serve } from './common.mjs';

const BOARD_TOKEN = ATS_BASES.greenhouse.account;
const byId = new Map(JOBS.map((j) => [String(j.id), j]));
const ATTACHMENT_TYPES = ['pdf', 'doc', 'docx', 'txt', 'rtf'];
const NO_URL = /https?:\/\/|www\./i;

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const error = (status, message, headers) => ({ status, json: { status, error: message }, headers });

function summary(j, withContent) {
  const out = {
    id: j.id, internal_job_id: j.internal_job_id, title: j.title, updated_at: j.updated_at,
    requisition_id: j.requisition_id, location: j.location,
    absolute_url: `https://job-boards.greenhouse.io/${BOARD_TOKEN}/jobs/${j.id}`,
    language: j.language, metadata: j.metadata, first_published: j.first_published, company_name: BOARD.name,
  };
  // The docs: content is HTML converted into HTML entities.
  if (withContent) Object.assign(out, { content: escapeHtml(j.content), departments: j.departments, offices: j.offices });
  return out;
}

function detail(j, query) {
  const out = summary(j, true);
  if (query.get('questions') === 'true') {
    out.questions = j.questions;
    if (j.location_questions) out.location_questions = j.location_questions;
    if (j.compliance) out.compliance = j.compliance;
    if (j.demographic_questions) out.demographic_questions = j.demographic_questions;
  }
  out.data_compliance = j.data_compliance;
  if (query.get('pay_transparency') === 'true') out.pay_input_ranges = j.pay_input_ranges || [];
  return out;
}

// ---- submission ----------------------------------------------------------------------------

const truthy = (v) => v === true || v === 1 || v === '1' || v === 'true';

/** A file answer: a multipart part, base64 JSON (NAME_content + NAME_content_filename) or a URL
 *  (NAME_url + NAME_url_filename). Returns FileInfo, a URL reference, or null; pushes problems. */
function fileAnswer(p, name, problems) {
  if (p[name] instanceof FileInfo) return p[name];
  if (p[`${name}_content`] !== undefined) {
    const fi = base64File(p[`${name}_content`], p[`${name}_content_filename`], null);
    if (!fi) problems.push(`${name}_content is not base64`);
    else if (blank(p[`${name}_content_filename`])) problems.push(`${name}_content_filename is required`);
    return fi;
  }
  if (p[`${name}_url`] !== undefined) {
    if (blank(p[`${name}_url_filename`])) problems.push(`${name}_url_filename is required`);
    return { url: String(p[`${name}_url`]), filename: p[`${name}_url_filename`] ?? null, source: 'url' };
  }
  return null;
}

/** Checks one question field's answer; returns true when it holds a value. */
function checkField(field, p, problems, record) {
  const bare = field.name.replace(/\[\]$/, '');
  if (field.type === 'input_file') {
    const file = fileAnswer(p, field.name, problems);
    if (!file) return false;
    if (file instanceof FileInfo) {
      if (file.size === 0) problems.push(`${field.name} must be larger than 0 bytes`);
      if (!ATTACHMENT_TYPES.includes(extensionOf(file.filename))) problems.push(`${field.name} must be a pdf, doc, docx, txt or rtf file`);
    }
    record.files.push({ field: field.name, ...file });
    return true;
  }
  const value = p[field.name] ?? p[bare];
  if (blank(value)) return false;
  if (field.type === 'multi_value_single_select' || field.type === 'multi_value_multi_select') {
    const many = field.type === 'multi_value_multi_select';
    const values = Array.isArray(value) ? value : [value];
    if (!many && Array.isArray(value)) problems.push(`${bare} takes a single value`);
    for (const x of values) {
      if (!field.values.some((o) => String(o.value) === String(x))) problems.push(`${bare}: ${JSON.stringify(x)} is not one of its values`);
    }
    return true;
  }
  if (typeof value === 'object') problems.push(`${field.name} must be text`);
  return true;
}

function checkDemographics(j, answers, problems, record) {
  if (answers === undefined || answers === null) return;
  const qs = j.demographic_questions?.questions || [];
  if (!Array.isArray(answers)) return problems.push('demographic_answers must be an array');
  for (const a of answers) {
    const q = qs.find((x) => String(x.id) === String(a?.question_id));
    if (!q) { problems.push(`demographic_answers: unknown question_id ${JSON.stringify(a?.question_id)}`); continue; }
    const opts = a.answer_options ?? [];
    if (!Array.isArray(opts)) { problems.push('demographic_answers[].answer_options must be an array'); continue; }
    if (q.type === 'multi_value_single_select' && opts.length > 1) problems.push(`demographic question ${q.id} takes one answer option`);
    for (const o of opts) {
      const opt = q.answer_options.find((x) => String(x.id) === String(o?.answer_option_id));
      if (!opt) problems.push(`demographic question ${q.id}: unknown answer_option_id ${JSON.stringify(o?.answer_option_id)}`);
      else if (!blank(o.text) && !opt.free_form) record.warnings.push({ field: `demographic ${q.id}`, problem: 'text_on_non_free_form_option' });
    }
  }
}

function checkEmployments(list, problems) {
  if (list === undefined) return;
  if (!Array.isArray(list)) return problems.push('employments must be an array');
  for (const e of list) {
    for (const k of ['company_name', 'title', 'start_date']) if (blank(e?.[k])) problems.push(`employments: ${k} is required`);
    if (!['true', 'false', true, false].includes(e?.current)) problems.push('employments: current must be true or false');
    else if (!truthy(e.current) && blank(e.end_date)) problems.push('employments: end_date is required when current is false');
  }
}

/** Validates an application as the docs list; returns the problems (empty: saved). Required custom
 *  questions are not enforced by Greenhouse (the docs say so): they become record warnings. */
function validate(j, p, record) {
  const problems = [];
  for (const name of ['first_name', 'last_name', 'email']) {
    if (blank(p[name])) problems.push(`${name} can't be blank`);
    else if (String(p[name]).length > 255) problems.push(`${name} is too long (maximum is 255 characters)`);
  }
  for (const name of ['first_name', 'last_name', 'phone']) if (typeof p[name] === 'string' && NO_URL.test(p[name])) problems.push(`${name} must not contain a URL`);
  if (!blank(p.email) && !isEmail(String(p.email))) problems.push('email is not a valid email address');
  const questions = [...j.questions, ...(j.location_questions || []), ...(j.compliance || []).flatMap((c) => c.questions)];
  for (const q of questions) {
    const answered = q.fields.map((fd) => checkField(fd, p, problems, record)).some(Boolean);
    if (q.required && !answered && !['first_name', 'last_name', 'email'].includes(q.fields[0].name)) {
      record.warnings.push({ field: q.fields.map((fd) => fd.name).join(' | '), label: q.label, problem: 'required_not_enforced' });
    }
  }
  if (!blank(p.location) && (blank(p.latitude) || blank(p.longitude))) record.warnings.push({ field: 'location', problem: 'ignored_without_latitude_longitude' });
  checkDemographics(j, p.demographic_answers, problems, record);
  checkEmployments(p.employments, problems);
  const gdpr = j.data_compliance.find((d) => d.type === 'gdpr');
  const given = p.data_compliance || {};
  for (const [need, key] of [['requires_consent', 'gdpr_consent_given'], ['requires_processing_consent', 'gdpr_processing_consent_given'],
    ['requires_retention_consent', 'gdpr_retention_consent_given']]) {
    if (gdpr?.[need] && !truthy(given[key])) record.warnings.push({ field: `data_compliance[${key}]`, problem: 'consent_not_given' });
  }
  return problems;
}

async function apply(v, req, res, url, ctx, board, id) {
  return serve(v, req, res, url, ctx, { kind: 'submit', jobOf: () => id }, (parsed, record) => {
    const user = basicUser(req);
    record.auth_ok = user !== null && user === v.settings.api_key;
    if (user === null) {
      return { status: 401, text: 'HTTP Basic: Access denied.\n', headers: { 'WWW-Authenticate': 'Basic realm="Application"' } };
    }
    if (!record.auth_ok) return { status: 401, text: 'Invalid Basic Auth credentials' };
    if (board !== BOARD_TOKEN) return error(404, 'Job board not found');
    const job = byId.get(id);
    if (!job || v.jobs[id].closed) return error(404, 'Job not found');
    if (parsed.format === 'unparseable' || parsed.params === null || typeof parsed.params !== 'object' || Array.isArray(parsed.params)) {
      record.errors.push({ problem: 'unparseable_body' });
      return error(400, 'The request body could not be parsed');
    }
    const problems = validate(job, parsed.params, record);
    if (problems.length) {
      record.errors.push(...problems.map((problem) => ({ problem })));
      return error(400, problems.join('; '));
    }
    record.accepted = true;
    return { status: 200, json: { success: 'Candidate saved successfully' } };
  });
}

export default {
  name: 'greenhouse',
  secrets: { api_key: 'gh-test-key' },
  settingRules: { api_key: nonEmptyString },
  jobIds: () => JOBS.map((j) => String(j.id)),
  errorBody: (status) => error(status, { 404: 'Not Found', 413: 'Request Entity Too Large', 429: 'Too Many Requests' }[status] || 'Internal Server Error'),

  route(v, req, res, url, rest, ctx) {
    const [v1, boards, board, jobs, id, extra] = rest;
    if (v1 !== 'v1' || boards !== 'boards' || !board || extra !== undefined || (jobs !== undefined && jobs !== 'jobs')) return false;
    if (req.method === 'POST' && id) return apply(v, req, res, url, ctx, board, id);
    if (req.method !== 'GET') return false;
    return serve(v, req, res, url, ctx, { kind: 'read', jobOf: () => id ?? null }, () => {
      if (board !== BOARD_TOKEN) return error(404, 'Job board not found');
      if (jobs === undefined) return { status: 200, json: BOARD };
      const open = JOBS.filter((j) => !v.jobs[String(j.id)].closed);
      if (id === undefined) {
        const withContent = url.searchParams.get('content') === 'true';
        return { status: 200, json: { jobs: open.map((j) => summary(j, withContent)), meta: { total: open.length } } };
      }
      const job = open.find((j) => String(j.id) === id);
      return job ? { status: 200, json: detail(job, url.searchParams) } : error(404, 'Job not found');
    });
  },
};
