// checksrc.test.mjs - the banned-function check (tools/checksrc.sh) that `make test` runs:
// it refuses each banned call, ignores the names in comments and strings, and passes the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib/harness.mjs';

const check = (...files) => spawnSync('bash', [join(ROOT, 'tools/checksrc.sh'), ...files], { encoding: 'utf8' });

test('each banned function is refused, named, with its line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oa-checksrc-'));
  try {
    for (const fn of ['sprintf', 'strcpy', 'strcat', 'strtok', 'atoi', 'gets', 'strerror']) {
      const f = join(dir, `${fn}.c`);
      writeFileSync(f, `#include <stdio.h>\n/* ${fn}() is fine in a comment */\nvoid f(char *a, char *b) {\n  ${fn} (a, b);\n}\n`);
      const r = check(f);
      assert.equal(r.status, 1, `${fn}: ${r.stdout}`);
      assert.match(r.stdout, new RegExp(`${fn}\\.c:4: ${fn}\\(\\) is banned`));
    }
    const ok = join(dir, 'ok.c');
    writeFileSync(ok, '// sprintf(x) strcpy(y)\nconst char *s = "atoi(1) strerror(2)";\nint g(void) { return snprintf(0, 0, "%d", 1) + my_atoi(2) + x.gets(3); }\n');
    const r = check(ok);
    assert.equal(r.status, 0, r.stdout);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('the tree is clean', () => {
  const r = check();
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /no banned functions/);
});
