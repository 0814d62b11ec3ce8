// consumer-install.test.mjs - libopenapply as a consumer gets it: `cmake --install` into a
// temporary prefix, then a C program outside the tree built with
// `pkg-config --cflags --libs openapply` links the shared library, verifies a webhook signed by
// the reference `standardwebhooks` package and parses its event; the same program links the
// static library; the installed tree still works after being moved (a relocatable .pc); the
// shared library exports only the oaw_* API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANITIZED } from './lib/harness.mjs';
import { BUILD_DIR, signedHeaders } from './lib/consumer.mjs';

const PROGRAM = `/* check.c - a consumer of the installed libopenapply: argv[1] secret, argv[2] body file,
 * then header "name" "value" pairs. */
#include <stdio.h>
#include <stdlib.h>
#include <openapply/openapply.h>

int main(int argc, char **argv)
{
    oaw_header h[8];
    size_t n = 0;
    char body[65536];
    FILE *f = fopen(argv[2], "rb");
    size_t len = f ? fread(body, 1, sizeof body, f) : 0;
    if (f)
        fclose(f);
    for (int i = 3; i + 1 < argc && n < 8; i += 2, n++) {
        h[n].name = argv[i];
        h[n].value = argv[i + 1];
    }
    oaw_result r = oaw_verify(argv[1], h, n, body, len, NULL);
    if (r != OAW_OK) {
        printf("invalid: %s\\n", oaw_strerror(r));
        return 1;
    }
    oaw_event ev;
    oaw_parse_error pe;
    r = oaw_event_parse(body, len, &ev, &pe);
    if (r != OAW_OK) {
        printf("valid, but %s at %s: %s\\n", oaw_strerror(r), pe.path, pe.message);
        return 1;
    }
    printf("valid %s %s %s libopenapply/%s\\n", ev.type, ev.resource_id,
           oaw_availability_name(ev.data.posting.availability), oaw_version());
    oaw_event_free(&ev);
    return 0;
}
`;

const BODY = JSON.stringify({
  id: 'Eq5jVbGUsTzS1rX9gq2Ufq4H', type: 'ai-apply-job-posting-status-updated',
  data: {
    id: '7BxCvW2kq9Nd1rLmTzA4sYpQ', career_site: { id: '3kTnR8vXq2WmYp5sLc7dHfJb', label: 'Install Co' },
    url: 'https://careers.example.com/jobs/1', job_code: 'J-1', created_at: '2025-01-01T10:00:00.000Z',
    updated_at: '2025-01-01T10:05:00.000Z', archived_at: null, archived_reason: null, availability: 'APPLYABLE',
  },
});
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
// Under sanitizers the library is instrumented: so must the program be.
const SAN = SANITIZED ? ['-fsanitize=address,undefined'] : [];
let dir, prefix;

const sh = (cmd, env = {}) => execFileSync('sh', ['-c', cmd], { encoding: 'utf8', env: { ...process.env, ...env } });
const pcEnv = (p) => ({ PKG_CONFIG_PATH: join(p, 'lib/pkgconfig') });

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'oa-install-'));
  prefix = join(dir, 'prefix');
  execFileSync('cmake', ['--install', BUILD_DIR, '--prefix', prefix], { stdio: 'pipe' });
  writeFileSync(join(dir, 'check.c'), PROGRAM);
  writeFileSync(join(dir, 'body.json'), BODY);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function run(exe, libdir, headers, secret = SECRET) {
  const args = [secret, join(dir, 'body.json'), ...Object.entries(headers).flat()];
  return spawnSync(exe, args, { encoding: 'utf8', env: { ...process.env, LD_LIBRARY_PATH: libdir } });
}

test('the install has the headers, both libraries, openapply.pc and the command', () => {
  for (const f of ['include/openapply/openapply.h', 'include/openapply/webhook.h', 'include/openapply/event.h',
    'include/openapply/mirror.h', 'lib/libopenapply.a', 'lib/libopenapply.so', 'lib/libopenapply.so.0',
    'lib/pkgconfig/openapply.pc', 'bin/openapply']) {
    assert.ok(existsSync(join(prefix, f)), `${f} installed`);
  }
  assert.equal(sh('pkg-config --modversion openapply', pcEnv(prefix)).trim(), '0.1.0');
  assert.match(sh('pkg-config --cflags --libs openapply', pcEnv(prefix)), /-I\S+\/include .*-L\S+\/lib -lopenapply/);
  const exported = sh(`nm -D --defined-only ${join(prefix, 'lib/libopenapply.so')} | awk '$2 == "T" {print $3}'`)
    .trim().split('\n').map((s) => s.replace(/@.*/, ''));
  assert.ok(exported.length >= 15, exported.join(' '));
  assert.deepEqual(exported.filter((s) => !s.startsWith('oaw_')), [], 'only oaw_* is exported');
});

test('a program outside the tree builds with pkg-config, links the shared library and verifies', () => {
  const exe = join(dir, 'check');
  sh(`cc -std=c99 -Wall -Wextra -Werror ${SAN.join(' ')} ${join(dir, 'check.c')} -o ${exe} $(pkg-config --cflags --libs openapply)`,
    pcEnv(prefix));
  assert.match(sh(`readelf -d ${exe}`), /NEEDED.*libopenapply\.so\.0/, 'linked against the shared library');
  const libdir = join(prefix, 'lib');
  const good = run(exe, libdir, signedHeaders(SECRET, 'Eq5jVbGUsTzS1rX9gq2Ufq4H', BODY));
  assert.equal(good.status, 0, good.stdout + good.stderr);
  assert.equal(good.stdout, 'valid ai-apply-job-posting-status-updated 7BxCvW2kq9Nd1rLmTzA4sYpQ APPLYABLE libopenapply/0.1.0\n');
  const wrong = run(exe, libdir, signedHeaders(SECRET, 'Eq5jVbGUsTzS1rX9gq2Ufq4H', BODY), 'whsec_bm90IHRoZSByaWdodCBzZWNyZXQgYXQgYWxs');
  assert.equal(wrong.status, 1);
  assert.match(wrong.stdout, /invalid: no signature matches/);
  const stale = run(exe, libdir, signedHeaders(SECRET, 'x', BODY, Math.floor(Date.now() / 1000) - 3600));
  assert.match(stale.stdout, /invalid: webhook-timestamp is too old/);
});

test('the same program links the static library', () => {
  const exe = join(dir, 'check-static');
  sh(`cc -std=c99 ${SAN.join(' ')} ${join(dir, 'check.c')} -o ${exe} $(pkg-config --cflags openapply) ` +
    `${join(prefix, 'lib/libopenapply.a')} $(pkg-config --static --libs-only-l openapply | sed 's/-lopenapply//')`,
  pcEnv(prefix));
  assert.doesNotMatch(sh(`readelf -d ${exe}`), /libopenapply/, 'no shared libopenapply needed');
  const r = run(exe, '', signedHeaders(SECRET, 'Eq5jVbGUsTzS1rX9gq2Ufq4H', BODY, undefined, { withKombo: true }));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^valid /);
});

test('the installed tree still works after it is moved (relocatable openapply.pc)', () => {
  const moved = join(dir, 'moved');
  renameSync(prefix, moved);
  try {
    const exe = join(dir, 'check-moved');
    sh(`cc ${SAN.join(' ')} ${join(dir, 'check.c')} -o ${exe} $(pkg-config --cflags --libs openapply)`, pcEnv(moved));
    const r = run(exe, join(moved, 'lib'), signedHeaders(SECRET, 'Eq5jVbGUsTzS1rX9gq2Ufq4H', BODY));
    assert.equal(r.status, 0, r.stdout + r.stderr);
  } finally {
    renameSync(moved, prefix);
  }
});
