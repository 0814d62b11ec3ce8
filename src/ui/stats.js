// stats.js - GET /v1/stats, the tenant's counters (overview, endpoint health). An engine
// without that route answers 404 "No such endpoint": then the stats are simply unavailable.
import { api } from './api.js';

/** The stats, or null when this engine has no /v1/stats. Other errors throw. */
export async function fetchStats(signal) {
  try {
    return await api('GET', '/v1/stats', { signal });
  } catch (e) {
    if (e.missingRoute) return null;
    throw e;
  }
}
