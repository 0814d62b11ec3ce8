// writes.mjs - state changes per second through the API on SQLite (archive calls, each one
// posting's ARCHIVED event and its webhook delivery), beside the engine's own HTTP ceiling.
//
//   node bench/writes.mjs [--bin build/openapply] [--postings 40000] [--seconds 4] [--conns 16]
//                         [--engine-args "..."]
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
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { startEngine, client } from '../tests/e2e/lib/harness.mjs';
import { arg, fmt, startBlackHole, importPending, postingIds, metrics } from './lib/common.mjs';
import { startNginx } from './lib/nginx.mjs';

const BIN = arg('--bin', undefined);
const N = Number(arg('--postings', 40000));
const SECONDS = Number(arg('--seconds', 4));
const CONNS = Number(arg('--conns', 16));
const EXTRA = (arg('--engine-args', '') || '').split(' ').filter(Boolean);

async function wrk(url, script, headers = {}) {
  const h = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const { stdout } = await promisify(execFile)('wrk',
    ['-t2', `-c${CONNS}`, `-d${SECONDS}s`, ...(script ? ['-s', script] : []), ...h, url], { encoding: 'utf8' });
  return {
    rps: Number(stdout.match(/Requests\/sec:\s+([\d.]+)/)[1]),
    bad: Number(stdout.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
    requests: Number(stdout.match(/(\d+) requests in/)[1]),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'oa-writes-'));
const hole = await startBlackHole();
const nginx = await startNginx();
const engine = await startEngine({ bin: BIN, args: ['--workers', '1', '--http-threads', '8', '--fetch-timeout', '2m',
  '--log-level', 'warn', ...EXTRA] });
const api = client(engine);
const auth = { authorization: 'Bearer test-key-default' };
try {
  const ep = await api.post('/v1/webhooks/endpoints', { url: `${nginx.url}/hook` });
  if (ep.status !== 200) throw new Error(`endpoint: ${ep.status} ${ep.text}`);
  await importPending(api, N, { label: 'writes', holeUrl: hole.url });
  const ids = await postingIds(api, 'writes');
  if (ids.length !== N) throw new Error(`${ids.length} postings imported, expected ${N}`);
  // Thread t of wrk's 2 takes ids t, t+2, t+4, ...: every request archives a posting once.
  const script = join(dir, 'archive.lua');
  writeFileSync(script, `local ids = {${ids.map((i) => `"${i}"`).join(',')}}
local count, n = 0, 0
function setup(thread) thread:set("first", tostring(count)); count = count + 1 end
function init(args) n = tonumber(first) - 1 end
function request()
  n = n + 2
  local id = ids[(n % #ids) + 1]
  return wrk.format("POST", "/v1/ai-apply/postings/" .. id .. "/archive", nil, "{}")
end
`);
  const before = await metrics(engine);
  const w = await wrk(engine.url, script, { ...auth, 'content-type': 'application/json' });
  const after = await metrics(engine);
  const changes = after.openapply_events_total - before.openapply_events_total;
  const commits = after.openapply_store_commits_total - before.openapply_store_commits_total;
  const grouped = after.openapply_store_grouped_transactions_total - before.openapply_store_grouped_transactions_total;
  const statements = after.openapply_store_statements_total - before.openapply_store_statements_total;
  const health = await wrk(`${engine.url}/healthz`, null);
  const rate = changes / SECONDS;
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}); engine ${BIN ?? 'build/openapply'}, SQLite; ${fmt(N)} postings stored`);
  console.log(`archive calls: ${fmt(w.requests)} in ${SECONDS} s at ${CONNS} connections (${fmt(w.bad)} not 2xx), ${fmt(changes)} state changes: ${fmt(rate)}/s`);
  console.log(`write commits: ${fmt(commits)} (${fmt(grouped)} transactions shared a group commit; ${(changes / Math.max(1, commits)).toFixed(1)} state changes per commit; ${(statements / Math.max(1, changes)).toFixed(1)} statements per state change, delivery included)`);
  console.log(`beside it: GET /healthz ${fmt(health.rps)}/s (the engine's HTTP ceiling with one read)`);
  console.log(`target: >= 4,000 state changes/s through the API on SQLite: ${rate >= 4000 ? 'met' : 'MISSED'}`);
  console.log(`\n| state changes/s (archive calls) | per commit | GET /healthz |\n|---:|---:|---:|\n| ${fmt(rate)} | ${(changes / Math.max(1, commits)).toFixed(1)} | ${fmt(health.rps)}/s |`);
} finally {
  await engine.stop();
  engine.cleanup();
  await nginx.stop?.();
  await hole.close();
  rmSync(dir, { recursive: true, force: true });
}
