/*
 * test_deliveries.c - the delivery bookkeeping over a real store: claims of chain heads only,
 * the retry schedule and exhaustion, failure streaks and 410, lost leases, head promotion,
 * recovery in chunks, rate limits and fair shares (the scheduler), retention, and claim plans
 * that do not scan the backlog.
 *
 * Each test gets a fresh store: a SQLite file, or a new PostgreSQL database when OA_TEST_PG is
 * set (store_test.h), so that both backends run the same suite. Times are passed in explicitly, so
 * no test waits or depends on the clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svc/internal.h"
#include "util/clock.h"
#include "webhook/sched.h"

#define T0    ((int64_t)1700000000000)
#define LEASE ((int64_t)45000)

typedef struct {
    char dir[64];
    char url[160];
    oa_store *st;
    svc s;
    oa_endpoint ep;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    test_tmp_store_url(f->dir, sizeof f->dir, "oa-test-dl", f->url, sizeof f->url);
    char *why = NULL;
    assert_int_equal(store_open(f->url, NULL, &f->st, &why), OA_OK);
    f->s.store = f->st;
    /* Three attempts: at once, after 1 s, after 2 s (each +-10% jitter). */
    f->s.wh_retry[0] = 0;
    f->s.wh_retry[1] = 1000;
    f->s.wh_retry[2] = 2000;
    f->s.n_wh_retry = 3;
    f->s.wh_disable_after_ms = 10000;
    f->s.retention_ms = 86400000;
    assert_int_equal(svc_init(&f->s), OA_OK);
    svc_endpoint_req req = {.url = "http://127.0.0.1:9/hook"};
    assert_int_equal(svc_endpoint_create(&f->s, "t1", &req, &f->ep), OA_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    oa_endpoint_clear(&f->ep);
    store_close(f->st);
    if (f->dir[0])
        test_rmdir(f->dir);
    free(f);
    return 0;
}

/* ---- helpers ---- */

struct emit_ctx {
    fixture *f;
    const char *resource;
    const char *type;
    int64_t now;
};

static oa_status emit_tx(oa_tx *tx, void *arg)
{
    struct emit_ctx *c = arg;
    json_t *data = json_pack("{s:s}", "id", c->resource);
    oa_status rc = svc__emit(&c->f->s, tx, "t1", c->type, c->resource, data, c->now);
    json_decref(data);
    return rc;
}

static void emit(fixture *f, const char *resource, int64_t now)
{
    struct emit_ctx c = {f, resource, OA_EVENT_POSTING, now};
    assert_int_equal(store_transact(f->st, STORE_WRITE, emit_tx, &c), OA_OK);
}

struct claim_ctx {
    int64_t now;
    store_claim_slot slot[2];
    size_t nslot;
    oa_send *out;
    size_t n;
};

static oa_status claim_tx(oa_tx *tx, void *arg)
{
    struct claim_ctx *c = arg;
    return store_delivery_claim(tx, c->now, LEASE, c->slot, c->nslot, &c->out, &c->n);
}

/* Claims up to limit deliveries of the endpoint at `now`; the caller frees with sends_free. */
static size_t claim(fixture *f, const char *ep, int limit, int64_t now, oa_send **out)
{
    struct claim_ctx c = {.now = now, .slot = {{ep, limit}}, .nslot = 1};
    assert_int_equal(store_transact(f->st, STORE_WRITE, claim_tx, &c), OA_OK);
    *out = c.out;
    return c.n;
}

static void sends_free(oa_send *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oa_send_clear(&s[i]);
    free(s);
}

struct settle_ctx {
    fixture *f;
    int64_t now;
    const oa_send *const *sends;
    const svc_attempt_result *res;
    size_t n;
    bool *exhausted, *lost;
};

static oa_status settle_tx(oa_tx *tx, void *arg)
{
    struct settle_ctx *c = arg;
    return svc_delivery_settle_tx(&c->f->s, tx, c->now, c->sends, c->res, c->n, c->exhausted,
                                  c->lost);
}

/* Records one attempt of x answered with `code` (200 = success). */
static void settle(fixture *f, const oa_send *x, long code, int64_t now, bool *exhausted,
                   bool *lost)
{
    svc_attempt_result r = {.status_code = code,
                            .success = code >= 200 && code < 300,
                            .latency_ms = 3,
                            .attempted_at = now,
                            .error = code >= 200 && code < 300 ? NULL : "HTTP error"};
    const oa_send *sends[1] = {x};
    bool ex = false, lo = false;
    struct settle_ctx c = {f, now, sends, &r, 1, &ex, &lo};
    assert_int_equal(store_transact(f->st, STORE_WRITE, settle_tx, &c), OA_OK);
    if (exhausted)
        *exhausted = ex;
    if (lost)
        *lost = lo;
}

static int64_t count(fixture *f, const char *sql, const char *arg)
{
    return test_count(f->st, sql, arg);
}

struct text_ctx {
    const char *sql;
    const char *arg;
    char *text;
};

static oa_status text_tx(oa_tx *tx, void *arg)
{
    struct text_ctx *q = arg;
    return store_query_text(tx, &q->text, q->sql, "t", q->arg);
}

static char *text(fixture *f, const char *sql, const char *arg)
{
    struct text_ctx q = {sql, arg, NULL};
    assert_int_equal(store_transact(f->st, STORE_READ, text_tx, &q), OA_OK);
    return q.text;
}

static int64_t next_attempt(fixture *f, const char *delivery_id)
{
    return count(f, "SELECT next_attempt_at FROM webhook_deliveries WHERE id = ?", delivery_id);
}

/* ---- tests ---- */

static void test_retry_schedule_and_exhaustion(void **state)
{
    fixture *f = *state;
    emit(f, "r1", T0);
    oa_send *x;
    assert_int_equal(claim(f, f->ep.id, 8, T0, &x), 1);
    char id[OA_ID_SIZE];
    memcpy(id, x[0].d.id, sizeof id);
    bool exhausted = true;
    settle(f, &x[0], 500, T0, &exhausted, NULL);
    assert_false(exhausted);
    sends_free(x, 1);
    /* Second attempt after 1 s +-10%. */
    int64_t at = next_attempt(f, id);
    assert_true(at >= T0 + 900 && at <= T0 + 1100);
    assert_int_equal(claim(f, f->ep.id, 8, T0 + 850, &x), 0);
    free(x);
    assert_int_equal(claim(f, f->ep.id, 8, at, &x), 1);
    settle(f, &x[0], 503, at, &exhausted, NULL);
    assert_false(exhausted);
    sends_free(x, 1);
    int64_t at2 = next_attempt(f, id);
    assert_true(at2 >= at + 1800 && at2 <= at + 2200);
    /* The third attempt is the last. */
    assert_int_equal(claim(f, f->ep.id, 8, at2, &x), 1);
    assert_int_equal(x[0].d.attempts, 2);
    settle(f, &x[0], 500, at2, &exhausted, NULL);
    assert_true(exhausted);
    sends_free(x, 1);
    char *st = text(f, "SELECT status FROM webhook_deliveries WHERE id = ?", id);
    assert_string_equal(st, "failed");
    free(st);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM webhook_attempts WHERE delivery_id = ?", id),
                     3);
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM events WHERE type = ?", SVC_EVENT_DELIVERY_EXHAUSTED), 1);
    /* Nothing left to claim, ever. */
    assert_int_equal(claim(f, f->ep.id, 8, at2 + 86400000, &x), 0);
    free(x);
}

static void test_failure_streak_disables(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 4; i++) {
        char r[8];
        snprintf(r, sizeof r, "r%d", i);
        emit(f, r, T0);
    }
    oa_send *x;
    assert_int_equal(claim(f, f->ep.id, 8, T0, &x), 4);
    settle(f, &x[0], 500, T0, NULL, NULL);
    assert_int_equal(count(f, "SELECT failing_since FROM webhook_endpoints WHERE id = ?", f->ep.id),
                     T0);
    /* A success forgives the streak. */
    settle(f, &x[1], 200, T0 + 100, NULL, NULL);
    assert_int_equal(
        count(f, "SELECT COALESCE(failing_since, 0) FROM webhook_endpoints WHERE id = ?", f->ep.id),
        0);
    settle(f, &x[2], 500, T0 + 200, NULL, NULL);
    assert_int_equal(count(f, "SELECT enabled FROM webhook_endpoints WHERE id = ?", f->ep.id), 1);
    /* Failing for the whole disable-after period disables the endpoint, with a reason and an
     * operational event; its pending deliveries stay pending. */
    settle(f, &x[3], 500, T0 + 200 + 10000, NULL, NULL);
    assert_int_equal(count(f, "SELECT enabled FROM webhook_endpoints WHERE id = ?", f->ep.id), 0);
    char *why = text(f, "SELECT disabled_reason FROM webhook_endpoints WHERE id = ?", f->ep.id);
    assert_non_null(strstr(why, "every delivery attempt failed since"));
    free(why);
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM events WHERE type = ?", SVC_EVENT_ENDPOINT_DISABLED), 1);
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = ? AND "
                           "status = 'pending'",
                           f->ep.id),
                     3);
    sends_free(x, 4);
}

static oa_status due_tx(oa_tx *tx, void *arg)
{
    struct {
        store_ep_due *l;
        size_t n;
    } *c = arg;
    return store_endpoints_due(tx, &c->l, &c->n);
}

static void test_gone_disables_at_once(void **state)
{
    fixture *f = *state;
    emit(f, "r1", T0);
    oa_send *x;
    assert_int_equal(claim(f, f->ep.id, 8, T0, &x), 1);
    settle(f, &x[0], 410, T0, NULL, NULL);
    sends_free(x, 1);
    assert_int_equal(count(f, "SELECT enabled FROM webhook_endpoints WHERE id = ?", f->ep.id), 0);
    char *why = text(f, "SELECT disabled_reason FROM webhook_endpoints WHERE id = ?", f->ep.id);
    assert_string_equal(why, "the endpoint answered 410 Gone");
    free(why);
    struct {
        store_ep_due *l;
        size_t n;
    } c = {0};
    assert_int_equal(store_transact(f->st, STORE_READ, due_tx, &c), OA_OK);
    assert_int_equal(c.n, 0);
    free(c.l);
}

static void test_lost_lease(void **state)
{
    fixture *f = *state;
    emit(f, "r1", T0);
    oa_send *a, *b;
    assert_int_equal(claim(f, f->ep.id, 8, T0, &a), 1);
    /* Leased: not claimable again until the lease runs out. */
    assert_int_equal(claim(f, f->ep.id, 8, T0 + LEASE - 1, &b), 0);
    free(b);
    assert_int_equal(claim(f, f->ep.id, 8, T0 + LEASE, &b), 1);
    assert_string_not_equal(a[0].d.lease_token, b[0].d.lease_token);
    /* The first holder's result is void: nothing of it is written. */
    bool lost = false;
    settle(f, &a[0], 200, T0 + LEASE + 5, NULL, &lost);
    assert_true(lost);
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM webhook_attempts WHERE delivery_id = ?", a[0].d.id), 0);
    settle(f, &b[0], 200, T0 + LEASE + 6, NULL, &lost);
    assert_false(lost);
    char *st = text(f, "SELECT status FROM webhook_deliveries WHERE id = ?", b[0].d.id);
    assert_string_equal(st, "delivered");
    free(st);
    sends_free(a, 1);
    sends_free(b, 1);
}

static void test_head_promotion(void **state)
{
    fixture *f = *state;
    emit(f, "R", T0);
    emit(f, "R", T0 + 1);
    emit(f, "R", T0 + 2);
    emit(f, "S", T0 + 3);
    /* Only the heads: R's first event and S's. */
    oa_send *x;
    assert_int_equal(claim(f, f->ep.id, 8, T0 + 10, &x), 2);
    const oa_send *r1 = strcmp(x[0].d.resource_id, "R") == 0 ? &x[0] : &x[1];
    const oa_send *s1 = r1 == &x[0] ? &x[1] : &x[0];
    assert_string_equal(s1->d.resource_id, "S");
    int64_t seq_r1 = r1->d.event_seq;
    /* R's head is retried later: R's second event keeps waiting behind it. */
    settle(f, r1, 500, T0 + 20, NULL, NULL);
    settle(f, s1, 200, T0 + 20, NULL, NULL);
    sends_free(x, 2);
    oa_send *y;
    assert_int_equal(claim(f, f->ep.id, 8, T0 + 500, &y), 0);
    free(y);
    assert_int_equal(claim(f, f->ep.id, 8, T0 + 5000, &y), 1);
    assert_int_equal(y[0].d.event_seq, seq_r1);
    /* Delivered: the head passes to R's second event, due at once. */
    settle(f, &y[0], 200, T0 + 5001, NULL, NULL);
    sends_free(y, 1);
    assert_int_equal(claim(f, f->ep.id, 8, T0 + 5002, &y), 1);
    assert_true(y[0].d.event_seq > seq_r1);
    int64_t seq_r2 = y[0].d.event_seq;
    /* Exhausted also passes the head on. */
    int64_t now = T0 + 5003;
    bool exhausted = false;
    for (int i = 0; i < 3; i++) {
        settle(f, &y[0], 500, now, &exhausted, NULL);
        sends_free(y, 1);
        if (exhausted)
            break;
        now += 3000;
        assert_int_equal(claim(f, f->ep.id, 8, now, &y), 1);
        assert_int_equal(y[0].d.event_seq, seq_r2);
    }
    assert_true(exhausted);
    assert_int_equal(claim(f, f->ep.id, 8, now + 1, &y), 1);
    assert_true(y[0].d.event_seq > seq_r2);
    assert_string_equal(y[0].d.resource_id, "R");
    sends_free(y, 1);
}

static void test_claim_limit_and_order(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 10; i++) {
        char r[8];
        snprintf(r, sizeof r, "r%d", i);
        emit(f, r, T0 + i);
    }
    oa_send *x;
    assert_int_equal(claim(f, f->ep.id, 3, T0 + 100, &x), 3);
    /* Oldest first. */
    assert_string_equal(x[0].d.resource_id, "r0");
    assert_string_equal(x[2].d.resource_id, "r2");
    assert_non_null(x[0].body);
    assert_non_null(strstr(x[0].body, "\"r0\""));
    assert_string_equal(x[0].url, "http://127.0.0.1:9/hook");
    sends_free(x, 3);
    assert_int_equal(claim(f, f->ep.id, 64, T0 + 100, &x), 7);
    sends_free(x, 7);
}

static void test_recover_in_chunks_keeps_order(void **state)
{
    fixture *f = *state;
    /* 1,201 events: 1,200 resources with one event, and one resource with three more. */
    int n = SVC_RECOVER_CHUNK * 2 + 197;
    for (int i = 0; i < n; i++) {
        char r[16];
        snprintf(r, sizeof r, "r%d", i);
        emit(f, r, T0);
    }
    emit(f, "multi", T0);
    emit(f, "multi", T0);
    emit(f, "multi", T0);
    /* Fail everything: exhaust each delivery through the store (one attempt left each). */
    f->s.n_wh_retry = 1;
    int64_t now = T0 + 1;
    size_t failed = 0;
    for (;;) {
        oa_send *x;
        size_t k = claim(f, f->ep.id, 64, now, &x);
        if (!k) {
            free(x);
            break;
        }
        for (size_t i = 0; i < k; i++)
            settle(f, &x[i], 500, now, NULL, NULL);
        failed += k;
        sends_free(x, k);
    }
    assert_int_equal(failed, n + 3);
    f->s.n_wh_retry = 3;
    int64_t got = 0;
    assert_int_equal(svc_endpoint_recover(&f->s, "t1", f->ep.id, 0, &got), OA_OK);
    assert_int_equal(got, n + 3);
    /* Order holds after recovery: one head for "multi". */
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM webhook_deliveries WHERE resource_id = ? AND "
                           "status = 'pending' AND ready = 1",
                           "multi"),
                     1);
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending' AND "
                           "ready = 1 AND resource_id <> ?",
                           "multi"),
                     n);
}

static void test_scheduler_rate_limit(void **state)
{
    (void)state;
    wh_sched s;
    wh_sched_init(&s, 16, 64);
    store_ep_due due[1] = {{"ep_rate", 5, T0}};
    wh_sched_update(&s, due, 1, T0);
    store_claim_slot slots[4];
    /* A burst of one second's worth, then nothing until a token comes back. */
    assert_int_equal(wh_sched_plan(&s, T0, slots, 4), 1);
    assert_int_equal(slots[0].limit, 5);
    wh_sched_claimed(&s, "ep_rate", 5, 5, 0, T0);
    assert_int_equal(wh_sched_plan(&s, T0, slots, 4), 0);
    int64_t wake = wh_sched_next_wake(&s, T0);
    assert_true(wake > T0 + 150 && wake <= T0 + 202);
    assert_int_equal(wh_sched_plan(&s, T0 + 400, slots, 4), 1);
    assert_int_equal(slots[0].limit, 2);
    /* Tokens never exceed the burst, however long the endpoint was idle. */
    for (int i = 0; i < 5; i++)
        wh_sched_settled(&s, "ep_rate");
    assert_int_equal(wh_sched_plan(&s, T0 + 600000, slots, 4), 1);
    assert_int_equal(slots[0].limit, 5);
    wh_sched_free(&s);
}

static void test_scheduler_fair_share(void **state)
{
    (void)state;
    wh_sched s;
    wh_sched_init(&s, 8, 8);
    store_ep_due due[3] = {{"ep_a", 0, T0}, {"ep_b", 0, T0}, {"ep_idle", 0, 0}};
    wh_sched_update(&s, due, 3, T0);
    store_claim_slot slots[4];
    /* Two due endpoints share the global bound; the idle one gets nothing. */
    assert_int_equal(wh_sched_plan(&s, T0, slots, 4), 2);
    assert_int_equal(slots[0].limit + slots[1].limit, 8);
    assert_int_equal(slots[0].limit, 4);
    /* An endpoint at its bound waits for a finished transfer, not a timer. */
    wh_sched_claimed(&s, "ep_a", 4, 4, 0, T0);
    wh_sched_claimed(&s, "ep_b", 4, 4, 0, T0);
    assert_int_equal(wh_sched_plan(&s, T0, slots, 4), 0);
    assert_int_equal(wh_sched_next_wake(&s, T0), 0);
    wh_sched_settled(&s, "ep_a");
    assert_int_equal(wh_sched_plan(&s, T0, slots, 4), 1);
    assert_string_equal(slots[0].endpoint_id, "ep_a");
    assert_int_equal(slots[0].limit, 1);
    /* A retry due later: the wake-up is its due time. */
    store_ep_due later[1] = {{"ep_c", 0, T0 + 3600000}};
    wh_sched_update(&s, later, 1, T0);
    assert_int_equal(wh_sched_next_wake(&s, T0), T0 + 3600000);
    wh_sched_free(&s);
}

static void test_retention(void **state)
{
    fixture *f = *state;
    emit(f, "done", T0);
    emit(f, "waiting", T0);
    oa_send *x;
    assert_int_equal(claim(f, f->ep.id, 8, T0, &x), 2);
    const oa_send *done = strcmp(x[0].d.resource_id, "done") == 0 ? &x[0] : &x[1];
    const oa_send *waiting = done == &x[0] ? &x[1] : &x[0];
    settle(f, done, 200, T0 + 1, NULL, NULL);
    settle(f, waiting, 500, T0 + 1, NULL, NULL); /* pending, retried later */
    char done_id[OA_ID_SIZE];
    memcpy(done_id, done->d.id, sizeof done_id);
    sends_free(x, 2);
    int64_t nd = 0, ne = 0;
    bool more = true;
    /* Within the retention period nothing goes. */
    assert_int_equal(svc_retention_sweep(&f->s, T0 + f->s.retention_ms, &nd, &ne, &more), OA_OK);
    assert_int_equal(nd, 0);
    assert_int_equal(ne, 0);
    assert_false(more);
    /* After it, the delivered delivery, its attempt and its event go; the pending delivery and
     * its event stay, however old. */
    int64_t later = T0 + 1 + f->s.retention_ms + 1;
    assert_int_equal(svc_retention_sweep(&f->s, later, &nd, &ne, &more), OA_OK);
    assert_int_equal(nd, 1);
    assert_int_equal(ne, 1);
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM webhook_deliveries WHERE resource_id = ?", "done"), 0);
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM webhook_attempts WHERE delivery_id = ?", done_id), 0);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM events WHERE resource_id = ?", "done"), 0);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM events WHERE resource_id = ?", "waiting"), 1);
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM webhook_deliveries WHERE resource_id = ? AND "
                           "status = 'pending'",
                           "waiting"),
                     1);
    assert_int_equal(svc_retention_sweep(&f->s, later + (int64_t)86400000 * 100, &nd, &ne, &more),
                     OA_OK);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM events WHERE resource_id = ?", "waiting"), 1);
}

/* ---- plans: nothing on the claim path scans the backlog ---- */

static void assert_no_scan(fixture *f, const char *sql, const char *types)
{
    if (strcmp(store_backend(f->st), "sqlite") != 0)
        skip(); /* EXPLAIN QUERY PLAN is SQLite's */
    char detail[4096];
    test_plan(f->st, sql, strlen(types), detail, sizeof detail);
    if (strstr(detail, "SCAN webhook_deliveries") || strstr(detail, "SCAN d ") ||
        strstr(detail, "SCAN x") || strstr(detail, "SCAN y")) {
        print_error("plan scans the deliveries:\n%s", detail);
        fail();
    }
}

/* What a round on a shared database reads under the endpoint's lock: every node's leased
 * deliveries and the shared rate-limit bucket, which starts full and keeps what was spent. */
struct lock_ctx {
    const char *ids[2];
    size_t n;
    int64_t now;
    store_ep_shared out[2];
    int64_t set_milli, set_at; /* set_at > 0: write the first endpoint's bucket first */
};

static oa_status lock_tx(oa_tx *tx, void *arg)
{
    struct lock_ctx *c = arg;
    if (c->set_at) {
        oa_status rc = store_endpoint_bucket_set(tx, c->ids[0], c->set_milli, c->set_at);
        if (rc != OA_OK)
            return rc;
    }
    return store_endpoints_lock(tx, c->ids, c->n, c->now, c->out);
}

/* One round records many attempts at once (multi-row statements for the successes, chunks of
 * 16, 8, 4, 2 and 1): 23 successes of 23 resources each hand their chain's head on, a failure
 * in the same batch is rescheduled, a lost lease in it changes nothing, and every recorded
 * attempt has its row. */
static void test_batch_settle(void **state)
{
    fixture *f = *state;
    enum { N = 25 };
    char res[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(res[i], sizeof res[i], "b%02d", i);
        emit(f, res[i], T0);
        emit(f, res[i], T0 + 1); /* the second waits behind the first */
    }
    oa_send *x;
    size_t n = claim(f, f->ep.id, 64, T0 + 10, &x);
    assert_int_equal(n, N);
    /* The last one's lease runs out and is taken again: its first holder's result is void. */
    struct claim_ctx again = {.now = T0 + 10 + LEASE, .slot = {{f->ep.id, 64}}, .nslot = 1};
    assert_int_equal(store_transact(f->st, STORE_WRITE, claim_tx, &again), OA_OK);
    assert_int_equal(again.n, N); /* all of them ran out */
    /* Settle the second lease of all but the last, and the first (stale) lease of the last. */
    const oa_send *sends[N];
    svc_attempt_result r[N];
    for (int i = 0; i < N; i++) {
        sends[i] = i == N - 1 ? &x[i] : &again.out[i];
        bool fail = i == 3;
        r[i] = (svc_attempt_result){.status_code = fail ? 500 : 200,
                                    .success = !fail,
                                    .latency_ms = 2,
                                    .attempted_at = T0 + 10 + LEASE + 1,
                                    .error = fail ? "HTTP error" : NULL};
    }
    bool exhausted[N] = {0}, lost[N] = {0};
    struct settle_ctx c = {f, T0 + 10 + LEASE + 2, sends, r, N, exhausted, lost};
    assert_int_equal(store_transact(f->st, STORE_WRITE, settle_tx, &c), OA_OK);
    for (int i = 0; i < N; i++)
        assert_true(lost[i] == (i == N - 1));
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'", NULL),
        N - 2);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM webhook_attempts", NULL), N - 1);
    /* Each delivered head passed the chain on: its resource's second event is claimable now;
     * the failed one's and the lost one's are not. */
    oa_send *y;
    size_t m = claim(f, f->ep.id, 64, T0 + 10 + LEASE + 3, &y);
    assert_int_equal(m, N - 2);
    for (size_t i = 0; i < m; i++) {
        assert_string_not_equal(y[i].d.resource_id, res[3]);
        assert_string_not_equal(y[i].d.resource_id, res[N - 1]);
    }
    char *st = text(f,
                    "SELECT status FROM webhook_deliveries WHERE resource_id = ? ORDER BY "
                    "event_seq LIMIT 1",
                    res[3]);
    assert_string_equal(st, "pending");
    free(st);
    sends_free(y, m);
    sends_free(x, n);
    sends_free(again.out, again.n);
}

static void test_shared_bound_and_bucket(void **state)
{
    fixture *f = *state;
    svc_endpoint_req req = {.url = "http://127.0.0.1:9/limited", .rate_limit = 4};
    oa_endpoint limited = {0};
    assert_int_equal(svc_endpoint_create(&f->s, "t1", &req, &limited), OA_OK);
    emit(f, "res-a", T0);
    emit(f, "res-b", T0);
    oa_send *got;
    size_t n = claim(f, f->ep.id, 8, T0 + 10, &got);
    assert_int_equal(n, 2);
    sends_free(got, n);

    struct lock_ctx c = {.ids = {f->ep.id, limited.id}, .n = 2, .now = T0 + 20};
    assert_int_equal(store_transact(f->st, STORE_WRITE, lock_tx, &c), OA_OK);
    assert_int_equal(c.out[0].leased, 2); /* both leased, whoever took them */
    assert_int_equal(c.out[0].rate, 0);
    assert_int_equal(c.out[1].leased, 0);
    assert_int_equal(c.out[1].rate, 4);
    assert_true(c.out[1].bucket_full); /* never spent */
    /* Leases that ran out count no more. */
    c.now = T0 + 10 + LEASE + 1;
    assert_int_equal(store_transact(f->st, STORE_WRITE, lock_tx, &c), OA_OK);
    assert_int_equal(c.out[0].leased, 0);

    /* A spent bucket is read back as it was left, by any node. */
    struct lock_ctx d = {
        .ids = {limited.id}, .n = 1, .now = T0 + 30, .set_milli = 1500, .set_at = T0 + 25};
    assert_int_equal(store_transact(f->st, STORE_WRITE, lock_tx, &d), OA_OK);
    assert_false(d.out[0].bucket_full);
    assert_int_equal(d.out[0].rl_milli, 1500);
    assert_int_equal(d.out[0].rl_at, T0 + 25);
    assert_int_equal(d.out[0].rate, 4);
    oa_endpoint_clear(&limited);
}

static void test_claim_plans_do_not_scan(void **state)
{
    fixture *f = *state;
    assert_no_scan(f, store_delivery_claim_sql(), "tiititititititititit");
    assert_no_scan(f,
                   "SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE endpoint_id = ? AND "
                   "status = 'pending' AND ready = 1",
                   "t");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_retry_schedule_and_exhaustion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_streak_disables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gone_disables_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lost_lease, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_promotion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_limit_and_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recover_in_chunks_keeps_order, setup, teardown),
        cmocka_unit_test(test_scheduler_rate_limit),
        cmocka_unit_test(test_scheduler_fair_share),
        cmocka_unit_test_setup_teardown(test_retention, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_settle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_bound_and_bucket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_plans_do_not_scan, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
