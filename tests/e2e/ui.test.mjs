// ui.test.mjs - the operator dashboard (/ui/) in a real browser: Debian's headless Chromium,
// driven by puppeteer-core, against the real engine, the sample career site and a webhook
// receiver. Controls are found by role and accessible name. Every tab must end without a
// console error or warning (a CSP violation is one), an uncaught error, a JavaScript dialog,
// or the API key in a URL. Screenshots of each page go to build/ui-screenshots/ (or
// $OA_UI_SHOTS). Skipped as a whole when /usr/bin/chromium is missing (make test installs it).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, startReceiver, client, waitFor, dbExec, dbCliMissing } from './lib/harness.mjs';
import { resources } from './lib/helpers.mjs';
import { findQuestion, answerAll } from './lib/forms.mjs';
import { browserMissing, launch, openTab, aria, until } from './lib/dashboard.mjs';
import { runCli } from './lib/consumer.mjs';

const KEY = 'ui-key-default';
const OTHER = 'ui-key-other';
const skip = await browserMissing();
if (skip) console.log(`# ui.test.mjs skipped: ${skip}`);

let engine, site, rcv, api, R, browser, statsMissing, testMissing;
// Failed loads the browser logs as console errors although the dashboard expects them.
const STATS_404 = /\/v1\/stats$/;

before(async () => {
  if (skip) return;
  site = await startSite();
  rcv = await startReceiver();
  // A longer fetch timeout than the harness's 3 s: the slow page below takes 3 s on purpose.
  engine = await startEngine({ keys: [`default:${KEY}`, `other:${OTHER}`], args: ['--fetch-timeout', '15s'] });
  api = client(engine, KEY);
  R = resources(api);
  statsMissing = (await api.get('/v1/stats')).status === 404;
  browser = await launch();
});
after(async () => {
  if (skip) return;
  await browser?.close();
  const code = await engine.stop();
  await site.stop();
  await rcv.stop();
  engine.cleanup();
  assert.equal(code, 0, 'engine exits cleanly on SIGTERM');
});
beforeEach(async () => { if (!skip) await site.reset(); });

/** A signed-in tab; the end of `fn` checks the tab had no problems. */
async function withTab(opts, fn) {
  const tab = await openTab(browser, engine, { ...opts, allow: [...(statsMissing ? [STATS_404] : []), ...(opts.allow || [])] });
  try {
    await fn(tab);
    assert.deepEqual(tab.problems(), [], 'no console errors, CSP violations, page errors, dialogs or keys in URLs');
  } finally {
    await tab.close();
  }
}

/** A fresh APPLYABLE posting of slug on a new career site. */
async function applyable(slug, extra = {}, label = 'Brightwave Labs') {
  const p = await R.newPosting(site.jobUrl(slug), extra, label);
  await R.waitPosting(p.id, 'APPLYABLE');
  return p;
}

/** An application of posting that the site rejects (422), so it waits in the review queue. */
async function inReview(posting, email, overrides = {}) {
  const { form, token } = await R.inquire(posting.id);
  const q = findQuestion(form, (x) => x.unified_key === 'EMAIL');
  const a = await R.apply({ submission_token: token, candidate_email: email,
    screening_question_answers: answerAll(form, { [q.question_id]: email, ...overrides }) });
  await waitFor(async () => (await R.review(`?job_posting_ids=${posting.id}`)).results.some((x) => x.id === a.id),
    { what: `application ${a.id} in review` });
  return a;
}

test('sign-in: a wrong key is refused on the sign-in page; the right one opens the overview', { skip }, async () => {
  await withTab({ allow: [/\/v1\/ai-apply\/career-sites\?page_size=1$/] }, async (tab) => {
    const { page } = tab;
    assert.equal(await tab.heading(), 'Sign in');
    await tab.shot('signin');
    await tab.signIn('not-a-key');
    await tab.waitText('This API key was not accepted');
    assert.equal(await tab.heading(), 'Sign in', 'still on the sign-in page');
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'a refused key is not kept');

    await tab.signIn(KEY);
    await until(tab, () => document.querySelector('h1')?.textContent === 'Overview');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('openapply.apiKey')), KEY, 'the key is in sessionStorage');
    assert.ok(!page.url().includes(KEY), 'the key is not in the page URL');
    // The navigation is there and marks the current page.
    const current = await page.$eval('nav a[aria-current="page"]', (a) => a.textContent);
    assert.equal(current, 'Overview');
    if (statsMissing) {
      await tab.waitText('Stats unavailable');
    } else {
      const s = (await api.get('/v1/stats')).json.data;
      await page.waitForSelector(aria('region', 'Postings by availability'));
      await tab.waitText('Deliveries per minute');
      assert.ok(s.postings, 'stats have postings');
    }
    await tab.shot('overview');
  });
});

test('overview: counts, failure rate, latency and the chart of the last hour (canned /v1/stats)', { skip }, async () => {
  // The stats endpoint may not exist on this engine yet: the browser answers it itself here,
  // so the page's drawing of every figure is checked either way.
  const start = Date.UTC(2026, 11, 3, 14, 0);
  const perMinute = Array.from({ length: 60 }, (_, i) => ({
    minute: new Date(start + i * 60000).toISOString(), delivered: i % 7, failed: i % 13 === 0 ? 2 : 0,
  }));
  const stats = {
    postings: { PENDING: 2, APPLYABLE: 17, UNAVAILABLE: 1, ARCHIVED: 4 },
    applications: { PENDING: 3, SUBMITTED: 40, FAILED: 2, DUPLICATE: 1 },
    review_queue: 3,
    deliveries: {
      per_minute: perMinute,
      delivered_last_hour: perMinute.reduce((s, m) => s + m.delivered, 0),
      failed_last_hour: perMinute.reduce((s, m) => s + m.failed, 0),
      failure_rate: 0.0555, latency_ms: { p50: 12, p90: 48, p99: 311 },
    },
    endpoints: [],
  };
  await withTab({ key: KEY }, async (tab) => {
    const { page } = tab;
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/v1/stats') {
        r.respond({ status: 200, contentType: 'application/json', body: JSON.stringify({ status: 'success', data: stats }) });
      } else r.continue();
    });
    await tab.go('#/postings');
    await tab.go('#/overview');
    const region = await page.waitForSelector(aria('region', 'Postings by availability'));
    const text = await region.evaluate((el) => el.innerText);
    assert.match(text, /APPLYABLE\s+17/);
    assert.match(text, /ARCHIVED\s+4/);
    await tab.waitText('p99');
    const body = await page.evaluate(() => document.body.innerText);
    assert.match(body, /SUBMITTED\s+40/);
    assert.match(body, /3\s+waiting/, 'the review queue depth');
    assert.match(body, /Failure rate\s+5[.,]6\s?%/);
    assert.match(body, /p50\s+12 ms/);
    assert.match(body, /p99\s+311 ms/);
    // The chart: one group per minute, bars only where there were deliveries, an accessible name.
    const chart = await page.$eval('svg.chart', (s) => ({
      groups: s.querySelectorAll('g.bar').length,
      ok: s.querySelectorAll('rect.bar-ok').length,
      fail: s.querySelectorAll('rect.bar-fail').length,
      label: [...s.getAttribute('aria-labelledby').split(' ')].map((id) => document.getElementById(id).textContent).join(' '),
      styled: s.querySelectorAll('[style]').length,
    }));
    assert.equal(chart.groups, 60);
    assert.equal(chart.ok, perMinute.filter((m) => m.delivered).length);
    assert.equal(chart.fail, perMinute.filter((m) => m.failed).length);
    assert.match(chart.label, new RegExp(`${stats.deliveries.delivered_last_hour} delivered and ${stats.deliveries.failed_last_hour} failed`));
    assert.equal(chart.styled, 0, 'no style attributes');
    // The same numbers as a table, for keyboards and screen readers.
    await (await page.waitForSelector('::-p-text(Show as a table)')).click();
    assert.equal(await page.$$eval('figure table tbody tr', (r) => r.length), 60);
    await tab.shot('overview-stats');
  });
});

test('postings: a new posting appears and becomes APPLYABLE without a reload; search, filter, pages; form as candidates see it; archive', { skip }, async () => {
  const cs = await R.createSite('Brightwave UI');
  const other = await applyable('vertriebsmitarbeiter', { job_code: 'UI-DE-1' });
  await withTab({ key: KEY, timezone: 'Pacific/Auckland' }, async (tab) => {
    const { page } = tab;
    await tab.go('#/postings');
    await tab.waitText(other.url);
    await page.evaluate(() => { window.__noReload = 'still here'; });

    // The page takes 3 s to answer: the posting is PENDING that long.
    await site.setJob('backend-engineer', { page: 'slow', delay_ms: 3000 });
    const p = await R.createPosting({ url: site.jobUrl('backend-engineer'), career_site_id: cs.id, job_code: 'UI-BE-1' });
    const row = () => page.evaluate((url) => [...document.querySelectorAll('tbody tr')]
      .find((tr) => tr.cells[0].textContent === url)?.cells[3].textContent, p.url);
    await (await page.waitForSelector(aria('button', 'Apply filters'))).click(); // refresh now
    await until(tab, (url) => [...document.querySelectorAll('tbody tr')].some((tr) => tr.cells[0].textContent === url), p.url);
    const first = await row();
    await until(tab, (url) => [...document.querySelectorAll('tbody tr')]
      .find((tr) => tr.cells[0].textContent === url)?.cells[3].textContent === 'APPLYABLE', p.url, 25000);
    assert.equal(first, 'PENDING', 'seen PENDING first');
    assert.equal(await page.evaluate(() => window.__noReload), 'still here', 'updated without a reload');

    // Times in the viewer's zone.
    await tab.waitText('Pacific/Auckland');
    const zoned = await page.$eval('tbody time', (t) => t.textContent === new Intl.DateTimeFormat(undefined,
      { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Pacific/Auckland' }).format(new Date(t.dateTime)));
    assert.ok(zoned, 'times are shown in the viewer\'s time zone');
    await tab.shot('postings');

    // Bounded polling: a request every few seconds, never two of one list at once; none while hidden.
    const seen = [];
    let inFlight = 0, maxInFlight = 0;
    const isList = (r) => new URL(r.url()).pathname === '/v1/ai-apply/postings';
    const onReq = (r) => { if (isList(r)) { seen.push(Date.now()); maxInFlight = Math.max(maxInFlight, ++inFlight); } };
    const onDone = (r) => { if (isList(r)) inFlight--; };
    page.on('request', onReq);
    page.on('requestfinished', onDone);
    page.on('requestfailed', onDone);
    await new Promise((r) => setTimeout(r, 7000));
    assert.ok(seen.length >= 2 && seen.length <= 4, `2-4 refreshes in 7 s (${seen.length})`);
    assert.equal(maxInFlight, 1, 'never more than one request of the list in flight');
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await new Promise((r) => setTimeout(r, 500));
    seen.length = 0;
    await new Promise((r) => setTimeout(r, 4000));
    assert.equal(seen.length, 0, 'no refresh while the tab is hidden');
    await page.evaluate(() => {
      delete document.hidden;
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => seen.length > 0, { what: 'a refresh when the tab shows again', ms: 3000 });
    page.off('request', onReq);

    // Search by job code (the API's filter) and by URL (the page shown), filter by availability.
    const search = await page.waitForSelector(aria('searchbox', 'Search by URL or job code'));
    await search.type('UI-BE-1');
    await page.keyboard.press('Enter');
    await until(tab, () => document.querySelectorAll('tbody tr').length === 1);
    assert.equal(await page.$eval('tbody tr td:nth-child(2)', (td) => td.textContent), 'UI-BE-1');
    await search.click({ clickCount: 3 });
    await search.type('vertriebsmitarbeiter');
    await page.keyboard.press('Enter');
    await until(tab, (url) => document.querySelectorAll('tbody tr').length === 1
      && document.querySelector('tbody tr td').textContent === url, other.url);
    await search.click({ clickCount: 3 });
    await page.keyboard.press('Backspace');
    await page.select(aria('combobox', 'Availability'), 'ARCHIVED');
    await tab.waitText('No postings match.');
    await page.select(aria('combobox', 'Availability'), '');

    // Pages by the API's cursors.
    await tab.go('#/postings?page_size=1');
    await until(tab, () => document.querySelectorAll('tbody tr').length === 1 && document.querySelector('.pager span').textContent === 'Page 1');
    const firstUrl = await page.$eval('tbody tr td', (td) => td.textContent);
    await (await page.waitForSelector(aria('button', 'Next page'))).click();
    await until(tab, (u) => document.querySelector('.pager span').textContent === 'Page 2'
      && document.querySelector('tbody tr td')?.textContent !== u, firstUrl);
    await (await page.waitForSelector(aria('button', 'Previous page'))).click();
    await until(tab, (u) => document.querySelector('tbody tr td')?.textContent === u, firstUrl);

    // The posting: its form as a candidate sees it.
    await tab.go('#/postings');
    await (await page.waitForSelector(aria('link', p.url))).click();
    await until(tab, () => document.querySelector('h1').textContent === 'Posting UI-BE-1');
    await page.waitForSelector(aria('group', 'Application form as candidates see it'));
    await tab.waitText('Personal information'); // a section
    // A file question: its label (with the required mark) names a required file input.
    // (Chromium's accessibility query does not reach file inputs, so through the label.)
    const file = await page.$$eval('.form-preview label', (ls) => ls.filter((l) => l.textContent.startsWith('Resume / CV'))
      .map((l) => ({ text: l.textContent, type: l.control?.type, required: l.control?.required })));
    assert.deepEqual(file, [{ text: 'Resume / CV * (required)', type: 'file', required: true }]);
    const team = await page.$eval(aria('combobox', 'Which team interests you most? (required)'), (s) => [...s.options].map((o) => o.textContent));
    assert.deepEqual(team.slice(1), ['Platform', 'Payments', 'Data', 'Infrastructure']);
    await tab.waitText('Shown only when “Preferred work arrangement” is “Remote”.');
    await tab.shot('posting');

    // Archive, confirmed in a dialog, with the keyboard.
    await (await page.waitForSelector(aria('button', 'Archive posting'))).click();
    const dialog = await page.waitForSelector('dialog[open]');
    assert.match(await dialog.evaluate((d) => d.innerText), /Archive this posting\?/);
    await page.keyboard.press('Tab'); // from Cancel to Archive
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Archive');
    await page.keyboard.press('Enter');
    await tab.waitText('Archived (MANUAL_ARCHIVE)');
    await until(tab, () => document.querySelector('dd .badge')?.textContent === 'ARCHIVED');
    assert.equal((await R.posting(p.id)).availability, 'ARCHIVED');
    assert.equal(await page.$eval(aria('button', 'Archive posting'), (b) => b.disabled), true);
  });
});

test('review queue: approve and fail from the queue; the webhook is delivered; the event log shows it; redeliver', { skip }, async () => {
  const ep = (await api.post('/v1/webhooks/endpoints', { url: rcv.hook('review'), description: 'review hook' })).json.data;
  const posting = await applyable('developpeur-web');
  await site.setJob('developpeur-web', { submit: '422' });
  const yes = await inReview(posting, 'approve.me@example.fr');
  const no = await inReview(posting, 'fail.me@example.fr');
  await withTab({ key: KEY }, async (tab) => {
    const { page } = tab;
    await tab.go('#/applications');
    const card = await tab.card('approve.me@example.fr');
    const text = await card.evaluate((c) => c.innerText);
    assert.match(text, /Why it needs review/);
    assert.match(text, /422/, 'the reason names the site\'s answer');
    await (await card.$('::-p-text(Answers)')).click();
    await tab.waitText('resume.pdf (application/pdf,', { el: card });
    await tab.shot('applications');

    // Approve, with the keyboard.
    await (await card.$(aria('button', 'Approve as SUBMITTED'))).focus();
    await page.keyboard.press('Enter');
    await until(tab, (email) => ![...document.querySelectorAll('article h3')].some((h) => h.textContent === email), 'approve.me@example.fr');
    assert.equal((await R.application(yes.id)).status, 'SUBMITTED');

    // FAILED needs a reason.
    const failCard = await tab.card('fail.me@example.fr');
    await (await failCard.$(aria('button', 'Mark FAILED'))).click();
    await tab.waitText('A reason is required to mark an application FAILED.', { el: failCard });
    assert.equal((await R.application(no.id)).status, 'PENDING');
    await (await failCard.$(aria('textbox', 'Reason'))).type('The site rejects every application this week');
    await (await failCard.$(aria('button', 'Mark FAILED'))).click();
    await tab.waitText('The review queue is empty.');
    assert.equal((await R.application(no.id)).status, 'FAILED');
    // The table of all applications shows the decisions.
    await until(tab, (id) => [...document.querySelectorAll('tbody tr')].find((tr) => tr.cells[0].textContent === id)?.cells[2].textContent === 'SUBMITTED', yes.id);

    // The webhook reached the receiver...
    const got = await waitFor(async () => (await rcv.received('review'))
      .find((x) => x.json?.data?.id === yes.id && x.json.data.status === 'SUBMITTED'), { what: 'the SUBMITTED webhook' });
    // ...and the event log shows its delivery and the attempt.
    await tab.go(`#/events?resource_id=${yes.id}`);
    await until(tab, () => document.querySelectorAll('tbody tr').length === 1);
    await (await page.waitForSelector(aria('link', `Details of event ${got.json.id}`))).click();
    await until(tab, () => document.querySelector('h1').textContent === 'Event');
    await until(tab, () => [...document.querySelectorAll('tbody .badge')].some((b) => b.textContent === 'delivered'));
    await tab.waitText(rcv.hook('review'));
    const attempts = () => page.$$eval('section:last-of-type tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    await until(tab, () => document.querySelectorAll('section:last-of-type tbody tr').length === 1);
    const [a1] = await attempts();
    assert.equal(a1[1], '1', 'attempt 1');
    assert.equal(a1[3], '200', 'HTTP 200');
    assert.match(a1[4], /^\d[\d,]* ms$/, 'latency');
    assert.match(a1[6], /ok/, 'the response excerpt');
    assert.match(await page.$eval('pre.payload', (p) => p.textContent), new RegExp(`"id": "${yes.id}"`));
    await tab.shot('event');

    // Redeliver.
    await (await page.waitForSelector(aria('button', 'Redeliver'))).click();
    await tab.waitText('Redelivery queued: 1 delivery.');
    await waitFor(async () => (await rcv.received('review')).filter((x) => x.json?.id === got.json.id).length === 2,
      { what: 'the event delivered again' });
    await until(tab, () => document.querySelectorAll('section:last-of-type tbody tr').length === 2, undefined, 20000);
    assert.ok(ep.id);
  });
});

test('one application: its answers, the attempts with the site\'s answer, its history; decided from the page', { skip }, async () => {
  const posting = await applyable('backend-engineer');
  await site.setJob('backend-engineer', { submit: '422' });
  const a = await inReview(posting, 'detail.page@example.com');
  await withTab({ key: KEY }, async (tab) => {
    const { page } = tab;
    await tab.go('#/applications');
    const card = await tab.card('detail.page@example.com');
    await (await card.$(aria('link', 'History and attempts'))).click();
    await until(tab, () => document.querySelector('h1')?.textContent === 'Application of detail.page@example.com');
    // The attempt the site rejected, with its status and what it answered.
    await until(tab, () => document.querySelectorAll('table tbody tr').length === 1);
    const row = await page.$eval('table tbody tr', (r) => [...r.cells].map((c) => c.textContent));
    assert.equal(row[0], '1');
    assert.equal(row[2], 'html', 'the driver');
    assert.equal(row[3], 'submit');
    assert.equal(row[4], 'Handed to review');
    assert.equal(row[5], '422');
    assert.ok(row[8].length > 0, 'the site\'s answer');
    await tab.waitText('resume.pdf (application/pdf,');
    await tab.waitText('Application received (PENDING)');
    await tab.shot('application');
    // Decide here.
    await (await page.waitForSelector(aria('textbox', 'Reason'))).type('Phone number format rejected');
    await (await page.waitForSelector(aria('button', 'Mark FAILED'))).click();
    await tab.waitText('Decided: FAILED.');
    await until(tab, () => /Decided FAILED: Phone number format rejected/.test(document.querySelector('.timeline')?.textContent || ''));
    await tab.waitText('The answers were discarded when the application became final');
    assert.equal((await R.application(a.id)).status, 'FAILED');
  });
  // Another tenant's key: not found, said in words.
  await withTab({ key: OTHER, allow: [/\/v1\/ai-apply\/applications\//, /\/v1\/webhooks\/events/] }, async (tab) => {
    await tab.go(`#/applications/${a.id}`);
    await tab.waitText('not found');
  });
});

test('a posting\'s revision history: a changed form adds a revision; an earlier one is shown on request', { skip }, async () => {
  const fast = await startEngine({ keys: [`default:${KEY}`], args: ['--refresh-interval', '1s'] });
  try {
    const F = resources(client(fast, KEY));
    const p = await F.newPosting(site.jobUrl('backend-engineer'));
    await F.waitPosting(p.id, 'APPLYABLE');
    const tab = await openTab(browser, fast, {});
    try {
      const { page } = tab;
      await tab.signIn(KEY);
      await until(tab, () => document.querySelector('h1')?.textContent === 'Overview');
      await tab.go(`#/postings/${p.id}`);
      await until(tab, () => document.querySelectorAll('section:last-of-type tbody tr').length === 1);
      await site.setJob('backend-engineer', { form_variant: 'v2' });
      await until(tab, () => document.querySelectorAll('section:last-of-type tbody tr').length === 2, undefined, 20000);
      // The current form (v2) asks about the visa; the earlier one does not.
      await tab.waitText('visa', { ms: 20000 });
      const rows = await page.$$eval('section:last-of-type tbody tr', (rs) => rs.map((r) => [...r.cells].map((c) => c.textContent)));
      assert.equal(rows[0][2], 'CURRENT', 'newest first, marked current');
      assert.equal(rows[1][2], '—');
      await (await page.waitForSelector(aria('button', `Show revision ${rows[1][0]}`))).click();
      await tab.waitText('Earlier revision of');
      await tab.waitText('Portfolio or GitHub URL');
      assert.doesNotMatch(await page.$eval('#form-title + p + div', (d) => d.textContent), /visa/i, 'v1 has no visa question');
      await tab.shot('posting-revisions');
      await (await page.waitForSelector(aria('button', `Show revision ${rows[0][0]}`))).click();
      await tab.waitText('Current revision');
      assert.deepEqual(tab.problems(), []);
    } finally {
      await tab.close();
    }
  } finally {
    assert.equal(await fast.stop(), 0);
    fast.cleanup();
  }
});

test('webhook endpoints: create, edit event types, disable, rate limit, rotate the secret, recover', { skip }, async () => {
  await withTab({ key: KEY }, async (tab) => {
    const { page } = tab;
    await tab.go('#/endpoints');
    const url = rcv.hook('ui-endpoint');
    await (await page.waitForSelector(aria('textbox', 'Endpoint URL'))).type(url);
    await (await page.waitForSelector(aria('textbox', 'Description'))).type('Dashboard test');
    await (await page.waitForSelector(aria('checkbox', 'Posting status updated'))).click();
    await (await page.waitForSelector(aria('button', 'Create endpoint'))).click();
    await tab.waitText('Endpoint created for');
    const firstSecret = await page.$eval('form.create [data-secret]', (c) => c.textContent);
    assert.match(firstSecret, /^whsec_/);
    const list = (await api.get('/v1/webhooks/endpoints')).json.data.results;
    const ep = list.find((e) => e.url === url);
    assert.deepEqual(ep.event_types, ['ai-apply-job-posting-status-updated']);
    assert.equal(ep.description, 'Dashboard test');

    // Edit: one more event type, disabled, at most 5 a second.
    const card = await tab.card(url);
    await (await card.$(aria('button', 'Edit'))).click();
    await (await card.$(aria('checkbox', 'Application status updated'))).click();
    await (await card.$(aria('checkbox', 'Enabled (deliver webhooks to this endpoint)'))).click();
    await (await card.$(aria('spinbutton', 'Rate limit per second'))).type('5');
    await (await card.$(aria('button', 'Save changes'))).click();
    await tab.waitText('Changes saved.', { el: card });
    const after = (await api.get(`/v1/webhooks/endpoints/${ep.id}`)).json.data;
    assert.deepEqual(after.event_types.sort(), ['ai-apply-application-status-updated', 'ai-apply-job-posting-status-updated']);
    assert.equal(after.enabled, false);
    assert.equal(after.rate_limit_per_second, 5);
    await tab.waitText('DISABLED', { el: card });
    await tab.waitText('5 per second', { el: card });

    // Rotate with a grace period of 2 hours: the new secret and until when the old one signs.
    await (await card.$(aria('button', 'Rotate secret'))).click();
    const grace = await card.$(aria('textbox', 'Grace period'));
    await grace.click({ clickCount: 3 });
    await grace.type('2h');
    await (await card.$(aria('button', 'Rotate now'))).click();
    await tab.waitText('The previous secret keeps signing until', { el: card });
    const newSecret = await card.$eval('[data-secret]', (c) => c.textContent);
    const rotated = (await api.get(`/v1/webhooks/endpoints/${ep.id}`)).json.data;
    assert.equal(newSecret, rotated.secret, 'the page shows the new secret');
    assert.notEqual(newSecret, firstSecret);
    const expires = new Date(rotated.previous_secret_expires_at).getTime() - Date.now();
    assert.ok(expires > 7000e3 && expires <= 7200e3, `grace of 2 h (${expires} ms)`);
    await tab.waitText('grace period 2h', { el: card });

    // Recover failed deliveries of the last hour (there are none).
    await (await card.$(aria('button', 'Recover deliveries'))).click();
    await (await card.$(aria('button', 'Recover'))).click();
    await tab.waitText('0 failed deliveries since', { el: card });
    await tab.shot('endpoints');

    // Enable again for the next test's sake; the change shows in the card without a reload.
    await api.call('PATCH', `/v1/webhooks/endpoints/${ep.id}`, { enabled: true });
    await tab.waitText('ENABLED', { el: card });
  });
});

test('webhook endpoints: send a test event', { skip }, async (t) => {
  const ep = (await api.post('/v1/webhooks/endpoints', { url: rcv.hook('ui-test-event') })).json.data;
  const probe = await api.post(`/v1/webhooks/endpoints/${ep.id}/test`, {});
  testMissing = probe.status === 404 && /No such endpoint/.test(probe.json?.error?.message || '');
  const allow = testMissing ? [/\/test$/] : [];
  await withTab({ key: KEY, allow }, async (tab) => {
    await tab.go('#/endpoints');
    const card = await tab.card(rcv.hook('ui-test-event'));
    await rcv.clear();
    await (await card.$(aria('button', 'Send test event'))).click();
    if (testMissing) {
      await tab.waitText('This engine cannot send test events', { el: card });
      return;
    }
    await tab.waitText('Test event sent', { el: card });
    await waitFor(async () => (await rcv.received('ui-test-event')).length > 0, { what: 'a test event at the receiver' });
  });
  if (testMissing) t.skip('POST /v1/webhooks/endpoints/{id}/test does not exist on this engine yet: the button says so');
});

test('another tenant\'s key sees none of it', { skip }, async () => {
  const mine = await applyable('disenador-ux', { job_code: 'UI-ES-1' });
  const [event] = (await api.get(`/v1/webhooks/events?resource_id=${mine.id}`)).json.data.results;
  await withTab({ key: OTHER, allow: [/\/v1\/webhooks\/events\/[^/]+(\/attempts)?$/] }, async (tab) => {
    const { page } = tab;
    await tab.go('#/postings');
    await tab.waitText('No postings match.');
    await tab.go(`#/postings/${mine.id}`);
    await tab.waitText(`Posting ${mine.id} was not found for this API key.`);
    await tab.go('#/applications');
    await tab.waitText('The review queue is empty.');
    await tab.waitText('No applications match.');
    await tab.go('#/endpoints');
    await tab.waitText('No webhook endpoints yet.');
    await tab.go('#/events');
    await tab.waitText('No events match.');
    await tab.go(`#/events/${event.id}`);
    await tab.waitText(`Event ${event.id} not found. (HTTP 404`);
    const text = await page.evaluate(() => document.body.innerText);
    assert.ok(!text.includes(mine.url), 'no trace of the other tenant\'s posting');
  });
});

test('hostile content from career sites and candidates is shown as text', { skip }, async () => {
  const label = '<img src=x onerror=alert("site")>';
  const url = `${site.jobUrl('hostile-labels')}?q="><script>alert("url")</script>`;
  const cs = await R.createSite(label);
  const p = await R.createPosting({ url, career_site_id: cs.id, job_code: '<b>H-1</b>' });
  await R.waitPosting(p.id, 'APPLYABLE');
  await site.setJob('hostile-labels', { submit: '422' });
  const { form } = await R.inquire(p.id);
  const note = findQuestion(form, 'Cover note');
  const answer = '"><img src=x onerror=alert("answer")><script>alert("answer")</script>';
  await inReview(p, 'mallory@example.com', { [note.question_id]: answer });
  await withTab({ key: KEY }, async (tab) => {
    const { page } = tab;
    const noMarkup = async () => {
      const n = await page.evaluate(() => ({
        img: document.querySelectorAll('img').length,
        iframe: document.querySelectorAll('iframe').length,
        scripts: document.querySelectorAll('script').length,
        b: document.querySelectorAll('b').length,
        xss: typeof window.__oaXss,
      }));
      assert.deepEqual(n, { img: 0, iframe: 0, scripts: 1, b: 0, xss: 'undefined' }, 'no element came from the data');
    };

    await tab.go('#/postings');
    await tab.waitText(url);
    await tab.waitText('<b>H-1</b>');
    await tab.waitText(label);
    await noMarkup();

    await tab.go(`#/postings/${p.id}`);
    await page.waitForSelector(aria('group', 'Application form as candidates see it'));
    await tab.waitText('About you <iframe src=javascript:alert(\'section\')>');
    await tab.waitText('Full name <script>alert(\'label\')</script>');
    await tab.waitText('Email "><img src=x onerror=alert(\'email\')>');
    await tab.waitText('As on your passport <b onmouseover=alert(\'help\')>bold</b>');
    const options = await page.$$eval('select option', (o) => o.map((x) => x.textContent));
    assert.ok(options.includes('<script>alert(\'option\')</script>'), `options as text: ${options}`);
    assert.ok(options.includes('"><img src=x onerror=alert(\'option\')>'));
    // The external link is the URL as text, with an http(s) href only.
    const link = await page.$eval('dd a[target="_blank"]', (a) => ({ text: a.textContent, href: a.protocol }));
    assert.equal(link.text, url);
    assert.equal(link.href, 'http:');
    await tab.shot('posting-hostile');
    await noMarkup();

    await tab.go('#/applications');
    const card = await tab.card('mallory@example.com');
    await (await card.$('::-p-text(Answers)')).click();
    await tab.waitText(answer, { el: card });
    await tab.waitText('Full name <script>alert(\'label\')</script>', { el: card });
    await noMarkup();

    const [ev] = (await api.get(`/v1/webhooks/events?resource_id=${p.id}`)).json.data.results;
    await tab.go(`#/events/${ev.id}`);
    await until(tab, (l) => document.querySelector('pre.payload')?.textContent.includes(l), JSON.stringify(label).slice(1, -1));
    await noMarkup();
  });
});

test('overview and endpoints show the engine\'s own /v1/stats', { skip }, async (t) => {
  if (statsMissing) { t.skip('this engine has no GET /v1/stats'); return; }
  // After the tests above: postings of every kind, decided applications, delivered webhooks.
  await waitFor(async () => (await api.get('/v1/stats')).json.data.deliveries.delivered_last_hour > 0, { what: 'deliveries counted' });
  await withTab({ key: KEY }, async (tab) => {
    const { page } = tab;
    const s = (await api.get('/v1/stats')).json.data;
    const region = await page.waitForSelector(aria('region', 'Postings by availability'));
    await until(tab, (el) => /APPLYABLE\s+\d/.test(el.innerText), region);
    const text = await region.evaluate((el) => el.innerText);
    for (const k of ['PENDING', 'APPLYABLE', 'UNAVAILABLE', 'ARCHIVED']) {
      assert.match(text, new RegExp(`${k}\\s+${s.postings[k]}\\b`), `${k} as the API counts it`);
    }
    const apps = await page.$eval(aria('region', 'Applications by status'), (el) => el.innerText);
    assert.match(apps, new RegExp(`SUBMITTED\\s+${s.applications.SUBMITTED}\\b`));
    assert.match(apps, new RegExp(`FAILED\\s+${s.applications.FAILED}\\b`));
    assert.equal(await page.$eval('[data-stat="review_queue"]', (el) => el.textContent), String(s.review_queue));
    const groups = await page.$$eval('svg.chart g.bar', (g) => g.length);
    assert.equal(groups, s.deliveries.per_minute.length, 'one bar per minute of the last hour');
    assert.ok(await page.$('svg.chart rect.bar-ok'), 'the deliveries of the tests above are drawn');
    await new Promise((r) => setTimeout(r, 300));
    await tab.shot('overview-live');

    // Each endpoint's success rate and latency, from the same stats.
    const ep = s.endpoints.find((e) => e.delivered_last_hour > 0);
    assert.ok(ep, 'an endpoint with deliveries');
    const url = (await api.get(`/v1/webhooks/endpoints/${ep.id}`)).json.data.url;
    await tab.go('#/endpoints');
    const card = await tab.card(url);
    await tab.waitText('Success rate (last hour)', { el: card });
    const cardText = await card.evaluate((c) => c.innerText);
    assert.doesNotMatch(cardText, /stats unavailable/);
    assert.match(cardText, /Success rate \(last hour\)\s+\d[\d.,]*\s?% of \d+/);
    assert.match(cardText, /Latency p50 \/ p99\s+(\d[\d,]* ms|—) \/ (\d[\d,]* ms|—)/);
  });
});

test('phone-sized screen: 390×844 without sideways scrolling', { skip }, async () => {
  await withTab({ key: KEY, width: 390, height: 844 }, async (tab) => {
    const { page } = tab;
    for (const hash of ['#/overview', '#/postings', '#/applications', '#/endpoints', '#/events']) {
      await tab.go(hash);
      await page.waitForSelector('h1');
      await new Promise((r) => setTimeout(r, 400));
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= 390, `${hash}: the page is ${wide} px wide`);
    }
    await tab.go('#/applications');
    await new Promise((r) => setTimeout(r, 600));
    await tab.shot('applications-phone');
  });
});

test('a key the engine no longer accepts returns to sign-in, saying why', { skip: skip || dbCliMissing() }, async () => {
  const e1 = await startEngine({ keys: ['gone:key-to-revoke', 'default:key-stays'] });
  const port = new URL(e1.url).port;
  let e2;
  const tab = await openTab(browser, e1, {
    // The engine is away for a moment (connection refused), then refuses the key (401).
    allow: [/\/v1\//],
  });
  try {
    await tab.signIn('key-to-revoke');
    await until(tab, () => document.querySelector('h1')?.textContent === 'Overview');
    await tab.go('#/postings');
    await tab.waitText('No postings match.');
    // Stop the engine; while it is away the page says so (and stays usable).
    assert.equal(await e1.stop(), 0);
    await tab.waitText('Cannot reach the engine');
    // Revoke the key in the store, then start the engine again on the same store and port.
    dbExec(e1, 'DELETE FROM api_keys WHERE tenant = \'gone\'');
    e2 = await startEngine({ dir: e1.dir, keys: ['default:key-stays'], args: ['--listen', `127.0.0.1:${port}`] });
    await until(tab, () => document.querySelector('h1')?.textContent === 'Sign in', undefined, 20000);
    await tab.waitText('Your API key is no longer accepted');
    assert.equal(await tab.page.evaluate(() => sessionStorage.length), 0, 'the key is forgotten');
    // Signing in again with a valid key goes back to where the viewer was.
    await tab.signIn('key-stays');
    await until(tab, () => document.querySelector('h1')?.textContent === 'Postings');
    const left = tab.problems().filter((p) => !/Failed to load resource: net::ERR_CONNECTION_REFUSED/.test(p));
    assert.deepEqual(left, []);
  } finally {
    await tab.close();
    if (e2) assert.equal(await e2.stop(), 0);
    e1.cleanup();
  }
});

test('a key revoked with `openapply keys revoke` while signed in returns to sign-in at the next refresh', { skip }, async () => {
  const made = await runCli(['keys', 'create', '--tenant', 'revokee', '--db', engine.dbUrl]);
  assert.equal(made.code, 0, made.stderr);
  const key = made.stdout.trim();
  const id = made.stderr.match(/created key ([0-9a-f]{12})/)[1];
  const tab = await openTab(browser, engine, { allow: [/\/v1\//] });
  try {
    await tab.signIn(key);
    await until(tab, () => document.querySelector('h1')?.textContent === 'Overview');
    await tab.go('#/postings');
    await tab.waitText('No postings match.');
    const r = await runCli(['keys', 'revoke', id, '--db', engine.dbUrl]);
    assert.equal(r.code, 0, r.stderr);
    // The list refreshes within a few seconds, gets 401, and the dashboard signs out.
    await until(tab, () => document.querySelector('h1')?.textContent === 'Sign in', undefined, 20000);
    await tab.waitText('Your API key is no longer accepted');
    assert.equal(await tab.page.evaluate(() => sessionStorage.length), 0, 'the key is forgotten');
    const left = tab.problems().filter((p) => !/status of 401/.test(p));
    assert.deepEqual(left, []);
  } finally {
    await tab.close();
  }
});
