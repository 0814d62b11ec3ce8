/*
 * browser.h - headless Chromium processes and the pages the engine renders in them.
 *
 * A browser is one `chromium --headless --remote-debugging-pipe` process in its own process
 * group, started with PR_SET_PDEATHSIG so that it dies with the engine, and a throw-away
 * profile folder. The pool (browser_pool_*) keeps up to N of them, starts them when first
 * needed, lends one to a thread for one page, and kills and replaces one that broke its pipe,
 * missed a deadline, went over its memory limit or has rendered BROWSER_MAX_PAGES pages.
 *
 * browser_render opens a URL in a fresh browser context, with every request the browser makes
 * checked against the SSRF guard (the Fetch domain, on the browser target, so frames, workers
 * and scripts' fetch() are covered; the address each response came from is checked again),
 * JavaScript dialogs dismissed, downloads denied and popups closed; it waits for the network to
 * go idle and the DOM to settle, within a bound, and returns the rendered HTML.
 */
#ifndef OA_BROWSER_BROWSER_H
#define OA_BROWSER_BROWSER_H

#include <stdint.h>

#include "util/net.h"
#include "util/oa.h"

#define BROWSER_MAX_PAGES      200         /* pages per browser process before it is replaced */
#define BROWSER_DEFAULT_MEMORY (300 << 20) /* bytes of resident memory per browser */

typedef struct browser_pool browser_pool;

typedef struct {
    int n;                /* browsers at most (0: no browser) */
    const char *path;     /* the chromium binary; NULL: /usr/bin/chromium */
    int64_t memory_limit; /* bytes per browser (all its processes); 0: the default */
    bool allow_private;   /* --allow-private-networks (--allow-private targets: net.h) */
} browser_pool_opts;

/* NULL when opts->n is 0. Browsers start on first use. */
browser_pool *browser_pool_new(const browser_pool_opts *opts);
/* Kills every browser (waiting for pages in progress to give theirs back first, at most a
 * few seconds) and frees the pool. */
void browser_pool_free(browser_pool *p);

typedef struct {
    int64_t timeout_ms;     /* the whole page: load, settle, read */
    int64_t settle_ms;      /* quiet time that counts as settled (network idle + DOM stable) */
    const char *click_text; /* NULL, or: click the first button/link whose text starts so */
} browser_page_opts;

typedef struct {
    bool settled;    /* network idle and DOM stable before the timeout */
    char *html;      /* the rendered document (outerHTML), malloc'd */
    char *final_url; /* after redirects and client-side navigation */
    long status;     /* the main document's HTTP status, 0 when unknown */
    bool refused;    /* the SSRF guard refused the main document */
    int blocked;     /* sub-requests the guard refused */
    int dialogs;     /* JavaScript dialogs dismissed */
} browser_page;

/* Renders url. OA_OK with out filled (out->settled false when the page was still busy at the
 * timeout: what it shows by then is returned); OA_AGAIN when no browser is free in time or the
 * page did not load (a network error); OA_INVALID when the guard refused the page
 * (out->refused); OA_ERR when the browser broke, crashed or went over its memory limit (it is
 * replaced). *why says what happened (malloc'd) on failure. */
oa_status browser_render(browser_pool *p, const char *url, const browser_page_opts *o,
                         browser_page *out, char **why) OA_MUST_CHECK;
void browser_page_free(browser_page *pg);

/* Figures for /metrics and tests. */
typedef struct {
    int64_t launched, killed, pages, crashed, over_memory;
    int running; /* browser processes alive now */
} browser_stats;
void browser_pool_stats(browser_pool *p, browser_stats *out);

#endif
