/* pool.c - up to N browser processes, each lent to one thread for one page (see browser.h). */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "browser/pool.h"
#include "util/clock.h"
#include "util/log.h"

browser_pool *browser_pool_new(const browser_pool_opts *o)
{
    if (!o || o->n <= 0)
        return NULL;
    browser_pool *p = xcalloc(1, sizeof *p);
    p->n = o->n;
    p->path = xstrdup(o->path ? o->path : "/usr/bin/chromium");
    p->memory_limit = o->memory_limit > 0 ? o->memory_limit : BROWSER_DEFAULT_MEMORY;
    p->allow_private = o->allow_private;
    p->b = xcalloc((size_t)p->n, sizeof *p->b);
    p->busy = xcalloc((size_t)p->n, sizeof *p->busy);
    for (int i = 0; i < p->n; i++)
        p->b[i].conn.wfd = p->b[i].conn.rfd = -1;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    return p;
}

void browser_pool_free(browser_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->closing = true;
    int64_t until = oa_mono_ms() + 5000;
    for (;;) {
        bool any = false;
        for (int i = 0; i < p->n; i++)
            any = any || p->busy[i];
        if (!any || oa_mono_ms() > until)
            break;
        pthread_mutex_unlock(&p->mu);
        nanosleep(&(struct timespec){0, 20 * 1000000L}, NULL);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->n; i++)
        if (!p->busy[i])
            browser_proc_kill(&p->b[i]);
    /* A page still busy after the wait: its thread is stuck in a call with a deadline; its
     * browser is killed through the process group, which ends that call. */
    for (int i = 0; i < p->n; i++)
        if (p->busy[i] && p->b[i].pid > 0)
            kill(-p->b[i].pid, SIGKILL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->b);
    free(p->busy);
    free(p->path);
    free(p);
}

oa_browser *browser_pool_take(browser_pool *p, int64_t deadline, char **why)
{
    pthread_mutex_lock(&p->mu);
    int slot = -1;
    while (!p->closing) {
        for (int i = 0; i < p->n && slot < 0; i++)
            if (!p->busy[i])
                slot = i;
        if (slot >= 0)
            break;
        int64_t left = deadline - oa_mono_ms();
        if (left <= 0)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t wait = left > 1000 ? 1000 : left;
        ts.tv_sec += wait / 1000;
        ts.tv_nsec += (wait % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&p->cv, &p->mu, &ts);
    }
    if (slot >= 0)
        p->busy[slot] = true;
    pthread_mutex_unlock(&p->mu);
    if (slot < 0) {
        *why = xstrdup(p->closing ? "the engine is stopping" : "no browser was free in time");
        return NULL;
    }
    oa_browser *b = &p->b[slot];
    if (b->pid <= 0) {
        oa_status rc = browser_proc_start(p->path, b, why);
        if (rc == OA_OK)
            rc = browser_setup(b, why);
        if (rc != OA_OK) {
            browser_proc_kill(b);
            browser_pool_give(p, b, false);
            return NULL;
        }
        pthread_mutex_lock(&p->mu);
        p->st.launched++;
        pthread_mutex_unlock(&p->mu);
        oa_log(OA_LOG_INFO, "browser.started", "pid=%d slot=%d", (int)b->pid, slot);
    }
    return b;
}

void browser_pool_give(browser_pool *p, oa_browser *b, bool broken)
{
    const char *why = broken                                        ? "broken"
                      : b->pid > 0 && b->pages >= BROWSER_MAX_PAGES ? "page limit"
                                                                    : NULL;
    bool over = false;
    if (!why && b->pid > 0 && browser_proc_rss(b) > p->memory_limit) {
        why = "memory limit";
        over = true;
    }
    if (why && b->pid > 0) {
        oa_log(OA_LOG_INFO, "browser.replaced", "pid=%d reason=\"%s\"", (int)b->pid, why);
        browser_proc_kill(b);
    }
    pthread_mutex_lock(&p->mu);
    if (why)
        p->st.killed++;
    if (over)
        p->st.over_memory++;
    p->busy[b - p->b] = false;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void browser_pool_stats(browser_pool *p, browser_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    *out = p->st;
    out->running = 0;
    for (int i = 0; i < p->n; i++)
        out->running += p->b[i].pid > 0;
    pthread_mutex_unlock(&p->mu);
}

void browser_pool_count(browser_pool *p, bool crashed, bool over_memory)
{
    pthread_mutex_lock(&p->mu);
    p->st.pages++;
    p->st.crashed += crashed;
    p->st.over_memory += over_memory;
    pthread_mutex_unlock(&p->mu);
}
