// browser.mjs - parsing script-built pages through the engine's browser: pages per second
// with 1 and 2 browsers, the latency of one parse, memory per browser, and the limit measured
// in the same run (the same page parsed without a browser's work: a static page of the sample
// site, through the same engine).
//
//   node bench/browser.mjs [--pages 40] [--browsers 1,2]
//
// Each page is the sample site's /scripted/built (an empty shell whose script fetches the form
// description and builds the form), with a distinct query so every posting is new. Prints one
// line per browser count: pages/s, the p50/p90 of the engine's own page time (browser.page
// ms=, from load to read), and the largest memory of one browser (anonymous + shared pages of
// its process group, as the engine counts it) sampled every 200 ms.
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { arg } from './lib/common.mjs';

const { startEngine, startSite, client, waitFor } = await import('../tests/e2e/lib/harness.mjs');

const PAGES = Number(arg('--pages', '40'));
const COUNTS = arg('--browsers', '1,2').split(',').map(Number);

function groupsOf(pid) {
  const groups = new Set();
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const st = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) === pid && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('openapply-browser-')) groups.add(Number(f[2]));
    } catch { /* gone */ }
  }
  return groups;
}

function memoryOf(group) {
  let kb = 0;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const st = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[2]) !== group) continue;
      const r = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8');
      for (const m of r.matchAll(/^(Pss_Anon|Pss_Shmem):\s+(\d+)/gm)) kb += Number(m[2]);
    } catch { /* gone */ }
  }
  return kb * 1024;
}

const pct = (a, q) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };

async function run(site, browsers, path, n) {
  const engine = await startEngine({ args: ['--browsers', String(browsers), '--browser-timeout', '15s', '--workers', String(Math.max(2, browsers * 2))] });
  const api = client(engine);
  const sites = await api.post('/v1/ai-apply/career-sites', { label: 'bench' });
  const siteId = sites.json.data.id;
  let peak = 0;
  const sampler = setInterval(() => {
    for (const g of groupsOf(engine.proc.pid)) peak = Math.max(peak, memoryOf(g));
  }, 200);
  const t0 = performance.now();
  const ids = [];
  for (let i = 0; i < n; i++) {
    const r = await api.post('/v1/ai-apply/postings', { career_site_id: siteId, url: `${site.url}${path}?n=${i}-${Date.now()}` });
    ids.push(r.json.data.id);
  }
  await waitFor(async () => {
    const r = await api.get(`/v1/ai-apply/postings?page_size=250`);
    return r.json.data.results.filter((p) => p.availability !== 'PENDING').length === n;
  }, { ms: 600000, every: 100, what: 'every posting parsed' });
  const secs = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const ok = (await api.get('/v1/ai-apply/postings?page_size=250')).json.data.results.filter((p) => p.availability === 'APPLYABLE').length;
  const times = engine.stderr.filter((l) => l.includes('event=browser.page')).map((l) => Number(/ ms=(\d+)/.exec(l)[1]));
  await engine.stop();
  engine.cleanup();
  return { secs, ok, times, peak };
}

const site = await startSite();
try {
  const base = await run(site, 0, '/jobs/backend-engineer', PAGES);
  console.log(`limit (static page, no browser): ${(PAGES / base.secs).toFixed(1)} pages/s, ${base.ok}/${PAGES} APPLYABLE`);
  for (const b of COUNTS) {
    const r = await run(site, b, '/scripted/built', PAGES);
    console.log(`browsers=${b}: ${(PAGES / r.secs).toFixed(2)} pages/s, ${r.ok}/${PAGES} APPLYABLE; ` +
      `page p50 ${pct(r.times, 0.5)} ms, p90 ${pct(r.times, 0.9)} ms; ` +
      `largest browser ${(r.peak / 2 ** 20).toFixed(0)} MiB (limit 300 MiB)`);
  }
} finally {
  await site.stop();
}
