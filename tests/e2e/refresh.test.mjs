// refresh.test.mjs - a shorter --refresh-interval reaches postings whose next re-check was
// scheduled under a longer one: restarted with 2s, a posting checked under the default 6h is
// re-checked within the new interval (here: it finds the job taken offline and archives it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine, startSite, client } from './lib/harness.mjs';
import { resources, waitLog } from './lib/helpers.mjs';

test('restarting with a shorter --refresh-interval pulls the scheduled re-checks in', { timeout: 120000 }, async () => {
  const site = await startSite();
  let engine = await startEngine({});
  try {
    let R = resources(client(engine));
    const p = await R.newPosting(site.jobUrl('backend-engineer'));
    await R.waitPosting(p.id, 'APPLYABLE');
    assert.equal(await engine.stop(), 0);
    await site.setJob('backend-engineer', { offline: '404' });
    engine = await startEngine({ dir: engine.dir, args: ['--refresh-interval', '2s'] });
    R = resources(client(engine));
    assert.match(await waitLog(engine, /event=jobs\.rescheduled/), /count=1\b/);
    const done = await R.waitPosting(p.id, 'ARCHIVED', 20000);
    assert.equal(done.archived_reason, 'JOB_POSTING_TAKEN_OFFLINE');
  } finally {
    assert.equal(await engine.stop(), 0);
    engine.cleanup();
    await site.stop();
  }
});
