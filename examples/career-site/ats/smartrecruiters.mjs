// smartrecruiters.mjs — fake SmartRecruiters (https://api.smartrecruiters.com), mounted at
// /smartrecruiters: the public Posting API and the Application API.
//   GET  /v1/companies/{company}/postings[?q&limit&offset&country&language]   {offset, limit, totalFound, content}
//   GET  /v1/companies/{company}/postings/{postingId or uuid}                  posting details
//   GET  /postings/{uuid}/configuration[?conditionalsIncluded=true]            X-SmartToken: screening
//        questions, settings (conditionals), privacyPolicies, consentDetails
//   POST /postings/{uuid}/candidates                                           X-SmartToken, JSON: apply -> 201
// Follows developers.smartrecruiters.com "Get application screening questions and privacy
// policies" and "Post an application" (required firstName, lastName, email and required
// screening answers; answers [{id, records: [...]}], an array per answer; consentDecisions;
// base64 attachments of at most 2 MB, PDF, DOC(X), RTF, JPG, PNG; the two quoted error
// messages) and the Customer API's ErrorResponse {message, errors: [{code, message}]}.
// Guessed, marked here: a record is an object of {fieldId: value or [values]} (also accepted:
// {fields: {...}}); select answers are value ids; the error codes; 401 / 404 bodies; the 201
// body {id, createdOn, candidatePortalUrl}.

import { ATS_BASES } from './bases.mjs';
import { POSTINGS } from './smartrecruiters-jobs.mjs';
import { base64File, blank, extensionOf, isDate, isEmail, nonEmptyString, serve, uuid } from './common.mjs';

const COMPANY = ATS_BASES.smartrecruiters.account;
const ATTACHMENT_TYPES = ['pdf', 'doc', 'docx', 'rtf', 'jpg', 'jpeg', 'png'];
const MAX_ATTACHMENT = 2 * 1024 * 1024;
const errorOf = (status, list) => ({ status, json: { message: list[0].message, errors: list } });
const err1 = (status, code, message) => errorOf(status, [{ code, message }]);

function summary(p, origin) {
  const { configuration, jobAd, ...rest } = p;
  return { ...rest, jobAdId: `${p.uuid.slice(0, 8)}-ad`, defaultJobAd: true, ref: `${origin}/smartrecruiters/v1/companies/${COMPANY}/postings/${p.id}` };
}

const detail = (p, origin) => ({
  ...summary(p, origin), jobAd: p.jobAd, active: true, visibility: 'PUBLIC',
  applyUrl: `https://jobs.smartrecruiters.com/${COMPANY}/${p.id}?oga=true`, postingUrl: `https://jobs.smartrecruiters.com/${COMPANY}/${p.id}`,
});

function configuration(p, withConditionals) {
  const c = p.configuration;
  return {
    questions: c.questions,
    settings: { avatarUploadAvailable: false, ...(withConditionals ? { conditionals: c.conditionals } : {}) },
    privacyPolicies: [{ url: 'https://www.brightwavelabs.example/privacy', orgName: 'Brightwave Labs' },
      { url: 'https://www.smartrecruiters.com/legal/candidate-privacy-policy/', orgName: 'SmartRecruiters' }],
    consentDetails: { scopes: c.consentScopes },
    companyImprintUrl: 'https://www.brightwavelabs.example/imprint',
  };
}

// ---- answers -------------------------------------------------------------------------------------

/** One field's values (a string or a list of strings); null when the shape is wrong. */
const valuesOf = (x) => (typeof x === 'string' ? [x] : Array.isArray(x) && x.every((y) => typeof y === 'string') ? x : null);

function fieldOk(fd, values) {
  const ids = fd.values.map((o) => o.id);
  const one = values.length === 1;
  switch (fd.type) {
    case 'RADIO': case 'SINGLE_SELECT': return one && ids.includes(values[0]);
    case 'MULTI_SELECT': return values.length > 0 && values.every((x) => ids.includes(x));
    case 'CHECKBOX': return one && ['true', 'false'].includes(values[0]);
    case 'DATE': return one && isDate(values[0]);
    case 'CURRENCY': return one && /^\d+([.,]\d{1,2})?$/.test(values[0].trim());
    case 'INFORMATION': return true;
    default: return one && Buffer.byteLength(values[0]) <= 4000; // INPUT_TEXT, TEXTAREA
  }
}

/** Checks the answers; returns the errors (the required and incorrect questions). */
function checkAnswers(cfg, answers) {
  const all = new Map([...cfg.questions, ...cfg.conditionals.flatMap((c) => c.conditionalQuestions)].map((q) => [q.id, q]));
  const given = new Map();
  const incorrect = [];
  if (answers !== undefined && !Array.isArray(answers)) return [{ code: 'INVALID_ANSWERS', message: 'answers must be an array' }];
  for (const a of answers || []) {
    const q = all.get(a?.id);
    const records = Array.isArray(a?.records) ? a.records.map((r) => (r && typeof r.fields === 'object' && !Array.isArray(r.fields) ? r.fields : r)) : null;
    if (!q || !records || records.length === 0 || (!q.repeatable && records.length > 1) || records.some((r) => !r || typeof r !== 'object')) {
      incorrect.push(a?.id ?? '(no id)');
      continue;
    }
    const norm = records.map((r) => Object.fromEntries(Object.entries(r).map(([k, x]) => [k, valuesOf(x)])));
    const bad = norm.some((r) => Object.entries(r).some(([k, vals]) => {
      const fd = q.fields.find((x) => x.id === k);
      return !fd || vals === null || (vals.length > 0 && !fieldOk(fd, vals));
    }));
    if (bad) incorrect.push(q.id);
    else given.set(q.id, norm);
  }
  // conditional questions count only while their parent's answer holds one of the valueIds
  const active = [...cfg.questions];
  for (const c of cfg.conditionals) {
    const parent = given.get(c.parentQuestionId)?.[0]?.[c.fieldId] || [];
    if (parent.some((x) => c.valueIds.includes(x))) active.push(...c.conditionalQuestions);
  }
  const needsAnswer = (q) => q.fields.some((fd) => fd.required && fd.type !== 'INFORMATION');
  const complete = (q, r) => q.fields.every((fd) => !fd.required || fd.type === 'INFORMATION' ||
    (r[fd.id]?.length > 0 && (fd.type !== 'CHECKBOX' || r[fd.id][0] === 'true')));
  const required = active.filter((q) => needsAnswer(q) && !(given.get(q.id) || []).some((r) => complete(q, r))).map((q) => q.id);
  const errors = [];
  if (required.length) errors.push({ code: 'SCREENING_QUESTIONS_REQUIRED', message: `The following screening questions are required: ${required.join(', ')}.` });
  if (incorrect.length) errors.push({ code: 'SCREENING_ANSWERS_INCORRECT', message: `Values for the following screening questions' answers are incorrect: ${incorrect.join(', ')}.` });
  return errors;
}

function validate(p, b, record) {
  const errors = [];
  for (const k of ['firstName', 'lastName', 'email']) if (blank(b[k]) || typeof b[k] !== 'string') errors.push({ code: 'REQUIRED_FIELD', message: `${k} is required` });
  if (typeof b.email === 'string' && !blank(b.email) && !isEmail(b.email)) errors.push({ code: 'INVALID_EMAIL', message: 'email is not a valid email address' });
  errors.push(...checkAnswers(p.configuration, b.answers));
  const files = [['resume', b.resume], ...(Array.isArray(b.attachments) ? b.attachments.map((a, i) => [`attachments[${i}]`, a]) : [])];
  if (b.attachments !== undefined && !Array.isArray(b.attachments)) errors.push({ code: 'INVALID_ATTACHMENT', message: 'attachments must be an array' });
  for (const [where, a] of files) {
    if (a === undefined || a === null) continue;
    const fi = base64File(a.fileContent, a.fileName, a.mimeType);
    if (!fi || blank(a.fileName)) errors.push({ code: 'INVALID_ATTACHMENT', message: `${where} needs fileName and base64 fileContent` });
    else if (fi.size === 0 || fi.size > MAX_ATTACHMENT) errors.push({ code: 'INVALID_ATTACHMENT', message: `${where} must be between 1 byte and 2 MB` });
    else if (!ATTACHMENT_TYPES.includes(extensionOf(a.fileName))) errors.push({ code: 'INVALID_ATTACHMENT', message: `${where} must be PDF, DOC(X), RTF, JPG or PNG` });
    else record.files.push({ field: where, ...fi });
  }
  const decisions = b.consentDecisions && typeof b.consentDecisions === 'object' ? b.consentDecisions : {};
  const missing = p.configuration.consentScopes.filter((s) => s.required && decisions[s.scope] !== true && b.consent !== true).map((s) => s.scope);
  if (missing.length) errors.push({ code: 'CONSENT_REQUIRED', message: `Consent is required for: ${missing.join(', ')}` });
  return errors;
}

export default {
  name: 'smartrecruiters',
  secrets: { smart_token: 'sr-test-token' },
  settingRules: { smart_token: nonEmptyString },
  jobIds: () => POSTINGS.map((p) => p.uuid),
  errorBody: (status) => err1(status, { 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 429: 'TOO_MANY_REQUESTS' }[status] || 'INTERNAL_ERROR',
    { 404: 'Not found', 413: 'Payload too large', 429: 'Too many requests' }[status] || 'Internal server error'),

  route(v, req, res, url, rest, ctx) {
    const open = (key) => POSTINGS.find((p) => (p.id === key || p.uuid === key) && !v.jobs[p.uuid].closed);
    const uuidOf = (key) => POSTINGS.find((p) => p.id === key || p.uuid === key)?.uuid ?? null;
    const tokenOk = () => req.headers['x-smarttoken'] === v.settings.smart_token;
    const UNAUTHORIZED = err1(401, 'UNAUTHORIZED', 'Missing or invalid X-SmartToken');
    const notFound = (key) => err1(404, 'POSTING_NOT_FOUND', `Posting ${key} not found`);
    if (rest[0] === 'v1' && rest[1] === 'companies' && rest[3] === 'postings' && rest.length <= 5 && req.method === 'GET') {
      const [, , company, , key] = rest;
      return serve(v, req, res, url, ctx, { kind: 'read', jobOf: () => (key ? uuidOf(key) : null) }, () => {
        if (company !== COMPANY) return err1(404, 'COMPANY_NOT_FOUND', `Company ${company} not found`);
        if (key) { const p = open(key); return p ? { status: 200, json: detail(p, ctx.origin) } : notFound(key); }
        const q = url.searchParams;
        const found = POSTINGS.filter((p) => !v.jobs[p.uuid].closed &&
          (!q.get('q') || p.name.toLowerCase().includes(q.get('q').toLowerCase())) &&
          (!q.get('country') || p.location.country === q.get('country').toLowerCase()) &&
          (!q.get('language') || p.language.code === q.get('language')));
        const limit = Math.min(Number(q.get('limit')) || 10, 100);
        const offset = Number(q.get('offset')) || 0;
        return { status: 200, json: { offset, limit, totalFound: found.length, content: found.slice(offset, offset + limit).map((p) => summary(p, ctx.origin)) } };
      });
    }
    if (rest[0] !== 'postings' || rest.length !== 3) return false;
    const [, key, what] = rest;
    if (what === 'configuration' && req.method === 'GET') {
      return serve(v, req, res, url, ctx, { kind: 'read', jobOf: () => uuidOf(key) }, () => {
        if (!tokenOk()) return UNAUTHORIZED;
        const p = open(key);
        return p ? { status: 200, json: configuration(p, url.searchParams.get('conditionalsIncluded') === 'true') } : notFound(key);
      });
    }
    if (what !== 'candidates' || req.method !== 'POST') return false;
    return serve(v, req, res, url, ctx, { kind: 'submit', jobOf: () => uuidOf(key) }, (parsed, record) => {
      record.auth_ok = tokenOk();
      if (!record.auth_ok) return UNAUTHORIZED;
      const p = POSTINGS.find((x) => x.uuid === key && !v.jobs[x.uuid].closed);
      if (!p) return notFound(key);
      const b = parsed.params;
      if (parsed.format !== 'json' || !b || typeof b !== 'object' || Array.isArray(b)) {
        record.errors.push({ problem: 'not_a_json_object' });
        return err1(400, 'INVALID_REQUEST_BODY', 'The request body must be a JSON object');
      }
      const errors = validate(p, b, record);
      if (errors.length) { record.errors.push(...errors); return errorOf(400, errors); }
      record.accepted = true;
      const id = uuid();
      return { status: 201, json: { id, createdOn: new Date().toISOString(), candidatePortalUrl: `https://my.smartrecruiters.com/app/applications/${id}`,
        ...(b.createJoinLink === true ? { smartrJoinUrl: `https://jobs.smartrecruiters.com/join/${id}` } : {}) } };
    });
  },
};
