// jobs.mjs — the job catalogue of the sample career site.
//
// Purpose: one place that says, for every job the fake employer advertises, which HTML
// template renders it, where its application form posts to, and which fields the server
// validates on submission. The HTML templates under pages/ are the source of truth for what
// a form extractor sees; the `fields` lists here are the server's copy of the same rules
// (selftest.mjs checks that every field named here really appears in its template).
//
// Field descriptor: { name, type, required, label, options?, showIf? }
//   type     one of text, email, tel, url, number, date, textarea, select, radio,
//            checkbox (single), checkboxes (group sharing one name), file
//   required true when the server answers 422 without it (files must be non-empty)
//   options  allowed values for select / radio / checkboxes (anything else is a 422)
//   showIf   [fieldName, value]: the field is only shown (and only validated) when the other
//            field has that value; mirrors the template's data-show-if="NAME=VALUE"

/** Company name used by the page chrome and the JSON state. */
export const COMPANY = 'Brightwave Labs';

// ---- backend-engineer -------------------------------------------------------------------

const EEO_GENDER = ['male', 'female', 'non_binary', 'decline'];
const EEO_RACE = [
  'hispanic_latino', 'white', 'black_african_american', 'asian',
  'native_hawaiian_pacific_islander', 'american_indian_alaska_native', 'two_or_more', 'decline',
];
const EEO_VETERAN = ['protected_veteran', 'not_protected_veteran', 'decline'];
const EEO_DISABILITY = ['yes', 'no', 'decline'];

const BACKEND_V1 = [
  { name: 'first_name', type: 'text', required: true, label: 'First name' },
  { name: 'last_name', type: 'text', required: true, label: 'Last name' },
  { name: 'email', type: 'email', required: true, label: 'Email address' },
  { name: 'phone', type: 'tel', required: true, label: 'Phone' },
  { name: 'linkedin_url', type: 'url', required: false, label: 'LinkedIn profile' },
  { name: 'portfolio_url', type: 'url', required: false, label: 'Portfolio or GitHub URL' },
  { name: 'years_experience', type: 'number', required: true, label: 'Years of professional experience' },
  { name: 'team', type: 'select', required: true, label: 'Which team interests you most?',
    options: ['platform', 'payments', 'data', 'infrastructure'] },
  { name: 'skills[]', type: 'checkboxes', required: false, label: 'Languages you use professionally',
    options: ['go', 'rust', 'c', 'python'] },
  { name: 'work_arrangement', type: 'radio', required: true, label: 'Preferred work arrangement',
    options: ['remote', 'onsite', 'hybrid'] },
  { name: 'timezone', type: 'text', required: true, label: 'Which timezone are you in?',
    showIf: ['work_arrangement', 'remote'] },
  { name: 'start_date', type: 'date', required: false, label: 'Earliest start date' },
  { name: 'motivation', type: 'textarea', required: true, label: 'Why do you want to join us?' },
  { name: 'resume', type: 'file', required: true, label: 'Resume / CV' },
  { name: 'cover_letter', type: 'file', required: false, label: 'Cover letter' },
  { name: 'eeo_gender', type: 'select', required: false, label: 'Gender', options: EEO_GENDER },
  { name: 'eeo_race', type: 'select', required: false, label: 'Race / ethnicity', options: EEO_RACE },
  { name: 'eeo_veteran', type: 'radio', required: false, label: 'Veteran status', options: EEO_VETERAN },
  { name: 'eeo_disability', type: 'radio', required: false, label: 'Disability status', options: EEO_DISABILITY },
  { name: 'privacy_policy', type: 'checkbox', required: true, label: 'I have read and accept the privacy policy',
    options: ['yes'] },
  { name: 'talent_pool', type: 'checkbox', required: false, label: 'Keep me in the talent pool', options: ['yes'] },
];

// v2: the employer edited the form — a new required visa question, the optional portfolio
// URL is gone. Everything else is unchanged.
const BACKEND_V2 = [];
for (const f of BACKEND_V1) {
  if (f.name === 'portfolio_url') continue;
  BACKEND_V2.push(f);
  if (f.name === 'start_date') {
    BACKEND_V2.push({ name: 'visa_sponsorship', type: 'radio', required: true,
      label: 'Do you need visa sponsorship?', options: ['yes', 'no'] });
  }
}

// ---- vertriebsmitarbeiter (German) --------------------------------------------------------

const SALES_DE = [
  { name: 'anrede', type: 'select', required: true, label: 'Anrede', options: ['herr', 'frau', 'divers'] },
  { name: 'vorname', type: 'text', required: true, label: 'Vorname' },
  { name: 'nachname', type: 'text', required: true, label: 'Nachname' },
  { name: 'field_123', type: 'email', required: true, label: 'E-Mail-Adresse' },
  { name: 'field_124', type: 'tel', required: true, label: 'Telefonnummer' },
  { name: 'geburtsdatum', type: 'date', required: false, label: 'Geburtsdatum' },
  { name: 'strasse', type: 'text', required: false, label: 'Straße und Hausnummer' },
  { name: 'field_125', type: 'text', required: true, label: 'PLZ' },
  { name: 'field_126', type: 'text', required: true, label: 'Wohnort' },
  { name: 'lebenslauf', type: 'file', required: true, label: 'Lebenslauf' },
  { name: 'anschreiben', type: 'file', required: false, label: 'Anschreiben' },
  { name: 'gehaltsvorstellung', type: 'number', required: false, label: 'Gehaltsvorstellung (brutto, EUR/Jahr)' },
  { name: 'eintrittstermin', type: 'date', required: false, label: 'Frühester Eintrittstermin' },
  { name: 'quelle', type: 'radio', required: false, label: 'Wie sind Sie auf uns aufmerksam geworden?',
    options: ['stellenportal', 'linkedin', 'empfehlung', 'messe', 'sonstiges'] },
  { name: 'datenschutz', type: 'checkbox', required: true, label: 'Datenschutzerklärung akzeptieren', options: ['1'] },
];

// ---- developpeur-web (French) -------------------------------------------------------------

const DEV_FR = [
  { name: 'prenom', type: 'text', required: true, label: 'Prénom' },
  { name: 'nom', type: 'text', required: true, label: 'Nom' },
  { name: 'courriel', type: 'email', required: true, label: 'Adresse e-mail' },
  { name: 'telephone', type: 'tel', required: false, label: 'Téléphone' },
  { name: 'cv', type: 'file', required: true, label: 'CV' },
  { name: 'lettre_motivation', type: 'textarea', required: true, label: 'Lettre de motivation' },
  { name: 'disponibilite', type: 'date', required: false, label: 'Disponibilité' },
  { name: 'cgu', type: 'checkbox', required: true, label: "J'accepte les conditions générales", options: ['oui'] },
];

// ---- disenador-ux (Spanish) ---------------------------------------------------------------

const UX_ES = [
  { name: 'nombre', type: 'text', required: true, label: 'Nombre' },
  { name: 'apellidos', type: 'text', required: true, label: 'Apellidos' },
  { name: 'correo', type: 'email', required: true, label: 'Correo electrónico' },
  { name: 'telefono', type: 'tel', required: false, label: 'Teléfono' },
  { name: 'curriculum', type: 'file', required: true, label: 'Currículum' },
  { name: 'pais', type: 'select', required: true, label: 'País de residencia', options: ['ES', 'MX', 'AR', 'CO', 'US'] },
  { name: 'privacidad', type: 'checkbox', required: true, label: 'Acepto la política de privacidad', options: ['si'] },
];

// ---- hostile-labels (markup and script as text) -------------------------------------------

// Labels and options that carry markup: the page escapes them, so they are plain text to a
// browser and to an extractor; whatever shows them (the dashboard) must keep them text.
const HOSTILE = [
  { name: 'full_name', type: 'text', required: true, label: "Full name <script>alert('label')</script>" },
  { name: 'email', type: 'email', required: true, label: 'Email "><img src=x onerror=alert(\'email\')>' },
  { name: 'favourite_tag', type: 'select', required: true, label: 'Favourite tag', options: ['script', 'img', 'plain'] },
  { name: 'cover_note', type: 'textarea', required: false, label: 'Cover note' },
];

/**
 * Every job, keyed by slug.
 *   templates   form variant -> page template file (jobs without a form have only "v1")
 *   fields      form variant -> field descriptors (absent: the job has no application form)
 *   action      the form's action attribute, given the page's origin (http://host:port)
 *   submit      { path, query? } a POST to that path (and query parameter values) is a
 *               submission for this job
 *   defaults    the job's admin settings after start and after POST /__admin/reset
 */
export const JOBS = {
  'backend-engineer': {
    title: 'Senior Backend Engineer (C / Go)',
    lang: 'en',
    jobId: 'BW-1042',
    location: 'Berlin, Germany · Remote within EU',
    templates: { v1: 'backend-engineer.html', v2: 'backend-engineer-v2.html' },
    fields: { v1: BACKEND_V1, v2: BACKEND_V2 },
    // root-relative path
    action: () => '/jobs/backend-engineer/apply',
    submit: { path: '/jobs/backend-engineer/apply' },
  },
  vertriebsmitarbeiter: {
    title: 'Vertriebsmitarbeiter (m/w/d) im Außendienst',
    lang: 'de',
    jobId: 'BW-2107',
    location: 'München',
    templates: { v1: 'vertriebsmitarbeiter.html' },
    fields: { v1: SALES_DE },
    // query-only reference: resolves to the page's own path plus this query
    action: () => '?schritt=absenden',
    submit: { path: '/jobs/vertriebsmitarbeiter', query: { schritt: 'absenden' } },
  },
  'developpeur-web': {
    title: 'Développeur Web Full-Stack (H/F)',
    lang: 'fr',
    jobId: 'BW-3310',
    location: 'Lyon, France',
    templates: { v1: 'developpeur-web.html' },
    fields: { v1: DEV_FR },
    // document-relative path: resolves against /jobs/developpeur-web to /jobs/developpeur-web/postuler
    action: () => 'developpeur-web/postuler',
    submit: { path: '/jobs/developpeur-web/postuler' },
  },
  'disenador-ux': {
    title: 'Diseñador/a UX Senior',
    lang: 'es',
    jobId: 'BW-4021',
    location: 'Madrid, España · Híbrido',
    templates: { v1: 'disenador-ux.html' },
    fields: { v1: UX_ES },
    // absolute URL to the same host, outside /jobs, with a query string
    action: (origin) => `${origin}/postular?vacante=disenador-ux`,
    submit: { path: '/postular', query: { vacante: 'disenador-ux' } },
  },
  'hostile-labels': {
    title: 'Security Tester (web)',
    lang: 'en',
    jobId: 'BW-6660',
    location: 'Remote',
    templates: { v1: 'hostile-labels.html' },
    fields: { v1: HOSTILE },
    action: () => '/jobs/hostile-labels/apply',
    submit: { path: '/jobs/hostile-labels/apply' },
  },
  'office-manager': {
    title: 'Office Manager (part-time)',
    lang: 'en',
    jobId: 'BW-5003',
    location: 'Berlin, Germany',
    templates: { v1: 'office-manager.html' },
  },
  'closed-role': {
    title: 'Data Engineer (Contract)',
    lang: 'en',
    jobId: 'BW-0999',
    location: 'Remote',
    templates: { v1: 'job-closed.html' },
  },
};

/** Admin settings every job starts with (see README "Control API"). */
export function defaultSettings() {
  return { offline: false, form_variant: 'v1', submit: 'ok', n: 0, page: 'ok' };
}

/**
 * Finds the job a POST is a submission for, or null.
 * @param {string} pathname request path without the query
 * @param {URLSearchParams} query the request's query parameters
 */
export function jobForSubmission(pathname, query) {
  for (const [slug, job] of Object.entries(JOBS)) {
    if (!job.submit || job.submit.path !== pathname) continue;
    const want = job.submit.query || {};
    if (Object.entries(want).every(([k, v]) => query.get(k) === v)) return slug;
  }
  return null;
}
