// live.js - bounded polling: lists refresh without a reload.
//
// One poller per list: it runs its refresh, waits for it to finish, then waits `interval`
// before the next one, so a list never has more than one request in flight, and a slow
// engine is asked less often, never more. While the tab is hidden nothing is fetched; showing
// it again refreshes at once. Leaving the page (the view's AbortSignal) stops the poller.

export const POLL_MS = 3000;

/**
 * Starts polling fn (async). Returns { now() }: refresh as soon as possible (after the
 * request in flight, if any, rather than beside it).
 */
export function poll(fn, signal, interval = POLL_MS) {
  let timer = null;
  let running = false;
  let again = false;

  async function tick() {
    clearTimeout(timer);
    timer = null;
    if (signal.aborted) return;
    if (running) { again = true; return; }
    if (document.hidden) return; // visibilitychange starts it again
    running = true;
    try {
      await fn();
    } catch (e) {
      // fn shows its own errors; an abort just means the page was left.
      if (e && e.name !== 'AbortError') console.warn('refresh failed:', e);
    } finally {
      running = false;
    }
    if (signal.aborted) return;
    if (again) { again = false; tick(); return; }
    timer = setTimeout(tick, interval);
  }

  const onVisible = () => { if (!document.hidden && !running && !timer) tick(); };
  document.addEventListener('visibilitychange', onVisible);
  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  }, { once: true });
  tick();
  return { now: tick };
}
