/* applications.c - POST /apply, GET /applications, the review queue and review decisions. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/token.h"
#include "util/crypto.h"
#include "util/text.h"

/* statuses is openapply's addition to Kombo's list. */
static const char *const LIST_ARGS[] = {"cursor",          "page_size", "ids",
                                        "job_posting_ids", "statuses",  NULL};

_Static_assert(OA_AS_DUPLICATE + 1 <= STORE_ENUM_MAX, "every status fits a store_page");
static const char *const REVIEW_ARGS[] = {"cursor", "page_size", "job_posting_ids", NULL};

/* A plausible email address: one @, something before, a dotted domain after, no spaces. */
static bool email_ok(const char *s)
{
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n < 3 || n > 254 || !at || at == s || strchr(at + 1, '@') || (size_t)(at - s) > 64)
        return false;
    const char *dom = at + 1;
    if (!*dom || *dom == '.' || s[n - 1] == '.' || !strchr(dom, '.') || strstr(dom, ".."))
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("<>()[]\\,;:\"", *p))
            return false;
    return true;
}

static bool int_field(http_resp *resp, const json_t *body, const char *name, int64_t min,
                      int64_t max, int64_t *out, bool *present)
{
    const json_t *v = json_object_get(body, name);
    *present = v && !json_is_null(v);
    if (!*present)
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        if (max == INT64_MAX)
            api_bad_request(resp, "Field \"%s\" must be an integer of at least %lld.", name,
                            (long long)min);
        else
            api_bad_request(resp, "Field \"%s\" must be an integer from %lld to %lld.", name,
                            (long long)min, (long long)max);
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

void api_apply_post(api_ctx *a, http_req *r, http_resp *resp)
{
    json_t *body = api_body_object(r, resp, false);
    if (!body)
        return;
    const char *token, *email;
    if (!api_field_string(resp, body, "submission_token", true, false, OA_TOKEN_MAX_LEN, &token) ||
        !api_field_string(resp, body, "candidate_email", true, false, 254, &email))
        goto out;
    if (!email_ok(email)) {
        api_bad_request(resp, "Field \"candidate_email\" is not a valid email address.");
        goto out;
    }
    const json_t *answers = json_object_get(body, "screening_question_answers");
    if (!answers) {
        api_bad_request(resp, "Missing required field \"screening_question_answers\".");
        goto out;
    }
    if (!json_is_array(answers)) {
        api_bad_request(resp, "Field \"screening_question_answers\" must be an array.");
        goto out;
    }
    const json_t *qp = json_object_get(body, "query_params");
    if (qp && json_is_null(qp))
        qp = NULL;
    if (qp) {
        if (!json_is_object(qp)) {
            api_bad_request(resp, "Field \"query_params\" must be an object of strings.");
            goto out;
        }
        const char *k;
        const json_t *v;
        if (json_object_size(qp) > 50) {
            api_bad_request(resp, "Field \"query_params\" has more than 50 entries.");
            goto out;
        }
        json_object_foreach((json_t *)qp, k, v)
        {
            if (!json_is_string(v) || json_string_length(v) > 2048 || !*k || strlen(k) > 256) {
                api_bad_request(resp,
                                "Field \"query_params.%.64s\" must be a string (at most 2048 "
                                "bytes) under a non-empty name.",
                                k);
                goto out;
            }
        }
    }
    int64_t clicks = 0, scatter = 0;
    bool has_clicks, has_scatter;
    if (!int_field(resp, body, "additional_clicks", 0, 30, &clicks, &has_clicks) ||
        !int_field(resp, body, "additional_clicks_scatter_duration", 1, INT64_MAX, &scatter,
                   &has_scatter))
        goto out;
    if (has_scatter && !has_clicks) {
        api_bad_request(resp, "Field \"additional_clicks_scatter_duration\" cannot be used without "
                              "\"additional_clicks\".");
        goto out;
    }
    svc_apply_req req = {token, email, answers, qp, clicks};
    oa_application app;
    char *why = NULL, *bad_qid = NULL;
    oa_status rc = svc_apply(a->svc, r->tenant, &req, &app, &why, &bad_qid);
    if (rc == OA_OK)
        api_ok(resp, core_application_json(&app, true));
    else if (rc == OA_INVALID || rc == OA_CONFLICT)
        api_bad_request(resp, "%s.", why ? why : "invalid application");
    else
        api_internal(resp, r, rc);
    free(why);
    free(bad_qid);
    oa_application_clear(&app);
out:
    json_decref(body);
}

static json_t *render_app(const void *row)
{
    return core_application_json(row, false);
}

struct app_list_ctx {
    store_page pg;
    bool review;
    oa_application *l;
    size_t n;
    /* review details */
    json_t *details;
};

static oa_status app_list_tx(oa_tx *tx, void *arg)
{
    struct app_list_ctx *c = arg;
    return c->review ? store_app_review_list(tx, &c->pg, &c->l, &c->n)
                     : store_app_list(tx, &c->pg, &c->l, &c->n);
}

void api_applications_get(api_ctx *a, http_req *r, http_resp *resp)
{
    struct app_list_ctx c = {0};
    char *ids = NULL, *postings = NULL;
    const char *st[OA_AS_DUPLICATE + 1];
    for (int i = OA_AS_PENDING; i <= OA_AS_DUPLICATE; i++)
        st[i] = oa_app_status_name((oa_app_status)i);
    if (!api_only_query(r, resp, LIST_ARGS) || !api_page_args(r, resp, &c.pg) ||
        !api_list_filter(r, resp, "ids", &ids) ||
        !api_list_filter(r, resp, "job_posting_ids", &postings) ||
        !api_enum_filter(r, resp, "statuses", st, OA_ARRAY_LEN(st), c.pg.states))
        goto out;
    c.pg.ids_json = ids;
    c.pg.parent_json = postings;
    oa_status rc = store_transact(a->svc->store, STORE_READ, app_list_tx, &c);
    if (rc == OA_OK)
        api_ok(resp, api_list_page(c.l, sizeof *c.l, c.n, &c.pg, render_app));
    else
        api_internal(resp, r, rc);
    oa_application_list_free(c.l, c.n);
out:
    free(ids);
    free(postings);
}

/* Replaces file contents by their size: reviewers see what was sent, not megabytes of
 * base64 in a list. */
json_t *api_review_answers(const oa_application *app, const oa_form *form)
{
    json_t *out = json_array();
    json_t *ans = app->answers_json ? json_loads(app->answers_json, 0, NULL) : NULL;
    size_t i;
    json_t *item;
    json_array_foreach(ans, i, item)
    {
        const char *qid = json_string_value(json_object_get(item, "question_id"));
        json_t *answer = json_object_get(item, "answer");
        const oa_block *q = qid && form ? oa_form_find_question(form, qid) : NULL;
        json_t *o = json_object();
        json_object_set_new(o, "question_id", json_string(qid ? qid : ""));
        json_object_set_new(o, "label", q ? json_string(q->label) : json_null());
        json_object_set_new(o, "question_type",
                            q ? json_string(oa_qtype_name(q->type)) : json_null());
        if (json_is_object(answer) && json_object_get(answer, "data")) {
            json_t *f = json_object();
            json_object_set(f, "name", json_object_get(answer, "name"));
            json_object_set(f, "content_type", json_object_get(answer, "content_type"));
            const char *b64 = json_string_value(json_object_get(answer, "data"));
            size_t n = b64 ? strlen(b64) : 0, pad = 0;
            while (pad < 2 && pad < n && b64[n - 1 - pad] == '=')
                pad++;
            json_object_set_new(f, "size",
                                json_integer((json_int_t)(n / 4 * 3 - (n % 4 ? 0 : pad) +
                                                          (n % 4 ? (n % 4) * 3 / 4 : 0))));
            json_object_set_new(o, "answer", f);
        } else if (q && (q->type == OA_Q_SINGLE_SELECT || q->type == OA_Q_MULTI_SELECT)) {
            /* Show option labels beside the ids. */
            json_object_set(o, "answer", answer);
            json_t *labels = json_array();
            size_t k;
            json_t *v;
            json_t *ids = json_is_array(answer) ? json_incref(answer) : json_pack("[O]", answer);
            json_array_foreach(ids, k, v)
            {
                for (size_t m = 0; m < q->n_options; m++)
                    if (json_is_string(v) && strcmp(q->options[m].id, json_string_value(v)) == 0)
                        json_array_append_new(labels, json_string(q->options[m].label));
            }
            json_decref(ids);
            json_object_set_new(o, "answer_labels", labels);
        } else {
            json_object_set(o, "answer", answer);
        }
        json_array_append_new(out, o);
    }
    json_decref(ans);
    return out;
}

struct detail_ctx {
    const oa_application *app;
    char *form_json;
    char *url;
};

static oa_status detail_tx(oa_tx *tx, void *arg)
{
    struct detail_ctx *c = arg;
    oa_posting p = {0};
    oa_status rc = store_posting_get(tx, c->app->tenant, c->app->posting_id, &p);
    if (rc == OA_OK) {
        c->url = p.url;
        p.url = NULL;
        rc = store_revision_get(tx, c->app->revision_id, &c->form_json, NULL);
    }
    oa_posting_clear(&p);
    return rc;
}

void api_review_get(api_ctx *a, http_req *r, http_resp *resp)
{
    struct app_list_ctx c = {0};
    char *postings = NULL;
    c.review = true;
    if (!api_only_query(r, resp, REVIEW_ARGS) || !api_page_args(r, resp, &c.pg) ||
        !api_list_filter(r, resp, "job_posting_ids", &postings))
        goto out;
    c.pg.parent_json = postings;
    oa_status rc = store_transact(a->svc->store, STORE_READ, app_list_tx, &c);
    if (rc != OA_OK) {
        api_internal(resp, r, rc);
        goto out;
    }
    json_t *res = json_array();
    size_t shown = api_page_count(c.n, &c.pg);
    for (size_t i = 0; i < shown; i++) {
        const oa_application *app = &c.l[i];
        json_t *o = core_application_json(app, false);
        struct detail_ctx d = {app, NULL, NULL};
        oa_form form = {0};
        bool have_form = false;
        if (store_transact(a->svc->store, STORE_READ, detail_tx, &d) == OA_OK) {
            json_t *fj = json_loads(d.form_json, 0, NULL);
            have_form = fj && oa_form_from_json(fj, &form) == OA_OK;
            json_decref(fj);
        }
        json_object_set_new(o, "job_posting_url", d.url ? json_string(d.url) : json_null());
        json_object_set_new(o, "candidate_email", json_string(app->email ? app->email : ""));
        json_object_set_new(o, "review_reason",
                            app->review_reason ? json_string(app->review_reason) : json_null());
        json_object_set_new(o, "attempts", json_integer(app->attempts));
        json_object_set_new(o, "answers", api_review_answers(app, have_form ? &form : NULL));
        if (have_form)
            oa_form_free(&form);
        free(d.form_json);
        free(d.url);
        json_array_append_new(res, o);
    }
    json_t *data = json_object();
    json_object_set_new(data, "results", res);
    json_object_set_new(data, "next", api_next(shown ? c.l[shown - 1].seq : 0, c.n, &c.pg));
    api_ok(resp, data);
out:
    oa_application_list_free(c.l, c.n);
    free(postings);
}

void api_applications_review(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *id = r->params[0];
    json_t *body = api_body_object(r, resp, false);
    if (!body)
        return;
    const char *decision, *reason;
    if (!api_field_string(resp, body, "decision", true, false, 32, &decision) ||
        !api_field_string(resp, body, "reason", false, true, 2000, &reason))
        goto out;
    bool submitted = strcmp(decision, "SUBMITTED") == 0;
    if (!submitted && strcmp(decision, "FAILED") != 0) {
        api_bad_request(resp, "Field \"decision\" must be \"SUBMITTED\" or \"FAILED\".");
        goto out;
    }
    if (!submitted && (!reason || !*reason)) {
        api_bad_request(resp, "Field \"reason\" is required when the decision is FAILED.");
        goto out;
    }
    if (!oa_id_valid(id)) {
        api_not_found(resp, "Application %.64s not found.", id);
        goto out;
    }
    oa_application app;
    oa_status rc = svc_review(a->svc, r->tenant, id, submitted, reason, &app);
    if (rc == OA_OK)
        api_ok(resp, core_application_json(&app, false));
    else if (rc == OA_NOT_FOUND)
        api_not_found(resp, "Application %s not found.", id);
    else if (rc == OA_CONFLICT)
        api_bad_request(resp,
                        "Application %s is not in the review queue (status %s); only PENDING "
                        "applications that automation handed to review can be decided.",
                        id, oa_app_status_name(app.status));
    else
        api_internal(resp, r, rc);
    oa_application_clear(&app);
out:
    json_decref(body);
}
