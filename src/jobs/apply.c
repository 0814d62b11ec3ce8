/*
 * apply.c - the apply job: read the form again through the posting's driver (the page, in a
 * fresh session so that the CSRF token and its cookie match, or the ATS's API), let the driver
 * build the submission from the stored answers in the site's own field names, send it, and
 * let the driver classify the answer.
 *
 *   2xx/3xx without an error marker              -> SUBMITTED
 *   5xx, 429, timeouts, resets                   -> retried on the schedule, then review
 *   4xx, an error page, no form any more         -> review queue (still PENDING)
 *   the driver's "closed" answer (404, ...)      -> the posting is archived (application FAILED)
 *   credentials the connector needs are missing  -> review queue, saying which
 *
 * A connector may read the form with a short chain of requests (jobs_read_form) and upload
 * documents before the submission; uploads are not the application and may be repeated by a
 * retried attempt, the submission itself goes out at most once.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/driver.h"
#include "drivers/fetch.h"
#include "jobs/jobs.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/text.h"

typedef struct {
    svc_apply_kind kind;
    char *reason;
    bool lease_lost; /* another worker may hold the job now: record nothing */
    bool unknown;    /* sent without a complete answer: recorded (review) even when stopping */
    /* What the operator sees of the attempt (apply_attempts): the step it ended in and the
     * last answer of the career site. */
    const char *driver; /* static: the driver's name */
    const char *step;
    long http_status;
    char *url;
    char *excerpt;
} outcome;

static void set(outcome *o, svc_apply_kind k, char *reason_take)
{
    o->kind = k;
    free(o->reason);
    o->reason = reason_take;
}

/* Maps the stored [{question_id, answer}] onto the revision's questions. */
/* Keeps the career site's answer to the attempt's last request: its status, its URL without
 * the query (which can carry a connector's key) and the start of its body. */
static void keep(outcome *o, const char *step, const fetch_result *res, const char *url)
{
    o->step = step;
    free(o->url);
    free(o->excerpt);
    o->url = NULL;
    o->excerpt = NULL;
    o->http_status = res ? res->status : 0;
    const char *u = res && res->final_url ? res->final_url : url;
    if (u)
        o->url = xstrndup(u, strcspn(u, "?#"));
    if (res && res->status && res->body.len) {
        size_t n = res->body.len < STORE_EXCERPT_MAX ? res->body.len : STORE_EXCERPT_MAX;
        o->excerpt = xstrndup(oa_buf_cstr(&res->body), n);
        n = strlen(o->excerpt); /* a NUL in the body ends the excerpt */
        oa_text_clean(o->excerpt, &n);
    }
}

static oa_status to_answers(const oa_form *form, json_t *arr, oa_answers *out, char **why)
{
    out->items = NULL;
    out->n = 0;
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item)
    {
        const char *qid = json_string_value(json_object_get(item, "question_id"));
        const oa_block *q = qid ? oa_form_find_question(form, qid) : NULL;
        if (!q) {
            oa_answers_free(out);
            *why = xasprintf("stored answer %zu names no question of its form revision", i);
            return OA_INVALID;
        }
        out->items = xrealloc(out->items, (out->n + 1) * sizeof *out->items);
        out->items[out->n].q = q;
        out->items[out->n].answer = json_object_get(item, "answer");
        out->n++;
    }
    return OA_OK;
}

static const char *kind_name(svc_apply_kind k)
{
    switch (k) {
    case SVC_APPLY_SUBMITTED:
        return "submitted";
    case SVC_APPLY_REVIEW:
        return "review";
    case SVC_APPLY_RETRY:
        return "retry";
    case SVC_APPLY_OFFLINE:
        return "offline";
    }
    return "?";
}

static bool transient_status(long st)
{
    return st == 408 || st == 425 || st == 429 || st >= 500;
}

/* Sends the driver's uploads; false when the attempt ends there (*o says why). */
static bool upload(const jobs_env *env, fetch_session *fs, jobs_driver *jd, const oa_form *fresh,
                   const oa_answers *ans, jobs_uploads *u, outcome *o)
{
    const drv_driver *d = jd->target.driver;
    char *why = NULL;
    jobs_upload k = jobs_send_uploads(fs, jd, fresh, ans, u, env->abort, &why);
    const fetch_result *res = u->n ? &u->res[u->n - 1] : NULL;
    if (k != JOBS_UPLOAD_OK)
        keep(o, "upload", res, NULL);
    switch (k) {
    case JOBS_UPLOAD_OK:
    case JOBS_UPLOAD_ABORTED: /* shutting down: nothing is recorded */
        break;
    case JOBS_UPLOAD_DENIED:
        set(o, SVC_APPLY_REVIEW,
            xasprintf("the %s connector cannot submit: %s", d->name, why ? why : "?"));
        break;
    case JOBS_UPLOAD_INVALID:
        set(o, SVC_APPLY_REVIEW, xasprintf("building the submission failed: %s", why ? why : "?"));
        break;
    case JOBS_UPLOAD_REFUSED:
        set(o, SVC_APPLY_REVIEW,
            xasprintf("uploading a document was refused: %s", why ? why : "?"));
        break;
    case JOBS_UPLOAD_FAILED:
        /* Not the application: even without a complete answer, trying again is safe. */
        set(o, SVC_APPLY_RETRY, xasprintf("uploading a document failed: %s", why ? why : "?"));
        break;
    case JOBS_UPLOAD_STATUS: {
        char *cwhy = NULL;
        drv_outcome c = d->classify(res->status, res->content_type, oa_buf_cstr(&res->body),
                                    res->body.len, &cwhy);
        set(o, c == DRV_TRANSIENT ? SVC_APPLY_RETRY : SVC_APPLY_REVIEW,
            xasprintf("uploading a document: %s", cwhy ? cwhy : "the site answered an error"));
        free(cwhy);
        break;
    }
    }
    free(why);
    return k == JOBS_UPLOAD_OK;
}

static void attempt(const jobs_env *env, const store_job *j, svc_apply_work *w, outcome *o)
{
    fetch_opts fo = {env->cfg->allow_private, env->cfg->fetch_timeout_ms, DRV_MAX_PAGE_BYTES,
                     env->abort};
    fetch_session *fs = fetch_session_new(&fo);
    fetch_result post = {0};
    jobs_reads reads = {0};
    jobs_uploads ups = {0};
    oa_form fresh = {0};
    bool have_fresh = false;
    oa_answers ans = {0};
    drv_request read = {0}, sub = {0};
    jobs_driver jd = {0};
    bool opened = false;
    char *why = NULL;
    char *page_url = fetch_url_with_query(w->posting.url, NULL, w->query_params);
    if (!page_url) {
        set(o, SVC_APPLY_REVIEW, xstrdup("the posting URL cannot be parsed"));
        goto out;
    }
    jobs_driver_open(env, &w->posting, page_url, &jd);
    opened = true;
    const drv_driver *d = jd.target.driver;
    o->driver = d->name;
    if (w->form.rendered) {
        /* Parsed from the page as the browser rendered it: a plain POST would miss what its
         * scripts do. Nothing is sent; a human applies. */
        set(o, SVC_APPLY_REVIEW,
            xstrdup("this application form is built by the page's scripts; the engine reads "
                    "such forms through its browser but does not submit them yet, so nothing "
                    "was sent: apply on the career site by hand"));
        goto out;
    }
    oa_status rc = d->form_request(&jd.ctx, &read, &why);
    if (rc != OA_OK) {
        set(o, SVC_APPLY_REVIEW,
            xasprintf("the %s connector cannot read this posting: %s", d->name, why ? why : "?"));
        goto out;
    }
    /* At most JOBS_MAX_FETCHES requests per attempt: the extra views, the form's reads, the
     * uploads, the POST. */
    int64_t clicks = w->app.additional_clicks;
    int64_t max_clicks = JOBS_MAX_FETCHES - 1 - (d->next_request ? DRV_MAX_READS : 1) -
                         (d->upload_request ? DRV_MAX_UPLOADS : 0);
    if (clicks > max_clicks)
        clicks = max_clicks;
    for (int64_t i = 0; i < clicks; i++) {
        fetch_result extra = {0};
        char *ewhy = NULL;
        if (fetch_get(fs, page_url, &extra, &ewhy) != OA_OK)
            i = clicks; /* the real visit below reports the problem */
        fetch_result_free(&extra);
        free(ewhy);
    }
    oa_status fetch_rc = OA_OK;
    jobs_read rd = jobs_read_form(fs, &jd, &read, &reads, &fetch_rc, &why);
    const fetch_result *page = jobs_reads_last(&reads);
    keep(o, "read", page, read.url);
    if (rd == JOBS_READ_FETCH &&
        (fetch_rc == OA_AGAIN || fetch_rc == OA_TOO_LARGE || fetch_rc == OA_ERR)) {
        set(o, SVC_APPLY_RETRY, xasprintf("reading the form failed: %s", why ? why : "?"));
        goto out;
    }
    if (rd == JOBS_READ_FETCH) {
        set(o, SVC_APPLY_REVIEW, xasprintf("reading the form was refused: %s", why ? why : "?"));
        goto out;
    }
    if (rd == JOBS_READ_DRIVER) {
        set(o, SVC_APPLY_REVIEW,
            xasprintf("the %s connector cannot read this posting: %s", d->name, why ? why : "?"));
        goto out;
    }
    if (rd == JOBS_READ_CLOSED) {
        set(o, SVC_APPLY_OFFLINE,
            xasprintf("the posting is gone (HTTP %ld from %s)", page->status,
                      d == &drv_html ? "the posting page" : "the job board API"));
        goto out;
    }
    if (rd == JOBS_READ_STATUS && transient_status(page->status)) {
        set(o, SVC_APPLY_RETRY, xasprintf("reading the form answered HTTP %ld", page->status));
        goto out;
    }
    if (rd == JOBS_READ_STATUS) {
        set(o, SVC_APPLY_REVIEW, xasprintf("reading the form answered HTTP %ld", page->status));
        goto out;
    }
    drv_page_kind pk = DRV_PAGE_NO_FORM;
    char *dwhy = NULL;
    rc = rd == JOBS_READ_OK ? d->extract(&jd.ctx, oa_buf_cstr(&page->body), page->body.len,
                                         page->final_url, &pk, &fresh, &dwhy)
                            : OA_INVALID;
    have_fresh = rc == OA_OK && pk == DRV_PAGE_FORM;
    if (rc == OA_OK && pk == DRV_PAGE_CLOSED) {
        set(o, SVC_APPLY_OFFLINE, xasprintf("the posting says the job is closed"));
        free(dwhy);
        goto out;
    }
    if (!have_fresh) {
        set(o, SVC_APPLY_REVIEW,
            xasprintf("the application form is no longer there%s%s", dwhy ? ": " : "",
                      dwhy ? dwhy : ""));
        free(dwhy);
        goto out;
    }
    free(dwhy);
    free(why);
    why = NULL;
    jd.ctx.form_url = page->final_url;
    jd.ctx.replies = NULL; /* the reads' answers are the form's, not the submission's */
    jd.ctx.n_replies = 0;
    rc = to_answers(&w->form, w->answers, &ans, &why);
    if (rc == OA_OK && d->upload_request && !upload(env, fs, &jd, &fresh, &ans, &ups, o))
        goto out;
    if (rc == OA_OK)
        rc = d->submission(&jd.ctx, &w->form, &fresh, &ans, &sub, &why);
    if (rc != OA_OK && o->step && strcmp(o->step, "read") == 0)
        o->step = "submit"; /* building it failed: the form's page stays the last answer */
    if (rc == OA_DENIED) {
        set(o, SVC_APPLY_REVIEW,
            xasprintf("the %s connector cannot submit: %s", d->name, why ? why : "?"));
        goto out;
    }
    if (rc != OA_OK) {
        set(o, SVC_APPLY_REVIEW, xasprintf("building the submission failed: %s", why ? why : "?"));
        goto out;
    }
    /* From here on the application may reach the site: mark it under our lease first, so that
     * it is never sent twice (a lost lease means another worker may have it: do not send). */
    if (env->abort && atomic_load(env->abort))
        goto out;
    rc = svc_apply_sending(env->svc, j);
    if (rc != OA_OK) {
        o->lease_lost = true;
        goto out;
    }
    rc = fetch_send(fs, &sub, &post, &why);
    keep(o, "submit", &post, sub.url);
    if (post.outcome_unknown) {
        set(o, SVC_APPLY_REVIEW,
            xasprintf("the submission was sent but no complete answer came back (%s); whether "
                      "the career site received it is unknown, so it is not sent again",
                      why ? why : "?"));
        o->unknown = true;
        goto out;
    }
    if (env->abort && atomic_load(env->abort))
        goto out;
    if (rc == OA_AGAIN || rc == OA_ERR) {
        set(o, SVC_APPLY_RETRY, xasprintf("submitting failed: %s", why ? why : "?"));
        goto out;
    }
    if (rc == OA_INVALID) {
        set(o, SVC_APPLY_REVIEW, xasprintf("submitting was refused: %s", why ? why : "?"));
        goto out;
    }
    char *cwhy = NULL;
    drv_outcome dout =
        d->classify(post.status, post.content_type, oa_buf_cstr(&post.body), post.body.len, &cwhy);
    switch (dout) {
    case DRV_SUBMITTED:
        set(o, SVC_APPLY_SUBMITTED, cwhy);
        break;
    case DRV_TRANSIENT:
        set(o, SVC_APPLY_RETRY, cwhy ? cwhy : xasprintf("the site answered HTTP %ld", post.status));
        break;
    case DRV_REJECTED:
        set(o, SVC_APPLY_REVIEW,
            cwhy ? cwhy : xasprintf("the site answered HTTP %ld", post.status));
        break;
    }
out:
    if (opened)
        oa_log(OA_LOG_INFO, "jobs.apply_attempt", "application_id=%s driver=%s outcome=%s",
               j->ref_id, jd.target.driver->name, kind_name(o->kind));
    drv_request_free(&read);
    drv_request_free(&sub);
    jobs_reads_free(&reads, opened ? &jd : NULL);
    jobs_uploads_free(&ups, opened ? &jd : NULL);
    if (opened)
        jobs_driver_close(&jd);
    oa_answers_free(&ans);
    oa_form_free(&fresh);
    fetch_result_free(&post);
    free(page_url);
    free(why);
    fetch_session_free(fs);
}

static int64_t with_jitter(int64_t ms)
{
    uint32_t r;
    oa_random_bytes(&r, sizeof r);
    int64_t j = ms / 10;
    return ms - j + (j ? (int64_t)(r % (uint32_t)(2 * j + 1)) : 0);
}

void jobs_run_apply(const jobs_env *env, const store_job *j)
{
    svc_apply_work w;
    oa_status rc = svc_apply_begin(env->svc, j, &w);
    if (rc == OA_NOT_FOUND)
        return; /* settled without submitting (duplicate, final, or cancelled) */
    if (rc != OA_OK) {
        oa_log(OA_LOG_ERROR, "jobs.apply_begin_failed", "application_id=%s status=%s", j->ref_id,
               oa_status_str(rc));
        return; /* the lease runs out and the job comes back */
    }
    outcome o = {SVC_APPLY_REVIEW, NULL, false, false, drv_html.name, "read", 0, NULL, NULL};
    int64_t started = oa_now_ms();
    attempt(env, j, &w, &o);
    if (o.lease_lost || (!o.unknown && env->abort && atomic_load(env->abort))) {
        free(o.reason);
        free(o.url);
        free(o.excerpt);
        svc_apply_work_free(&w);
        return; /* shutting down mid-attempt: nothing recorded, the lease goes back */
    }
    int64_t retry_at = 0;
    if (o.kind == SVC_APPLY_RETRY) {
        size_t n = (size_t)w.app.attempts;
        if (n < env->cfg->n_apply_retry) {
            retry_at = oa_now_ms() + with_jitter(env->cfg->apply_retry[n]);
        } else {
            char *r = xasprintf("gave up after %zu attempts; last: %s", n + 1, o.reason);
            set(&o, SVC_APPLY_REVIEW, r);
        }
    }
    svc_apply_record rec = {o.driver, o.step, started, o.http_status, o.url, o.excerpt};
    rc = svc_apply_result(env->svc, j, o.kind, o.reason, retry_at, &rec);
    if (rc != OA_OK)
        oa_log(OA_LOG_ERROR, "jobs.apply_result_failed", "application_id=%s status=%s", j->ref_id,
               oa_status_str(rc));
    atomic_fetch_add(o.kind == SVC_APPLY_SUBMITTED ? &env->stats->applied_ok
                     : o.kind == SVC_APPLY_RETRY   ? &env->stats->applied_retry
                     : o.kind == SVC_APPLY_OFFLINE ? &env->stats->applied_offline
                                                   : &env->stats->applied_review,
                     1);
    free(o.reason);
    free(o.url);
    free(o.excerpt);
    svc_apply_work_free(&w);
}
