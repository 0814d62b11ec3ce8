/*
 * test_counters.c - the figures of /metrics without counting tables: after every kind of write
 * (through the service layer, and in bulk straight in SQL) the trigger-kept counters of
 * 004_counters.sql equal a fresh COUNT(*) of the same rows, and so does what GET /metrics
 * shows; counters are seeded right on an existing database; a scrape reads no large table; the
 * UPDATE triggers stay quiet when the counted value does not change; and the store's work
 * counters (transactions, statements, slow writes) count exactly what ran.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "store/migrations.h"
#include "svc/svc.h"
#include "util/clock.h"

typedef struct {
    char dir[64];
    char path[96];
    char url[128];
    oa_store *st;
    svc s;
    api_ctx api;
    oa_site site;
    int64_t events_deleted; /* by the test, in bulk: events_written does not go down */
} fixture;

static void open_store(fixture *f)
{
    char *why = NULL;
    assert_int_equal(store_open(f->url, NULL, &f->st, &why), OA_OK);
    memset(&f->s, 0, sizeof f->s);
    f->s.store = f->st;
    f->s.refresh_interval_ms = 3600 * 1000;
    assert_int_equal(svc_init(&f->s), OA_OK);
    api_init(&f->api, &f->s, NULL);
}

static void close_store(fixture *f)
{
    api_free(&f->api);
    store_close(f->st);
    f->st = NULL;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    test_tmp_store_url(f->dir, sizeof f->dir, "oa-test-counters", f->url, sizeof f->url);
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir); /* the SQLite file, when SQLite */
    open_store(f);
    assert_int_equal(svc_site_create(&f->s, "t1", "Acme", NULL, &f->site), OA_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    oa_site_clear(&f->site);
    if (f->st)
        close_store(f);
    test_rmdir(f->dir);
    free(f);
    return 0;
}

/* ---- reading counts ---- */

static int64_t count(fixture *f, const char *sql, const char *arg)
{
    return test_count(f->st, sql, arg);
}

/* Runs one statement (a string literal) in a write transaction; *changes gets its rows. */
struct x_ctx {
    const char *sql;
    const char *arg;
    int64_t changes;
};

static oa_status exec_tx(oa_tx *tx, void *arg)
{
    struct x_ctx *x = arg;
    return x->arg ? store_exec_n(tx, &x->changes, x->sql, "t", x->arg)
                  : store_exec_n(tx, &x->changes, x->sql, "");
}

static int64_t exec_sql(fixture *f, const char *sql, const char *arg)
{
    struct x_ctx x = {sql, arg, 0};
    assert_int_equal(store_transact(f->st, STORE_WRITE, exec_tx, &x), OA_OK);
    return x.changes;
}

/* The counters and the same figures counted afresh, in one snapshot. */
#define MAX_GROUPS 16

typedef struct {
    char key[32];
    int64_t n;
} group_row;

typedef struct {
    const char *name; /* counter name */
    const char *sql;  /* key, COUNT(*) ... GROUP BY key */
    group_row rows[MAX_GROUPS];
    size_t n;
} grouped_count;

struct snap {
    store_counter *c;
    size_t n;
    grouped_count g[5];
    int64_t review, leased, events;
};

static oa_status read_groups(oa_tx *tx, grouped_count *g)
{
    oa_stmt *s;
    g->n = 0;
    oa_status rc = store_query(tx, &s, g->sql, "");
    if (rc != OA_OK)
        return rc;
    while ((rc = store_next(s)) == OA_ROW) {
        assert_true(g->n < MAX_GROUPS);
        store_copy(s, 0, g->rows[g->n].key, sizeof g->rows[g->n].key);
        g->rows[g->n].n = store_int(s, 1);
        g->n++;
    }
    store_done(s);
    return rc;
}

static oa_status snap_tx(oa_tx *tx, void *arg)
{
    struct snap *sn = arg;
    free(sn->c);
    oa_status rc = store_stats_counters(tx, &sn->c, &sn->n);
    for (size_t i = 0; rc == OA_OK && i < OA_ARRAY_LEN(sn->g); i++)
        rc = read_groups(tx, &sn->g[i]);
    /* The queries /metrics ran before the counters. */
    if (rc == OA_OK)
        rc = store_query_int(
            tx, &sn->review,
            "SELECT COUNT(*) FROM applications WHERE needs_review = 1 AND status = 'PENDING'", "");
    if (rc == OA_OK)
        rc = store_query_int(tx, &sn->leased,
                             "SELECT COUNT(*) FROM jobs WHERE lease_token IS NOT NULL", "");
    if (rc == OA_OK)
        rc = store_query_int(tx, &sn->events, "SELECT COUNT(*) FROM events", "");
    return rc;
}

static void take_snap(fixture *f, struct snap *sn)
{
    memset(sn, 0, sizeof *sn);
    sn->g[0] = (grouped_count){"postings",
                               "SELECT availability, COUNT(*) FROM postings GROUP BY availability"};
    sn->g[1] = (grouped_count){"applications",
                               "SELECT status, COUNT(*) FROM applications GROUP BY status"};
    sn->g[2] = (grouped_count){"jobs", "SELECT kind, COUNT(*) FROM jobs GROUP BY kind"};
    sn->g[3] = (grouped_count){"webhook_deliveries",
                               "SELECT status, COUNT(*) FROM webhook_deliveries GROUP BY status"};
    sn->g[4] = (grouped_count){"webhook_endpoints",
                               "SELECT CASE WHEN enabled = 1 THEN 'enabled' ELSE 'disabled' END, "
                               "COUNT(*) FROM webhook_endpoints WHERE deleted = 0 GROUP BY 1"};
    assert_int_equal(store_transact(f->st, STORE_READ, snap_tx, sn), OA_OK);
}

static int64_t counted(const grouped_count *g, const char *key)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->rows[i].key, key) == 0)
            return g->rows[i].n;
    return 0;
}

/* The value of the sample `series` ("name" or "name{label=\"v\"}") in a /metrics text. */
static int64_t sample(const char *text, const char *series)
{
    size_t len = strlen(series);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, series, len) == 0 && p[len] == ' ')
            return strtoll(p + len + 1, NULL, 10);
    }
    fail_msg("no sample %s in /metrics", series);
    return -1;
}

static char *scrape(fixture *f)
{
    http_req r = {0};
    http_resp resp = {0};
    store_work w0, w1;
    store_work_get(f->st, &w0);
    api_metrics(&f->api, &r, &resp);
    store_work_get(f->st, &w1);
    assert_int_equal(resp.status, 200);
    /* A scrape is one read transaction of one statement, whatever is stored. */
    assert_int_equal(w1.tx_read - w0.tx_read, 1);
    assert_int_equal(w1.statements - w0.statements, 1);
    assert_int_equal(w1.tx_write - w0.tx_write, 0);
    return resp.body;
}

/* Every counter equals a fresh COUNT(*) of what it counts, and /metrics shows the same. */
struct tenant_ctx {
    store_counter *c;
    size_t n;
};

static oa_status tenant_tx(oa_tx *tx, void *arg)
{
    struct tenant_ctx *c = arg;
    return store_tenant_counters(tx, "t1", &c->c, &c->n);
}

/* The tenant's own counters (GET /v1/stats) equal what COUNT(*) says of its rows. */
static void check_tenant(fixture *f, const char *step)
{
    struct tenant_ctx c = {0};
    assert_int_equal(store_transact(f->st, STORE_READ, tenant_tx, &c), OA_OK);
    static const char *const avail[] = {"PENDING", "APPLYABLE", "UNAVAILABLE", "ARCHIVED"};
    static const char *const status[] = {"PENDING", "SUBMITTED", "FAILED", "DUPLICATE"};
    char q[256];
    for (size_t i = 0; i < 4; i++) {
        snprintf(q, sizeof q,
                 "SELECT COUNT(*) FROM postings WHERE tenant = 't1' AND availability = '%s'",
                 avail[i]);
        if (store_counter_value(c.c, c.n, "postings", avail[i]) != count(f, q, NULL))
            fail_msg("%s: tenant postings/%s", step, avail[i]);
        snprintf(q, sizeof q,
                 "SELECT COUNT(*) FROM applications WHERE tenant = 't1' AND status = '%s'",
                 status[i]);
        if (store_counter_value(c.c, c.n, "applications", status[i]) != count(f, q, NULL))
            fail_msg("%s: tenant applications/%s", step, status[i]);
    }
    if (store_counter_value(c.c, c.n, "review_queue", "") !=
        count(f,
              "SELECT COUNT(*) FROM applications WHERE tenant = 't1' AND needs_review = 1 AND "
              "status = 'PENDING'",
              NULL))
        fail_msg("%s: tenant review queue", step);
    free(c.c);
}

static void check(fixture *f, const char *step)
{
    check_tenant(f, step);
    struct snap sn;
    take_snap(f, &sn);
    char *text = scrape(f);
    static const char *const metric[] = {"openapply_postings", "openapply_applications",
                                         "openapply_jobs_queued", "openapply_webhook_deliveries",
                                         "openapply_webhook_endpoints"};
    static const char *const label[] = {"availability", "status", "kind", "status", "state"};
    for (size_t i = 0; i < OA_ARRAY_LEN(sn.g); i++) {
        const grouped_count *g = &sn.g[i];
        int64_t sum = 0, counted_sum = 0;
        for (size_t k = 0; k < sn.n; k++) {
            if (strcmp(sn.c[k].name, g->name) != 0)
                continue;
            if (sn.c[k].n != counted(g, sn.c[k].key))
                fail_msg("%s: counter %s/%s = %lld, COUNT(*) = %lld", step, g->name, sn.c[k].key,
                         (long long)sn.c[k].n, (long long)counted(g, sn.c[k].key));
            sum += sn.c[k].n;
        }
        for (size_t k = 0; k < g->n; k++) {
            counted_sum += g->rows[k].n;
            if (store_counter_value(sn.c, sn.n, g->name, g->rows[k].key) != g->rows[k].n)
                fail_msg("%s: %s/%s counted %lld, no matching counter", step, g->name,
                         g->rows[k].key, (long long)g->rows[k].n);
            char series[128];
            snprintf(series, sizeof series, "%s{%s=\"%s\"}", metric[i], label[i], g->rows[k].key);
            if (sample(text, series) != g->rows[k].n)
                fail_msg("%s: %s = %lld, COUNT(*) = %lld", step, series,
                         (long long)sample(text, series), (long long)g->rows[k].n);
        }
        assert_int_equal(sum, counted_sum);
    }
    int64_t review = store_counter_value(sn.c, sn.n, "review_queue", "");
    int64_t leased = store_counter_value(sn.c, sn.n, "jobs_leased", "");
    int64_t stored = store_counter_value(sn.c, sn.n, "events_stored", "");
    int64_t written = store_counter_value(sn.c, sn.n, "events_written", "");
    if (review != sn.review || leased != sn.leased || stored != sn.events ||
        written != sn.events + f->events_deleted)
        fail_msg("%s: review %lld/%lld leased %lld/%lld events stored %lld/%lld written "
                 "%lld/%lld",
                 step, (long long)review, (long long)sn.review, (long long)leased,
                 (long long)sn.leased, (long long)stored, (long long)sn.events, (long long)written,
                 (long long)(sn.events + f->events_deleted));
    assert_int_equal(sample(text, "openapply_review_queue_depth"), sn.review);
    assert_int_equal(sample(text, "openapply_jobs_leased"), sn.leased);
    assert_int_equal(sample(text, "openapply_events_total"), sn.events + f->events_deleted);
    assert_int_equal(sample(text, "openapply_events_stored"), sn.events);
    free(text);
    free(sn.c);
}

/* ---- driving writes ---- */

struct claim_ctx {
    store_job j;
    int64_t now;
};

static oa_status claim_tx(oa_tx *tx, void *arg)
{
    struct claim_ctx *c = arg;
    return store_job_claim(tx, c->now, 60000, 5, &c->j);
}

static oa_status claim(fixture *f, store_job *j)
{
    struct claim_ctx c = {.now = oa_now_ms()};
    oa_status rc = store_transact(f->st, STORE_WRITE, claim_tx, &c);
    *j = c.j;
    return rc;
}

static void make_form(oa_form *form)
{
    memset(form, 0, sizeof *form);
    form->action = strdup("https://jobs.example.com/apply");
    form->method = strdup("POST");
    oa_block *q = oa_block_add(&form->blocks, &form->n_blocks);
    q->kind = OA_BLOCK_QUESTION;
    q->label = strdup("First name");
    q->required = true;
    q->type = OA_Q_TEXT;
    q->field_name = strdup("first_name");
}

static void submit(fixture *f, const char *url, oa_posting *p)
{
    svc_posting_req req = {.url = url, .site_id = f->site.id};
    bool created = false;
    oa_posting_clear(p);
    assert_int_equal(svc_posting_submit(&f->s, "t1", &req, p, &created), OA_OK);
}

/* Claims the next job, which must be the parse of p, and records kind. */
static void parse(fixture *f, const oa_posting *p, svc_parse_kind kind)
{
    store_job j;
    assert_int_equal(claim(f, &j), OA_OK);
    assert_string_equal(j.ref_id, p->id);
    check(f, "parse job leased");
    oa_form form;
    make_form(&form);
    assert_int_equal(
        svc_parse_result(&f->s, &j, kind, kind == SVC_PARSE_OK ? &form : NULL, "no form"), OA_OK);
    oa_form_free(&form);
}

static void apply(fixture *f, const char *posting_id, const char *email, oa_application *out)
{
    json_t *form = NULL;
    char *token = NULL, *why = NULL, *bad = NULL;
    assert_int_equal(svc_inquire(&f->s, "t1", posting_id, &form, &token, &why), OA_OK);
    const char *qid = json_string_value(json_object_get(json_array_get(form, 0), "question_id"));
    json_t *answers = json_pack("[{s:s, s:s}]", "question_id", qid, "answer", "Ada");
    svc_apply_req req = {token, email, answers, NULL, 0};
    assert_int_equal(svc_apply(&f->s, "t1", &req, out, &why, &bad), OA_OK);
    json_decref(answers);
    json_decref(form);
    free(token);
    free(why);
    free(bad);
}

static void endpoint(fixture *f, oa_endpoint *e)
{
    svc_endpoint_req req = {.url = "https://hooks.example.com/in", .enabled = -1};
    assert_int_equal(svc_endpoint_create(&f->s, "t1", &req, e), OA_OK);
}

static void endpoint_enable(fixture *f, const char *id, int enabled)
{
    svc_endpoint_req req = {.enabled = enabled};
    oa_endpoint e = {0};
    assert_int_equal(svc_endpoint_update(&f->s, "t1", id, &req, &e), OA_OK);
    oa_endpoint_clear(&e);
}

/* ---- tests ---- */

static void test_counters_follow_writes(void **state)
{
    fixture *f = *state;
    check(f, "empty");

    oa_endpoint a = {0}, b = {0};
    endpoint(f, &a);
    endpoint(f, &b);
    check(f, "two endpoints");

    oa_posting p1 = {0}, p2 = {0}, p3 = {0};
    submit(f, "https://jobs.example.com/1", &p1);
    submit(f, "https://jobs.example.com/2", &p2);
    submit(f, "https://jobs.example.com/3", &p3);
    check(f, "three postings");
    submit(f, "https://jobs.example.com/3", &p3); /* resubmitted: an upsert of its parse job */
    check(f, "resubmitted");

    parse(f, &p1, SVC_PARSE_OK); /* APPLYABLE: an event, a delivery per endpoint */
    check(f, "parsed");
    assert_int_equal(count(f, "SELECT COUNT(*) FROM webhook_deliveries", NULL), 2);
    parse(f, &p2, SVC_PARSE_FAILED);
    check(f, "unavailable");

    endpoint_enable(f, b.id, 0);
    check(f, "endpoint disabled");
    endpoint_enable(f, b.id, 0);
    check(f, "endpoint disabled again");
    parse(f, &p3, SVC_PARSE_OFFLINE); /* ARCHIVED: one delivery (b is disabled) */
    check(f, "archived offline");

    oa_application x = {0}, y = {0}, z = {0};
    apply(f, p1.id, "x@example.com", &x);
    apply(f, p1.id, "y@example.com", &y);
    apply(f, p1.id, "z@example.com", &z);
    check(f, "three applications");

    store_job j;
    assert_int_equal(claim(f, &j), OA_OK);
    assert_string_equal(j.ref_id, x.id);
    assert_int_equal(svc_apply_result(&f->s, &j, SVC_APPLY_REVIEW, "HTTP 422", 0, NULL), OA_OK);
    check(f, "to review");
    oa_application r = {0};
    assert_int_equal(svc_review(&f->s, "t1", x.id, false, "bounced", &r), OA_OK);
    oa_application_clear(&r);
    check(f, "reviewed");

    assert_int_equal(claim(f, &j), OA_OK);
    assert_string_equal(j.ref_id, y.id);
    assert_int_equal(svc_apply_result(&f->s, &j, SVC_APPLY_RETRY, "HTTP 503", oa_now_ms(), NULL),
                     OA_OK);
    check(f, "retry");
    assert_int_equal(claim(f, &j), OA_OK);
    assert_int_equal(svc_apply_result(&f->s, &j, SVC_APPLY_SUBMITTED, NULL, 0, NULL), OA_OK);
    check(f, "submitted");

    /* Leases released in bulk (start-up), then a lease that ran out taken over. */
    assert_int_equal(claim(f, &j), OA_OK);
    check(f, "leased");
    int64_t released = exec_sql(f,
                                "UPDATE jobs SET lease_until = NULL, lease_token = NULL "
                                "WHERE lease_token IS NOT NULL",
                                NULL);
    assert_int_equal(released, 1);
    check(f, "released");

    /* Archiving fails z and deletes its queued work. */
    oa_posting ap = {0};
    assert_int_equal(svc_posting_archive(&f->s, "t1", p1.id, &ap), OA_OK);
    oa_posting_clear(&ap);
    check(f, "archived");

    /* Deliveries settle (the dispatcher's writes, here straight in SQL), then an endpoint is
     * deleted: its pending deliveries are cancelled and it is counted no more. */
    exec_sql(f,
             "UPDATE webhook_deliveries SET status = 'delivered' WHERE seq = "
             "(SELECT MIN(seq) FROM webhook_deliveries)",
             NULL);
    check(f, "delivered");
    exec_sql(f,
             "UPDATE webhook_deliveries SET status = 'failed' WHERE seq = "
             "(SELECT MAX(seq) FROM webhook_deliveries)",
             NULL);
    check(f, "failed");
    exec_sql(f, "UPDATE webhook_deliveries SET status = 'pending', attempts = 0", NULL);
    check(f, "redelivered in bulk");
    assert_int_equal(svc_endpoint_delete(&f->s, "t1", a.id), OA_OK);
    check(f, "endpoint deleted");
    endpoint_enable(f, b.id, 1);
    check(f, "endpoint enabled");

    /* A feed import creates and archives postings (by the chunk). */
    oa_feed feed = {0};
    assert_int_equal(svc_feed_create(&f->s, "t1", "Feed", &feed), OA_OK);
    svc_import_line lines[3] = {
        {.url = "https://a.example.com/1", .site_label = "A"},
        {.url = "https://a.example.com/2", .site_label = "A"},
        {.url = "https://b.example.com/1", .site_label = "B"},
    };
    svc_import_counts c;
    assert_int_equal(svc_feed_import(&f->s, "t1", feed.id, lines, 3, &c), OA_OK);
    check(f, "imported");
    assert_int_equal(svc_feed_import(&f->s, "t1", feed.id, lines, 1, &c), OA_OK);
    check(f, "import archived two");
    oa_feed_clear(&feed);

    /* Bulk deletes: retention of events (events_written stays), then everything. */
    int64_t written = count(f, "SELECT n FROM stat_counters WHERE name = 'events_written'", NULL);
    f->events_deleted += exec_sql(
        f, "DELETE FROM events WHERE seq <= (SELECT (MIN(seq) + MAX(seq)) / 2 FROM events)", NULL);
    assert_true(f->events_deleted > 0);
    check(f, "events pruned");
    assert_int_equal(count(f, "SELECT n FROM stat_counters WHERE name = 'events_written'", NULL),
                     written);
    exec_sql(f, "UPDATE applications SET needs_review = 1, status = 'PENDING'", NULL);
    check(f, "all applications to review");
    exec_sql(f, "UPDATE applications SET status = 'FAILED' WHERE seq % 2 = 0", NULL);
    check(f, "some failed, still marked for review");
    exec_sql(f, "UPDATE jobs SET lease_token = 'x', lease_until = 1", NULL);
    check(f, "all jobs leased");
    exec_sql(f, "DELETE FROM webhook_deliveries", NULL);
    exec_sql(f, "DELETE FROM webhook_attempts", NULL);
    f->events_deleted += exec_sql(f, "DELETE FROM events", NULL);
    exec_sql(f, "DELETE FROM jobs", NULL);
    exec_sql(f, "DELETE FROM applications", NULL);
    exec_sql(f, "DELETE FROM form_revisions", NULL);
    exec_sql(f, "DELETE FROM postings", NULL);
    exec_sql(f, "DELETE FROM webhook_endpoints", NULL);
    check(f, "all deleted");
    struct snap sn;
    take_snap(f, &sn);
    for (size_t i = 0; i < sn.n; i++)
        if (strcmp(sn.c[i].name, "events_written") != 0)
            assert_int_equal(sn.c[i].n, 0);
    free(sn.c);

    oa_endpoint_clear(&a);
    oa_endpoint_clear(&b);
    oa_application_clear(&x);
    oa_application_clear(&y);
    oa_application_clear(&z);
    oa_posting_clear(&p1);
    oa_posting_clear(&p2);
    oa_posting_clear(&p3);
}

/* Rows a statement changed, trigger programs included (total_changes() of the connection). */
struct tc_ctx {
    const char *sql;
    const char *arg;
    int64_t delta;
};

static oa_status total_changes_tx(oa_tx *tx, void *arg)
{
    struct tc_ctx *c = arg;
    int64_t before = 0, after = 0;
    oa_status rc = store_query_int(tx, &before, "SELECT total_changes()", "");
    if (rc == OA_OK)
        rc = c->arg ? store_exec(tx, c->sql, "t", c->arg) : store_exec(tx, c->sql, "");
    if (rc == OA_OK)
        rc = store_query_int(tx, &after, "SELECT total_changes()", "");
    c->delta = after - before;
    return rc;
}

static int64_t rows_changed(fixture *f, const char *sql, const char *arg)
{
    struct tc_ctx c = {sql, arg, -1};
    assert_int_equal(store_transact(f->st, STORE_WRITE, total_changes_tx, &c), OA_OK);
    return c.delta;
}

static void test_update_triggers_fire_on_change_only(void **state)
{
    fixture *f = *state;
    if (test_pg())
        skip(); /* counts rows changed by triggers with SQLite's total_changes() */
    oa_endpoint e = {0};
    endpoint(f, &e);
    oa_posting p = {0};
    submit(f, "https://jobs.example.com/quiet", &p);
    parse(f, &p, SVC_PARSE_OK);
    oa_application a = {0};
    apply(f, p.id, "q@example.com", &a);

    /* 1 = the row itself; 5 = the row and two counter rows (old value -1, new value +1), of
     * stat_counters and of the tenant's tenant_counters. */
    assert_int_equal(rows_changed(f,
                                  "UPDATE postings SET availability = availability, updated_at = "
                                  "updated_at + 1 WHERE id = ?",
                                  p.id),
                     1);
    assert_int_equal(
        rows_changed(f, "UPDATE postings SET availability = 'UNAVAILABLE' WHERE id = ?", p.id), 5);
    assert_int_equal(
        rows_changed(f, "UPDATE applications SET status = status, attempts = 1 WHERE id = ?", a.id),
        1);
    assert_int_equal(rows_changed(f, "UPDATE applications SET needs_review = 0 WHERE id = ?", a.id),
                     1);
    assert_int_equal(rows_changed(f, "UPDATE applications SET needs_review = 1 WHERE id = ?", a.id),
                     3);
    assert_int_equal(rows_changed(f,
                                  "UPDATE webhook_deliveries SET status = 'pending', attempts = 3 "
                                  "WHERE endpoint_id = ?",
                                  e.id),
                     1);
    assert_int_equal(rows_changed(f,
                                  "UPDATE webhook_endpoints SET enabled = 1, description = 'x' "
                                  "WHERE id = ?",
                                  e.id),
                     1);
    assert_int_equal(rows_changed(f, "UPDATE webhook_endpoints SET enabled = 0 WHERE id = ?", e.id),
                     3);
    /* Deleting a disabled endpoint: one counter down; a deleted one changes nothing more. */
    assert_int_equal(rows_changed(f, "UPDATE webhook_endpoints SET deleted = 1 WHERE id = ?", e.id),
                     2);
    assert_int_equal(rows_changed(f, "UPDATE webhook_endpoints SET enabled = 1 WHERE id = ?", e.id),
                     1);
    /* A lease taken over (token replaced) and a re-timed job leave the counters alone. */
    store_job j;
    assert_int_equal(claim(f, &j), OA_OK);
    assert_int_equal(
        rows_changed(f, "UPDATE jobs SET lease_token = 'other' WHERE ref_id = ?", a.id), 1);
    assert_int_equal(rows_changed(f, "UPDATE jobs SET run_at = run_at + 1 WHERE ref_id = ?", a.id),
                     1);
    assert_int_equal(rows_changed(f, "UPDATE jobs SET lease_token = NULL WHERE ref_id = ?", a.id),
                     2);
    check(f, "after direct updates");
    oa_application_clear(&a);
    oa_posting_clear(&p);
    oa_endpoint_clear(&e);
}

/* The counters of a database that had rows before 004_counters.sql ran: drop them and run the
 * migration's script again on the same rows, as an upgrade does. */
static void test_seeded_on_existing_database(void **state)
{
    fixture *f = *state;
    if (test_pg())
        skip(); /* reads the SQLite file itself */
    oa_endpoint e1 = {0}, e2 = {0}, e3 = {0};
    endpoint(f, &e1);
    endpoint(f, &e2);
    endpoint(f, &e3);
    endpoint_enable(f, e2.id, 0);
    assert_int_equal(svc_endpoint_delete(&f->s, "t1", e3.id), OA_OK);
    oa_posting p = {0}, q = {0};
    submit(f, "https://jobs.example.com/s1", &p);
    submit(f, "https://jobs.example.com/s2", &q);
    parse(f, &p, SVC_PARSE_OK);
    oa_application a = {0}, b = {0};
    apply(f, p.id, "a@example.com", &a);
    apply(f, p.id, "b@example.com", &b);
    store_job j;
    assert_int_equal(claim(f, &j), OA_OK);
    assert_int_equal(svc_apply_result(&f->s, &j, SVC_APPLY_REVIEW, "HTTP 422", 0, NULL), OA_OK);
    assert_int_equal(claim(f, &j), OA_OK); /* left leased */
    check(f, "before");
    close_store(f);

    const oa_migration *m = NULL;
    for (size_t i = 0; i < oa_sqlite_migrations_n; i++)
        if (strncmp(oa_sqlite_migrations[i].name, "004_", 4) == 0)
            m = &oa_sqlite_migrations[i];
    assert_non_null(m);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    char *err = NULL;
    assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                        "AND sql LIKE '%stat_counters%'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    int n_triggers = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        char drop[128];
        snprintf(drop, sizeof drop, "DROP TRIGGER \"%s\"", (const char *)sqlite3_column_text(s, 0));
        assert_int_equal(sqlite3_exec(db, drop, NULL, NULL, NULL), SQLITE_OK);
        n_triggers++;
    }
    sqlite3_finalize(s);
    assert_true(n_triggers >= 18);
    assert_int_equal(sqlite3_exec(db, "DROP TABLE stat_counters", NULL, NULL, NULL), SQLITE_OK);
    if (sqlite3_exec(db, m->sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", m->name, err);
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    open_store(f);
    check(f, "reseeded");
    /* And the triggers work on from the seed. */
    oa_application r = {0};
    assert_int_equal(svc_review(&f->s, "t1", a.id, true, "ok", &r), OA_OK);
    oa_application_clear(&r);
    check(f, "reviewed after reseeding");
    oa_application_clear(&a);
    oa_application_clear(&b);
    oa_posting_clear(&p);
    oa_posting_clear(&q);
    oa_endpoint_clear(&e1);
    oa_endpoint_clear(&e2);
    oa_endpoint_clear(&e3);
}

/* What /metrics and /healthz run reads none of the tables that grow. */
static void test_metrics_read_no_large_table(void **state)
{
    fixture *f = *state;
    if (test_pg())
        skip(); /* reads the SQLite file itself */
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    const char *queries[] = {
        store_stats_sql, "SELECT MAX(version) FROM schema_migrations", /* store_ping */
    };
    static const char *const large[] = {"postings",           "applications",     "jobs",
                                        "webhook_deliveries", "webhook_attempts", "events"};
    for (size_t i = 0; i < OA_ARRAY_LEN(queries); i++) {
        char sql[512];
        snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", queries[i]);
        sqlite3_stmt *s;
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
        int rows = 0;
        while (sqlite3_step(s) == SQLITE_ROW) {
            const char *detail = (const char *)sqlite3_column_text(s, 3);
            rows++;
            for (size_t k = 0; k < OA_ARRAY_LEN(large); k++) {
                char word[64];
                snprintf(word, sizeof word, " %s", large[k]);
                const char *hit = strstr(detail, word);
                if (hit && (hit[strlen(word)] == '\0' || hit[strlen(word)] == ' '))
                    fail_msg("%s: plan reads %s: %s", queries[i], large[k], detail);
            }
            if (strncmp(detail, "SCAN ", 5) == 0 && strcmp(detail, "SCAN stat_counters") != 0)
                fail_msg("%s: plan scans: %s", queries[i], detail);
        }
        assert_true(rows > 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(db);

    http_req r = {0};
    http_resp resp = {0};
    api_healthz(&f->api, &r, &resp);
    assert_int_equal(resp.status, 200);
    assert_non_null(strstr(resp.body, "\"database\":\"ok\""));
    free(resp.body);
}

/* ---- the store's work counters ---- */

static store_work work_delta(const store_work *a, const store_work *b)
{
    store_work d = {b->tx_read - a->tx_read, b->tx_write - a->tx_write,
                    b->statements - a->statements, b->slow_writes - a->slow_writes};
    return d;
}

#define assert_work(d, r, w, stmts, slow)                                                          \
    do {                                                                                           \
        assert_int_equal((d).tx_read, (r));                                                        \
        assert_int_equal((d).tx_write, (w));                                                       \
        assert_int_equal((d).statements, (stmts));                                                 \
        assert_int_equal((d).slow_writes, (slow));                                                 \
    } while (0)

static oa_status three_reads_tx(oa_tx *tx, void *arg)
{
    (void)arg;
    int64_t n;
    oa_status rc = store_query_int(tx, &n, "SELECT COUNT(*) FROM career_sites", "");
    if (rc == OA_OK)
        rc = store_query_int(tx, &n, "SELECT ?", "i", (int64_t)7);
    oa_stmt *s;
    if (rc == OA_OK)
        rc = store_query(tx, &s, "SELECT id FROM career_sites", "");
    if (rc == OA_OK) {
        while ((rc = store_next(s)) == OA_ROW)
            ;
        store_done(s);
    }
    return rc;
}

struct write_ctx {
    int statements;
    int again; /* attempts to fail with OA_AGAIN first */
    oa_status result;
    int sleep_ms;
};

static oa_status writes_tx(oa_tx *tx, void *arg)
{
    struct write_ctx *w = arg;
    for (int i = 0; i < w->statements; i++)
        if (store_exec(tx,
                       "INSERT INTO meta (key, value) VALUES ('work', '1') "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       "") != OA_OK)
            return OA_ERR;
    if (w->sleep_ms) {
        struct timespec ts = {0, (long)w->sleep_ms * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (w->again > 0) {
        w->again--;
        return OA_AGAIN;
    }
    return w->result;
}

static oa_status sleepy_read_tx(oa_tx *tx, void *arg)
{
    (void)tx;
    struct timespec ts = {0, *(int *)arg * 1000000L};
    nanosleep(&ts, NULL);
    return OA_OK;
}

static void test_work_counters(void **state)
{
    fixture *f = *state;
    store_work w0, w1, d;

    /* A read transaction: tx_read only, one statement each, cached or not. */
    for (int round = 0; round < 2; round++) {
        store_work_get(f->st, &w0);
        assert_int_equal(store_transact(f->st, STORE_READ, three_reads_tx, NULL), OA_OK);
        store_work_get(f->st, &w1);
        d = work_delta(&w0, &w1);
        assert_work(d, 1, 0, 3, 0);
    }

    /* A write transaction. */
    store_work_get(f->st, &w0);
    struct write_ctx wc = {.statements = 2, .result = OA_OK};
    assert_int_equal(store_transact(f->st, STORE_WRITE, writes_tx, &wc), OA_OK);
    store_work_get(f->st, &w1);
    d = work_delta(&w0, &w1);
    assert_work(d, 0, 1, 2, 0);

    /* Rolled back: it began, so it counts. */
    store_work_get(f->st, &w0);
    wc = (struct write_ctx){.statements = 1, .result = OA_INVALID};
    assert_int_equal(store_transact(f->st, STORE_WRITE, writes_tx, &wc), OA_INVALID);
    store_work_get(f->st, &w1);
    d = work_delta(&w0, &w1);
    assert_work(d, 0, 1, 1, 0);

    /* Retried twice: three transactions. */
    store_work_get(f->st, &w0);
    wc = (struct write_ctx){.statements = 1, .again = 2, .result = OA_OK};
    assert_int_equal(store_transact(f->st, STORE_WRITE, writes_tx, &wc), OA_OK);
    store_work_get(f->st, &w1);
    d = work_delta(&w0, &w1);
    assert_work(d, 0, 3, 3, 0);

    /* A write holding the writer for 60 ms is slow; a read that long is not. */
    store_work_get(f->st, &w0);
    wc = (struct write_ctx){.statements = 1, .result = OA_OK, .sleep_ms = STORE_SLOW_WRITE_MS + 10};
    assert_int_equal(store_transact(f->st, STORE_WRITE, writes_tx, &wc), OA_OK);
    int ms = STORE_SLOW_WRITE_MS + 10;
    assert_int_equal(store_transact(f->st, STORE_READ, sleepy_read_tx, &ms), OA_OK);
    store_work_get(f->st, &w1);
    d = work_delta(&w0, &w1);
    assert_work(d, 1, 1, 1, 1);

    /* The health check: one read of one statement. */
    store_work_get(f->st, &w0);
    assert_int_equal(store_ping(f->st), OA_OK);
    store_work_get(f->st, &w1);
    d = work_delta(&w0, &w1);
    assert_work(d, 1, 0, 1, 0);

    /* /metrics shows them (and its own read). */
    store_work_get(f->st, &w0);
    char *text = scrape(f);
    assert_int_equal(sample(text, "openapply_store_transactions_total{mode=\"read\"}"),
                     w0.tx_read + 1);
    assert_int_equal(sample(text, "openapply_store_transactions_total{mode=\"write\"}"),
                     w0.tx_write);
    assert_int_equal(sample(text, "openapply_store_statements_total"), w0.statements + 1);
    assert_int_equal(sample(text, "openapply_store_slow_write_transactions_total"), w0.slow_writes);
    assert_non_null(strstr(text, "# TYPE openapply_store_transactions_total counter\n"
                                 "openapply_store_transactions_total{mode=\"read\"}"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counters_follow_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_triggers_fire_on_change_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seeded_on_existing_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metrics_read_no_large_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_work_counters, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
