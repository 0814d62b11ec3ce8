/*
 * smartrecruiters.c - the SmartRecruiters connector, from the Posting API and the Application
 * API documentation (developers.smartrecruiters.com: "Get Application Screening Questions and
 * Privacy Policies", "Post an Application").
 *
 * Read: GET {base}/v1/companies/{company}/postings/{postingId} (public) gives the posting and
 * its uuid. With the employer's API key (X-SmartToken, the career site's
 * connectors.smartrecruiters.api_key) a second read, GET
 * {base}/postings/{uuid}/configuration?conditionalsIncluded=true, gives the screening questions:
 * questions[{id, label, repeatable, fields[{id, label, type, required, complianceType,
 * values[{id, label}]}]}] with type INPUT_TEXT, TEXTAREA, SINGLE_SELECT, RADIO, MULTI_SELECT,
 * CHECKBOX or INFORMATION, settings.conditionals[{parentQuestionId, fieldId, valueIds,
 * conditionalQuestions}], privacyPolicies[{url, orgName}] and consentDetails.scopes[{scope,
 * required, label}]. Without a key the form is the candidate's standard fields only (first and
 * last name, email, phone, resume). A closed or unknown posting answers 404.
 *
 * A question of one field is one question; one of several fields (a complex question) is a
 * section of them; a repeatable question is answered once. A conditional question shows only
 * when its parent's single-choice field has the one value it names (display_when); one that
 * depends on several values or on a multi-select cannot be said in display_when and is
 * optional instead, saying so. Diversity questions are EEO.
 *
 * Submit: POST {base}/postings/{uuid}/candidates, JSON, with X-SmartToken: firstName, lastName,
 * email, phoneNumber, resume {fileName, mimeType, fileContent (base64)}, answers[{id, records:
 * [{fieldId: value}]}] (one record per question: text as it is, a choice as its value id, a
 * multi-select as an array of ids, a checkbox as "true"/"false" or its value id) and
 * consentDecisions {scope: true|false}. Files are at most 2 MB, texts at most 4000 bytes.
 * Without a key the application goes to review.
 *
 * URLs: jobs.smartrecruiters.com/{company}/{postingId}[-slug] and the same path on
 * careers.smartrecruiters.com. The rule captures the segment; the driver takes the numeric
 * posting id from its front (or a uuid as it is).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/ats.h"

static const drv_url_rule RULES[] = {
    {"jobs.smartrecruiters.com", "/{account}/{job}", NULL},
    {"careers.smartrecruiters.com", "/{account}/{job}", NULL},
    {NULL, NULL, NULL},
};

static const char *const SETTINGS[] = {"api_key", NULL};
static const char *const TYPES[] = {"json", NULL};

static const ats_name_key NAMES[] = {
    {"firstName", "FIRST_NAME"},          {"lastName", "LAST_NAME"}, {"email", "EMAIL"},
    {"phoneNumber", "FULL_PHONE_NUMBER"}, {"resume", "RESUME"},      {NULL, NULL},
};

#define SQ       "sq:"      /* a screening question's field: sq:{questionId}:{fieldId} */
#define CONSENT  "consent:" /* a consent scope: consent:{scope} */
#define MAX_TEXT 4000       /* bytes of a text answer */
#define MAX_FILE ((size_t)2 << 20)

/* An id that may go into a URL path or a field name: [A-Za-z0-9_-], 1..100 characters. */
static bool plain_id(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 100)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return false;
    return true;
}

static bool is_uuid(const char *s)
{
    if (!s || strlen(s) != 36)
        return false;
    for (size_t i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
            return false;
    }
    return true;
}

/* The posting id in a URL segment: "743999999999-senior-engineer" -> "743999999999"; a uuid as
 * it is. NULL when the segment is neither. */
static char *posting_id(const char *seg)
{
    if (!seg)
        return NULL;
    if (is_uuid(seg))
        return xstrdup(seg);
    size_t n = strspn(seg, "0123456789");
    if (n == 0 || n > 20 || (seg[n] != '\0' && seg[n] != '-'))
        return NULL;
    return xstrndup(seg, n);
}

static oa_status sr_form_request(const drv_ctx *c, drv_request *out, char **why)
{
    *why = NULL;
    const char *company = c->target->parts[DRV_PART_ACCOUNT];
    char *id = posting_id(c->target->parts[DRV_PART_JOB]);
    if (!c->base || !company || !id) {
        free(id);
        *why = xstrdup("the URL names no SmartRecruiters company and posting id");
        return OA_INVALID;
    }
    out->url = xasprintf("%s/v1/companies/%s/postings/%s", c->base, company, id);
    free(id);
    drv_request_header(out, "Accept", "application/json");
    return OA_OK;
}

/* The posting's uuid from the Posting API's answer (malloc'd), or NULL with *why. */
static char *posting_uuid(const char *body, size_t len, char **why)
{
    json_t *j = NULL;
    if (ats_json_object(body, len, &j, why) != OA_OK)
        return NULL;
    const char *u = ats_str(j, "uuid");
    char *out = plain_id(u) ? xstrdup(u) : NULL;
    json_decref(j);
    if (!out)
        *why = xstrdup("the posting has no uuid (not a Posting API posting)");
    return out;
}

/* After the posting: its screening questions, when the career site has the key. */
static oa_status sr_next_request(const drv_ctx *c, drv_request *out, char **why)
{
    *why = NULL;
    const char *key = ats_setting(c, "api_key");
    if (c->n_replies != 1 || !key)
        return OA_NOT_FOUND;
    char *uuid = posting_uuid(c->replies[0].body, c->replies[0].len, why);
    if (!uuid)
        return OA_INVALID;
    out->url = xasprintf("%s/postings/%s/configuration?conditionalsIncluded=true", c->base, uuid);
    free(uuid);
    drv_request_header(out, "Accept", "application/json");
    drv_request_header(out, "X-SmartToken", key);
    return OA_OK;
}

/* ---- reading ---- */

static void standard(oa_form *f)
{
    ats_question(&f->blocks, &f->n_blocks, "First name", true, OA_Q_TEXT, OA_CTL_TEXT, "firstName");
    ats_question(&f->blocks, &f->n_blocks, "Last name", true, OA_Q_TEXT, OA_CTL_TEXT, "lastName");
    oa_block *e =
        ats_question(&f->blocks, &f->n_blocks, "Email", true, OA_Q_TEXT, OA_CTL_TEXT, "email");
    e->input_type = xstrdup("email");
    oa_block *p = ats_question(&f->blocks, &f->n_blocks, "Phone number", false, OA_Q_TEXT,
                               OA_CTL_TEXT, "phoneNumber");
    p->input_type = xstrdup("tel");
    oa_block *r =
        ats_question(&f->blocks, &f->n_blocks, "Resume", false, OA_Q_FILE, OA_CTL_FILE, "resume");
    r->accept = xstrdup(".pdf,.doc,.docx,.rtf,.jpg,.jpeg,.png");
}

static bool is_type(const json_t *field, const char *t)
{
    const char *v = ats_str(field, "type");
    return v && strcmp(v, t) == 0;
}

static const struct {
    const char *type;
    oa_qtype qtype;
    oa_control control;
} TYPES_SR[] = {
    {"INPUT_TEXT", OA_Q_TEXT, OA_CTL_TEXT},
    {"TEXTAREA", OA_Q_TEXT, OA_CTL_TEXT},
    {"SINGLE_SELECT", OA_Q_SINGLE_SELECT, OA_CTL_SELECT},
    {"RADIO", OA_Q_SINGLE_SELECT, OA_CTL_RADIO},
    {"MULTI_SELECT", OA_Q_MULTI_SELECT, OA_CTL_CHECKBOXES},
    {"CHECKBOX", OA_Q_BOOLEAN, OA_CTL_CHECKBOX}, /* several values: a multi-select */
    {"DATE", OA_Q_DATE, OA_CTL_TEXT},            /* answered as an ISO date */
    {"CURRENCY", OA_Q_NUMBER, OA_CTL_TEXT},      /* the help centre's "Currency" format */
};

/* A field we can answer: an id, and a documented type other than INFORMATION. */
static int field_type(const json_t *f)
{
    const char *id = ats_str(f, "id");
    if (!json_is_object(f) || !plain_id(id))
        return -1;
    for (size_t k = 0; k < OA_ARRAY_LEN(TYPES_SR); k++)
        if (is_type(f, TYPES_SR[k].type))
            return (int)k;
    return -1; /* INFORMATION, or a type the API does not document: not guessed at */
}

static void add_field(oa_block **arr, size_t *n, const char *qid, const json_t *f,
                      const char *label, bool diversity)
{
    int k = field_type(f);
    oa_qtype t = TYPES_SR[k].qtype;
    oa_control ctl = TYPES_SR[k].control;
    const json_t *values = json_object_get(f, "values");
    size_t nv = json_is_array(values) ? json_array_size(values) : 0;
    if (t == OA_Q_BOOLEAN && nv >= 2) {
        t = OA_Q_MULTI_SELECT;
        ctl = OA_CTL_CHECKBOXES;
    }
    char *name = xasprintf(SQ "%s:%s", qid, ats_str(f, "id"));
    oa_block *q =
        ats_question(arr, n, label, json_is_true(json_object_get(f, "required")), t, ctl, name);
    free(name);
    if (diversity)
        q->category = xstrdup("EEO");
    if (t == OA_Q_BOOLEAN) {
        const char *v = nv == 1 ? ats_str(json_array_get(values, 0), "id") : NULL;
        q->checked_value = xstrdup(v && *v ? v : "true");
        return;
    }
    if (t != OA_Q_SINGLE_SELECT && t != OA_Q_MULTI_SELECT)
        return;
    size_t i;
    const json_t *v;
    json_array_foreach(values, i, v)
    {
        const char *id = ats_str(v, "id"), *vl = ats_str(v, "label");
        if (id && *id)
            ats_option(q, vl && *vl ? vl : id, id);
    }
    if (!q->n_options)
        (*n)--, oa_block_free(q); /* a choice without options cannot be answered */
}

/* The texts of a question's INFORMATION fields, joined (malloc'd), or NULL. */
static char *information(const json_t *fields)
{
    char *out = NULL;
    size_t i;
    const json_t *f;
    json_array_foreach(fields, i, f)
    {
        const char *l = ats_str(f, "label");
        if (!is_type(f, "INFORMATION") || !l || !*l)
            continue;
        char *s = out ? xasprintf("%s\n%s", out, l) : xstrdup(l);
        free(out);
        out = s;
    }
    return out;
}

static void add_question(oa_form *f, const json_t *jq)
{
    const char *qid = ats_str(jq, "id"), *label = ats_str(jq, "label");
    const json_t *fields = json_object_get(jq, "fields");
    if (!plain_id(qid) || !json_is_array(fields))
        return;
    size_t usable = 0, i;
    const json_t *fl, *only = NULL;
    bool diversity = false;
    json_array_foreach(fields, i, fl)
    {
        if (field_type(fl) < 0)
            continue;
        usable++;
        only = fl;
        const char *ct = ats_str(fl, "complianceType");
        diversity |= ct && strcmp(ct, "DIVERSITY") == 0;
    }
    if (!usable)
        return;
    char *info = information(fields);
    if (usable == 1) {
        const char *fl_label = ats_str(only, "label");
        size_t before = f->n_blocks;
        add_field(&f->blocks, &f->n_blocks, qid, only,
                  label && *label ? label : (fl_label ? fl_label : ""), diversity);
        if (info && f->n_blocks > before)
            f->blocks[f->n_blocks - 1].description = info, info = NULL;
        free(info);
        return;
    }
    oa_block *s = ats_section(&f->blocks, &f->n_blocks, label ? label : "");
    s->description = info;
    json_array_foreach(fields, i, fl)
    {
        if (field_type(fl) < 0)
            continue;
        const char *fl_label = ats_str(fl, "label");
        add_field(&s->children, &s->n_children, qid, fl,
                  fl_label && *fl_label ? fl_label : (label ? label : ""), diversity);
    }
    if (!s->n_children)
        f->n_blocks--, oa_block_free(s);
}

/* Calls fn for every question (in sections too). */
static void each_question(oa_form *f, void (*fn)(oa_block *q, void *ctx), void *ctx)
{
    for (size_t i = 0; i < f->n_blocks; i++) {
        oa_block *b = &f->blocks[i];
        if (b->kind == OA_BLOCK_SECTION)
            for (size_t k = 0; k < b->n_children; k++)
                fn(&b->children[k], ctx);
        else
            fn(b, ctx);
    }
}

/* The question id in a screening field name (pointer into it, length *n), or NULL. */
static const char *sq_question(const char *field_name, size_t *n)
{
    if (!field_name || strncmp(field_name, SQ, strlen(SQ)) != 0)
        return NULL;
    const char *q = field_name + strlen(SQ), *colon = strchr(q, ':');
    if (!colon)
        return NULL;
    *n = (size_t)(colon - q);
    return q;
}

struct find_ctx {
    const char *name;
    oa_block *found;
};

static void find_name(oa_block *q, void *ctx)
{
    struct find_ctx *c = ctx;
    if (!c->found && q->field_name && strcmp(q->field_name, c->name) == 0)
        c->found = q;
}

static oa_block *find_field(oa_form *f, const char *name)
{
    struct find_ctx c = {name, NULL};
    each_question(f, find_name, &c);
    return c.found;
}

#define ASKED_ONLY "Asked only for some answers to"

struct cond_ctx {
    const char *qid;          /* the conditional question */
    const char *parent_name;  /* the parent field's name */
    const char *parent_label; /* for the note */
    const char *value;        /* the one value it names, or NULL when that cannot be said */
};

static void apply_condition(oa_block *q, void *ctx)
{
    struct cond_ctx *c = ctx;
    size_t n = 0;
    const char *qid = sq_question(q->field_name, &n);
    if (!qid || strlen(c->qid) != n || strncmp(qid, c->qid, n) != 0)
        return;
    bool noted = q->description && strstr(q->description, ASKED_ONLY);
    if (c->value && !q->dw_field && !noted) {
        q->dw_field = xstrdup(c->parent_name);
        q->dw_value = xstrdup(c->value);
        return;
    }
    /* Not expressible (several values, a multi-select parent, several conditions): optional,
     * saying when it is asked. */
    free(q->dw_field);
    free(q->dw_value);
    q->dw_field = q->dw_value = NULL;
    q->required = false;
    if (!noted) {
        char *note = xasprintf(ASKED_ONLY " \"%.80s\".", c->parent_label);
        char *d = q->description ? xasprintf("%s\n%s", q->description, note) : xstrdup(note);
        free(note);
        free(q->description);
        q->description = d;
    }
}

static void add_conditionals(oa_form *f, const json_t *conds)
{
    size_t i, k;
    const json_t *c, *cq;
    json_array_foreach(conds, i, c)
    {
        const char *pq = ats_str(c, "parentQuestionId"), *fid = ats_str(c, "fieldId");
        const json_t *vals = json_object_get(c, "valueIds");
        if (!plain_id(pq) || !plain_id(fid))
            continue;
        char *pname = xasprintf(SQ "%s:%s", pq, fid);
        const oa_block *parent = find_field(f, pname);
        const char *one = json_is_array(vals) && json_array_size(vals) == 1
                              ? json_string_value(json_array_get(vals, 0))
                              : NULL;
        bool single =
            parent && (parent->type == OA_Q_SINGLE_SELECT || parent->type == OA_Q_BOOLEAN);
        struct cond_ctx cc = {NULL, pname, parent ? parent->label : pq,
                              single && one && *one ? one : NULL};
        json_array_foreach(json_object_get(c, "conditionalQuestions"), k, cq)
        {
            cc.qid = json_string_value(cq);
            if (plain_id(cc.qid) && strcmp(cc.qid, pq) != 0)
                each_question(f, apply_condition, &cc);
        }
        free(pname);
    }
}

static void add_consent(oa_form *f, const json_t *cfg)
{
    /* The privacy policies the candidate accepts, as the consent's description. */
    char *policies = NULL;
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(cfg, "privacyPolicies"), i, p)
    {
        const char *url = ats_str(p, "url"), *org = ats_str(p, "orgName");
        if (!url || !*url)
            continue;
        char *line = xasprintf("%s%s%s", org ? org : "", org ? ": " : "", url);
        char *s = policies ? xasprintf("%s\n%s", policies, line) : xstrdup(line);
        free(line);
        free(policies);
        policies = s;
    }
    const json_t *scopes = json_object_get(json_object_get(cfg, "consentDetails"), "scopes");
    size_t added = 0;
    const json_t *s;
    json_array_foreach(scopes, i, s)
    {
        const char *scope = ats_str(s, "scope"), *label = ats_str(s, "label");
        if (!plain_id(scope))
            continue;
        char *name = xasprintf(CONSENT "%s", scope);
        oa_block *q = ats_question(&f->blocks, &f->n_blocks, label && *label ? label : scope,
                                   json_is_true(json_object_get(s, "required")), OA_Q_BOOLEAN,
                                   OA_CTL_CHECKBOX, name);
        q->checked_value = xstrdup("true");
        if (policies)
            q->description = xstrdup(policies);
        free(name);
        added++;
    }
    if (!added && policies) {
        /* The single consent model: one decision covering the policies. */
        oa_block *q = ats_question(&f->blocks, &f->n_blocks,
                                   "I consent to the processing of my personal data and accept "
                                   "the privacy policies",
                                   true, OA_Q_BOOLEAN, OA_CTL_CHECKBOX, CONSENT "SINGLE");
        q->checked_value = xstrdup("true");
        q->description = xstrdup(policies);
    }
    free(policies);
}

struct key_ctx {
    const char *key;
    const oa_block *except;
    bool found;
};

static void key_fn(oa_block *q, void *ctx)
{
    struct key_ctx *c = ctx;
    c->found |= q != c->except && q->unified_key && strcmp(q->unified_key, c->key) == 0;
}

static bool has_key(oa_form *f, const char *key, const oa_block *except)
{
    struct key_ctx c = {key, except, false};
    each_question(f, key_fn, &c);
    return c.found;
}

/* The unified keys of the consent scopes, where no other question has them. */
static void consent_key(oa_block *q, void *ctx)
{
    oa_form *f = ctx;
    if (!q->field_name || strncmp(q->field_name, CONSENT, strlen(CONSENT)) != 0)
        return;
    const char *scope = q->field_name + strlen(CONSENT);
    const char *key = strcmp(scope, "SINGLE") == 0 || strcmp(scope, "SMART_RECRUIT") == 0
                          ? "TERMS_AND_CONDITIONS"
                      : strcmp(scope, "SMART_CRM") == 0 ? "APPLICANT_POOL_CONSENT"
                                                        : NULL;
    if (!key || has_key(f, key, q))
        return;
    free(q->unified_key);
    q->unified_key = xstrdup(key);
}

static oa_status sr_extract(const drv_ctx *c, const char *body, size_t len, const char *url,
                            drv_page_kind *kind, oa_form *out, char **why)
{
    OA_UNUSED(url);
    memset(out, 0, sizeof *out);
    *kind = DRV_PAGE_NO_FORM;
    json_t *j = NULL;
    oa_status rc = ats_json_object(body, len, &j, why);
    if (rc != OA_OK)
        return rc;
    const json_t *qs = json_object_get(j, "questions");
    char *uuid = NULL;
    if (json_is_array(qs)) {
        /* The configuration: the posting it belongs to was the first read. */
        char *uwhy = NULL;
        if (c && c->n_replies >= 2)
            uuid = posting_uuid(c->replies[0].body, c->replies[0].len, &uwhy);
        free(uwhy);
        if (!uuid)
            *why = xstrdup("the screening questions came without their posting");
    } else {
        uuid = posting_uuid(body, len, why);
    }
    if (!uuid) {
        json_decref(j);
        return OA_OK;
    }
    standard(out);
    oa_form_add_hidden(out, "uuid", uuid);
    free(uuid);
    if (json_is_array(qs)) {
        size_t i;
        const json_t *q;
        json_array_foreach(qs, i, q)
        {
            if (json_is_object(q))
                add_question(out, q);
        }
        add_conditionals(out, json_object_get(json_object_get(j, "settings"), "conditionals"));
        add_consent(out, j);
    }
    json_decref(j);
    ats_assign_keys(out, NAMES);
    each_question(out, consent_key, out);
    out->method = xstrdup("POST");
    out->enctype = xstrdup("application/json");
    *kind = DRV_PAGE_FORM;
    return OA_OK;
}

/* ---- submitting ---- */

static const char *hidden(const oa_form *f, const char *name)
{
    for (size_t i = 0; f && i < f->n_hidden; i++)
        if (strcmp(f->hidden[i].name, name) == 0)
            return f->hidden[i].value;
    return NULL;
}

/* Bytes a base64 text decodes to. */
static size_t b64_size(const char *s)
{
    size_t n = strlen(s), pad = 0;
    while (n && (s[n - 1] == '=' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        pad += s[--n] == '=';
    return (n + pad) / 4 * 3 - pad;
}

static json_t *file_json(const oa_block *q, const json_t *a, char **why)
{
    const char *name = json_string_value(json_object_get(a, "name"));
    const char *type = json_string_value(json_object_get(a, "content_type"));
    const char *data = json_string_value(json_object_get(a, "data"));
    if (!name || !data) {
        *why = xasprintf("question %s: expected a file object", q->question_id);
        return NULL;
    }
    if (b64_size(data) > MAX_FILE) {
        *why = xasprintf("question %s (\"%.60s\"): SmartRecruiters takes files of at most 2 MB",
                         q->question_id, q->label);
        return NULL;
    }
    return json_pack("{ssssss}", "fileName", name, "mimeType",
                     type ? type : "application/octet-stream", "fileContent", data);
}

/* The record of question qid in answers[] (created on first use). */
static json_t *record_of(json_t *answers, const char *qid, size_t n)
{
    size_t i;
    json_t *a;
    json_array_foreach(answers, i, a)
    {
        const char *id = ats_str(a, "id");
        if (id && strlen(id) == n && strncmp(id, qid, n) == 0)
            return json_array_get(json_object_get(a, "records"), 0);
    }
    json_t *rec = json_object();
    json_t *id = json_stringn(qid, n);
    json_array_append_new(answers, json_pack("{so s[o]}", "id", id, "records", rec));
    return rec;
}

/* One answer into the body; OA_INVALID with *why when it does not fit. */
static oa_status add_answer(json_t *body, json_t *answers, json_t *consent, const oa_block *q,
                            const json_t *a, char **why)
{
    if (q->type == OA_Q_FILE) {
        json_t *fj = file_json(q, a, why);
        if (!fj)
            return OA_INVALID;
        if (strcmp(q->field_name, "resume") == 0)
            json_object_set_new(body, "resume", fj);
        else
            json_array_append_new(json_object_get(body, "attachments"), fj);
        return OA_OK;
    }
    if (strncmp(q->field_name, CONSENT, strlen(CONSENT)) == 0) {
        json_object_set_new(consent, q->field_name + strlen(CONSENT),
                            json_boolean(json_is_true(a)));
        return OA_OK;
    }
    char *err = NULL;
    json_t *v = ats_answer_json(q, a, false, &err);
    if (!v) {
        *why = xasprintf("question %s (\"%.60s\"): %s", q->question_id, q->label, err);
        free(err);
        return OA_INVALID;
    }
    if (json_is_string(v) && strlen(json_string_value(v)) > MAX_TEXT) {
        *why = xasprintf("question %s (\"%.60s\"): SmartRecruiters takes at most %d bytes",
                         q->question_id, q->label, MAX_TEXT);
        json_decref(v);
        return OA_INVALID;
    }
    size_t n = 0;
    const char *qid = sq_question(q->field_name, &n);
    if (!qid) {
        json_object_set_new(body, q->field_name, v); /* a standard field */
        return OA_OK;
    }
    if (json_is_boolean(v)) {
        json_t *s =
            json_string(json_is_true(v) ? (q->checked_value ? q->checked_value : "true") : "false");
        json_decref(v);
        v = s;
    }
    json_object_set_new(record_of(answers, qid, n), qid + n + 1, v);
    return OA_OK;
}

static oa_status sr_submission(const drv_ctx *c, const oa_form *revision, const oa_form *fresh,
                               const oa_answers *answers, drv_request *out, char **why)
{
    *why = NULL;
    const char *key = ats_setting(c, "api_key");
    if (!key) {
        *why = xstrdup("SmartRecruiters accepts applications only with the employer's API key "
                       "(X-SmartToken); set connectors.smartrecruiters.api_key on the career "
                       "site, or apply by hand");
        return OA_DENIED;
    }
    const char *uuid = hidden(fresh, "uuid");
    if (!uuid)
        uuid = hidden(revision, "uuid");
    if (!c->base || !plain_id(uuid)) {
        *why = xstrdup("the form names no SmartRecruiters posting uuid");
        return OA_INVALID;
    }
    json_t *body = json_object(), *ans = json_array(), *consent = json_object();
    json_object_set_new(body, "attachments", json_array());
    oa_status rc = OA_OK;
    for (size_t i = 0; rc == OA_OK && answers && i < answers->n; i++) {
        const oa_block *q = answers->items[i].q;
        const json_t *a = answers->items[i].answer;
        if (q && a && !json_is_null(a) && q->field_name && *q->field_name)
            rc = add_answer(body, ans, consent, q, a, why);
    }
    if (!json_array_size(json_object_get(body, "attachments")))
        json_object_del(body, "attachments");
    if (json_array_size(ans))
        json_object_set(body, "answers", ans);
    if (json_object_size(consent))
        json_object_set(body, "consentDecisions", consent);
    json_decref(ans);
    json_decref(consent);
    if (rc == OA_OK) {
        out->url = xasprintf("%s/postings/%s/candidates", c->base, uuid);
        out->raw = json_dumps(body, JSON_COMPACT);
        out->raw_len = out->raw ? strlen(out->raw) : 0;
        out->raw_type = xstrdup("application/json");
        out->body = DRV_BODY_RAW;
        drv_request_header(out, "Accept", "application/json");
        drv_request_header(out, "X-SmartToken", key);
        if (!out->raw) {
            *why = xstrdup("the submission could not be encoded");
            rc = OA_INVALID;
        }
    }
    json_decref(body);
    return rc;
}

const drv_driver drv_smartrecruiters = {
    .name = "smartrecruiters",
    .rules = RULES,
    .default_base = "https://api.smartrecruiters.com",
    .content_types = TYPES,
    .settings = SETTINGS,
    .form_request = sr_form_request,
    .next_request = sr_next_request,
    .closed = drv_closed_gone,
    .extract = sr_extract,
    .submission = sr_submission,
    .classify = ats_classify,
};
