/*
 * jobs.c - the worker pool: claim, run, sleep until the next due time or a wake-up; and the
 * lease keeper, a thread that renews the lease of every running job every third of the lease,
 * so that a long attempt (many slow requests) never loses its job to another worker. A lease
 * that cannot be renewed because it is no longer ours stops that worker's transfers at once.
 */
#include "jobs/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/log.h"

typedef struct {
    struct jobs *j;
    jobs_env env;
    atomic_bool abort; /* this worker's: shutdown or a lost lease */
    /* Under j->mu: the job it runs, for the keeper. */
    bool running;
    store_job job;
} worker_state;

struct jobs {
    svc *svc;
    jobs_config cfg;
    pthread_t *threads;
    worker_state *ws;
    int n;
    pthread_t keeper;
    bool keeper_started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_cond_t keeper_cv;
    uint64_t wake_gen; /* bumped by every wake-up; a worker sleeps only if it saw no new one */
    atomic_bool stopping;
    atomic_bool abort; /* set after the grace period: running transfers stop */
    jobs_stats stats;
};

struct claim_ctx {
    const jobs *j;
    store_job job;
};

static oa_status claim_tx(oa_tx *tx, void *arg)
{
    struct claim_ctx *c = arg;
    return store_job_claim(tx, oa_now_ms(), c->j->cfg.lease_ms, c->j->svc->parse_limit, &c->job);
}

static oa_status next_due_tx(oa_tx *tx, void *arg)
{
    return store_job_next_due(tx, (int64_t *)arg);
}

void jobs_wake(void *arg)
{
    jobs *j = arg;
    pthread_mutex_lock(&j->mu);
    j->wake_gen++;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

static void set_running(worker_state *w, const store_job *job)
{
    pthread_mutex_lock(&w->j->mu);
    w->running = job != NULL;
    if (job)
        w->job = *job;
    pthread_mutex_unlock(&w->j->mu);
}

struct renew_ctx {
    const store_job *jobs;
    size_t n;
    int64_t until;
    store_lease_state *state;
};

static oa_status renew_tx(oa_tx *tx, void *arg)
{
    struct renew_ctx *c = arg;
    oa_status rc = OA_OK;
    for (size_t i = 0; rc == OA_OK && i < c->n; i++)
        rc = store_job_renew(tx, &c->jobs[i], c->until, &c->state[i]);
    return rc;
}

static void *keeper(void *arg)
{
    jobs *j = arg;
    int64_t every = j->cfg.lease_ms / 3 > 0 ? j->cfg.lease_ms / 3 : 1;
    store_job *held = xcalloc((size_t)j->n, sizeof *held);
    int *who = xcalloc((size_t)j->n, sizeof *who);
    store_lease_state *state = xcalloc((size_t)j->n, sizeof *state);
    pthread_mutex_lock(&j->mu);
    while (!atomic_load(&j->stopping) || atomic_load(&j->stats.busy) > 0) {
        struct timespec ts = oa_deadline_us(every * 1000);
        pthread_cond_timedwait(&j->keeper_cv, &j->mu, &ts);
        size_t n = 0;
        for (int i = 0; i < j->n; i++) {
            if (j->ws[i].running) {
                held[n] = j->ws[i].job;
                who[n++] = i;
            }
        }
        if (!n)
            continue;
        pthread_mutex_unlock(&j->mu);
        struct renew_ctx c = {held, n, oa_now_ms() + j->cfg.lease_ms, state};
        oa_status rc = store_transact(j->svc->store, STORE_WRITE_LOCKED, renew_tx, &c);
        pthread_mutex_lock(&j->mu);
        for (size_t k = 0; rc == OA_OK && k < n; k++) {
            worker_state *w = &j->ws[who[k]];
            /* Still the same job (it may have finished meanwhile)? */
            if (state[k] == STORE_LEASE_OWNED || !w->running || w->job.id != held[k].id)
                continue;
            /* Taken: the lease ran out (renewals failed for longer than the lease) and another
             * worker holds the job now. Ended: finished by this worker a moment ago (its
             * result commits before it says so), put back, or cancelled; either way the
             * worker has nothing more to do for it. */
            if (state[k] == STORE_LEASE_TAKEN)
                oa_log(OA_LOG_WARN, "jobs.lease_lost", "kind=%s ref_id=%s", held[k].kind,
                       held[k].ref_id);
            else
                oa_log(OA_LOG_DEBUG, "jobs.lease_ended", "kind=%s ref_id=%s", held[k].kind,
                       held[k].ref_id);
            atomic_store(&w->abort, true);
        }
        if (rc != OA_OK)
            oa_log(OA_LOG_WARN, "jobs.renew_failed", "status=%s", oa_status_str(rc));
    }
    pthread_mutex_unlock(&j->mu);
    free(held);
    free(who);
    free(state);
    return NULL;
}

static void *worker(void *arg)
{
    worker_state *w = arg;
    jobs *j = w->j;
    bool polled = false; /* the last wait ended by the shared-store fallback poll */
    while (!atomic_load(&j->stopping)) {
        pthread_mutex_lock(&j->mu);
        uint64_t gen = j->wake_gen;
        pthread_mutex_unlock(&j->mu);

        struct claim_ctx c = {j, {0}};
        oa_status rc = store_transact(j->svc->store, STORE_WRITE_LOCKED, claim_tx, &c);
        if (rc == OA_OK) {
            /* Work found by the fallback poll (another node's, its hint missed): there may
             * be more, so the other workers look too. */
            if (polled)
                jobs_wake(j);
            polled = false;
            atomic_fetch_add(&j->stats.busy, 1);
            set_running(w, &c.job);
            if (strcmp(c.job.kind, "apply") == 0)
                jobs_run_apply(&w->env, &c.job);
            else
                jobs_run_parse(&w->env, &c.job);
            set_running(w, NULL);
            /* A lost lease stopped that job only; a shutdown stops them all. */
            atomic_store(&w->abort, atomic_load(&j->abort));
            atomic_fetch_sub(&j->stats.busy, 1);
            continue;
        }
        /* Nothing due (or the store is busy): sleep until the next due time, a wake-up, or
         * at most 30 s (lease expiries of crashed nodes). */
        int64_t due = 0, now = oa_now_ms();
        int64_t wait_ms = 30000;
        if (rc == OA_NOT_FOUND &&
            store_transact(j->svc->store, STORE_READ, next_due_tx, &due) == OA_OK) {
            wait_ms = due - now;
            /* Due but not claimable (its tenant is at the parse limit): a finishing job wakes
             * the workers; poll only as a fallback. */
            if (wait_ms < 1)
                wait_ms = 1000;
            if (wait_ms > 30000)
                wait_ms = 30000;
        } else if (rc != OA_NOT_FOUND) {
            wait_ms = 1000;
        }
        /* A shared database (store_poll_ms): one worker polls for the node, the others wait
         * for a wake-up or their own due time. */
        bool capped = false;
        if (j->svc->poll_ms > 0 && w == &j->ws[0] && wait_ms > j->svc->poll_ms) {
            wait_ms = j->svc->poll_ms;
            capped = true;
        }
        struct timespec ts = oa_deadline_us(wait_ms * 1000);
        pthread_mutex_lock(&j->mu);
        bool timed_out = false;
        while (j->wake_gen == gen && !atomic_load(&j->stopping)) {
            if (pthread_cond_timedwait(&j->cv, &j->mu, &ts) == ETIMEDOUT) {
                timed_out = true;
                break;
            }
        }
        pthread_mutex_unlock(&j->mu);
        polled = capped && timed_out;
    }
    return NULL;
}

static oa_status release_tx(oa_tx *tx, void *arg)
{
    return store_job_release(tx, NULL, (int64_t *)arg);
}

oa_status jobs_start(svc *s, const jobs_config *cfg, jobs **out)
{
    jobs *j = xcalloc(1, sizeof *j);
    j->svc = s;
    j->cfg = *cfg;
    if (j->cfg.workers <= 0)
        j->cfg.workers = 8;
    if (j->cfg.lease_ms <= 0)
        j->cfg.lease_ms = 5 * 60 * 1000;
    if (j->cfg.fetch_timeout_ms <= 0)
        j->cfg.fetch_timeout_ms = 30000;
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    pthread_cond_init(&j->keeper_cv, NULL);
    int64_t released = 0;
    oa_status rc = store_transact(s->store, STORE_WRITE, release_tx, &released);
    if (rc != OA_OK) {
        free(j);
        return rc;
    }
    if (released)
        oa_log(OA_LOG_INFO, "jobs.recovered", "leases_released=%lld", (long long)released);
    /* Register the wake-up before any worker (or request) can queue work. */
    s->wake_jobs = jobs_wake;
    s->wake_jobs_arg = j;
    j->threads = xcalloc((size_t)j->cfg.workers, sizeof *j->threads);
    j->ws = xcalloc((size_t)j->cfg.workers, sizeof *j->ws);
    for (int i = 0; i < j->cfg.workers; i++) {
        worker_state *w = &j->ws[i];
        w->j = j;
        w->env.svc = s;
        w->env.cfg = &j->cfg;
        w->env.abort = &w->abort;
        w->env.stats = &j->stats;
    }
    for (int i = 0; i < j->cfg.workers; i++) {
        if (pthread_create(&j->threads[i], NULL, worker, &j->ws[i]) != 0) {
            oa_log(OA_LOG_ERROR, "jobs.thread_failed", "index=%d", i);
            break;
        }
        j->n++;
    }
    j->keeper_started = pthread_create(&j->keeper, NULL, keeper, j) == 0;
    if (!j->keeper_started)
        oa_log(OA_LOG_ERROR, "jobs.keeper_failed", "workers=%d", j->n);
    oa_log(OA_LOG_INFO, "jobs.started", "workers=%d lease_ms=%lld", j->n,
           (long long)j->cfg.lease_ms);
    *out = j;
    return OA_OK;
}

void jobs_stop(jobs *j, int64_t grace_ms)
{
    if (!j)
        return;
    j->svc->wake_jobs = NULL;
    atomic_store(&j->stopping, true);
    jobs_wake(j);
    int64_t deadline = oa_mono_ms() + grace_ms;
    while (atomic_load(&j->stats.busy) > 0 && oa_mono_ms() < deadline) {
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (atomic_load(&j->stats.busy) > 0) {
        oa_log(OA_LOG_WARN, "jobs.aborting", "busy=%d", atomic_load(&j->stats.busy));
        atomic_store(&j->abort, true);
        for (int i = 0; i < j->n; i++)
            atomic_store(&j->ws[i].abort, true);
    }
    for (int i = 0; i < j->n; i++)
        pthread_join(j->threads[i], NULL);
    if (j->keeper_started) {
        pthread_mutex_lock(&j->mu);
        pthread_cond_signal(&j->keeper_cv);
        pthread_mutex_unlock(&j->mu);
        pthread_join(j->keeper, NULL);
    }
    /* Jobs aborted mid-way kept their leases: give them back so a restart picks them up. */
    int64_t released = 0;
    if (store_transact(j->svc->store, STORE_WRITE, release_tx, &released) == OA_OK && released)
        oa_log(OA_LOG_INFO, "jobs.leases_released", "count=%lld", (long long)released);
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->cv);
    pthread_cond_destroy(&j->keeper_cv);
    free(j->threads);
    free(j->ws);
    free(j);
}

const jobs_stats *jobs_get_stats(const jobs *j)
{
    return &j->stats;
}
