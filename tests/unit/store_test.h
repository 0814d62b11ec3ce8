/*
 * store_test.h - what the store-backed unit tests share: a fresh store (a SQLite file in a
 * temporary folder, or a new PostgreSQL database when OA_TEST_PG is set), one-value queries
 * (counts) and query plans. Include after <cmocka.h>.
 */
#ifndef OA_TEST_STORE_TEST_H
#define OA_TEST_STORE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store/store.h"

/* The PostgreSQL server the store suites run against when OA_TEST_PG is set (the URL of a
 * database to connect to for CREATE/DROP DATABASE, e.g. postgres://USER:PASS@HOST:PORT/postgres);
 * NULL for SQLite. */
static inline const char *test_pg(void)
{
    const char *pg = getenv("OA_TEST_PG");
    return pg && *pg ? pg : NULL;
}

/* A test's own SQL where the two dialects differ (JSON paths, triggers): the form for the
 * backend the suite runs on. */
static inline const char *test_sql(const char *sqlite, const char *postgres)
{
    return test_pg() ? postgres : sqlite;
}

/* Runs one statement on the maintenance database of OA_TEST_PG. */
static inline void test_pg_admin(const char *sql)
{
    PGconn *c = PQconnectdb(test_pg());
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

/* The database name of a test folder /tmp/NAME-XXXXXX: its last component. */
static inline const char *test_pg_dbname(const char *dir)
{
    const char *b = strrchr(dir, '/');
    return b ? b + 1 : dir;
}

/* Creates /tmp/NAME-XXXXXX into dir (at least 64 bytes) and the store URL of a fresh store:
 * a SQLite file t.db in it, or, with OA_TEST_PG set, a new PostgreSQL database named after the
 * folder (test_rmdir drops it). */
static inline void test_tmp_store_url(char *dir, size_t dir_n, const char *name, char *url,
                                      size_t url_n)
{
    snprintf(dir, dir_n, "/tmp/%s-XXXXXX", name);
    assert_non_null(mkdtemp(dir));
    const char *pg = test_pg();
    if (!pg) {
        snprintf(url, url_n, "sqlite:%s/t.db", dir);
        return;
    }
    char sql[160];
    snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", test_pg_dbname(dir));
    test_pg_admin(sql);
    /* The same server and credentials, another database: replace the path of the URL. */
    const char *slash = strchr(strstr(pg, "://") ? strstr(pg, "://") + 3 : pg, '/');
    const char *query = slash ? strchr(slash, '?') : NULL;
    int base = slash ? (int)(slash - pg) : (int)strlen(pg);
    snprintf(url, url_n, "%.*s/%s%s", base, pg, test_pg_dbname(dir), query ? query : "");
}

static inline void test_rmdir(const char *dir)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    if (test_pg()) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)",
                 test_pg_dbname(dir));
        test_pg_admin(sql);
    }
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
