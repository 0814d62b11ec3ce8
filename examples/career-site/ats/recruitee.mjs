// recruitee.mjs — fake Recruitee Careers Site API (https://{company}.recruitee.com), mounted at
// /recruitee/{company}. Follows https://docs.recruitee.com/reference/intro-to-careers-site-api
// and /reference/offersoffer_idcandidates:
//   GET  /api/offers/                        {offers: [...]}, each with its open_questions
//   GET  /api/offers/{slug or id}            {offer: {...}}
//   POST /api/offers/{slug}/candidates       apply, no authentication; JSON or form-data
//                                            candidate[...] -> 201 {candidate} / 422
// Undocumented, chosen and marked here: the 422 and 404 bodies. Recruitee runs on Elixir/Phoenix
// (its public repositories), so they take Phoenix's conventions: {"errors": {field: [messages]}}
// and {"errors": {"detail": "Not Found"}}.

import { ATS_BASES } from './bases.mjs';
import { OFFERS } from './recruitee-jobs.mjs';
import { FileInfo, blank, isDate, isEmail, serve } from './common.mjs';

const COMPANY = ATS_BASES.recruitee.account;
const detailError = (status, detail) => ({ status, json: { errors: { detail } } });
const NOT_FOUND = detailError(404, 'Not Found');
const isNumber = (v) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^\s*-?\d+([.,]\d+)?\s*$/.test(v));
const flagOf = (v) => (v === true || v === 'true' || v === '1' ? true : v === false || v === 'false' || v === '0' ? false : null);
let nextCandidateId = 90000001;

/** The answers, as an array (JSON) or an object keyed by index (form-data [0][...]). */
const answersOf = (c) => {
  const a = c.open_question_answers_attributes;
  if (a === undefined || a === null) return [];
  return Array.isArray(a) ? a : typeof a === 'object' ? Object.values(a) : null;
};

/** Validates the candidate; returns {field: [messages]} (empty when it is created). */
function validate(offer, c, record) {
  const errors = {};
  const add = (field, msg) => (errors[field] ||= []).push(msg);
  if (blank(c.name)) add('name', "can't be blank");
  if (blank(c.email)) add('email', "can't be blank");
  else if (!isEmail(String(c.email))) add('email', 'has invalid format');
  if (offer.options_phone === 'required' && blank(c.phone)) add('phone', "can't be blank");
  const cv = c.cv instanceof FileInfo ? c.cv : null;
  if (cv) {
    if (cv.size === 0) add('cv', 'is empty');
    record.files.push({ field: 'cv', ...cv });
  } else if (!blank(c.remote_cv_url)) {
    record.files.push({ field: 'cv', url: String(c.remote_cv_url), filename: null, source: 'url' });
  } else if (offer.options_cv === 'required') add('cv', "can't be blank");
  if (offer.options_cover_letter === 'required' && blank(c.cover_letter) && !(c.cover_letter instanceof FileInfo)) add('cover_letter', "can't be blank");
  if (c.cover_letter instanceof FileInfo) record.files.push({ field: 'cover_letter', ...c.cover_letter });

  const answers = answersOf(c);
  if (answers === null) { add('open_question_answers', 'is invalid'); return errors; }
  const given = new Map();
  for (const a of answers) {
    const q = offer.open_questions.find((x) => String(x.id) === String(a?.open_question_id));
    if (!q) { add('open_question_answers', `unknown open_question_id ${JSON.stringify(a?.open_question_id)}`); continue; }
    given.set(q.id, a);
  }
  for (const q of offer.open_questions) {
    const key = `open_question_answers.${q.id}`;
    const a = given.get(q.id);
    const options = q.open_question_options.map((o) => o.body);
    if (q.kind === 'multi_choice') {
      const list = a?.multi_content === undefined ? [] : [].concat(a.multi_content).filter((x) => !blank(x));
      if (list.length === 0) { if (q.required) add(key, "can't be blank"); continue; }
      if (!list.every((x) => options.includes(x))) add(key, 'is not one of the options');
    } else if (q.kind === 'boolean' || q.kind === 'legal') {
      const flag = flagOf(a?.flag);
      if (a?.flag !== undefined && flag === null) add(key, 'must be true or false');
      else if (q.required && (flag === null || (q.kind === 'legal' && flag !== true))) add(key, q.kind === 'legal' ? 'must be accepted' : "can't be blank");
    } else if (q.kind === 'file') {
      if (a?.file instanceof FileInfo) record.files.push({ field: key, ...a.file });
      else if (!blank(a?.remote_file_url)) record.files.push({ field: key, url: String(a.remote_file_url), filename: null, source: 'url' });
      else if (q.required) add(key, "can't be blank");
    } else {
      const content = a?.content;
      if (blank(content)) { if (q.required) add(key, "can't be blank"); continue; }
      if (typeof content === 'object') add(key, 'is invalid');
      else if (q.kind === 'single_choice' && !options.includes(String(content))) add(key, 'is not one of the options');
      else if (q.kind === 'date' && !isDate(String(content))) add(key, 'is not a valid date (YYYY-MM-DD)');
      else if ((q.kind === 'number' || q.kind === 'salary') && !isNumber(content)) add(key, 'is not a number');
    }
  }
  return errors;
}

function candidateOut(offer, c) {
  const answers = (answersOf(c) || []).map((a, i) => ({
    id: 50000000 + i, open_question_id: Number(a.open_question_id),
    content: typeof a.content === 'string' ? a.content : null,
    multi_content: a.multi_content === undefined ? [] : [].concat(a.multi_content),
    flag: flagOf(a.flag), file: a.file instanceof FileInfo ? { filename: a.file.filename } : null,
  }));
  return {
    id: nextCandidateId++, name: String(c.name), emails: [String(c.email)], phones: blank(c.phone) ? [] : [String(c.phone)],
    cover_letter: typeof c.cover_letter === 'string' ? c.cover_letter : null, source: 'careers_site',
    placements: [{ offer_id: offer.id }], open_question_answers: answers, created_at: new Date().toISOString(),
  };
}

export default {
  name: 'recruitee',
  secrets: {},
  jobIds: () => OFFERS.map((o) => o.slug),
  errorBody: (status) => (status === 404 ? NOT_FOUND
    : detailError(status, { 413: 'Request Entity Too Large', 429: 'Too Many Requests' }[status] || 'Internal Server Error')),

  route(v, req, res, url, rest, ctx) {
    const [company, api, offers, slug, candidates, extra] = rest;
    if (api !== 'api' || offers !== 'offers' || extra !== undefined) return false;
    const find = (key) => OFFERS.find((o) => (o.slug === key || String(o.id) === key) && company === COMPANY && !v.jobs[o.slug].closed);
    const jobOf = () => (slug === undefined ? null : (OFFERS.find((o) => o.slug === slug || String(o.id) === slug)?.slug ?? null));
    if (req.method === 'POST' && slug && candidates === 'candidates') {
      return serve(v, req, res, url, ctx, { kind: 'submit', jobOf }, (parsed, record) => {
        record.auth_ok = true; // the Careers Site API has no authentication
        const offer = find(slug);
        if (!offer) return NOT_FOUND;
        const c = parsed.params?.candidate;
        if (c === null || typeof c !== 'object' || Array.isArray(c)) {
          record.errors.push({ problem: parsed.format === 'unparseable' ? 'unparseable_body' : 'no_candidate' });
          return { status: 422, json: { errors: { candidate: ["can't be blank"] } } };
        }
        const errors = validate(offer, c, record);
        if (Object.keys(errors).length) {
          record.errors.push(...Object.entries(errors).map(([field, msgs]) => ({ field, problem: msgs.join(', ') })));
          return { status: 422, json: { errors } };
        }
        record.accepted = true;
        return { status: 201, json: { candidate: candidateOut(offer, c) } };
      });
    }
    if (req.method !== 'GET' || candidates !== undefined) return false;
    return serve(v, req, res, url, ctx, { kind: 'read', jobOf }, () => {
      if (company !== COMPANY) return NOT_FOUND;
      if (slug === undefined) return { status: 200, json: { offers: OFFERS.filter((o) => !v.jobs[o.slug].closed) } };
      const offer = find(slug);
      return offer ? { status: 200, json: { offer } } : NOT_FOUND;
    });
  },
};
