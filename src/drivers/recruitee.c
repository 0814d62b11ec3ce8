/*
 * recruitee.c - the Recruitee connector, from the Careers Site API's documentation
 * (career.recruitee.com/docs, docs.recruitee.com/reference/offersoffer_idcandidates).
 *
 * Read: GET {base}/api/offers/{slug} (no auth) -> {"offer": {...}}. The candidate's standard
 * fields (name, email, phone, CV, cover letter; the offer's options_phone / options_cv /
 * options_cover_letter say "required", "optional" or "off") and the offer's open_questions[]
 * ({id, kind, required, body, open_question_options[{id, body}]}, kind one of string, text,
 * single_choice, multi_choice, date, salary, number, file, boolean, legal) become the form.
 * A closed or unknown offer answers 404.
 *
 * Submit: POST {base}/api/offers/{slug}/candidates, multipart/form-data, no auth:
 * candidate[name|email|phone|cover_letter|cv] and, per answered open question N,
 * candidate[open_question_answers_attributes][N][open_question_id] with [content] (text,
 * choice, date, number), [multi_content][] (multi choice), [flag] (boolean, legal) or [file].
 * 201 is success, 422 a validation error.
 *
 * URLs: {company}.recruitee.com/o/{slug} and its /c/new apply page.
 */
#include <stdlib.h>
#include <string.h>

#include "drivers/ats.h"

static const drv_url_rule RULES[] = {
    {"{account}.recruitee.com", "/o/{job}", NULL},
    {"{account}.recruitee.com", "/o/{job}/c/new", NULL},
    {"{account}.recruitee.com", "/o/{job}/*", NULL},
    {NULL, NULL, NULL},
};

static const char *const TYPES[] = {"json", NULL};

static const ats_name_key NAMES[] = {
    {"candidate[name]", "FULL_NAME"},
    {"candidate[email]", "EMAIL"},
    {"candidate[phone]", "FULL_PHONE_NUMBER"},
    {"candidate[cv]", "RESUME"},
    {NULL, NULL},
};

#define OPEN_Q "open_question:"

static oa_status offer_url(const drv_ctx *c, const char *suffix, char **out, char **why)
{
    const char *job = c->target->parts[DRV_PART_JOB];
    if (!c->base || !job) {
        *why = xstrdup("the URL names no Recruitee company and offer");
        return OA_INVALID;
    }
    *out = xasprintf("%s/api/offers/%s%s", c->base, job, suffix);
    return OA_OK;
}

static oa_status rc_form_request(const drv_ctx *c, drv_request *out, char **why)
{
    *why = NULL;
    drv_request_header(out, "Accept", "application/json");
    return offer_url(c, "", &out->url, why);
}

/* "required" / "optional" / "off" (absent: the documented default). */
static int option_state(const json_t *offer, const char *name, int dflt)
{
    const char *v = ats_str(offer, name);
    if (!v)
        return dflt;
    if (strcmp(v, "off") == 0)
        return 0;
    return strcmp(v, "required") == 0 ? 2 : 1;
}

static void standard(oa_form *f, const json_t *offer)
{
    ats_question(&f->blocks, &f->n_blocks, "Full name", true, OA_Q_TEXT, OA_CTL_TEXT,
                 "candidate[name]");
    oa_block *e = ats_question(&f->blocks, &f->n_blocks, "Email", true, OA_Q_TEXT, OA_CTL_TEXT,
                               "candidate[email]");
    e->input_type = xstrdup("email");
    int phone = option_state(offer, "options_phone", 2);
    if (phone) {
        oa_block *p = ats_question(&f->blocks, &f->n_blocks, "Phone number", phone == 2, OA_Q_TEXT,
                                   OA_CTL_TEXT, "candidate[phone]");
        p->input_type = xstrdup("tel");
    }
    int cv = option_state(offer, "options_cv", 2);
    if (cv)
        ats_question(&f->blocks, &f->n_blocks, "CV / Resume", cv == 2, OA_Q_FILE, OA_CTL_FILE,
                     "candidate[cv]");
    int cl = option_state(offer, "options_cover_letter", 1);
    if (cl)
        ats_question(&f->blocks, &f->n_blocks, "Cover letter", cl == 2, OA_Q_TEXT, OA_CTL_TEXT,
                     "candidate[cover_letter]");
}

static const struct {
    const char *kind;
    oa_qtype type;
    oa_control control;
} KINDS[] = {
    {"string", OA_Q_TEXT, OA_CTL_TEXT},
    {"text", OA_Q_TEXT, OA_CTL_TEXT},
    {"single_choice", OA_Q_SINGLE_SELECT, OA_CTL_RADIO},
    {"multi_choice", OA_Q_MULTI_SELECT, OA_CTL_CHECKBOXES},
    {"date", OA_Q_DATE, OA_CTL_TEXT},
    {"salary", OA_Q_NUMBER, OA_CTL_TEXT},
    {"number", OA_Q_NUMBER, OA_CTL_TEXT},
    {"file", OA_Q_FILE, OA_CTL_FILE},
    {"boolean", OA_Q_BOOLEAN, OA_CTL_RADIO},
    {"legal", OA_Q_BOOLEAN, OA_CTL_RADIO},
};

static void open_question(oa_form *f, const json_t *jq)
{
    const char *kind = ats_str(jq, "kind"), *body = ats_str(jq, "body");
    char *id = ats_text(jq, "id");
    size_t k = 0;
    while (kind && k < OA_ARRAY_LEN(KINDS) && strcmp(KINDS[k].kind, kind) != 0)
        k++;
    if (!id || !body || !*body || !kind || k == OA_ARRAY_LEN(KINDS)) {
        free(id);
        return; /* a kind the API does not document is not guessed at */
    }
    char *name = xasprintf(OPEN_Q "%s", id);
    oa_block *q =
        ats_question(&f->blocks, &f->n_blocks, body, json_is_true(json_object_get(jq, "required")),
                     KINDS[k].type, KINDS[k].control, name);
    if (KINDS[k].type == OA_Q_SINGLE_SELECT || KINDS[k].type == OA_Q_MULTI_SELECT) {
        size_t i;
        const json_t *o;
        json_array_foreach(json_object_get(jq, "open_question_options"), i, o)
        {
            const char *label = ats_str(o, "body");
            if (label && *label)
                ats_option(q, label, label); /* the answer's content is the option's text */
        }
        if (!q->n_options)
            f->n_blocks--, oa_block_free(q);
    }
    free(name);
    free(id);
}

static int by_position(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t px = json_integer_value(json_object_get(x, "position"));
    json_int_t py = json_integer_value(json_object_get(y, "position"));
    return px < py ? -1 : px > py;
}

static oa_status rc_extract(const drv_ctx *c, const char *body, size_t len, const char *url,
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
    const json_t *offer = json_object_get(j, "offer");
    if (!json_is_object(offer)) {
        *why = xstrdup("the answer holds no offer (not a Careers Site API offer)");
        json_decref(j);
        return OA_OK;
    }
    const char *status = ats_str(offer, "status");
    if (status && strcmp(status, "published") != 0) {
        *kind = DRV_PAGE_CLOSED;
        *why = xasprintf("the offer's status is %.40s", status);
        json_decref(j);
        return OA_OK;
    }
    standard(out, offer);
    const json_t *qs = json_object_get(offer, "open_questions");
    size_t n = json_is_array(qs) ? json_array_size(qs) : 0;
    if (n) {
        const json_t **sorted = xmalloc(n * sizeof *sorted);
        for (size_t i = 0; i < n; i++)
            sorted[i] = json_array_get(qs, i);
        qsort(sorted, n, sizeof *sorted, by_position); /* stable enough: positions differ */
        for (size_t i = 0; i < n; i++)
            if (json_is_object(sorted[i]))
                open_question(out, sorted[i]);
        free(sorted);
    }
    json_decref(j);
    ats_assign_keys(out, NAMES);
    out->method = xstrdup("POST");
    out->enctype = xstrdup("multipart/form-data");
    *kind = DRV_PAGE_FORM;
    return OA_OK;
}

static oa_status rc_submission(const drv_ctx *c, const oa_form *revision, const oa_form *fresh,
                               const oa_answers *answers, drv_request *out, char **why)
{
    OA_UNUSED(revision);
    OA_UNUSED(fresh);
    *why = NULL;
    oa_status rc = offer_url(c, "/candidates", &out->url, why);
    if (rc != OA_OK)
        return rc;
    size_t n_open = 0;
    for (size_t i = 0; answers && i < answers->n; i++) {
        const oa_block *q = answers->items[i].q;
        const json_t *a = answers->items[i].answer;
        if (!q || !a || json_is_null(a) || !q->field_name || !*q->field_name)
            continue;
        drv_fields tmp = {0};
        char *err = drv_answer_fields(&tmp, q, a);
        if (err) {
            *why = xasprintf("question %s (\"%.60s\"): %s", q->question_id, q->label, err);
            free(err);
            drv_fields_free(&tmp);
            return OA_INVALID;
        }
        if (strncmp(q->field_name, OPEN_Q, strlen(OPEN_Q)) != 0) {
            for (size_t k = 0; k < tmp.n; k++) {
                /* take the field as it is */
                out->fields.items =
                    xrealloc(out->fields.items, (out->fields.n + 1) * sizeof *out->fields.items);
                out->fields.items[out->fields.n++] = tmp.items[k];
            }
            free(tmp.items);
            continue;
        }
        char *pre = xasprintf("candidate[open_question_answers_attributes][%zu]", n_open++);
        char *idf = xasprintf("%s[open_question_id]", pre);
        drv_fields_add_text(&out->fields, idf, q->field_name + strlen(OPEN_Q));
        free(idf);
        const char *part = q->type == OA_Q_MULTI_SELECT ? "[multi_content][]"
                           : q->type == OA_Q_FILE       ? "[file]"
                           : q->type == OA_Q_BOOLEAN    ? "[flag]"
                                                        : "[content]";
        char *fname = xasprintf("%s%s", pre, part);
        for (size_t k = 0; k < tmp.n; k++) {
            free(tmp.items[k].name);
            tmp.items[k].name = xstrdup(fname);
            out->fields.items =
                xrealloc(out->fields.items, (out->fields.n + 1) * sizeof *out->fields.items);
            out->fields.items[out->fields.n++] = tmp.items[k];
        }
        free(tmp.items);
        free(fname);
        free(pre);
    }
    out->body = DRV_BODY_MULTIPART;
    drv_request_header(out, "Accept", "application/json");
    return OA_OK;
}

const drv_driver drv_recruitee = {
    .name = "recruitee",
    .rules = RULES,
    .default_base = "https://{account}.recruitee.com",
    .content_types = TYPES,
    .settings = NULL,
    .form_request = rc_form_request,
    .closed = drv_closed_gone,
    .extract = rc_extract,
    .submission = rc_submission,
    .classify = ats_classify,
};
