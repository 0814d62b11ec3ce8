// recruitee-jobs.mjs — the offers of the fake Recruitee careers site "brightwave", in the shape of
// the Careers Site API (https://docs.recruitee.com/reference/intro-to-careers-site-api):
// open_questions {id, kind, required, position, body, open_question_options} as the docs show;
// the other offer fields and the option objects ({id, body, position}) follow live answers
// quoted in third-party code. Between them the offers use every documented `kind`: string, text,
// single_choice, multi_choice, date, salary, number, file, boolean, legal.

const oq = (id, kind, required, position, body, options = []) => ({
  id, kind, required, position, body,
  open_question_options: options.map((o, i) => ({ id: id * 10 + i + 1, body: o, position: i + 1 })),
});

const offer = ({ lang, ...o }) => ({
  status: 'published', kind: 'job', company_name: 'Brightwave Labs', tags: [], close_at: null,
  careers_url: `https://brightwave.recruitee.com/o/${o.slug}`,
  careers_apply_url: `https://brightwave.recruitee.com/o/${o.slug}/c/new`,
  translations: { [lang]: { title: o.title, description: o.description, requirements: o.requirements } },
  ...o,
});

export const OFFERS = [
  offer({
    id: 1710001, slug: 'klantenservicemedewerker-amsterdam', lang: 'nl', position: 1,
    title: 'Klantenservicemedewerker (32–40 uur)', department: 'Customer Support',
    description: '<p>Als klantenservicemedewerker help je onze klanten via telefoon, chat en e-mail.</p>',
    requirements: '<ul><li>Je spreekt vloeiend Nederlands en Engels</li><li>Minimaal mbo-4 werk- en denkniveau</li></ul>',
    location: 'Amsterdam, Nederland', city: 'Amsterdam', country: 'Nederland', country_code: 'NL', state_code: 'NH', postal_code: '1012 AB',
    remote: false, hybrid: true, on_site: false, min_hours: 32, max_hours: 40,
    employment_type_code: 'fulltime_permanent', category_code: 'customer_support', experience_code: 'entry_level', education_code: 'vocational',
    salary: { min: '2800', max: '3300', currency: 'EUR', period: 'month' },
    created_at: '2024-04-30T08:00:00.000Z', updated_at: '2024-05-02T09:12:00.000Z', published_at: '2024-04-30T09:00:00.000Z',
    options_cv: 'required', options_cover_letter: 'optional', options_phone: 'required', options_photo: 'off',
    locations: [{ id: 88001, city: 'Amsterdam', country: 'Nederland', country_code: 'NL', state_code: 'NH', postal_code: '1012 AB' }],
    open_questions: [
      oq(286301, 'salary', true, 1, 'Wat is je gewenste bruto maandsalaris (EUR)?'),
      oq(286302, 'text', true, 2, 'Waarom wil je bij Brightwave Labs werken?'),
      oq(286303, 'single_choice', true, 3, 'Hoeveel uur per week wil je werken?', ['32 uur', '36 uur', '40 uur']),
      oq(286304, 'boolean', true, 4, 'Heb je ervaring met klantenservice?'),
      oq(286305, 'date', false, 5, 'Vanaf wanneer ben je beschikbaar?'),
      oq(286306, 'legal', true, 6, 'Ik ga akkoord met de privacyverklaring van Brightwave Labs.'),
    ],
  }),
  offer({
    id: 1710002, slug: 'devops-engineer', lang: 'en', position: 2,
    title: 'DevOps Engineer', department: 'Engineering',
    description: '<p>Own our Kubernetes platform and the CI that ships 60 deploys a day.</p>',
    requirements: '<ul><li>3+ years running Kubernetes in production</li><li>Terraform</li></ul>',
    location: 'Rotterdam, Netherlands', city: 'Rotterdam', country: 'Netherlands', country_code: 'NL', state_code: 'ZH', postal_code: '3011',
    remote: true, hybrid: false, on_site: false, min_hours: 40, max_hours: 40,
    employment_type_code: 'fulltime_permanent', category_code: 'engineering', experience_code: 'mid_level', education_code: 'bachelor_degree',
    salary: { min: '65000', max: '80000', currency: 'EUR', period: 'year' },
    created_at: '2024-05-01T08:00:00.000Z', updated_at: '2024-05-03T10:00:00.000Z', published_at: '2024-05-01T09:00:00.000Z',
    options_cv: 'required', options_cover_letter: 'off', options_phone: 'optional', options_photo: 'off',
    locations: [{ id: 88002, city: 'Rotterdam', country: 'Netherlands', country_code: 'NL', state_code: 'ZH', postal_code: '3011' }],
    open_questions: [
      oq(286311, 'multi_choice', true, 1, 'Which of these tools have you run in production?', ['Kubernetes', 'Terraform', 'Prometheus', 'ArgoCD']),
      oq(286312, 'number', true, 2, 'How many years of on-call experience do you have?'),
      oq(286313, 'string', false, 3, 'GitHub profile'),
      oq(286314, 'file', false, 4, 'Architecture diagram of a system you ran (optional)'),
      oq(286315, 'boolean', false, 5, 'Do you need visa sponsorship for the Netherlands?'),
    ],
  }),
  offer({
    id: 1710003, slug: 'specjalista-ds-rekrutacji', lang: 'pl', position: 3,
    title: 'Specjalista ds. rekrutacji', department: 'People',
    description: '<p>Poprowadzisz procesy rekrutacyjne dla zespołów w Warszawie i zdalnie.</p>',
    requirements: '<ul><li>2 lata doświadczenia w rekrutacji IT</li><li>Angielski na poziomie B2</li></ul>',
    location: 'Warszawa, Polska', city: 'Warszawa', country: 'Polska', country_code: 'PL', state_code: 'MZ', postal_code: '00-001',
    remote: false, hybrid: true, on_site: false, min_hours: 40, max_hours: 40,
    employment_type_code: 'fulltime_permanent', category_code: 'human_resources', experience_code: 'mid_level', education_code: 'bachelor_degree',
    salary: { min: '9000', max: '12000', currency: 'PLN', period: 'month' },
    created_at: '2024-05-04T08:00:00.000Z', updated_at: '2024-05-04T08:00:00.000Z', published_at: '2024-05-04T09:00:00.000Z',
    options_cv: 'optional', options_cover_letter: 'optional', options_phone: 'optional', options_photo: 'optional',
    locations: [{ id: 88003, city: 'Warszawa', country: 'Polska', country_code: 'PL', state_code: 'MZ', postal_code: '00-001' }],
    open_questions: [
      oq(286321, 'single_choice', true, 1, 'Jaki jest Twój poziom języka angielskiego?', ['B1', 'B2', 'C1', 'C2']),
      oq(286322, 'multi_choice', false, 2, 'Z jakich narzędzi ATS korzystałeś/aś?', ['Recruitee', 'Greenhouse', 'Workable', 'Inne']),
      oq(286323, 'text', false, 3, 'Opisz swój najtrudniejszy proces rekrutacyjny.'),
      oq(286324, 'legal', true, 4, 'Wyrażam zgodę na przetwarzanie moich danych osobowych w celu rekrutacji.'),
    ],
  }),
];
