// ats/selftest.mjs — checks of the fake ATS vendor APIs, run by ../selftest.mjs against a running
// site: each vendor's own checks (selftest-vendors.mjs), then every misbehaviour mode for every
// vendor, on reads and on submissions.

import { call, atsHelpers } from './selftest-lib.mjs';
import { checkGreenhouse, checkLever, checkPersonio, checkRecruitee, checkSmartRecruiters, checkWorkday } from './selftest-vendors.mjs';

// ---- misbehaviour, the same for every vendor -----------------------------------------------------

/** A read URL per vendor (a job detail) and its job id. */
const READS = {
  greenhouse: ['/v1/boards/brightwave/jobs/4012001?questions=true', '4012001'],
  recruitee: ['/api/offers/devops-engineer', 'devops-engineer'],
  lever: ['/v0/postings/brightwave/5f1a3c2e-8b4d-4e6f-9a1b-2c3d4e5f6a01', '5f1a3c2e-8b4d-4e6f-9a1b-2c3d4e5f6a01'],
  smartrecruiters: ['/v1/companies/BrightwaveLabs/postings/744000012345671', '3f6b2a1e-7c4d-4e5f-8a9b-1c2d3e4f5a01'],
  workday: ['/wday/cxs/brightwave/External/job/London/Senior-Software-Engineer_JR-1001', 'JR-1001'],
  personio: ['/xml?language=en', null],
};

/** A valid submission per vendor that takes them (email: a fresh address). */
const SUBMITS = {
  greenhouse: (b, email, signal) => call('POST', `${b}/v1/boards/brightwave/jobs/4012003`, { signal, json: { first_name: 'A', last_name: 'B', email },
    headers: { authorization: `Basic ${Buffer.from('gh-test-key:').toString('base64')}` } }),
  recruitee: (b, email, signal) => call('POST', `${b}/api/offers/devops-engineer/candidates`, { signal, json: { candidate: { name: 'A B', email,
    remote_cv_url: 'https://example.org/cv.pdf', open_question_answers_attributes: [{ open_question_id: 286311, multi_content: ['Terraform'] },
      { open_question_id: 286312, content: '2' }] } } }),
  lever: (b, email, signal) => call('POST', `${b}/v0/postings/brightwave/9e4f1b36-5c7d-4e8f-a0b1-c2d3e4f5a603?key=lever-test-key`, { signal, json: { name: 'A B', email } }),
  smartrecruiters: (b, email, signal) => call('POST', `${b}/postings/3f6b2a1e-7c4d-4e5f-8a9b-1c2d3e4f5a02/candidates`, { signal, headers: { 'x-smarttoken': 'sr-test-token' },
    json: { firstName: 'A', lastName: 'B', email, consentDecisions: { SMART_RECRUIT: true },
      answers: [{ id: '9c2d3e4f-0001-4b5c-8d6e-7f8a9b0c1d01', records: [{ license: 'no' }] }, { id: '9c2d3e4f-0002-4b5c-8d6e-7f8a9b0c1d02', records: [{ years: 'lt3' }] }] } }),
  personio: (b, email, signal) => call('POST', `${b}/v1/recruiting/applications`, { signal, headers: { authorization: 'Bearer personio-test-token', 'x-company-id': '12345' },
    json: { first_name: 'A', last_name: 'B', email, job_position_id: 1304503 } }),
};

async function checkSubmitMisbehaviour(site, check, vendor) {
  const h = atsHelpers(site);
  const submit = (n, signal) => SUBMITS[vendor](h.base(vendor), `probe${n}@example.org`, signal);
  const fine = await submit(1);
  check(fine.status < 300 && (await h.last(vendor)).accepted, `${vendor}: probe submission accepted (${fine.status})`);
  await h.set(vendor, { mode: '500', on: 'submit' });
  const failed = await submit(2);
  let rec = await h.last(vendor);
  check(failed.status === 500 && rec.status_returned === 500 && !rec.accepted, `${vendor}: submit mode 500 -> 500, recorded, not saved`);
  await h.set(vendor, { mode: 'malformed' });
  const garbled = await submit(3);
  rec = await h.last(vendor);
  check(garbled.status === fine.status && (fine.text === '' || garbled.text.length < fine.text.length) && rec.accepted,
    `${vendor}: submit mode malformed -> saved, the answer spoiled`);
  await h.set(vendor, { mode: 'hang' });
  let hung = false;
  try { await submit(4, AbortSignal.timeout(300)); } catch { hung = true; }
  rec = await h.last(vendor);
  check(hung, `${vendor}: submit mode hang -> no answer`);
  check(rec.status_returned === null && !rec.accepted, `${vendor}: hung submission recorded with status_returned null`);
  await h.set(vendor, { mode: 'ok', on: 'all' });
}

async function checkMisbehaviour(site, check, vendor) {
  const h = atsHelpers(site);
  const [path, id] = READS[vendor];
  const url = h.base(vendor) + path;
  await h.admin('POST', `/${vendor}/reset`); // the vendor's own checks closed jobs
  const fine = await call('GET', url);
  check(fine.status === 200, `${vendor}: read ${path} -> 200`);
  await h.set(vendor, { mode: '500' });
  check((await call('GET', url)).status === 500, `${vendor}: mode 500 -> 500`);
  await h.set(vendor, { mode: '429', retry_after: 7 });
  const limited = await call('GET', url);
  check(limited.status === 429 && limited.headers.get('retry-after') === '7', `${vendor}: mode 429 -> 429 with Retry-After: 7`);
  await h.set(vendor, { mode: 'malformed' });
  const broken = await call('GET', url);
  check(broken.status === 200 && broken.text.length > 0 && broken.text.length < fine.text.length && broken.text === fine.text.slice(0, broken.text.length),
    `${vendor}: mode malformed -> 200 with half the body`);
  await h.set(vendor, { mode: 'truncated' });
  let cut = false;
  try { await call('GET', url); } catch { cut = true; }
  check(cut, `${vendor}: mode truncated -> connection cut mid-body`);
  await h.set(vendor, { mode: 'hang' });
  let hung = false;
  try { await call('GET', url, { signal: AbortSignal.timeout(300) }); } catch { hung = true; }
  check(hung, `${vendor}: mode hang -> no answer`);
  await h.set(vendor, { mode: 'slow', delay_ms: 250 });
  const t0 = Date.now();
  const slow = await call('GET', url);
  check(slow.status === 200 && slow.text === fine.text && Date.now() - t0 >= 240, `${vendor}: mode slow -> the same answer after delay_ms`);
  await h.set(vendor, { mode: '500', on: 'submit' });
  check((await call('GET', url)).status === 200, `${vendor}: mode on submit leaves reads alone`);
  await h.set(vendor, { mode: 'ok', on: 'all' });
  // per job where the read names one (Personio's feed does not: its jobs' settings apply to applications)
  if (id) await h.setJob(vendor, id, { mode: '500', n: 1 });
  else await h.set(vendor, { mode: '500', n: 1 });
  const codes = [(await call('GET', url)).status, (await call('GET', url)).status];
  check(codes.join() === '500,200', `${vendor}: ${id ? 'per-job' : 'vendor'} mode 500 with n=1 -> ${codes}`);
  check((await h.set(vendor, { mode: 'sometimes' })) === 400 && (await h.setJob(vendor, 'no-such-job', {})) === 404,
    `${vendor}: bad admin input -> 400, unknown job -> 404`);
  check((await h.admin('POST', `/${vendor}/reset`)).status === 200 && (await h.subs(vendor)).length === 0, `${vendor}: vendor reset`);
}

export async function checkAts(site, check) {
  await checkGreenhouse(site, check);
  await checkRecruitee(site, check);
  await checkLever(site, check);
  await checkSmartRecruiters(site, check);
  await checkWorkday(site, check);
  await checkPersonio(site, check);
  for (const vendor of Object.keys(READS)) await checkMisbehaviour(site, check, vendor);
  for (const vendor of Object.keys(SUBMITS)) await checkSubmitMisbehaviour(site, check, vendor);
  const all = await call('GET', `${site}/__admin/ats`);
  check(all.status === 200 && Object.keys(all.json.vendors).length === Object.keys(READS).length, 'GET /__admin/ats lists every vendor');
}
