// drain.mjs - how fast the engine drains a webhook backlog, beside wrk against the same receiver.
//
//   node bench/drain.mjs [--bin build/openapply] [--sizes 1000,10000,100000] [--concurrency 8,16]
//                        [--db sqlite|postgres] [--nodes N]
//                        [--timeout 120] [--wrk-seconds 5] [--nginx-workers 1]
//                        [--repeat-small 3] [--engine-args "--log-level warn"] [--poll-ms N] [--keep]
//
// Needs nginx and wrk from Debian (`make deps-bench`). What it does, all on 127.0.0.1:
//
// 1. Starts nginx (bench/lib/nginx.mjs) on a free port from its own temporary prefix: a receiver
//    that answers 200 to every POST and is never the bottleneck.
// 2. For each size N builds a backlog once, through the public API only: an endpoint pointing at
//    a "black hole" (a server that never answers), N postings imported PENDING into a job feed
//    (their URLs on the black hole too, one worker, --fetch-timeout 2m, the most the engine
//    allows: no parse finishes while the backlog is built, so no other event), then a second
//    import listing one of them archives the rest and that one is archived by hand: N ARCHIVED
//    events, one per posting, N pending deliveries to the one endpoint. The endpoint is then
//    PATCHed to nginx with enabled=false (pending deliveries wait for it) and the engine is
//    stopped cleanly (SQLite checkpoints; the few deliveries held by the black hole get their
//    leases back). The first request the black hole received is kept: the engine's real
//    headers and body, for wrk.
// 3. For each connection count C (--endpoint-concurrency C): wrk -t2 -cC -d5s POSTs that body
//    with those headers (Content-Type, X-Kombo-Signature, webhook-id, webhook-timestamp,
//    webhook-signature, User-Agent) to the same nginx; then for each N a copy of the backlog's
//    database is served by a fresh engine, the endpoint is enabled again, and the drain is timed
//    from that PATCH's answer to the moment the engine has recorded every delivery: /metrics
//    polled (about 10% of one core's time spent on it: ten times the time one /metrics answer
//    takes, 10..500 ms, printed as "poll"; --poll-ms fixes it), the finish time interpolated
//    from the last two samples of openapply_webhook_deliveries_total{outcome="delivered"}, and
//    openapply_webhook_deliveries{status="pending"} must read 0. The engine's peak RSS during
//    the drain is sampled from /proc (VmRSS every 50 ms, and VmHWM at the end), beside its RSS
//    just before.
// 4. Prints a table per run, then the ratios the targets are stated in (drain / wrk at the same
//    C; rate at the largest backlog / rate at 1k) and a markdown table for the README.
//
// A backlog of at most 10,000 drains in a second or less, so it is drained --repeat-small times
// (3) and the median rate is shown, with each run's. A drain that does not finish in --timeout
// seconds is reported as such, with its partial rate. The machine's CPU use is read before the
// drains, and the share other processes (not this one's children) took during each drain is
// measured; above 5% the row says it is not comparable.
//
// The endpoint is switched off and on (PATCH enabled) rather than failed and recovered (POST
// .../recover): the backlog then needs no failing pass first, so a 100k backlog builds in
// well under a minute, and every delivery is pending with no attempt behind it.
//
// --db postgres: the store is a PostgreSQL database (bench/lib/pg.mjs) on the cluster of
// $OA_TEST_PG, or, when it is not set, on a private cluster started with tools/pg-cluster.sh
// in a /tmp folder and stopped at the end (also on an error or Ctrl-C). That cluster runs with
// fsync, synchronous_commit and full_page_writes off; the header prints the server's settings,
// so nobody takes the figures for those of a durable PostgreSQL. Each backlog is a database of
// its own; where SQLite copies the file, each drain gets `createdb --template=BACKLOG COPY` (the
// engine that built the backlog is stopped by then: a template must have no connection) and is
// dropped after it. The server's CPU during the drain (postmaster and backends, when it runs on
// this machine and its postmaster.pid is readable) is printed as "pg cpu", in cores, and does
// not count as other processes.
//
// --nodes N (postgres only, default 1): N engines on the copy (--node-id bench-node-1..N, each
// --endpoint-concurrency C), the endpoint enabled through the first; the drain is the sum over
// the nodes of openapply_webhook_deliveries_total{outcome="delivered"} (each node's /metrics
// counts its own deliveries, in memory) until openapply_webhook_deliveries{status="pending"}
// (a database-wide figure, the same on every node; read from the first) is 0. The in-flight
// bound of an endpoint is per node today (a known limitation): N nodes hold up to N x C
// requests in flight, so the rows say "C/node", and wrk is also run at N x C connections (in
// the notes). RSS before and peak RSS are per node (node 1/node 2/...). After each drain the
// database is asked how many deliveries it holds as delivered and how many took more than one
// attempt (a delivery sent twice by two nodes would show there).
//
// 100k backlogs on PostgreSQL: node bench/drain.mjs --db postgres --nodes 3 --sizes 1000,100000
// --concurrency 16 --timeout 300 (bench/run.sh: PG_DRAIN_SIZES=1000,10000,100000).
import { mkdtempSync, mkdirSync, copyFileSync, existsSync, rmSync, renameSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startNginx } from './lib/nginx.mjs';
import * as B from './lib/common.mjs';
import * as PG from './lib/pg.mjs';

const BIN = B.arg('--bin', undefined);
const SIZES = B.arg('--sizes', '1000,10000,100000').split(',').map(Number).sort((a, b) => a - b);
const CONCS = B.arg('--concurrency', '8,16').split(',').map(Number);
const TIMEOUT_S = Number(B.arg('--timeout', 120));
const WRK_SECONDS = Number(B.arg('--wrk-seconds', 5));
const NGINX_WORKERS = Number(B.arg('--nginx-workers', 1));
const EXTRA = (B.arg('--engine-args', '') || '').split(' ').filter(Boolean);
const KEEP = B.flag('--keep');
const POLL_MS = B.arg('--poll-ms', null); // fixed /metrics poll interval instead of the adaptive one
const REPEAT_SMALL = Number(B.arg('--repeat-small', 3)); // drains per backlog of at most 10k (median)
const DB = B.arg('--db', 'sqlite');
const NODES = Number(B.arg('--nodes', 1));
if (SIZES.some((n) => !(n >= 1 && n <= 1000000)) || CONCS.some((c) => !(c >= 1 && c <= 256))) {
  console.error('--sizes: 1..1000000 each, --concurrency: 1..256 each');
  process.exit(2);
}
if (DB !== 'sqlite' && DB !== 'postgres') { console.error(`--db ${DB}: sqlite or postgres`); process.exit(2); }
if (!(Number.isInteger(NODES) && NODES >= 1 && NODES <= 16)) { console.error('--nodes: 1..16'); process.exit(2); }
if (NODES > 1 && DB !== 'postgres') { console.error('--nodes N > 1 needs --db postgres (nodes share one PostgreSQL database)'); process.exit(2); }
// The e2e harness picks its backend when it is loaded.
process.env.OA_E2E_DB = DB;
const { startEngine, client } = await import('../tests/e2e/lib/harness.mjs');

const root = mkdtempSync(join(tmpdir(), 'oa-drain-'));
B.onCleanup(() => { if (!KEEP) rmSync(root, { recursive: true, force: true }); else console.log(`kept ${root}`); });
let pg = null, pgInfo = null; // the cluster, and its settings (postgres)
/** Drops a database of a cluster that outlives the run ($OA_TEST_PG); a private one goes whole. */
const dropLater = (name) => { if (!pg.own) B.onCleanup(() => PG.dropDb(name)); };

/** Builds the backlog of n deliveries; returns the database path. Captures the first request. */
async function buildBacklog(n, hole) {
  const dir = join(root, `build-${n}`);
  mkdirSync(dir);
  const t0 = performance.now();
  let pgDb = null;
  if (DB === 'postgres') { // a database of its own, named here (the harness uses the one named in dir/pg-db)
    pgDb = PG.createDb(PG.dbName(`backlog_${n}`));
    dropLater(pgDb);
    writeFileSync(join(dir, 'pg-db'), pgDb + '\n');
  }
  const engine = await startEngine({ bin: BIN, dir,
    args: ['--workers', '1', '--fetch-timeout', '2m', '--webhook-timeout', '10m'] });
  let stopped = false;
  B.onCleanup(async () => { if (!stopped) await engine.stop(); });
  const api = client(engine);
  const ep = await api.post('/v1/webhooks/endpoints', { url: `${hole.url}/hook` });
  if (ep.status !== 200) throw new Error(`create endpoint: ${ep.status} ${ep.text}`);
  const feed = await B.importPending(api, n, { label: `drain${n}`, holeUrl: hole.url });
  await B.archiveFeed(api, feed);
  const m = await B.metrics(engine);
  if (m[B.PENDING] !== n) throw new Error(`backlog ${n}: ${m[B.PENDING]} pending deliveries, expected ${n}`);
  // The dispatcher has sent its first deliveries to the black hole (kept in flight there).
  await Promise.race([hole.firstPost, B.sleep(10000)]);
  const pt = await api.call('PATCH', `/v1/webhooks/endpoints/${ep.json.data.id}`, { url: `${nginx.url}/hook`, enabled: false });
  if (pt.status !== 200) throw new Error(`disable endpoint: ${pt.status} ${pt.text}`);
  hole.dropParses(); // the one parse in flight fails; its posting is archived, the result dropped
  await B.sleep(200);
  const code = await engine.stop();
  stopped = true;
  if (code !== 0) throw new Error(`engine exited with ${code} after building the backlog`);
  let db = null;
  if (!pgDb) {
    db = join(root, `backlog-${n}.db`);
    renameSync(engine.db, db);
    for (const ext of ['-wal', '-shm']) if (existsSync(engine.db + ext)) renameSync(engine.db + ext, db + ext);
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(`built backlog of ${B.fmt(n)} deliveries in ${((performance.now() - t0) / 1000).toFixed(1)} s` +
    (pgDb ? ` (database ${pgDb})` : ''));
  return { db, pgDb };
}

/** The Lua script that makes wrk send the engine's real webhook request. */
function wrkScript(first) {
  const lua = (s) => '"' + [...Buffer.from(s)].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${b}`)).join('') + '"';
  const keep = ['content-type', 'x-kombo-signature', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'user-agent'];
  const lines = ['wrk.method = "POST"', `wrk.body = ${lua(first.body)}`];
  for (const k of keep) if (first.headers[k] !== undefined) lines.push(`wrk.headers[${lua(k)}] = ${lua(first.headers[k])}`);
  const path = join(root, 'webhook.lua');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** wrk's requests/s at c connections (2 threads; one if c < 2). */
function runWrk(script, c) {
  return new Promise((resolve, reject) => {
    const t = Math.min(2, c);
    execFile('wrk', [`-t${t}`, `-c${c}`, `-d${WRK_SECONDS}s`, '-s', script, `${nginx.url}/hook`],
      { timeout: (WRK_SECONDS + 30) * 1000, encoding: 'utf8' }, (err, out) => {
        if (err) return reject(new Error(`wrk: ${err.message}`));
        const rate = Number((out.match(/Requests\/sec:\s+([0-9.]+)/) || [])[1]);
        const bad = Number((out.match(/Non-2xx or 3xx responses:\s+(\d+)/) || [0, 0])[1]);
        if (!rate) return reject(new Error(`wrk printed no rate:\n${out}`));
        if (bad) return reject(new Error(`wrk: ${bad} non-2xx answers from nginx`));
        resolve(rate);
      });
  });
}

/** Starts the engines of one drain on a copy of the backlog: one on a copied SQLite file, or
 * NODES on a copied PostgreSQL database. Returns { engines, copy (the database), stopAll() }. */
async function startNodes(store, n, c) {
  const dirs = [], engines = [];
  let copy = null, stopped = false;
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    for (const e of engines) {
      const code = await e.stop();
      if (code !== 0) console.error(`engine exited with ${code}`);
    }
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
  if (store.pgDb) {
    copy = PG.createDb(PG.dbName(`run_${n}_${c}`), { template: store.pgDb });
    dropLater(copy); // registered first, so it runs after the engines stopped
  }
  B.onCleanup(stopAll);
  if (!store.pgDb) {
    const dir = join(root, `run-${n}-${c}`);
    mkdirSync(dir);
    dirs.push(dir);
    copyFileSync(store.db, join(dir, 'engine.db'));
    for (const ext of ['-wal', '-shm']) if (existsSync(store.db + ext)) copyFileSync(store.db + ext, join(dir, 'engine.db' + ext));
    engines.push(await startEngine({ bin: BIN, dir, db: join(dir, 'engine.db'),
      args: ['--endpoint-concurrency', String(c), ...EXTRA] }));
    return { engines, copy, stopAll };
  }
  // One after another: each node's start-up (migrations checked, its own old leases freed) is
  // done before the next begins; the endpoint is disabled, so nothing is sent yet.
  for (let k = 1; k <= NODES; k++) {
    const dir = join(root, `run-${n}-${c}-node${k}`);
    mkdirSync(dir);
    dirs.push(dir);
    writeFileSync(join(dir, 'pg-db'), copy + '\n'); // the harness serves the database named there
    engines.push(await startEngine({ bin: BIN, dir,
      args: ['--endpoint-concurrency', String(c), '--node-id', `bench-node-${k}`, ...EXTRA] }));
  }
  return { engines, copy, stopAll };
}

/** Drains a copy of the backlog at c connections (per node); returns the figures. */
async function drain(store, n, c) {
  const { engines, copy, stopAll } = await startNodes(store, n, c);
  const api = client(engines[0]);
  const all = () => Promise.all(engines.map((e) => B.metrics(e)));
  const sum = (ms, k) => ms.reduce((x, m) => x + (m[k] ?? 0), 0);
  let result;
  try {
    const eps = await api.get('/v1/webhooks/endpoints');
    const id = eps.json.data.results[0].id;
    const m0 = await all();
    const backlog = m0[0][B.PENDING];
    // Polling /metrics costs the engines time; poll about 10x slower than one round of answers takes.
    let t = performance.now();
    await all();
    const cost = performance.now() - t;
    const every = POLL_MS ? Number(POLL_MS) : Math.min(500, Math.max(10, Math.ceil(cost * 10)));
    const rssBefore = engines.map((e) => B.procMem(e.proc.pid).rss);
    const rss = engines.map((e) => B.rssSampler(e.proc.pid, 50));
    const oth = B.othersCpu([pgInfo?.postmaster]);
    const pgCpu = B.treeCpu(pgInfo?.postmaster);
    const pt = await api.call('PATCH', `/v1/webhooks/endpoints/${id}`, { enabled: true });
    const t0 = performance.now();
    if (pt.status !== 200) throw new Error(`enable endpoint: ${pt.status} ${pt.text}`);
    let prev = { t: t0, d: 0 }, last = prev, pending = backlog, exhausted = 0, perNode = engines.map(() => 0), zeroAt = null;
    const end = t0 + TIMEOUT_S * 1000;
    for (let i = 0; i < 1e6 && performance.now() < end; i++) {
      await B.sleep(every);
      const ts = performance.now();
      const ms = await all();
      const cur = { t: (ts + performance.now()) / 2, d: sum(ms, B.DELIVERED) };
      pending = ms[0][B.PENDING];
      exhausted = sum(ms, B.EXHAUSTED);
      perNode = ms.map((m) => m[B.DELIVERED]);
      if (cur.d > last.d) { prev = last; last = cur; }
      // pending is read from the database; a node counts a delivery in memory after its commit,
      // so give the counters a moment (at most 2 s) to reach the backlog.
      if (pending === 0) zeroAt ??= performance.now();
      if (pending === 0 && (last.d >= backlog || performance.now() - zeroAt > 2000)) break;
    }
    const mem = rss.map((r) => r.stop());
    const others = oth.stop();
    const cores = pgCpu.stop();
    const done = pending === 0;
    let secs;
    if (done && last.d >= backlog && last.d > prev.d) {
      // The moment the counter crossed the backlog, on the line through the last two samples.
      secs = (prev.t + ((backlog - prev.d) / (last.d - prev.d)) * (last.t - prev.t) - t0) / 1000;
    } else {
      secs = (last.t - t0) / 1000;
    }
    result = { n, c, backlog, done, delivered: last.d, perNode, exhausted, pending, secs, rate: last.d >= backlog ? backlog / secs : last.d / secs,
      every, rssBefore, maxRss: mem.map((x) => x.maxRss), hwm: mem.map((x) => x.hwm), others, pgCpu: cores };
  } finally {
    await stopAll();
  }
  if (copy) {
    // What the database says: every delivery delivered, and how many took more than one attempt.
    const [dbDelivered, dbRetried] = PG.psql(copy,
      "SELECT count(*) FILTER (WHERE status = 'delivered'), count(*) FILTER (WHERE attempts > 1) FROM webhook_deliveries").split('|').map(Number);
    Object.assign(result, { dbDelivered, dbRetried });
    PG.dropDb(copy);
  }
  return result;
}

const nginx = await startNginx({ workers: NGINX_WORKERS });
B.onCleanup(() => nginx.stop());
const hole = await B.startBlackHole();
B.onCleanup(() => hole.close());
const results = [];
const wrkRates = {}, wrkTotal = {};
/** KiB figures, one per node: "12.3 MiB", or "12.3/12.1/12.4 MiB". */
const mibs = (a) => (a.length === 1 ? B.mib(a[0]) : `${a.map((k) => (k / 1024).toFixed(1)).join('/')} MiB`);
const maxEach = (arrays) => arrays[0].map((_, i) => Math.max(...arrays.map((a) => a[i])));
const connLabel = (c) => (NODES > 1 ? `${c}/node` : String(c));
try {
  if (DB === 'postgres') {
    pg = PG.startCluster();
    B.onCleanup(() => pg.stop());
    pgInfo = PG.serverInfo();
  }
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
    `engine ${BIN ?? 'build/openapply'}${EXTRA.length ? ` ${EXTRA.join(' ')}` : ''}; receiver nginx (${NGINX_WORKERS} worker) on ${nginx.url}`);
  if (DB === 'sqlite') {
    console.log('store: SQLite (one file, WAL, synchronous=NORMAL); 1 node');
  } else {
    console.log(`store: ${PG.describe(pgInfo, pg.own)}`);
    console.log(`nodes: ${NODES > 1 ? `${NODES} engines on one database (--node-id bench-node-1..${NODES})` : '1 engine (--node-id bench-node-1)'}, ` +
      `--endpoint-concurrency C per node${NODES > 1 ? ` (the in-flight bound is per node today: up to ${NODES} x C in flight; wrk at ${NODES} x C in the notes)` : ''}; ` +
      `drained = the sum of the nodes' delivered counters; pg cpu = the server's CPU in cores` +
      (pgInfo.postmaster ? '' : ' (not readable here: n/a, and the server counts as other processes)'));
  }
  const dbs = {};
  for (const n of SIZES) dbs[n] = await buildBacklog(n, hole);
  const first = await Promise.race([hole.firstPost, B.sleep(1).then(() => null)]);
  if (!first) throw new Error('the black hole never saw a webhook request');
  const script = wrkScript(first);
  console.log(`webhook request: ${Buffer.byteLength(first.body)} byte body, headers ${Object.keys(first.headers).join(', ')}`);
  await B.reportIdle();
  console.log('');
  const rssW = NODES > 1 ? 5 * NODES + 4 : 10;
  const widths = [8, 5, 7, NODES > 1 ? 7 : 5, 10, 9, 8, 9, 10, rssW + 1, rssW, 6, 5];
  const row = (cells) => console.log(cells.map((x, i) => String(x).padStart(widths[i] ?? 0)).join('  ').trimEnd());
  row(['backend', 'nodes', 'backlog', 'conn', 'wrk req/s', 'drained', 'seconds', 'drain/s', 'drain/wrk', 'RSS before', 'peak RSS', 'pg cpu', 'poll', '']);
  for (const c of CONCS) {
    wrkRates[c] = await runWrk(script, c);
    if (NODES > 1) wrkTotal[c] = await runWrk(script, NODES * c);
    for (const n of SIZES) {
      // A small backlog drains in a fraction of a second: take the median of a few drains.
      const reps = [];
      for (let k = 0; k < (n <= 10000 ? REPEAT_SMALL : 1); k++) reps.push(await drain(dbs[n], n, c));
      const sorted = [...reps].sort((x, y) => x.rate - y.rate);
      const r = { ...sorted[Math.floor((sorted.length - 1) / 2)], wrk: wrkRates[c], hwm: maxEach(reps.map((x) => x.hwm)),
        others: reps.reduce((m, x) => (x.others.share > m.share ? x.others : m), { share: 0, top: [] }) };
      if (reps.some((x) => !x.done)) Object.assign(r, reps.find((x) => !x.done));
      results.push(r);
      const notes = [];
      if (reps.length > 1) notes.push(`median of ${reps.length}: ${reps.map((x) => B.fmt(x.rate)).join(', ')}`);
      if (NODES > 1) notes.push(`by node ${r.perNode.map(B.fmt).join('/')}`, `wrk at ${NODES * c} conns ${B.fmt(wrkTotal[c])}/s (drain/wrk ${(r.rate / wrkTotal[c]).toFixed(3)})`);
      if (r.dbDelivered !== undefined) {
        const bad = reps.filter((x) => x.dbDelivered !== x.backlog || x.dbRetried);
        notes.push(bad.length ? `database: ${bad.map((x) => `${B.fmt(x.dbDelivered)} delivered, ${B.fmt(x.dbRetried)} with 2+ attempts`).join('; ')}`
          : 'database: all delivered, each in one attempt');
      }
      if (r.delivered > r.backlog) notes.push(`${B.fmt(r.delivered - r.backlog)} more deliveries counted than the backlog`);
      if (r.exhausted) notes.push(`${B.fmt(r.exhausted)} exhausted`);
      if (!r.done) notes.push(`did not finish in ${TIMEOUT_S} s (${B.fmt(r.pending)} pending)`);
      if (B.othersNote(r.others)) notes.push(B.othersNote(r.others));
      row([DB, NODES, B.fmt(r.backlog), connLabel(c), B.fmt(r.wrk), B.fmt(r.delivered), r.secs.toFixed(2), B.fmt(r.rate), (r.rate / r.wrk).toFixed(3),
        mibs(r.rssBefore), mibs(r.hwm), r.pgCpu == null ? (DB === 'postgres' ? 'n/a' : '-') : r.pgCpu.toFixed(2), `${r.every}ms`, notes.join('; ')]);
    }
  }
  console.log('');
  const small = SIZES[0], big = SIZES[SIZES.length - 1];
  const tag = `${DB}, ${NODES} node${NODES > 1 ? 's' : ''}`;
  for (const c of CONCS) {
    const rs = results.filter((r) => r.c === c);
    const a = rs.find((r) => r.n === small), z = rs.find((r) => r.n === big);
    const flat = small === big ? 'n/a (one size)' : a.done && z.done ? (z.rate / a.rate).toFixed(2) : 'n/a (a drain did not finish)';
    console.log(`${tag}, conn ${connLabel(c)}: drain/wrk ${rs.map((r) => `${(r.rate / r.wrk).toFixed(3)} at ${B.fmt(r.n)}`).join(', ')}; ` +
      `flatness (rate at ${B.fmt(big)} / rate at ${B.fmt(small)}) ${flat}`);
  }
  const bigRss = Math.max(...results.filter((r) => r.n === big).flatMap((r) => r.hwm));
  console.log(`${tag}: peak RSS${NODES > 1 ? ' of a node' : ''} while draining ${B.fmt(big)}: ${B.mib(bigRss)}; by backlog: ` +
    SIZES.map((n) => `${B.fmt(n)} ${B.mib(Math.max(...results.filter((r) => r.n === n).flatMap((r) => r.hwm)))}`).join(', '));
  console.log('targets: >= 10,000/s at 16 connections and >= 0.25 x wrk; flatness >= 0.9; RSS < 100 MiB at 100k' +
    (DB === 'postgres' ? ' (stated for SQLite; shown beside it)' : ''));
  console.log('');
  console.log('| backend | nodes | backlog | connections | drained/s | wrk req/s | drain / wrk | peak RSS |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  const store = DB === 'sqlite' ? 'SQLite' : `PostgreSQL${pgInfo.fsync === 'off' || pgInfo.syncCommit === 'off' ? ' (fsync off)' : ''}`;
  for (const r of results) {
    const busy = r.others.share > 0.05 ? ' (busy machine: not comparable)' : '';
    console.log(`| ${store} | ${NODES} | ${B.fmt(r.backlog)} | ${NODES > 1 ? `${r.c} per node` : r.c} | ` +
      `${r.done ? B.fmt(r.rate) : `${B.fmt(r.rate)} (unfinished after ${TIMEOUT_S} s)`}${busy} | ` +
      `${B.fmt(r.wrk)} | ${(r.rate / r.wrk).toFixed(r.rate / r.wrk < 0.1 ? 3 : 2)} | ${NODES > 1 ? `${mibs(r.hwm)} (per node)` : B.mib(r.hwm[0])} |`);
  }
} catch (e) {
  console.error(e.stack || e.message);
  process.exitCode = 1;
} finally {
  await B.runCleanups();
}
