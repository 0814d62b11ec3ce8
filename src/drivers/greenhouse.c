/*
 * greenhouse.c - the Greenhouse connector, from the Job Board API's documentation
 * (developers.greenhouse.io/job-board.html).
 *
 * Read: GET {base}/v1/boards/{board}/jobs/{id}?questions=true (no auth). The job's questions[]
 * (each a label, required, and fields[] of input_text, textarea, input_file, input_hidden,
 * multi_value_single_select, multi_value_multi_select), location_questions[], compliance[]
 * (EEOC), demographic_questions{} and data_compliance[] become the form. A question whose
 * fields offer a file or a pasted text (resume / resume_text) is one FILE question; hidden
 * fields (latitude, longitude) are not questions. A closed job answers 404.
 *
 * Submit: POST the same URL, JSON, with HTTP Basic auth whose user name is the employer's Job
 * Board API key (the career site's connectors.greenhouse.api_key). Without a key the
 * application goes to review. Files go as NAME_content (base64) + NAME_content_filename, a
 * select as its integer value, a multi-select as an array, demographic answers as
 * demographic_answers[], consent as data_compliance{}.
 *
 * URLs: boards.greenhouse.io/{board}/jobs/{id}, job-boards(.eu).greenhouse.io/{board}/jobs/{id},
 * boards.greenhouse.io/embed/job_app?for={board}&token={id}, and any page with ?gh_jid={id}
 * (the board token then comes from the career site's connectors.greenhouse.board_token).
 */
#include <stdlib.h>
#include <string.h>

#include "drivers/ats.h"
#include "drivers/unified_keys.h"

static const drv_url_rule RULES[] = {
    {"boards.greenhouse.io", "/embed/job_app", "for={account}&token={job}"},
    {"job-boards.greenhouse.io", "/embed/job_app", "for={account}&token={job}"},
    {"boards.eu.greenhouse.io", "/embed/job_app", "for={account}&token={job}"},
    {"job-boards.eu.greenhouse.io", "/embed/job_app", "for={account}&token={job}"},
    {"boards.greenhouse.io", "/{account}/jobs/{job}", NULL},
    {"job-boards.greenhouse.io", "/{account}/jobs/{job}", NULL},
    {"boards.eu.greenhouse.io", "/{account}/jobs/{job}", NULL},
    {"job-boards.eu.greenhouse.io", "/{account}/jobs/{job}", NULL},
    {NULL, NULL, "gh_jid={job}"},
    {NULL, NULL, NULL},
};

static const char *const SETTINGS[] = {"api_key", "board_token", NULL};
static const char *const TYPES[] = {"json", NULL};

/* Names the Job Board API documents for the candidate's standard fields. */
static const ats_name_key NAMES[] = {
    {"first_name", "FIRST_NAME"},
    {"last_name", "LAST_NAME"},
    {"email", "EMAIL"},
    {"phone", "FULL_PHONE_NUMBER"},
    {"resume", "RESUME"},
    {"location", "RESIDENCE_CITY"},
    {NULL, NULL},
};

#define DEMOGRAPHIC "demographic_answers:"
#define COMPLIANCE  "data_compliance:"

static const char *board_of(const drv_ctx *c)
{
    const char *b = c->target->parts[DRV_PART_ACCOUNT];
    return b ? b : ats_setting(c, "board_token");
}

static oa_status job_url(const drv_ctx *c, char **out, char **why)
{
    const char *board = board_of(c), *job = c->target->parts[DRV_PART_JOB];
    if (!board) {
        *why = xstrdup("the URL names no job board: set connectors.greenhouse.board_token on "
                       "the career site");
        return OA_INVALID;
    }
    if (!c->base || !job) {
        *why = xstrdup("the URL names no job");
        return OA_INVALID;
    }
    *out = xasprintf("%s/v1/boards/%s/jobs/%s", c->base, board, job);
    return OA_OK;
}

static oa_status gh_form_request(const drv_ctx *c, drv_request *out, char **why)
{
    *why = NULL;
    char *u = NULL;
    oa_status rc = job_url(c, &u, why);
    if (rc != OA_OK)
        return rc;
    out->url = xasprintf("%s?questions=true", u);
    free(u);
    drv_request_header(out, "Accept", "application/json");
    return OA_OK;
}

/* ---- reading ---- */

static bool is_type(const json_t *field, const char *t)
{
    const char *v = ats_str(field, "type");
    return v && strcmp(v, t) == 0;
}

/* The question's input fields as one of ours: a file beats its pasted-text alternative;
 * hidden fields never count. */
static const json_t *main_field(const json_t *fields)
{
    const json_t *first = NULL, *f;
    size_t i;
    json_array_foreach(fields, i, f)
    {
        if (!json_is_object(f) || !ats_str(f, "name") || is_type(f, "input_hidden"))
            continue;
        if (is_type(f, "input_file"))
            return f;
        if (!first)
            first = f;
    }
    return first;
}

static void add_values(oa_block *q, const json_t *values, const char *label_key,
                       const char *value_key)
{
    size_t i;
    const json_t *v;
    json_array_foreach(values, i, v)
    {
        char *val = ats_text(v, value_key);
        const char *label = ats_str(v, label_key);
        if (val && label && *label)
            ats_option(q, label, val);
        free(val);
    }
}

static void add_question(oa_block **arr, size_t *n, const json_t *jq, const char *category)
{
    const json_t *f = main_field(json_object_get(jq, "fields"));
    const char *label = ats_str(jq, "label");
    if (!f || !label)
        return;
    const char *name = ats_str(f, "name");
    bool req = json_is_true(json_object_get(jq, "required"));
    oa_qtype t = OA_Q_TEXT;
    oa_control ctl = OA_CTL_TEXT;
    if (is_type(f, "input_file")) {
        t = OA_Q_FILE;
        ctl = OA_CTL_FILE;
    } else if (is_type(f, "multi_value_single_select")) {
        t = OA_Q_SINGLE_SELECT;
        ctl = OA_CTL_SELECT;
    } else if (is_type(f, "multi_value_multi_select")) {
        t = OA_Q_MULTI_SELECT;
        ctl = OA_CTL_CHECKBOXES;
    } else if (!is_type(f, "input_text") && !is_type(f, "textarea")) {
        return; /* a type the API does not document: not guessed at */
    }
    oa_block *q = ats_question(arr, n, label, req, t, ctl, name);
    const char *d = ats_str(jq, "description");
    if (d && *d)
        q->description = xstrdup(d);
    if (category)
        q->category = xstrdup(category);
    if (strcmp(name, "email") == 0)
        q->input_type = xstrdup("email");
    else if (strcmp(name, "phone") == 0)
        q->input_type = xstrdup("tel");
    if (t == OA_Q_SINGLE_SELECT || t == OA_Q_MULTI_SELECT) {
        add_values(q, json_object_get(f, "values"), "label", "value");
        if (!q->n_options)
            (*n)--, oa_block_free(q); /* a select without options cannot be answered */
    }
}

static void add_questions(oa_block **arr, size_t *n, const json_t *list, const char *category)
{
    size_t i;
    const json_t *jq;
    json_array_foreach(list, i, jq)
    {
        if (json_is_object(jq))
            add_question(arr, n, jq, category);
    }
}

static void add_demographics(oa_form *f, const json_t *d)
{
    const json_t *qs = json_object_get(d, "questions");
    if (!json_is_array(qs) || !json_array_size(qs))
        return;
    const char *header = ats_str(d, "header");
    oa_block *s = ats_section(&f->blocks, &f->n_blocks, header ? header : "Voluntary questions");
    size_t i;
    const json_t *jq;
    json_array_foreach(qs, i, jq)
    {
        char *id = ats_text(jq, "id");
        const char *label = ats_str(jq, "label");
        if (!id || !label) {
            free(id);
            continue;
        }
        bool multi = is_type(jq, "multi_value_multi_select");
        char *name = xasprintf(DEMOGRAPHIC "%s", id);
        oa_block *q = ats_question(&s->children, &s->n_children, label,
                                   json_is_true(json_object_get(jq, "required")),
                                   multi ? OA_Q_MULTI_SELECT : OA_Q_SINGLE_SELECT,
                                   multi ? OA_CTL_CHECKBOXES : OA_CTL_SELECT, name);
        q->category = xstrdup("EEO");
        add_values(q, json_object_get(jq, "answer_options"), "label", "id");
        if (!q->n_options)
            s->n_children--, oa_block_free(q);
        free(name);
        free(id);
    }
}

static const struct {
    const char *flag, *field, *label;
} CONSENTS[] = {
    {"requires_consent", "gdpr_consent_given",
     "I consent to the collection, storage and processing of my data for the purpose of "
     "considering me for employment"},
    {"requires_processing_consent", "gdpr_processing_consent_given",
     "I consent to the processing of my data for the purpose of considering me for employment"},
    {"requires_retention_consent", "gdpr_retention_consent_given",
     "I consent to my data being retained for future opportunities"},
};

static void add_compliance(oa_form *f, const json_t *list)
{
    size_t i;
    const json_t *c;
    json_array_foreach(list, i, c)
    {
        for (size_t k = 0; k < OA_ARRAY_LEN(CONSENTS); k++) {
            if (!json_is_true(json_object_get(c, CONSENTS[k].flag)))
                continue;
            char *name = xasprintf(COMPLIANCE "%s", CONSENTS[k].field);
            oa_block *q = ats_question(&f->blocks, &f->n_blocks, CONSENTS[k].label,
                                       k != 2 /* retention may be refused */, OA_Q_BOOLEAN,
                                       OA_CTL_CHECKBOX, name);
            q->checked_value = xstrdup("true");
            /* Keeping the data for later is the applicant pool; consent to processing alone is
             * no key (as on HTML forms: not the terms and conditions). */
            if (k == 2)
                q->unified_key = xstrdup("APPLICANT_POOL_CONSENT");
            free(name);
        }
    }
}

static oa_status gh_extract(const drv_ctx *c, const char *body, size_t len, const char *url,
                            drv_page_kind *kind, oa_form *out, char **why)
{
    OA_UNUSED(c);
    OA_UNUSED(url);
    memset(out, 0, sizeof *out);
    *kind = DRV_PAGE_NO_FORM;
    json_t *j = NULL;
    oa_status rc = ats_json_object(body, len, &j, why);
    if (rc != OA_OK)
        return rc;
    const json_t *qs = json_object_get(j, "questions");
    if (!json_is_array(qs)) {
        *why = xstrdup("the job has no questions[] (not a Job Board API job answer)");
        json_decref(j);
        return OA_OK;
    }
    add_questions(&out->blocks, &out->n_blocks, qs, NULL);
    add_questions(&out->blocks, &out->n_blocks, json_object_get(j, "location_questions"), NULL);
    const json_t *comp = json_object_get(j, "compliance");
    if (json_is_array(comp) && json_array_size(comp)) {
        size_t i;
        const json_t *c;
        json_array_foreach(comp, i, c)
        {
            const json_t *cq = json_object_get(c, "questions");
            if (!json_is_array(cq) || !json_array_size(cq))
                continue;
            const char *d = ats_str(c, "description");
            oa_block *s = ats_section(&out->blocks, &out->n_blocks,
                                      "U.S. Equal Employment Opportunity information");
            if (d && *d)
                s->description = xstrdup(d);
            add_questions(&s->children, &s->n_children, cq, "EEO");
        }
    }
    add_demographics(out, json_object_get(j, "demographic_questions"));
    add_compliance(out, json_object_get(j, "data_compliance"));
    json_decref(j);
    if (!oa_form_count_questions(out)) {
        oa_form_free(out);
        *why = xstrdup("the job's questions[] holds nothing to answer");
        return OA_OK;
    }
    ats_assign_keys(out, NAMES);
    out->method = xstrdup("POST");
    out->enctype = xstrdup("application/json");
    *kind = DRV_PAGE_FORM;
    return OA_OK;
}

/* ---- submitting ---- */

static oa_status add_file(json_t *body, const oa_block *q, const json_t *a, char **why)
{
    const char *fname = json_string_value(json_object_get(a, "name"));
    const json_t *data = json_object_get(a, "data");
    if (!fname || !json_is_string(data)) {
        *why = xasprintf("question %s: expected a file object", q->question_id);
        return OA_INVALID;
    }
    char *k = xasprintf("%s_content", q->field_name);
    json_object_set_new(body, k, json_string(json_string_value(data)));
    free(k);
    k = xasprintf("%s_content_filename", q->field_name);
    json_object_set_new(body, k, json_string(fname));
    free(k);
    return OA_OK;
}

static oa_status gh_submission(const drv_ctx *c, const oa_form *revision, const oa_form *fresh,
                               const oa_answers *answers, drv_request *out, char **why)
{
    OA_UNUSED(revision);
    OA_UNUSED(fresh);
    *why = NULL;
    const char *key = ats_setting(c, "api_key");
    if (!key) {
        *why = xstrdup("Greenhouse accepts applications only with the employer's Job Board API "
                       "key; set connectors.greenhouse.api_key on the career site, or apply by "
                       "hand");
        return OA_DENIED;
    }
    oa_status rc = job_url(c, &out->url, why);
    if (rc != OA_OK)
        return rc;
    json_t *body = json_object(), *demo = json_array(), *dc = json_object();
    for (size_t i = 0; rc == OA_OK && answers && i < answers->n; i++) {
        const oa_block *q = answers->items[i].q;
        const json_t *a = answers->items[i].answer;
        if (!q || !a || json_is_null(a) || !q->field_name || !*q->field_name)
            continue;
        if (q->type == OA_Q_FILE) {
            rc = add_file(body, q, a, why);
            continue;
        }
        char *err = NULL;
        json_t *v = ats_answer_json(q, a, true, &err);
        if (!v) {
            *why = xasprintf("question %s (\"%.60s\"): %s", q->question_id, q->label, err);
            free(err);
            rc = OA_INVALID;
            continue;
        }
        if (strncmp(q->field_name, DEMOGRAPHIC, strlen(DEMOGRAPHIC)) == 0) {
            json_t *opts = json_array();
            json_t *ids = json_is_array(v) ? json_incref(v) : json_pack("[O]", v);
            size_t k;
            json_t *id;
            json_array_foreach(ids, k, id)
                json_array_append_new(opts, json_pack("{sO}", "answer_option_id", id));
            json_decref(ids);
            char *qid = xstrdup(q->field_name + strlen(DEMOGRAPHIC));
            json_t *jqid = json_integer(strtoll(qid, NULL, 10));
            json_array_append_new(demo,
                                  json_pack("{soso}", "question_id", jqid, "answer_options", opts));
            free(qid);
            json_decref(v);
        } else if (strncmp(q->field_name, COMPLIANCE, strlen(COMPLIANCE)) == 0) {
            json_object_set_new(dc, q->field_name + strlen(COMPLIANCE), v);
        } else {
            /* A multi-select's field is documented as question_N[] in forms, question_N in
             * JSON. */
            size_t nl = strlen(q->field_name);
            char *name = nl > 2 && strcmp(q->field_name + nl - 2, "[]") == 0
                             ? xstrndup(q->field_name, nl - 2)
                             : xstrdup(q->field_name);
            json_object_set_new(body, name, v);
            free(name);
        }
    }
    if (json_array_size(demo))
        json_object_set(body, "demographic_answers", demo);
    if (json_object_size(dc))
        json_object_set(body, "data_compliance", dc);
    json_decref(demo);
    json_decref(dc);
    if (rc == OA_OK) {
        out->raw = json_dumps(body, JSON_COMPACT);
        out->raw_len = out->raw ? strlen(out->raw) : 0;
        out->raw_type = xstrdup("application/json");
        out->body = DRV_BODY_RAW;
        ats_basic_auth(out, key, "");
        drv_request_header(out, "Accept", "application/json");
        if (!out->raw) {
            *why = xstrdup("the submission could not be encoded");
            rc = OA_INVALID;
        }
    }
    json_decref(body);
    return rc;
}

const drv_driver drv_greenhouse = {
    .name = "greenhouse",
    .rules = RULES,
    .default_base = "https://boards-api.greenhouse.io",
    .content_types = TYPES,
    .settings = SETTINGS,
    .form_request = gh_form_request,
    .closed = drv_closed_gone,
    .extract = gh_extract,
    .submission = gh_submission,
    .classify = ats_classify,
};
