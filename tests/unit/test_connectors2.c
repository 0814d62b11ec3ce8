/*
 * test_connectors2.c - the jobs' request chains against a local HTTP server: a form read with
 * several requests (next_request), uploads before a submission (upload_request), their bounds,
 * and how a closed, failing or aborted chain ends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

#ifndef OA_SOURCE_DIR
#define OA_SOURCE_DIR "."
#endif

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

int main(void)
{
    fetch_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_chain),
        cmocka_unit_test(test_upload_chain),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    fetch_global_cleanup();
    return rc;
}
