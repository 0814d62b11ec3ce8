// api.mjs - API throughput and latency over loopback.
//
//   node bench/api.mjs [--seconds 5] [--concurrency 16] [--bin build/openapply]
//
// Seeds 500 postings (on a closed local port, so they settle as UNAVAILABLE at once), then runs
// two workloads for `seconds` each from `concurrency` keep-alive clients: reading a page of 100
// postings (GET /v1/ai-apply/postings) and writing (POST /v1/ai-apply/career-sites, one row and
// one transaction per call). Prints requests/s and latency percentiles.
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { startEngine, client, waitFor } from '../tests/e2e/lib/harness.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const SECONDS = Number(arg('--seconds', 5));
const CONC = Number(arg('--concurrency', 16));
const engine = await startEngine({ bin: arg('--bin', undefined), args: ['--http-threads', '8'] });
const api = client(engine);
const url = new URL(engine.url);
const agent = new Agent({ keepAlive: true, maxSockets: CONC });

function call(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, agent,
      headers: { authorization: 'Bearer test-key-default', 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${path}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function run(name, fn) {
  const lat = [];
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONC }, async () => {
    while (Date.now() < end) {
      const t = process.hrtime.bigint();
      await fn();
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }));
  lat.sort((a, b) => a - b);
  const p = (q) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))].toFixed(2);
  console.log(`${name}: ${(lat.length / SECONDS).toFixed(0)} req/s, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms (${CONC} clients)`);
}

try {
  const cs = await api.post('/v1/ai-apply/career-sites', { label: 'Bench' });
  for (let i = 0; i < 500; i++)
    await api.post('/v1/ai-apply/postings', { url: `http://127.0.0.1:1/job/${i}`, career_site_id: cs.json.data.id });
  await waitFor(async () => (await api.get('/v1/ai-apply/postings?page_size=250')).json.data.results.every((p) => p.availability !== 'PENDING'), { ms: 60000 });
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), store sqlite`);
  await run('GET /v1/ai-apply/postings?page_size=100', () => call('GET', '/v1/ai-apply/postings?page_size=100'));
  let n = 0;
  await run('POST /v1/ai-apply/career-sites', () => call('POST', '/v1/ai-apply/career-sites', JSON.stringify({ label: `site ${n++}` })));
} finally {
  agent.destroy();
  const code = await engine.stop();
  engine.cleanup();
  if (code !== 0) process.exitCode = 1;
}
