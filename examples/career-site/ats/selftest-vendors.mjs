// selftest-vendors.mjs — one check per fake ATS vendor, run by selftest.mjs: reads, a valid
// submission accepted and recorded (file sha256 and name), invalid ones refused with the vendor's
// documented status and body, closed jobs, secrets changed through /__admin/ats.

import { PDF, atsHelpers, call, formOf, sha256 } from './selftest-lib.mjs';

// ---- Greenhouse ----------------------------------------------------------------------------

export async function checkGreenhouse(site, check) {
  const h = atsHelpers(site);
  const B = `${h.base('greenhouse')}/v1/boards/brightwave`;
  const auth = (key) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });
  const board = await call('GET', B);
  check(board.status === 200 && board.json.name === 'Brightwave Labs', 'greenhouse: GET board');
  const list = await call('GET', `${B}/jobs?content=true`);
  check(list.status === 200 && list.json.meta.total === 3 && list.json.jobs.length === 3, 'greenhouse: 3 jobs listed');
  check(new Set(list.json.jobs.map((j) => j.language)).size === 3 && list.json.jobs[0].content.includes('&lt;h2&gt;'),
    'greenhouse: three languages, content entity-escaped');
  const job = (await call('GET', `${B}/jobs/4012001?questions=true&pay_transparency=true`)).json;
  const types = new Set(job.questions.flatMap((q) => q.fields.map((fd) => fd.type)));
  check(['input_text', 'textarea', 'input_file', 'multi_value_single_select', 'multi_value_multi_select', 'input_hidden']
    .every((t) => types.has(t)), `greenhouse: every field type in questions (${[...types]})`);
  check(job.questions.some((q) => q.fields.map((fd) => fd.name).join() === 'resume,resume_text'), 'greenhouse: resume file or text');
  check(job.location_questions.length === 3 && job.compliance[0].type === 'eeoc' && job.demographic_questions.questions.length === 2 &&
    job.data_compliance[0].type === 'gdpr' && job.pay_input_ranges[0].currency_type === 'USD',
  'greenhouse: location_questions, compliance, demographic_questions, data_compliance, pay_input_ranges');
  check(!('questions' in (await call('GET', `${B}/jobs/4012001`)).json), 'greenhouse: questions only with ?questions=true');

  // a valid multipart application, then JSON with a base64 resume
  const good = [['first_name', 'Ada'], ['last_name', 'Lovelace'], ['email', 'ada@example.org'], ['phone', '+1 212 555 0100'],
    ['resume', { file: PDF, filename: 'ada-cv.pdf' }], ['question_30012003', 'Because.'], ['question_30012004', '1'],
    ['question_30012005', '0'], ['question_30012006[]', '50012061'], ['question_30012006[]', '50012064'],
    ['question_30012007', '50012072'], ['location', 'New York, NY'], ['latitude', '40.7'], ['longitude', '-74.0'],
    ['gender', '2'], ['demographic_answers[][question_id]', '4001'], ['demographic_answers[][answer_options][][answer_option_id]', '40012']];
  const ok = await call('POST', `${B}/jobs/4012001`, { form: formOf(good), headers: auth('gh-test-key') });
  check(ok.status === 200 && ok.json?.success === 'Candidate saved successfully', `greenhouse: valid multipart application -> 200 (${ok.status} ${ok.text})`);
  let rec = await h.last('greenhouse');
  check(rec.accepted && rec.job === '4012001' && rec.files[0].field === 'resume' && rec.files[0].sha256 === sha256(PDF) &&
    rec.files[0].filename === 'ada-cv.pdf', 'greenhouse: recorded with the file sha256 and name');
  check(JSON.stringify(rec.fields.question_30012006) === '["50012061","50012064"]' && rec.warnings.length === 0,
    'greenhouse: multi-select values recorded, no warnings for a complete answer');
  const json = { first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.org', resume_content: PDF.toString('base64'),
    resume_content_filename: 'grace.pdf', question_30012006: [50012062], data_compliance: { gdpr_demographic_data_consent_given: true } };
  const okJson = await call('POST', `${B}/jobs/4012001`, { json, headers: auth('gh-test-key') });
  rec = await h.last('greenhouse');
  check(okJson.status === 200 && rec.body_format === 'json' && rec.files[0].sha256 === sha256(PDF) && rec.files[0].filename === 'grace.pdf',
    'greenhouse: JSON application with base64 resume -> 200, file recorded');
  check(rec.warnings.some((w) => w.field === 'question_30012003' && w.problem === 'required_not_enforced'),
    'greenhouse: unanswered required custom question accepted (as documented) with a warning');

  // refusals
  const noAuth = await call('POST', `${B}/jobs/4012001`, { json });
  check(noAuth.status === 401 && noAuth.text.startsWith('HTTP Basic: Access denied.'), 'greenhouse: no Basic auth -> 401');
  const badKey = await call('POST', `${B}/jobs/4012001`, { json, headers: auth('nope') });
  check(badKey.status === 401 && badKey.text === 'Invalid Basic Auth credentials', 'greenhouse: wrong key -> 401');
  const noEmail = await call('POST', `${B}/jobs/4012001`, { json: { ...json, email: '' }, headers: auth('gh-test-key') });
  check(noEmail.status === 400 && noEmail.json.status === 400 && /email/.test(noEmail.json.error), 'greenhouse: no email -> 400 {status, error}');
  const badSelect = await call('POST', `${B}/jobs/4012001`, { json: { ...json, question_30012004: 5 }, headers: auth('gh-test-key') });
  check(badSelect.status === 400, 'greenhouse: a select value that is not an option -> 400');
  const empty = await call('POST', `${B}/jobs/4012001`, { form: formOf([...good.slice(0, 3), ['resume', { file: Buffer.alloc(0), filename: 'e.pdf' }]]), headers: auth('gh-test-key') });
  check(empty.status === 400 && /0 bytes/.test(empty.json.error), 'greenhouse: empty attachment -> 400');
  rec = await h.last('greenhouse');
  check(!rec.accepted && rec.status_returned === 400 && rec.errors.length > 0, 'greenhouse: refused application recorded as not accepted');

  // the accepted key is an admin setting
  check(await h.set('greenhouse', { api_key: 'rotated' }) === 200, 'greenhouse: admin sets api_key');
  check((await call('POST', `${B}/jobs/4012001`, { json, headers: auth('gh-test-key') })).status === 401 &&
    (await call('POST', `${B}/jobs/4012001`, { json, headers: auth('rotated') })).status === 200, 'greenhouse: the new key is the one accepted');
  await h.set('greenhouse', { api_key: 'gh-test-key' });

  // closed job
  await h.setJob('greenhouse', 4012002, { closed: true });
  const gone = await call('GET', `${B}/jobs/4012002?questions=true`);
  check(gone.status === 404 && gone.text === '{"status":404,"error":"Job not found"}', 'greenhouse: closed job -> 404 Job not found');
  check((await call('GET', `${B}/jobs`)).json.meta.total === 2, 'greenhouse: closed job not listed');
  check((await call('POST', `${B}/jobs/4012002`, { json, headers: auth('gh-test-key') })).status === 404, 'greenhouse: apply to closed job -> 404');
  check((await call('GET', `${h.base('greenhouse')}/v1/boards/other/jobs`)).text === '{"status":404,"error":"Job board not found"}',
    'greenhouse: unknown board -> 404 Job board not found');
}

// ---- Recruitee -----------------------------------------------------------------------------

export async function checkRecruitee(site, check) {
  const h = atsHelpers(site);
  const B = `${h.base('recruitee')}/api/offers`;
  const list = await call('GET', `${B}/`);
  check(list.status === 200 && list.json.offers.length === 3, 'recruitee: GET /api/offers/ lists 3 offers');
  const kinds = new Set(list.json.offers.flatMap((o) => o.open_questions.map((q) => q.kind)));
  check(['string', 'text', 'single_choice', 'multi_choice', 'date', 'salary', 'number', 'file', 'boolean', 'legal'].every((k) => kinds.has(k)),
    `recruitee: open_questions of every kind (${[...kinds]})`);
  check(list.json.offers.map((o) => Object.keys(o.translations)[0]).join() === 'nl,en,pl', 'recruitee: offers in nl, en, pl');
  const one = await call('GET', `${B}/devops-engineer`);
  check(one.status === 200 && one.json.offer.id === 1710002 && (await call('GET', `${B}/1710002`)).json.offer.slug === 'devops-engineer',
    'recruitee: GET one offer by slug or id');

  const json = { candidate: { name: 'Linus Dev', email: 'linus@example.org', remote_cv_url: 'https://example.org/cv.pdf',
    open_question_answers_attributes: [{ open_question_id: 286311, multi_content: ['Kubernetes', 'Terraform'] },
      { open_question_id: 286312, content: '4' }] } };
  const ok = await call('POST', `${B}/devops-engineer/candidates`, { json });
  check(ok.status === 201 && Number.isInteger(ok.json.candidate.id) && ok.json.candidate.open_question_answers.length === 2,
    `recruitee: JSON candidate -> 201 {candidate} (${ok.status} ${ok.text.slice(0, 120)})`);
  const form = [['candidate[name]', 'Sanne de Vries'], ['candidate[email]', 'sanne@example.nl'], ['candidate[phone]', '+31 20 123 4567'],
    ['candidate[cv]', { file: PDF, filename: 'sanne-cv.pdf' }]];
  const answers = [[286301, 'content', '3000'], [286302, 'content', 'Omdat ik graag help.'], [286303, 'content', '36 uur'],
    [286304, 'flag', 'false'], [286305, 'content', '2024-09-01'], [286306, 'flag', 'true']];
  answers.forEach(([id, k, val], i) => form.push([`candidate[open_question_answers_attributes][${i}][open_question_id]`, id],
    [`candidate[open_question_answers_attributes][${i}][${k}]`, val]));
  const okForm = await call('POST', `${B}/klantenservicemedewerker-amsterdam/candidates`, { form: formOf(form) });
  const rec = await h.last('recruitee');
  check(okForm.status === 201 && rec.accepted && rec.files[0].field === 'cv' && rec.files[0].sha256 === sha256(PDF) && rec.files[0].filename === 'sanne-cv.pdf',
    `recruitee: form-data candidate[...] with cv -> 201, file recorded (${okForm.status} ${okForm.text.slice(0, 160)})`);

  const noLegal = formOf(form.filter(([name]) => !name.endsWith('[5][flag]')));
  const refused = await call('POST', `${B}/klantenservicemedewerker-amsterdam/candidates`, { form: noLegal });
  check(refused.status === 422 && refused.json.errors['open_question_answers.286306'], 'recruitee: legal question not accepted -> 422 {errors}');
  const badChoice = structuredClone(json);
  badChoice.candidate.open_question_answers_attributes[0].multi_content = ['Nomad'];
  check((await call('POST', `${B}/devops-engineer/candidates`, { json: badChoice })).status === 422, 'recruitee: an answer not among the options -> 422');
  const noCv = structuredClone(json);
  delete noCv.candidate.remote_cv_url;
  const cvErr = await call('POST', `${B}/devops-engineer/candidates`, { json: noCv });
  check(cvErr.status === 422 && cvErr.json.errors.cv, 'recruitee: no cv where the offer requires one -> 422');
  check((await call('POST', `${B}/devops-engineer/candidates`, { json: { name: 'x' } })).status === 422, 'recruitee: no candidate object -> 422');

  await h.setJob('recruitee', 'devops-engineer', { closed: true });
  const gone = await call('GET', `${B}/devops-engineer`);
  check(gone.status === 404 && gone.text === '{"errors":{"detail":"Not Found"}}', 'recruitee: closed offer -> 404');
  check((await call('GET', `${B}/`)).json.offers.length === 2 && (await call('POST', `${B}/devops-engineer/candidates`, { json })).status === 404,
    'recruitee: closed offer not listed, apply -> 404');
  check((await call('GET', `${site}/recruitee/othercorp/api/offers/`)).status === 404, 'recruitee: unknown company -> 404');
}

// ---- Lever -----------------------------------------------------------------------------------

const unescapeHtml = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export async function checkLever(site, check) {
  const h = atsHelpers(site);
  const B = h.base('lever');
  const API = `${B}/v0/postings/brightwave`;
  const list = await call('GET', API);
  check(list.status === 200 && Array.isArray(list.json) && list.json.length === 3, 'lever: GET /v0/postings/brightwave -> 3 postings');
  const [designer, backend, cs] = list.json;
  check(designer.hostedUrl === `${B}/brightwave/${designer.id}` && designer.applyUrl === `${designer.hostedUrl}/apply` &&
    designer.categories.team === 'Design' && designer.salaryRange.currency === 'USD' && typeof designer.descriptionPlain === 'string',
  'lever: posting fields, hostedUrl and applyUrl on the fake');
  check((await call('GET', `${API}?team=Design`)).json.length === 1 && (await call('GET', `${API}?group=team`)).json[0].postings.length === 1 &&
    (await call('GET', `${API}?skip=1&limit=1`)).json[0].id === backend.id, 'lever: team filter, group, skip and limit');
  check((await call('GET', `${API}?mode=html`)).text.includes('class="posting"'), 'lever: mode=html lists postings as HTML');
  check((await call('GET', `${API}/${designer.id}`)).json.id === designer.id, 'lever: GET one posting');
  const missing = await call('GET', `${API}/00000000-0000-0000-0000-000000000000`);
  check(missing.status === 404 && missing.json.ok === false, 'lever: unknown posting -> 404 {ok:false, error}');

  const langs = [];
  let form = '';
  for (const p of list.json) {
    const html = (await call('GET', p.applyUrl)).text;
    langs.push(/<html lang="(\w+)">/.exec(html)[1]);
    if (p.id === designer.id) form = html;
  }
  check(langs.join() === 'en,sv,da', `lever: hosted apply pages in en, sv, da (${langs})`);
  const m = /name="cards\[([0-9a-f-]+)\]\[baseTemplate\]" value="([^"]*)"/.exec(form);
  const tpl = m && JSON.parse(unescapeHtml(m[2]));
  const card = m[1];
  check(tpl && tpl.fields.map((fd) => fd.type).join() === 'text,textarea,dropdown,multiple-choice,multiple-select',
    'lever: apply page has a card baseTemplate whose JSON lists text, textarea, dropdown, multiple-choice, multiple-select');
  check(tpl.fields.every((_, i) => form.includes(`name="cards[${card}][field${i}]"`)) && form.includes('name="urls[LinkedIn]"') &&
    form.includes('name="eeo[gender]"') && form.includes('name="resume"') && form.includes('name="consent[marketing]"'),
  'lever: apply page has cards[uuid][fieldN], urls[LinkedIn], eeo[gender], resume, consent inputs');

  const key = '?key=lever-test-key';
  const entries = [['name', 'Ada Lovelace'], ['email', 'ada@example.org'], ['phone', '+1 512 555 0101'], ['org', 'Analytical Engines'],
    ['resume', { file: PDF, filename: 'ada.pdf' }], ['urls[LinkedIn]', 'https://linkedin.com/in/ada'], ['urls[Portfolio]', 'https://ada.dev'],
    [`cards[${card}][baseTemplate]`, JSON.stringify(tpl)], [`cards[${card}][field1]`, 'Dark mode.'], [`cards[${card}][field2]`, '6+'],
    [`cards[${card}][field3]`, 'Yes'], [`cards[${card}][field4]`, 'Figma'], [`cards[${card}][field4]`, 'Framer'],
    ['eeo[gender]', 'Female'], ['consent[marketing]', 'true'], ['silent', 'true']];
  const ok = await call('POST', `${API}/${designer.id}${key}`, { form: formOf(entries) });
  let rec = await h.last('lever');
  check(ok.status === 200 && ok.json.ok === true && /^[0-9a-f-]{36}$/.test(ok.json.applicationId), `lever: multipart application -> 200 {ok, applicationId} (${ok.text})`);
  check(rec.accepted && rec.files[0].sha256 === sha256(PDF) && rec.files[0].filename === 'ada.pdf' && rec.warnings.length === 0 &&
    JSON.stringify(rec.fields.cards[card].field4) === '["Figma","Framer"]' && rec.fields.urls.LinkedIn === 'https://linkedin.com/in/ada',
  'lever: recorded with the resume sha256, card answers (multiple-select as a list), urls, no warnings');
  const hosted = await fetch(`${B}/brightwave/${designer.id}/apply`, { method: 'POST', body: formOf(entries), redirect: 'manual' });
  check(hosted.status === 303 && hosted.headers.get('location') === `/lever/brightwave/${designer.id}/thanks`,
    `lever: the apply page's own form (no key) -> 303 thanks (${hosted.status})`);
  const hostedBad = await call('POST', `${B}/brightwave/${designer.id}/apply`, { form: formOf(entries.filter(([n]) => !n.endsWith('[field3]'))) });
  check(hostedBad.status === 400 && hostedBad.text.includes('required_card_field_unanswered'), 'lever: the form enforces its required cards -> 400');
  const json = { name: 'Søren K', email: 'soren@example.dk', urls: { LinkedIn: 'https://linkedin.com/in/soren' }, consent: { marketing: true } };
  const okJson = await call('POST', `${API}/${cs.id}${key}`, { json });
  rec = await h.last('lever');
  check(okJson.status === 200 && okJson.json.ok && rec.warnings.some((w) => w.problem === 'required_card_field_unanswered'),
    'lever: JSON application -> 200; unanswered required card fields recorded as warnings');
  const noResume = await call('POST', `${API}/${backend.id}${key}`, { json });
  check(noResume.status === 400 && noResume.json.ok === false && /resume/.test(noResume.json.error), 'lever: a required resume missing (JSON) -> 400 {ok:false}');
  check((await call('POST', `${API}/${cs.id}${key}`, { json: { ...json, email: '' } })).json?.error === 'Missing required field: email',
    'lever: no email -> 400 Missing required field: email');
  const noKey = await call('POST', `${API}/${cs.id}`, { json });
  check(noKey.status === 401 && noKey.json.ok === false && !(await h.last('lever')).auth_ok, 'lever: no ?key= -> 401 {ok:false}');

  await h.set('lever', { rate_limit: 2 });
  const codes = [];
  for (let i = 0; i < 3; i++) {
    const r = await call('POST', `${API}/${cs.id}${key}`, { json });
    codes.push(r.status === 429 ? `429/${r.headers.get('retry-after')}` : r.status);
  }
  check(codes.join() === '200,200,429/1', `lever: rate_limit 2 -> third POST in a second 429 (${codes})`);
  await h.set('lever', { rate_limit: 0 });

  await h.setJob('lever', backend.id, { closed: true });
  check((await call('GET', `${API}/${backend.id}`)).status === 404 && (await call('GET', API)).json.length === 2 &&
    (await call('GET', `${B}/brightwave/${backend.id}/apply`)).status === 404 &&
    (await call('POST', `${API}/${backend.id}${key}`, { json })).status === 404, 'lever: closed posting -> 404 in API, hosted page and POST');
}

// ---- SmartRecruiters ------------------------------------------------------------------------------

export async function checkSmartRecruiters(site, check) {
  const h = atsHelpers(site);
  const B = h.base('smartrecruiters');
  const token = { 'x-smarttoken': 'sr-test-token' };
  const list = await call('GET', `${B}/v1/companies/BrightwaveLabs/postings`);
  check(list.status === 200 && list.json.totalFound === 3 && list.json.content.map((p) => p.language.code).join() === 'it,es,en',
    'smartrecruiters: Posting API lists 3 postings in it, es, en');
  const [it, es] = list.json.content;
  check((await call('GET', `${B}/v1/companies/BrightwaveLabs/postings?language=es`)).json.totalFound === 1, 'smartrecruiters: language filter');
  const det = await call('GET', `${B}/v1/companies/BrightwaveLabs/postings/${it.id}`);
  check(det.status === 200 && det.json.uuid === it.uuid && det.json.jobAd.sections.jobDescription.text.includes('React'), 'smartrecruiters: posting details with jobAd');
  check((await call('GET', `${B}/postings/${it.uuid}/configuration`)).status === 401, 'smartrecruiters: configuration without X-SmartToken -> 401');
  const plainCfg = (await call('GET', `${B}/postings/${it.uuid}/configuration`, { headers: token })).json;
  const cfg = (await call('GET', `${B}/postings/${it.uuid}/configuration?conditionalsIncluded=true`, { headers: token })).json;
  const types = new Set(cfg.questions.flatMap((q) => q.fields.map((fd) => fd.type)));
  check(cfg.questions.length === 8 && ['RADIO', 'SINGLE_SELECT', 'MULTI_SELECT', 'CURRENCY', 'TEXTAREA', 'INFORMATION', 'CHECKBOX'].every((t) => types.has(t)) &&
    cfg.questions.some((q) => q.repeatable) && cfg.privacyPolicies.length === 2 && cfg.consentDetails.scopes[0].scope === 'SINGLE',
  `smartrecruiters: configuration questions (${[...types]}), repeatable, privacy policies, consent`);
  check(cfg.settings.conditionals[0].valueIds[0] === 'no' && cfg.settings.conditionals[0].conditionalQuestions.length === 1 &&
    !('conditionals' in plainCfg.settings), 'smartrecruiters: conditional question only with conditionalsIncluded=true');

  const [qPermit, qReact, qFw, qSalary, qLang, , , qTruth] = cfg.questions.map((q) => q.id);
  const answers = [
    { id: qPermit, records: [{ workPermit: 'yes' }] }, { id: qReact, records: [{ reactYears: ['6_plus'] }] },
    { id: qFw, records: [{ frameworks: ['next', 'graphql'] }] }, { id: qSalary, records: [{ amount: '55000', currency: 'EUR' }] },
    { id: qLang, records: [{ language: 'it', level: 'native' }, { language: 'en', level: 'c1' }] }, { id: qTruth, records: [{ truthful: 'true' }] }];
  const body = { firstName: 'Giulia', lastName: 'Bianchi', email: 'giulia@example.it', phoneNumber: '+39 02 1234567',
    resume: { fileName: 'giulia.pdf', mimeType: 'application/pdf', fileContent: PDF.toString('base64') }, answers,
    consentDecisions: { SINGLE: true } };
  const ok = await call('POST', `${B}/postings/${it.uuid}/candidates`, { json: body, headers: token });
  const rec = await h.last('smartrecruiters');
  check(ok.status === 201 && ok.json.id && ok.json.createdOn && ok.json.candidatePortalUrl, `smartrecruiters: valid application -> 201 (${ok.status} ${ok.text.slice(0, 160)})`);
  check(rec.accepted && rec.files[0].field === 'resume' && rec.files[0].sha256 === sha256(PDF) && rec.files[0].filename === 'giulia.pdf',
    'smartrecruiters: recorded with the resume sha256 and name');
  const noPermit = { ...body, answers: [{ ...answers[0], records: [{ workPermit: 'no' }] }, ...answers.slice(1)] };
  const cond = await call('POST', `${B}/postings/${it.uuid}/candidates`, { json: noPermit, headers: token });
  const visa = cfg.settings.conditionals[0].conditionalQuestions[0].id;
  check(cond.status === 400 && cond.json.message === `The following screening questions are required: ${visa}.`,
    `smartrecruiters: conditional question required once its parent answer is "no" -> 400 (${cond.text.slice(0, 160)})`);
  noPermit.answers.push({ id: visa, records: [{ visaDetails: 'Blue Card, from September.' }] });
  check((await call('POST', `${B}/postings/${it.uuid}/candidates`, { json: noPermit, headers: token })).status === 201, 'smartrecruiters: conditional answered -> 201');
  const missing = await call('POST', `${B}/postings/${it.uuid}/candidates`, { json: { ...body, answers: answers.slice(1) }, headers: token });
  check(missing.status === 400 && missing.json.errors[0].message === `The following screening questions are required: ${qPermit}.`,
    'smartrecruiters: a required answer missing -> 400 with the documented message');
  const wrong = await call('POST', `${B}/postings/${it.uuid}/candidates`, { json: { ...body, answers: [{ id: qReact, records: [{ reactYears: '10' }] }, ...answers.slice(0, 1), ...answers.slice(2)] }, headers: token });
  check(wrong.status === 400 && wrong.json.errors.some((e) => e.message === `Values for the following screening questions' answers are incorrect: ${qReact}.`),
    'smartrecruiters: a value that is not an option -> 400 incorrect answers');
  check((await call('POST', `${B}/postings/${it.uuid}/candidates`, { json: { ...body, consentDecisions: { SINGLE: false } }, headers: token })).status === 400,
    'smartrecruiters: required consent not given -> 400');
  check((await call('POST', `${B}/postings/${it.uuid}/candidates`, { json: { ...body, email: undefined }, headers: token })).json.errors[0].message === 'email is required',
    'smartrecruiters: no email -> 400');
  check((await call('POST', `${B}/postings/${it.uuid}/candidates`, { json: body })).status === 401, 'smartrecruiters: apply without X-SmartToken -> 401');
  const esBody = { firstName: 'Lucía', lastName: 'García', email: 'lucia@example.es', consentDecisions: { SMART_RECRUIT: true },
    answers: [{ id: '9c2d3e4f-0001-4b5c-8d6e-7f8a9b0c1d01', records: [{ license: 'no' }] }, { id: '9c2d3e4f-0002-4b5c-8d6e-7f8a9b0c1d02', records: [{ years: 'gt5' }] }] };
  check((await call('POST', `${B}/postings/${es.uuid}/candidates`, { json: esBody, headers: token })).status === 201, 'smartrecruiters: es posting, separated consent -> 201');

  await h.setJob('smartrecruiters', es.uuid, { closed: true });
  check((await call('GET', `${B}/v1/companies/BrightwaveLabs/postings/${es.id}`)).status === 404 &&
    (await call('GET', `${B}/v1/companies/BrightwaveLabs/postings`)).json.totalFound === 2 &&
    (await call('POST', `${B}/postings/${es.uuid}/candidates`, { json: esBody, headers: token })).status === 404, 'smartrecruiters: closed posting -> 404, not listed');
  check(await h.set('smartrecruiters', { smart_token: 'new-token' }) === 200 &&
    (await call('GET', `${B}/postings/${it.uuid}/configuration`, { headers: { 'x-smarttoken': 'new-token' } })).status === 200, 'smartrecruiters: admin sets smart_token');
}

// ---- Workday -------------------------------------------------------------------------------------

export async function checkWorkday(site, check) {
  const h = atsHelpers(site);
  const B = h.base('workday');
  const CXS = `${B}/wday/cxs/brightwave/External`;
  const search = (body) => call('POST', `${CXS}/jobs`, { json: body });
  const found = await search({ appliedFacets: {}, limit: 20, offset: 0, searchText: '' });
  check(found.status === 200 && found.json.total === 3 && found.json.jobPostings[0].externalPath === '/job/London/Senior-Software-Engineer_JR-1001' &&
    found.json.jobPostings[0].bulletFields[0] === 'JR-1001', 'workday: CXS search lists 3 postings with externalPath and bulletFields');
  check((await search({ appliedFacets: {}, limit: 20, offset: 0, searchText: 'logistique' })).json.total === 1 &&
    (await search({ limit: 50 })).status === 400, 'workday: searchText filters; limit above 20 -> 400');
  const detail = await call('GET', `${CXS}/job/London/Senior-Software-Engineer_JR-1001`);
  check(detail.status === 200 && detail.json.jobPostingInfo.canApply === true && detail.json.jobPostingInfo.jobReqId === 'JR-1001' &&
    detail.json.hiringOrganization.name === 'Brightwave Labs', 'workday: jobPostingInfo with canApply');
  const langs = [];
  for (const p of found.json.jobPostings) langs.push(/<html lang="([\w-]+)">/.exec((await call('GET', `${B}/External${p.externalPath}`)).text)[1]);
  check(langs.join() === 'en-US,fr-FR,fi-FI', `workday: hosted pages in en, fr, fi (${langs})`);
  const page = await call('GET', `${B}/fr-FR/External/job/Lyon/Responsable-Logistique--H-F-_JR-1002/apply`);
  check(page.status === 200 && page.text.includes('"@type":"JobPosting"'), 'workday: hosted page (with locale, /apply) has a JSON-LD JobPosting');

  await h.setJob('workday', 'JR-1002', { closed: 'cannot_apply' });
  const cannot = await call('GET', `${CXS}/job/Lyon/Responsable-Logistique--H-F-_JR-1002`);
  check(cannot.status === 200 && cannot.json.jobPostingInfo.canApply === false, 'workday: closed cannot_apply -> canApply false');
  await h.setJob('workday', 'JR-1002', { closed: '404' });
  check((await call('GET', `${CXS}/job/Lyon/Responsable-Logistique--H-F-_JR-1002`)).status === 404 &&
    (await search({ limit: 20 })).json.total === 2, 'workday: closed 404 -> 404, not in the search');
  check((await h.setJob('workday', 'JR-1002', { closed: true })) === 400, 'workday: closed takes "404" or "cannot_apply"');
  check((await call('GET', `${site}/workday/other.wd1.myworkdayjobs.com/wday/cxs/other/External/job/x`)).status === 404, 'workday: unknown host -> 404');
}

// ---- Personio ------------------------------------------------------------------------------------

export async function checkPersonio(site, check) {
  const h = atsHelpers(site);
  const B = h.base('personio');
  const auth = { authorization: 'Bearer personio-test-token', 'x-company-id': '12345' };
  const de = await call('GET', `${B}/xml?language=de`);
  const names = (xml) => [...xml.matchAll(/<position>[\s\S]*?<name>([^<]*)<\/name>/g)].map((m) => m[1]);
  check(de.status === 200 && /^<\?xml[^>]*>\n<workzag-jobs>/.test(de.text) && names(de.text).length === 3 && de.text.includes('<![CDATA[') &&
    /<employmentType>permanent<\/employmentType>/.test(de.text), 'personio: XML feed with 3 positions, jobDescriptions in CDATA');
  check(names(de.text)[0] === 'Buchhalter (m/w/d)' && names((await call('GET', `${B}/xml?language=en`)).text)[0] === 'Accountant (m/f/d)' &&
    names((await call('GET', `${B}/xml?language=fr`)).text)[2] === 'Stagiaire Marketing (H/F)' &&
    names((await call('GET', `${B}/xml?language=es`)).text)[1] === 'Customer Success Manager (h/m/d)', 'personio: ?language= picks de, en, fr, es texts');

  const up = await call('POST', `${B}/v1/recruiting/applications/documents`, { form: formOf([['file', { file: PDF, filename: 'lebenslauf.pdf' }]]), headers: auth });
  check(up.status === 200 && up.json.size === PDF.length && up.json.extension === 'pdf' && up.json.original_filename === 'lebenslauf.pdf' &&
    up.json.mimetype === 'application/pdf', `personio: document upload -> 200 {uuid, size, mimetype, original_filename, extension} (${up.text})`);
  const badType = await call('POST', `${B}/v1/recruiting/applications/documents`, { form: formOf([['file', { file: PDF, filename: 'x.exe' }]]), headers: auth });
  check(badType.status === 422 && badType.json.errors[0].errors[0].reason === 'errors.invalid-file-type', 'personio: unsupported document type -> 422');
  const app = { first_name: 'Erika', last_name: 'Mustermann', email: 'erika@example.de', job_position_id: 1304501, recruiting_channel_id: 501,
    message: 'Guten Tag!', application_date: '2024-05-02', phase: { type: 'system', id: 'unassigned' }, tags: ['careers-page'],
    files: [{ uuid: up.json.uuid, original_filename: 'lebenslauf.pdf', category: 'cv' }],
    attributes: [{ id: 'phone', value: '+49 89 123456' }, { id: 'gender', value: 'female' }, { id: 'custom_attribute_4712', value: '3 Monate' }] };
  const ok = await call('POST', `${B}/v1/recruiting/applications`, { json: app, headers: auth });
  const rec = await h.last('personio');
  check(ok.status === 201 && rec.accepted && rec.job === '1304501', `personio: application -> 201 (${ok.status} ${ok.text})`);
  check(rec.files[0].category === 'cv' && rec.files[0].sha256 === sha256(PDF) && rec.files[0].filename === 'lebenslauf.pdf' && rec.files[0].source === 'upload',
    'personio: the uploaded cv is recorded with the application (sha256, name, category)');
  const again = await call('POST', `${B}/v1/recruiting/applications`, { json: app, headers: auth });
  check(again.status === 400 && again.json.errors[0].errors[0].reason === 'errors.applicant-already-exists', 'personio: the same email again -> 400 applicant-already-exists');
  const bad = await call('POST', `${B}/v1/recruiting/applications`, { json: { ...app, email: 'not-an-email', files: [{ uuid: '00000000-0000-0000-0000-000000000000', original_filename: 'x.pdf', category: 'cv' }],
    attributes: [{ id: 'gender', value: 'robot' }, { id: 'custom_attribute_9999', value: 'x' }] }, headers: auth });
  const reasons = Object.fromEntries((bad.json?.errors || []).map((e) => [e.field, e.errors[0].reason]));
  check(bad.status === 400 && reasons.email === 'errors.attribute-validation.invalid-email-format' && reasons['files[0].uuid'] === 'errors.file-validation.file-not-exists' &&
    reasons['attributes[0]'] === 'errors.attribute-validation.unknown-attribute-option' && reasons['attributes[1]'] === 'errors.attribute-validation.unknown',
  `personio: invalid application -> 400 {errors: [{field, errors: [{reason}]}]} (${JSON.stringify(reasons)})`);
  const noAuth = await call('POST', `${B}/v1/recruiting/applications`, { json: app, headers: { authorization: 'Bearer personio-test-token' } });
  check(noAuth.status === 401 && noAuth.json.errors[0].status === '401', 'personio: no X-Company-ID -> 401');

  await h.setJob('personio', '1304502', { closed: true });
  check(names((await call('GET', `${B}/xml?language=de`)).text).length === 2, 'personio: a closed position disappears from the feed');
  const closed = await call('POST', `${B}/v1/recruiting/applications`, { json: { ...app, email: 'x@example.de', job_position_id: 1304502, files: [] }, headers: auth });
  check(closed.status === 400 && closed.json.errors[0].errors[0].reason === 'errors.job-position.not-published', 'personio: applying to it -> 400 not-published');
}

