// pgclient.mjs - the PostgreSQL cluster of $OA_TEST_PG (a DSN postgres://USER:PASS@HOST:PORT/DB,
// e.g. from tools/pg-cluster.sh) and its command-line clients (createdb, dropdb, psql from
// postgresql-client). Shared by the e2e harness and the benchmarks; it reads the environment
// only when called, so a caller may set OA_TEST_PG after importing it.
import { execFileSync } from 'node:child_process';

/** The PostgreSQL cluster of $OA_TEST_PG: { host, port, user, password, maintenanceDb }. */
export function pgCluster() {
  const dsn = process.env.OA_TEST_PG;
  if (!dsn) throw new Error('OA_E2E_DB=postgres needs OA_TEST_PG=postgres://USER:PASS@HOST:PORT/DB (make test-e2e-pg sets it)');
  let u;
  try { u = new URL(dsn); } catch { throw new Error(`OA_TEST_PG is not a URL: ${dsn.replace(/:[^:@/]*@/, ':***@')}`); }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error(`OA_TEST_PG: not a postgres:// URL (${u.protocol})`);
  return {
    host: decodeURIComponent(u.hostname) || '127.0.0.1',
    port: u.port || '5432',
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    maintenanceDb: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
  };
}

/** Runs a PostgreSQL client (createdb, dropdb, psql) against the cluster; returns stdout. */
export function pgClient(cmd, args, { readOnly = false } = {}) {
  const c = pgCluster();
  const env = { ...process.env, PGPASSWORD: c.password, PGCONNECT_TIMEOUT: '10' };
  if (readOnly) env.PGOPTIONS = `${env.PGOPTIONS ?? ''} -c default_transaction_read_only=on`.trim();
  try {
    return execFileSync(cmd, ['-h', c.host, '-p', c.port, '-U', c.user, ...args],
      { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = new Error(`${cmd} ${args.join(' ')}: ${(e.stderr || e.message || '').toString().trim()}`);
    err.stderr = (e.stderr || '').toString();
    throw err;
  }
}

