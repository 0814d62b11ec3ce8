/*
 * views.c - the operator's reads beyond Kombo's schemas, used by the dashboard:
 *   GET /v1/ai-apply/applications/{id}                    one application: answers (while kept),
 *                                                         reasons, and every apply attempt
 *   GET /v1/ai-apply/postings/{id}/revisions              the posting's form revisions
 *   GET /v1/ai-apply/postings/{id}/revisions/{revision}   one revision's form (Kombo's shape)
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "util/clock.h"

static const char *const NO_ARGS[] = {NULL};
static const char *const PAGE_ARGS[] = {"cursor", "page_size", NULL};

static json_t *text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *attempt_json(const oa_apply_attempt *a)
{
    json_t *o = json_object();
    json_object_set_new(o, "attempt", json_integer(a->attempt));
    json_object_set_new(o, "started_at", api_time_or_null(a->started_at));
    json_object_set_new(o, "finished_at", api_time_or_null(a->finished_at));
    json_object_set_new(o, "driver", text_or_null(a->driver));
    json_object_set_new(o, "step", text_or_null(a->step));
    json_object_set_new(o, "outcome", json_string(a->outcome));
    json_object_set_new(o, "reason", text_or_null(a->reason));
    json_object_set_new(o, "http_status",
                        a->http_status ? json_integer(a->http_status) : json_null());
    json_object_set_new(o, "url", text_or_null(a->url));
    json_object_set_new(o, "response_excerpt", text_or_null(a->excerpt));
    /* The HTTP drivers keep no screenshot; the field is there for drivers that do. */
    json_object_set_new(o, "screenshot", json_null());
    return o;
}

void api_application_get(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *id = r->params[0];
    if (!api_only_query(r, resp, NO_ARGS))
        return;
    if (!oa_id_valid(id)) {
        api_not_found(resp, "Application %.64s not found.", id);
        return;
    }
    svc_app_detail d;
    oa_status rc = svc_application_detail(a->svc, r->tenant, id, &d);
    if (rc != OA_OK) {
        api_reply(resp, r, rc, NULL, "Application", id);
        return;
    }
    const oa_application *app = &d.app;
    json_t *o = core_application_json(app, false);
    oa_form form = {0};
    json_t *fj = d.form_json ? json_loads(d.form_json, 0, NULL) : NULL;
    bool have_form = fj && oa_form_from_json(fj, &form) == OA_OK;
    json_decref(fj);
    json_object_set_new(o, "job_posting_url", text_or_null(d.posting_url));
    json_object_set_new(o, "candidate_email", json_string(app->email ? app->email : ""));
    json_object_set_new(o, "in_review_queue",
                        json_boolean(app->needs_review && app->status == OA_AS_PENDING));
    json_object_set_new(o, "review_reason", text_or_null(app->review_reason));
    json_object_set_new(o, "decision_reason", text_or_null(app->decision_reason));
    json_object_set_new(o, "revision_id", json_string(app->revision_id));
    /* Answers are discarded once the application is final (they are the candidate's). */
    json_object_set_new(o, "answers",
                        app->answers_json ? api_review_answers(app, have_form ? &form : NULL)
                                          : json_null());
    json_t *atts = json_array();
    for (size_t i = 0; i < d.n_attempts; i++)
        json_array_append_new(atts, attempt_json(&d.attempts[i]));
    json_object_set_new(o, "apply_attempts", atts);
    if (have_form)
        oa_form_free(&form);
    svc_app_detail_free(&d);
    api_ok(resp, o);
}

static json_t *revision_json(const oa_revision *rv, const char *current_id)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(rv->id));
    json_object_set_new(o, "created_at", api_time_or_null(rv->created_at));
    json_object_set_new(o, "content_hash", json_string(rv->content_hash));
    json_object_set_new(o, "current", json_boolean(strcmp(rv->id, current_id) == 0));
    return o;
}

void api_posting_revisions(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *id = r->params[0];
    store_page pg = {0};
    if (!api_only_query(r, resp, PAGE_ARGS) || !api_page_args(r, resp, &pg))
        return;
    if (!oa_id_valid(id)) {
        api_not_found(resp, "Job posting %.64s not found.", id);
        return;
    }
    oa_revision *l = NULL;
    size_t n = 0;
    char current[OA_ID_SIZE] = "";
    oa_status rc = svc_posting_revisions(a->svc, r->tenant, id, &pg, &l, &n, current);
    if (rc != OA_OK) {
        api_reply(resp, r, rc, NULL, "Job posting", id);
        free(l);
        return;
    }
    json_t *res = json_array();
    size_t shown = api_page_count(n, &pg);
    for (size_t i = 0; i < shown; i++)
        json_array_append_new(res, revision_json(&l[i], current));
    json_t *data = json_object();
    json_object_set_new(data, "results", res);
    json_object_set_new(data, "next", api_next(shown ? l[shown - 1].seq : 0, n, &pg));
    free(l);
    api_ok(resp, data);
}

void api_posting_revision(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *id = r->params[0], *rid = r->params[1];
    if (!api_only_query(r, resp, NO_ARGS))
        return;
    if (!oa_id_valid(id)) {
        api_not_found(resp, "Job posting %.64s not found.", id);
        return;
    }
    if (!oa_id_valid(rid)) {
        api_not_found(resp, "Form revision %.64s not found.", rid);
        return;
    }
    oa_revision rv;
    char *form_json = NULL;
    char current[OA_ID_SIZE] = "";
    oa_status rc = svc_posting_revision(a->svc, r->tenant, id, rid, &rv, &form_json, current);
    if (rc == OA_NOT_FOUND && current[0]) {
        api_not_found(resp, "Form revision %s not found for job posting %s.", rid, id);
        return;
    }
    if (rc != OA_OK) {
        api_reply(resp, r, rc, NULL, "Job posting", id);
        return;
    }
    oa_form form = {0};
    json_t *fj = json_loads(form_json, 0, NULL);
    free(form_json);
    if (!fj || oa_form_from_json(fj, &form) != OA_OK) {
        json_decref(fj);
        api_internal(resp, r, OA_ERR);
        return;
    }
    json_decref(fj);
    json_t *o = revision_json(&rv, current);
    json_object_set_new(o, "application_form", oa_form_to_json(&form, OA_FORM_PUBLIC));
    oa_form_free(&form);
    api_ok(resp, o);
}
