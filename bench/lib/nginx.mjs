// nginx.mjs - a fast local webhook receiver for the benchmarks: Debian's nginx answering 200 to
// every request (POST included) on a free loopback port, from its own temporary prefix.
//
// Everything nginx writes (pid, error log, temp dirs) stays inside that prefix; the access log
// is off and keep-alive connections live for a million requests, so the receiver is never the
// bottleneck. As root its workers run as nobody (they need no file: `return` answers from
// memory and the request body is discarded).
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export function nginxBinary() {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(p)) return p;
  try { return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim(); } catch { return null; }
}

/**
 * Starts nginx; resolves to { url, port, dir, pid, stop() } once it answers. workers: nginx
 * worker processes (1 leaves the other core to the engine on a 2-core machine).
 */
export async function startNginx({ workers = 1 } = {}) {
  const bin = nginxBinary();
  if (!bin) throw new Error('nginx not found: run `make deps-bench` (apt-get install nginx)');
  const dir = mkdtempSync(join(tmpdir(), 'oa-nginx-'));
  const root = process.getuid?.() === 0;
  if (root) chmodSync(dir, 0o755); // workers (nobody) create nothing here, but may traverse
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), `
${root ? 'user nobody nogroup;' : ''}
worker_processes ${workers};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_body_buffer_size 64k;
  client_max_body_size 1m;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:${port} reuseport;
    location / { default_type application/json; return 200 '{"ok":true}'; }
  }
}
`);
  const proc = spawn(bin, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  const errs = [];
  proc.stderr.on('data', (d) => errs.push(d.toString()));
  const exited = new Promise((res) => proc.once('exit', (code, sig) => res(code ?? sig)));
  const orphan = () => { try { proc.kill('SIGKILL'); } catch { /* gone */ } };
  process.once('exit', orphan); // never outlive the benchmark, even on a crash
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (proc.exitCode === null && proc.signalCode === null) { proc.kill('SIGKILL'); await exited; }
    process.removeListener('exit', orphan);
    rmSync(dir, { recursive: true, force: true });
  };
  // Bounded wait for the first 200 (at most 10 s).
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) {
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nginx exited with ${proc.exitCode}: ${errs.join('')}${log}`);
    }
    try {
      const r = await fetch(url + '/probe', { method: 'POST', body: '{}' });
      await r.text();
      if (r.status === 200) break;
    } catch { /* not listening yet */ }
    if (i >= 200) { await stop(); throw new Error('nginx did not answer within 10 s'); }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, port, dir, pid: proc.pid, proc, stop };
}
