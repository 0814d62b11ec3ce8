// writes.mjs - state changes per second through the API (archive calls, each one posting's
// ARCHIVED event and its webhook delivery), beside the engine's own HTTP ceiling; on SQLite, or
// on PostgreSQL with one or more engines ("nodes") sharing the database.
//
//   node bench/writes.mjs [--bin build/openapply] [--postings 40000] [--seconds 4] [--conns 16]
//                         [--db sqlite|postgres] [--nodes N] [--engine-args "..."]
//
// Needs nginx and wrk from Debian (`make deps-bench`). All on 127.0.0.1:
// 1. nginx answers 200 to every webhook (bench/lib/nginx.mjs); the engine's endpoint points there,
//    so every archive also enqueues a delivery that the dispatcher sends while the writes go on.
// 2. --postings postings are imported PENDING through a job feed (URLs on a server that never
//    answers, one worker: nothing is parsed, no other event).
// 3. wrk (2 threads, --conns connections, --seconds) POSTs /v1/ai-apply/postings/ID/archive, each
//    request a posting not archived yet (the ids are handed out round-robin by a Lua script).
//    The state changes are counted from /metrics (openapply_events_total before and after), so
//    only archives that really changed a posting count; each one got its answer after its commit.
// 4. Beside it, in the same run: wrk on GET /healthz of the same engine (its HTTP layer and one
//    database read: the ceiling any API call has here), and the store's commit counters
//    (openapply_store_commits_total, openapply_store_grouped_transactions_total): how many write
//    transactions shared a group commit.
//
// --db postgres: the store is a PostgreSQL database (bench/lib/pg.mjs) on the cluster of
// $OA_TEST_PG, or, when it is not set, on a private cluster started with tools/pg-cluster.sh and
// stopped at the end (also on an error or Ctrl-C). That cluster runs with fsync,
// synchronous_commit and full_page_writes off: the header prints the server's settings, so
// nobody takes the figures for durable ones. The server's CPU during the archive calls is
// printed, in cores (when it runs here and its postmaster.pid is readable). As in drain.mjs, the
// CPU share other processes (not this one's children, nor that server) took during the archive
// calls is measured; above 5% the figure is marked as not comparable.
//
// --nodes N (postgres only, default 1): N engines on that database (--node-id
// bench-node-1..N); the postings are imported through the first. The load is spread by running
// one wrk per node at the same time, the --conns connections split between them (16 over 3:
// 6/5/5), one thread each (two with one node, as before); every wrk thread takes its own share
// of the posting ids (thread g of G takes ids g, g+G, g+2G, ...), and the request rates are
// summed. The state changes are counted from openapply_events_total, a database-wide counter
// (the same on every node: read from the first); the commit and statement counters are each
// node's own, in memory, and are summed. GET /healthz is measured the same way, one wrk per node.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { arg, fmt, startBlackHole, importPending, postingIds, metrics, onCleanup, runCleanups, treeCpu, othersCpu, othersNote } from './lib/common.mjs';
import { startNginx } from './lib/nginx.mjs';
import * as PG from './lib/pg.mjs';

const BIN = arg('--bin', undefined);
const N = Number(arg('--postings', 40000));
const SECONDS = Number(arg('--seconds', 4));
const CONNS = Number(arg('--conns', 16));
const EXTRA = (arg('--engine-args', '') || '').split(' ').filter(Boolean);
const DB = arg('--db', 'sqlite');
const NODES = Number(arg('--nodes', 1));
if (DB !== 'sqlite' && DB !== 'postgres') { console.error(`--db ${DB}: sqlite or postgres`); process.exit(2); }
if (!(Number.isInteger(NODES) && NODES >= 1 && NODES <= 16)) { console.error('--nodes: 1..16'); process.exit(2); }
if (NODES > 1 && DB !== 'postgres') { console.error('--nodes N > 1 needs --db postgres (nodes share one PostgreSQL database)'); process.exit(2); }
if (!(CONNS >= NODES)) { console.error(`--conns ${CONNS}: at least one connection per node`); process.exit(2); }
// The e2e harness picks its backend when it is loaded.
process.env.OA_E2E_DB = DB;
const { startEngine, client } = await import('../tests/e2e/lib/harness.mjs');

// Connections of node k's wrk, and its threads (one each with many nodes).
const conns = Array.from({ length: NODES }, (_, k) => Math.floor(CONNS / NODES) + (k < CONNS % NODES ? 1 : 0));
const threads = conns.map((c) => (NODES === 1 ? Math.min(2, c) : 1));
const totalThreads = threads.reduce((a, b) => a + b, 0);

/** One wrk run; args after `--` reach the Lua script's init(). */
async function wrk(url, { script, headers = {}, t, c, scriptArgs = [] }) {
  const h = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const { stdout } = await promisify(execFile)('wrk',
    [`-t${t}`, `-c${c}`, `-d${SECONDS}s`, ...(script ? ['-s', script] : []), ...h, url, ...(scriptArgs.length ? ['--', ...scriptArgs] : [])],
    { encoding: 'utf8', timeout: (SECONDS + 30) * 1000 });
  return {
    rps: Number(stdout.match(/Requests\/sec:\s+([\d.]+)/)[1]),
    bad: Number(stdout.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
    requests: Number(stdout.match(/(\d+) requests in/)[1]),
  };
}

/** One wrk per node at once, connections split; rates, requests and non-2xx answers summed. */
async function wrkAll(engines, path, opts = {}) {
  let base = 0;
  const runs = engines.map((e, k) => {
    const scriptArgs = opts.script ? [String(base), String(totalThreads)] : [];
    base += threads[k];
    return wrk(e.url + path, { ...opts, t: threads[k], c: conns[k], scriptArgs });
  });
  const rs = await Promise.all(runs);
  return { rps: rs.reduce((a, r) => a + r.rps, 0), bad: rs.reduce((a, r) => a + r.bad, 0), requests: rs.reduce((a, r) => a + r.requests, 0) };
}

const dir = mkdtempSync(join(tmpdir(), 'oa-writes-'));
onCleanup(() => rmSync(dir, { recursive: true, force: true }));
const hole = await startBlackHole();
onCleanup(() => hole.close());
const nginx = await startNginx();
onCleanup(() => nginx.stop());
const engineArgs = ['--workers', '1', '--http-threads', '8', '--fetch-timeout', '2m', '--log-level', 'warn'];
const engines = [];
// Cleanups run last registered first: the engines stop before their database is dropped and
// the cluster stopped (so this one is registered after those).
const stopEngines = async () => {
  for (const e of engines.splice(0)) {
    await e.stop();
    if (!e.pgDb) e.cleanup(); // the SQLite engine's temporary folder
  }
};
try {
  let pg = null, pgInfo = null;
  if (DB === 'postgres') {
    pg = PG.startCluster();
    onCleanup(() => pg.stop());
    pgInfo = PG.serverInfo();
    const db = PG.createDb(PG.dbName('writes'));
    if (!pg.own) onCleanup(() => PG.dropDb(db));
    onCleanup(stopEngines);
    for (let k = 1; k <= NODES; k++) {
      const d = join(dir, `node${k}`);
      mkdirSync(d);
      writeFileSync(join(d, 'pg-db'), db + '\n'); // the harness serves the database named there
      engines.push(await startEngine({ bin: BIN, dir: d, args: [...engineArgs, '--node-id', `bench-node-${k}`, ...EXTRA] }));
    }
  } else {
    onCleanup(stopEngines);
    engines.push(await startEngine({ bin: BIN, args: [...engineArgs, ...EXTRA] }));
  }
  const engine = engines[0];
  const api = client(engine);
  const auth = { authorization: 'Bearer test-key-default' };
  const ep = await api.post('/v1/webhooks/endpoints', { url: `${nginx.url}/hook` });
  if (ep.status !== 200) throw new Error(`endpoint: ${ep.status} ${ep.text}`);
  await importPending(api, N, { label: 'writes', holeUrl: hole.url });
  const ids = await postingIds(api, 'writes');
  if (ids.length !== N) throw new Error(`${ids.length} postings imported, expected ${N}`);
  // Thread g of all G wrk threads (g = the script's base argument + the thread's number in its
  // wrk) takes ids g, g+G, g+2G, ...: every request archives a posting once.
  const script = join(dir, 'archive.lua');
  writeFileSync(script, `local ids = {${ids.map((i) => `"${i}"`).join(',')}}
local count, n, stride = 0, 0, 1
function setup(thread) thread:set("first", tostring(count)); count = count + 1 end
function init(args)
  local base = tonumber(args[1] or "0")
  stride = tonumber(args[2] or "1")
  n = base + tonumber(first) - stride
end
function request()
  n = n + stride
  local id = ids[(n % #ids) + 1]
  return wrk.format("POST", "/v1/ai-apply/postings/" .. id .. "/archive", nil, "{}")
end
`);
  const all = () => Promise.all(engines.map((e) => metrics(e)));
  const sum = (ms, k) => ms.reduce((a, m) => a + (m[k] ?? 0), 0);
  const before = await all();
  const pgCpu = treeCpu(pgInfo?.postmaster);
  const oth = othersCpu([pgInfo?.postmaster]);
  const w = await wrkAll(engines, '/', { script, headers: { ...auth, 'content-type': 'application/json' } });
  const cores = pgCpu.stop();
  const others = oth.stop();
  const after = await all();
  const changes = after[0].openapply_events_total - before[0].openapply_events_total;
  const delta = (k) => sum(after, k) - sum(before, k);
  const commits = delta('openapply_store_commits_total');
  const grouped = delta('openapply_store_grouped_transactions_total');
  const statements = delta('openapply_store_statements_total');
  const health = await wrkAll(engines, '/healthz');
  const rate = changes / SECONDS;
  const tag = `${DB}, ${NODES} node${NODES > 1 ? 's' : ''}`;
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}); engine ${BIN ?? 'build/openapply'}; ${fmt(N)} postings stored`);
  if (DB === 'sqlite') {
    console.log('store: SQLite (one file, WAL, synchronous=NORMAL); 1 node');
  } else {
    console.log(`store: ${PG.describe(pgInfo, pg.own)}`);
    console.log(`nodes: ${NODES > 1 ? `${NODES} engines on one database (--node-id bench-node-1..${NODES})` : '1 engine (--node-id bench-node-1)'}; ` +
      `wrk: one per node at once, connections ${conns.join('/')}, ${threads.join('/')} thread${totalThreads > 1 ? 's' : ''}, rates summed`);
  }
  console.log(`${tag}: archive calls: ${fmt(w.requests)} in ${SECONDS} s at ${CONNS} connections (${fmt(w.bad)} not 2xx), ${fmt(changes)} state changes: ${fmt(rate)}/s` +
    (cores == null ? '' : `; PostgreSQL server CPU meanwhile ${cores.toFixed(2)} cores`) +
    (othersNote(others) ? `; ${othersNote(others)}` : ''));
  console.log(`${tag}: write commits: ${fmt(commits)} (${fmt(grouped)} transactions shared a group commit; ${(changes / Math.max(1, commits)).toFixed(1)} state changes per commit; ${(statements / Math.max(1, changes)).toFixed(1)} statements per state change, delivery included)`);
  console.log(`${tag}: beside it: GET /healthz ${fmt(health.rps)}/s (the engine's HTTP ceiling with one read${NODES > 1 ? ', summed over the nodes' : ''})`);
  console.log(`target: >= 4,000 state changes/s through the API on SQLite: ${DB === 'sqlite' ? (rate >= 4000 ? 'met' : 'MISSED') : `n/a on PostgreSQL (${fmt(rate)}/s here, for comparison)`}`);
  const store = DB === 'sqlite' ? 'SQLite' : `PostgreSQL${pgInfo.fsync === 'off' || pgInfo.syncCommit === 'off' ? ' (fsync off)' : ''}`;
  console.log(`\n| backend | nodes | state changes/s (archive calls) | per commit | GET /healthz |\n|---|---:|---:|---:|---:|\n` +
    `| ${store} | ${NODES} | ${fmt(rate)}${others.share > 0.05 ? ' (busy machine: not comparable)' : ''} | ${(changes / Math.max(1, commits)).toFixed(1)} | ${fmt(health.rps)}/s |`);
} catch (e) {
  console.error(e.stack || e.message);
  process.exitCode = 1;
} finally {
  await runCleanups();
}
