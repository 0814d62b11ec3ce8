/*
 * store_test.h - what the store-backed unit tests share: a temporary folder for a SQLite file,
 * one-value queries (counts) and query plans. Include after <cmocka.h>.
 */
#ifndef OA_TEST_STORE_TEST_H
#define OA_TEST_STORE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

/* Creates /tmp/NAME-XXXXXX into dir (at least 64 bytes) and the sqlite: URL of t.db in it. */
static inline void test_tmp_store_url(char *dir, size_t dir_n, const char *name, char *url,
                                      size_t url_n)
{
    snprintf(dir, dir_n, "/tmp/%s-XXXXXX", name);
    assert_non_null(mkdtemp(dir));
    snprintf(url, url_n, "sqlite:%s/t.db", dir);
}

static inline void test_rmdir(const char *dir)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

struct test_q {
    const char *sql;
    const char *arg;
    int64_t n;
};

static inline oa_status test_count_tx(oa_tx *tx, void *arg)
{
    struct test_q *q = arg;
    return q->arg ? store_query_int(tx, &q->n, q->sql, "t", q->arg)
                  : store_query_int(tx, &q->n, q->sql, "");
}

/* The one integer sql answers, with one text parameter when arg is not NULL. */
static inline int64_t test_count(oa_store *st, const char *sql, const char *arg)
{
    struct test_q q = {sql, arg, -1};
    assert_int_equal(store_transact(st, STORE_READ, test_count_tx, &q), OA_OK);
    return q.n;
}

struct test_plan_ctx {
    const char *sql;
    size_t nparams;
    char *out;
    size_t n;
};

static inline oa_status test_plan_tx(oa_tx *tx, void *arg)
{
    struct test_plan_ctx *c = arg;
    char *sql = xasprintf("EXPLAIN QUERY PLAN %s", c->sql);
    char types[33] = {0};
    for (size_t i = 0; i < c->nparams && i < sizeof types - 1; i++)
        types[i] = 'n'; /* the plan does not depend on the values */
    oa_stmt *s;
    oa_status rc = store_query(tx, &s, sql, types);
    free(sql);
    if (rc != OA_OK)
        return rc;
    size_t len = 0;
    c->out[0] = '\0';
    while ((rc = store_next(s)) == OA_ROW) {
        const char *d = store_text(s, 3);
        int w = snprintf(c->out + len, c->n - len, "%s\n", d ? d : "");
        if (w > 0 && (size_t)w < c->n - len)
            len += (size_t)w;
    }
    store_done(s);
    return rc;
}

/* SQLite's EXPLAIN QUERY PLAN of sql (nparams parameters), one detail line each, into out. */
static inline void test_plan(oa_store *st, const char *sql, size_t nparams, char *out, size_t n)
{
    struct test_plan_ctx c = {sql, nparams, out, n};
    assert_int_equal(store_transact(st, STORE_READ, test_plan_tx, &c), OA_OK);
}

#endif
