/*
 * test_svc_import.c - feed imports over a real SQLite file: committed in chunks (the store counts
 * the write transactions, a reader sees the progress after every chunk) yet one logical import
 * (archive-missing runs once, after the last line, in chunks of its own, one event per archived
 * posting), the feed's lease held from the first chunk to the last, and an import that fails
 * part-way keeps what it committed, says how much that was and archives nothing.
 *
 * Failures are injected the way a database produces them: a trigger that aborts the statement
 * writing one particular posting (a constraint violation to the store).
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

#include "svc/svc.h"

typedef struct {
    char dir[64];
    char url[128];
    oa_store *st;
    svc s;
    oa_feed feed;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    test_tmp_store_url(f->dir, sizeof f->dir, "oa-test-import", f->url, sizeof f->url);
    char *why = NULL;
    assert_int_equal(store_open(f->url, NULL, &f->st, &why), OA_OK);
    f->s.store = f->st;
    f->s.refresh_interval_ms = 3600 * 1000;
    /* Chunks by count only (the sanitizer build is slow): test_import_time_budget tests the
     * time budget. */
    f->s.import_chunk_ms = 3600 * 1000;
    assert_int_equal(svc_init(&f->s), OA_OK);
    assert_int_equal(svc_feed_create(&f->s, "t1", "Feed", &f->feed), OA_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    oa_feed_clear(&f->feed);
    store_close(f->st);
    test_rmdir(f->dir);
    free(f);
    return 0;
}

/* ---- helpers ---- */

static int64_t count_in(oa_store *st, const char *sql, const char *arg)
{
    return test_count(st, sql, arg);
}

static int64_t count(fixture *f, const char *sql, const char *arg)
{
    return count_in(f->st, sql, arg);
}

static int64_t feed_postings(fixture *f, oa_store *st)
{
    return count_in(st, "SELECT COUNT(*) FROM postings WHERE job_feed_id = ?", f->feed.id);
}

static oa_status exec_tx(oa_tx *tx, void *arg)
{
    return store_exec(tx, arg, "");
}

/* Runs one statement without parameters in a write transaction of st. */
static void exec_sql(oa_store *st, const char *sql)
{
    assert_int_equal(store_transact(st, STORE_WRITE, exec_tx, (void *)sql), OA_OK);
}

/* PostgreSQL: a trigger runs a function, the one the injected triggers share. */
static void inject_prepare(fixture *f)
{
    if (test_pg())
        exec_sql(f->st, "CREATE OR REPLACE FUNCTION injected_failure() RETURNS trigger "
                        "LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''injected failure''; END'");
}

/* Lines i in [from, to): url https://jobs.example.com/<i>, job code J-<i>, two career sites. */
static svc_import_line *make_lines(int from, int to)
{
    svc_import_line *l = calloc((size_t)(to - from), sizeof *l);
    for (int i = from; i < to; i++) {
        svc_import_line *x = &l[i - from];
        char buf[64];
        snprintf(buf, sizeof buf, "https://jobs.example.com/%d", i);
        x->url = strdup(buf);
        snprintf(buf, sizeof buf, "Site %d", i % 2);
        x->site_label = strdup(buf);
        snprintf(buf, sizeof buf, "J-%d", i);
        x->job_code = strdup(buf);
    }
    return l;
}

static void lines_free(svc_import_line *l, int n)
{
    for (int i = 0; i < n; i++) {
        free(l[i].url);
        free(l[i].site_label);
        free(l[i].job_code);
    }
    free(l);
}

static oa_status import_range(fixture *f, int from, int to, svc_import_counts *c)
{
    svc_import_line *l = make_lines(from, to);
    oa_status rc = svc_feed_import(&f->s, "t1", f->feed.id, l, (size_t)(to - from), c);
    lines_free(l, to - from);
    return rc;
}

static int64_t n_events(fixture *f)
{
    return count(f, "SELECT COUNT(*) FROM events", NULL);
}

static int64_t n_removed(fixture *f)
{
    return count(f,
                 "SELECT COUNT(*) FROM postings WHERE job_feed_id = ? AND availability = "
                 "'ARCHIVED' AND archived_reason = 'REMOVED_FROM_JOB_FEED'",
                 f->feed.id);
}

struct t_ctx {
    const char *sql;
    const char *arg;
    char *out;
};

static oa_status text_tx(oa_tx *tx, void *arg)
{
    struct t_ctx *t = arg;
    return store_query_text(tx, &t->out, t->sql, "t", t->arg);
}

/* A malloc'd text value of a one-row query. */
static char *text_of(fixture *f, const char *sql, const char *arg)
{
    struct t_ctx t = {sql, arg, NULL};
    assert_int_equal(store_transact(f->st, STORE_READ, text_tx, &t), OA_OK);
    return t.out;
}

/* The chunks of lines an import of `lines` lines takes (without a time budget). */
static int64_t line_chunks(int lines)
{
    return (lines + SVC_IMPORT_CHUNK - 1) / SVC_IMPORT_CHUNK;
}

/* The chunks of archive-missing when it archives `archived` postings: full ones go on, the
 * first one that is not full (maybe empty) is the last. */
static int64_t sweep_chunks(int archived)
{
    return archived / SVC_SWEEP_CHUNK + 1;
}

/* ---- tests ---- */

/* (a) An import larger than a chunk creates and updates everything, and archives exactly the
 * feed's postings it does not list, in chunks, with one event per archived posting. */
static void test_import_larger_than_a_chunk(void **state)
{
    fixture *f = *state;
    const int n1 = 2 * SVC_IMPORT_CHUNK + 50;
    const int missing = SVC_SWEEP_CHUNK + 31; /* left out next time; J-0 is archived by hand */
    svc_import_counts c;
    assert_int_equal(import_range(f, 0, n1, &c), OA_OK);
    assert_int_equal(c.created, n1);
    assert_int_equal(c.processed, n1);
    assert_int_equal(c.archived, 0);
    assert_true(c.started && c.sweep_ran && !c.lease_lost);
    assert_int_equal(c.chunks, 3 + 1); /* three chunks of lines, one sweep finding nothing */
    assert_int_equal(c.chunks, line_chunks(n1) + sweep_chunks(0));
    assert_int_equal(feed_postings(f, f->st), n1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM career_sites WHERE tenant = 't1'", NULL), 2);
    assert_int_equal(n_events(f), 0); /* creation emits nothing */

    /* Postings that are not this feed's: another feed's, and one made through the API. */
    oa_feed other = {0};
    assert_int_equal(svc_feed_create(&f->s, "t1", "Other feed", &other), OA_OK);
    svc_import_line *ol = make_lines(0, 3);
    assert_int_equal(svc_feed_import(&f->s, "t1", other.id, ol, 3, &c), OA_OK);
    lines_free(ol, 3);
    assert_int_equal(c.created, 3);
    char *site_id = text_of(f, "SELECT id FROM career_sites WHERE label = ?", "Site 0");
    svc_posting_req req = {.url = "https://jobs.example.com/0", .site_id = site_id};
    oa_posting api_posting = {0};
    bool created = false;
    assert_int_equal(svc_posting_submit(&f->s, "t1", &req, &api_posting, &created), OA_OK);
    assert_true(created);
    free(site_id);

    /* J-0 archived by hand: left out of the next import, not archived again. */
    char *j0 = text_of(f,
                       "SELECT id FROM postings WHERE job_code = ? AND job_feed_id IS NOT NULL "
                       "ORDER BY seq LIMIT 1",
                       "J-0");
    oa_posting a = {0};
    assert_int_equal(svc_posting_archive(&f->s, "t1", j0, &a), OA_OK);
    oa_posting_clear(&a);
    free(j0);
    int64_t ev0 = n_events(f);
    assert_int_equal(ev0, 1);

    /* Lines [missing, n1 + 60): the first `missing` are left out, 60 are new. */
    assert_int_equal(import_range(f, missing, n1 + 60, &c), OA_OK);
    assert_int_equal(c.created, 60);
    assert_int_equal(c.processed, n1 + 60 - missing);
    assert_int_equal(c.archived, missing - 1);
    assert_true(c.sweep_ran);
    /* Exactly the postings left out (J-1 .. J-missing-1), each with exactly one event. */
    assert_int_equal(n_removed(f), missing - 1);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM postings WHERE job_feed_id = ? AND archived_reason = "
             "'REMOVED_FROM_JOB_FEED' AND CAST(substr(job_code, 3) AS INTEGER) BETWEEN 1 AND %d",
             missing - 1);
    assert_int_equal(count(f, sql, f->feed.id), missing - 1);
    assert_int_equal(n_events(f), ev0 + missing - 1);
    const char *removed_events =
        test_sql("SELECT COUNT(DISTINCT resource_id) FROM events WHERE "
                 "json_extract(body, '$.data.archived_reason') = ? AND "
                 "json_extract(body, '$.data.availability') = 'ARCHIVED'",
                 "SELECT COUNT(DISTINCT resource_id) FROM events WHERE "
                 "CAST(body AS json) #>> '{data,archived_reason}' = ? AND "
                 "CAST(body AS json) #>> '{data,availability}' = 'ARCHIVED'");
    assert_int_equal(count(f, removed_events, "REMOVED_FROM_JOB_FEED"), missing - 1);
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM postings WHERE job_feed_id = ? AND "
                           "availability = 'PENDING'",
                           f->feed.id),
                     n1 + 60 - missing);
    /* The other feed's postings and the API's are untouched. */
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM postings WHERE job_feed_id = ? AND "
                           "availability = 'PENDING'",
                           other.id),
                     3);
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM postings WHERE id = ? AND availability = "
                           "'PENDING'",
                           api_posting.id),
                     1);
    /* Line chunks, then the sweep in more than one chunk. */
    assert_true(sweep_chunks(missing - 1) > 1);
    assert_int_equal(c.chunks, line_chunks(n1 + 60 - missing) + sweep_chunks(missing - 1));

    /* The same file again: nothing created or archived, no event. */
    ev0 = n_events(f);
    assert_int_equal(import_range(f, missing, n1 + 60, &c), OA_OK);
    assert_int_equal(c.created, 0);
    assert_int_equal(c.archived, 0);
    assert_int_equal(n_events(f), ev0);
    /* Left-out postings come back: revived (one event each, J-0 too), nothing archived. */
    assert_int_equal(import_range(f, 0, n1 + 60, &c), OA_OK);
    assert_int_equal(c.created, 0);
    assert_int_equal(c.archived, 0);
    assert_int_equal(n_events(f), ev0 + missing);
    assert_int_equal(n_removed(f), 0);
    assert_int_equal(c.chunks, line_chunks(n1 + 60) + sweep_chunks(0));
    oa_posting_clear(&api_posting);
    oa_feed_clear(&other);
}

/* What a commit hook observes during an import: the importer's wake-up after every commit that
 * queued work (each chunk of new postings queues their parses). */
struct observer {
    fixture *f;
    int calls;
    int64_t seen[32];     /* the feed's postings a reader sees after each commit */
    oa_status second;     /* a second import of the same feed, started during the first */
    bool second_started;  /* whether it ran */
    oa_status other_node; /* another node taking the feed's lease (the store's) meanwhile */
    bool steal;           /* make another node take the lease over after the first commit */
};

static oa_status other_lock_tx(oa_tx *tx, void *arg)
{
    const char *feed_id = arg;
    return store_feed_lock(tx, feed_id, "node-2-token-0000000000", 1, 2);
}

static void on_commit(void *arg)
{
    struct observer *o = arg;
    fixture *f = o->f;
    if (o->calls < (int)OA_ARRAY_LEN(o->seen))
        o->seen[o->calls] = feed_postings(f, f->st);
    if (o->calls == 0) {
        svc_import_line *l = make_lines(0, 2);
        svc_import_counts c;
        o->second = svc_feed_import(&f->s, "t1", f->feed.id, l, 2, &c);
        o->second_started = c.started;
        lines_free(l, 2);
        o->other_node = store_transact(f->st, STORE_WRITE, other_lock_tx, f->feed.id);
        if (o->steal) /* the lease runs out and another node takes the feed */
            exec_sql(f->st, "UPDATE job_feeds SET import_lease_token = 'node-2', "
                            "import_lease_until = 9000000000000");
    }
    o->calls++;
}

/* (b) and (d): the import is committed in several write transactions, each visible to a reader
 * as it commits; the feed stays leased in between, so a second import of it during the first
 * gets OA_CONFLICT (from this process's registry, and from the store's lease for another
 * node). */
static void test_import_commits_in_chunks(void **state)
{
    fixture *f = *state;
    struct observer o = {.f = f};
    f->s.wake_jobs = on_commit;
    f->s.wake_jobs_arg = &o;
    const int n = 3 * SVC_IMPORT_CHUNK + 7;
    svc_import_counts c;
    store_work w0, w1;
    store_work_get(f->st, &w0);
    assert_int_equal(import_range(f, 0, n, &c), OA_OK);
    store_work_get(f->st, &w1);
    assert_int_equal(c.created, n);
    /* Four chunks of lines and one sweep, between taking the lease and giving it back (the
     * observer's one write, refused, counts too). */
    assert_int_equal(c.chunks, 4 + 1);
    assert_true(w1.tx_write - w0.tx_write >= 1 + c.chunks + 1);
    assert_int_equal(o.calls, 4);
    /* A reader saw the import grow a chunk at a time. */
    assert_int_equal(o.seen[0], SVC_IMPORT_CHUNK);
    assert_int_equal(o.seen[1], 2 * SVC_IMPORT_CHUNK);
    assert_int_equal(o.seen[2], 3 * SVC_IMPORT_CHUNK);
    assert_int_equal(o.seen[3], n);
    /* (d) The second import, between two chunks of the first: refused, did nothing. */
    assert_int_equal(o.second, OA_CONFLICT);
    assert_false(o.second_started);
    assert_int_equal(o.other_node, OA_CONFLICT);
    /* Afterwards the feed is free again, for another node (whose lease, ending at once, then
     * lets this process in again). */
    assert_int_equal(store_transact(f->st, STORE_WRITE, other_lock_tx, f->feed.id), OA_OK);
    f->s.wake_jobs = NULL;
    assert_int_equal(import_range(f, 0, n, &c), OA_OK);
    assert_int_equal(c.created, 0);
    assert_int_equal(c.processed, n);
}

/* An import whose lease is taken over between chunks stops at the next chunk: what it
 * committed stays, nothing is archived, and the other holder's lease is left alone. */
static void test_import_stops_when_lease_lost(void **state)
{
    fixture *f = *state;
    svc_import_counts c;
    assert_int_equal(import_range(f, 0, 10, &c), OA_OK); /* J-0..J-9, left out below */
    struct observer o = {.f = f, .steal = true};
    f->s.wake_jobs = on_commit;
    f->s.wake_jobs_arg = &o;
    int64_t ev0 = n_events(f);
    assert_int_equal(import_range(f, 10, 10 + 3 * SVC_IMPORT_CHUNK, &c), OA_CONFLICT);
    f->s.wake_jobs = NULL;
    assert_true(c.started);
    assert_true(c.lease_lost);
    assert_false(c.sweep_ran);
    assert_int_equal(c.lines, 3 * SVC_IMPORT_CHUNK);
    assert_int_equal(c.processed, SVC_IMPORT_CHUNK);
    assert_int_equal(c.created, SVC_IMPORT_CHUNK);
    assert_int_equal(c.archived, 0);
    assert_int_equal(feed_postings(f, f->st), 10 + SVC_IMPORT_CHUNK);
    assert_int_equal(n_removed(f), 0);
    assert_int_equal(n_events(f), ev0);
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM job_feeds WHERE import_lease_token = ?", "node-2"), 1);
    /* Still the other node's: refused before doing anything. */
    assert_int_equal(import_range(f, 0, 10, &c), OA_CONFLICT);
    assert_false(c.started);
}

/* (c) A line that fails in the third chunk: the first two chunks stay committed, the counts
 * say so, and archive-missing does not run. */
static void test_import_fails_midway(void **state)
{
    fixture *f = *state;
    svc_import_counts c;
    assert_int_equal(import_range(f, 100000, 100005, &c), OA_OK); /* five postings to miss */
    assert_int_equal(c.created, 5);
    const int n = 2 * SVC_IMPORT_CHUNK + 100;
    const int bad = 2 * SVC_IMPORT_CHUNK + 10;
    char sql[512];
    if (test_pg())
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER injected_failure BEFORE INSERT ON postings FOR EACH ROW "
                 "WHEN (NEW.url = 'https://jobs.example.com/%d') "
                 "EXECUTE FUNCTION injected_failure()",
                 bad);
    else
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER injected_failure BEFORE INSERT ON postings "
                 "WHEN NEW.url = 'https://jobs.example.com/%d' "
                 "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
                 bad);
    inject_prepare(f);
    exec_sql(f->st, sql);
    int64_t ev0 = n_events(f);
    oa_status rc = import_range(f, 0, n, &c);
    assert_int_not_equal(rc, OA_OK);
    assert_true(c.started);
    assert_false(c.lease_lost);
    assert_false(c.sweep_ran);
    assert_int_equal(c.lines, n);
    assert_int_equal(c.processed, 2 * SVC_IMPORT_CHUNK);
    assert_int_equal(c.created, 2 * SVC_IMPORT_CHUNK);
    assert_int_equal(c.archived, 0);
    assert_int_equal(c.chunks, 2);
    /* The committed chunks are there, nothing of the failed one, nothing archived. */
    assert_int_equal(feed_postings(f, f->st), 5 + 2 * SVC_IMPORT_CHUNK);
    char code[32];
    snprintf(code, sizeof code, "J-%d", 2 * SVC_IMPORT_CHUNK - 1); /* last of chunk two */
    assert_int_equal(count(f, "SELECT COUNT(*) FROM postings WHERE job_code = ?", code), 1);
    snprintf(code, sizeof code, "J-%d", 2 * SVC_IMPORT_CHUNK); /* first of chunk three */
    assert_int_equal(count(f, "SELECT COUNT(*) FROM postings WHERE job_code = ?", code), 0);
    assert_int_equal(n_removed(f), 0);
    assert_int_equal(n_events(f), ev0);
    /* The lease was given back: the same file imports once the fault is gone, and completes
     * what the failed import left, archiving the five. */
    exec_sql(f->st, test_sql("DROP TRIGGER injected_failure",
                             "DROP TRIGGER injected_failure ON postings"));
    assert_int_equal(import_range(f, 0, n, &c), OA_OK);
    assert_int_equal(c.created, n - 2 * SVC_IMPORT_CHUNK);
    assert_int_equal(c.processed, n);
    assert_int_equal(c.archived, 5);
    assert_int_equal(n_removed(f), 5);
    assert_int_equal(n_events(f), ev0 + 5);
}

/* A failure in the second chunk of archive-missing: every line and the first sweep chunk stay
 * committed (one event per archived posting), the counts say so. */
static void test_import_sweep_fails_midway(void **state)
{
    fixture *f = *state;
    const int missing = SVC_SWEEP_CHUNK + 20;
    svc_import_counts c;
    assert_int_equal(import_range(f, 0, missing + 10, &c), OA_OK);
    /* The sweep goes in seq order within one generation: the last posting left out is in its
     * second chunk. */
    char sql[512];
    if (test_pg())
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER injected_failure BEFORE UPDATE OF availability ON postings "
                 "FOR EACH ROW WHEN (NEW.availability = 'ARCHIVED' AND NEW.job_code = "
                 "'J-%d') EXECUTE FUNCTION injected_failure()",
                 missing - 1);
    else
        snprintf(sql, sizeof sql,
                 "CREATE TRIGGER injected_failure BEFORE UPDATE OF availability ON postings "
                 "WHEN NEW.availability = 'ARCHIVED' AND NEW.job_code = 'J-%d' "
                 "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
                 missing - 1);
    inject_prepare(f);
    exec_sql(f->st, sql);
    oa_status rc = import_range(f, missing, missing + 10, &c);
    assert_int_not_equal(rc, OA_OK);
    assert_true(c.started);
    assert_true(c.sweep_ran);
    assert_int_equal(c.processed, 10);
    assert_int_equal(c.archived, SVC_SWEEP_CHUNK);
    assert_int_equal(n_removed(f), SVC_SWEEP_CHUNK);
    assert_int_equal(n_events(f), SVC_SWEEP_CHUNK);
    exec_sql(f->st, test_sql("DROP TRIGGER injected_failure",
                             "DROP TRIGGER injected_failure ON postings"));
    assert_int_equal(import_range(f, missing, missing + 10, &c), OA_OK);
    assert_int_equal(c.archived, missing - SVC_SWEEP_CHUNK);
    assert_int_equal(n_removed(f), missing);
    assert_int_equal(n_events(f), missing);
}

/* With a time budget of 1 ms the chunks end early, by time rather than by count; the import is
 * still complete and archive-missing still exact. */
static void test_import_time_budget(void **state)
{
    fixture *f = *state;
    const int n = 2 * SVC_IMPORT_CHUNK;
    const int missing = 2 * SVC_SWEEP_CHUNK;
    svc_import_counts c;
    f->s.import_chunk_ms = 1;
    assert_int_equal(import_range(f, 0, n + missing, &c), OA_OK);
    assert_int_equal(c.created, n + missing);
    assert_true(c.chunks > line_chunks(n + missing) + sweep_chunks(0));
    assert_int_equal(feed_postings(f, f->st), n + missing);
    assert_int_equal(import_range(f, missing, n + missing, &c), OA_OK);
    assert_int_equal(c.processed, n);
    assert_int_equal(c.archived, missing);
    assert_true(c.chunks > line_chunks(n) + sweep_chunks(missing));
    assert_int_equal(n_removed(f), missing);
    assert_int_equal(n_events(f), missing);
    assert_int_equal(count(f,
                           test_sql("SELECT COUNT(DISTINCT resource_id) FROM events WHERE "
                                    "json_extract(body, '$.data.archived_reason') = ?",
                                    "SELECT COUNT(DISTINCT resource_id) FROM events WHERE "
                                    "CAST(body AS json) #>> '{data,archived_reason}' = ?"),
                           "REMOVED_FROM_JOB_FEED"),
                     missing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_larger_than_a_chunk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_commits_in_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_stops_when_lease_lost, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_fails_midway, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_sweep_fails_midway, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_time_budget, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
