// personio.mjs — fake Personio: the career site's XML feed (https://{company}.jobs.personio.de)
// and the Recruiting API (https://api.personio.de), both under /personio/{company}. Follows
// personio/api-docs personio-recruiting-api.yaml:
//   GET  /xml?language=de|en|fr|es|nl|it|pt            <workzag-jobs><position>...; a closed position is gone
//   POST /v1/recruiting/applications/documents         Bearer + X-Company-ID, multipart `file` (<= 20 MB)
//                                                      -> 200 {uuid, size, mimetype, original_filename, extension}
//   POST /v1/recruiting/applications                   Bearer + X-Company-ID, JSON -> 201 / {errors: [...]}
// Error bodies are the spec's error_response: field errors {field, errors: [{reason, context}]}
// (reasons from its table) and general errors {id, status, title, detail}. Guessed, marked here:
// the 201 answer has no body (the spec gives none); a feed without or with an unknown language
// serves the account's default language; unknown job positions give
// errors.posting-validation.posting-not-found, closed ones errors.job-position.not-published.

import { ATS_BASES } from './bases.mjs';
import { ATTRIBUTES, CHANNELS, DEFAULT_LANGUAGE, DOCUMENT_EXTENSIONS, FILE_CATEGORIES, LANGUAGES, POSITIONS, SYSTEM_PHASES }
  from './personio-jobs.mjs';
import { FileInfo, bearer, blank, extensionOf, isDate, isEmail, nonEmptyString, serve, uuid } from './common.mjs';

const COMPANY = ATS_BASES.personio.account;
const MAX_DOCUMENT = 20 * 1024 * 1024;
const general = (status, title, detail) => ({ status, json: { errors: [{ id: uuid(), status: String(status), title, detail }] } });
const UNAUTHORIZED = general(401, 'Unauthorized', 'The API token and/or company id was not recognized.');
const fieldErrors = (status, list) => ({ status, json: { errors: list.map(([field, reasons]) => ({ field, errors: reasons.map((reason) => ({ reason })) })) } });
const xmlEsc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const cdata = (s) => `<![CDATA[${String(s).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
const MIME = { pdf: 'application/pdf', txt: 'text/plain', png: 'image/png', jpg: 'image/jpeg', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', doc: 'application/msword', rtf: 'application/rtf' };

function feed(open, language) {
  const lang = LANGUAGES.includes(language) ? language : DEFAULT_LANGUAGE;
  const positions = open.map((p) => {
    const t = p.texts[lang] || p.texts[DEFAULT_LANGUAGE] || Object.values(p.texts)[0];
    const el = (name, value) => `    <${name}>${xmlEsc(value)}</${name}>`;
    return ['  <position>', el('id', p.id), el('subcompany', p.subcompany), el('office', p.office), el('department', p.department),
      el('recruitingCategory', p.recruitingCategory), el('name', t.name), '    <jobDescriptions>',
      ...t.descriptions.map((x) => `      <jobDescription>\n        <name>${xmlEsc(x.name)}</name>\n        <value>${cdata(x.value)}</value>\n      </jobDescription>`),
      '    </jobDescriptions>', el('employmentType', p.employmentType), el('seniority', p.seniority), el('schedule', p.schedule),
      el('yearsOfExperience', p.yearsOfExperience), el('keywords', p.keywords), el('occupation', p.occupation),
      el('occupationCategory', p.occupationCategory), el('createdAt', p.createdAt), '  </position>'].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<workzag-jobs>\n${positions.join('\n')}${positions.length ? '\n' : ''}</workzag-jobs>\n`;
}

/** Validates an application; returns [[field, [reasons]]] (empty: created). */
function validate(v, b, record) {
  const errors = new Map();
  const add = (field, reason) => errors.set(field, [...(errors.get(field) || []), reason]);
  for (const k of ['first_name', 'last_name', 'email']) if (blank(b[k]) || typeof b[k] !== 'string') add(k, 'errors.attribute-validation.required-attribute');
  if (typeof b.email === 'string' && !blank(b.email) && !isEmail(b.email)) add('email', 'errors.attribute-validation.invalid-email-format');
  const pos = POSITIONS.find((p) => p.id === b.job_position_id);
  if (!Number.isInteger(b.job_position_id)) add('job_position_id', 'errors.attribute-validation.required-attribute');
  else if (!pos) add('job_position_id', 'errors.posting-validation.posting-not-found');
  else if (v.jobs[String(pos.id)].closed) add('job_position_id', 'errors.job-position.not-published');
  if (b.recruiting_channel_id !== undefined && !CHANNELS.includes(b.recruiting_channel_id)) add('recruiting_channel_id', 'errors.posting-validation.channel-not-found');
  if (b.application_date !== undefined) {
    if (!isDate(b.application_date)) add('application_date', 'errors.attribute-validation.invalid-date-format');
    else if (b.application_date > new Date().toISOString().slice(0, 10)) add('application_date', 'errors.date-validation.date-in-the-future');
  }
  if (b.phase !== undefined) {
    if (b.phase?.type === 'system' && !SYSTEM_PHASES.includes(b.phase.id)) add('phase', 'errors.phase-validation.invalid-system-phase');
    else if (b.phase?.type === 'custom') record.warnings.push({ field: 'phase', problem: 'unknown_custom_phase_becomes_unassigned' });
    else if (b.phase?.type !== 'system') add('phase', 'errors.phase-validation.invalid-system-phase');
  }
  (Array.isArray(b.files) ? b.files : b.files === undefined ? [] : [null]).forEach((f, i) => {
    const doc = v.extra.documents?.get(f?.uuid);
    if (!doc) add(`files[${i}].uuid`, 'errors.file-validation.file-not-exists');
    if (!FILE_CATEGORIES.includes(f?.category)) add(`files[${i}].category`, 'errors.file-validation.unknown-file-category');
    if (doc) record.files.push({ field: `files[${i}]`, category: f.category, uuid: f.uuid, ...doc, filename: f.original_filename ?? doc.filename, source: 'upload' });
  });
  (Array.isArray(b.attributes) ? b.attributes : b.attributes === undefined ? [] : [null]).forEach((a, i) => {
    const field = `attributes[${i}]`;
    const def = ATTRIBUTES[a?.id];
    if (!def) return add(field, 'errors.attribute-validation.unknown');
    if (typeof a.value !== 'string' || blank(a.value)) return add(field, 'errors.attribute-validation.required-attribute');
    if (def.type === 'OPTION' && !def.options.includes(a.value)) add(field, 'errors.attribute-validation.unknown-attribute-option');
    if (def.type === 'DATE' && !isDate(a.value)) add(field, 'errors.attribute-validation.invalid-date-format');
    return undefined;
  });
  if (errors.size === 0 && pos && v.submissions.some((s) => s.accepted && s.job === String(pos.id) && s.fields?.email?.toLowerCase() === b.email.toLowerCase())) {
    add('email', 'errors.applicant-already-exists');
  }
  return [...errors];
}

export default {
  name: 'personio',
  secrets: { token: 'personio-test-token', company_id: '12345' },
  settingRules: { token: nonEmptyString, company_id: nonEmptyString },
  jobIds: () => POSITIONS.map((p) => String(p.id)),
  errorBody: (status) => general(status, { 404: 'Not Found', 413: 'Payload Too Large', 429: 'Too Many Requests' }[status] || 'Internal Server Error',
    { 404: 'Not found', 413: 'The request exceeded the size limit.', 429: 'You have exceeded the rate-limit for your API call.' }[status] || 'An unexpected error occurred.'),

  route(v, req, res, url, rest, ctx) {
    const [company, ...path] = rest;
    const authOk = () => bearer(req) === v.settings.token && req.headers['x-company-id'] === v.settings.company_id;
    if (path.length === 1 && path[0] === 'xml' && req.method === 'GET') {
      return serve(v, req, res, url, ctx, { kind: 'read' }, () => (company !== COMPANY ? { status: 404, text: 'Not Found\n' }
        : { status: 200, xml: feed(POSITIONS.filter((p) => !v.jobs[String(p.id)].closed), url.searchParams.get('language')) }));
    }
    if (path[0] !== 'v1' || path[1] !== 'recruiting' || path[2] !== 'applications' || path.length > 4 || req.method !== 'POST') return false;
    if (path[3] === 'documents') {
      return serve(v, req, res, url, ctx, { kind: 'submit' }, (parsed, record) => {
        record.auth_ok = authOk() && company === COMPANY;
        if (!record.auth_ok) return UNAUTHORIZED;
        const file = parsed.params?.file;
        if (!(file instanceof FileInfo)) { record.errors.push({ problem: 'no_file' }); return fieldErrors(422, [['file', ['errors.invalid-file-type']]]); }
        if (file.size > MAX_DOCUMENT) { record.errors.push({ problem: 'file_too_big' }); return fieldErrors(413, [['file', ['errors.file-too-big']]]); }
        const extension = extensionOf(file.filename);
        if (!DOCUMENT_EXTENSIONS.includes(extension) || file.size === 0) { record.errors.push({ problem: 'invalid_file_type' }); return fieldErrors(422, [['file', ['errors.invalid-file-type']]]); }
        const id = uuid();
        (v.extra.documents ||= new Map()).set(id, file);
        record.files.push({ field: 'file', uuid: id, ...file, source: 'multipart' });
        record.accepted = true;
        return { status: 200, json: { uuid: id, size: file.size, mimetype: MIME[extension] || file.content_type || 'application/octet-stream', original_filename: file.filename, extension } };
      });
    }
    if (path[3] !== undefined) return false;
    return serve(v, req, res, url, ctx, { kind: 'submit', jobOf: (b) => (Number.isInteger(b?.job_position_id) ? b.job_position_id : null) }, (parsed, record) => {
      record.auth_ok = authOk() && company === COMPANY;
      if (!record.auth_ok) return UNAUTHORIZED;
      const b = parsed.params;
      if (parsed.format !== 'json' || !b || typeof b !== 'object' || Array.isArray(b)) {
        record.errors.push({ problem: 'not_a_json_object' });
        return general(400, 'Bad Request', 'The request body must be a JSON object.');
      }
      const errors = validate(v, b, record);
      if (errors.length) { record.errors.push(...errors.map(([field, reasons]) => ({ field, problem: reasons.join(', ') }))); return fieldErrors(400, errors); }
      record.accepted = true;
      return { status: 201, text: '' };
    });
  },
};
