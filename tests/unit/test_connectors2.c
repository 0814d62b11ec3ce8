/*
 * test_connectors2.c - the jobs' request chains (a form read with several requests, uploads before
 * a submission) against a local HTTP server, and the SmartRecruiters, Workday and Personio
 * connectors on answers written from their documented (Workday: widely observed) shapes: URL
 * matching (and look-alikes), the read requests, extraction (types, required, options, unified
 * keys), the submission (URL, headers, body), OA_DENIED without credentials, closed postings, and
 * bad vendor input refused with a reason, never a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/form.h"
#include "drivers/ats.h"
#include "drivers/driver.h"
#include "drivers/fetch.h"
#include "jobs/jobs.h"

/* ---- a local server answering by path ---- */

typedef struct {
    const char *path;
    unsigned status;
    const char *body;
} route;

static struct {
    struct MHD_Daemon *d;
    unsigned port;
    const route *routes;
    pthread_mutex_t mu;
    char seen[16][128]; /* "METHOD /path" of each request */
    size_t n_seen;
} srv = {.mu = PTHREAD_MUTEX_INITIALIZER};

static enum MHD_Result on_req(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    (void)upload_data;
    if (!*con_cls) {
        *con_cls = &srv;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0; /* bodies are not looked at */
        return MHD_YES;
    }
    pthread_mutex_lock(&srv.mu);
    if (srv.n_seen < 16)
        snprintf(srv.seen[srv.n_seen++], sizeof srv.seen[0], "%s %s", method, url);
    pthread_mutex_unlock(&srv.mu);
    unsigned status = 404;
    const char *body = "{\"error\":\"no route\"}";
    for (const route *r = srv.routes; r && r->path; r++)
        if (strcmp(r->path, url) == 0) {
            status = r->status;
            body = r->body;
        }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    enum MHD_Result rc = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return rc;
}

static void srv_start(const route *routes)
{
    srv.routes = routes;
    srv.n_seen = 0;
    srv.d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL, on_req,
                             NULL, MHD_OPTION_END);
    assert_non_null(srv.d);
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(srv.d, MHD_DAEMON_INFO_BIND_PORT);
    srv.port = i->port;
}

static void srv_stop(void)
{
    MHD_stop_daemon(srv.d);
    srv.d = NULL;
}

/* ---- a driver with a chain of reads and uploads ---- */

static int chain_reads = 2;   /* how many reads the fake driver asks for (99: never stops) */
static int chain_uploads = 2; /* how many uploads */

static oa_status fake_form_request(const drv_ctx *c, drv_request *out, char **why)
{
    *why = NULL;
    out->url = xasprintf("%s/r0", c->base);
    return OA_OK;
}

static oa_status fake_next_request(const drv_ctx *c, drv_request *out, char **why)
{
    *why = NULL;
    assert_non_null(c->replies);
    if ((int)c->n_replies >= chain_reads)
        return OA_NOT_FOUND;
    out->url = xasprintf("%s/r%zu", c->base, c->n_replies);
    return OA_OK;
}

static bool fake_closed(long status, const char *body, size_t len)
{
    (void)body;
    (void)len;
    return status == 404;
}

static oa_status fake_upload_request(const drv_ctx *c, const oa_form *fresh,
                                     const oa_answers *answers, drv_request *out, char **why)
{
    (void)fresh;
    (void)answers;
    *why = NULL;
    if ((int)c->n_replies >= chain_uploads)
        return OA_NOT_FOUND;
    out->url = xasprintf("%s/u%zu", c->base, c->n_replies);
    out->body = DRV_BODY_RAW;
    out->raw = xstrdup("{}");
    out->raw_len = 2;
    out->raw_type = xstrdup("application/json");
    return OA_OK;
}

static const char *const FAKE_TYPES[] = {"json", NULL};
static const drv_driver fake = {
    .name = "fake",
    .content_types = FAKE_TYPES,
    .form_request = fake_form_request,
    .next_request = fake_next_request,
    .closed = fake_closed,
    .upload_request = fake_upload_request,
    .classify = ats_classify,
};

typedef struct {
    jobs_driver jd;
    char base[64];
    fetch_session *fs;
} chain;

static void chain_open(chain *c, const drv_driver *d)
{
    memset(c, 0, sizeof *c);
    snprintf(c->base, sizeof c->base, "http://127.0.0.1:%u", srv.port);
    c->jd.target.driver = d;
    c->jd.ctx.target = &c->jd.target;
    c->jd.ctx.base = c->base;
    fetch_opts fo = {true, 5000, DRV_MAX_PAGE_BYTES, NULL};
    c->fs = fetch_session_new(&fo);
}

static jobs_read chain_read(chain *c, jobs_reads *r, char **why)
{
    drv_request first = {0};
    assert_int_equal(c->jd.target.driver->form_request(&c->jd.ctx, &first, why), OA_OK);
    oa_status frc;
    jobs_read k = jobs_read_form(c->fs, &c->jd, &first, r, &frc, why);
    drv_request_free(&first);
    return k;
}

static void test_read_chain(void **state)
{
    (void)state;
    static const route routes[] = {{"/r0", 200, "{\"step\":0}"},
                                   {"/r1", 200, "{\"step\":1}"},
                                   {"/r2", 200, "{\"step\":2}"},
                                   {"/gone/r0", 404, "{}"},
                                   {NULL, 0, NULL}};
    srv_start(routes);
    chain c;
    chain_open(&c, &fake);
    jobs_reads r;
    char *why = NULL;
    /* Two reads: the driver sees the first answer, the last one is to extract. */
    chain_reads = 2;
    assert_int_equal(chain_read(&c, &r, &why), JOBS_READ_OK);
    assert_null(why);
    assert_int_equal(r.n, 2);
    assert_int_equal(c.jd.ctx.n_replies, 2);
    assert_string_equal(c.jd.ctx.replies[0].body, "{\"step\":0}");
    assert_string_equal(oa_buf_cstr(&jobs_reads_last(&r)->body), "{\"step\":1}");
    assert_int_equal(srv.n_seen, 2);
    assert_string_equal(srv.seen[1], "GET /r1");
    jobs_reads_free(&r, &c.jd);
    assert_null(c.jd.ctx.replies);
    /* A driver that never stops asking gets DRV_MAX_READS reads and a reason. */
    chain_reads = 99;
    srv.n_seen = 0;
    assert_int_equal(chain_read(&c, &r, &why), JOBS_READ_DRIVER);
    assert_non_null(strstr(why, "more than 3 reads"));
    assert_int_equal(srv.n_seen, DRV_MAX_READS);
    free(why);
    why = NULL;
    jobs_reads_free(&r, &c.jd);
    /* A read the vendor answers 404 stops the chain as closed; 5xx as a status. */
    chain_reads = 2;
    srv.n_seen = 0;
    snprintf(c.base, sizeof c.base, "http://127.0.0.1:%u/gone", srv.port);
    assert_int_equal(chain_read(&c, &r, &why), JOBS_READ_CLOSED);
    assert_int_equal(srv.n_seen, 1);
    jobs_reads_free(&r, &c.jd);
    free(why);
    why = NULL;
    fetch_session_free(c.fs);
    srv_stop();

    static const route late[] = {
        {"/r0", 200, "{}"}, {"/r1", 503, "{\"error\":\"busy\"}"}, {NULL, 0, NULL}};
    srv_start(late);
    chain_open(&c, &fake);
    assert_int_equal(chain_read(&c, &r, &why), JOBS_READ_STATUS);
    assert_int_equal(jobs_reads_last(&r)->status, 503);
    jobs_reads_free(&r, &c.jd);
    free(why);
    why = NULL;
    /* Without next_request a driver reads once. */
    drv_driver once = fake;
    once.next_request = NULL;
    fetch_session_free(c.fs);
    chain_open(&c, &once);
    srv.n_seen = 0;
    assert_int_equal(chain_read(&c, &r, &why), JOBS_READ_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(srv.n_seen, 1);
    jobs_reads_free(&r, &c.jd);
    free(why);
    fetch_session_free(c.fs);
    srv_stop();
}

static void test_upload_chain(void **state)
{
    (void)state;
    static const route routes[] = {{"/u0", 200, "{\"uuid\":\"a\"}"},
                                   {"/u1", 201, "{\"uuid\":\"b\"}"},
                                   {"/u2", 200, "{}"},
                                   {"/u3", 200, "{}"},
                                   {"/bad/u0", 200, "{}"},
                                   {"/bad/u1", 503, "{\"error\":\"busy\"}"},
                                   {NULL, 0, NULL}};
    srv_start(routes);
    chain c;
    chain_open(&c, &fake);
    jobs_uploads u = {0};
    char *why = NULL;
    chain_uploads = 2;
    assert_int_equal(jobs_send_uploads(c.fs, &c.jd, NULL, NULL, &u, NULL, &why), JOBS_UPLOAD_OK);
    assert_int_equal(u.n, 2);
    assert_int_equal(c.jd.ctx.n_replies, 2);
    assert_string_equal(c.jd.ctx.replies[1].body, "{\"uuid\":\"b\"}");
    assert_string_equal(srv.seen[0], "POST /u0");
    jobs_uploads_free(&u, &c.jd);
    assert_null(c.jd.ctx.replies);
    /* One answering 503 stops there, for the caller to classify. */
    snprintf(c.base, sizeof c.base, "http://127.0.0.1:%u/bad", srv.port);
    assert_int_equal(jobs_send_uploads(c.fs, &c.jd, NULL, NULL, &u, NULL, &why),
                     JOBS_UPLOAD_STATUS);
    assert_int_equal(u.n, 2);
    assert_int_equal(u.res[1].status, 503);
    jobs_uploads_free(&u, &c.jd);
    /* A driver asking for more than the bound is refused. */
    chain_uploads = 99;
    snprintf(c.base, sizeof c.base, "http://127.0.0.1:%u", srv.port);
    srv.n_seen = 0;
    assert_int_equal(jobs_send_uploads(c.fs, &c.jd, NULL, NULL, &u, NULL, &why),
                     JOBS_UPLOAD_INVALID);
    assert_non_null(strstr(why, "more than 4 uploads"));
    assert_int_equal(srv.n_seen, DRV_MAX_UPLOADS);
    jobs_uploads_free(&u, &c.jd);
    free(why);
    why = NULL;
    /* An abort stops before anything is sent. */
    atomic_bool stop = true;
    srv.n_seen = 0;
    assert_int_equal(jobs_send_uploads(c.fs, &c.jd, NULL, NULL, &u, &stop, &why),
                     JOBS_UPLOAD_ABORTED);
    assert_int_equal(srv.n_seen, 0);
    jobs_uploads_free(&u, &c.jd);
    free(why);
    chain_uploads = 2;
    fetch_session_free(c.fs);
    srv_stop();
}

/* ---- the connectors ---- */

static char *fixture(const char *name, size_t *len)
{
    return test_fixture("ats", name, len);
}

static void expect(const char *url, const drv_driver *d, const char *account, const char *job)
{
    drv_target t;
    drv_match(url, &t);
    if (t.driver != d)
        fail_msg("%s: driver %s, expected %s", url, t.driver->name, d->name);
    if (account)
        assert_string_equal(t.parts[DRV_PART_ACCOUNT], account);
    if (job)
        assert_string_equal(t.parts[DRV_PART_JOB], job);
    drv_target_free(&t);
}

/* A posting's context and the form read from fixtures (each one read's answer, in order). */
typedef struct {
    drv_target t;
    drv_ctx c;
    char *base, *submit_base;
    json_t *settings;
    oa_form form;
    drv_reply replies[DRV_MAX_READS];
    char *bodies[DRV_MAX_READS];
} conn;

static void conn_open(conn *x, const char *url, const char *settings_json)
{
    memset(x, 0, sizeof *x);
    drv_match(url, &x->t);
    x->base = drv_base_for(&x->t);
    x->submit_base = drv_submit_base_for(&x->t);
    x->settings = settings_json ? json_loads(settings_json, 0, NULL) : NULL;
    x->c = (drv_ctx){.target = &x->t,
                     .posting_url = url,
                     .base = x->base,
                     .submit_base = x->submit_base,
                     .settings = x->settings};
}

/* Extracts the form from the fixtures' answers, as the jobs would after reading them. */
static drv_page_kind conn_read(conn *x, const char *const *names, size_t n, char **why)
{
    for (size_t i = 0; i < n; i++) {
        size_t len;
        x->bodies[i] = fixture(names[i], &len);
        x->replies[i] =
            (drv_reply){200, "application/json", "https://api.example/x", x->bodies[i], len};
    }
    x->c.replies = x->replies;
    x->c.n_replies = n;
    drv_page_kind kind = DRV_PAGE_NO_FORM;
    *why = NULL;
    assert_int_equal(x->t.driver->extract(&x->c, x->bodies[n - 1], x->replies[n - 1].len,
                                          "https://api.example/x", &kind, &x->form, why),
                     OA_OK);
    if (kind == DRV_PAGE_FORM)
        oa_form_assign_ids(&x->form, "posting-1");
    x->c.replies = NULL;
    x->c.n_replies = 0;
    return kind;
}

static void conn_close(conn *x)
{
    oa_form_free(&x->form);
    for (size_t i = 0; i < DRV_MAX_READS; i++)
        free(x->bodies[i]);
    json_decref(x->settings);
    free(x->base);
    free(x->submit_base);
    drv_target_free(&x->t);
}

struct by_field_ctx {
    const char *name;
    const oa_block *found;
};

static void by_field_fn(const oa_block *q, void *ctx)
{
    struct by_field_ctx *c = ctx;
    if (!c->found && q->field_name && strcmp(q->field_name, c->name) == 0)
        c->found = q;
}

static const oa_block *by_field(const oa_form *f, const char *name)
{
    struct by_field_ctx c = {name, NULL};
    oa_form_each_question(f, by_field_fn, &c);
    return c.found;
}

static const oa_block *must_field(const oa_form *f, const char *name)
{
    const oa_block *q = by_field(f, name);
    if (!q)
        fail_msg("no question on field %s", name);
    return q;
}

static const char *opt_id(const oa_block *q, const char *label)
{
    for (size_t i = 0; i < q->n_options; i++)
        if (strcmp(q->options[i].label, label) == 0)
            return q->options[i].id;
    fail_msg("no option %s in %s", label, q->label);
    return NULL;
}

static json_t *answer(const oa_block *q, json_t *v)
{
    return json_pack("{ssso}", "question_id", q->question_id, "answer", v);
}

static json_t *cv(void)
{
    return json_pack("{ssssss}", "name", "cv.pdf", "content_type", "application/pdf", "data",
                     "JVBERi0xLjQK");
}

/* Validates the answers against the form and builds the submission (uploads' answers in
 * replies). */
static oa_status build(conn *x, json_t *answers, const drv_reply *replies, size_t n_replies,
                       drv_request *r, char **why)
{
    oa_answers ans = {0};
    char *msg = NULL, *bad = NULL;
    if (oa_form_validate(&x->form, answers, &ans, &msg, &bad) != OA_OK)
        fail_msg("answers invalid: %s", msg);
    memset(r, 0, sizeof *r);
    *why = NULL;
    x->c.replies = replies;
    x->c.n_replies = n_replies;
    oa_status rc = x->t.driver->submission(&x->c, &x->form, &x->form, &ans, r, why);
    x->c.replies = NULL;
    x->c.n_replies = 0;
    oa_answers_free(&ans);
    json_decref(answers);
    return rc;
}

static bool has_header(const drv_request *r, const char *line)
{
    for (size_t i = 0; i < r->n_headers; i++)
        if (strcmp(r->headers[i], line) == 0)
            return true;
    return false;
}

/* Whatever a JSON vendor answers, the connector says why it cannot read it, and never crashes
 * (each body alone, and as the last of two reads after a good posting). */
static void bad_json(const drv_driver *d, const char *url, const char *first_fixture)
{
    static const char *const bodies[] = {
        "",
        "{",
        "[]",
        "null",
        "{\"a\": 1, \"a\": 2}",
        "{\"questions\": 5}",
        "{\"questions\": [1, \"x\", null, {}]}",
        "{\"uuid\": 7}",
        "{\"uuid\": \"../x\"}",
        "{\"jobPostingInfo\": []}",
        "{\"jobPostingInfo\": {\"canApply\": \"yes\"}}",
        "{\"questions\": [{\"id\": \"q\", \"fields\": [{\"id\": \"f\", \"type\": "
        "\"SINGLE_SELECT\", \"values\": [{\"label\": 3}]}]}]}",
        "{\"questions\": [{\"id\": \"q:1\", \"fields\": [{\"id\": \"f\", \"type\": "
        "\"INPUT_TEXT\"}]}], \"settings\": {\"conditionals\": [{\"parentQuestionId\": \"q:1\"}, "
        "7, {\"parentQuestionId\": \"x\", \"fieldId\": \"y\", \"valueIds\": [1], "
        "\"conditionalQuestions\": [null, \"x\"]}]}, \"consentDetails\": {\"scopes\": [{}]}}",
    };
    size_t len;
    char *first = fixture(first_fixture, &len);
    drv_reply replies[2] = {{200, NULL, "https://x", first, len}, {0}};
    conn x;
    conn_open(&x, url, "{\"api_key\":\"tok\"}");
    for (size_t i = 0; i < OA_ARRAY_LEN(bodies); i++) {
        for (size_t with = 0; with < 2; with++) {
            replies[1] = (drv_reply){200, NULL, "https://x", bodies[i], strlen(bodies[i])};
            x.c.replies = with ? replies : NULL;
            x.c.n_replies = with ? 2 : 0;
            oa_form f = {0};
            drv_page_kind kind = DRV_PAGE_FORM;
            char *why = NULL;
            oa_status rc =
                d->extract(&x.c, bodies[i], strlen(bodies[i]), "https://x", &kind, &f, &why);
            if (rc == OA_OK && kind == DRV_PAGE_FORM)
                assert_true(oa_form_count_questions(&f) > 0);
            else
                assert_non_null(why);
            free(why);
            oa_form_free(&f);
        }
    }
    /* Nesting deeper than the limit is refused before parsing. */
    char deep[400];
    memset(deep, '[', 300);
    deep[300] = '\0';
    oa_form f = {0};
    drv_page_kind kind;
    char *why = NULL;
    assert_int_equal(d->extract(&x.c, deep, 300, "https://x", &kind, &f, &why), OA_INVALID);
    assert_non_null(strstr(why, "nests"));
    free(why);
    conn_close(&x);
    free(first);
}

/* ---- SmartRecruiters ---- */

#define SR_URL  "https://jobs.smartrecruiters.com/Acme/743999999999-senior-platform-engineer"
#define SR_UUID "3c2a6a3c-8d0e-4f5b-9a67-0b1c2d3e4f50"
#define SR_Q1   "6f1c2a9e-3b1d-4c55-9a8e-1d2c3b4a5f60"
#define SR_Q2   "9a0b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

static void test_smartrecruiters_urls(void **state)
{
    (void)state;
    expect(SR_URL, &drv_smartrecruiters, "Acme", "743999999999-senior-platform-engineer");
    expect("https://jobs.smartrecruiters.com/Acme/743999999999", &drv_smartrecruiters, "Acme",
           "743999999999");
    expect("https://careers.smartrecruiters.com/Acme/743999999999-x?trid=abc", &drv_smartrecruiters,
           "Acme", "743999999999-x");
    expect("https://jobs.smartrecruiters.com/Acme", &drv_html, NULL, NULL);
    expect("https://jobs.smartrecruiters.com/Acme/743999999999-x/apply", &drv_html, NULL, NULL);
    expect("https://jobs.smartrecruiters.com.evil.example/Acme/743999999999", &drv_html, NULL,
           NULL);
    expect("https://evilsmartrecruiters.com/Acme/743999999999", &drv_html, NULL, NULL);
    expect("https://jobs.smartrecruiters.com/Acme/..", &drv_html, NULL, NULL);

    /* The read: the numeric id from the segment's front, the public Posting API. */
    const struct {
        const char *url, *want;
    } reads[] = {
        {SR_URL, "https://api.smartrecruiters.com/v1/companies/Acme/postings/743999999999"},
        {"https://careers.smartrecruiters.com/Acme/" SR_UUID,
         "https://api.smartrecruiters.com/v1/companies/Acme/postings/" SR_UUID},
        {"https://jobs.smartrecruiters.com/Acme/senior-engineer", NULL},
        {"https://jobs.smartrecruiters.com/Acme/743999x", NULL},
        {"https://jobs.smartrecruiters.com/Acme/123456789012345678901234", NULL},
    };
    for (size_t i = 0; i < OA_ARRAY_LEN(reads); i++) {
        conn x;
        conn_open(&x, reads[i].url, "{\"api_key\":\"tok\"}");
        drv_request r = {0};
        char *why = NULL;
        oa_status rc = drv_smartrecruiters.form_request(&x.c, &r, &why);
        if (reads[i].want) {
            assert_int_equal(rc, OA_OK);
            assert_string_equal(r.url, reads[i].want);
            for (size_t h = 0; h < r.n_headers; h++) /* the public read carries no key */
                assert_null(strstr(r.headers[h], "tok"));
        } else {
            assert_int_equal(rc, OA_INVALID);
            assert_non_null(strstr(why, "posting id"));
        }
        free(why);
        drv_request_free(&r);
        conn_close(&x);
    }
}

static void test_smartrecruiters_next_request(void **state)
{
    (void)state;
    size_t len;
    char *posting = fixture("smartrecruiters_posting.json", &len);
    drv_reply first = {200, "application/json", "https://x", posting, len};
    conn x;
    /* Without a key the posting is the whole read. */
    conn_open(&x, SR_URL, NULL);
    x.c.replies = &first;
    x.c.n_replies = 1;
    drv_request r = {0};
    char *why = NULL;
    assert_int_equal(drv_smartrecruiters.next_request(&x.c, &r, &why), OA_NOT_FOUND);
    drv_request_free(&r);
    conn_close(&x);
    /* With it: the screening questions of the posting's uuid, with the key. */
    conn_open(&x, SR_URL, "{\"api_key\":\"tok\"}");
    x.c.replies = &first;
    x.c.n_replies = 1;
    assert_int_equal(drv_smartrecruiters.next_request(&x.c, &r, &why), OA_OK);
    assert_string_equal(r.url, "https://api.smartrecruiters.com/postings/" SR_UUID
                               "/configuration?conditionalsIncluded=true");
    assert_true(has_header(&r, "X-SmartToken: tok"));
    drv_request_free(&r);
    /* ... and that is the last read. */
    drv_reply two[2] = {first, first};
    x.c.replies = two;
    x.c.n_replies = 2;
    assert_int_equal(drv_smartrecruiters.next_request(&x.c, &r, &why), OA_NOT_FOUND);
    drv_request_free(&r);
    /* A posting without a usable uuid cannot be followed. */
    static const char *const bad[] = {"{}", "{\"uuid\":\"../../x\"}", "{\"uuid\":7}", "[",
                                      "{\"uuid\":\"a b\"}"};
    for (size_t i = 0; i < OA_ARRAY_LEN(bad); i++) {
        drv_reply b = {200, NULL, "https://x", bad[i], strlen(bad[i])};
        x.c.replies = &b;
        x.c.n_replies = 1;
        assert_int_equal(drv_smartrecruiters.next_request(&x.c, &r, &why), OA_INVALID);
        assert_non_null(why);
        free(why);
        why = NULL;
        drv_request_free(&r);
    }
    conn_close(&x);
    free(posting);
    assert_true(drv_smartrecruiters.closed(404, "", 0));
    assert_false(drv_smartrecruiters.closed(200, "{}", 2));
}

static void test_smartrecruiters_standard_form(void **state)
{
    (void)state;
    conn x;
    conn_open(&x, SR_URL, NULL);
    char *why = NULL;
    static const char *const one[] = {"smartrecruiters_posting.json"};
    assert_int_equal(conn_read(&x, one, 1, &why), DRV_PAGE_FORM);
    const oa_form *f = &x.form;
    assert_int_equal(oa_form_count_questions(f), 5);
    assert_string_equal(must_field(f, "firstName")->unified_key, "FIRST_NAME");
    assert_string_equal(must_field(f, "lastName")->unified_key, "LAST_NAME");
    assert_string_equal(must_field(f, "email")->unified_key, "EMAIL");
    assert_true(must_field(f, "email")->required);
    assert_false(must_field(f, "phoneNumber")->required);
    assert_string_equal(must_field(f, "phoneNumber")->unified_key, "FULL_PHONE_NUMBER");
    assert_int_equal(must_field(f, "resume")->type, OA_Q_FILE);
    assert_string_equal(must_field(f, "resume")->unified_key, "RESUME");
    assert_int_equal(f->n_hidden, 1);
    assert_string_equal(f->hidden[0].value, SR_UUID);
    /* Without a key the submission goes to review, naming the setting. */
    json_t *answers = json_pack("[ooo]", answer(must_field(f, "firstName"), json_string("Jana")),
                                answer(must_field(f, "lastName"), json_string("Novak")),
                                answer(must_field(f, "email"), json_string("jana@example.com")));
    drv_request r;
    assert_int_equal(build(&x, answers, NULL, 0, &r, &why), OA_DENIED);
    assert_non_null(strstr(why, "connectors.smartrecruiters.api_key"));
    free(why);
    drv_request_free(&r);
    conn_close(&x);
}

static void test_smartrecruiters_questions(void **state)
{
    (void)state;
    conn x;
    conn_open(&x, SR_URL, "{\"api_key\":\"tok\"}");
    char *why = NULL;
    static const char *const two[] = {"smartrecruiters_posting.json",
                                      "smartrecruiters_configuration.json"};
    assert_int_equal(conn_read(&x, two, 2, &why), DRV_PAGE_FORM);
    const oa_form *f = &x.form;
    const oa_block *auth = must_field(f, "sq:" SR_Q1 ":authorized");
    assert_int_equal(auth->type, OA_Q_SINGLE_SELECT);
    assert_int_equal(auth->control, OA_CTL_RADIO);
    assert_true(auth->required);
    assert_string_equal(auth->label, "Are you legally authorized to work in Germany?");
    assert_int_equal(auth->n_options, 2);
    assert_string_equal(auth->options[1].value, "no");
    /* A conditional on one value of a single choice is display_when. */
    const oa_block *permit = must_field(f, "sq:" SR_Q2 ":permit");
    assert_true(permit->required);
    assert_string_equal(permit->dw_question_id, auth->question_id);
    assert_string_equal(json_string_value(permit->dw_answer), opt_id(auth, "No"));
    /* A complex question is a section of its fields. */
    const oa_block *lang = must_field(f, "sq:languages:language");
    assert_string_equal(lang->label, "Language");
    assert_int_equal(must_field(f, "sq:languages:level")->n_options, 3);
    bool in_section = false;
    for (size_t i = 0; i < f->n_blocks; i++)
        if (f->blocks[i].kind == OA_BLOCK_SECTION && strcmp(f->blocks[i].label, "Languages") == 0)
            in_section = f->blocks[i].n_children == 2;
    assert_true(in_section);
    const oa_block *tools = must_field(f, "sq:tools:tools");
    assert_int_equal(tools->type, OA_Q_MULTI_SELECT);
    assert_int_equal(tools->n_options, 3);
    /* Conditional on a multi-select: not expressible, so optional and saying so. */
    const oa_block *years = must_field(f, "sq:k8s-years:years");
    assert_false(years->required);
    assert_null(years->dw_answer);
    assert_non_null(strstr(years->description, "Asked only"));
    /* INFORMATION is not a question, but its text is kept. */
    assert_string_equal(must_field(f, "sq:motivation:text")->description,
                        "A few sentences are enough.");
    assert_null(by_field(f, "sq:motivation:hint"));
    assert_null(by_field(f, "sq:process:note"));
    assert_null(by_field(f, "sq:rating:stars")); /* an undocumented type is not guessed at */
    const oa_block *g = must_field(f, "sq:gender:gender");
    assert_string_equal(g->category, "EEO");
    assert_string_equal(g->options[0].unified_key, "MALE");
    assert_string_equal(g->options[1].unified_key, "FEMALE");
    const oa_block *acc = must_field(f, "sq:accuracy:confirm");
    assert_int_equal(acc->type, OA_Q_BOOLEAN);
    assert_string_equal(acc->checked_value, "confirmed");
    /* Consent scopes, with the privacy policy. */
    const oa_block *c1 = must_field(f, "consent:SMART_RECRUIT");
    assert_true(c1->required);
    assert_string_equal(c1->unified_key, "TERMS_AND_CONDITIONS");
    assert_non_null(strstr(c1->description, "https://acme.example/privacy"));
    const oa_block *c2 = must_field(f, "consent:SMART_CRM");
    assert_false(c2->required);
    assert_string_equal(c2->unified_key, "APPLICANT_POOL_CONSENT");
    assert_string_equal(must_field(f, "firstName")->unified_key, "FIRST_NAME");

    /* The submission: one record per question, ids for choices, consent decisions. */
    json_t *answers = json_pack(
        "[ooooooooooooo]", answer(must_field(f, "firstName"), json_string("Jana")),
        answer(must_field(f, "lastName"), json_string("Novak")),
        answer(must_field(f, "email"), json_string("jana@example.com")),
        answer(must_field(f, "phoneNumber"), json_string("+49 30 1234567")),
        answer(must_field(f, "resume"), cv()), answer(auth, json_string(opt_id(auth, "No"))),
        answer(permit, json_string("Blue Card")), answer(lang, json_string(opt_id(lang, "German"))),
        answer(must_field(f, "sq:languages:level"),
               json_string(opt_id(must_field(f, "sq:languages:level"), "Fluent"))),
        answer(tools, json_pack("[ss]", opt_id(tools, "Kubernetes"), opt_id(tools, "PostgreSQL"))),
        answer(acc, json_true()), answer(c1, json_true()), answer(c2, json_false()));
    drv_request r;
    assert_int_equal(build(&x, answers, NULL, 0, &r, &why), OA_OK);
    assert_null(why);
    assert_string_equal(r.url, "https://api.smartrecruiters.com/postings/" SR_UUID "/candidates");
    assert_int_equal(r.body, DRV_BODY_RAW);
    assert_string_equal(r.raw_type, "application/json");
    assert_true(has_header(&r, "X-SmartToken: tok"));
    json_t *b = json_loads(r.raw, 0, NULL);
    assert_non_null(b);
    assert_string_equal(json_string_value(json_object_get(b, "firstName")), "Jana");
    assert_string_equal(json_string_value(json_object_get(b, "phoneNumber")), "+49 30 1234567");
    json_t *res = json_object_get(b, "resume");
    assert_string_equal(json_string_value(json_object_get(res, "fileName")), "cv.pdf");
    assert_string_equal(json_string_value(json_object_get(res, "mimeType")), "application/pdf");
    assert_string_equal(json_string_value(json_object_get(res, "fileContent")), "JVBERi0xLjQK");
    json_t *ans = json_object_get(b, "answers");
    assert_int_equal(json_array_size(ans), 5);
    json_t *a0 = json_array_get(ans, 0);
    assert_string_equal(json_string_value(json_object_get(a0, "id")), SR_Q1);
    json_t *rec = json_array_get(json_object_get(a0, "records"), 0);
    assert_string_equal(json_string_value(json_object_get(rec, "authorized")), "no");
    json_t *a2 = json_array_get(ans, 2);
    assert_string_equal(json_string_value(json_object_get(a2, "id")), "languages");
    rec = json_array_get(json_object_get(a2, "records"), 0);
    assert_string_equal(json_string_value(json_object_get(rec, "language")), "de");
    assert_string_equal(json_string_value(json_object_get(rec, "level")), "fluent");
    rec = json_array_get(json_object_get(json_array_get(ans, 3), "records"), 0);
    json_t *tl = json_object_get(rec, "tools");
    assert_int_equal(json_array_size(tl), 2);
    assert_string_equal(json_string_value(json_array_get(tl, 1)), "pg");
    rec = json_array_get(json_object_get(json_array_get(ans, 4), "records"), 0);
    assert_string_equal(json_string_value(json_object_get(rec, "confirm")), "confirmed");
    json_t *cd = json_object_get(b, "consentDecisions");
    assert_true(json_is_true(json_object_get(cd, "SMART_RECRUIT")));
    assert_true(json_is_false(json_object_get(cd, "SMART_CRM")));
    json_decref(b);
    drv_request_free(&r);

    /* A hidden conditional's answer is not sent; a text past 4000 bytes is refused. */
    char *long_text = malloc(4002);
    memset(long_text, 'a', 4001);
    long_text[4001] = '\0';
    answers = json_pack("[ooooooooo]", answer(must_field(f, "firstName"), json_string("Jana")),
                        answer(must_field(f, "lastName"), json_string("Novak")),
                        answer(must_field(f, "email"), json_string("jana@example.com")),
                        answer(auth, json_string(opt_id(auth, "Yes"))),
                        answer(permit, json_string("none")),
                        answer(lang, json_string(opt_id(lang, "English"))),
                        answer(must_field(f, "sq:languages:level"),
                               json_string(opt_id(must_field(f, "sq:languages:level"), "Native"))),
                        answer(acc, json_true()), answer(c1, json_true()));
    assert_int_equal(build(&x, answers, NULL, 0, &r, &why), OA_OK);
    b = json_loads(r.raw, 0, NULL);
    assert_null(strstr(r.raw, "permit"));
    assert_int_equal(json_array_size(json_object_get(b, "answers")), 3);
    json_decref(b);
    drv_request_free(&r);
    answers = json_pack("[oooooooo]", answer(must_field(f, "firstName"), json_string("Jana")),
                        answer(must_field(f, "lastName"), json_string("Novak")),
                        answer(must_field(f, "email"), json_string("jana@example.com")),
                        answer(auth, json_string(opt_id(auth, "Yes"))),
                        answer(lang, json_string(opt_id(lang, "English"))),
                        answer(must_field(f, "sq:languages:level"),
                               json_string(opt_id(must_field(f, "sq:languages:level"), "Basic"))),
                        answer(acc, json_true()), answer(c1, json_true()));
    json_array_append_new(answers,
                          answer(must_field(f, "sq:motivation:text"), json_string(long_text)));
    assert_int_equal(build(&x, answers, NULL, 0, &r, &why), OA_INVALID);
    assert_non_null(strstr(why, "4000 bytes"));
    free(why);
    free(long_text);
    drv_request_free(&r);
    conn_close(&x);

    /* The answers of the Application API. */
    const char *err = "{\"errors\":[{\"code\":\"DATA_VALIDATION_ERROR\",\"message\":\"The "
                      "following screening questions are required: languages\"}]}";
    assert_int_equal(drv_smartrecruiters.classify(400, "application/json", err, strlen(err), &why),
                     DRV_REJECTED);
    assert_non_null(strstr(why, "screening questions are required"));
    free(why);
    const char *ok = "{\"id\":\"c1\",\"createdOn\":\"2026-03-02T10:00:00Z\"}";
    assert_int_equal(drv_smartrecruiters.classify(201, "application/json", ok, strlen(ok), &why),
                     DRV_SUBMITTED);
    free(why);
}

static void test_smartrecruiters_consent_single(void **state)
{
    (void)state;
    /* Privacy policies without consent scopes: the single consent model. */
    const char *cfg = "{\"questions\":[],\"privacyPolicies\":[{\"url\":\"https://a.example/p\","
                      "\"orgName\":\"A\"}]}";
    size_t len;
    char *posting = fixture("smartrecruiters_posting.json", &len);
    drv_reply replies[2] = {{200, NULL, "https://x", posting, len},
                            {200, NULL, "https://x", cfg, strlen(cfg)}};
    conn x;
    conn_open(&x, SR_URL, "{\"api_key\":\"tok\"}");
    x.c.replies = replies;
    x.c.n_replies = 2;
    drv_page_kind kind;
    char *why = NULL;
    assert_int_equal(
        drv_smartrecruiters.extract(&x.c, cfg, strlen(cfg), "https://x", &kind, &x.form, &why),
        OA_OK);
    assert_int_equal(kind, DRV_PAGE_FORM);
    const oa_block *q = must_field(&x.form, "consent:SINGLE");
    assert_true(q->required);
    assert_non_null(strstr(q->description, "A: https://a.example/p"));
    /* Without the posting before it, the configuration names no uuid. */
    oa_form_free(&x.form);
    x.c.n_replies = 0;
    assert_int_equal(
        drv_smartrecruiters.extract(&x.c, cfg, strlen(cfg), "https://x", &kind, &x.form, &why),
        OA_OK);
    assert_int_equal(kind, DRV_PAGE_NO_FORM);
    assert_non_null(strstr(why, "without their posting"));
    free(why);
    conn_close(&x);
    free(posting);
}

static void test_smartrecruiters_bad_json(void **state)
{
    (void)state;
    bad_json(&drv_smartrecruiters, SR_URL, "smartrecruiters_posting.json");
}

/* ---- Workday ---- */

#define WD_URL                                                                                     \
    "https://acme.wd5.myworkdayjobs.com/en-US/External/job/Berlin-Germany/"                        \
    "Senior-Software-Engineer_R12345"

static void test_workday(void **state)
{
    (void)state;
    drv_target t;
    drv_match(WD_URL, &t);
    assert_ptr_equal(t.driver, &drv_workday);
    assert_string_equal(t.parts[DRV_PART_ACCOUNT], "acme");
    assert_string_equal(t.parts[DRV_PART_SITE], "External");
    assert_string_equal(t.parts[DRV_PART_REST], "Berlin-Germany/Senior-Software-Engineer_R12345");
    drv_target_free(&t);
    expect("https://acme.wd1.myworkdayjobs.com/Careers/job/Remote/Dev_JR-100/apply", &drv_workday,
           "acme", NULL);
    expect("https://acme.wd5.myworkdayjobs.com.evil.example/External/job/x/y_R1", &drv_html, NULL,
           NULL);
    expect("https://myworkdayjobs.com/External/job/x/y_R1", &drv_html, NULL, NULL);
    expect("https://acme.wd5.myworkdayjobs.com/External/jobs/x/y_R1", &drv_html, NULL, NULL);
    expect("https://acme.wd5.myworkdayjobs.com/External", &drv_html, NULL, NULL);
    expect("https://acme.wd5.myworkdayjobs.com/External/job", &drv_html, NULL, NULL);
    expect("https://acme.wd5.myworkdayjobs.com/External/job/..", &drv_html, NULL, NULL);

    const struct {
        const char *url, *want;
    } reads[] = {
        {WD_URL, "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/job/Berlin-Germany/"
                 "Senior-Software-Engineer_R12345"},
        {"https://acme.wd1.myworkdayjobs.com/Careers/job/Remote/Dev_JR-100/apply/applyManually",
         "https://acme.wd1.myworkdayjobs.com/wday/cxs/acme/Careers/job/Remote/Dev_JR-100"},
        {"https://acme.wd1.myworkdayjobs.com/Careers/job/Remote/Applying-Dev_JR-7",
         "https://acme.wd1.myworkdayjobs.com/wday/cxs/acme/Careers/job/Remote/Applying-Dev_JR-7"},
        {"https://acme.wd1.myworkdayjobs.com/Careers/job/apply", NULL},
    };
    for (size_t i = 0; i < OA_ARRAY_LEN(reads); i++) {
        conn x;
        conn_open(&x, reads[i].url, NULL);
        drv_request r = {0};
        char *why = NULL;
        oa_status rc = drv_workday.form_request(&x.c, &r, &why);
        if (reads[i].want) {
            assert_int_equal(rc, OA_OK);
            assert_string_equal(r.url, reads[i].want);
        } else {
            assert_int_equal(rc, OA_INVALID);
            assert_non_null(why);
        }
        free(why);
        drv_request_free(&r);
        conn_close(&x);
    }
    /* --connector-base with the host in it (a fake serving several tenants). */
    assert_int_equal(drv_set_base("workday", "http://127.0.0.1:9/workday/{host}"), OA_OK);
    conn x;
    conn_open(&x, WD_URL, NULL);
    assert_string_equal(x.base, "http://127.0.0.1:9/workday/acme.wd5.myworkdayjobs.com");
    conn_close(&x);
    drv_reset_bases();

    conn_open(&x, WD_URL, NULL);
    char *why = NULL;
    static const char *const one[] = {"workday_job.json"};
    assert_int_equal(conn_read(&x, one, 1, &why), DRV_PAGE_FORM);
    const oa_form *f = &x.form;
    assert_int_equal(oa_form_count_questions(f), 5);
    assert_int_equal(f->n_blocks, 1);
    assert_non_null(strstr(f->blocks[0].description, "no public application API"));
    assert_string_equal(must_field(f, "legalName.firstName")->unified_key, "FIRST_NAME");
    assert_string_equal(must_field(f, "legalName.lastName")->unified_key, "LAST_NAME");
    assert_string_equal(must_field(f, "email")->unified_key, "EMAIL");
    assert_string_equal(must_field(f, "phone")->unified_key, "FULL_PHONE_NUMBER");
    assert_string_equal(must_field(f, "resume")->unified_key, "RESUME");
    assert_true(must_field(f, "legalName.firstName")->required);
    assert_false(must_field(f, "resume")->required);
    /* No submission: review, naming where to apply by hand. */
    json_t *answers =
        json_pack("[oooo]", answer(must_field(f, "legalName.firstName"), json_string("Jana")),
                  answer(must_field(f, "legalName.lastName"), json_string("Novak")),
                  answer(must_field(f, "email"), json_string("jana@example.com")),
                  answer(must_field(f, "phone"), json_string("+49 30 1234567")));
    drv_request r;
    assert_int_equal(build(&x, answers, NULL, 0, &r, &why), OA_DENIED);
    assert_non_null(strstr(why, "Workday has no public application API: apply by hand at "
                                "https://acme.wd5.myworkdayjobs.com/External/job/Berlin-Germany/"
                                "Senior-Software-Engineer_R12345"));
    assert_null(r.url);
    free(why);
    drv_request_free(&r);
    conn_close(&x);

    /* Closed: 404, or a posting that takes no applications. */
    assert_true(drv_workday.closed(404, "", 0));
    assert_false(drv_workday.closed(200, "{}", 2));
    static const char *const closed[] = {
        "{\"jobPostingInfo\":{\"title\":\"x\",\"canApply\":false,\"posted\":true}}",
        "{\"jobPostingInfo\":{\"title\":\"x\",\"canApply\":true,\"posted\":false}}"};
    for (size_t i = 0; i < OA_ARRAY_LEN(closed); i++) {
        oa_form cf = {0};
        drv_page_kind kind;
        assert_int_equal(
            drv_workday.extract(NULL, closed[i], strlen(closed[i]), "https://x", &kind, &cf, &why),
            OA_OK);
        assert_int_equal(kind, DRV_PAGE_CLOSED);
        assert_non_null(why);
        free(why);
        oa_form_free(&cf);
    }
}

static void test_workday_bad_json(void **state)
{
    (void)state;
    bad_json(&drv_workday, WD_URL, "workday_job.json");
}

/* ---- Personio ---- */

#define PS_URL "https://acme.jobs.personio.de/job/1234567?language=de&display=de"

static void test_personio_urls(void **state)
{
    (void)state;
    expect(PS_URL, &drv_personio, "acme", "1234567");
    expect("https://acme.jobs.personio.com/job/1234567", &drv_personio, "acme", "1234567");
    expect("https://acme.jobs.personio.de.evil.example/job/1", &drv_html, NULL, NULL);
    expect("https://jobs.personio.de/job/1", &drv_html, NULL, NULL);
    expect("https://acme.personio.de/job/1", &drv_html, NULL, NULL);
    expect("https://acme.jobs.personio.de/", &drv_html, NULL, NULL);
    expect("https://acme.jobs.personio.de/job/1/apply", &drv_html, NULL, NULL);

    const struct {
        const char *url, *settings, *want;
    } reads[] = {
        {PS_URL, NULL, "https://acme.jobs.personio.de/xml?language=de"},
        {"https://acme.jobs.personio.com/job/99", NULL,
         "https://acme.jobs.personio.com/xml?language=en"},
        {"https://acme.jobs.personio.de/job/99", "{\"language\":\"fr\"}",
         "https://acme.jobs.personio.de/xml?language=fr"},
        {"https://acme.jobs.personio.de/job/99?language=xx", "{\"language\":\"klingon\"}",
         "https://acme.jobs.personio.de/xml?language=en"},
        {"https://acme.jobs.personio.de/job/backend-engineer", NULL, NULL},
    };
    for (size_t i = 0; i < OA_ARRAY_LEN(reads); i++) {
        conn x;
        conn_open(&x, reads[i].url, reads[i].settings);
        drv_request r = {0};
        char *why = NULL;
        oa_status rc = drv_personio.form_request(&x.c, &r, &why);
        if (reads[i].want) {
            assert_int_equal(rc, OA_OK);
            assert_string_equal(r.url, reads[i].want);
        } else {
            assert_int_equal(rc, OA_INVALID);
            assert_non_null(strstr(why, "no Personio position"));
        }
        free(why);
        drv_request_free(&r);
        conn_close(&x);
    }
    /* Two roots: the feed on the career site, the API at api.personio.de; one override for
     * both (a fake serving /xml and /v1/recruiting/... under one root). */
    conn x;
    conn_open(&x, PS_URL, NULL);
    assert_string_equal(x.base, "https://acme.jobs.personio.de");
    assert_string_equal(x.submit_base, "https://api.personio.de");
    conn_close(&x);
    assert_int_equal(drv_set_base("personio", "http://127.0.0.1:9/personio/{account}"), OA_OK);
    conn_open(&x, PS_URL, NULL);
    assert_string_equal(x.base, "http://127.0.0.1:9/personio/acme");
    assert_string_equal(x.submit_base, "http://127.0.0.1:9/personio/acme");
    conn_close(&x);
    drv_reset_bases();
    /* Drivers with one root have no second. */
    conn_open(&x, SR_URL, NULL);
    assert_null(x.submit_base);
    conn_close(&x);
}

static void test_personio_feed(void **state)
{
    (void)state;
    conn x;
    conn_open(&x, PS_URL, NULL);
    char *why = NULL;
    static const char *const feed[] = {"personio_feed.xml"};
    assert_int_equal(conn_read(&x, feed, 1, &why), DRV_PAGE_FORM);
    const oa_form *f = &x.form;
    assert_int_equal(oa_form_count_questions(f), 8);
    assert_string_equal(must_field(f, "first_name")->unified_key, "FIRST_NAME");
    assert_string_equal(must_field(f, "last_name")->unified_key, "LAST_NAME");
    assert_string_equal(must_field(f, "email")->unified_key, "EMAIL");
    assert_true(must_field(f, "email")->required);
    assert_string_equal(must_field(f, "attribute:phone")->unified_key, "FULL_PHONE_NUMBER");
    assert_false(must_field(f, "attribute:phone")->required);
    assert_int_equal(must_field(f, "cv")->type, OA_Q_FILE);
    assert_string_equal(must_field(f, "cv")->unified_key, "RESUME");
    assert_int_equal(must_field(f, "attribute:available_from")->type, OA_Q_DATE);
    assert_string_equal(must_field(f, "attribute:available_from")->unified_key,
                        "EXPECTED_START_DATE");
    assert_non_null(by_field(f, "message"));
    assert_non_null(by_field(f, "attribute:salary_expectations"));
    conn_close(&x);
    /* The other position is found too; one not in the feed is closed. */
    conn_open(&x, "https://acme.jobs.personio.de/job/7654321", NULL);
    assert_int_equal(conn_read(&x, feed, 1, &why), DRV_PAGE_FORM);
    conn_close(&x);
    conn_open(&x, "https://acme.jobs.personio.de/job/999", NULL);
    assert_int_equal(conn_read(&x, feed, 1, &why), DRV_PAGE_CLOSED);
    assert_non_null(strstr(why, "position 999 is not in the career site's feed (2 open"));
    free(why);
    conn_close(&x);
    assert_true(drv_personio.closed(404, "", 0));
    assert_false(drv_personio.closed(200, "<workzag-jobs/>", 15));
    /* An empty feed: every position closed. */
    conn_open(&x, "https://acme.jobs.personio.de/job/1", NULL);
    drv_page_kind kind;
    oa_form ef = {0};
    const char *empty = "<?xml version=\"1.0\"?>\n<workzag-jobs/>\n";
    assert_int_equal(
        drv_personio.extract(&x.c, empty, strlen(empty), "https://x", &kind, &ef, &why), OA_OK);
    assert_int_equal(kind, DRV_PAGE_CLOSED);
    free(why);
    conn_close(&x);
}

static void test_personio_bad_feeds(void **state)
{
    (void)state;
    size_t len;
    char *good = fixture("personio_feed.xml", &len);
    char deep[2000];
    size_t off = (size_t)snprintf(deep, sizeof deep, "<workzag-jobs>");
    for (int i = 0; i < 40; i++)
        off += (size_t)snprintf(deep + off, sizeof deep - off, "<a>");
    static const struct {
        const char *body, *why;
    } bad[] = {
        {"", "no root element"},
        {"   ", "no root element"},
        {"not xml at all", "text outside the root"},
        {"<html><body>Not found</body></html>", "not <workzag-jobs>"},
        {"<workzag-jobs><position><id>1234567</id>", "ends inside <position>"},
        {"<workzag-jobs><position><id>1234567</position></workzag-jobs>",
         "</position> closes <id>"},
        {"<workzag-jobs></workzag-jobs><workzag-jobs/>", "a second root"},
        {"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><workzag-jobs/>",
         "document type declaration"},
        {"<workzag-jobs><position><value><![CDATA[ never ends", "CDATA section"},
        {"<workzag-jobs><!-- never ends", "comment"},
        {"<workzag-jobs><position id=\"unterminated></position></workzag-jobs>", "does not end"},
        {"<workzag-jobs><position <id>1</id></position></workzag-jobs>", "'<' inside the tag"},
        {"<workzag-jobs>< position/></workzag-jobs>", "without a proper name"},
        {"<workzag-jobs/>trailing", "text outside the root"},
    };
    conn x;
    conn_open(&x, PS_URL, NULL);
    for (size_t i = 0; i < OA_ARRAY_LEN(bad) + 2; i++) {
        const char *body = i < OA_ARRAY_LEN(bad)    ? bad[i].body
                           : i == OA_ARRAY_LEN(bad) ? deep
                                                    : good;
        size_t n = i == OA_ARRAY_LEN(bad) + 1 ? len / 2 : strlen(body);
        const char *want = i < OA_ARRAY_LEN(bad)    ? bad[i].why
                           : i == OA_ARRAY_LEN(bad) ? "nests deeper than 32"
                                                    : "truncated";
        oa_form f = {0};
        drv_page_kind kind = DRV_PAGE_FORM;
        char *why = NULL;
        oa_status rc = drv_personio.extract(&x.c, body, n, "https://x", &kind, &f, &why);
        if (rc != OA_INVALID || !why || !strstr(why, want))
            fail_msg("feed %zu: rc %d, why %s (expected %s)", i, rc, why ? why : "NULL", want);
        assert_int_equal(kind, DRV_PAGE_NO_FORM);
        free(why);
        oa_form_free(&f);
    }
    /* Entities, character references and CDATA are read as text; a DTD-free BOM'd feed. */
    const char *bom = "\xef\xbb\xbf<workzag-jobs><position><id>&#49;234567</id><name>R&amp;D "
                      "&#x2013; &lt;x&gt;</name></position></workzag-jobs>";
    oa_form f = {0};
    drv_page_kind kind;
    char *why = NULL;
    assert_int_equal(drv_personio.extract(&x.c, bom, strlen(bom), "https://x", &kind, &f, &why),
                     OA_OK);
    assert_int_equal(kind, DRV_PAGE_FORM);
    oa_form_free(&f);
    /* Without the posting's context there is no position to look for. */
    assert_int_equal(drv_personio.extract(NULL, bom, strlen(bom), "https://x", &kind, &f, &why),
                     OA_OK);
    assert_int_equal(kind, DRV_PAGE_NO_FORM);
    free(why);
    conn_close(&x);
    free(good);
}

static json_t *ps_answers(const oa_form *f, bool with_cv)
{
    json_t *a =
        json_pack("[oooooo]", answer(must_field(f, "first_name"), json_string("Lena")),
                  answer(must_field(f, "last_name"), json_string("Schmidt")),
                  answer(must_field(f, "email"), json_string("lena@example.de")),
                  answer(must_field(f, "attribute:phone"), json_string("+49 89 123")),
                  answer(must_field(f, "message"), json_string("Hallo!")),
                  answer(must_field(f, "attribute:available_from"), json_string("2026-05-01")));
    if (with_cv)
        json_array_append_new(a, answer(must_field(f, "cv"), cv()));
    return a;
}

static void test_personio_submit(void **state)
{
    (void)state;
    static const char *const feed[] = {"personio_feed.xml"};
    char *why = NULL;
    conn x;
    /* Without credentials: review, naming what is missing, before any upload. */
    static const struct {
        const char *settings, *names, *not_named;
    } denied[] = {
        {NULL, "connectors.personio.api_key and connectors.personio.company_id", NULL},
        {"{\"api_key\":\"tok\"}", "connectors.personio.company_id", "api_key"},
        {"{\"company_id\":\"42\"}", "connectors.personio.api_key", "company_id"},
    };
    for (size_t i = 0; i < OA_ARRAY_LEN(denied); i++) {
        conn_open(&x, PS_URL, denied[i].settings);
        assert_int_equal(conn_read(&x, feed, 1, &why), DRV_PAGE_FORM);
        oa_answers ans = {0};
        char *msg = NULL, *bad = NULL;
        json_t *a = ps_answers(&x.form, true);
        assert_int_equal(oa_form_validate(&x.form, a, &ans, &msg, &bad), OA_OK);
        drv_request r = {0};
        assert_int_equal(drv_personio.upload_request(&x.c, &x.form, &ans, &r, &why), OA_DENIED);
        assert_non_null(strstr(why, denied[i].names));
        if (denied[i].not_named)
            assert_null(strstr(why, denied[i].not_named));
        free(why);
        drv_request_free(&r);
        oa_answers_free(&ans);
        json_decref(a);
        assert_int_equal(build(&x, ps_answers(&x.form, false), NULL, 0, &r, &why), OA_DENIED);
        free(why);
        drv_request_free(&r);
        conn_close(&x);
    }

    conn_open(&x, PS_URL, "{\"api_key\":\"tok\",\"company_id\":\"42\"}");
    assert_int_equal(conn_read(&x, feed, 1, &why), DRV_PAGE_FORM);
    oa_answers ans = {0};
    char *msg = NULL, *bad = NULL;
    json_t *a = ps_answers(&x.form, true);
    assert_int_equal(oa_form_validate(&x.form, a, &ans, &msg, &bad), OA_OK);
    /* The CV goes first, to the documents endpoint. */
    drv_request r = {0};
    assert_int_equal(drv_personio.upload_request(&x.c, &x.form, &ans, &r, &why), OA_OK);
    assert_string_equal(r.url, "https://api.personio.de/v1/recruiting/applications/documents");
    assert_int_equal(r.body, DRV_BODY_MULTIPART);
    assert_int_equal(r.fields.n, 1);
    assert_string_equal(r.fields.items[0].name, "file");
    assert_true(r.fields.items[0].is_file);
    assert_string_equal(r.fields.items[0].filename, "cv.pdf");
    assert_int_equal(r.fields.items[0].len, 9);
    assert_memory_equal(r.fields.items[0].data, "%PDF-1.4\n", 9);
    assert_true(has_header(&r, "Authorization: Bearer tok"));
    assert_true(has_header(&r, "X-Company-ID: 42"));
    drv_request_free(&r);
    /* After its answer there is nothing more to upload. */
    const char *doc = "{\"uuid\":\"0e6b2a58-5c1d-4a7b-9f2e-3d4c5b6a7980\",\"size\":9,"
                      "\"mimetype\":\"application/pdf\",\"original_filename\":\"cv.pdf\","
                      "\"extension\":\"pdf\"}";
    drv_reply up = {200, "application/json", "https://x", doc, strlen(doc)};
    x.c.replies = &up;
    x.c.n_replies = 1;
    assert_int_equal(drv_personio.upload_request(&x.c, &x.form, &ans, &r, &why), OA_NOT_FOUND);
    drv_request_free(&r);
    x.c.replies = NULL;
    x.c.n_replies = 0;
    oa_answers_free(&ans);
    json_decref(a);
    /* The application names the uploaded document. */
    assert_int_equal(build(&x, ps_answers(&x.form, true), &up, 1, &r, &why), OA_OK);
    assert_string_equal(r.url, "https://api.personio.de/v1/recruiting/applications");
    assert_true(has_header(&r, "Authorization: Bearer tok"));
    assert_true(has_header(&r, "X-Company-ID: 42"));
    assert_string_equal(r.raw_type, "application/json");
    json_t *b = json_loads(r.raw, 0, NULL);
    assert_non_null(b);
    assert_int_equal(json_integer_value(json_object_get(b, "job_position_id")), 1234567);
    assert_string_equal(json_string_value(json_object_get(b, "first_name")), "Lena");
    assert_string_equal(json_string_value(json_object_get(b, "last_name")), "Schmidt");
    assert_string_equal(json_string_value(json_object_get(b, "email")), "lena@example.de");
    assert_string_equal(json_string_value(json_object_get(b, "message")), "Hallo!");
    json_t *attrs = json_object_get(b, "attributes");
    assert_int_equal(json_array_size(attrs), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(attrs, 0), "id")),
                        "phone");
    assert_string_equal(json_string_value(json_object_get(json_array_get(attrs, 1), "value")),
                        "2026-05-01");
    json_t *file = json_array_get(json_object_get(b, "files"), 0);
    assert_string_equal(json_string_value(json_object_get(file, "uuid")),
                        "0e6b2a58-5c1d-4a7b-9f2e-3d4c5b6a7980");
    assert_string_equal(json_string_value(json_object_get(file, "original_filename")), "cv.pdf");
    assert_string_equal(json_string_value(json_object_get(file, "category")), "cv");
    json_decref(b);
    drv_request_free(&r);
    /* A CV without its upload's answer, or an answer without a uuid, is not sent. */
    assert_int_equal(build(&x, ps_answers(&x.form, true), NULL, 0, &r, &why), OA_INVALID);
    assert_non_null(strstr(why, "not uploaded"));
    free(why);
    drv_request_free(&r);
    drv_reply nouuid = {200, NULL, "https://x", "{}", 2};
    assert_int_equal(build(&x, ps_answers(&x.form, true), &nouuid, 1, &r, &why), OA_INVALID);
    assert_non_null(strstr(why, "without a uuid"));
    free(why);
    drv_request_free(&r);
    conn_close(&x);
    /* The documented error shape. */
    const char *err = "{\"errors\":[{\"field\":\"email\",\"errors\":[{\"reason\":"
                      "\"errors.applicant-already-exists\"}]}]}";
    assert_int_equal(drv_personio.classify(400, "application/json", err, strlen(err), &why),
                     DRV_REJECTED);
    assert_non_null(strstr(why, "applicant-already-exists"));
    free(why);
    assert_int_equal(drv_personio.classify(429, NULL, "", 0, &why), DRV_TRANSIENT);
    free(why);
    assert_int_equal(drv_personio.classify(201, NULL, "", 0, &why), DRV_SUBMITTED);
    free(why);
}

int main(void)
{
    fetch_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_chain),
        cmocka_unit_test(test_upload_chain),
        cmocka_unit_test(test_smartrecruiters_urls),
        cmocka_unit_test(test_smartrecruiters_next_request),
        cmocka_unit_test(test_smartrecruiters_standard_form),
        cmocka_unit_test(test_smartrecruiters_questions),
        cmocka_unit_test(test_smartrecruiters_consent_single),
        cmocka_unit_test(test_smartrecruiters_bad_json),
        cmocka_unit_test(test_workday),
        cmocka_unit_test(test_workday_bad_json),
        cmocka_unit_test(test_personio_urls),
        cmocka_unit_test(test_personio_feed),
        cmocka_unit_test(test_personio_bad_feeds),
        cmocka_unit_test(test_personio_submit),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    fetch_global_cleanup();
    return rc;
}
