// walkthrough.test.mjs - the README's five-minute walk-through, run as written: every ```sh
// block of that section (but `make run`, which the harness replaces) in one bash session, with
// the engine, the sample site and terminal 3's listener (its commented command line, run in
// the background) on the test's own ports. It checks what the commands print, that nothing is
// left in the repository, and that a saved webhook verifies with the printed command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, BIN, startEngine, startSite } from './lib/harness.mjs';
import { createServer } from 'node:net';

const freePort = () => new Promise((res) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
});

function blocks() {
  const md = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const sec = md.slice(md.indexOf('## Five-minute walk-through'), md.indexOf('## Configuration'));
  return [...sec.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => !/^make run\s*$/m.test(b.trim()));
}

test('the README walk-through works as written', { timeout: 180000 }, async () => {
  const site = await startSite();
  const engine = await startEngine({ keys: ['default:walkthrough-key'], args: ['--refresh-interval', '1s'] });
  const events = mkdtempSync(join(tmpdir(), 'oa-wt-events-'));
  const before = spawnSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).stdout;
  try {
    const siteHost = new URL(site.url).host, listenPort = await freePort();
    let script = blocks().join('\n');
    script = script
      .replaceAll('export KEY=oa_...', 'export KEY=walkthrough-key')
      .replaceAll('http://127.0.0.1:8080', engine.url)
      .replaceAll('127.0.0.1:8081', siteHost)
      .replaceAll('127.0.0.1:9000', `127.0.0.1:${listenPort}`)
      .replaceAll('/tmp/oa-events', events)
      .replaceAll('./build/openapply', BIN)
      .replaceAll('# ... within the re-check interval:', 'sleep 4')
      // Terminal 3's commented commands run here, the listener in the background.
      .replace(/^#\s+(mkdir -p .*)$/m, '$1')
      .replace(/^#\s+(\S*openapply listen .*)$/m, (_, cmd) => `${cmd.replace('<the secret>', '"$SECRET"')} > ${events}/listen.out 2>&1 &\nsleep 0.5`);
    assert.match(script, /openapply listen .* &/, 'terminal 3\'s listener is in the walk-through');
    const r = spawnSync('bash', ['-c', `set -euo pipefail\n${script}\nsleep 1\nkill %1 || true\n`], { cwd: ROOT, encoding: 'utf8', timeout: 150000 });
    const out = r.stdout;
    assert.equal(r.status, 0, `the walk-through failed:\n${r.stderr}\n${out}`);
    assert.match(out, /"APPLYABLE"/, 'step 2: the posting is applyable');
    assert.match(out, /"block_type": "SECTION"/, 'step 3: a section of the form');
    assert.match(out, /"SUBMITTED"/, 'step 4: submitted');
    assert.match(out, /"csrf_ok": true/);
    assert.match(out, /"filename": "[^"]+\.pdf"/, 'step 4: the uploaded file is shown');
    assert.match(out, /"review_reason": "[^"]+"/, 'step 5: the review queue with its reason');
    assert.match(out, /"archived_reason": "MANUAL_ARCHIVE"/, 'step 6: archived by hand');
    assert.match(out, /"archived_reason": "JOB_POSTING_TAKEN_OFFLINE"/, 'step 6: a re-check found the job offline');
    // Terminal 3 printed the events and a verify command for each; one of them verifies.
    const listen = readFileSync(join(events, 'listen.out'), 'utf8');
    assert.match(listen, /ai-apply-job-posting-status-updated/);
    const cmd = listen.match(/saved: (openapply verify .*)$/m)?.[1];
    assert.ok(cmd, `listen printed a verify command:\n${listen}`);
    const secret = out.match(/^whsec_\S+$/m)?.[0];
    assert.ok(secret, 'step 1 printed the secret');
    const v = spawnSync('bash', ['-c', cmd.replace(/^openapply/, BIN)], { env: { ...process.env, SECRET: secret }, encoding: 'utf8' });
    assert.equal(v.stdout.trim(), 'valid', v.stderr);
    assert.ok(readdirSync(events).some((f) => f.endsWith('.body')));
    // Nothing left behind in the repository.
    const after = spawnSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).stdout;
    assert.equal(after, before, 'the walk-through leaves no files in the repository');
  } finally {
    assert.equal(await engine.stop(), 0);
    engine.cleanup();
    await site.stop();
    rmSync(events, { recursive: true, force: true });
  }
});
