/* pool.h - the pool's insides, shared by pool.c and render.c. */
#ifndef OA_BROWSER_POOL_H
#define OA_BROWSER_POOL_H

#include <pthread.h>

#include "browser/internal.h"

struct browser_pool {
    int n;
    char *path;
    int64_t memory_limit;
    bool allow_private;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    oa_browser *b;
    bool *busy;
    bool closing;
    browser_stats st;
};

/* A browser for one page, started when it is not running (NULL with *why when none is free
 * before the deadline or it cannot start). Give it back with browser_pool_give; broken (or
 * over its page or memory limit) kills it. */
oa_browser *browser_pool_take(browser_pool *p, int64_t deadline, char **why);
void browser_pool_give(browser_pool *p, oa_browser *b, bool broken);
/* Counts a page rendered. */
void browser_pool_count(browser_pool *p, bool crashed, bool over_memory);
/* Once per process, after start: the guard on every request, downloads denied, targets
 * watched (popups are closed). render.c. */
oa_status browser_setup(oa_browser *b, char **why) OA_MUST_CHECK;

#endif
