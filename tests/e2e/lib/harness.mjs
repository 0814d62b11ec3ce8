// harness.mjs - starts the real openapply binary and the sample career site as child
// processes on loopback (random ports), and gives tests a small HTTP client.
//
// The engine binary is $OA_BIN (default build/openapply). Under sanitizers ($OA_SANITIZED=1)
// a leak or UB makes the engine exit non-zero at shutdown: stop() reports the exit code and
// tests assert it is 0.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = process.env.OA_BIN || join(ROOT, 'build/openapply');
export const SANITIZED = process.env.OA_SANITIZED === '1';

/** Waits for a line on a stream matching re; rejects after ms or when the process exits. */
function waitForLine(proc, stream, re, ms, what) {
  return new Promise((resolveP, reject) => {
    const rl = createInterface({ input: stream });
    const timer = setTimeout(() => { rl.close(); reject(new Error(`${what}: no "${re}" within ${ms} ms`)); }, ms);
    rl.on('line', (line) => {
      const m = line.match(re);
      if (m) { clearTimeout(timer); rl.close(); resolveP(m); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited early with ${code}`)); });
  });
}

/**
 * Starts the engine. opts: { keys: ['tenant:key', ...], args: [...], env: {...}, db: path,
 * dir: existing temp dir (reuse a database across restarts) }.
 * Returns { url, dir, db, proc, stdout: [...], stderr: [...], stop(), kill() }.
 */
export async function startEngine(opts = {}) {
  const dir = opts.dir || mkdtempSync(join(tmpdir(), 'oa-e2e-'));
  const db = opts.db || join(dir, 'engine.db');
  const args = ['serve', '--listen', '127.0.0.1:0', '--db', `sqlite:${db}`,
    ...(opts.noPrivate ? [] : ['--allow-private-networks']), '--workers', '4', '--http-threads', '4',
    '--fetch-timeout', '3s', '--apply-retry-schedule', '200ms,200ms',
    // Tests and benchmarks write in bursts; the rate limit has its own test (opts.args can
    // set it: the last --rate-limit wins).
    '--rate-limit', 'off',
    ...(opts.keys ?? ['default:test-key-default']).flatMap((k) => ['--api-key', k]),
    ...(opts.args ?? [])];
  const env = { ...process.env, ...(opts.env ?? {}) };
  for (const k of Object.keys(env)) if (k.startsWith('OPENAPPLY_') && !(opts.env && k in opts.env)) delete env[k];
  const proc = spawn(opts.bin || BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = [], stderr = [];
  createInterface({ input: proc.stderr }).on('line', (l) => { stderr.push(l); if (process.env.OA_E2E_VERBOSE) console.error('[engine]', l); });
  const exited = new Promise((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  const m = await waitForLine(proc, proc.stdout, /listening on (http:\/\/[^\s]+)/, 15000, 'openapply serve')
    .catch((e) => { throw new Error(`${e.message}\n${stderr.slice(-20).join('\n')}`); });
  createInterface({ input: proc.stdout }).on('line', (l) => stdout.push(l));
  const engine = {
    url: m[1], dir, db, proc, stdout, stderr, exited,
    /** SIGTERM and wait; returns the exit code (0 expected: clean shutdown, no leaks). */
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const r = await exited;
      if (r.code !== 0) console.error(`engine exited with ${r.code ?? r.signal}:\n${stderr.slice(-40).join('\n')}`);
      return r.code;
    },
    /** kill -9: a crash. */
    async kill() { proc.kill('SIGKILL'); await exited; },
    cleanup() { rmSync(dir, { recursive: true, force: true }); },
  };
  return engine;
}

/** Starts the sample career site on a random port. Returns { url, proc, admin helpers, stop }. */
export async function startSite() {
  const proc = spawn(process.execPath, [join(ROOT, 'examples/career-site/server.mjs'), '--host', '127.0.0.1', '--port', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const errs = [];
  createInterface({ input: proc.stderr }).on('line', (l) => errs.push(l));
  const exited = new Promise((res) => proc.once('exit', (code) => res(code)));
  const m = await waitForLine(proc, proc.stdout, /listening on (http:\/\/[^\s]+)/, 10000, 'career site');
  const url = m[1].replace(/\/$/, '');
  const admin = async (method, path, body) => {
    const r = await fetch(url + '/__admin' + path, {
      method, headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (r.status >= 400) throw new Error(`career site admin ${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    url, proc, errs,
    jobUrl: (slug) => `${url}/jobs/${slug}`,
    submissions: async (job) => (await admin('GET', `/submissions${job ? `?job=${job}` : ''}`)).submissions,
    setJob: (slug, settings) => admin('POST', `/jobs/${slug}`, settings),
    state: () => admin('GET', '/state'),
    reset: () => admin('POST', '/reset'),
    async stop() { proc.kill('SIGTERM'); await exited; },
  };
}

/** A small JSON client bound to an engine and an API key. */
export function client(engine, key = 'test-key-default') {
  const call = async (method, path, body, { headers = {}, raw } = {}) => {
    const h = { ...headers };
    if (key !== null && !('authorization' in h)) h.authorization = `Bearer ${key}`;
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] ??= 'application/json'; }
    const r = await fetch(engine.url + path, { method, headers: h, body: payload });
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: r.status, json, text, headers: r.headers };
  };
  return {
    get: (p, o) => call('GET', p, undefined, o),
    post: (p, b, o) => call('POST', p, b, o),
    call,
  };
}

/** Polls fn until it returns a truthy value; throws with the last value after ms. */
export async function waitFor(fn, { ms = 15000, every = 50, what = 'condition' } = {}) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Runs a read-only SQL query on the engine's SQLite file (JSON rows). */
export function sql(engine, query) {
  const out = execFileSync('sqlite3', ['-json', '-readonly', engine.db, query], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}

export function haveSqliteCli() {
  try { execFileSync('sqlite3', ['-version']); return true; } catch { return false; }
}

export { existsSync };

/** Starts the webhook receiver process (lib/receiver-server.mjs). */
export async function startReceiver() {
  const proc = spawn(process.execPath, [join(ROOT, 'tests/e2e/lib/receiver-server.mjs'), '--port', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((res) => proc.once('exit', (code) => res(code)));
  const m = await waitForLine(proc, proc.stdout, /listening on (http:\/\/[^\s]+)/, 10000, 'receiver');
  const url = m[1];
  const admin = async (method, path, body) => {
    const r = await fetch(url + '/__admin' + path, { method, body: body ? JSON.stringify(body) : undefined });
    return r.json();
  };
  return {
    url,
    hook: (name) => `${url}/hook/${name}`,
    behave: (name, b) => admin('POST', `/behave/${name}`, b),
    /** Received requests for hook name, with body (exact text) and parsed json. */
    async received(name) {
      const r = await admin('GET', `/received${name ? `?name=${name}` : ''}`);
      return r.received.map((x) => {
        const raw = Buffer.from(x.body_b64, 'base64');
        let json = null;
        try { json = JSON.parse(raw.toString()); } catch { /* keep null */ }
        return { ...x, raw, body: raw.toString(), json };
      });
    },
    /** { total, ids: {webhook-id: n}, last: {resource id: state} } for hook name. */
    summary: (name) => admin('GET', `/summary${name ? `?name=${name}` : ''}`),
    clear: () => admin('DELETE', '/received'),
    async stop() { proc.kill('SIGTERM'); await exited; },
  };
}
