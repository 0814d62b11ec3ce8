/*
 * parse.c - the parse job: the posting's driver says what to fetch (the page itself, or an ATS
 * API), fetches it, finds the form, and the outcome is recorded. Used for the first parse, retries
 * of failed parses and the scheduled re-checks.
 *
 *   the driver's "closed" answer (404, ...)    -> taken offline (ARCHIVED)
 *   2xx with an application form               -> parsed (APPLYABLE, maybe a new revision)
 *   anything else (no form, 5xx, timeout ...)  -> failed (UNAVAILABLE, or stays APPLYABLE)
 */
#include <stdlib.h>
#include <string.h>

#include "drivers/driver.h"
#include "drivers/fetch.h"
#include "jobs/jobs.h"
#include "util/log.h"

struct load_ctx {
    const char *id;
    oa_posting p;
};

static oa_status load_tx(oa_tx *tx, void *arg)
{
    struct load_ctx *c = arg;
    oa_posting_clear(&c->p);
    return store_posting_get(tx, NULL, c->id, &c->p);
}

void jobs_run_parse(const jobs_env *env, const store_job *j)
{
    struct load_ctx lc = {j->ref_id, {0}};
    oa_status rc = store_transact(env->svc->store, STORE_READ, load_tx, &lc);
    if (rc != OA_OK) {
        /* Gone or unreadable: the result call drops or reschedules as the store says. */
        if (rc == OA_NOT_FOUND)
            rc = svc_parse_result(env->svc, j, SVC_PARSE_FAILED, NULL, "posting not found");
        oa_posting_clear(&lc.p);
        return;
    }
    fetch_opts fo = {env->cfg->allow_private, env->cfg->fetch_timeout_ms, DRV_MAX_PAGE_BYTES,
                     env->abort};
    fetch_session *fs = fetch_session_new(&fo);
    jobs_reads reads = {0};
    char *why = NULL;
    svc_parse_kind kind = SVC_PARSE_FAILED;
    bool browsed = false;
    char *reason = NULL;
    oa_form form = {0};
    jobs_driver jd;
    jobs_driver_open(env, &lc.p, lc.p.url, &jd);
    const drv_driver *d = jd.target.driver;
    drv_request req = {0};
    rc = d->form_request(&jd.ctx, &req, &why);
    if (rc != OA_OK) {
        reason =
            xasprintf("the %s connector cannot read this posting: %s", d->name, why ? why : "?");
        goto record;
    }
    oa_status fetch_rc = OA_OK;
    jobs_read read = jobs_read_form(fs, &jd, &req, &reads, &fetch_rc, &why);
    if (env->abort && atomic_load(env->abort))
        goto out; /* shutting down: record nothing, the lease goes back to the queue */
    const fetch_result *res = jobs_reads_last(&reads);
    const char *what = d == &drv_html ? "the page" : "the job board API";
    if (read == JOBS_READ_FETCH) {
        reason = xasprintf("fetching %s failed: %s", what, why ? why : "?");
    } else if (read == JOBS_READ_DRIVER) {
        reason =
            xasprintf("the %s connector cannot read this posting: %s", d->name, why ? why : "?");
    } else if (read == JOBS_READ_CLOSED) {
        kind = SVC_PARSE_OFFLINE;
        reason = xasprintf("%s answered HTTP %ld: the job is closed", what, res->status);
    } else if (read == JOBS_READ_STATUS) {
        reason = xasprintf("%s answered HTTP %ld", what, res->status);
    } else if (read == JOBS_READ_TYPE) {
        reason = xasprintf("%s answered %s, not a form", what, res->content_type);
    } else {
        drv_page_kind pk = DRV_PAGE_NO_FORM;
        char *dwhy = NULL;
        oa_status drc = d->extract(&jd.ctx, oa_buf_cstr(&res->body), res->body.len, res->final_url,
                                   &pk, &form, &dwhy);
        if (drc == OA_OK && pk == DRV_PAGE_NO_FORM && d == &drv_html && env->cfg->browsers &&
            jobs_page_scripted(oa_buf_cstr(&res->body), res->body.len)) {
            /* The page may build its form with scripts: render it and look again. */
            char *bwhy = NULL;
            oa_form_free(&form);
            oa_status brc = jobs_browse_extract(env, &jd, res->final_url, &pk, &form, &bwhy);
            if (env->abort && atomic_load(env->abort)) {
                free(bwhy);
                free(dwhy);
                goto out;
            }
            browsed = true;
            free(dwhy);
            dwhy = NULL;
            if (brc != OA_OK || pk != DRV_PAGE_FORM)
                dwhy = xasprintf("%s (also after rendering its scripts in a browser%s%s)",
                                 brc == OA_INVALID ? "the browser's guard refused the page"
                                                   : "no application form in the page",
                                 bwhy ? ": " : "", bwhy ? bwhy : "");
            if (brc != OA_OK)
                pk = DRV_PAGE_NO_FORM;
            free(bwhy);
        }
        if (drc != OA_OK) {
            reason =
                xasprintf("%s could not be parsed: %s", what, dwhy ? dwhy : oa_status_str(drc));
        } else if (pk == DRV_PAGE_FORM) {
            kind = SVC_PARSE_OK;
        } else if (pk == DRV_PAGE_CLOSED) {
            kind = SVC_PARSE_OFFLINE;
            reason = xasprintf("%s says the job is closed%s%s", what, dwhy ? ": " : "",
                               dwhy ? dwhy : "");
        } else {
            reason = xasprintf("no application form found%s%s", dwhy ? ": " : "", dwhy ? dwhy : "");
        }
        free(dwhy);
    }
record:
    oa_log(kind == SVC_PARSE_OK ? OA_LOG_INFO : OA_LOG_WARN, "jobs.parsed",
           "posting_id=%s driver=%s%s outcome=%s%s%s", j->ref_id, d->name,
           browsed ? "+browser" : "",
           kind == SVC_PARSE_OK        ? "form"
           : kind == SVC_PARSE_OFFLINE ? "offline"
                                       : "failed",
           reason ? " reason=" : "", reason ? reason : "");
    rc = svc_parse_result(env->svc, j, kind, kind == SVC_PARSE_OK ? &form : NULL, reason);
    if (rc != OA_OK)
        oa_log(OA_LOG_ERROR, "jobs.parse_result_failed", "posting_id=%s status=%s", j->ref_id,
               oa_status_str(rc));
    atomic_fetch_add(kind == SVC_PARSE_OK        ? &env->stats->parsed_ok
                     : kind == SVC_PARSE_OFFLINE ? &env->stats->parsed_offline
                                                 : &env->stats->parsed_failed,
                     1);
out:
    drv_request_free(&req);
    jobs_reads_free(&reads, &jd);
    jobs_driver_close(&jd);
    oa_form_free(&form);
    free(reason);
    free(why);
    fetch_session_free(fs);
    oa_posting_clear(&lc.p);
}
