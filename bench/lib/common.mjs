// common.mjs - small helpers shared by bench/drain.mjs and bench/steady.mjs: flags, the
// engine's /metrics, RSS sampling, a "black hole" HTTP server, and building many webhook
// events quickly through the public API.
import { createServer } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';

export const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
export const flag = (name) => process.argv.includes(name);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** The engine's /metrics as { name{labels}: number }. */
export async function metrics(engine) {
  const r = await fetch(engine.url + '/metrics');
  const text = await r.text();
  const out = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-z_]+(?:\{[^}]*\})?) (-?[0-9.e+]+)$/);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}
export const PENDING = 'openapply_webhook_deliveries{status="pending"}';
export const DELIVERED = 'openapply_webhook_deliveries_total{outcome="delivered"}';
export const EXHAUSTED = 'openapply_webhook_deliveries_total{outcome="exhausted"}';

/** VmRSS and VmHWM of a process, in KiB (null once it is gone). */
export function procMem(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm')) || [])[1]);
    return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
  } catch { return null; }
}

/** Samples a process's VmRSS every `every` ms until stop(); stop() gives { maxRss, hwm } in KiB
 * (hwm: VmHWM, which the kernel updates lazily, so never below the largest sample). */
export function rssSampler(pid, every = 50) {
  let maxRss = 0;
  const tick = () => { const m = procMem(pid); if (m) maxRss = Math.max(maxRss, m.rss); };
  tick();
  const timer = setInterval(tick, every);
  return {
    stop() { clearInterval(timer); tick(); return { maxRss, hwm: Math.max(maxRss, procMem(pid)?.hwm ?? 0) }; },
  };
}
export const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;

/**
 * A loopback HTTP server that reads requests and never answers them: posting URLs pointed here
 * keep their first parse waiting (so postings stay PENDING without retries), and a webhook
 * endpoint pointed here holds its first deliveries in flight. The first POST is kept (headers,
 * body), to copy the engine's real webhook request.
 */
export async function startBlackHole() {
  let resolveFirst;
  const firstPost = new Promise((r) => { resolveFirst = r; });
  const sockets = new Set();
  const parses = new Set();
  const srv = createServer((req, res) => {
    if (req.method === 'GET') { parses.add(req.socket); req.socket.on('close', () => parses.delete(req.socket)); }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') resolveFirst({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      // never answered
    });
  });
  srv.requestTimeout = 0;
  srv.headersTimeout = 0;
  srv.keepAliveTimeout = 0;
  srv.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${srv.address().port}`;
  return {
    url, firstPost,
    destroyAll() { for (const s of sockets) s.destroy(); },
    /** Fails the parses waiting here (GETs), leaving webhook POSTs in flight. */
    dropParses() { for (const s of parses) s.destroy(); },
    close() { for (const s of sockets) s.destroy(); return new Promise((r) => srv.close(r)); },
  };
}

/** POSTs NDJSON lines to a feed's bulk import; throws unless 200. */
export async function bulkImport(api, feedId, lines) {
  const raw = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const r = await api.call('POST', `/v1/ai-apply/job-feeds/${feedId}/bulk-import`, undefined,
    { raw, headers: { 'content-type': 'application/x-ndjson' } });
  if (r.status !== 200) throw new Error(`bulk import: ${r.status} ${r.text.slice(0, 500)}`);
  return r.json.data;
}

/**
 * Creates n PENDING postings in a new feed and career site (URLs on the black hole, so with one
 * worker and a long --fetch-timeout none of them is parsed: no event yet). Returns { feedId,
 * lines, label }. One body for the whole feed (about 120 bytes a line: 100k lines is 12 MB, under
 * the 35 MB limit), since an import archives what its file does not list.
 */
export async function importPending(api, n, { label, holeUrl }) {
  const feed = await api.post('/v1/ai-apply/job-feeds', { label });
  if (feed.status !== 200) throw new Error(`create feed: ${feed.status} ${feed.text}`);
  const feedId = feed.json.data.id;
  const lines = Array.from({ length: n }, (_, i) => ({ url: `${holeUrl}/job/${label}/${i}`, career_site_label: label, job_code: `${label}-${i}` }));
  await bulkImport(api, feedId, lines);
  return { feedId, lines, label };
}

/**
 * Turns the n PENDING postings of importPending into n ARCHIVED events at once: a second import
 * of the feed listing only line 0 archives the other n-1 (REMOVED_FROM_JOB_FEED, events written
 * in the import's transactions), then posting 0 is archived by hand. One event per posting, so
 * per-resource ordering never holds one back.
 */
export async function archiveFeed(api, { feedId, lines, label }) {
  await bulkImport(api, feedId, [lines[0]]);
  const p = await api.get(`/v1/ai-apply/postings?job_codes=${encodeURIComponent(`${label}-0`)}`);
  const id = p.json?.data?.results?.[0]?.id;
  if (!id) throw new Error(`posting ${label}-0 not found: ${p.text.slice(0, 300)}`);
  const a = await api.post(`/v1/ai-apply/postings/${id}/archive`, {});
  if (a.status !== 200) throw new Error(`archive: ${a.status} ${a.text}`);
}

/** Every posting id of a career site, by label (paged, 250 at a time). */
export async function postingIds(api, label) {
  const sites = await api.get('/v1/ai-apply/career-sites?page_size=250');
  const site = sites.json.data.results.find((s) => s.label === label);
  if (!site) throw new Error(`career site ${label} not found`);
  const ids = [];
  let cursor = '';
  for (let page = 0; page < 100000; page++) {
    const r = await api.get(`/v1/ai-apply/postings?page_size=250&career_site_ids=${site.id}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (r.status !== 200) throw new Error(`list postings: ${r.status} ${r.text.slice(0, 300)}`);
    for (const p of r.json.data.results) ids.push(p.id);
    cursor = r.json.data.next;
    if (!cursor) break;
  }
  return ids;
}

/** Runs cleanup functions once, on normal end, error, SIGINT or SIGTERM. */
export function onCleanup(fn) {
  cleanups.push(fn);
  if (!installed) {
    installed = true;
    for (const sig of ['SIGINT', 'SIGTERM']) {
      process.once(sig, async () => {
        console.error(`\n${sig}: stopping (an engine in the middle of a bulk import may take a while)`);
        await runCleanups();
        process.exit(130);
      });
    }
  }
}
const cleanups = [];
let installed = false;
export async function runCleanups() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try { await fn(); } catch (e) { console.error('cleanup:', e.message); }
  }
}

/** CPU ticks (utime + stime) of every process, by pid, with its name. */
function procTicks() {
  const out = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = st.lastIndexOf(')');
      const f = st.slice(close + 2).split(' ');
      out.set(pid, { name: st.slice(st.indexOf('(') + 1, close), ppid: f[1], ticks: Number(f[11]) + Number(f[12]) });
    } catch { /* gone */ }
  }
  return out;
}

function cpuTotal() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return f.reduce((x, y) => x + y, 0);
}

/** Is pid this process, one of roots, or a descendant of either (in the procTicks map)? */
function descends(map, pid, roots) {
  for (let p = pid, i = 0; p && p !== '0' && i < 64; i++) {
    if (p === String(process.pid) || roots.has(p)) return true;
    p = map.get(p)?.ppid;
  }
  return false;
}

/**
 * Measures the CPU time that processes other than this one and its descendants (the engine,
 * nginx, receivers, wrk) use while a run goes on: stop() gives their share of the machine's
 * CPU time, 0..1, and the busiest of them. On a shared machine a run with a large share is not
 * comparable. roots: more pids whose process trees belong to the run (a PostgreSQL server the
 * benchmark started: pg_ctl detaches it, so it is no descendant of this process).
 */
export function othersCpu(roots = []) {
  const rootSet = new Set(roots.filter(Boolean).map(String));
  let a, ta;
  try { a = procTicks(); ta = cpuTotal(); } catch { return { stop: () => ({ share: 0, top: [] }) }; }
  return {
    stop() {
      try {
        const b = procTicks(), tb = cpuTotal();
        const ours = (pid) => descends(b, pid, rootSet);
        const others = [...b].filter(([pid]) => !ours(pid)).map(([pid, p]) => ({ pid, name: p.name, ticks: p.ticks - (a.get(pid)?.ticks ?? 0) }))
          .filter((p) => p.ticks > 0).sort((x, y) => y.ticks - x.ticks);
        const used = others.reduce((x, p) => x + p.ticks, 0);
        return { share: tb > ta ? used / (tb - ta) : 0, top: others.slice(0, 3) };
      } catch { return { share: 0, top: [] }; }
    },
  };
}

/**
 * The CPU the process tree of root (a PostgreSQL postmaster and its backends) uses while a run
 * goes on: stop() gives it in cores (1.0 = one core busy the whole time), null if unreadable.
 * A process of the tree that ended meanwhile is not counted.
 */
export function treeCpu(root) {
  if (!root) return { stop: () => null };
  const r = String(root);
  const inTree = (m, pid) => {
    for (let p = pid, i = 0; p && p !== '0' && i < 64; i++) {
      if (p === r) return true;
      p = m.get(p)?.ppid;
    }
    return false;
  };
  let a, ta;
  try { a = procTicks(); ta = cpuTotal(); } catch { return { stop: () => null }; }
  return {
    stop() {
      try {
        const b = procTicks(), tb = cpuTotal();
        let used = 0;
        for (const [pid, p] of b) if (inTree(b, pid)) used += p.ticks - (a.get(pid)?.ticks ?? 0);
        return tb > ta ? (used / (tb - ta)) * cpus().length : null;
      } catch { return null; }
    },
  };
}

export const othersNote = (o) => (o.share > 0.05
  ? `other processes used ${(o.share * 100).toFixed(0)}% of the CPU meanwhile (${o.top.map((p) => `${p.name} ${p.pid}`).join(', ')}): not comparable`
  : '');

/** Share of the machine's CPU time that was busy over `ms` (from /proc/stat), 0..1, and the
 * processes that used most of it. */
export async function cpuBusy(ms = 1000) {
  const read = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] || 0);
    return { idle, total: f.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = read(), pa = procTicks();
    await sleep(ms);
    const b = read(), pb = procTicks();
    const top = [...pb].map(([pid, p]) => ({ pid, name: p.name, ticks: p.ticks - (pa.get(pid)?.ticks ?? p.ticks) }))
      .filter((p) => p.ticks > 0).sort((x, y) => y.ticks - x.ticks).slice(0, 3);
    const busy = b.total > a.total ? 1 - (b.idle - a.idle) / (b.total - a.total) : 0;
    return { busy, top };
  } catch { return { busy: 0, top: [] }; }
}

/** Prints how busy the machine is before a run; benchmarks on a busy machine are not comparable. */
export async function reportIdle() {
  const { busy, top } = await cpuBusy(1000);
  const line = `machine load before the run: ${(busy * 100).toFixed(0)}% CPU busy over 1 s`;
  console.log(busy > 0.1
    ? `${line} - WARNING: other processes are using the CPU, figures will be low and noisy (${top.map((p) => `${p.name} ${p.pid}`).join(', ')})`
    : line);
  return busy;
}
