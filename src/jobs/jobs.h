/*
 * jobs.h - background work on worker threads over the store's leased queue: parse jobs (first
 * parse, retries of failed parses, scheduled re-checks) and apply jobs.
 *
 * Workers are woken at once when work is queued (svc calls jobs_wake after the commit) and
 * otherwise sleep until the next job is due; nothing polls on the hot path. A worker holds a
 * lease on its job; a crash returns the job to the queue (at once on restart: the SQLite file
 * has one engine process, so every lease found at start-up is a dead one).
 */
#ifndef OA_JOBS_JOBS_H
#define OA_JOBS_JOBS_H

#include <stdatomic.h>

#include "browser/browser.h"
#include "drivers/driver.h"
#include "drivers/fetch.h"
#include "svc/svc.h"

#define JOBS_MAX_RETRIES          16
#define JOBS_MAX_FETCHES          32     /* career-site requests per apply attempt */
#define JOBS_MAX_FETCH_TIMEOUT_MS 120000 /* the longest --fetch-timeout */

typedef struct {
    int workers;              /* worker threads (default 8) */
    int64_t lease_ms;         /* a claimed job's lease, renewed while it runs (default 5 min) */
    int64_t fetch_timeout_ms; /* per career-site request (default 30 s) */
    bool allow_private;
    /* Delays before each retry of a transiently failed submission; after the last, the
     * application goes to the review queue. */
    int64_t apply_retry[JOBS_MAX_RETRIES];
    size_t n_apply_retry;
    /* Renders script-built pages the static driver finds no form on; NULL: no browser. */
    browser_pool *browsers;
    int64_t browser_page_ms; /* one page, load to read (0: JOBS_BROWSER_PAGE_MS) */
} jobs_config;

typedef struct jobs jobs;

/* Releases leases left by a previous process, registers jobs_wake as s->wake_jobs, then
 * starts the workers. */
oa_status jobs_start(svc *s, const jobs_config *cfg, jobs **out) OA_MUST_CHECK;
/* Wakes idle workers (svc's wake_jobs hook; arg is the jobs). */
void jobs_wake(void *arg);
/* Stops claiming, lets running jobs finish for up to grace_ms, aborts the rest and returns
 * their leases to the queue. */
void jobs_stop(jobs *j, int64_t grace_ms);

/* Counters for /metrics. */
typedef struct {
    atomic_llong parsed_ok, parsed_failed, parsed_offline;
    atomic_llong applied_ok, applied_review, applied_retry, applied_offline;
    atomic_int busy;
} jobs_stats;

const jobs_stats *jobs_get_stats(const jobs *j);

#define JOBS_BROWSER_PAGE_MS 15000 /* one page in the browser, load to read */

/* ---- internal: the job bodies (parse.c, apply.c) ---- */
typedef struct {
    svc *svc;
    const jobs_config *cfg;
    /* This worker's stop flag: set at shutdown after the grace period, or when the lease of
     * its job was lost (another worker may hold it); transfers stop at once. */
    const atomic_bool *abort;
    jobs_stats *stats;
} jobs_env;

void jobs_run_parse(const jobs_env *env, const store_job *j);

/* A posting's driver, ready to use (driver.c): its URL matched to a driver, the connector's
 * API root and the career site's settings for it. */
typedef struct {
    drv_target target;
    drv_ctx ctx;
    char *base, *submit_base;
    json_t *settings;
} jobs_driver;

/* Never fails: an unreadable setting is logged and left out (the connector then says what
 * it misses). posting_url: the URL with the client's query parameters. */
void jobs_driver_open(const jobs_env *env, const oa_posting *p, const char *posting_url,
                      jobs_driver *out);
void jobs_driver_close(jobs_driver *jd);
/* Whether an answer of content type ct (NULL: unknown) can hold d's form. */
bool jobs_content_ok(const drv_driver *d, const char *ct);

/* The answers to a form's reads (jobs_read_form), the last one first to look at. */
typedef struct {
    fetch_result res[DRV_MAX_READS];
    drv_reply replies[DRV_MAX_READS];
    size_t n;
} jobs_reads;

/* How reading a form ended. */
typedef enum {
    JOBS_READ_OK = 0, /* jobs_reads_last holds the answer to extract */
    JOBS_READ_DRIVER, /* the driver cannot make its next read (*why) */
    JOBS_READ_FETCH,  /* a fetch failed (*fetch_rc, *why) */
    JOBS_READ_CLOSED, /* the driver says the last answer means the posting is gone */
    JOBS_READ_STATUS, /* the last answer is not 2xx */
    JOBS_READ_TYPE,   /* the last answer's content type cannot hold the form */
} jobs_read;

/* Sends first (the driver's form_request) and, while the driver's next_request asks for more,
 * its further reads (at most DRV_MAX_READS), checking each answer as the first. On return
 * jd->ctx.replies points into *r (every answer so far): free with jobs_reads_free, which also
 * clears them. */
jobs_read jobs_read_form(fetch_session *fs, jobs_driver *jd, const drv_request *first,
                         jobs_reads *r, oa_status *fetch_rc, char **why);
/* The last answer read (r->n >= 1 after any jobs_read_form but JOBS_READ_DRIVER on the
 * first request, which jobs_read_form never sees). */
fetch_result *jobs_reads_last(jobs_reads *r);
void jobs_reads_free(jobs_reads *r, jobs_driver *jd);

/* The answers to a submission's uploads (jobs_send_uploads). */
typedef struct {
    fetch_result res[DRV_MAX_UPLOADS];
    drv_reply replies[DRV_MAX_UPLOADS];
    size_t n;
} jobs_uploads;

/* How sending the uploads ended. */
typedef enum {
    JOBS_UPLOAD_OK = 0,  /* every upload answered 2xx, or there was none */
    JOBS_UPLOAD_DENIED,  /* the driver lacks credentials (*why) */
    JOBS_UPLOAD_INVALID, /* the driver cannot build an upload (*why) */
    JOBS_UPLOAD_REFUSED, /* the SSRF guard or the URL refused one (*why) */
    JOBS_UPLOAD_FAILED,  /* one failed in transport, with or without a partial answer (*why) */
    JOBS_UPLOAD_STATUS,  /* the last one answered other than 2xx */
    JOBS_UPLOAD_ABORTED, /* abort was set */
} jobs_upload;

/* Sends the driver's upload_request chain (documents the submission then refers to; at most
 * DRV_MAX_UPLOADS) and leaves their answers in jd->ctx.replies for the submission. Uploads are
 * not the application: they go out before it is marked as sent. */
jobs_upload jobs_send_uploads(fetch_session *fs, jobs_driver *jd, const oa_form *fresh,
                              const oa_answers *ans, jobs_uploads *u, const atomic_bool *abort,
                              char **why);
void jobs_uploads_free(jobs_uploads *u, jobs_driver *jd);

/* browse.c: whether a page the static driver found no form on may build one with scripts. */
bool jobs_page_scripted(const char *html, size_t len);
/* Renders url in the browser (env->cfg->browsers, not NULL) and runs jd's extractor on the
 * rendered document; a form found is marked rendered. browser_render's statuses; OA_OK with
 * *kind DRV_PAGE_NO_FORM and *why when the rendered page has no form either. */
oa_status jobs_browse_extract(const jobs_env *env, jobs_driver *jd, const char *url,
                              drv_page_kind *kind, oa_form *form, char **why) OA_MUST_CHECK;
void jobs_run_apply(const jobs_env *env, const store_job *j);

#endif
