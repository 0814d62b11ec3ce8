// consumer.mjs - helpers for the consumer-kit tests: `openapply listen`, `openapply verify`
// and examples/sync-mirror as child processes, webhooks signed by the reference
// `standardwebhooks` package, and raw POSTs of a captured request.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Webhook } from 'standardwebhooks';
import { BIN } from './harness.mjs';
import { kombo } from './verify.mjs';

/** The build directory of the binary under test (sync-mirror and the library live there). */
export const BUILD_DIR = dirname(BIN);
export const SYNC_MIRROR = join(BUILD_DIR, 'sync-mirror');

/**
 * Starts a long-running child and waits for its ready line (matching `ready`, whose first
 * group is the URL). Returns { url, proc, lines: stdout lines after the ready line, stderr,
 * stop() -> exit code }.
 */
async function startChild(bin, args, ready, what, env = {}) {
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const lines = [], stderr = [];
  const exited = new Promise((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  createInterface({ input: proc.stderr }).on('line', (l) => {
    stderr.push(l);
    if (process.env.OA_E2E_VERBOSE) console.error(`[${what}]`, l);
  });
  const url = await new Promise((resolveP, reject) => {
    let readyUrl = null;
    const timer = setTimeout(() => reject(new Error(`${what}: not ready in 15 s\n${stderr.join('\n')}`)), 15000);
    createInterface({ input: proc.stdout }).on('line', (l) => {
      if (process.env.OA_E2E_VERBOSE) console.error(`[${what} stdout]`, l);
      if (readyUrl === null) {
        const m = l.match(ready);
        if (m) { readyUrl = m[1]; clearTimeout(timer); resolveP(readyUrl); }
        return;
      }
      lines.push(l);
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`${what} exited early with ${code}\n${stderr.join('\n')}`)); });
  });
  return {
    url, proc, lines, stderr, exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const r = await exited;
      if (r.code !== 0) console.error(`${what} exited with ${r.code ?? r.signal}:\n${stderr.slice(-30).join('\n')}`);
      return r.code;
    },
  };
}

/** `openapply listen --listen 127.0.0.1:0 ...args`. */
export function startListen(args) {
  return startChild(BIN, ['listen', '--listen', '127.0.0.1:0', ...args], /^openapply listen on (http:\/\/\S+)$/, 'listen');
}

/** examples/sync-mirror on a free port. */
export function startSyncMirror(secret, db) {
  return startChild(SYNC_MIRROR, ['--listen', '127.0.0.1:0', '--secret', secret, '--db', db],
    /^sync-mirror listening on (http:\/\/\S+?) /, 'sync-mirror');
}

/** Runs the openapply binary to completion: { code, stdout, stderr }. */
export function runCli(args, { input = '', env = {} } = {}) {
  return new Promise((resolveP, reject) => {
    const proc = spawn(BIN, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    proc.on('error', reject);
    proc.on('exit', (code) => resolveP({ code, stdout, stderr }));
    proc.stdin.on('error', () => {}); // the command may exit before reading everything
    proc.stdin.end(input);
  });
}

/** `openapply verify` on a body with headers given as [[name, value], ...] or an object. */
export function verifyCli(secret, headers, body, extra = []) {
  const pairs = Array.isArray(headers) ? headers : Object.entries(headers);
  const args = ['verify', ...(secret === null ? [] : ['--secret', secret]), ...pairs.flatMap(([n, v]) => ['--header', `${n}: ${v}`]), ...extra];
  return runCli(args, { input: body });
}

/** The three Standard Webhooks headers (+ X-Kombo-Signature), signed by the reference library. */
export function signedHeaders(secret, id, body, ts = Math.floor(Date.now() / 1000), { withKombo = false } = {}) {
  const h = {
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': new Webhook(secret).sign(id, new Date(ts * 1000), body),
  };
  if (withKombo) h['x-kombo-signature'] = kombo(secret, body);
  return h;
}

/** POSTs body (string or Buffer) with exactly these headers. */
export async function postRaw(url, headers, body, method = 'POST') {
  const r = await fetch(url, { method, headers, body: method === 'GET' ? undefined : body });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, text, json };
}

/** The headers of a captured request worth replaying (no hop-by-hop ones). */
export function replayHeaders(req) {
  const keep = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k.startsWith('webhook-') || ['x-kombo-signature', 'content-type', 'user-agent'].includes(k)) keep[k] = v;
  }
  return keep;
}

/** Creates a webhook endpoint pointing at `url` and returns it (with its secret). */
export async function createEndpoint(api, url, extra = {}) {
  const r = await api.post('/v1/webhooks/endpoints', { url, ...extra });
  if (r.status !== 200) throw new Error(`endpoint: ${r.status} ${r.text}`);
  return r.json.data;
}

/** Points an endpoint at another URL. */
export async function moveEndpoint(api, id, url) {
  const r = await api.call('PATCH', `/v1/webhooks/endpoints/${id}`, { url });
  if (r.status !== 200) throw new Error(`endpoint update: ${r.status} ${r.text}`);
  return r.json.data;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
