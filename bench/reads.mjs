// reads.mjs - API read rates at 1k and at 100k stored postings, beside nginx serving the same
// bytes from a file in the same run (issue: reads whose cost does not grow with the data).
//
//   node bench/reads.mjs [--bin build/openapply] [--sizes 1000,100000] [--seconds 5] [--conns 16]
//
// Needs nginx and wrk from Debian (`make deps-bench`). All on 127.0.0.1. Postings are imported
// PENDING through a job feed (their URLs on a server that never answers, one worker: nothing is
// parsed), up to each size; then wrk runs, at --conns connections for --seconds each:
//   GET /v1/ai-apply/postings?ids=ID         one posting by id
//   GET /v1/ai-apply/postings?page_size=100  a page of 100
// and the same two answers, saved to files, served by nginx.
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, client } from '../tests/e2e/lib/harness.mjs';
import { arg, fmt, startBlackHole, importPending } from './lib/common.mjs';
import { freePort, nginxBinary } from './lib/nginx.mjs';

const BIN = arg('--bin', undefined);
const SIZES = arg('--sizes', '1000,100000').split(',').map(Number);
const SECONDS = Number(arg('--seconds', 5));
const CONNS = Number(arg('--conns', 16));

// Asynchronous on purpose: the engine's stderr is read by this process, and a blocked event loop
// would stall the engine on a full pipe.
async function wrk(url, headers = {}) {
  const h = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const { stdout: out } = await promisify(execFile)('wrk', ['-t2', `-c${CONNS}`, `-d${SECONDS}s`, ...h, url], { encoding: 'utf8' });
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  if (non2xx) throw new Error(`${url}: ${non2xx} non-2xx answers`);
  return rps;
}

async function startStatic(dir) {
  const bin = nginxBinary();
  if (!bin) throw new Error('nginx not found: run `make deps-bench`');
  const root = process.getuid?.() === 0;
  chmodSync(dir, 0o755);
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), `${root ? 'user nobody nogroup;' : ''}
worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; client_body_temp_path ${dir}/cb;
  proxy_temp_path ${dir}/p; fastcgi_temp_path ${dir}/f; uwsgi_temp_path ${dir}/u; scgi_temp_path ${dir}/s;
  server { listen 127.0.0.1:${port}; location / { root ${dir}/www; default_type application/json; } } }
`);
  const proc = spawn(bin, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  process.once('exit', () => { try { proc.kill('SIGKILL'); } catch { /* gone */ } });
  for (let i = 0; i < 100; i++) {
    try { await fetch(`http://127.0.0.1:${port}/`); break; } catch { await new Promise((r) => setTimeout(r, 50)); }
  }
  return { url: `http://127.0.0.1:${port}`, stop: () => proc.kill('SIGTERM') };
}

const dir = mkdtempSync(join(tmpdir(), 'oa-reads-'));
mkdirSync(join(dir, 'www'));
chmodSync(join(dir, 'www'), 0o755);
const hole = await startBlackHole();
const nginx = await startStatic(dir);
const engine = await startEngine({ bin: BIN, args: ['--workers', '1', '--http-threads', '8', '--fetch-timeout', '2m', '--log-level', 'warn'] });
const api = client(engine);
const auth = { authorization: 'Bearer test-key-default' };
const rows = [];
try {
  let have = 0, n = 0;
  for (const size of SIZES) {
    const { label } = await importPending(api, size - have, { label: `reads${++n}`, holeUrl: hole.url });
    have = size;
    const one = await api.get(`/v1/ai-apply/postings?job_codes=${label}-0`);
    const id = one.json.data.results[0].id;
    const byId = await api.get(`/v1/ai-apply/postings?ids=${id}`);
    const page = await api.get('/v1/ai-apply/postings?page_size=100');
    writeFileSync(join(dir, 'www', 'byid.json'), byId.text);
    writeFileSync(join(dir, 'www', 'page.json'), page.text);
    const r = {
      size,
      byId: await wrk(`${engine.url}/v1/ai-apply/postings?ids=${id}`, auth),
      page: await wrk(`${engine.url}/v1/ai-apply/postings?page_size=100`, auth),
      nginxById: await wrk(`${nginx.url}/byid.json`),
      nginxPage: await wrk(`${nginx.url}/page.json`),
    };
    rows.push(r);
    console.log(`${fmt(size)} postings: by id ${fmt(r.byId)}/s (nginx ${fmt(r.nginxById)}/s), page of 100 ${fmt(r.page)}/s (nginx ${fmt(r.nginxPage)}/s)`);
  }
  const first = rows[0], last = rows[rows.length - 1];
  console.log(`\nby id: the rate at ${fmt(last.size)} is ${(last.byId / first.byId).toFixed(2)} x the rate at ${fmt(first.size)}; page of 100: ${(last.page / first.page).toFixed(2)} x`);
  console.log('targets: by id >= 20,000/s at 100k; rate at 100k >= 0.8 x at 1k; a page of 100 >= 5,000/s\n');
  console.log(`| postings stored | GET by id | nginx, same bytes | page of 100 | nginx, same bytes |\n|---:|---:|---:|---:|---:|`);
  for (const r of rows) console.log(`| ${fmt(r.size)} | ${fmt(r.byId)}/s | ${fmt(r.nginxById)}/s | ${fmt(r.page)}/s | ${fmt(r.nginxPage)}/s |`);
} finally {
  await engine.stop();
  engine.cleanup();
  nginx.stop();
  await hole.close();
  rmSync(dir, { recursive: true, force: true });
}
