// selftest-lib.mjs — what the fake ATS checks (selftest.mjs, selftest-vendors.mjs) share: a small
// HTTP client, FormData in a given order, and the /__admin/ats calls.

import crypto from 'node:crypto';
import { ATS_BASES } from './bases.mjs';

export const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
export const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(1500)]);

/** One request; body: {json} | {form: FormData} | {raw, type}. Returns {status, headers, text, json}. */
export async function call(method, url, { json, form, raw, type, headers = {}, signal } = {}) {
  const h = { ...headers };
  let body;
  if (json !== undefined) { body = JSON.stringify(json); h['content-type'] = 'application/json'; } else if (form) body = form;
  else if (raw !== undefined) { body = raw; if (type) h['content-type'] = type; }
  const res = await fetch(url, { method, headers: h, body, signal });
  const text = await res.text();
  let parsed = null;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, json: parsed };
}

/** FormData from [[name, value | {file, filename, type}]] in order. */
export function formOf(entries) {
  const fd = new FormData();
  for (const [name, v] of entries) {
    if (v && typeof v === 'object' && v.file) fd.append(name, new Blob([v.file], { type: v.type || 'application/pdf' }), v.filename);
    else fd.append(name, String(v));
  }
  return fd;
}

export function atsHelpers(site) {
  const admin = (method, path, body) => call(method, `${site}/__admin/ats${path}`, body === undefined ? {} : { json: body });
  return {
    base: (vendor) => site + ATS_BASES[vendor].base,
    admin,
    set: async (vendor, body) => (await admin('POST', `/${vendor}`, body)).status,
    setJob: async (vendor, id, body) => (await admin('POST', `/${vendor}/jobs/${id}`, body)).status,
    subs: async (vendor) => (await admin('GET', `/${vendor}/submissions`)).json.submissions,
    last: async (vendor) => (await admin('GET', `/${vendor}/submissions`)).json.submissions.at(-1),
  };
}

