/*
 * form.c - the application form model: ids, (de)serialisation, content hash, answer validation.
 *
 * Question ids are derived, not random: id = H("q", posting id, field name). Re-parsing an
 * unchanged form therefore yields the same ids, and a client that cached a form keeps valid
 * question ids across revisions whenever the site kept its field names. Option ids are
 * H("o", question id, option value).
 */
#include "core/form.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/crypto.h"

static const char *const QTYPE_NAMES[] = {"TEXT", "NUMBER",        "BOOLEAN",     "FILE",
                                          "DATE", "SINGLE_SELECT", "MULTI_SELECT"};
static const char *const CONTROL_NAMES[] = {"text",       "select",   "radio",
                                            "checkboxes", "checkbox", "file"};

const char *oa_qtype_name(oa_qtype t)
{
    return (unsigned)t < OA_ARRAY_LEN(QTYPE_NAMES) ? QTYPE_NAMES[t] : "TEXT";
}

bool oa_qtype_parse(const char *s, oa_qtype *out)
{
    for (size_t i = 0; s && i < OA_ARRAY_LEN(QTYPE_NAMES); i++) {
        if (strcmp(s, QTYPE_NAMES[i]) == 0) {
            *out = (oa_qtype)i;
            return true;
        }
    }
    return false;
}

const char *oa_control_name(oa_control c)
{
    return (unsigned)c < OA_ARRAY_LEN(CONTROL_NAMES) ? CONTROL_NAMES[c] : "text";
}

bool oa_control_parse(const char *s, oa_control *out)
{
    for (size_t i = 0; s && i < OA_ARRAY_LEN(CONTROL_NAMES); i++) {
        if (strcmp(s, CONTROL_NAMES[i]) == 0) {
            *out = (oa_control)i;
            return true;
        }
    }
    return false;
}

void oa_block_free(oa_block *b)
{
    free(b->label);
    for (size_t i = 0; i < b->n_children; i++)
        oa_block_free(&b->children[i]);
    free(b->children);
    free(b->description);
    free(b->category);
    free(b->unified_key);
    for (size_t i = 0; i < b->n_options; i++) {
        free(b->options[i].label);
        free(b->options[i].unified_key);
        free(b->options[i].value);
    }
    free(b->options);
    free(b->dw_field);
    free(b->dw_value);
    json_decref(b->dw_answer);
    free(b->field_name);
    free(b->checked_value);
    free(b->input_type);
    free(b->accept);
    for (size_t i = 0; i < b->n_date_parts; i++) {
        free(b->date_parts[i].field_name);
        for (size_t k = 0; k < b->date_parts[i].n_values; k++)
            free(b->date_parts[i].values[k]);
        free(b->date_parts[i].values);
    }
    free(b->date_parts);
    memset(b, 0, sizeof *b);
}

oa_date_part *oa_date_part_add(oa_block *q, oa_date_unit unit, const char *field_name)
{
    q->date_parts = xrealloc(q->date_parts, (q->n_date_parts + 1) * sizeof *q->date_parts);
    oa_date_part *p = &q->date_parts[q->n_date_parts++];
    memset(p, 0, sizeof *p);
    p->unit = unit;
    p->field_name = xstrdup(field_name);
    return p;
}

void oa_date_part_value(oa_date_part *p, const char *value)
{
    p->values = xrealloc(p->values, (p->n_values + 1) * sizeof *p->values);
    p->values[p->n_values++] = xstrdup(value);
}

void oa_form_free(oa_form *f)
{
    free(f->action);
    free(f->method);
    free(f->enctype);
    for (size_t i = 0; i < f->n_hidden; i++) {
        free(f->hidden[i].name);
        free(f->hidden[i].value);
    }
    free(f->hidden);
    for (size_t i = 0; i < f->n_blocks; i++)
        oa_block_free(&f->blocks[i]);
    free(f->blocks);
    memset(f, 0, sizeof *f);
}

oa_block *oa_block_add(oa_block **arr, size_t *n)
{
    *arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
    oa_block *b = &(*arr)[(*n)++];
    memset(b, 0, sizeof *b);
    return b;
}

oa_option *oa_option_add(oa_block *q)
{
    q->options = xrealloc(q->options, (q->n_options + 1) * sizeof *q->options);
    oa_option *o = &q->options[q->n_options++];
    memset(o, 0, sizeof *o);
    return o;
}

void oa_form_add_hidden(oa_form *f, const char *name, const char *value)
{
    f->hidden = xrealloc(f->hidden, (f->n_hidden + 1) * sizeof *f->hidden);
    f->hidden[f->n_hidden].name = xstrdup(name);
    f->hidden[f->n_hidden].value = xstrdup(value ? value : "");
    f->n_hidden++;
}

/* ---- walking ---------------------------------------------------------------------------- */

static void each_q(oa_block *b, size_t n, void (*fn)(oa_block *, void *), void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i].kind == OA_BLOCK_SECTION)
            each_q(b[i].children, b[i].n_children, fn, ctx);
        else
            fn(&b[i], ctx);
    }
}

struct each_const_ctx {
    void (*fn)(const oa_block *, void *);
    void *ctx;
};

static void each_const_tramp(oa_block *q, void *c)
{
    struct each_const_ctx *e = c;
    e->fn(q, e->ctx);
}

void oa_form_each_question(const oa_form *f, void (*fn)(const oa_block *q, void *ctx), void *ctx)
{
    struct each_const_ctx e = {fn, ctx};
    each_q(f->blocks, f->n_blocks, each_const_tramp, &e);
}

struct find_ctx {
    const char *id;
    const char *field;
    oa_block *found;
};

static void find_fn(oa_block *q, void *c)
{
    struct find_ctx *fc = c;
    if (fc->found)
        return;
    if (fc->id && strcmp(q->question_id, fc->id) == 0)
        fc->found = q;
    else if (fc->field && q->field_name && strcmp(q->field_name, fc->field) == 0)
        fc->found = q;
}

const oa_block *oa_form_find_question(const oa_form *f, const char *question_id)
{
    struct find_ctx fc = {question_id, NULL, NULL};
    each_q(f->blocks, f->n_blocks, find_fn, &fc);
    return fc.found;
}

static void count_fn(const oa_block *q, void *c)
{
    OA_UNUSED(q);
    (*(size_t *)c)++;
}

size_t oa_form_count_questions(const oa_form *f)
{
    size_t n = 0;
    oa_form_each_question(f, count_fn, &n);
    return n;
}

/* ---- ids -------------------------------------------------------------------------------- */

struct assign_ctx {
    const char *posting_id;
    oa_form *form;
    size_t index;
};

static void assign_fn(oa_block *q, void *c)
{
    struct assign_ctx *ac = c;
    char idx[32];
    snprintf(idx, sizeof idx, "%zu", ac->index++);
    const char *key = q->field_name && *q->field_name ? q->field_name : q->label;
    oa_id_derive(q->question_id, "q", ac->posting_id, key, NULL);
    /* Two questions on one field name (rare, e.g. a repeated unnamed control): disambiguate. */
    struct find_ctx fc = {q->question_id, NULL, NULL};
    each_q(ac->form->blocks, ac->form->n_blocks, find_fn, &fc);
    if (fc.found && fc.found != q)
        oa_id_derive(q->question_id, "q", ac->posting_id, key, idx, NULL);
    for (size_t i = 0; i < q->n_options; i++) {
        const char *v = q->options[i].value ? q->options[i].value : q->options[i].label;
        oa_id_derive(q->options[i].id, "o", q->question_id, v, NULL);
    }
}

static json_t *dw_answer_for(const oa_block *target, const char *value)
{
    switch (target->type) {
    case OA_Q_SINGLE_SELECT:
    case OA_Q_MULTI_SELECT:
        for (size_t i = 0; i < target->n_options; i++) {
            const oa_option *o = &target->options[i];
            if ((o->value && strcmp(o->value, value) == 0) || strcmp(o->label, value) == 0) {
                if (target->type == OA_Q_SINGLE_SELECT)
                    return json_string(o->id);
                json_t *a = json_array();
                json_array_append_new(a, json_string(o->id));
                return a;
            }
        }
        return NULL;
    case OA_Q_BOOLEAN: {
        bool on = strcmp(value, "true") == 0 ||
                  (target->checked_value && strcmp(value, target->checked_value) == 0);
        return json_boolean(on);
    }
    case OA_Q_NUMBER: {
        char *end = NULL;
        double d = strtod(value, &end);
        if (!end || *end || !isfinite(d))
            return NULL;
        return json_real(d);
    }
    default:
        return json_string(value);
    }
}

static void resolve_fn(oa_block *q, void *c)
{
    struct assign_ctx *ac = c;
    json_decref(q->dw_answer);
    q->dw_answer = NULL;
    q->dw_question_id[0] = '\0';
    if (!q->dw_field)
        return;
    struct find_ctx fc = {NULL, q->dw_field, NULL};
    each_q(ac->form->blocks, ac->form->n_blocks, find_fn, &fc);
    if (!fc.found || fc.found == q)
        return;
    json_t *ans = dw_answer_for(fc.found, q->dw_value ? q->dw_value : "");
    if (!ans)
        return;
    memcpy(q->dw_question_id, fc.found->question_id, OA_ID_SIZE);
    q->dw_answer = ans;
}

void oa_form_assign_ids(oa_form *f, const char *posting_id)
{
    struct assign_ctx ac = {posting_id, f, 0};
    each_q(f->blocks, f->n_blocks, assign_fn, &ac);
    each_q(f->blocks, f->n_blocks, resolve_fn, &ac);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *block_to_json(const oa_block *b, oa_form_shape shape)
{
    json_t *o = json_object();
    if (b->kind == OA_BLOCK_SECTION) {
        json_object_set_new(o, "block_type", json_string("SECTION"));
        json_object_set_new(o, "label", json_string(b->label));
        json_t *ch = json_array();
        for (size_t i = 0; i < b->n_children; i++)
            json_array_append_new(ch, block_to_json(&b->children[i], shape));
        json_object_set_new(o, "children", ch);
        return o;
    }
    json_object_set_new(o, "block_type", json_string("QUESTION"));
    json_object_set_new(o, "question_id", json_string(b->question_id));
    json_object_set_new(o, "label", json_string(b->label));
    json_object_set_new(o, "description", str_or_null(b->description));
    json_object_set_new(o, "required", json_boolean(b->required));
    json_object_set_new(o, "category", str_or_null(b->category));
    json_object_set_new(o, "question_type", json_string(oa_qtype_name(b->type)));
    json_object_set_new(o, "unified_key", str_or_null(b->unified_key));
    if (b->type == OA_Q_SINGLE_SELECT || b->type == OA_Q_MULTI_SELECT) {
        json_t *opts = json_array();
        for (size_t i = 0; i < b->n_options; i++) {
            const oa_option *op = &b->options[i];
            json_t *jo = json_object();
            json_object_set_new(jo, "id", json_string(op->id));
            json_object_set_new(jo, "label", json_string(op->label));
            json_object_set_new(jo, "unified_key", str_or_null(op->unified_key));
            if (shape == OA_FORM_INTERNAL)
                json_object_set_new(jo, "value", str_or_null(op->value));
            json_array_append_new(opts, jo);
        }
        json_object_set_new(o, "options", opts);
    } else {
        json_object_set_new(o, "options", json_null());
    }
    if (b->dw_answer) {
        json_t *dw = json_object();
        json_object_set_new(dw, "question_id", json_string(b->dw_question_id));
        json_object_set(dw, "answer_equals", b->dw_answer);
        json_object_set_new(o, "display_when", dw);
    } else {
        json_object_set_new(o, "display_when", json_null());
    }
    if (shape == OA_FORM_INTERNAL) {
        json_object_set_new(o, "control", json_string(oa_control_name(b->control)));
        json_object_set_new(o, "field_name", str_or_null(b->field_name));
        json_object_set_new(o, "checked_value", str_or_null(b->checked_value));
        json_object_set_new(o, "input_type", str_or_null(b->input_type));
        json_object_set_new(o, "accept", str_or_null(b->accept));
        json_object_set_new(o, "dw_field", str_or_null(b->dw_field));
        json_object_set_new(o, "dw_value", str_or_null(b->dw_value));
        if (b->n_date_parts) {
            /* Only when there are parts: every other form keeps its hash. */
            static const char *const UNITS[] = {"day", "month", "year"};
            json_t *parts = json_array();
            for (size_t i = 0; i < b->n_date_parts; i++) {
                const oa_date_part *p = &b->date_parts[i];
                json_t *vals = json_array();
                for (size_t k = 0; k < p->n_values; k++)
                    json_array_append_new(vals, json_string(p->values[k]));
                json_array_append_new(parts,
                                      json_pack("{sssssO}", "unit", UNITS[p->unit], "field_name",
                                                p->field_name, "values", vals));
                json_decref(vals);
            }
            json_object_set_new(o, "date_parts", parts);
        }
    }
    return o;
}

json_t *oa_form_to_json(const oa_form *f, oa_form_shape shape)
{
    json_t *blocks = json_array();
    for (size_t i = 0; i < f->n_blocks; i++)
        json_array_append_new(blocks, block_to_json(&f->blocks[i], shape));
    if (shape == OA_FORM_PUBLIC)
        return blocks;
    json_t *o = json_object();
    json_object_set_new(o, "action", str_or_null(f->action));
    json_object_set_new(o, "method", str_or_null(f->method));
    json_object_set_new(o, "enctype", str_or_null(f->enctype));
    if (f->rendered)
        json_object_set_new(o, "rendered", json_true());
    json_t *h = json_array();
    for (size_t i = 0; i < f->n_hidden; i++) {
        json_t *jh = json_object();
        json_object_set_new(jh, "name", json_string(f->hidden[i].name));
        json_object_set_new(jh, "value", json_string(f->hidden[i].value));
        json_array_append_new(h, jh);
    }
    json_object_set_new(o, "hidden", h);
    json_object_set_new(o, "blocks", blocks);
    return o;
}

static char *dup_str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? xstrdup(s) : NULL;
}

static oa_status block_from_json(const json_t *j, oa_block *b)
{
    if (!json_is_object(j))
        return OA_INVALID;
    const char *bt = json_string_value(json_object_get(j, "block_type"));
    const char *label = json_string_value(json_object_get(j, "label"));
    if (!bt || !label)
        return OA_INVALID;
    b->label = xstrdup(label);
    if (strcmp(bt, "SECTION") == 0) {
        b->kind = OA_BLOCK_SECTION;
        const json_t *ch = json_object_get(j, "children");
        size_t i;
        const json_t *c;
        json_array_foreach(ch, i, c)
        {
            oa_block *cb = oa_block_add(&b->children, &b->n_children);
            if (block_from_json(c, cb) != OA_OK)
                return OA_INVALID;
        }
        return OA_OK;
    }
    if (strcmp(bt, "QUESTION") != 0)
        return OA_INVALID;
    b->kind = OA_BLOCK_QUESTION;
    const char *qid = json_string_value(json_object_get(j, "question_id"));
    if (!qid || strlen(qid) != OA_ID_LEN)
        return OA_INVALID;
    memcpy(b->question_id, qid, OA_ID_SIZE);
    b->description = dup_str(j, "description");
    b->required = json_is_true(json_object_get(j, "required"));
    b->category = dup_str(j, "category");
    if (!oa_qtype_parse(json_string_value(json_object_get(j, "question_type")), &b->type))
        return OA_INVALID;
    b->unified_key = dup_str(j, "unified_key");
    const json_t *opts = json_object_get(j, "options");
    size_t i;
    const json_t *oj;
    json_array_foreach(opts, i, oj)
    {
        const char *id = json_string_value(json_object_get(oj, "id"));
        const char *ol = json_string_value(json_object_get(oj, "label"));
        if (!id || strlen(id) != OA_ID_LEN || !ol)
            return OA_INVALID;
        oa_option *o = oa_option_add(b);
        memcpy(o->id, id, OA_ID_SIZE);
        o->label = xstrdup(ol);
        o->unified_key = dup_str(oj, "unified_key");
        o->value = dup_str(oj, "value");
    }
    const json_t *dw = json_object_get(j, "display_when");
    if (json_is_object(dw)) {
        const char *dq = json_string_value(json_object_get(dw, "question_id"));
        json_t *ae = json_object_get(dw, "answer_equals");
        if (dq && strlen(dq) == OA_ID_LEN && ae) {
            memcpy(b->dw_question_id, dq, OA_ID_SIZE);
            b->dw_answer = json_deep_copy(ae);
        }
    }
    if (!oa_control_parse(json_string_value(json_object_get(j, "control")), &b->control))
        b->control = OA_CTL_TEXT;
    b->field_name = dup_str(j, "field_name");
    b->checked_value = dup_str(j, "checked_value");
    b->input_type = dup_str(j, "input_type");
    b->accept = dup_str(j, "accept");
    b->dw_field = dup_str(j, "dw_field");
    b->dw_value = dup_str(j, "dw_value");
    const json_t *parts = json_object_get(j, "date_parts");
    const json_t *pj;
    json_array_foreach(parts, i, pj)
    {
        const char *unit = json_string_value(json_object_get(pj, "unit"));
        const char *name = json_string_value(json_object_get(pj, "field_name"));
        if (!unit || !name)
            return OA_INVALID;
        oa_date_unit u = strcmp(unit, "day") == 0     ? OA_DATE_DAY
                         : strcmp(unit, "month") == 0 ? OA_DATE_MONTH
                                                      : OA_DATE_YEAR;
        oa_date_part *p = oa_date_part_add(b, u, name);
        size_t k;
        const json_t *v;
        json_array_foreach(json_object_get(pj, "values"), k, v)
        {
            if (json_is_string(v))
                oa_date_part_value(p, json_string_value(v));
        }
    }
    return OA_OK;
}

oa_status oa_form_from_json(const json_t *j, oa_form *out)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(j))
        return OA_INVALID;
    out->action = dup_str(j, "action");
    out->method = dup_str(j, "method");
    out->enctype = dup_str(j, "enctype");
    out->rendered = json_is_true(json_object_get(j, "rendered"));
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(j, "hidden"), i, v)
    {
        const char *n = json_string_value(json_object_get(v, "name"));
        if (n)
            oa_form_add_hidden(out, n, json_string_value(json_object_get(v, "value")));
    }
    const json_t *blocks = json_object_get(j, "blocks");
    if (!json_is_array(blocks))
        goto bad;
    json_array_foreach(blocks, i, v)
    {
        oa_block *b = oa_block_add(&out->blocks, &out->n_blocks);
        if (block_from_json(v, b) != OA_OK)
            goto bad;
    }
    return OA_OK;
bad:
    oa_form_free(out);
    return OA_INVALID;
}

void oa_form_hash(const oa_form *f, char out[65])
{
    json_t *j = oa_form_to_json(f, OA_FORM_INTERNAL);
    /* Hidden values (CSRF tokens, timestamps) change per page load: keep only the names. */
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(j, "hidden"), i, h)
        json_object_set_new(h, "value", json_null());
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    oa_sha256_hex(s, strlen(s), out);
    free(s);
    json_decref(j);
}

/* ---- validation ------------------------------------------------------------------------- */

void oa_answers_free(oa_answers *a)
{
    free(a->items);
    a->items = NULL;
    a->n = 0;
}

json_t *oa_answers_get(const oa_answers *a, const char *question_id)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->items[i].q->question_id, question_id) == 0)
            return a->items[i].answer;
    return NULL;
}

typedef struct {
    const oa_block **qs;
    json_t **ans; /* parallel to qs; NULL when unanswered */
    size_t n;
} qtable;

static void collect_fn(const oa_block *q, void *c)
{
    qtable *t = c;
    t->qs[t->n] = q;
    t->ans[t->n] = NULL;
    t->n++;
}

static ssize_t qindex(const qtable *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->qs[i]->question_id, id) == 0)
            return (ssize_t)i;
    return -1;
}

static bool option_exists(const oa_block *q, const char *id)
{
    for (size_t i = 0; i < q->n_options; i++)
        if (strcmp(q->options[i].id, id) == 0)
            return true;
    return false;
}

static bool b64_valid(const char *s)
{
    size_t n = strlen(s), len;
    uint8_t *d = NULL;
    if (oa_b64_decode(s, n, &d, &len) != OA_OK)
        return false;
    free(d);
    return true;
}

static bool looks_like_email(const char *s)
{
    const char *at = strchr(s, '@');
    return at && at != s && strchr(at + 1, '.') && at[1] != '.' && !strchr(at + 1, '@') &&
           s[strlen(s) - 1] != '.' && !strpbrk(s, " \t\r\n<>,;");
}

/* Checks one answer's JSON type and content against its question. NULL when fine, else a
 * malloc'd reason. */
static char *check_answer(const oa_block *q, const json_t *a)
{
    switch (q->type) {
    case OA_Q_TEXT: {
        if (!json_is_string(a))
            return xstrdup("expected a string for a TEXT question");
        if (json_string_length(a) > OA_MAX_TEXT_ANSWER)
            return xasprintf("answer is longer than %d bytes", OA_MAX_TEXT_ANSWER);
        const char *s = json_string_value(a);
        if (q->input_type && strcmp(q->input_type, "email") == 0 && *s && !looks_like_email(s))
            return xstrdup("expected an email address");
        return NULL;
    }
    case OA_Q_NUMBER:
        return json_is_number(a) ? NULL : xstrdup("expected a number for a NUMBER question");
    case OA_Q_BOOLEAN:
        return json_is_boolean(a) ? NULL : xstrdup("expected true or false for a BOOLEAN question");
    case OA_Q_DATE: {
        if (!json_is_string(a))
            return xstrdup("expected an ISO 8601 date string (YYYY-MM-DD) for a DATE question");
        const char *s = json_string_value(a);
        int64_t ms;
        if (oa_date_valid(s) || (strlen(s) > 10 && oa_time_parse(s, &ms) == OA_OK))
            return NULL;
        return xasprintf("\"%.40s\" is not an ISO 8601 date (YYYY-MM-DD)", s);
    }
    case OA_Q_SINGLE_SELECT:
        if (!json_is_string(a))
            return xstrdup("expected an option id (string) for a SINGLE_SELECT question");
        if (!option_exists(q, json_string_value(a)))
            return xasprintf("\"%.40s\" is not an option id of this question",
                             json_string_value(a));
        return NULL;
    case OA_Q_MULTI_SELECT: {
        if (!json_is_array(a))
            return xstrdup("expected an array of option ids for a MULTI_SELECT question");
        size_t i, k;
        const json_t *v;
        json_array_foreach(a, i, v)
        {
            if (!json_is_string(v))
                return xasprintf("item %zu is not an option id (string)", i);
            if (!option_exists(q, json_string_value(v)))
                return xasprintf("\"%.40s\" is not an option id of this question",
                                 json_string_value(v));
            for (k = 0; k < i; k++)
                if (json_equal(json_array_get(a, k), v))
                    return xasprintf("option \"%.40s\" is selected twice", json_string_value(v));
        }
        return NULL;
    }
    case OA_Q_FILE: {
        if (!json_is_object(a))
            return xstrdup("expected a file object {name, content_type, data} for a FILE question");
        const json_t *n = json_object_get(a, "name");
        const json_t *ct = json_object_get(a, "content_type");
        const json_t *d = json_object_get(a, "data");
        if (!json_is_string(n) || json_string_length(n) == 0)
            return xstrdup("file.name must be a non-empty string");
        if (json_string_length(n) > 255 || strpbrk(json_string_value(n), "/\\\r\n\""))
            return xstrdup("file.name must be a plain file name of at most 255 bytes");
        if (!json_is_string(ct) || json_string_length(ct) == 0 ||
            strpbrk(json_string_value(ct), "\r\n\"") || !strchr(json_string_value(ct), '/'))
            return xstrdup("file.content_type must be a MIME type such as application/pdf");
        if (!json_is_string(d))
            return xstrdup("file.data must be a base64 string");
        if (!b64_valid(json_string_value(d)))
            return xstrdup("file.data is not valid base64");
        return NULL;
    }
    }
    return xstrdup("unsupported question type");
}

static bool answer_is_empty(const oa_block *q, const json_t *a)
{
    if (json_is_string(a)) {
        for (const char *s = json_string_value(a); *s; s++)
            if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
                return false;
        return true;
    }
    if (json_is_array(a))
        return json_array_size(a) == 0;
    if (q->type == OA_Q_FILE)
        return json_string_length(json_object_get(a, "data")) == 0;
    return json_is_null(a);
}

static bool answer_matches(const json_t *a, const json_t *expect)
{
    if (!a)
        return false;
    if (json_is_number(a) && json_is_number(expect))
        return json_number_value(a) == json_number_value(expect);
    if (json_is_array(a) && json_is_array(expect)) {
        /* Set equality: same options, any order. */
        if (json_array_size(a) != json_array_size(expect))
            return false;
        size_t i, k;
        const json_t *v;
        json_array_foreach(expect, i, v)
        {
            bool found = false;
            for (k = 0; k < json_array_size(a) && !found; k++)
                found = json_equal(json_array_get(a, k), v);
            if (!found)
                return false;
        }
        return true;
    }
    return json_equal(a, expect);
}

/* Visibility with memo: 0 unknown, 1 visible, 2 hidden, 3 in progress (cycle => hidden). */
static bool visible(const qtable *t, size_t i, uint8_t *memo)
{
    if (memo[i] == 1)
        return true;
    if (memo[i] == 2 || memo[i] == 3)
        return false;
    const oa_block *q = t->qs[i];
    if (!q->dw_answer) {
        memo[i] = 1;
        return true;
    }
    memo[i] = 3;
    ssize_t dep = qindex(t, q->dw_question_id);
    bool vis =
        dep >= 0 && visible(t, (size_t)dep, memo) && answer_matches(t->ans[dep], q->dw_answer);
    memo[i] = vis ? 1 : 2;
    return vis;
}

oa_status oa_form_validate(const oa_form *f, const json_t *answers, oa_answers *out, char **msg,
                           char **bad_qid)
{
    *msg = NULL;
    *bad_qid = NULL;
    out->items = NULL;
    out->n = 0;
    if (!json_is_array(answers)) {
        *msg = xstrdup("screening_question_answers must be an array");
        return OA_INVALID;
    }
    if (json_array_size(answers) > OA_MAX_ANSWERS) {
        *msg = xasprintf("screening_question_answers has more than %d items", OA_MAX_ANSWERS);
        return OA_INVALID;
    }
    size_t nq = oa_form_count_questions(f);
    qtable t = {xcalloc(nq + 1, sizeof *t.qs), xcalloc(nq + 1, sizeof *t.ans), 0};
    uint8_t *memo = xcalloc(nq + 1, 1);
    oa_status st = OA_INVALID;
    oa_form_each_question(f, collect_fn, &t);

    size_t i;
    json_t *item;
    json_array_foreach(answers, i, item)
    {
        if (!json_is_object(item)) {
            *msg = xasprintf("screening_question_answers[%zu] must be an object", i);
            goto out;
        }
        const json_t *qid = json_object_get(item, "question_id");
        json_t *ans = json_object_get(item, "answer");
        if (!json_is_string(qid)) {
            *msg = xasprintf("screening_question_answers[%zu].question_id must be a string", i);
            goto out;
        }
        const char *id = json_string_value(qid);
        ssize_t k = qindex(&t, id);
        if (k < 0) {
            *msg = xasprintf("screening_question_answers[%zu].question_id \"%.40s\" is not a "
                             "question of this form",
                             i, id);
            *bad_qid = xstrdup(id);
            goto out;
        }
        if (!ans) {
            *msg = xasprintf("screening_question_answers[%zu].answer is missing (question_id %s)",
                             i, id);
            *bad_qid = xstrdup(id);
            goto out;
        }
        if (t.ans[k]) {
            *msg = xasprintf("question_id %s is answered more than once", id);
            *bad_qid = xstrdup(id);
            goto out;
        }
        if (json_is_null(ans))
            continue; /* explicit null: treated as unanswered */
        char *why = check_answer(t.qs[k], ans);
        if (why) {
            *msg =
                xasprintf("screening_question_answers[%zu].answer: %s (question_id %s, \"%.60s\")",
                          i, why, id, t.qs[k]->label);
            *bad_qid = xstrdup(id);
            free(why);
            goto out;
        }
        t.ans[k] = ans;
    }
    for (size_t k = 0; k < t.n; k++) {
        const oa_block *q = t.qs[k];
        if (!visible(&t, k, memo))
            continue;
        bool empty = !t.ans[k] || answer_is_empty(q, t.ans[k]);
        if (q->required && empty) {
            *msg = xasprintf("question_id %s (\"%.60s\") is required", q->question_id, q->label);
            *bad_qid = xstrdup(q->question_id);
            goto out;
        }
        if (q->required && q->control == OA_CTL_CHECKBOX && json_is_false(t.ans[k])) {
            *msg = xasprintf("question_id %s (\"%.60s\") is required and must be true",
                             q->question_id, q->label);
            *bad_qid = xstrdup(q->question_id);
            goto out;
        }
        if (t.ans[k] && !empty) {
            out->items = xrealloc(out->items, (out->n + 1) * sizeof *out->items);
            out->items[out->n].q = q;
            out->items[out->n].answer = t.ans[k];
            out->n++;
        }
    }
    st = OA_OK;
out:
    if (st != OA_OK)
        oa_answers_free(out);
    free(t.qs);
    free(t.ans);
    free(memo);
    return st;
}
