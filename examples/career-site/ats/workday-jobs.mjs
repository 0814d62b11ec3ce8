// workday-jobs.mjs — the job postings of the fake Workday tenant "brightwave" (site "External") on
// brightwave.wd3.myworkdayjobs.com. Workday documents no public API for its career sites; the
// CXS shapes these feed (jobPostings in search results, jobPostingInfo in a job's detail) follow
// what many independent scrapers agree on.

const UK = { descriptor: 'United Kingdom', id: '29247e57dbaf46fb855b224e03170bc7' };
const FR = { descriptor: 'France', id: '54c5b6971ffb4bf0b116fe7651ec789a' };
const FI = { descriptor: 'Finland', id: '4f1e63f2a1b14f3c9f0b6a3c8e7d5b21' };

export const JOBS = [
  {
    jobReqId: 'JR-1001', lang: 'en-US', id: '6f1a2b3c4d5e4f60a7b8c9d0e1f2a301', title: 'Senior Software Engineer',
    externalPath: '/job/London/Senior-Software-Engineer_JR-1001', location: 'London', country: UK,
    additionalLocations: ['Manchester'], timeType: 'Full time', remoteType: 'Hybrid', startDate: '2024-04-29', postedOn: 'Posted 3 Days Ago',
    jobDescription: '<p><b>About the team</b></p><p>We build the routing engine used by 2,000 logistics companies.</p>' +
      '<ul><li>Go or Java in production</li><li>Distributed systems</li></ul>',
  },
  {
    jobReqId: 'JR-1002', lang: 'fr-FR', id: '6f1a2b3c4d5e4f60a7b8c9d0e1f2a302', title: 'Responsable Logistique (H/F)',
    externalPath: '/job/Lyon/Responsable-Logistique--H-F-_JR-1002', location: 'Lyon', country: FR,
    additionalLocations: [], timeType: 'Temps plein', remoteType: 'On-site', startDate: '2024-05-02', postedOn: 'Publié il y a 2 jours',
    jobDescription: '<p><b>Vos missions</b></p><p>Vous pilotez notre entrepôt de Lyon et une équipe de 25 personnes.</p>' +
      '<ul><li>5 ans d\'expérience en logistique</li><li>Maîtrise d\'un WMS</li></ul>',
  },
  {
    jobReqId: 'JR-1003', lang: 'fi-FI', id: '6f1a2b3c4d5e4f60a7b8c9d0e1f2a303', title: 'Asiakaspalvelun tiiminvetäjä',
    externalPath: '/job/Helsinki/Asiakaspalvelun-tiiminvetaja_JR-1003', location: 'Helsinki', country: FI,
    additionalLocations: [], timeType: 'Kokoaikainen', remoteType: 'Hybrid', startDate: '2024-05-06', postedOn: 'Julkaistu tänään',
    jobDescription: '<p><b>Tehtävässä</b></p><p>Johdat kahdeksan hengen asiakaspalvelutiimiä Helsingissä.</p>' +
      '<ul><li>Kokemusta esihenkilötyöstä</li><li>Sujuva suomi ja englanti</li></ul>',
  },
];
