// lever-jobs.mjs — the postings of the fake Lever site "brightwave". The posting fields follow the
// Postings API README (lever/postings-api); `required` (standard fields the account made
// required, which the README says the POST API enforces), `urls` (the link fields shown), `eeo`
// and `cards` (custom question cards of the hosted form, {id, text, fields: [{type, text,
// required, options: [{text}]}]}) describe the hosted application page, which Lever does not
// document: card field types text, textarea, dropdown, multiple-choice, multiple-select as seen
// on live pages.

const card = (id, text, fields) => ({ id, text, fields: fields.map((fd) => ({ description: '', ...fd })) });
const opts = (...texts) => texts.map((text) => ({ text }));

export const EEO = {
  gender: ['Male', 'Female', 'Decline to self-identify'],
  race: ['Hispanic or Latino', 'White (Not Hispanic or Latino)', 'Black or African American (Not Hispanic or Latino)',
    'Native Hawaiian or Other Pacific Islander (Not Hispanic or Latino)', 'Asian (Not Hispanic or Latino)',
    'American Indian or Alaska Native (Not Hispanic or Latino)', 'Two or More Races (Not Hispanic or Latino)', 'Decline to self-identify'],
  veteran: ['I am a veteran', 'I am not a veteran', 'Decline to self-identify'],
  disability: ['Yes, I have a disability, or have a history/record of having a disability',
    "No, I don't have a disability, or a history/record of having a disability", "I don't wish to answer"],
};

export const POSTINGS = [
  {
    id: '5f1a3c2e-8b4d-4e6f-9a1b-2c3d4e5f6a01', text: 'Product Designer', lang: 'en',
    categories: { commitment: 'Full-time', department: 'Product', location: 'Austin, TX', team: 'Design', allLocations: ['Austin, TX'] },
    country: 'US', workplaceType: 'hybrid', createdAt: 1714553600000,
    opening: '<div>Brightwave Labs builds the data platform behind 2,000 logistics companies.</div>',
    descriptionBody: '<div><b>What you will do</b></div><div>Own the end-to-end design of our route planner.</div>',
    lists: [{ text: 'Requirements', content: '<li>4+ years of product design</li><li>A portfolio of shipped work</li>' },
      { text: 'Benefits', content: '<li>Health, dental and vision</li><li>401(k) match</li>' }],
    additional: '<div>We are an equal opportunity employer.</div>',
    salaryRange: { currency: 'USD', interval: 'per-year-salary', min: 120000, max: 150000 },
    salaryDescription: '<div>Base salary; equity on top.</div>',
    required: ['resume', 'phone'], urls: ['LinkedIn', 'Portfolio', 'Other'], eeo: true,
    cards: [card('b3f0a7a2-1c2d-4e5f-8a9b-0c1d2e3f4a51', 'Additional questions', [
      { type: 'text', text: 'Portfolio password (if any)', required: false },
      { type: 'textarea', text: 'Tell us about a design decision you had to defend.', required: true },
      { type: 'dropdown', text: 'Years of product design experience', required: true, options: opts('0-2', '3-5', '6+') },
      { type: 'multiple-choice', text: 'Are you legally authorized to work in the United States?', required: true, options: opts('Yes', 'No') },
      { type: 'multiple-select', text: 'Which tools do you use every day?', required: false, options: opts('Figma', 'Sketch', 'Framer', 'Adobe XD') },
    ])],
  },
  {
    id: '7c2e9d14-3a5b-4c6d-8e7f-9a0b1c2d3e02', text: 'Backend-utvecklare', lang: 'sv',
    categories: { commitment: 'Heltid', department: 'Engineering', location: 'Stockholm', team: 'Platform', allLocations: ['Stockholm'] },
    country: 'SE', workplaceType: 'on-site', createdAt: 1714640000000,
    opening: '<div>Vill du bygga system som flyttar 40 000 händelser i sekunden?</div>',
    descriptionBody: '<div>Du utvecklar våra tjänster i Go och Rust.</div>',
    lists: [{ text: 'Vi söker dig som', content: '<li>Har 3+ års erfarenhet av backend</li><li>Talar svenska och engelska</li>' }],
    additional: '', required: ['resume'], urls: ['LinkedIn', 'GitHub'], eeo: false,
    cards: [card('d4e5f6a7-2b3c-4d5e-9f0a-1b2c3d4e5f62', 'Några frågor', [
      { type: 'text', text: 'Hur lång är din uppsägningstid?', required: false },
      { type: 'multiple-choice', text: 'Har du arbetstillstånd i Sverige?', required: true, options: opts('Ja', 'Nej') },
      { type: 'dropdown', text: 'Föredragen arbetsform', required: true, options: opts('På kontoret', 'Hybrid', 'Distans') },
    ])],
  },
  {
    id: '9e4f1b36-5c7d-4e8f-a0b1-c2d3e4f5a603', text: 'Kundesuccesmanager', lang: 'da',
    categories: { commitment: 'Fuldtid', department: 'Customer Success', location: 'København', team: 'Customer Success', allLocations: ['København', 'Aarhus'] },
    country: 'DK', workplaceType: 'remote', createdAt: 1714726400000,
    opening: '<div>Du bliver vores kunders vigtigste kontakt i Danmark.</div>',
    descriptionBody: '<div>Du onboarder nye kunder og sikrer, at de får værdi af platformen.</div>',
    lists: [{ text: 'Din profil', content: '<li>Erfaring med B2B SaaS</li><li>Flydende dansk</li>' }],
    additional: '', required: [], urls: ['LinkedIn'], eeo: false,
    cards: [card('e5f6a7b8-3c4d-4e5f-a0b1-2c3d4e5f6a73', 'Yderligere spørgsmål', [
      { type: 'textarea', text: 'Hvorfor vil du arbejde hos Brightwave Labs?', required: true },
      { type: 'multiple-select', text: 'Hvilke sprog taler du?', required: true, options: opts('Dansk', 'Engelsk', 'Tysk', 'Svensk') },
    ])],
  },
];
