// forms.mjs - form quality: how well the drivers read application forms, against truth
// written by hand.
//
//   node bench/forms.mjs [--bin build/oa-extract] [--only NAME] [--json FILE] [--truth DIR]
//
// Every bench/forms/truth/**/*.json file names a page (a saved career-site page, a sample
// career-site template, a saved vendor answer, or a path of the sample site's fake vendor APIs
// to fetch: the site is started on a free port for them) and lists the questions a careful
// human sees on it (bench/forms/README.md). The real extractor reads the page through
// build/oa-extract (tools/oa-extract.c: the generic HTML driver, or the connector the truth
// names), and each question is scored:
//
//   structure right  type, required and the option labels (a set, whitespace normalised) all
//                    equal to the truth's
//   key right        unified_key equal (null == null counts where the question exists in both)
//
// A question the extractor missed, or one it made that no human sees, is wrong for both. The
// figures come per page, per language, per set (fixtures, career site, connectors) and in
// total, beside the targets (structure >= 98 %, keys >= 95 %), then every wrong question with
// what was expected and what came out, and the same grouped by cause. Also counted, not in the
// targets: option unified keys (on options present in both) and the EEO category. --only keeps
// the truth files whose path contains NAME; --json writes every result to FILE; --truth reads
// the truth from another directory (same layout). Exit 0 whatever
// the figures (a benchmark, not a test); 1 when something cannot run.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg } from './lib/common.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TRUTH = resolve(arg('--truth', join(ROOT, 'bench', 'forms', 'truth')));
const BIN = arg('--bin', process.env.OA_EXTRACT || join(ROOT, 'build', 'oa-extract'));
const ONLY = arg('--only', '');
const JSON_OUT = arg('--json', '');
const TARGET = { structure: 0.98, keys: 0.95 };

// The placeholders of the sample career site's templates, filled as tests/unit/test_html_form.c
// fills them; a truth file's "fill" adds or overrides ({"action": ...}).
const FILL = { csrf: 'CSRF-DUMMY-1', job_id: 'BW-1042', form_started_at: '1700000000000', errors: '' };

const die = (msg) => { console.error(`bench/forms: ${msg}`); process.exit(1); };
const norm = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();
const pct = (r, n) => (n ? `${((100 * r) / n).toFixed(1)} %` : 'n/a');
const show = (v) => (v === null || v === undefined ? 'null' : JSON.stringify(v));

// The sets in the order they are printed: saved pages, the sample career site, connectors.
const SETS = ['fixtures', 'career-site', 'ats', 'ats-fakes'];
const setRank = (name) => (SETS.indexOf(name) < 0 ? SETS.length : SETS.indexOf(name));

function truthFiles(dir) {
  const out = [];
  const order = (a, b) => setRank(a.name) - setRank(b.name) || a.name.localeCompare(b.name);
  for (const e of readdirSync(dir, { withFileTypes: true }).sort(order)) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...truthFiles(p));
    else if (e.name.endsWith('.json')) out.push(p);
  }
  return out;
}

/** Starts the sample career site (with its fake vendor APIs) on a free port, once. */
let site = null;
function startSite() {
  if (site) return site;
  site = new Promise((resolveUrl, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'examples', 'career-site', 'server.mjs'), '--host', '127.0.0.1', '--port', '0'],
      { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolveUrl({ url: m[1], child });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the sample career site exited (${code}) before it listened`)));
  });
  return site;
}
async function stopSite() {
  if (!site) return;
  const { child } = await site;
  if (child.exitCode === null) await new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); });
}

/** Runs oa-extract on a truth file's page; returns its JSON answer. */
async function extract(t) {
  let body;
  if (t.fetch) {
    const { url } = await startSite();
    const r = await fetch(url + t.fetch);
    if (r.status !== 200) die(`GET ${t.fetch} from the sample site: ${r.status}`);
    body = Buffer.from(await r.arrayBuffer());
  } else {
    body = readFileSync(join(ROOT, t.page));
  }
  if (t.page?.startsWith('examples/career-site/pages/')) {
    const fill = { ...FILL, ...(t.fill || {}) };
    body = Buffer.from(body.toString('utf8').replace(/\{\{([a-z_]+)\}\}/g, (_, k) => (k in fill ? fill[k] : 'dummy')));
  }
  const args = [...(t.driver && t.driver !== 'html' ? ['--driver', t.driver] : []), '-', t.url];
  const r = spawnSync(BIN, args, { input: body, maxBuffer: 64 << 20 });
  if (r.error) die(`${BIN}: ${r.error.message}`);
  if (r.status === 2) die(`${BIN} ${args.join(' ')}: ${r.stderr.toString().trim()}`);
  return JSON.parse(r.stdout.toString());
}

/** The questions of an extracted form, depth first, in page order. */
function questions(blocks, out = []) {
  for (const b of blocks || []) {
    if (b.block_type === 'SECTION') questions(b.children, out);
    else out.push(b);
  }
  return out;
}

/** Scores one truth file. */
async function score(file) {
  const t = JSON.parse(readFileSync(file, 'utf8'));
  const name = relative(TRUTH, file).replace(/\.json$/, '');
  const set = name.split('/')[0];
  for (const k of ['url', 'lang', 'kind', 'questions']) if (t[k] === undefined) die(`${name}: no "${k}"`);
  if (!t.page === !t.fetch) die(`${name}: give "page" or "fetch"`);
  const out = await extract(t);
  const got = questions(out.form?.blocks);
  const ignore = new Set((t.ignore || []).map((i) => i.name));
  const used = new Set();
  const res = {
    name, set, lang: t.lang, driver: t.driver || 'html', page: t.page || `GET ${t.fetch}`,
    kindWant: t.kind, kindGot: out.kind ?? `error ${out.error}`, why: out.why,
    n: 0, structure: 0, keys: 0, optTotal: 0, optRight: 0, catTotal: 0, catRight: 0,
    missing: 0, extra: 0, wrong: [],
  };
  for (const q of t.questions) {
    const names = [q.name, ...(q.also || [])];
    const i = got.findIndex((g, j) => !used.has(j) && names.includes(g.field_name));
    res.n++;
    if (i < 0) {
      res.missing++;
      res.wrong.push({ name: q.name, causes: ['missing'], detail: [`missing: expected ${q.type}${q.required ? ' required' : ''} key ${show(q.key)}, the extractor made no question`] });
      continue;
    }
    used.add(i);
    const g = got[i];
    const causes = [], detail = [];
    const wantOpts = (q.options || []).map(norm), gotOpts = (g.options || []).map((o) => norm(o.label));
    const lost = wantOpts.filter((o) => !gotOpts.includes(o)), added = gotOpts.filter((o) => !wantOpts.includes(o));
    let ok = true;
    if (g.question_type !== q.type) {
      ok = false;
      causes.push(`type ${q.type} -> ${g.question_type}`);
      detail.push(`type: expected ${q.type}, got ${g.question_type}`);
    }
    if (g.required !== q.required) {
      ok = false;
      causes.push(`required ${q.required} -> ${g.required}`);
      detail.push(`required: expected ${q.required}, got ${g.required}`);
    }
    if (lost.length || added.length || new Set(gotOpts).size !== gotOpts.length) {
      ok = false;
      causes.push('options');
      detail.push(`options: expected ${JSON.stringify(wantOpts)}, got ${JSON.stringify(gotOpts)}`);
    }
    if (ok) res.structure++;
    if ((g.unified_key ?? null) === (q.key ?? null)) res.keys++;
    else {
      causes.push(`key ${show(q.key)} -> ${show(g.unified_key)}`);
      detail.push(`key: expected ${show(q.key)}, got ${show(g.unified_key)}`);
    }
    for (const o of g.options || []) {
      const label = norm(o.label);
      if (!wantOpts.includes(label)) continue;
      const want = (q.option_keys || {})[label] ?? null;
      res.optTotal++;
      if ((o.unified_key ?? null) === want) res.optRight++;
      else detail.push(`option ${JSON.stringify(label)} key: expected ${show(want)}, got ${show(o.unified_key)} (not in the targets)`);
    }
    res.catTotal++;
    if ((g.category ?? null) === (q.category ?? null)) res.catRight++;
    else detail.push(`category: expected ${show(q.category)}, got ${show(g.category)} (not in the targets)`);
    if (detail.length) res.wrong.push({ name: q.name, label: g.label, causes, detail, structureOk: ok });
  }
  got.forEach((g, j) => {
    if (used.has(j) || ignore.has(g.field_name)) return;
    res.n++;
    res.extra++;
    res.wrong.push({ name: g.field_name, label: g.label, causes: ['extra'], detail: [`extra: the extractor made ${g.question_type} ${JSON.stringify(g.label)} (key ${show(g.unified_key)}), no human sees it`] });
  });
  return res;
}

const files = existsSync(TRUTH) ? truthFiles(TRUTH).filter((f) => relative(TRUTH, f).includes(ONLY)) : [];
if (!files.length) die(`no truth files under ${relative(ROOT, TRUTH)}${ONLY ? ` matching ${ONLY}` : ''}`);
if (!existsSync(BIN)) die(`${BIN} not found: build it (cmake -S . -B build && cmake --build build --target oa-extract)`);
const results = [];
try {
  for (const f of files) results.push(await score(f));
} finally {
  await stopSite();
}

const sum = (rs) => rs.reduce((a, r) => ({
  pages: a.pages + 1, n: a.n + r.n, structure: a.structure + r.structure, keys: a.keys + r.keys,
  optTotal: a.optTotal + r.optTotal, optRight: a.optRight + r.optRight, catTotal: a.catTotal + r.catTotal,
  catRight: a.catRight + r.catRight, kindOk: a.kindOk + (r.kindWant === r.kindGot ? 1 : 0),
  missing: a.missing + r.missing, extra: a.extra + r.extra,
}), { pages: 0, n: 0, structure: 0, keys: 0, optTotal: 0, optRight: 0, catTotal: 0, catRight: 0, kindOk: 0, missing: 0, extra: 0 });
const groupBy = (key) => {
  const m = new Map();
  for (const r of results) m.set(r[key], [...(m.get(r[key]) || []), r]);
  return [...m].sort((a, b) => (key === 'set' ? setRank(a[0]) - setRank(b[0]) : 0) || a[0].localeCompare(b[0]));
};
const mark = (r, n, target) => `${pct(r, n)}${n && r / n < target ? ' ✗' : ''}`;
const row = (name, s) => `| ${name} | ${s.pages} | ${s.kindOk}/${s.pages} | ${s.n} | ${mark(s.structure, s.n, TARGET.structure)} | ${mark(s.keys, s.n, TARGET.keys)} | ${pct(s.optRight, s.optTotal)} |`;

const head = execOut('git', ['rev-parse', '--short', 'HEAD']);
console.log(`form quality (bench/forms.mjs): ${results.length} page${results.length === 1 ? '' : 's'}, ${BIN.replace(`${ROOT}/`, '')}${head ? ` at ${head}` : ''}`);
console.log(`targets: structure >= ${TARGET.structure * 100} %, keys >= ${TARGET.keys * 100} % (✗ marks a figure below its target)\n`);
console.log('| page | driver | lang | kind (want / got) | questions | missing / extra | structure | keys | option keys |');
console.log('|---|---|---|---|---:|---:|---:|---:|---:|');
for (const r of results) {
  const kind = r.kindWant === r.kindGot ? r.kindGot : `**${r.kindWant} / ${r.kindGot}**`;
  console.log(`| ${r.name} | ${r.driver} | ${r.lang} | ${kind} | ${r.n} | ${r.missing} / ${r.extra} | ${mark(r.structure, r.n, TARGET.structure)} | ${mark(r.keys, r.n, TARGET.keys)} | ${pct(r.optRight, r.optTotal)} |`);
}
for (const [title, key] of [['language', 'lang'], ['set', 'set']]) {
  console.log(`\n| ${title} | pages | kind right | questions | structure | keys | option keys |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [k, rs] of groupBy(key)) console.log(row(k, sum(rs)));
}
const total = sum(results);
console.log('\n| total | pages | kind right | questions | structure | keys | option keys |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
console.log(row('all', total));
const verdict = (r, n, t) => (n && r / n >= t ? 'met' : 'MISSED');
console.log(`\nstructure ${pct(total.structure, total.n)} (target ${TARGET.structure * 100} %: ${verdict(total.structure, total.n, TARGET.structure)}), ` +
  `keys ${pct(total.keys, total.n)} (target ${TARGET.keys * 100} %: ${verdict(total.keys, total.n, TARGET.keys)}); ` +
  `${total.missing} missing and ${total.extra} extra questions; EEO category ${total.catRight}/${total.catTotal} right; ` +
  `page kind ${total.kindOk}/${total.pages} right`);

const wrong = results.flatMap((r) => r.wrong.map((w) => ({ ...w, page: r.name })));
const kindWrong = results.filter((r) => r.kindWant !== r.kindGot);
if (kindWrong.length) {
  console.log('\npages of the wrong kind:');
  for (const r of kindWrong) console.log(`  ${r.name}: expected ${r.kindWant}, got ${r.kindGot}${r.why ? ` (${r.why})` : ''}`);
}
if (wrong.length) {
  console.log('\nwrong questions (and notes outside the targets):');
  for (const w of wrong) {
    console.log(`  ${w.page}  ${w.name}${w.label ? `  ${JSON.stringify(w.label)}` : ''}`);
    for (const d of w.detail) console.log(`      ${d}`);
  }
  const causes = new Map();
  for (const w of wrong) for (const c of w.causes) causes.set(c, [...(causes.get(c) || []), `${w.page}:${w.name}`]);
  if (causes.size) {
    console.log('\nby cause (a question may have several):');
    for (const [c, where] of [...causes].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0])))
      console.log(`  ${String(where.length).padStart(3)}  ${c}: ${where.join(', ')}`);
  }
}
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ total, results }, null, 2) + '\n');

function execOut(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT });
  return r.status === 0 ? r.stdout.toString().trim() : '';
}
