// bases.mjs — where each fake ATS vendor API is mounted in the sample career site.
//
// This URL layout is a contract with the engine's connectors: the connector NAME is given
// `--connector-base NAME=http://HOST:PORT<base>` and appends the vendor's own paths to it, as it
// would to the real API root. The fakes know one employer, Brightwave Labs, under these account
// names (board token, site, company identifier, host); other names answer as the vendor does
// for an unknown account. No imports, so the e2e harness can read it too.

/** connector name -> { prefix (first path segment), account, base (path to pass), real (real API root) } */
export const ATS_BASES = {
  greenhouse: { prefix: 'greenhouse', account: 'brightwave', base: '/greenhouse', real: 'https://boards-api.greenhouse.io' },
  recruitee: { prefix: 'recruitee', account: 'brightwave', base: '/recruitee/brightwave', real: 'https://brightwave.recruitee.com' },
  lever: { prefix: 'lever', account: 'brightwave', base: '/lever', real: 'https://jobs.lever.co and https://api.lever.co' },
  smartrecruiters: { prefix: 'smartrecruiters', account: 'BrightwaveLabs', base: '/smartrecruiters', real: 'https://api.smartrecruiters.com' },
  workday: {
    prefix: 'workday', account: 'brightwave.wd3.myworkdayjobs.com',
    base: '/workday/brightwave.wd3.myworkdayjobs.com', real: 'https://brightwave.wd3.myworkdayjobs.com',
  },
  personio: { prefix: 'personio', account: 'brightwave', base: '/personio/brightwave', real: 'https://brightwave.jobs.personio.de and https://api.personio.de' },
};
