// keys-data.test.mjs - the driver's phrase tables are data checked at build time: keysgen (the
// build step that turns src/drivers/keys/*.tsv into C arrays) accepts the committed files and
// refuses a bad file with FILE:LINE and what is wrong, so a bad entry fails the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { ROOT, BIN } from './lib/harness.mjs';

const KEYSGEN = join(dirname(BIN), 'keysgen');
const KEYS = join(ROOT, 'src/drivers/keys');

test('the committed phrase files pass', () => {
  const files = readdirSync(KEYS).filter((f) => f.endsWith('.tsv')).map((f) => join(KEYS, f));
  assert.ok(files.length >= 10, 'a file per language');
  const r = spawnSync(KEYSGEN, files, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('a bad phrase file fails the build step, saying where and what', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oa-keys-'));
  try {
    const cases = [
      ['label\tFIRST_NAME\tvoornaam\nlable\tFIRST_NAME\tnaam\n', 2, /unknown table/],
      ['label\tFIRST_NAMES\tvoornaam\n', 1, /FIRST_NAMES/],
      ['label\tFIRST_NAME\tvoor*naam\n', 1, /\*/],
      ['label\tFIRST_NAME\n', 1, /column|field|phrase/i],
      ['label\tFIRST_NAME\tvoornaam\nlabel\tFIRST_NAME\tvoornaam\n', 2, /duplicate|twice|already/i],
      ['country\tXX\tNowhereland\n', 1, /XX/],
      ['choose_word\t-\ttwo words\n', 1, /word|space/i],
    ];
    for (const [text, line, re] of cases) {
      const f = join(dir, 'xx.tsv');
      writeFileSync(f, text);
      const r = spawnSync(KEYSGEN, ['-o', join(dir, 'out.h'), f], { encoding: 'utf8' });
      assert.notEqual(r.status, 0, `refused: ${JSON.stringify(text)}`);
      assert.ok(r.stderr.includes(`${f}:${line}:`), `names the line: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
