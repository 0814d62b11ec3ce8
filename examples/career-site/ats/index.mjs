// index.mjs — mounts the fake ATS vendor APIs in the sample career site (see bases.mjs for the
// URL layout and README.md "Fake ATS APIs" for every route and admin call).
//
// server.mjs calls routeAts() for every request outside /__admin, serveAtsAdmin() for
// /__admin/ats/..., and resetAts() on /__admin/reset. ctx carries what the server already has:
// readBody(req, limit), parseForm(body, contentType), hang(res), maxBody, maxAdmin, and origin
// (http://HOST:PORT as the client addressed the site, for URLs the fakes serve themselves).

import { ATS_BASES } from './bases.mjs';
import { VendorState, serveAtsAdmin as adminOf, write } from './common.mjs';
import greenhouse from './greenhouse.mjs';
import lever from './lever.mjs';
import personio from './personio.mjs';
import recruitee from './recruitee.mjs';
import smartrecruiters from './smartrecruiters.mjs';
import workday from './workday.mjs';

const DEFS = [greenhouse, recruitee, lever, smartrecruiters, workday, personio];

/** connector name -> VendorState */
export const vendors = Object.fromEntries(DEFS.map((d) => [d.name, new VendorState(d)]));
const byPrefix = new Map(DEFS.map((d) => [ATS_BASES[d.name].prefix, vendors[d.name]]));

/** Answers a request under a vendor prefix; false when the path is not one of them. */
export async function routeAts(req, res, url, ctx) {
  const segments = url.pathname.split('/').slice(1);
  const v = byPrefix.get(segments[0]);
  if (!v) return false;
  let rest;
  try { rest = segments.slice(1).map(decodeURIComponent); } catch { rest = null; }
  if (rest && rest.at(-1) === '') rest.pop(); // a trailing slash, as in /api/offers/
  const handled = rest && await v.def.route(v, req, res, url, rest, ctx);
  if (handled === false || !rest) write(res, v.def.errorBody(404));
  return true;
}

export const serveAtsAdmin = (req, res, url, ctx) => adminOf(vendors, req, res, url, ctx);

export function resetAts() {
  for (const v of Object.values(vendors)) v.reset();
}
