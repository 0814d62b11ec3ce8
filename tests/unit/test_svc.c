/*
 * test_svc.c - the use cases over a real SQLite file: every lifecycle transition writes its
 * state and its event row together, creation emits nothing, no-ops emit nothing, tenants are
 * isolated, tokens are single use, the queue leases and drops stale results.
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
#include "util/clock.h"

typedef struct {
    char dir[64];
    char url[128];
    oa_store *st;
    svc s;
    oa_site site;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    test_tmp_store_url(f->dir, sizeof f->dir, "oa-test-svc", f->url, sizeof f->url);
    char *why = NULL;
    assert_int_equal(store_open(f->url, NULL, &f->st, &why), OA_OK);
    f->s.store = f->st;
    f->s.refresh_interval_ms = 3600 * 1000;
    assert_int_equal(svc_init(&f->s), OA_OK);
    assert_int_equal(svc_site_create(&f->s, "t1", "Acme", NULL, &f->site), OA_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    oa_site_clear(&f->site);
    store_close(f->st);
    test_rmdir(f->dir);
    free(f);
    return 0;
}

/* ---- helpers ---- */

static int64_t count(fixture *f, const char *sql, const char *arg)
{
    return test_count(f->st, sql, arg);
}

static int64_t n_events(fixture *f)
{
    return count(f, "SELECT COUNT(*) FROM events", NULL);
}

struct ev_ctx {
    const char *tenant, *rid;
    oa_event *l;
    size_t n;
};

static oa_status ev_tx(oa_tx *tx, void *arg)
{
    struct ev_ctx *c = arg;
    return store_event_list_resource(tx, c->tenant, c->rid, &c->l, &c->n);
}

/* The data field of the newest event for resource rid, and its type. */
static json_t *last_event(fixture *f, const char *tenant, const char *rid, char *type_out)
{
    struct ev_ctx c = {tenant, rid, NULL, 0};
    assert_int_equal(store_transact(f->st, STORE_READ, ev_tx, &c), OA_OK);
    assert_true(c.n > 0);
    json_t *body = json_loads(c.l[c.n - 1].body, 0, NULL);
    assert_non_null(body);
    assert_string_equal(json_string_value(json_object_get(body, "id")), c.l[c.n - 1].id);
    if (type_out)
        snprintf(type_out, 64, "%s", json_string_value(json_object_get(body, "type")));
    json_t *data = json_incref(json_object_get(body, "data"));
    json_decref(body);
    oa_event_list_free(c.l, c.n);
    return data;
}

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

struct put_ctx {
    const char *kind, *ref, *tenant;
};

static oa_status put_tx(oa_tx *tx, void *arg)
{
    struct put_ctx *c = arg;
    return store_job_put(tx, c->kind, c->ref, c->tenant, oa_now_ms(), true);
}

static void due_now(fixture *f, const char *kind, const char *ref)
{
    struct put_ctx c = {kind, ref, "t1"};
    assert_int_equal(store_transact(f->st, STORE_WRITE, put_tx, &c), OA_OK);
}

/* A small form: first name (required TEXT), work arrangement (radio), resume (FILE). */
static void make_form(oa_form *form, bool with_extra)
{
    memset(form, 0, sizeof *form);
    form->action = strdup("https://jobs.example.com/apply");
    form->method = strdup("POST");
    form->enctype = strdup("multipart/form-data");
    oa_form_add_hidden(form, "_csrf", "tok-1");
    oa_block *q = oa_block_add(&form->blocks, &form->n_blocks);
    q->kind = OA_BLOCK_QUESTION;
    q->label = strdup("First name");
    q->required = true;
    q->type = OA_Q_TEXT;
    q->field_name = strdup("first_name");
    q->unified_key = strdup("FIRST_NAME");
    q = oa_block_add(&form->blocks, &form->n_blocks);
    q->kind = OA_BLOCK_QUESTION;
    q->label = strdup("Work arrangement");
    q->type = OA_Q_SINGLE_SELECT;
    q->control = OA_CTL_RADIO;
    q->field_name = strdup("arrangement");
    const char *vals[] = {"remote", "onsite"};
    for (int i = 0; i < 2; i++) {
        oa_option *o = oa_option_add(q);
        o->label = strdup(vals[i]);
        o->value = strdup(vals[i]);
    }
    q = oa_block_add(&form->blocks, &form->n_blocks);
    q->kind = OA_BLOCK_QUESTION;
    q->label = strdup("Resume");
    q->required = true;
    q->type = OA_Q_FILE;
    q->control = OA_CTL_FILE;
    q->field_name = strdup("resume");
    if (with_extra) {
        q = oa_block_add(&form->blocks, &form->n_blocks);
        q->kind = OA_BLOCK_QUESTION;
        q->label = strdup("Visa sponsorship?");
        q->type = OA_Q_BOOLEAN;
        q->control = OA_CTL_CHECKBOX;
        q->field_name = strdup("visa");
    }
}

/* Creates a posting and runs its first parse with the given outcome. */
static void posting_parsed(fixture *f, const char *url, svc_parse_kind kind, oa_posting *p)
{
    svc_posting_req req = {.url = url, .site_id = f->site.id};
    bool created = false;
    assert_int_equal(svc_posting_submit(&f->s, "t1", &req, p, &created), OA_OK);
    assert_true(created);
    store_job j;
    assert_int_equal(claim(f, &j), OA_OK);
    assert_string_equal(j.kind, "parse");
    assert_string_equal(j.ref_id, p->id);
    oa_form form;
    make_form(&form, false);
    assert_int_equal(
        svc_parse_result(&f->s, &j, kind, &form, kind == SVC_PARSE_OK ? NULL : "no form"), OA_OK);
    oa_form_free(&form);
}

static char *apply_once(fixture *f, const char *posting_id, const char *email, oa_application *out,
                        oa_status expect)
{
    json_t *form = NULL;
    char *token = NULL, *why = NULL;
    assert_int_equal(svc_inquire(&f->s, "t1", posting_id, &form, &token, &why), OA_OK);
    const char *qid_name =
        json_string_value(json_object_get(json_array_get(form, 0), "question_id"));
    const char *qid_file =
        json_string_value(json_object_get(json_array_get(form, 2), "question_id"));
    json_t *answers = json_pack("[{s:s, s:s}, {s:s, s:{s:s, s:s, s:s}}]", "question_id", qid_name,
                                "answer", "Ada", "question_id", qid_file, "answer", "name",
                                "cv.pdf", "content_type", "application/pdf", "data", "JVBERi0=");
    svc_apply_req req = {token, email, answers, NULL, 0};
    char *bad = NULL;
    oa_status rc = svc_apply(&f->s, "t1", &req, out, &why, &bad);
    assert_int_equal(rc, expect);
    free(why);
    free(bad);
    json_decref(answers);
    json_decref(form);
    return token;
}

/* ---- tests ---- */

static void test_keys(void **state)
{
    fixture *f = *state;
    char *k = NULL, *again = NULL, *tenant = NULL;
    assert_int_equal(svc_key_bootstrap(&f->s, &k), OA_OK);
    assert_non_null(k);
    assert_int_equal(strncmp(k, "oa_", 3), 0);
    assert_int_equal(svc_key_bootstrap(&f->s, &again), OA_OK);
    assert_null(again); /* shown once only */
    assert_int_equal(svc_key_tenant(&f->s, k, &tenant, NULL, NULL), OA_OK);
    assert_string_equal(tenant, "default");
    free(tenant);
    assert_int_equal(svc_key_add(&f->s, "acme", "secret-acme", NULL), OA_OK);
    assert_int_equal(svc_key_tenant(&f->s, "secret-acme", &tenant, NULL, NULL), OA_OK);
    assert_string_equal(tenant, "acme");
    free(tenant);
    tenant = NULL;
    assert_int_equal(svc_key_tenant(&f->s, "nope", &tenant, NULL, NULL), OA_NOT_FOUND);
    /* Keys are stored hashed: the key text is nowhere in the database. */
    assert_int_equal(count(f, "SELECT COUNT(*) FROM api_keys WHERE key_hash = ?", k), 0);
    free(k);
}

static void test_parse_lifecycle_events(void **state)
{
    fixture *f = *state;
    oa_posting p = {0};
    svc_posting_req req = {
        .url = "https://jobs.example.com/1", .job_code = "J1", .site_id = f->site.id};
    bool created = false;
    assert_int_equal(svc_posting_submit(&f->s, "t1", &req, &p, &created), OA_OK);
    assert_true(created);
    assert_int_equal(p.state.av, OA_AV_PENDING);
    assert_int_equal(n_events(f), 0); /* creation emits nothing */

    /* Same site+url+job_code: the same posting, still nothing emitted. */
    oa_posting p2 = {0};
    assert_int_equal(svc_posting_submit(&f->s, "t1", &req, &p2, &created), OA_OK);
    assert_false(created);
    assert_string_equal(p2.id, p.id);
    oa_posting_clear(&p2);
    assert_int_equal(n_events(f), 0);

    store_job j;
    assert_int_equal(claim(f, &j), OA_OK);
    store_job none;
    assert_int_equal(claim(f, &none), OA_NOT_FOUND); /* leased: nobody else gets it */
    oa_form form;
    make_form(&form, false);
    assert_int_equal(svc_parse_result(&f->s, &j, SVC_PARSE_OK, &form, NULL), OA_OK);
    oa_form_free(&form);
    assert_int_equal(n_events(f), 1);
    char type[64];
    json_t *d = last_event(f, "t1", p.id, type);
    assert_string_equal(type, "ai-apply-job-posting-status-updated");
    assert_string_equal(json_string_value(json_object_get(d, "availability")), "APPLYABLE");
    assert_string_equal(json_string_value(json_object_get(d, "job_code")), "J1");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(d, "career_site"), "label")), "Acme");
    assert_true(json_is_null(json_object_get(d, "archived_at")));
    assert_int_equal(json_object_size(d), 9); /* exactly the schema's fields */
    json_decref(d);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM form_revisions WHERE posting_id = ?", p.id), 1);
    /* Refresh is scheduled later: nothing due now. */
    assert_int_equal(claim(f, &none), OA_NOT_FOUND);

    /* Re-parse with the same form: no new revision, no event. */
    due_now(f, "parse", p.id);
    assert_int_equal(claim(f, &j), OA_OK);
    make_form(&form, false);
    assert_int_equal(svc_parse_result(&f->s, &j, SVC_PARSE_OK, &form, NULL), OA_OK);
    oa_form_free(&form);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM form_revisions WHERE posting_id = ?", p.id), 1);
    assert_int_equal(n_events(f), 1);

    /* Changed form: a new revision, still no event (availability unchanged). */
    due_now(f, "parse", p.id);
    assert_int_equal(claim(f, &j), OA_OK);
    make_form(&form, true);
    assert_int_equal(svc_parse_result(&f->s, &j, SVC_PARSE_OK, &form, NULL), OA_OK);
    oa_form_free(&form);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM form_revisions WHERE posting_id = ?", p.id), 2);
    assert_int_equal(n_events(f), 1);

    /* A failed re-parse keeps APPLYABLE and emits nothing. */
    due_now(f, "parse", p.id);
    assert_int_equal(claim(f, &j), OA_OK);
    assert_int_equal(svc_parse_result(&f->s, &j, SVC_PARSE_FAILED, NULL, "HTTP 500"), OA_OK);
    assert_int_equal(n_events(f), 1);
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM postings WHERE id = ? AND availability = 'APPLYABLE'", p.id),
        1);

    /* Taken offline: ARCHIVED / JOB_POSTING_TAKEN_OFFLINE, one event, queue emptied. */
    due_now(f, "parse", p.id);
    assert_int_equal(claim(f, &j), OA_OK);
    assert_int_equal(svc_parse_result(&f->s, &j, SVC_PARSE_OFFLINE, NULL, "HTTP 404"), OA_OK);
    assert_int_equal(n_events(f), 2);
    d = last_event(f, "t1", p.id, type);
    assert_string_equal(json_string_value(json_object_get(d, "availability")), "ARCHIVED");
    assert_string_equal(json_string_value(json_object_get(d, "archived_reason")),
                        "JOB_POSTING_TAKEN_OFFLINE");
    assert_true(json_is_string(json_object_get(d, "archived_at")));
    json_decref(d);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM jobs WHERE ref_id = ?", p.id), 0);
    oa_posting_clear(&p);
}

static void test_unavailable_then_applyable(void **state)
{
    fixture *f = *state;
    oa_posting p = {0};
    posting_parsed(f, "https://jobs.example.com/u", SVC_PARSE_FAILED, &p);
    char type[64];
    json_t *d = last_event(f, "t1", p.id, type);
    assert_string_equal(json_string_value(json_object_get(d, "availability")), "UNAVAILABLE");
    json_decref(d);
    /* Retried with backoff: not due yet, but queued. */
    store_job j;
    assert_int_equal(claim(f, &j), OA_NOT_FOUND);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM jobs WHERE ref_id = ?", p.id), 1);
    /* A second failure while UNAVAILABLE: no event. */
    due_now(f, "parse", p.id);
    assert_int_equal(claim(f, &j), OA_OK);
    assert_int_equal(svc_parse_result(&f->s, &j, SVC_PARSE_FAILED, NULL, "x"), OA_OK);
    assert_int_equal(n_events(f), 1);
    due_now(f, "parse", p.id);
    assert_int_equal(claim(f, &j), OA_OK);
    oa_form form;
    make_form(&form, false);
    assert_int_equal(svc_parse_result(&f->s, &j, SVC_PARSE_OK, &form, NULL), OA_OK);
    oa_form_free(&form);
    assert_int_equal(n_events(f), 2);
    d = last_event(f, "t1", p.id, type);
    assert_string_equal(json_string_value(json_object_get(d, "availability")), "APPLYABLE");
    json_decref(d);
    oa_posting_clear(&p);
}

static void test_late_result_dropped(void **state)
{
    fixture *f = *state;
    oa_posting p = {0}, a = {0};
    posting_parsed(f, "https://jobs.example.com/late", SVC_PARSE_OK, &p);
    due_now(f, "parse", p.id);
    store_job j;
    assert_int_equal(claim(f, &j), OA_OK);
    /* Archived while the worker holds the parse job. */
    assert_int_equal(svc_posting_archive(&f->s, "t1", p.id, &a), OA_OK);
    assert_int_equal(a.state.av, OA_AV_ARCHIVED);
    assert_int_equal(a.state.reason, OA_AR_MANUAL);
    int64_t before = n_events(f);
    oa_form form;
    make_form(&form, true);
    assert_int_equal(svc_parse_result(&f->s, &j, SVC_PARSE_OK, &form, NULL), OA_OK);
    oa_form_free(&form);
    assert_int_equal(n_events(f), before); /* dropped */
    assert_int_equal(count(f, "SELECT COUNT(*) FROM form_revisions WHERE posting_id = ?", p.id), 1);
    /* Archiving again: no change, no event. */
    oa_posting_clear(&a);
    assert_int_equal(svc_posting_archive(&f->s, "t1", p.id, &a), OA_OK);
    assert_int_equal(n_events(f), before);
    oa_posting_clear(&a);
    oa_posting_clear(&p);
}

static void test_apply_flow(void **state)
{
    fixture *f = *state;
    oa_posting p = {0};
    posting_parsed(f, "https://jobs.example.com/apply", SVC_PARSE_OK, &p);
    int64_t base = n_events(f);

    oa_application a1 = {0}, a2 = {0}, a3 = {0}, dup = {0};
    char *tok = apply_once(f, p.id, "Ada@Example.com", &a1, OA_OK);
    assert_int_equal(a1.status, OA_AS_PENDING);
    assert_int_equal(n_events(f), base); /* creation emits nothing */

    /* Single use. */
    json_t *answers = json_array();
    svc_apply_req again = {tok, "x@example.com", answers, NULL, 0};
    char *why = NULL, *bad = NULL;
    oa_application tmp = {0};
    assert_int_equal(svc_apply(&f->s, "t1", &again, &tmp, &why, &bad), OA_CONFLICT);
    assert_non_null(strstr(why, "already been used"));
    free(why);
    free(bad);
    /* Another tenant cannot use the token. */
    assert_int_equal(svc_apply(&f->s, "t2", &again, &tmp, &why, &bad), OA_INVALID);
    free(why);
    free(bad);
    json_decref(answers);
    free(tok);

    free(apply_once(f, p.id, "ada@example.COM", &a2, OA_OK)); /* same person, other case */
    free(apply_once(f, p.id, "bob@example.com", &a3, OA_OK));

    /* a1 submitted. */
    store_job j;
    assert_int_equal(claim(f, &j), OA_OK);
    assert_string_equal(j.kind, "apply");
    assert_string_equal(j.ref_id, a1.id);
    svc_apply_work w;
    assert_int_equal(svc_apply_begin(&f->s, &j, &w), OA_OK);
    assert_int_equal(json_array_size(w.answers), 2);
    assert_int_equal(oa_form_count_questions(&w.form), 3);
    svc_apply_work_free(&w);
    assert_int_equal(svc_apply_result(&f->s, &j, SVC_APPLY_SUBMITTED, NULL, 0, NULL), OA_OK);
    char type[64];
    json_t *d = last_event(f, "t1", a1.id, type);
    assert_string_equal(type, "ai-apply-application-status-updated");
    assert_string_equal(json_string_value(json_object_get(d, "status")), "SUBMITTED");
    assert_string_equal(json_string_value(json_object_get(d, "job_posting_id")), p.id);
    assert_int_equal(json_object_size(d), 5);
    json_decref(d);
    /* Answers are purged once final. */
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM applications WHERE id = ? AND answers IS NULL", a1.id), 1);

    /* a2: duplicate of a1. */
    assert_int_equal(claim(f, &j), OA_OK);
    assert_string_equal(j.ref_id, a2.id);
    assert_int_equal(svc_apply_begin(&f->s, &j, &w), OA_NOT_FOUND);
    d = last_event(f, "t1", a2.id, type);
    assert_string_equal(json_string_value(json_object_get(d, "status")), "DUPLICATE");
    json_decref(d);

    /* a3: transient failure, then rejected to review (no event), then reviewed FAILED. */
    int64_t ev = n_events(f);
    assert_int_equal(claim(f, &j), OA_OK);
    assert_string_equal(j.ref_id, a3.id);
    assert_int_equal(svc_apply_begin(&f->s, &j, &w), OA_OK);
    svc_apply_work_free(&w);
    svc_apply_record rec = {"greenhouse",           "submit",       1000, 503,
                            "https://x.test/apply", "upstream busy"};
    assert_int_equal(svc_apply_result(&f->s, &j, SVC_APPLY_RETRY, "HTTP 503", oa_now_ms(), &rec),
                     OA_OK);
    assert_int_equal(n_events(f), ev);
    assert_int_equal(claim(f, &j), OA_OK);
    assert_string_equal(j.ref_id, a3.id);
    assert_int_equal(svc_apply_result(&f->s, &j, SVC_APPLY_REVIEW, "HTTP 422", 0, NULL), OA_OK);
    assert_int_equal(n_events(f), ev);
    /* Both attempts are kept for the operator, numbered, with what the site answered; only
     * the tenant's own key reads them. */
    svc_app_detail det;
    assert_int_equal(svc_application_detail(&f->s, "t2", a3.id, &det), OA_NOT_FOUND);
    assert_int_equal(svc_application_detail(&f->s, "t1", a3.id, &det), OA_OK);
    assert_int_equal(det.n_attempts, 2);
    assert_int_equal(det.attempts[0].attempt, 1);
    assert_string_equal(det.attempts[0].outcome, "retry");
    assert_string_equal(det.attempts[0].driver, "greenhouse");
    assert_int_equal(det.attempts[0].http_status, 503);
    assert_int_equal(det.attempts[0].started_at, 1000);
    assert_string_equal(det.attempts[0].excerpt, "upstream busy");
    assert_string_equal(det.attempts[0].reason, "HTTP 503");
    assert_int_equal(det.attempts[1].attempt, 2);
    assert_string_equal(det.attempts[1].outcome, "review");
    assert_int_equal(det.attempts[1].http_status, 0);
    assert_null(det.attempts[1].excerpt);
    assert_non_null(det.form_json);
    assert_non_null(det.posting_url);
    svc_app_detail_free(&det);
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM applications WHERE needs_review = 1 AND status = 'PENDING'",
              NULL),
        1);
    oa_application r = {0};
    assert_int_equal(svc_review(&f->s, "t2", a3.id, false, "no", &r), OA_NOT_FOUND); /* tenant */
    oa_application_clear(&r);
    assert_int_equal(svc_review(&f->s, "t1", a1.id, true, "x", &r), OA_CONFLICT); /* final */
    oa_application_clear(&r);
    assert_int_equal(svc_review(&f->s, "t1", a3.id, false, "candidate email bounced", &r), OA_OK);
    assert_int_equal(r.status, OA_AS_FAILED);
    oa_application_clear(&r);
    d = last_event(f, "t1", a3.id, type);
    assert_string_equal(json_string_value(json_object_get(d, "status")), "FAILED");
    json_decref(d);
    assert_int_equal(svc_review(&f->s, "t1", a3.id, true, "x", &r), OA_CONFLICT);
    oa_application_clear(&r);

    /* A pending application fails when its posting is archived, in the same transaction. */
    oa_application a4 = {0};
    free(apply_once(f, p.id, "carol@example.com", &a4, OA_OK));
    ev = n_events(f);
    oa_posting ap = {0};
    assert_int_equal(svc_posting_archive(&f->s, "t1", p.id, &ap), OA_OK);
    assert_int_equal(n_events(f), ev + 2);
    d = last_event(f, "t1", a4.id, type);
    assert_string_equal(json_string_value(json_object_get(d, "status")), "FAILED");
    json_decref(d);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM jobs WHERE ref_id = ?", a4.id), 0);
    /* Applying to an archived posting is refused. */
    json_t *form = NULL;
    char *t = NULL;
    assert_int_equal(svc_inquire(&f->s, "t1", p.id, &form, &t, &why), OA_CONFLICT);
    assert_non_null(strstr(why, "ARCHIVED"));
    free(why);
    oa_posting_clear(&ap);
    oa_application_clear(&a1);
    oa_application_clear(&a2);
    oa_application_clear(&a3);
    oa_application_clear(&a4);
    oa_application_clear(&dup);
    oa_application_clear(&tmp);
    oa_posting_clear(&p);
}

static void test_tenant_isolation(void **state)
{
    fixture *f = *state;
    oa_posting p = {0};
    svc_posting_req req = {.url = "https://jobs.example.com/t", .site_id = f->site.id};
    bool created;
    /* Another tenant cannot use t1's career site. */
    assert_int_equal(svc_posting_submit(&f->s, "t2", &req, &p, &created), OA_NOT_FOUND);
    oa_posting_clear(&p);
    posting_parsed(f, "https://jobs.example.com/t", SVC_PARSE_OK, &p);
    json_t *form = NULL;
    char *tok = NULL, *why = NULL;
    assert_int_equal(svc_inquire(&f->s, "t2", p.id, &form, &tok, &why), OA_NOT_FOUND);
    oa_posting a = {0};
    assert_int_equal(svc_posting_archive(&f->s, "t2", p.id, &a), OA_NOT_FOUND);
    oa_posting_clear(&a);
    free(why);
    oa_posting_clear(&p);
}

static void test_feed_import(void **state)
{
    fixture *f = *state;
    oa_feed feed = {0};
    assert_int_equal(svc_feed_create(&f->s, "t1", "Feed", &feed), OA_OK);
    svc_import_line lines[3] = {
        {.url = "https://a.example.com/1", .site_label = "A"},
        {.url = "https://a.example.com/2", .site_label = "A", .job_code = "X"},
        {.url = "https://b.example.com/1",
         .site_label = "B",
         .loc_op = SVC_LOC_SET,
         .loc_country = "DE"},
    };
    svc_import_counts c;
    assert_int_equal(svc_feed_import(&f->s, "t1", feed.id, lines, 3, &c), OA_OK);
    assert_int_equal(c.created, 3);
    assert_int_equal(c.processed, 3);
    assert_int_equal(c.archived, 0);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM career_sites WHERE tenant = 't1'", NULL), 3);
    assert_int_equal(n_events(f), 0);
    /* Second import without line 2: updated, not re-created; line 2 archived. */
    svc_import_line again[2] = {lines[0], lines[2]};
    assert_int_equal(svc_feed_import(&f->s, "t1", feed.id, again, 2, &c), OA_OK);
    assert_int_equal(c.created, 0);
    assert_int_equal(c.processed, 2);
    assert_int_equal(c.archived, 1);
    assert_int_equal(n_events(f), 1);
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM postings WHERE archived_reason = 'REMOVED_FROM_JOB_FEED'",
              NULL),
        1);
    /* It comes back: revived to PENDING (an event), queued for parsing. */
    assert_int_equal(svc_feed_import(&f->s, "t1", feed.id, lines, 3, &c), OA_OK);
    assert_int_equal(c.created, 0);
    assert_int_equal(c.archived, 0);
    assert_int_equal(n_events(f), 2);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM postings WHERE availability = 'PENDING'", NULL),
                     3);
    /* Unknown feed, other tenant's feed. */
    assert_int_equal(svc_feed_import(&f->s, "t2", feed.id, lines, 3, &c), OA_NOT_FOUND);
    oa_feed_clear(&feed);
}

static oa_status release_tx(oa_tx *tx, void *arg)
{
    return store_job_release(tx, NULL, (int64_t *)arg);
}

static void test_lease_release(void **state)
{
    fixture *f = *state;
    oa_posting p = {0};
    svc_posting_req req = {.url = "https://jobs.example.com/lease", .site_id = f->site.id};
    bool created;
    assert_int_equal(svc_posting_submit(&f->s, "t1", &req, &p, &created), OA_OK);
    store_job j, k;
    assert_int_equal(claim(f, &j), OA_OK);
    assert_int_equal(claim(f, &k), OA_NOT_FOUND);
    /* A crash and restart: leases are released, the job is claimable again, and the old
     * holder's late result is dropped. */
    int64_t released = 0;
    assert_int_equal(store_transact(f->st, STORE_WRITE, release_tx, &released), OA_OK);
    assert_int_equal(released, 1);
    assert_int_equal(claim(f, &k), OA_OK);
    assert_string_equal(k.ref_id, p.id);
    assert_string_not_equal(k.lease_token, j.lease_token);
    assert_int_equal(svc_parse_result(&f->s, &j, SVC_PARSE_FAILED, NULL, "stale"), OA_OK);
    assert_int_equal(n_events(f), 0);
    assert_int_equal(svc_parse_result(&f->s, &k, SVC_PARSE_FAILED, NULL, "fresh"), OA_OK);
    assert_int_equal(n_events(f), 1);
    oa_posting_clear(&p);
}

static void test_empty_job_code_is_none(void **state)
{
    fixture *f = *state;
    oa_posting a = {0}, b = {0};
    bool created = false;
    svc_posting_req req = {
        .url = "https://jobs.example.com/jc", .job_code = "", .site_id = f->site.id};
    assert_int_equal(svc_posting_submit(&f->s, "t1", &req, &a, &created), OA_OK);
    assert_true(created);
    assert_null(a.job_code);
    req.job_code = NULL;
    assert_int_equal(svc_posting_submit(&f->s, "t1", &req, &b, &created), OA_OK);
    assert_false(created);
    assert_string_equal(a.id, b.id);
    oa_posting_clear(&a);
    oa_posting_clear(&b);
}

static void test_parse_limit_per_tenant(void **state)
{
    fixture *f = *state;
    oa_site other = {0};
    assert_int_equal(svc_site_create(&f->s, "t2", "Other", NULL, &other), OA_OK);
    char url[64];
    for (int i = 0; i < 7; i++) {
        oa_posting p = {0};
        bool created;
        snprintf(url, sizeof url, "https://jobs.example.com/limit/%d", i);
        svc_posting_req req = {.url = url, .site_id = f->site.id};
        assert_int_equal(svc_posting_submit(&f->s, "t1", &req, &p, &created), OA_OK);
        oa_posting_clear(&p);
    }
    oa_posting p = {0};
    bool created;
    svc_posting_req req2 = {.url = "https://other.example.com/1", .site_id = other.id};
    assert_int_equal(svc_posting_submit(&f->s, "t2", &req2, &p, &created), OA_OK);
    /* Five parse leases for t1 at once (the default limit), then t2's job still gets through,
     * then nothing more until one of t1's finishes. */
    store_job j[8];
    int t1 = 0, t2 = 0;
    for (int i = 0; i < 6; i++) {
        assert_int_equal(claim(f, &j[i]), OA_OK);
        if (strcmp(j[i].tenant, "t1") == 0)
            t1++;
        else
            t2++;
    }
    assert_int_equal(t1, 5);
    assert_int_equal(t2, 1);
    store_job none;
    assert_int_equal(claim(f, &none), OA_NOT_FOUND);
    size_t k = 0;
    while (strcmp(j[k].tenant, "t1") != 0)
        k++;
    assert_int_equal(svc_parse_result(&f->s, &j[k], SVC_PARSE_FAILED, NULL, "x"), OA_OK);
    assert_int_equal(claim(f, &j[6]), OA_OK);
    assert_string_equal(j[6].tenant, "t1");
    oa_posting_clear(&p);
    oa_site_clear(&other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_lifecycle_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unavailable_then_applyable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_late_result_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_flow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tenant_isolation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_feed_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lease_release, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_limit_per_tenant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_job_code_is_none, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
