// pg.mjs - the PostgreSQL side of the benchmarks (bench/drain.mjs, bench/writes.mjs with
// --db postgres): a cluster to create databases on, and the createdb/dropdb/psql clients of
// postgresql-client against it.
//
// The cluster is $OA_TEST_PG (a DSN postgres://USER:PASS@HOST:PORT/DB of a role that may create
// databases, e.g. from tools/pg-cluster.sh or `make test-pg`'s), or, when that is not set, a
// private one that startCluster() starts with tools/pg-cluster.sh in a new folder under /tmp and
// whose stop() stops it and removes the folder (the caller registers stop() with onCleanup, so
// it also runs on an error or Ctrl-C). Such a cluster runs with fsync, synchronous_commit and
// full_page_writes off: describe() reads the server's own settings so every header says so.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgCluster, pgClient } from '../../tests/e2e/lib/pgclient.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

// The cluster's address and its command-line clients, shared with the e2e harness (both read
// $OA_TEST_PG when called; startCluster sets it for a private cluster).
const cluster = pgCluster;
const client = (cmd, args) => pgClient(cmd, args);

/**
 * The cluster of the run: $OA_TEST_PG if set, else a private one (tools/pg-cluster.sh start in
 * a new /tmp folder; its DSN is then exported as OA_TEST_PG for the e2e harness). Returns
 * { dsn, own, dir, stop() }; stop() is a no-op for a cluster of $OA_TEST_PG.
 */
export function startCluster() {
  if (process.env.OA_TEST_PG) {
    try { new URL(process.env.OA_TEST_PG); } catch { throw new Error('OA_TEST_PG is not a postgres:// URL'); }
    return { dsn: process.env.OA_TEST_PG, own: false, dir: null, stop() {} };
  }
  // A short path: the unix socket lives in DIR/sock (sun_path is 107 bytes).
  const dir = mkdtempSync('/tmp/oa-bench-pg-');
  let dsn;
  try {
    dsn = execFileSync(join(ROOT, 'tools/pg-cluster.sh'), ['start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`tools/pg-cluster.sh start: ${(e.stderr || e.message || '').toString().trim()}`);
  }
  process.env.OA_TEST_PG = dsn;
  let stopped = false;
  return {
    dsn, own: true, dir,
    stop() {
      if (stopped) return;
      stopped = true;
      try { execFileSync(join(ROOT, 'tools/pg-cluster.sh'), ['stop', dir], { stdio: ['ignore', 'ignore', 'pipe'] }); } catch (e) {
        console.error(`cleanup: tools/pg-cluster.sh stop ${dir}: ${(e.stderr || e.message || '').toString().trim()}`);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database name: oa_bench_<random hex>_<suffix>. */
export const dbName = (suffix) => `oa_bench_${randomBytes(4).toString('hex')}_${suffix}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');

/**
 * Creates a database; with template, a copy of that database (CREATE DATABASE ... TEMPLATE, a
 * file copy: the template must have no connection, so a backend that is still going away after
 * its engine stopped is waited for, up to 10 s).
 */
export function createDb(name, { template } = {}) {
  const args = ['--maintenance-db', cluster().maintenanceDb, ...(template ? [`--template=${template}`] : []), name];
  for (let i = 0; ; i++) {
    try { client('createdb', args); return name; } catch (e) {
      if (!template || i >= 100 || !/being accessed by other users/.test(e.stderr)) throw e;
      sleepSync(100);
    }
  }
}

/** Drops a database, closing the connections still on it. */
export function dropDb(name) {
  client('dropdb', ['--if-exists', '--force', '--maintenance-db', cluster().maintenanceDb, name]);
}

/** Runs SQL on a database; stdout of psql -At (one line a row, columns split by |). */
export function psql(db, sql) {
  return client('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql]).trim();
}

/** The cluster's version and durability settings, and its postmaster's pid when it is local
 * and readable (its processes are then not "other processes" in the CPU check). */
export function serverInfo() {
  const c = cluster();
  const [version, fsync, syncCommit, fpw] = psql(c.maintenanceDb,
    "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'), " +
    "current_setting('full_page_writes')").split('|');
  let postmaster = null, dataDir = null;
  try { // data_directory: superusers (and pg_read_all_settings) only; the pid file: a local server
    dataDir = psql(c.maintenanceDb, "SELECT current_setting('data_directory')");
    postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
  } catch { /* not readable here */ }
  return { version, fsync, syncCommit, fpw, dataDir, postmaster, host: c.host, port: c.port };
}

/** One line for a benchmark's header: which server, and that its commits are not durable. */
export function describe(info, own) {
  const where = own ? 'a private cluster from tools/pg-cluster.sh' : 'the cluster of OA_TEST_PG';
  const durable = info.fsync === 'on' && info.syncCommit !== 'off';
  return `PostgreSQL ${info.version} on ${info.host}:${info.port} (${where}): fsync=${info.fsync} ` +
    `synchronous_commit=${info.syncCommit} full_page_writes=${info.fpw}` +
    (durable ? '' : ' - a test cluster, NOT durable: commits do not wait for the disk, so these are not the figures of a durable PostgreSQL');
}
