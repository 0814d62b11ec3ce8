// greenhouse-jobs.mjs — the job posts of the fake Greenhouse board "brightwave", in the shapes of
// the Job Board API docs (grnhse/greenhouse-api-docs source/includes/job-board/_jobs.md).
// `questions` lists every documented field type; `compliance` (EEOC) is not shown in the docs,
// so its shape (blocks {type, description, questions}) and string values follow live responses
// quoted in third-party code, and its fields and value ids follow the JSON submission example
// (gender, race, veteran_status, disability_status) and Harvest's EEOC reference.

const yesNo = (yes = 'Yes', no = 'No') => [{ value: 1, label: yes }, { value: 0, label: no }];
const q = (label, required, fields, description = null) => ({ required, label, description, fields });
const f = (name, type, values = []) => ({ name, type, values });

const person = (first, last, email, phone, resume, resumeText) => [
  q(first, true, [f('first_name', 'input_text')]),
  q(last, true, [f('last_name', 'input_text')]),
  q(email, true, [f('email', 'input_text')]),
  q(phone, false, [f('phone', 'input_text')]),
  q(resume, true, [f('resume', 'input_file'), f('resume_text', 'textarea')]),
];

const locationQuestions = (required) => [
  q('Location', required, [f('location', 'input_text')]),
  q('Latitude', required, [f('latitude', 'input_hidden')]),
  q('Longitude', required, [f('longitude', 'input_hidden')]),
];

// EEOC questions (US job posts with EEOC enabled). Values are strings in live responses.
const EEOC = [
  {
    type: 'eeoc',
    description: '<p>Brightwave Labs is an equal opportunity employer. Completion of this form is voluntary; ' +
      'declining will not subject you to any adverse treatment.</p>',
    questions: [
      q('Gender', false, [f('gender', 'multi_value_single_select', [
        { label: 'Male', value: '1' }, { label: 'Female', value: '2' }, { label: 'Decline To Self Identify', value: '3' }])]),
      q('Race', false, [f('race', 'multi_value_single_select', [
        { label: 'American Indian or Alaskan Native', value: '1' }, { label: 'Asian', value: '2' },
        { label: 'Black or African American', value: '3' }, { label: 'Hispanic or Latino', value: '4' },
        { label: 'White', value: '5' }, { label: 'Native Hawaiian or Other Pacific Islander', value: '6' },
        { label: 'Two or More Races', value: '7' }, { label: 'Decline To Self Identify', value: '8' }])]),
      q('VeteranStatus', false, [f('veteran_status', 'multi_value_single_select', [
        { label: 'I am not a protected veteran', value: '1' },
        { label: 'I identify as one or more of the classifications of a protected veteran', value: '2' },
        { label: "I don't wish to answer", value: '3' }])]),
    ],
  },
  {
    type: 'eeoc',
    description: '<p>Voluntary Self-Identification of Disability — Form CC-305. PUBLIC BURDEN STATEMENT: ' +
      'this survey should take about 5 minutes to complete.</p>',
    questions: [
      q('DisabilityStatus', false, [f('disability_status', 'multi_value_single_select', [
        { label: 'Yes, I have a disability, or have had one in the past', value: '1' },
        { label: 'No, I do not have a disability and have not had one in the past', value: '2' },
        { label: 'I do not want to answer', value: '3' }])]),
    ],
  },
];

export const BOARD = {
  name: 'Brightwave Labs',
  content: '<p>We build the data platform behind 2,000 logistics companies. Join us in New York, Berlin or Lisbon.</p>',
};

export const JOBS = [
  {
    id: 4012001, internal_job_id: 2203001, requisition_id: 'BW-ENG-101', language: 'en',
    title: 'Senior Backend Engineer', location: { name: 'New York, NY' },
    updated_at: '2024-05-02T10:15:00-04:00', first_published: '2024-04-22T09:00:00-04:00',
    departments: [{ id: 81001, name: 'Engineering', parent_id: null, child_ids: [] }],
    offices: [{ id: 91001, name: 'New York', location: 'New York, NY, United States', parent_id: null, child_ids: [] }],
    metadata: [{ id: 12001, name: 'Employment Type', value_type: 'single_select', value: 'Full-time' }],
    content: '<h2>About the role</h2><p>You will design the ingestion services that move 40k events per second ' +
      'through our platform.</p><ul><li>Go or Rust in production</li><li>PostgreSQL at scale</li></ul>',
    questions: [
      ...person('First Name', 'Last Name', 'Email', 'Phone', 'Resume/CV'),
      q('Cover Letter', false, [f('cover_letter', 'input_file'), f('cover_letter_text', 'textarea')]),
      q('LinkedIn Profile', false, [f('question_30012001', 'input_text')]),
      q('Website', false, [f('question_30012002', 'input_text')]),
      q('Why do you want to work at Brightwave Labs?', true, [f('question_30012003', 'textarea')]),
      q('Are you legally authorized to work in the United States?', true, [f('question_30012004', 'multi_value_single_select', yesNo())]),
      q('Will you now or in the future require sponsorship for employment visa status?', true,
        [f('question_30012005', 'multi_value_single_select', yesNo())]),
      q('Which of these languages have you used in production?', false, [f('question_30012006[]', 'multi_value_multi_select', [
        { value: 50012061, label: 'Go' }, { value: 50012062, label: 'Rust' }, { value: 50012063, label: 'C' },
        { value: 50012064, label: 'Python' }, { value: 50012065, label: 'Java' }])]),
      q('How did you hear about this job?', true, [f('question_30012007', 'multi_value_single_select', [
        { value: 50012071, label: 'LinkedIn' }, { value: 50012072, label: 'Employee referral' },
        { value: 50012073, label: 'Conference or meetup' }, { value: 50012074, label: 'Other' }])]),
      q('Code sample', false, [f('question_30012008', 'input_file')], '<p>A link-free sample of code you are proud of (PDF or TXT).</p>'),
      q('Campaign', false, [f('question_30012009', 'input_hidden')]),
    ],
    location_questions: locationQuestions(true),
    compliance: EEOC,
    demographic_questions: {
      header: 'Diversity and Inclusion at Brightwave Labs',
      description: '<p>We invite you to answer these optional questions; your answers are never seen by the hiring team.</p>',
      questions: [
        { id: 4001, label: 'How would you describe your gender identity?', required: false, type: 'multi_value_single_select',
          answer_options: [{ id: 40011, label: 'Man', free_form: false }, { id: 40012, label: 'Woman', free_form: false },
            { id: 40013, label: 'Non-binary', free_form: false }, { id: 40014, label: 'Prefer to self-describe', free_form: true },
            { id: 40015, label: 'I prefer not to answer', free_form: false }] },
        { id: 4002, label: 'Which of the following best describe you? (select all that apply)', required: false,
          type: 'multi_value_multi_select',
          answer_options: [{ id: 40021, label: 'First-generation college student', free_form: false },
            { id: 40022, label: 'Caregiver', free_form: false }, { id: 40023, label: 'Veteran', free_form: false },
            { id: 40024, label: 'Something else', free_form: true }] },
      ],
    },
    data_compliance: [{ type: 'gdpr', requires_consent: false, requires_processing_consent: false,
      requires_retention_consent: false, retention_period: null, demographic_data_consent_applies: true }],
    pay_input_ranges: [{ min_cents: 16000000, max_cents: 21000000, currency_type: 'USD', title: 'New York Salary Range',
      blurb: 'The base salary range for this role in New York is listed below.' }],
  },
  {
    id: 4012002, internal_job_id: 2203002, requisition_id: 'BW-DATA-207', language: 'de',
    title: 'Werkstudent (m/w/d) Data Engineering', location: { name: 'Berlin' },
    updated_at: '2024-05-03T08:30:00+02:00', first_published: '2024-04-29T09:00:00+02:00',
    departments: [{ id: 81002, name: 'Data', parent_id: null, child_ids: [] }],
    offices: [{ id: 91002, name: 'Berlin', location: 'Berlin, Deutschland', parent_id: null, child_ids: [] }],
    metadata: [{ id: 12001, name: 'Employment Type', value_type: 'single_select', value: 'Werkstudent' }],
    content: '<h2>Deine Aufgaben</h2><ul><li>Du baust ELT-Pipelines mit dbt und Airflow</li><li>Du pflegst unser ' +
      'Data Warehouse</li></ul><h2>Dein Profil</h2><p>Eingeschriebenes Studium der Informatik oder Mathematik.</p>',
    questions: [
      ...person('Vorname', 'Nachname', 'E-Mail', 'Telefon', 'Lebenslauf'),
      q('Anschreiben', false, [f('cover_letter', 'input_file'), f('cover_letter_text', 'textarea')]),
      q('Wie viele Stunden pro Woche kannst du arbeiten?', true, [f('question_30022001', 'multi_value_single_select', [
        { value: 50022011, label: 'bis 15 Stunden' }, { value: 50022012, label: '15–20 Stunden' }])]),
      q('Bist du an einer Hochschule immatrikuliert?', true, [f('question_30022002', 'multi_value_single_select', yesNo('Ja', 'Nein'))]),
      q('Frühester Starttermin', true, [f('question_30022003', 'input_text')]),
      q('Mit welchen Tools hast du schon gearbeitet?', false, [f('question_30022004[]', 'multi_value_multi_select', [
        { value: 50022041, label: 'SQL' }, { value: 50022042, label: 'dbt' }, { value: 50022043, label: 'Airflow' },
        { value: 50022044, label: 'Spark' }])]),
      q('Immatrikulationsbescheinigung', false, [f('question_30022005', 'input_file')]),
    ],
    data_compliance: [{ type: 'gdpr', requires_consent: true, requires_processing_consent: false,
      requires_retention_consent: false, retention_period: 365, demographic_data_consent_applies: false }],
  },
  {
    id: 4012003, internal_job_id: 2203003, requisition_id: 'BW-DATA-311', language: 'pt',
    title: 'Engenheiro(a) de Dados Sénior', location: { name: 'Lisboa, Portugal' },
    updated_at: '2024-05-06T11:00:00+01:00', first_published: '2024-05-06T11:00:00+01:00',
    departments: [{ id: 81002, name: 'Data', parent_id: null, child_ids: [] }],
    offices: [{ id: 91003, name: 'Lisboa', location: 'Lisboa, Portugal', parent_id: null, child_ids: [] }],
    metadata: null,
    content: '<h2>O que vais fazer</h2><p>Vais liderar a modelação de dados da nossa plataforma de logística.</p>' +
      '<ul><li>5+ anos com SQL e Python</li><li>Experiência com Kafka</li></ul>',
    questions: [
      ...person('Nome próprio', 'Apelido', 'E-mail', 'Telefone', 'Currículo'),
      q('Porque te queres juntar à Brightwave Labs?', true, [f('question_30032001', 'textarea')]),
      q('Tens autorização de trabalho em Portugal?', true, [f('question_30032002', 'multi_value_single_select', yesNo('Sim', 'Não'))]),
      q('Pretensão salarial anual bruta (EUR)', false, [f('question_30032003', 'input_text')]),
    ],
    location_questions: locationQuestions(false),
    data_compliance: [{ type: 'gdpr', requires_consent: false, requires_processing_consent: true,
      requires_retention_consent: true, retention_period: 730, demographic_data_consent_applies: false }],
  },
];
