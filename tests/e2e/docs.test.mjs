// docs.test.mjs - the README stays true: its configuration table lists exactly the flags of
// `openapply serve --help`, each with the same OPENAPPLY_* variable and default; and `make run`
// honours the OPENAPPLY_* variables (flags given to make still win) and says clearly when its
// address is already taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, BIN, waitFor } from './lib/harness.mjs';

function helpEntries() {
  const r = spawnSync(BIN, ['serve', '--help'], { encoding: 'utf8' });
  const text = r.stdout + r.stderr;
  const entries = [];
  for (const line of text.split('\n')) {
    const m = line.match(/^ {2}(--[a-z-]+)/);
    if (m) entries.push({ flag: m[1], text: line });
    else if (entries.length && /^ {10,}/.test(line)) entries[entries.length - 1].text += ` ${line.trim()}`;
  }
  return entries.map((e) => ({
    flag: e.flag,
    env: e.text.match(/\((OPENAPPLY_[A-Z_]+)/)?.[1],
    // The default is the last [...] after the flag and its argument (e.g. [TENANT:]KEY is not).
    def: [...e.text.replace(/^\s*--[a-z-]+(\s+\S+)?/, '').matchAll(/\[([^\]]+)\]/g)].pop()?.[1],
  }));
}

function readmeRows() {
  const md = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = md.slice(md.indexOf('## Configuration'), md.indexOf('## The API'));
  return section.split('\n').filter((l) => l.startsWith('| `--')).map((l) => {
    const cells = l.split('|').map((c) => c.trim());
    return { flag: cells[1].match(/`(--[a-z-]+)/)[1], env: cells[2], def: cells[3] };
  });
}

test('the README configuration table matches `openapply serve --help`', () => {
  const help = helpEntries(), rows = readmeRows();
  assert.ok(help.length >= 15, `help lists the flags (${help.length})`);
  assert.deepEqual(rows.map((r) => r.flag).sort(), help.map((h) => h.flag).sort(), 'the same flags');
  for (const h of help) {
    const r = rows.find((x) => x.flag === h.flag);
    assert.ok(h.env, `${h.flag} names its variable in --help`);
    assert.ok(r.env.includes(h.env), `${h.flag}: README says ${r.env}, --help says ${h.env}`);
    if (h.def) assert.ok(r.def.replaceAll('`', '').includes(h.def), `${h.flag}: README default ${r.def}, --help [${h.def}]`);
  }
});

const freePort = () => new Promise((res) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
});

function makeRun(args, env) {
  const out = [];
  const p = spawn('make', ['--no-print-directory', 'run', ...args], { cwd: ROOT, env: { ...process.env, ...env }, detached: true });
  p.stdout.on('data', (d) => out.push(d.toString()));
  p.stderr.on('data', (d) => out.push(d.toString()));
  const exited = new Promise((res) => p.once('exit', (code) => res(code)));
  return { p, out, exited, text: () => out.join('') };
}

test('make run honours OPENAPPLY_* (flags given to make win) and refuses a taken address clearly', { timeout: 600000 }, async () => {
  // The resolved command line: the variable alone, then a make flag over it.
  const dry = (args, env) => spawnSync('make', ['-n', '--no-print-directory', 'run', ...args],
    { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' }).stdout.split('\n').find((l) => l.includes('openapply serve'));
  assert.doesNotMatch(dry([], { OPENAPPLY_LISTEN: '127.0.0.1:9999' }), /--listen/);
  assert.match(dry(['LISTEN=127.0.0.1:7777'], { OPENAPPLY_LISTEN: '127.0.0.1:9999' }), /--listen 127\.0\.0\.1:7777/);
  assert.doesNotMatch(dry([], { OPENAPPLY_DB: 'sqlite:/tmp/x.db' }), /--db/);
  assert.match(dry([], {}), /--listen 127\.0\.0\.1:8080 --db sqlite:openapply\.db/);

  // For real: the engine listens where OPENAPPLY_LISTEN says.
  const dir = mkdtempSync(join(tmpdir(), 'oa-makerun-'));
  const [port, sitePort] = [await freePort(), await freePort()];
  const env = { OPENAPPLY_LISTEN: `127.0.0.1:${port}`, OPENAPPLY_DB: `sqlite:${join(dir, 'run.db')}`, OPENAPPLY_API_KEY: 'run-key' };
  const first = makeRun([`SITE_PORT=${sitePort}`], env);
  try {
    await waitFor(async () => first.text().includes(`listening on http://127.0.0.1:${port}`), { ms: 300000, every: 200, what: `make run listening on ${port}:\n${first.text()}` });
    const h = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(h.status, 200);
    // A second make run on the same address says so and exits 2, starting nothing.
    const second = makeRun([`SITE_PORT=${await freePort()}`], env);
    const code = await second.exited;
    assert.equal(code, 2, second.text());
    assert.match(second.text(), new RegExp(`127\\.0\\.0\\.1:${port} is already in use: another engine`));
    assert.doesNotMatch(second.text(), /sample career site: http/);
  } finally {
    try { process.kill(-first.p.pid, 'SIGTERM'); } catch { /* gone */ }
    await first.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
