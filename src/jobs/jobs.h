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

#include "drivers/driver.h"
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
    char *base;
    json_t *settings;
} jobs_driver;

/* Never fails: an unreadable setting is logged and left out (the connector then says what
 * it misses). posting_url: the URL with the client's query parameters. */
void jobs_driver_open(const jobs_env *env, const oa_posting *p, const char *posting_url,
                      jobs_driver *out);
void jobs_driver_close(jobs_driver *jd);
/* Whether an answer of content type ct (NULL: unknown) can hold d's form. */
bool jobs_content_ok(const drv_driver *d, const char *ct);
void jobs_run_apply(const jobs_env *env, const store_job *j);

#endif
