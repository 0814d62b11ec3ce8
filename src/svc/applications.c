/* applications.c - inquire, apply, the apply job's begin/result, and manual review. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/internal.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/text.h"

static const char *const KIND_NAMES[] = {"submitted", "review", "retry", "offline"};

static oa_status record_attempt(oa_tx *tx, const char *app_id, const svc_apply_record *r,
                                const char *outcome, const char *reason, int64_t now)
{
    oa_apply_attempt a = {0};
    snprintf(a.application_id, sizeof a.application_id, "%s", app_id);
    a.started_at = r && r->started_at ? r->started_at : now;
    a.finished_at = now;
    snprintf(a.driver, sizeof a.driver, "%s", r && r->driver ? r->driver : "");
    snprintf(a.step, sizeof a.step, "%s", r && r->step ? r->step : "submit");
    snprintf(a.outcome, sizeof a.outcome, "%s", outcome);
    a.reason = reason ? xstrndup(reason, 2000) : NULL;
    a.http_status = r ? r->http_status : 0;
    a.url = r && r->url ? xstrndup(r->url, 2000) : NULL;
    a.excerpt = r && r->excerpt ? xstrndup(r->excerpt, STORE_EXCERPT_MAX) : NULL;
    oa_status rc = store_apply_attempt_insert(tx, &a);
    free(a.reason);
    free(a.url);
    free(a.excerpt);
    return rc;
}

/* ---- inquire ---- */

struct inquire_ctx {
    const char *tenant;
    const char *posting_id;
    char revision_id[OA_ID_SIZE];
    char *form_json;
    char *why;
};

static oa_status inquire_tx(oa_tx *tx, void *arg)
{
    struct inquire_ctx *c = arg;
    oa_posting p = {0};
    oa_status rc = store_posting_get(tx, c->tenant, c->posting_id, &p);
    if (rc != OA_OK)
        goto out;
    if (p.state.av != OA_AV_APPLYABLE || !p.revision_id) {
        free(c->why);
        c->why = xasprintf("job posting %s is not applyable (availability %s)", p.id,
                           oa_availability_name(p.state.av));
        rc = OA_CONFLICT;
        goto out;
    }
    snprintf(c->revision_id, sizeof c->revision_id, "%s", p.revision_id);
    free(c->form_json);
    c->form_json = NULL;
    rc = store_revision_get(tx, p.revision_id, &c->form_json, NULL);
out:
    oa_posting_clear(&p);
    return rc;
}

static oa_status load_form(const char *json, oa_form *out)
{
    json_t *j = json_loads(json, 0, NULL);
    oa_status rc = j ? oa_form_from_json(j, out) : OA_ERR;
    json_decref(j);
    return rc == OA_OK ? OA_OK : OA_ERR;
}

oa_status svc_inquire(svc *s, const char *tenant, const char *posting_id, json_t **form,
                      char **token, char **why)
{
    *form = NULL;
    *token = NULL;
    *why = NULL;
    struct inquire_ctx c = {tenant, posting_id, "", NULL, NULL};
    oa_status rc = store_transact(s->store, STORE_READ, inquire_tx, &c);
    if (rc == OA_OK) {
        oa_form f;
        rc = load_form(c.form_json, &f);
        if (rc == OA_OK) {
            *form = oa_form_to_json(&f, OA_FORM_PUBLIC);
            oa_form_free(&f);
            oa_token_claims cl = {0};
            snprintf(cl.tenant, sizeof cl.tenant, "%s", tenant);
            memcpy(cl.posting_id, posting_id, OA_ID_SIZE);
            memcpy(cl.revision_id, c.revision_id, OA_ID_SIZE);
            cl.issued_at = oa_now_ms();
            cl.expires_at = cl.issued_at + OA_TOKEN_TTL_MS;
            *token = core_token_issue(s->token_key, sizeof s->token_key, &cl);
        }
    }
    free(c.form_json);
    *why = c.why;
    return rc;
}

/* ---- apply ---- */

struct apply_ctx {
    svc *s;
    const char *tenant;
    oa_token_claims *cl;
    const char *email_lower;
    const char *answers_json;
    const char *query_json;
    const svc_apply_req *req;
    char *form_json; /* read phase */
    oa_application *out;
    char *why;
};

static oa_status posting_applyable(oa_tx *tx, struct apply_ctx *c)
{
    oa_posting p = {0};
    oa_status rc = store_posting_get(tx, c->tenant, c->cl->posting_id, &p);
    if (rc == OA_NOT_FOUND) {
        c->why = xstrdup("submission_token refers to a job posting that does not exist");
        rc = OA_INVALID;
    } else if (rc == OA_OK && p.state.av != OA_AV_APPLYABLE) {
        c->why = xasprintf("job posting %s is no longer applyable (availability %s)", p.id,
                           oa_availability_name(p.state.av));
        rc = OA_CONFLICT;
    }
    oa_posting_clear(&p);
    return rc;
}

static oa_status apply_read_tx(oa_tx *tx, void *arg)
{
    struct apply_ctx *c = arg;
    free(c->why);
    c->why = NULL;
    bool used = false;
    oa_status rc = store_token_is_used(tx, c->cl->jti, &used);
    if (rc == OA_OK && used) {
        c->why = xstrdup("submission_token has already been used: call inquire for a new one");
        return OA_CONFLICT;
    }
    rc = posting_applyable(tx, c);
    if (rc != OA_OK)
        return rc;
    free(c->form_json);
    c->form_json = NULL;
    rc = store_revision_get(tx, c->cl->revision_id, &c->form_json, NULL);
    if (rc == OA_NOT_FOUND) {
        c->why = xstrdup("submission_token refers to an unknown form revision");
        rc = OA_INVALID;
    }
    return rc;
}

static oa_status apply_write_tx(oa_tx *tx, void *arg)
{
    struct apply_ctx *c = arg;
    free(c->why);
    c->why = NULL;
    oa_status rc = posting_applyable(tx, c);
    if (rc != OA_OK)
        return rc;
    rc = store_token_use(tx, c->cl->jti, c->cl->expires_at);
    if (rc == OA_CONFLICT) {
        c->why = xstrdup("submission_token has already been used: call inquire for a new one");
        return OA_CONFLICT;
    }
    if (rc != OA_OK)
        return rc;
    oa_application *a = c->out;
    oa_application_clear(a);
    oa_id_new(a->id);
    a->tenant = xstrdup(c->tenant);
    memcpy(a->posting_id, c->cl->posting_id, OA_ID_SIZE);
    memcpy(a->revision_id, c->cl->revision_id, OA_ID_SIZE);
    a->email = xstrdup(c->req->email);
    a->email_lower = xstrdup(c->email_lower);
    a->additional_clicks = c->req->additional_clicks;
    a->status = OA_AS_PENDING;
    a->answers_json = xstrdup(c->answers_json);
    a->query_params_json = c->query_json ? xstrdup(c->query_json) : NULL;
    a->created_at = a->updated_at = oa_now_ms();
    rc = store_app_insert(tx, a);
    if (rc == OA_OK)
        rc = svc__job_put(c->s, tx, "apply", a->id, a->tenant, a->created_at, true);
    return rc;
}

static json_t *answers_to_json(const oa_answers *ans)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < ans->n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "question_id", json_string(ans->items[i].q->question_id));
        json_object_set(o, "answer", ans->items[i].answer);
        json_array_append_new(arr, o);
    }
    return arr;
}

oa_status svc_apply(svc *s, const char *tenant, const svc_apply_req *req, oa_application *out,
                    char **why, char **bad_qid)
{
    memset(out, 0, sizeof *out);
    *why = NULL;
    *bad_qid = NULL;
    oa_token_claims cl;
    const char *terr = NULL;
    oa_status vr =
        core_token_verify(s->token_key, sizeof s->token_key, req->token, oa_now_ms(), &cl, &terr);
    /* No existence oracle: a genuine token of another tenant (expired or not) gets exactly the
     * answer a forged one gets. The claims are filled only once the signature verified. */
    if ((vr != OA_OK && !cl.tenant[0]) || (cl.tenant[0] && strcmp(cl.tenant, tenant) != 0)) {
        *why = xstrdup(CORE_TOKEN_INVALID);
        return OA_INVALID;
    }
    if (vr != OA_OK) {
        *why = xstrdup(terr);
        return OA_INVALID;
    }
    char *email = oa_ascii_lower(req->email);
    struct apply_ctx c = {s, tenant, &cl, email, NULL, NULL, req, NULL, out, NULL};
    oa_form form = {0};
    oa_answers ans = {0};
    char *answers_json = NULL, *query_json = NULL;
    oa_status rc = store_transact(s->store, STORE_READ, apply_read_tx, &c);
    if (rc != OA_OK)
        goto out;
    if (load_form(c.form_json, &form) != OA_OK) {
        rc = OA_ERR;
        goto out;
    }
    /* Validation is CPU work (base64 of files): done outside any transaction. */
    rc = oa_form_validate(&form, req->answers, &ans, &c.why, bad_qid);
    if (rc != OA_OK)
        goto out;
    json_t *aj = answers_to_json(&ans);
    answers_json = json_dumps(aj, JSON_COMPACT);
    json_decref(aj);
    if (req->query_params)
        query_json = json_dumps(req->query_params, JSON_COMPACT);
    c.answers_json = answers_json;
    c.query_json = query_json;
    rc = store_transact(s->store, STORE_WRITE, apply_write_tx, &c);
    if (rc == OA_OK)
        oa_log(OA_LOG_INFO, "application.created",
               "tenant=%s application_id=%s posting_id=%s revision_id=%s answers=%zu", tenant,
               out->id, out->posting_id, out->revision_id, ans.n);
out:
    oa_answers_free(&ans);
    oa_form_free(&form);
    free(answers_json);
    free(query_json);
    free(c.form_json);
    free(email);
    *why = c.why;
    return rc;
}

/* ---- the apply job ---- */

void svc_apply_work_free(svc_apply_work *w)
{
    oa_application_clear(&w->app);
    oa_posting_clear(&w->posting);
    oa_form_free(&w->form);
    json_decref(w->answers);
    json_decref(w->query_params);
    memset(w, 0, sizeof *w);
}

struct begin_ctx {
    svc *s;
    const store_job *j;
    svc_apply_work *w;
    char *form_json;
    bool settled; /* nothing to submit: committed without work */
};

static oa_status begin_tx(oa_tx *tx, void *arg)
{
    struct begin_ctx *c = arg;
    svc_apply_work *w = c->w;
    svc_apply_work_free(w);
    free(c->form_json);
    c->form_json = NULL;
    c->settled = true;
    bool owned = false;
    oa_status rc = store_job_owned(tx, c->j, &owned);
    if (rc != OA_OK || !owned)
        return rc;
    rc = store_app_get(tx, NULL, c->j->ref_id, &w->app);
    if (rc == OA_NOT_FOUND || (rc == OA_OK && w->app.status != OA_AS_PENDING))
        return store_job_finish(tx, c->j);
    if (rc != OA_OK)
        return rc;
    bool dup = false;
    rc = store_app_has_earlier(tx, &w->app, &dup);
    if (rc != OA_OK)
        return rc;
    if (dup) /* settles the application and drops its job, in this transaction */
        return svc__app_step(c->s, tx, &w->app, OA_AI_DUPLICATE_FOUND,
                             "an earlier application with the same email exists for this posting",
                             oa_now_ms(), NULL);
    /* At most once: a previous holder started sending and never recorded an answer (it
     * stopped, crashed or lost its lease). The site may have it: a human decides. */
    int64_t sent_at = 0;
    rc = store_job_sent_at(tx, c->j, &sent_at);
    if (rc != OA_OK)
        return rc;
    if (sent_at) {
        w->app.attempts++;
        svc_apply_record r = {.started_at = sent_at};
        rc = record_attempt(tx, w->app.id, &r, "unknown", SVC_UNKNOWN_OUTCOME, oa_now_ms());
        if (rc == OA_OK)
            rc = svc__app_step(c->s, tx, &w->app, OA_AI_NEEDS_REVIEW, SVC_UNKNOWN_OUTCOME,
                               oa_now_ms(), NULL);
        return rc == OA_OK ? store_job_finish(tx, c->j) : rc;
    }
    c->settled = false;
    rc = store_posting_get(tx, NULL, w->app.posting_id, &w->posting);
    if (rc == OA_OK)
        rc = store_revision_get(tx, w->app.revision_id, &c->form_json, NULL);
    return rc;
}

oa_status svc_apply_begin(svc *s, const store_job *j, svc_apply_work *w)
{
    memset(w, 0, sizeof *w);
    struct begin_ctx c = {s, j, w, NULL, false};
    /* Write mode: the duplicate verdict is written in the same transaction it is found. */
    oa_status rc = store_transact(s->store, STORE_WRITE, begin_tx, &c);
    if (rc == OA_OK && c.settled)
        rc = OA_NOT_FOUND;
    if (rc == OA_OK) {
        if (load_form(c.form_json, &w->form) != OA_OK)
            rc = OA_ERR;
        w->answers = json_loads(w->app.answers_json ? w->app.answers_json : "[]", 0, NULL);
        if (w->app.query_params_json)
            w->query_params = json_loads(w->app.query_params_json, 0, NULL);
        if (!json_is_array(w->answers))
            rc = OA_ERR;
    }
    free(c.form_json);
    if (rc != OA_OK)
        svc_apply_work_free(w);
    return rc;
}

struct sending_ctx {
    const store_job *j;
    bool owned;
};

static oa_status sending_tx(oa_tx *tx, void *arg)
{
    struct sending_ctx *c = arg;
    return store_job_mark_sent(tx, c->j, oa_now_ms(), &c->owned);
}

oa_status svc_apply_sending(svc *s, const store_job *j)
{
    struct sending_ctx c = {j, false};
    oa_status rc = store_transact(s->store, STORE_WRITE, sending_tx, &c);
    if (rc == OA_OK && !c.owned)
        rc = OA_NOT_FOUND;
    return rc;
}

struct result_ctx {
    svc *s;
    const store_job *j;
    svc_apply_kind kind;
    const char *reason;
    int64_t retry_at;
    const svc_apply_record *rec;
    bool dropped;
};

static oa_status result_tx(oa_tx *tx, void *arg)
{
    struct result_ctx *c = arg;
    bool owned = false;
    oa_status rc = store_job_owned(tx, c->j, &owned);
    if (rc != OA_OK)
        return rc;
    c->dropped = !owned;
    if (!owned)
        return OA_OK;
    oa_application a = {0};
    oa_posting p = {0};
    int64_t now = oa_now_ms();
    rc = store_app_get(tx, NULL, c->j->ref_id, &a);
    if (rc == OA_OK)
        rc = record_attempt(tx, a.id, c->rec, KIND_NAMES[c->kind], c->reason, now);
    if (rc != OA_OK)
        goto out;
    switch (c->kind) {
    case SVC_APPLY_SUBMITTED:
        rc = svc__app_step(c->s, tx, &a, OA_AI_SUBMIT_OK, NULL, now, NULL);
        break;
    case SVC_APPLY_REVIEW:
        a.attempts++;
        rc = svc__app_step(c->s, tx, &a, OA_AI_NEEDS_REVIEW, c->reason, now, NULL);
        if (rc == OA_OK)
            rc = store_job_finish(tx, c->j);
        break;
    case SVC_APPLY_RETRY:
        a.attempts++;
        free(a.review_reason);
        a.review_reason = c->reason ? xstrndup(c->reason, 500) : NULL;
        rc = store_app_update(tx, &a);
        if (rc == OA_OK)
            rc = store_job_retry(tx, c->j, c->retry_at, a.attempts);
        break;
    case SVC_APPLY_OFFLINE: {
        rc = store_posting_get(tx, NULL, a.posting_id, &p);
        if (rc != OA_OK)
            break;
        oa_posting_effect e = core_posting_step(p.state, OA_PI_TAKEN_OFFLINE);
        rc = svc__posting_effect(c->s, tx, &p, &e, NULL, now);
        if (rc == OA_OK)
            rc = store_job_finish(tx, c->j); /* usually already gone with the application */
        break;
    }
    }
out:
    oa_application_clear(&a);
    oa_posting_clear(&p);
    return rc;
}

oa_status svc_apply_result(svc *s, const store_job *j, svc_apply_kind kind, const char *reason,
                           int64_t retry_at, const svc_apply_record *rec)
{
    struct result_ctx c = {s, j, kind, reason, retry_at, rec, false};
    oa_status rc = store_transact(s->store, STORE_WRITE, result_tx, &c);
    /* The reason is not logged: a site's error page can echo what the candidate entered. It
     * is kept on the application for the review queue. */
    if (rc == OA_OK)
        oa_log(OA_LOG_INFO, "application.attempt",
               "tenant=%s application_id=%s result=%s dropped=%d", j->tenant, j->ref_id,
               KIND_NAMES[kind], c.dropped ? 1 : 0);
    return rc;
}

/* ---- review ---- */

struct review_ctx {
    svc *s;
    const char *tenant;
    const char *id;
    bool submitted;
    const char *reason;
    oa_application *out;
};

static oa_status review_tx(oa_tx *tx, void *arg)
{
    struct review_ctx *c = arg;
    oa_application_clear(c->out);
    oa_status rc = store_app_get(tx, c->tenant, c->id, c->out);
    if (rc != OA_OK)
        return rc;
    if (c->out->status != OA_AS_PENDING || !c->out->needs_review)
        return OA_CONFLICT;
    return svc__app_step(c->s, tx, c->out,
                         c->submitted ? OA_AI_REVIEW_SUBMITTED : OA_AI_REVIEW_FAILED, c->reason,
                         oa_now_ms(), NULL);
}

oa_status svc_review(svc *s, const char *tenant, const char *app_id, bool submitted,
                     const char *reason, oa_application *out)
{
    memset(out, 0, sizeof *out);
    struct review_ctx c = {s, tenant, app_id, submitted, reason, out};
    return store_transact(s->store, STORE_WRITE, review_tx, &c);
}
