// personio-jobs.mjs — the published positions of the fake Personio account "brightwave" (company
// id 12345), as the XML feed and the Recruiting API of personio/api-docs
// personio-recruiting-api.yaml describe them: a position's fields and its jobDescriptions per
// feed language. The feed has no application form; ATTRIBUTES are the applicant attributes the
// account has configured (custom_attribute_{n}, seen only in Personio's settings, so listed here
// and in README.md), CHANNELS its recruiting channels.

const d = (...pairs) => pairs.map(([name, value]) => ({ name, value }));

export const DEFAULT_LANGUAGE = 'de';
export const LANGUAGES = ['de', 'en', 'fr', 'es', 'nl', 'it', 'pt'];

export const POSITIONS = [
  {
    id: 1304501, subcompany: '', office: 'München', department: 'Finance', recruitingCategory: 'Finance',
    employmentType: 'permanent', seniority: 'experienced', schedule: 'full-time', yearsOfExperience: '2-5',
    keywords: 'Buchhaltung,Accounting,DATEV,Finanzen', occupation: 'accounting', occupationCategory: 'accounting_and_finance',
    createdAt: '2024-04-29T09:00:00+02:00',
    texts: {
      de: { name: 'Buchhalter (m/w/d)', descriptions: d(['Deine Aufgaben', '<ul><li>Kreditoren- und Debitorenbuchhaltung</li><li>Monatsabschlüsse mit DATEV</li></ul>'],
        ['Dein Profil', '<ul><li>Abgeschlossene Ausbildung als Steuerfachangestellte/r</li><li>3 Jahre Berufserfahrung</li></ul>']) },
      en: { name: 'Accountant (m/f/d)', descriptions: d(['Your tasks', '<ul><li>Accounts payable and receivable</li><li>Monthly closing in DATEV</li></ul>'],
        ['Your profile', '<ul><li>Completed training as a tax clerk</li><li>3 years of experience</li></ul>']) },
    },
  },
  {
    id: 1304502, subcompany: '', office: 'Berlin', department: 'Customer Success', recruitingCategory: 'Customer Success',
    employmentType: 'permanent', seniority: 'experienced', schedule: 'full-time', yearsOfExperience: '1-2',
    keywords: 'Customer Success,SaaS,B2B,Onboarding', occupation: 'customer_success', occupationCategory: 'customer_service',
    createdAt: '2024-05-02T10:30:00+02:00',
    texts: {
      de: { name: 'Customer Success Manager (m/w/d)', descriptions: d(['Deine Aufgaben', '<p>Du begleitest unsere Kunden vom Onboarding bis zur Verlängerung.</p>']) },
      en: { name: 'Customer Success Manager (m/f/d)', descriptions: d(['Your tasks', '<p>You guide our customers from onboarding to renewal.</p>']) },
      es: { name: 'Customer Success Manager (h/m/d)', descriptions: d(['Tus funciones', '<p>Acompañarás a nuestros clientes desde el onboarding hasta la renovación.</p>']) },
    },
  },
  {
    id: 1304503, subcompany: 'Brightwave Labs France SAS', office: 'Paris', department: 'Marketing', recruitingCategory: 'Marketing',
    employmentType: 'intern', seniority: 'student', schedule: 'full-time', yearsOfExperience: 'lt-1',
    keywords: 'Stage,Marketing,Contenu', occupation: 'marketing', occupationCategory: 'marketing_and_communications',
    createdAt: '2024-05-06T08:00:00+02:00',
    texts: {
      fr: { name: 'Stagiaire Marketing (H/F)', descriptions: d(['Vos missions', '<ul><li>Rédiger nos études de cas</li><li>Animer nos réseaux sociaux</li></ul>'],
        ['Votre profil', '<p>Étudiant·e en école de commerce, stage de 6 mois.</p>']) },
      en: { name: 'Marketing Intern (m/f/d)', descriptions: d(['Your tasks', '<ul><li>Write our case studies</li><li>Run our social channels</li></ul>']) },
    },
  },
];

/** The account's applicant attributes: system ones (the API docs' list) and custom ones. */
export const ATTRIBUTES = {
  birthday: { type: 'DATE' },
  gender: { type: 'OPTION', options: ['male', 'female', 'diverse', 'undefined'] },
  location: { type: 'TEXT' },
  phone: { type: 'TEXT' },
  available_from: { type: 'TEXT' },
  salary_expectations: { type: 'TEXT' },
  custom_attribute_4711: { type: 'TEXT', label: 'LinkedIn-Profil' },
  custom_attribute_4712: { type: 'OPTION', label: 'Kündigungsfrist', options: ['keine', '1 Monat', '3 Monate'] },
  custom_attribute_4713: { type: 'DATE', label: 'Frühester Eintrittstermin' },
};

export const CHANNELS = [501, 502]; // careers page, LinkedIn
export const SYSTEM_PHASES = ['unassigned', 'rejected', 'withdrawn', 'offer', 'accepted'];
export const FILE_CATEGORIES = ['cv', 'cover-letter', 'employment-reference', 'certificate', 'work-sample', 'other'];
export const DOCUMENT_EXTENSIONS = ['pdf', 'pptx', 'xlsx', 'docx', 'doc', 'xls', 'ppt', 'ods', 'odt', '7z', 'gz', 'rar', 'zip', 'bmp',
  'gif', 'jpg', 'png', 'tif', 'csv', 'txt', 'rtf', 'mp4', '3gp', 'mov', 'avi', 'wmv'];
