// harness.mjs - starts the real openapply binary and the sample career site as child
// processes on loopback (random ports), and gives tests a small HTTP client.
//
// The engine binary is $OA_BIN (default build/openapply). Under sanitizers ($OA_SANITIZED=1)
// a leak or UB makes the engine exit non-zero at shutdown: stop() reports the exit code and
// tests assert it is 0.
//
// The store: a SQLite file in the engine's temporary folder, or, with OA_E2E_DB=postgres, a
// fresh database per engine on the PostgreSQL cluster of $OA_TEST_PG (a DSN
// postgres://USER:PASS@HOST:PORT/DB, e.g. from tools/pg-cluster.sh; make test-e2e-pg sets both),
// made and dropped with the createdb/dropdb clients of postgresql-client. Tests that read or
// write the store behind the engine's back go through dbQuery/sql/dbExec, which speak to
// either backend.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { pgCluster, pgClient } from './pgclient.mjs';
import { ATS_BASES } from '../../../examples/career-site/ats/bases.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = process.env.OA_BIN || join(ROOT, 'build/openapply');
export const SANITIZED = process.env.OA_SANITIZED === '1';

/** The store backend the engines of this run use: 'sqlite' (default) or 'postgres'. */
export const BACKEND = (() => {
  const v = process.env.OA_E2E_DB || 'sqlite';
  if (v !== 'sqlite' && v !== 'postgres') throw new Error(`OA_E2E_DB=${v}: expected sqlite or postgres`);
  return v;
})();
/** What GET /healthz says as `store` for BACKEND. */
export const STORE = BACKEND;
/** A node:test skip reason for tests about SQLite alone (false on SQLite). */
export const SQLITE_ONLY = BACKEND === 'postgres' && 'about the SQLite store only (OA_E2E_DB=postgres)';

/** The --db URL of database `name` on the cluster. */
function pgUrl(name) {
  const c = pgCluster();
  const host = c.host.includes(':') ? `[${c.host}]` : c.host;
  return `postgres://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@${host}:${c.port}/${name}`;
}

/** Creates a fresh database oa_e2e_<random hex> on the cluster; returns its name. */
function createPgDb() {
  const name = `oa_e2e_${randomBytes(8).toString('hex')}`;
  pgClient('createdb', ['--maintenance-db', pgCluster().maintenanceDb, name]);
  return name;
}

/** Drops a database of the cluster, closing the connections still on it. */
function dropPgDb(name) {
  try {
    pgClient('dropdb', ['--if-exists', '--force', '--maintenance-db', pgCluster().maintenanceDb, name]);
  } catch (e) {
    console.error(`# cleanup: ${e.message}`); // the cluster is thrown away after the run anyway
  }
}

/**
 * A new, empty store for an engine a test starts by hand (serveRaw, runToExit):
 * { dbUrl (the --db value), cleanup() }. A SQLite file in dir, or under OA_E2E_DB=postgres a
 * fresh database on the cluster (cleanup drops it).
 */
export function freshStore(dir) {
  if (BACKEND === 'postgres') {
    const name = createPgDb();
    return { dbUrl: pgUrl(name), cleanup: () => dropPgDb(name) };
  }
  return { dbUrl: `sqlite:${join(dir, 'engine.db')}`, cleanup() {} };
}

// Engines per PostgreSQL database (engines restarted on one store share one): cleanup() drops
// the database only when no other engine on it is still running.
const pgEngines = new Map();

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
 * Starts the engine. opts: { keys: ['tenant:key', ...], args: [...], env: {...}, db: SQLite
 * path (SQLite only), dir: existing temp dir (reuse a database across restarts) }.
 * Returns { url, dir, backend, dbUrl (the --db value), db (the SQLite file; null on
 * PostgreSQL), pgDb (the PostgreSQL database; null on SQLite), proc, stdout: [...],
 * stderr: [...], stop(), kill(), cleanup() }.
 */
export async function startEngine(opts = {}) {
  const dir = opts.dir || mkdtempSync(join(tmpdir(), 'oa-e2e-'));
  let db = null, pgDb = null, dbUrl, nodeArgs = [];
  if (BACKEND === 'postgres') {
    // One database per store: its name is kept in dir, so an engine started again on the same
    // dir (a restart) finds the same data.
    const nameFile = join(dir, 'pg-db');
    if (existsSync(nameFile)) pgDb = readFileSync(nameFile, 'utf8').trim();
    if (!pgDb) {
      pgDb = createPgDb();
      writeFileSync(nameFile, pgDb + '\n');
    }
    dbUrl = pgUrl(pgDb);
    // One node name per store, the same after a restart: on a shared (PostgreSQL) store a
    // node frees at start-up only the leases it took itself, so the restarted engine must be
    // the node that crashed, as it is on SQLite (one engine per file). The default name
    // (host:port) would change with every --listen 127.0.0.1:0. opts.args may set another.
    nodeArgs = ['--node-id', `e2e-${pgDb}`];
  } else {
    db = opts.db || join(dir, 'engine.db');
    dbUrl = `sqlite:${db}`;
  }
  const args = ['serve', '--listen', '127.0.0.1:0', '--db', dbUrl,
    ...(opts.noPrivate ? [] : ['--allow-private-networks']), '--workers', '4', '--http-threads', '4',
    '--fetch-timeout', '3s', '--apply-retry-schedule', '200ms,200ms',
    // Tests and benchmarks write in bursts; the rate limit has its own test (opts.args can
    // set it: the last --rate-limit wins).
    '--rate-limit', 'off',
    // No browser unless a test asks for one (browser.test.mjs: --browsers N, the last wins):
    // pages without a form would otherwise be rendered too, slower and beside the point.
    '--browsers', '0',
    ...(opts.keys ?? ['default:test-key-default']).flatMap((k) => ['--api-key', k]),
    ...nodeArgs, ...(opts.args ?? [])];
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
    url: m[1], dir, backend: BACKEND, dbUrl, db, pgDb, proc, stdout, stderr, exited,
    /** SIGTERM and wait; returns the exit code (0 expected: clean shutdown, no leaks). */
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const r = await exited;
      if (r.code !== 0) console.error(`engine exited with ${r.code ?? r.signal}:\n${stderr.slice(-40).join('\n')}`);
      return r.code;
    },
    /** kill -9: a crash. */
    async kill() { proc.kill('SIGKILL'); await exited; },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
      if (!pgDb) return;
      const peers = pgEngines.get(pgDb);
      peers?.delete(engine);
      if (peers && [...peers].some((e) => e.proc.exitCode === null && e.proc.signalCode === null)) return;
      pgEngines.delete(pgDb);
      dropPgDb(pgDb);
    },
  };
  if (pgDb) {
    if (!pgEngines.has(pgDb)) pgEngines.set(pgDb, new Set());
    pgEngines.get(pgDb).add(engine);
  }
  return engine;
}

/**
 * Starts the sample career site on a random port. Returns { url, proc, admin helpers, stop }.
 * site.ats(vendor) reaches a fake ATS API (examples/career-site/ats/): { base (the URL to give
 * --connector-base), state(), set(settings), job(id[, settings]), submissions([job]), reset() };
 * site.connectorArgs() is the --connector-base flags for every vendor.
 */
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
    job: (slug) => admin('GET', `/jobs/${slug}`),
    state: () => admin('GET', '/state'),
    reset: () => admin('POST', '/reset'),
    ats(vendor) {
      if (!Object.hasOwn(ATS_BASES, vendor)) throw new Error(`no fake ATS "${vendor}"`);
      const a = `/ats/${vendor}`;
      return {
        base: url + ATS_BASES[vendor].base,
        state: () => admin('GET', a),
        set: (settings) => admin('POST', a, settings),
        job: (id, settings) => admin(settings ? 'POST' : 'GET', `${a}/jobs/${encodeURIComponent(id)}`, settings),
        submissions: async (job) => (await admin('GET', `${a}/submissions${job ? `?job=${encodeURIComponent(job)}` : ''}`)).submissions,
        reset: () => admin('POST', `${a}/reset`),
      };
    },
    connectorArgs: () => Object.entries(ATS_BASES).flatMap(([name, b]) => ['--connector-base', `${name}=${url}${b.base}`]),
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

/**
 * Runs a read-only SQL query on the engine's store, whichever backend (sqlite3 CLI on SQLite,
 * psql -At on PostgreSQL, in a read-only transaction), and returns its stdout trimmed: one line
 * a row, columns separated by |, NULL as the empty string, no header (the same on both).
 */
export function dbQuery(engine, query) {
  if (engine.pgDb) return pgClient('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', engine.pgDb, '-c', query], { readOnly: true }).trim();
  return execFileSync('sqlite3', ['-readonly', '-cmd', '.timeout 5000', engine.db, query], { encoding: 'utf8' }).trim();
}

/** Runs a read-only SQL query on the engine's store, whichever backend: JSON rows. */
export function sql(engine, query) {
  if (engine.pgDb) {
    // One JSON object a row, in the query's order (integers come out as numbers, as with
    // sqlite3 -json).
    const out = dbQuery(engine, `SELECT row_to_json(q) FROM (${query}) q`);
    return out ? out.split('\n').map((l) => JSON.parse(l)) : [];
  }
  const out = execFileSync('sqlite3', ['-json', '-readonly', engine.db, query], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}

/**
 * Runs SQL that changes the engine's store behind its back (sqlite3 waits up to 5 s for the
 * engine's write lock; psql stops at the first error). Returns stdout trimmed.
 */
export function dbExec(engine, query) {
  if (engine.pgDb) return pgClient('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', engine.pgDb, '-c', query]).trim();
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', engine.db, query], { encoding: 'utf8' }).trim();
}

export function haveSqliteCli() {
  try { execFileSync('sqlite3', ['-version']); return true; } catch { return false; }
}

export function havePsqlCli() {
  try { execFileSync('psql', ['--version']); return true; } catch { return false; }
}

/** A node:test skip reason when the command-line client of BACKEND is missing (else false). */
export function dbCliMissing() {
  if (BACKEND === 'postgres') return !havePsqlCli() && 'needs the psql CLI (postgresql-client)';
  return !haveSqliteCli() && 'needs the sqlite3 CLI';
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
