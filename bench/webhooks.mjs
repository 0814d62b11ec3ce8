// webhooks.mjs - webhook delivery throughput and event-to-delivery latency.
//
//   node bench/webhooks.mjs [--events 2000] [--concurrency 16] [--bin build/openapply]
//                           [--engine-args "--endpoint-concurrency 16"]
//
// Starts the engine (its own temporary SQLite file) and an in-process receiver on loopback,
// creates postings whose first parse fails at once (a closed local port: one UNAVAILABLE
// event each), archives them from `concurrency` parallel clients (one ARCHIVED event each),
// and measures, at the receiver: deliveries per second (first event written -> last delivery)
// and the latency from each event being written (data.updated_at) to its arrival.
import { createServer } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { startEngine, client, waitFor } from '../tests/e2e/lib/harness.mjs';

const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const N = Number(arg('--events', 2000));
const CONC = Number(arg('--concurrency', 16));
const BIN = arg('--bin', undefined);
const EXTRA = (arg('--engine-args', '') || '').split(' ').filter(Boolean);

const arrivals = [];
const rcv = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const t = Date.now();
    const ev = JSON.parse(Buffer.concat(chunks).toString());
    arrivals.push({ t, type: ev.data.availability, written: Date.parse(ev.data.updated_at), id: ev.id });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});
rcv.keepAliveTimeout = 60000;
await new Promise((r) => rcv.listen(0, '127.0.0.1', r));
const hook = `http://127.0.0.1:${rcv.address().port}/hook`;

const engine = await startEngine({ bin: BIN, args: ['--workers', '8', '--http-threads', '8', ...EXTRA] });
const api = client(engine);
try {
  await api.post('/v1/webhooks/endpoints', { url: hook });
  const cs = await api.post('/v1/ai-apply/career-sites', { label: 'Bench' });
  const ids = [];
  for (let i = 0; i < N / 2; i++) {
    const p = await api.post('/v1/ai-apply/postings', { url: `http://127.0.0.1:1/job/${i}`, career_site_id: cs.json.data.id });
    ids.push(p.json.data.id);
  }
  await waitFor(async () => arrivals.length >= N / 2, { ms: 120000, what: 'UNAVAILABLE events' });
  arrivals.length = 0;
  const t0 = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONC }, async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const r = await api.post(`/v1/ai-apply/postings/${id}/archive`, {});
      if (r.status !== 200) throw new Error(r.text);
    }
  }));
  const tWritten = Date.now();
  await waitFor(async () => arrivals.length >= ids.length, { ms: 120000, what: 'ARCHIVED deliveries' });
  const tLast = Math.max(...arrivals.map((a) => a.t));
  const lat = arrivals.map((a) => a.t - a.written).sort((a, b) => a - b);
  const pct = (p) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`machine: ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, store sqlite`);
  console.log(`events: ${ids.length} ARCHIVED events from ${CONC} concurrent API clients, 1 endpoint${EXTRA.length ? ` (${EXTRA.join(' ')})` : ''}`);
  console.log(`write rate: ${(ids.length / ((tWritten - t0) / 1000)).toFixed(0)} events/s (API archive calls)`);
  console.log(`deliveries/s: ${(ids.length / ((tLast - t0) / 1000)).toFixed(0)} (first event written -> last delivery)`);
  console.log(`event-to-delivery latency: p50 ${pct(50)} ms, p90 ${pct(90)} ms, p99 ${pct(99)} ms, max ${lat[lat.length - 1]} ms`);
} finally {
  const code = await engine.stop();
  engine.cleanup();
  rcv.close();
  if (code !== 0) process.exitCode = 1;
}
