// steady.mjs - event-to-delivery latency under a steady event rate, alone and beside a
// failing (or hanging) neighbour endpoint that holds a backlog.
//
//   node bench/steady.mjs [--bin build/openapply] [--rate 1000] [--seconds 60]
//                         [--neighbour failing|hanging|failing,hanging] [--neighbour-tenant same|other]
//                         [--backlog 10000] [--drain-timeout 30] [--engine-args "..."]
//
// Everything on 127.0.0.1. One run ("alone"): the engine (its own SQLite file, 8 HTTP threads, one
// worker, --fetch-timeout 2m), --rate x --seconds postings imported PENDING up front (URLs on a
// server that never answers: the one worker waits 2 minutes on the first posting, which is archived
// first, so no parse finishes in a run of up to about 3 minutes and no other event is written;
// longer runs may see one UNAVAILABLE event per 2 minutes, harmless), one webhook endpoint
// at a Node receiver (node:http, keep-alive, a child process of its own so the load generator
// does not delay its clock readings). Then the postings are archived at a fixed rate, open loop:
// call i is sent at t0 + i / rate whether or not earlier calls have been answered (a keep-alive
// agent of 64 sockets), each writing exactly one ARCHIVED event. Latency is the receiver's arrival
// time (sub-millisecond) minus the event's data.updated_at, the engine's clock when it wrote the
// change (millisecond precision, so figures read up to 1 ms high); one figure per event, the
// first arrival of each webhook-id. An event not delivered within --drain-timeout seconds of the
// last call counts as infinitely late. Prints p50, p99 and max, the API calls' own latency (from
// their scheduled time), and the engine's peak RSS (VmRSS sampled every 100 ms, and VmHWM).
//
// --neighbour failing|hanging then repeats the run with a second endpoint whose receiver (another
// child process) answers 500 at once, or reads the request and never answers (each attempt then
// waits the --webhook-timeout, 15 s). Before the measured run it is given --backlog (10,000)
// pending deliveries: with --neighbour-tenant same (the default) it is in the same tenant,
// subscribed to every event like the healthy one, the healthy endpoint is disabled while 10,000
// other postings are archived (events written while an endpoint is disabled are not queued for
// it), then enabled again, so the neighbour also gets every measured event and its backlog grows
// during the run; with `other` it belongs to another tenant whose 10,000 events are written
// before the run. The healthy endpoint's p99 is printed beside the alone figure (target: at most
// 1.5 x). Each run also says what share of the CPU other processes (not this one's children)
// took meanwhile; above 5% it is not comparable. The engine runs with the e2e harness's flags
// (which turn the API rate limit off) plus those above.
import { createServer, Agent, request } from 'node:http';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as B from './lib/common.mjs';

// ---- child process mode: a receiver ----
const SERVE = B.arg('--serve', null);
if (SERVE) {
  const seen = new Map(); // webhook-id -> [written ms, arrival ms]
  let requests = 0;
  const srv = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/__arrivals') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ requests, arrivals: [...seen.values()] }));
      return;
    }
    if (req.method === 'GET' && req.url === '/__stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ requests, unique: seen.size }));
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const arrival = performance.timeOrigin + performance.now();
      requests++;
      if (SERVE === 'hanging') return; // never answered
      if (SERVE === 'failing') { res.writeHead(500, { 'content-type': 'text/plain' }); res.end('failing on purpose'); return; }
      const id = req.headers['webhook-id'];
      if (!seen.has(id)) {
        let written = NaN;
        try { written = Date.parse(JSON.parse(Buffer.concat(chunks).toString()).data.updated_at); } catch { /* counted as NaN */ }
        seen.set(id, [written, arrival]);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  srv.keepAliveTimeout = 120000;
  srv.requestTimeout = 0;
  srv.headersTimeout = 0;
  srv.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${srv.address().port}`));
  process.on('SIGTERM', () => process.exit(0));
  // A receiver outlives no benchmark: at most two hours.
  setTimeout(() => process.exit(0), 2 * 3600 * 1000).unref();
} else {
  await main();
}

/** Starts this file as a receiver child process; resolves to { url, get(path), stop() }. */
async function startReceiver(kind) {
  const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} receiver did not start`)), 10000);
    createInterface({ input: proc.stdout }).on('line', (l) => {
      const m = l.match(/listening on (\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.once('exit', (c) => { clearTimeout(timer); reject(new Error(`${kind} receiver exited with ${c}`)); });
  });
  const exited = new Promise((r) => proc.once('exit', r));
  return {
    url,
    get: async (path) => (await fetch(url + path)).json(),
    async stop() { if (proc.exitCode === null) proc.kill('SIGTERM'); await exited; },
  };
}

async function main() {
  const { startEngine, client } = await import('../tests/e2e/lib/harness.mjs');
  const BIN = B.arg('--bin', undefined);
  const RATE = Number(B.arg('--rate', 1000));
  const SECONDS = Number(B.arg('--seconds', 60));
  const NEIGHBOURS = (B.arg('--neighbour', '') || '').split(',').filter(Boolean);
  const NB_TENANT = B.arg('--neighbour-tenant', 'same');
  const BACKLOG = Number(B.arg('--backlog', 10000));
  const DRAIN_S = Number(B.arg('--drain-timeout', 30));
  const EXTRA = (B.arg('--engine-args', '') || '').split(' ').filter(Boolean);
  const N = Math.round(RATE * SECONDS);
  if (!(RATE > 0 && RATE <= 20000) || !(SECONDS > 0 && SECONDS <= 3600) || N < 1 ||
      NEIGHBOURS.some((k) => k !== 'failing' && k !== 'hanging') || !['same', 'other'].includes(NB_TENANT) ||
      !(BACKLOG >= 1 && BACKLOG <= 1000000)) {
    console.error('usage: --rate 1..20000 --seconds 1..3600 --neighbour failing|hanging[,...] --neighbour-tenant same|other --backlog 1..1000000');
    process.exit(2);
  }

  const hole = await B.startBlackHole();
  B.onCleanup(() => hole.close());

  /** One measured run; neighbour: null, 'failing' or 'hanging'. */
  async function run(neighbour) {
    const rcv = await startReceiver('healthy');
    B.onCleanup(() => rcv.stop());
    const nb = neighbour ? await startReceiver(neighbour) : null;
    if (nb) B.onCleanup(() => nb.stop());
    const engine = await startEngine({ bin: BIN, keys: ['default:test-key-default', 'other:test-key-other'],
      args: ['--workers', '1', '--http-threads', '8', '--fetch-timeout', '2m', ...EXTRA] });
    let stopped = false;
    B.onCleanup(async () => { if (!stopped) await engine.stop(); });
    const api = client(engine);
    try {
      const ep = await api.post('/v1/webhooks/endpoints', { url: `${rcv.url}/hook` });
      if (ep.status !== 200) throw new Error(`create endpoint: ${ep.status} ${ep.text}`);
      await B.importPending(api, N, { label: 'steady', holeUrl: hole.url });
      const ids = await B.postingIds(api, 'steady');
      if (ids.length !== N) throw new Error(`${ids.length} postings listed, expected ${N}`);
      // The neighbour's backlog last, so the measured run starts right after it is written.
      let nbPending0 = 0;
      if (nb) {
        const nbApi = NB_TENANT === 'same' ? api : client(engine, 'test-key-other');
        const ne = await nbApi.post('/v1/webhooks/endpoints', { url: `${nb.url}/hook` });
        if (ne.status !== 200) throw new Error(`create neighbour endpoint: ${ne.status} ${ne.text}`);
        const toggle = async (enabled) => {
          const r = await api.call('PATCH', `/v1/webhooks/endpoints/${ep.json.data.id}`, { enabled });
          if (r.status !== 200) throw new Error(`PATCH endpoint: ${r.status} ${r.text}`);
        };
        if (NB_TENANT === 'same') await toggle(false);
        const feed = await B.importPending(nbApi, BACKLOG, { label: 'neighbour', holeUrl: hole.url });
        await B.archiveFeed(nbApi, feed);
        if (NB_TENANT === 'same') await toggle(true);
        const m = await B.metrics(engine);
        nbPending0 = m[B.PENDING];
        if (nbPending0 < BACKLOG) throw new Error(`the neighbour holds ${nbPending0} pending deliveries, expected ${BACKLOG}`);
      }

      // The open-loop schedule: call i at t0 + i / RATE.
      const url = new URL(engine.url);
      const agent = new Agent({ keepAlive: true, maxSockets: 64 });
      const calls = new Float64Array(N).fill(NaN); // answered - scheduled, ms
      let errors = 0, answered = 0, lastError = '';
      const fire = (i, sched) => {
        const req = request({ host: url.hostname, port: url.port, path: `/v1/ai-apply/postings/${ids[i]}/archive`, method: 'POST', agent,
          headers: { authorization: 'Bearer test-key-default', 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => {
            answered++;
            calls[i] = performance.now() - sched;
            if (res.statusCode !== 200) { errors++; lastError = `HTTP ${res.statusCode}`; }
          });
        });
        req.on('error', (e) => { answered++; errors++; lastError = e.message; });
        req.end('{}');
      };
      const rss = B.rssSampler(engine.proc.pid, 100);
      const oth = B.othersCpu();
      const t0 = performance.now() + 100;
      let next = 0;
      while (next < N) {
        const now = performance.now();
        while (next < N && t0 + (next * 1000) / RATE <= now) { fire(next, t0 + (next * 1000) / RATE); next++; }
        await B.sleep(1);
      }
      const sendSecs = (performance.now() - t0) / 1000;
      // Bounded wait: every answer, then every delivery, or the drain timeout.
      const end = performance.now() + DRAIN_S * 1000;
      while (performance.now() < end && answered < N) await B.sleep(20);
      let stats = await rcv.get('/__stats');
      while (performance.now() < end && stats.unique < N - errors) { await B.sleep(50); stats = await rcv.get('/__stats'); }
      const mem = rss.stop();
      const others = oth.stop();
      agent.destroy();
      const m = await B.metrics(engine);
      const { arrivals, requests } = await rcv.get('/__arrivals');
      const nbStats = nb ? await nb.get('/__stats') : null;

      const lat = arrivals.map(([w, a]) => a - w).filter((x) => Number.isFinite(x));
      const missing = N - errors - lat.length;
      for (let i = 0; i < missing; i++) lat.push(Infinity);
      lat.sort((a, b) => a - b);
      const pct = (p) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))];
      const callLat = [...calls].filter(Number.isFinite).sort((a, b) => a - b);
      const cpct = (p) => callLat[Math.min(callLat.length - 1, Math.floor((p / 100) * callLat.length))];
      return { neighbour, sendRate: N / sendSecs, errors, lastError, delivered: lat.length - missing, missing, requests,
        p50: pct(50), p90: pct(90), p99: pct(99), max: lat[lat.length - 1], api50: cpct(50), api99: cpct(99),
        maxRss: mem.maxRss, hwm: mem.hwm, others, nbPending0, pendingEnd: m[B.PENDING], nbRequests: nbStats?.requests ?? 0 };
    } finally {
      hole.dropParses(); // the worker's one parse in flight; every other posting is archived
      const code = await engine.stop();
      stopped = true;
      if (code !== 0) console.error(`engine exited with ${code}`);
      engine.cleanup();
      await rcv.stop();
      if (nb) await nb.stop();
    }
  }

  const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'never');
  try {
    console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
      `engine ${BIN ?? 'build/openapply'}${EXTRA.length ? ` ${EXTRA.join(' ')}` : ''}`);
    await B.reportIdle();
    console.log(`load: ${B.fmt(RATE)} events/s for ${SECONDS} s (${B.fmt(N)} archive calls, open loop), 1 healthy endpoint`);
    const results = [];
    for (const nbKind of [null, ...NEIGHBOURS]) {
      const r = await run(nbKind);
      results.push(r);
      const label = nbKind ? `with a ${nbKind} neighbour (${NB_TENANT} tenant)` : 'alone';
      console.log('');
      console.log(`${label}: sent ${B.fmt(r.sendRate)} calls/s, ${r.errors} errors${r.errors ? ` (last: ${r.lastError})` : ''}, ` +
        `API answer p50 ${ms(r.api50)} p99 ${ms(r.api99)} (from the scheduled time)`);
      console.log(`  event-to-delivery: p50 ${ms(r.p50)}, p90 ${ms(r.p90)}, p99 ${ms(r.p99)}, max ${ms(r.max)}; ` +
        `${B.fmt(r.delivered)} delivered${r.missing ? `, ${B.fmt(r.missing)} not within ${DRAIN_S} s of the last call` : ''}` +
        `${r.requests > r.delivered ? ` (${B.fmt(r.requests - r.delivered)} duplicate requests)` : ''}`);
      console.log(`  engine peak RSS ${B.mib(r.maxRss)} (VmHWM ${B.mib(r.hwm)}); pending deliveries at the end: ${B.fmt(r.pendingEnd)}` +
        (nbKind ? `; neighbour held ${B.fmt(r.nbPending0)} at the start and got ${B.fmt(r.nbRequests)} requests` : ''));
      console.log(`  ${B.othersNote(r.others) || `other processes used ${(r.others.share * 100).toFixed(0)}% of the CPU meanwhile`}`);
    }
    const alone = results[0];
    console.log('');
    console.log(`targets: p50 < 5 ms, p99 < 50 ms alone; with a neighbour holding ${B.fmt(BACKLOG)}, p99 <= 1.5 x alone`);
    console.log('');
    console.log('| run | events/s | p50 | p99 | max | p99 / alone | peak RSS | other processes\' CPU |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      const name = r.neighbour ? `${r.neighbour} neighbour, ${B.fmt(r.nbPending0)} pending (${NB_TENANT} tenant)` : 'alone';
      const ratio = r.neighbour ? (Number.isFinite(r.p99) && Number.isFinite(alone.p99) ? (r.p99 / alone.p99).toFixed(2) : 'n/a') : '1';
      console.log(`| ${name} | ${B.fmt(r.sendRate)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${ratio} | ${B.mib(r.hwm)} | ` +
        `${(r.others.share * 100).toFixed(0)}%${r.others.share > 0.05 ? ' (not comparable)' : ''} |`);
    }
  } catch (e) {
    console.error(e.stack || e.message);
    process.exitCode = 1;
  } finally {
    await B.runCleanups();
  }
}
