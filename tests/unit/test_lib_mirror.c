/*
 * test_lib_mirror.c - libopenapply's apply-to-mirror helper (openapply/mirror.h) over an
 * in-memory store with transactions: duplicates are skipped, older events never overwrite
 * newer state (every delivery order of a resource's events converges on the newest), a failing
 * callback rolls everything back, and bad arguments are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openapply/mirror.h"

#define MAX_ROWS 32

typedef struct {
    char key[80]; /* "p:<id>" or "a:<id>" */
    int64_t updated_at_ms;
    char state[32]; /* availability or status */
} row;

typedef struct {
    row rows[MAX_ROWS];
    size_t n_rows;
    char seen[MAX_ROWS][64];
    size_t n_seen;
} tables;

typedef struct {
    tables committed, work; /* work is the open transaction's copy */
    int in_tx;
    int begins, commits, rollbacks;
    int fail_at; /* the n-th data callback fails (0: none) */
    int fail_begin, fail_end;
    int calls;
} store;

static int failing(store *s)
{
    return ++s->calls == s->fail_at;
}

static tables *t_of(store *s)
{
    return s->in_tx ? &s->work : &s->committed;
}

static int s_begin(void *ctx)
{
    store *s = ctx;
    if (s->fail_begin)
        return -1;
    assert_false(s->in_tx);
    s->in_tx = 1;
    s->work = s->committed;
    s->begins++;
    return 0;
}

static int s_end(void *ctx, int commit)
{
    store *s = ctx;
    assert_true(s->in_tx);
    s->in_tx = 0;
    if (commit && s->fail_end)
        return -1;
    if (commit) {
        s->committed = s->work;
        s->commits++;
    } else {
        s->rollbacks++;
    }
    return 0;
}

static int s_seen(void *ctx, const char *id)
{
    store *s = ctx;
    if (failing(s))
        return -1;
    tables *t = t_of(s);
    for (size_t i = 0; i < t->n_seen; i++)
        if (strcmp(t->seen[i], id) == 0)
            return 1;
    return 0;
}

static int s_record(void *ctx, const char *id, const oaw_event *ev)
{
    store *s = ctx;
    (void)ev;
    if (failing(s))
        return -1;
    tables *t = t_of(s);
    assert_true(t->n_seen < MAX_ROWS);
    snprintf(t->seen[t->n_seen++], sizeof t->seen[0], "%s", id);
    return 0;
}

static row *find(tables *t, oaw_event_kind k, const char *id)
{
    char key[80];
    snprintf(key, sizeof key, "%c:%s", k == OAW_EVENT_POSTING ? 'p' : 'a', id);
    for (size_t i = 0; i < t->n_rows; i++)
        if (strcmp(t->rows[i].key, key) == 0)
            return &t->rows[i];
    return NULL;
}

static int s_current(void *ctx, oaw_event_kind k, const char *id, int64_t *ms)
{
    store *s = ctx;
    if (failing(s))
        return -1;
    row *r = find(t_of(s), k, id);
    if (r)
        *ms = r->updated_at_ms;
    return r != NULL;
}

static int s_upsert(void *ctx, const oaw_event *ev)
{
    store *s = ctx;
    if (failing(s))
        return -1;
    tables *t = t_of(s);
    row *r = find(t, ev->kind, ev->resource_id);
    if (!r) {
        assert_true(t->n_rows < MAX_ROWS);
        r = &t->rows[t->n_rows++];
        snprintf(r->key, sizeof r->key, "%c:%s", ev->kind == OAW_EVENT_POSTING ? 'p' : 'a',
                 ev->resource_id);
    }
    r->updated_at_ms = ev->updated_at_ms;
    snprintf(r->state, sizeof r->state, "%s",
             ev->kind == OAW_EVENT_POSTING
                 ? oaw_availability_name(ev->data.posting.availability)
                 : oaw_application_status_name(ev->data.application.status));
    return 0;
}

static oaw_mirror_store table(store *s, int with_tx)
{
    oaw_mirror_store t = {s, NULL, NULL, s_seen, s_record, s_current, s_upsert};
    if (with_tx) {
        t.begin = s_begin;
        t.end = s_end;
    }
    return t;
}

/* A posting event `event_id` for posting `pid` at second `sec` past 22:13:00. */
static void posting_event(oaw_event *ev, const char *event_id, const char *pid, int sec,
                          const char *availability)
{
    char body[1024];
    int n = snprintf(
        body, sizeof body,
        "{\"id\":\"%s\",\"type\":\"ai-apply-job-posting-status-updated\",\"data\":{\"id\":\"%s\","
        "\"career_site\":{\"id\":\"cs1\",\"label\":\"L\"},\"url\":\"https://x.example/j\","
        "\"job_code\":null,\"created_at\":\"2023-11-14T22:00:00.000Z\",\"updated_at\":"
        "\"2023-11-14T22:13:%02d.000Z\",\"archived_at\":null,\"archived_reason\":null,"
        "\"availability\":\"%s\"}}",
        event_id, pid, sec, availability);
    assert_int_equal(oaw_event_parse(body, (size_t)n, ev, NULL), OAW_OK);
}

static void app_event(oaw_event *ev, const char *event_id, const char *aid, int sec,
                      const char *status)
{
    char body[1024];
    int n = snprintf(body, sizeof body,
                     "{\"id\":\"%s\",\"type\":\"ai-apply-application-status-updated\",\"data\":{"
                     "\"id\":\"%s\",\"job_posting_id\":\"p1\",\"status\":\"%s\",\"created_at\":"
                     "\"2023-11-14T22:00:00.000Z\",\"updated_at\":\"2023-11-14T22:13:%02d.000Z\"}}",
                     event_id, aid, status, sec);
    assert_int_equal(oaw_event_parse(body, (size_t)n, ev, NULL), OAW_OK);
}

static oaw_mirror_outcome must_apply(store *s, const oaw_event *ev, int with_tx)
{
    oaw_mirror_store t = table(s, with_tx);
    oaw_mirror_outcome o = 0;
    assert_int_equal(oaw_mirror_apply(&t, ev, &o), OAW_OK);
    return o;
}

static void test_newest_wins_and_duplicates(void **state)
{
    (void)state;
    store s = {0};
    oaw_event e1, e2, e3, a1;
    posting_event(&e1, "ev1", "p1", 10, "PENDING");
    posting_event(&e2, "ev2", "p1", 20, "APPLYABLE");
    posting_event(&e3, "ev3", "p1", 30, "ARCHIVED");
    app_event(&a1, "ev4", "p1", 5, "SUBMITTED"); /* same id string, other kind */
    assert_int_equal(must_apply(&s, &e2, 1), OAW_MIRROR_APPLIED);
    assert_string_equal(find(&s.committed, OAW_EVENT_POSTING, "p1")->state, "APPLYABLE");
    assert_int_equal(must_apply(&s, &e2, 1), OAW_MIRROR_DUPLICATE);
    /* Older, arriving late: not written, but its id is recorded. */
    assert_int_equal(must_apply(&s, &e1, 1), OAW_MIRROR_STALE);
    assert_string_equal(find(&s.committed, OAW_EVENT_POSTING, "p1")->state, "APPLYABLE");
    assert_int_equal(must_apply(&s, &e1, 1), OAW_MIRROR_DUPLICATE);
    assert_int_equal(must_apply(&s, &e3, 1), OAW_MIRROR_APPLIED);
    assert_string_equal(find(&s.committed, OAW_EVENT_POSTING, "p1")->state, "ARCHIVED");
    assert_int_equal(must_apply(&s, &a1, 1), OAW_MIRROR_APPLIED);
    assert_string_equal(find(&s.committed, OAW_EVENT_APPLICATION, "p1")->state, "SUBMITTED");
    assert_string_equal(find(&s.committed, OAW_EVENT_POSTING, "p1")->state, "ARCHIVED");
    /* The same updated_at under another event id is not newer. */
    oaw_event same;
    posting_event(&same, "ev5", "p1", 30, "APPLYABLE");
    assert_int_equal(must_apply(&s, &same, 1), OAW_MIRROR_STALE);
    assert_string_equal(find(&s.committed, OAW_EVENT_POSTING, "p1")->state, "ARCHIVED");
    assert_int_equal(s.begins, 7);
    assert_int_equal(s.commits, 7);
    assert_int_equal(s.rollbacks, 0);
    assert_int_equal(s.committed.n_seen, 5);
    /* Without begin/end the helper works the same. */
    store s2 = {0};
    assert_int_equal(must_apply(&s2, &e3, 0), OAW_MIRROR_APPLIED);
    assert_int_equal(must_apply(&s2, &e1, 0), OAW_MIRROR_STALE);
    assert_int_equal(must_apply(&s2, &e3, 0), OAW_MIRROR_DUPLICATE);
    oaw_event_free(&e1);
    oaw_event_free(&e2);
    oaw_event_free(&e3);
    oaw_event_free(&a1);
    oaw_event_free(&same);
}

static void test_every_order_converges(void **state)
{
    (void)state;
    oaw_event ev[3];
    const char *states[] = {"PENDING", "APPLYABLE", "ARCHIVED"};
    char id[8];
    for (int i = 0; i < 3; i++) {
        snprintf(id, sizeof id, "e%d", i);
        posting_event(&ev[i], id, "p9", 10 * (i + 1), states[i]);
    }
    const int perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    for (int p = 0; p < 6; p++) {
        store s = {0};
        int applied = 0;
        /* Each event delivered twice (a retry), in this order. */
        for (int round = 0; round < 2; round++)
            for (int k = 0; k < 3; k++)
                applied += must_apply(&s, &ev[perms[p][k]], 1) == OAW_MIRROR_APPLIED;
        assert_string_equal(find(&s.committed, OAW_EVENT_POSTING, "p9")->state, "ARCHIVED");
        assert_true(applied >= 1 && applied <= 3);
        assert_int_equal(s.committed.n_seen, 3);
    }
    for (int i = 0; i < 3; i++)
        oaw_event_free(&ev[i]);
}

static void test_failures_roll_back(void **state)
{
    (void)state;
    oaw_event ev;
    posting_event(&ev, "evf", "pf", 10, "APPLYABLE");
    /* A new resource calls seen, current, upsert, record: fail each in turn. */
    for (int at = 1; at <= 4; at++) {
        store s = {0};
        s.fail_at = at;
        oaw_mirror_store t = table(&s, 1);
        assert_int_equal(oaw_mirror_apply(&t, &ev, NULL), OAW_ERR_STORE);
        assert_int_equal(s.rollbacks, 1);
        assert_int_equal(s.commits, 0);
        assert_int_equal(s.committed.n_rows, 0);
        assert_int_equal(s.committed.n_seen, 0);
        /* The retry succeeds and applies. */
        s.fail_at = 0;
        assert_int_equal(must_apply(&s, &ev, 1), OAW_MIRROR_APPLIED);
    }
    store s = {0};
    s.fail_begin = 1;
    oaw_mirror_store t = table(&s, 1);
    assert_int_equal(oaw_mirror_apply(&t, &ev, NULL), OAW_ERR_STORE);
    assert_int_equal(s.calls, 0);
    s.fail_begin = 0;
    s.fail_end = 1;
    assert_int_equal(oaw_mirror_apply(&t, &ev, NULL), OAW_ERR_STORE);
    assert_int_equal(s.committed.n_rows, 0);
    oaw_event_free(&ev);
}

static void test_arguments(void **state)
{
    (void)state;
    store s = {0};
    oaw_event ev, zero = {0};
    posting_event(&ev, "eva", "pa", 10, "APPLYABLE");
    oaw_mirror_store t = table(&s, 1);
    oaw_mirror_outcome o;
    assert_int_equal(oaw_mirror_apply(NULL, &ev, &o), OAW_ERR_ARGUMENT);
    assert_int_equal(oaw_mirror_apply(&t, NULL, &o), OAW_ERR_ARGUMENT);
    assert_int_equal(oaw_mirror_apply(&t, &zero, &o), OAW_ERR_ARGUMENT);
    t.end = NULL; /* begin without end */
    assert_int_equal(oaw_mirror_apply(&t, &ev, &o), OAW_ERR_ARGUMENT);
    t = table(&s, 1);
    t.upsert = NULL;
    assert_int_equal(oaw_mirror_apply(&t, &ev, &o), OAW_ERR_ARGUMENT);
    assert_int_equal(s.begins, 0);
    assert_string_equal(oaw_mirror_outcome_name(OAW_MIRROR_APPLIED), "applied");
    assert_string_equal(oaw_mirror_outcome_name(OAW_MIRROR_DUPLICATE), "duplicate");
    assert_string_equal(oaw_mirror_outcome_name(OAW_MIRROR_STALE), "stale");
    assert_string_equal(oaw_mirror_outcome_name((oaw_mirror_outcome)0), "unknown");
    oaw_event_free(&ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_newest_wins_and_duplicates),
        cmocka_unit_test(test_every_order_converges),
        cmocka_unit_test(test_failures_roll_back),
        cmocka_unit_test(test_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
