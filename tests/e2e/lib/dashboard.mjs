// dashboard.mjs - drives the operator dashboard (/ui/) in Debian's headless Chromium through
// puppeteer-core (never a downloaded browser). Each tab watches itself: console errors and
// warnings (CSP violations are console errors), uncaught page errors, JavaScript dialogs
// (alert/confirm/prompt: what an injected script would open), and request URLs carrying
// the API key. tab.problems() lists what went wrong; tests assert it is empty.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, waitFor } from './harness.mjs';

export const CHROMIUM = process.env.OA_CHROMIUM || '/usr/bin/chromium';
export const SHOTS = process.env.OA_UI_SHOTS || join(ROOT, 'build/ui-screenshots');

/** A node:test skip reason when the browser or puppeteer-core is missing (else false). */
export async function browserMissing() {
  if (!existsSync(CHROMIUM)) return `needs ${CHROMIUM} (Debian package chromium; make test installs it)`;
  try { await import('puppeteer-core'); } catch { return 'needs puppeteer-core (cd tests/e2e && npm ci)'; }
  return false;
}

export async function launch() {
  const { default: puppeteer } = await import('puppeteer-core');
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root cannot use Chromium's sandbox; /dev/shm is small in containers.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-dev-shm-usage', '--lang=en-US'],
  });
}

/** An aria selector: role and accessible name (tests find controls as people do). */
export const aria = (role, name) => `::-p-aria([name=${JSON.stringify(name)}][role=${JSON.stringify(role)}])`;

/**
 * A fresh tab in its own browser context (its own sessionStorage) on engine's dashboard.
 * opts: { width, height, timezone, allow: [RegExp] } (URLs whose failed loads are expected: the
 * browser logs each non-2xx fetch as a console error), { key } to sign in at once.
 */
export async function openTab(browser, engine, opts = {}) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: opts.width || 1280, height: opts.height || 800 });
  // The page formats times in the zone it starts in.
  if (opts.timezone) await page.emulateTimezone(opts.timezone);
  const problems = [];
  const allow = [...(opts.allow || [])];
  const keys = new Set();
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warn' && m.type() !== 'warning') return;
    const url = m.location()?.url || '';
    if (/^Failed to load resource/.test(m.text()) && allow.some((re) => re.test(url))) return;
    problems.push(`console ${m.type()}: ${m.text()} (${url})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', async (d) => { problems.push(`dialog ${d.type()}: ${d.message()}`); await d.dismiss(); });
  page.on('request', (r) => {
    for (const k of keys) if (r.url().includes(k)) problems.push(`API key in a URL: ${r.url()}`);
  });
  await page.goto(`${engine.url}/ui/`, { waitUntil: 'domcontentloaded' });
  const tab = {
    page,
    context,
    url: engine.url,
    /** URLs (RegExp) whose failing loads are expected from now on. */
    allow: (re) => allow.push(re),
    problems: () => problems.slice(),
    async close() { await context.close(); },
    /** Signs in with key through the sign-in form, with the keyboard. */
    async signIn(key) {
      keys.add(key);
      const input = await page.waitForSelector(aria('textbox', 'API key'));
      await input.click({ clickCount: 3 });
      await page.keyboard.press('Backspace');
      await input.type(key);
      await page.keyboard.press('Enter');
    },
    watchKey: (key) => keys.add(key),
    /** Goes to a hash route (#/postings) without reloading the page. */
    async go(hash) {
      await page.evaluate((h) => { location.hash = h; }, hash);
      await page.waitForFunction((h) => location.hash === h, {}, hash);
    },
    /** Waits until the page's visible text (or el's) contains text. */
    async waitText(text, { el = null, ms = 20000 } = {}) {
      await page.waitForFunction((t, e) => (e || document.body).innerText.includes(t), { timeout: ms }, text, el);
    },
    async heading() { return page.$eval('h1', (h) => h.textContent); },
    /** The card (article) whose heading is name. */
    async card(name, ms = 20000) { return page.waitForSelector(aria('article', name), { timeout: ms }); },
    async shot(name) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
    },
  };
  if (opts.key) {
    await tab.signIn(opts.key);
    await page.waitForFunction(() => document.querySelector('h1')?.textContent !== 'Sign in');
  }
  return tab;
}

/** Waits until fn (a page function) returns truthy; the value. */
export async function until(tab, fn, arg, ms = 20000) {
  const h = await tab.page.waitForFunction(fn, { timeout: ms, polling: 100 }, arg);
  return h.jsonValue();
}

export { waitFor };
