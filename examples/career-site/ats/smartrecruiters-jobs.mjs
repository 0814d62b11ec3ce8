// smartrecruiters-jobs.mjs — the postings of the fake SmartRecruiters company "BrightwaveLabs":
// the Posting API fields (dev.smartrecruiters.com, Posting API; smartrecruiters-python-client
// docs/Posting.md) and each posting's Application API configuration (developers.smartrecruiters.com
// "Get application screening questions and privacy policies": questions [{id, label, repeatable,
// fields: [{id, label, type, required, complianceType, values: [{id, label}]}]}], settings with
// conditionals, privacyPolicies, consentDetails). The field `type` enum is not published; these
// follow the question formats the help centre lists (free text, single select, multi-select,
// currency, yes/no, information text, checkbox) plus DATE.

const v = (...pairs) => pairs.map(([id, label]) => ({ id, label }));
const field = (id, label, type, required, values = []) => ({ id, label, type, required, complianceType: null, values });
const question = (id, label, fields, repeatable = false) => ({ id, label, repeatable, fields });
const LEVELS = v(['a2', 'A2'], ['b1', 'B1'], ['b2', 'B2'], ['c1', 'C1'], ['c2', 'C2'], ['native', 'Madrelingua / Native']);

const ref = (label, id = label.toLowerCase().replace(/\W+/g, '_')) => ({ id, label });
const company = { identifier: 'BrightwaveLabs', name: 'Brightwave Labs' };

export const POSTINGS = [
  {
    id: '744000012345671', uuid: '3f6b2a1e-7c4d-4e5f-8a9b-1c2d3e4f5a01', name: 'Sviluppatore Frontend Senior',
    refNumber: 'REF-IT-0142', releasedDate: '2024-05-02T09:00:00.000Z', company,
    location: { city: 'Milano', region: 'Lombardia', country: 'it', remote: false, latitude: '45.4642', longitude: '9.1900' },
    industry: ref('Software'), department: ref('Engineering'), function: ref('Information Technology', 'information_technology'),
    typeOfEmployment: { id: 'permanent', label: 'Tempo indeterminato' }, experienceLevel: { id: 'mid_senior_level', label: 'Mid-Senior Level' },
    customField: [{ fieldId: 'COUNTRY', fieldLabel: 'Country', valueId: 'it', valueLabel: 'Italia' }],
    creator: { name: 'Giulia Romano' }, language: { code: 'it', label: 'Italian', labelNative: 'Italiano' },
    jobAd: { sections: {
      companyDescription: { title: 'Chi siamo', text: '<p>Brightwave Labs costruisce la piattaforma dati della logistica.</p>' },
      jobDescription: { title: 'Descrizione del lavoro', text: '<p>Guiderai lo sviluppo della nostra app React per i pianificatori.</p>' },
      qualifications: { title: 'Requisiti', text: '<ul><li>5+ anni di React e TypeScript</li></ul>' },
      additionalInformation: { title: 'Informazioni aggiuntive', text: '<p>Lavoro ibrido, 3 giorni in ufficio.</p>' } } },
    configuration: {
      questions: [
        question('8b1c2d3e-0001-4a5b-9c6d-7e8f9a0b1c01', 'Permesso di lavoro', [
          field('workPermit', 'Hai un permesso di lavoro valido per l\'Italia?', 'RADIO', true, v(['yes', 'Sì'], ['no', 'No']))]),
        question('8b1c2d3e-0002-4a5b-9c6d-7e8f9a0b1c02', 'Esperienza con React', [
          field('reactYears', 'Quanti anni di esperienza hai con React?', 'SINGLE_SELECT', true, v(['0_2', '0-2'], ['3_5', '3-5'], ['6_plus', '6+']))]),
        question('8b1c2d3e-0003-4a5b-9c6d-7e8f9a0b1c03', 'Framework', [
          field('frameworks', 'Quali di questi strumenti usi regolarmente?', 'MULTI_SELECT', false, v(['next', 'Next.js'], ['vite', 'Vite'], ['redux', 'Redux'], ['graphql', 'GraphQL']))]),
        question('8b1c2d3e-0004-4a5b-9c6d-7e8f9a0b1c04', 'Retribuzione desiderata', [
          field('amount', 'Retribuzione annua lorda', 'CURRENCY', true),
          field('currency', 'Valuta', 'SINGLE_SELECT', true, v(['EUR', 'EUR'], ['CHF', 'CHF']))]),
        question('8b1c2d3e-0005-4a5b-9c6d-7e8f9a0b1c05', 'Lingue', [
          field('language', 'Lingua', 'SINGLE_SELECT', true, v(['it', 'Italiano'], ['en', 'Inglese'], ['de', 'Tedesco'], ['fr', 'Francese'])),
          field('level', 'Livello', 'SINGLE_SELECT', true, LEVELS)], true),
        question('8b1c2d3e-0006-4a5b-9c6d-7e8f9a0b1c06', 'Presentazione', [
          field('intro', 'Raccontaci un progetto di cui sei orgoglioso/a', 'TEXTAREA', false)]),
        question('8b1c2d3e-0007-4a5b-9c6d-7e8f9a0b1c07', 'Informativa', [
          field('info', 'I tuoi dati saranno trattati secondo la nostra informativa sulla privacy.', 'INFORMATION', false)]),
        question('8b1c2d3e-0008-4a5b-9c6d-7e8f9a0b1c08', 'Dichiarazione', [
          field('truthful', 'Confermo che le informazioni fornite sono veritiere', 'CHECKBOX', true)]),
      ],
      conditionals: [{
        parentQuestionId: '8b1c2d3e-0001-4a5b-9c6d-7e8f9a0b1c01', fieldId: 'workPermit', valueIds: ['no'],
        conditionalQuestions: [question('8b1c2d3e-0009-4a5b-9c6d-7e8f9a0b1c09', 'Visto', [
          field('visaDetails', 'Di quale visto avresti bisogno e da quando potresti lavorare in Italia?', 'TEXTAREA', true)])],
      }],
      consentScopes: [{ scope: 'SINGLE', required: true, label: 'Acconsento al trattamento dei miei dati personali da parte di Brightwave Labs e SmartRecruiters.' }],
    },
  },
  {
    id: '744000012345672', uuid: '3f6b2a1e-7c4d-4e5f-8a9b-1c2d3e4f5a02', name: 'Ejecutivo/a de Ventas B2B',
    refNumber: 'REF-ES-0077', releasedDate: '2024-05-03T09:00:00.000Z', company,
    location: { city: 'Madrid', region: 'Comunidad de Madrid', country: 'es', remote: false },
    industry: ref('Software'), department: ref('Sales'), function: ref('Sales'),
    typeOfEmployment: { id: 'permanent', label: 'Indefinido' }, experienceLevel: { id: 'associate', label: 'Associate' },
    customField: [], creator: { name: 'Javier Ortega' }, language: { code: 'es', label: 'Spanish', labelNative: 'Español' },
    jobAd: { sections: {
      companyDescription: { title: 'Sobre nosotros', text: '<p>Brightwave Labs conecta a 2.000 empresas de logística.</p>' },
      jobDescription: { title: 'Descripción del empleo', text: '<p>Gestionarás la cartera de clientes de la zona centro.</p>' },
      qualifications: { title: 'Requisitos', text: '<ul><li>3 años de venta B2B</li><li>Carné de conducir B</li></ul>' },
      additionalInformation: { title: 'Información adicional', text: '<p>Coche de empresa y variable.</p>' } } },
    configuration: {
      questions: [
        question('9c2d3e4f-0001-4b5c-8d6e-7f8a9b0c1d01', 'Carné de conducir', [
          field('license', '¿Tienes carné de conducir B?', 'RADIO', true, v(['yes', 'Sí'], ['no', 'No']))]),
        question('9c2d3e4f-0002-4b5c-8d6e-7f8a9b0c1d02', 'Experiencia', [
          field('years', 'Años de experiencia en venta B2B', 'SINGLE_SELECT', true, v(['lt3', 'Menos de 3'], ['3_5', '3-5'], ['gt5', 'Más de 5']))]),
        question('9c2d3e4f-0003-4b5c-8d6e-7f8a9b0c1d03', 'Idiomas', [
          field('languages', '¿Qué idiomas hablas con fluidez?', 'MULTI_SELECT', false, v(['es', 'Español'], ['en', 'Inglés'], ['pt', 'Portugués'], ['fr', 'Francés']))]),
        question('9c2d3e4f-0004-4b5c-8d6e-7f8a9b0c1d04', 'LinkedIn', [field('linkedin', 'Enlace a tu perfil de LinkedIn', 'INPUT_TEXT', false)]),
      ],
      conditionals: [{
        parentQuestionId: '9c2d3e4f-0001-4b5c-8d6e-7f8a9b0c1d01', fieldId: 'license', valueIds: ['yes'],
        conditionalQuestions: [question('9c2d3e4f-0005-4b5c-8d6e-7f8a9b0c1d05', 'Vehículo', [
          field('car', '¿Dispones de vehículo propio?', 'RADIO', true, v(['yes', 'Sí'], ['no', 'No']))])],
      }],
      consentScopes: [
        { scope: 'SMART_RECRUIT', required: true, label: 'Tratamiento de mis datos para este proceso de selección.' },
        { scope: 'SMART_CRM', required: false, label: 'Conservar mis datos para futuras ofertas.' },
      ],
    },
  },
  {
    id: '744000012345673', uuid: '3f6b2a1e-7c4d-4e5f-8a9b-1c2d3e4f5a03', name: 'Data Analyst',
    refNumber: 'REF-UK-0203', releasedDate: '2024-05-06T09:00:00.000Z', company,
    location: { city: 'London', region: 'England', country: 'gb', remote: true },
    industry: ref('Software'), department: ref('Data'), function: ref('Analyst'),
    typeOfEmployment: { id: 'permanent', label: 'Full-time' }, experienceLevel: { id: 'entry_level', label: 'Entry Level' },
    customField: [], creator: { name: 'Emma Clarke' }, language: { code: 'en', label: 'English', labelNative: 'English (UK)' },
    jobAd: { sections: {
      companyDescription: { title: 'Company Description', text: '<p>Brightwave Labs runs the data platform of 2,000 logistics firms.</p>' },
      jobDescription: { title: 'Job Description', text: '<p>Turn route and fleet data into decisions for our customers.</p>' },
      qualifications: { title: 'Qualifications', text: '<ul><li>Strong SQL</li><li>Python or R</li></ul>' },
      additionalInformation: { title: 'Additional Information', text: '<p>Remote within the UK.</p>' } } },
    configuration: {
      questions: [
        question('ad3e4f5a-0001-4c6d-9e7f-8a9b0c1d2e01', 'Right to work', [
          field('rightToWork', 'Do you have the right to work in the UK?', 'RADIO', true, v(['yes', 'Yes'], ['no', 'No']))]),
        question('ad3e4f5a-0002-4c6d-9e7f-8a9b0c1d2e02', 'Start date', [field('startDate', 'Earliest start date', 'DATE', true)]),
        question('ad3e4f5a-0003-4c6d-9e7f-8a9b0c1d2e03', 'Notice period', [
          field('notice', 'What is your notice period?', 'SINGLE_SELECT', false, v(['none', 'None'], ['1m', '1 month'], ['3m', '3 months']))]),
        question('ad3e4f5a-0004-4c6d-9e7f-8a9b0c1d2e04', 'SQL', [
          field('dialects', 'Which SQL dialects have you used?', 'MULTI_SELECT', true, v(['pg', 'PostgreSQL'], ['bq', 'BigQuery'], ['sf', 'Snowflake'], ['tsql', 'T-SQL']))]),
        question('ad3e4f5a-0005-4c6d-9e7f-8a9b0c1d2e05', 'Portfolio', [field('portfolio', 'Link to a portfolio or GitHub', 'INPUT_TEXT', false)]),
      ],
      conditionals: [],
      consentScopes: [{ scope: 'SINGLE', required: true, label: 'I consent to Brightwave Labs and SmartRecruiters processing my personal data.' }],
    },
  },
];
