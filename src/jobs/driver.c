/* driver.c - a posting's driver for a job: its target, its API roots, its career-site settings,
 * and reading a form through it (one request or the driver's chain of them). */
#include <stdlib.h>
#include <string.h>

#include "jobs/jobs.h"
#include "util/log.h"

void jobs_driver_open(const jobs_env *env, const oa_posting *p, const char *posting_url,
                      jobs_driver *out)
{
    memset(out, 0, sizeof *out);
    drv_match(p->url, &out->target);
    const drv_driver *d = out->target.driver;
    if (d->default_base) {
        out->base = drv_base_for(&out->target);
        out->submit_base = drv_submit_base_for(&out->target);
        oa_status rc = svc_site_connector(env->svc, p->tenant, p->site_id, d->name, &out->settings);
        if (rc != OA_OK && rc != OA_NOT_FOUND)
            oa_log(OA_LOG_WARN, "jobs.connector_settings_unreadable",
                   "posting_id=%s driver=%s status=%s", p->id, d->name, oa_status_str(rc));
    }
    out->ctx.target = &out->target;
    out->ctx.posting_url = posting_url;
    out->ctx.base = out->base;
    out->ctx.submit_base = out->submit_base;
    out->ctx.settings = out->settings;
}

void jobs_driver_close(jobs_driver *jd)
{
    drv_target_free(&jd->target);
    free(jd->base);
    free(jd->submit_base);
    json_decref(jd->settings);
    memset(jd, 0, sizeof *jd);
}

bool jobs_content_ok(const drv_driver *d, const char *ct)
{
    if (!ct || !d->content_types)
        return true;
    for (const char *const *t = d->content_types; *t; t++)
        if (strstr(ct, *t))
            return true;
    return false;
}

jobs_read jobs_read_form(fetch_session *fs, jobs_driver *jd, const drv_request *first,
                         jobs_reads *r, oa_status *fetch_rc, char **why)
{
    memset(r, 0, sizeof *r);
    *fetch_rc = OA_OK;
    const drv_driver *d = jd->target.driver;
    drv_request next = {0};
    const drv_request *req = first;
    jobs_read out = JOBS_READ_OK;
    for (;;) {
        fetch_result *res = &r->res[r->n];
        free(*why);
        *why = NULL;
        oa_status rc = fetch_send(fs, req, res, why);
        r->replies[r->n] = (drv_reply){res->status, res->content_type, res->final_url,
                                       oa_buf_cstr(&res->body), res->body.len};
        r->n++;
        jd->ctx.replies = r->replies;
        jd->ctx.n_replies = r->n;
        drv_request_free(&next);
        if (rc != OA_OK) {
            *fetch_rc = rc;
            out = JOBS_READ_FETCH;
        } else if (d->closed(res->status, oa_buf_cstr(&res->body), res->body.len)) {
            out = JOBS_READ_CLOSED;
        } else if (res->status < 200 || res->status >= 300) {
            out = JOBS_READ_STATUS;
        } else if (!jobs_content_ok(d, res->content_type)) {
            out = JOBS_READ_TYPE;
        } else if (d->next_request) {
            rc = d->next_request(&jd->ctx, &next, why);
            if (rc == OA_OK && r->n < DRV_MAX_READS) {
                req = &next;
                continue;
            }
            drv_request_free(&next);
            if (rc == OA_OK) {
                free(*why);
                *why = xasprintf("the connector asks for more than %d reads", DRV_MAX_READS);
            } else if (rc == OA_NOT_FOUND) {
                free(*why);
                *why = NULL;
            }
            out = rc == OA_NOT_FOUND ? JOBS_READ_OK : JOBS_READ_DRIVER;
        }
        return out;
    }
}

fetch_result *jobs_reads_last(jobs_reads *r)
{
    return r->n ? &r->res[r->n - 1] : &r->res[0];
}

void jobs_reads_free(jobs_reads *r, jobs_driver *jd)
{
    for (size_t i = 0; i < r->n; i++)
        fetch_result_free(&r->res[i]);
    r->n = 0;
    if (jd && jd->ctx.replies == r->replies) {
        jd->ctx.replies = NULL;
        jd->ctx.n_replies = 0;
    }
}

jobs_upload jobs_send_uploads(fetch_session *fs, jobs_driver *jd, const oa_form *fresh,
                              const oa_answers *ans, jobs_uploads *u, const atomic_bool *abort,
                              char **why)
{
    const drv_driver *d = jd->target.driver;
    *why = NULL;
    jd->ctx.replies = u->replies;
    jd->ctx.n_replies = u->n;
    if (!d->upload_request)
        return JOBS_UPLOAD_OK;
    for (;;) {
        drv_request req = {0};
        oa_status rc = d->upload_request(&jd->ctx, fresh, ans, &req, why);
        if (rc == OA_OK && u->n == DRV_MAX_UPLOADS) {
            free(*why);
            *why = xasprintf("the connector asks for more than %d uploads", DRV_MAX_UPLOADS);
            rc = OA_INVALID;
        }
        if (rc != OA_OK || (abort && atomic_load(abort))) {
            drv_request_free(&req);
            if (rc == OA_NOT_FOUND) {
                free(*why);
                *why = NULL;
                return JOBS_UPLOAD_OK;
            }
            return rc == OA_DENIED ? JOBS_UPLOAD_DENIED
                   : rc != OA_OK   ? JOBS_UPLOAD_INVALID
                                   : JOBS_UPLOAD_ABORTED;
        }
        fetch_result *res = &u->res[u->n];
        free(*why);
        *why = NULL;
        rc = fetch_send(fs, &req, res, why);
        drv_request_free(&req);
        u->replies[u->n] = (drv_reply){res->status, res->content_type, res->final_url,
                                       oa_buf_cstr(&res->body), res->body.len};
        u->n++;
        jd->ctx.n_replies = u->n;
        if (abort && atomic_load(abort))
            return JOBS_UPLOAD_ABORTED;
        if (rc == OA_INVALID)
            return JOBS_UPLOAD_REFUSED;
        if (rc != OA_OK)
            return JOBS_UPLOAD_FAILED;
        if (res->status < 200 || res->status >= 300)
            return JOBS_UPLOAD_STATUS;
    }
}

void jobs_uploads_free(jobs_uploads *u, jobs_driver *jd)
{
    for (size_t i = 0; i < u->n; i++)
        fetch_result_free(&u->res[i]);
    u->n = 0;
    if (jd && jd->ctx.replies == u->replies) {
        jd->ctx.replies = NULL;
        jd->ctx.n_replies = 0;
    }
}
