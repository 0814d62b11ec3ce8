// workday.mjs — fake Workday career site (https://{host}, e.g. acme.wd5.myworkdayjobs.com),
// mounted at /workday/{host}. Workday documents no public API for career sites, and no way to
// apply without a candidate account: this fake serves what is used to discover jobs and tell
// whether they can be applied to, in the shapes independent scrapers agree on:
//   POST /wday/cxs/{tenant}/{site}/jobs        {appliedFacets, limit (<= 20), offset, searchText}
//                                              -> {total, jobPostings: [...], facets, userAuthenticated}
//   GET  /wday/cxs/{tenant}/{site}{externalPath}   -> {jobPostingInfo: {... canApply ...}, hiringOrganization, ...}
//   GET  /[{locale}/]{site}/job/...            the hosted page: an HTML shell with og: tags and a
//                                              JSON-LD JobPosting (the real page renders in the browser)
// A closed job answers 404 (closed "404") or stays posted with canApply false (closed
// "cannot_apply"). Guessed: the error bodies, the 400 for a limit above 20.

import { ATS_BASES } from './bases.mjs';
import { JOBS } from './workday-jobs.mjs';
import { serve } from './common.mjs';

const HOST = ATS_BASES.workday.account;
const TENANT = 'brightwave';
const SITE = 'External';
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const error = (status, message) => ({ status, json: { errorCode: `HTTP_${status}`, httpStatus: status, message } });
const NOT_FOUND = error(404, 'The requested resource was not found');

function info(j, canApply) {
  return {
    jobPostingInfo: {
      id: j.id, title: j.title, jobDescription: j.jobDescription, location: j.location, additionalLocations: j.additionalLocations,
      postedOn: j.postedOn, startDate: j.startDate, timeType: j.timeType, remoteType: j.remoteType, jobReqId: j.jobReqId,
      jobPostingId: j.externalPath.split('/').pop(), jobPostingSiteId: SITE, country: j.country, canApply, posted: true,
      includeResumeParsing: true, jobRequisitionLocation: { descriptor: j.location, country: j.country },
      externalUrl: `https://${HOST}/${SITE}${j.externalPath}`, questionnaireId: `${j.id.slice(0, 24)}q1`,
    },
    hiringOrganization: { name: 'Brightwave Labs', url: '' },
    similarJobs: [],
    userAuthenticated: false,
  };
}

function shell(j) {
  const ld = { '@context': 'http://schema.org', '@type': 'JobPosting', title: j.title, description: j.jobDescription,
    datePosted: j.startDate, identifier: { '@type': 'PropertyValue', name: j.title, value: j.jobReqId },
    hiringOrganization: { '@type': 'Organization', name: 'Brightwave Labs' },
    jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: j.location, addressCountry: j.country.descriptor } },
    employmentType: j.timeType };
  return `<!DOCTYPE html>\n<html lang="${j.lang}">\n<head>\n<meta charset="utf-8">\n<title>${esc(j.title)}</title>\n` +
    `<meta property="og:title" content="${esc(j.title)}">\n<meta property="og:description" content="${esc(j.jobDescription.replace(/<[^>]+>/g, ' ').trim())}">\n` +
    `<script type="application/ld+json">${JSON.stringify(ld).replace(/</g, '\\u003c')}</script>\n</head>\n` +
    '<body>\n<div id="root"></div>\n<noscript>This site requires JavaScript.</noscript>\n</body>\n</html>\n';
}

export default {
  name: 'workday',
  secrets: {},
  closedValues: [false, '404', 'cannot_apply'],
  jobIds: () => JOBS.map((j) => j.jobReqId),
  errorBody: (status) => error(status, { 404: 'The requested resource was not found', 413: 'Request Entity Too Large', 429: 'Too Many Requests' }[status] || 'Internal Server Error'),

  route(v, req, res, url, rest, ctx) {
    const [host, ...path] = rest;
    const closed = (j) => v.jobs[j.jobReqId].closed;
    const byPath = (p) => JOBS.find((j) => j.externalPath === p);
    if (path[0] === 'wday' && path[1] === 'cxs') {
      const [, , tenant, site, what, ...jobPath] = path;
      const known = host === HOST && tenant === TENANT && site === SITE;
      if (what === 'jobs' && jobPath.length === 0 && req.method === 'POST') {
        // a search is a read, though a POST: its body is small, read here
        return serve(v, req, res, url, ctx, { kind: 'read' }, async () => {
          const { body } = await ctx.readBody(req, ctx.maxAdmin);
          let q;
          try { q = JSON.parse(body.toString('utf8')); } catch { return error(400, 'Bad Request'); }
          if (!known) return NOT_FOUND;
          const limit = q?.limit ?? 20;
          if (!Number.isInteger(limit) || limit < 1 || limit > 20) return error(400, 'limit must be between 1 and 20');
          const text = String(q.searchText || '').toLowerCase();
          const found = JOBS.filter((j) => closed(j) !== '404' && j.title.toLowerCase().includes(text));
          const offset = Number(q.offset) || 0;
          return { status: 200, json: {
            total: found.length, userAuthenticated: false, facets: [],
            jobPostings: found.slice(offset, offset + limit).map((j) => ({ title: j.title, externalPath: j.externalPath,
              locationsText: j.additionalLocations.length ? `${j.additionalLocations.length + 1} Locations` : j.location,
              postedOn: j.postedOn, bulletFields: [j.jobReqId] })),
          } };
        });
      }
      if (what !== 'job' || jobPath.length === 0 || req.method !== 'GET') return false;
      const j = byPath(`/job/${jobPath.join('/')}`);
      return serve(v, req, res, url, ctx, { kind: 'read', jobOf: () => j?.jobReqId ?? null }, () => {
        if (!known || !j || closed(j) === '404') return NOT_FOUND;
        return { status: 200, json: info(j, closed(j) !== 'cannot_apply') };
      });
    }
    // the hosted page: /[{locale}/]{site}/job/{location}/{slug}[/apply[/applyManually]]
    const start = path[0] === SITE ? 0 : path[1] === SITE ? 1 : -1;
    if (req.method !== 'GET' || start < 0 || path[start + 1] !== 'job') return false;
    const tail = path.slice(start + 1);
    while (['apply', 'applyManually'].includes(tail.at(-1))) tail.pop();
    const j = byPath(`/${tail.join('/')}`);
    return serve(v, req, res, url, ctx, { kind: 'read', jobOf: () => j?.jobReqId ?? null }, () => {
      if (host !== HOST || !j || closed(j) === '404') return { status: 404, html: '<!DOCTYPE html>\n<html lang="en"><head><title>Page not found</title></head><body></body></html>\n' };
      return { status: 200, html: shell(j) };
    });
  },
};
