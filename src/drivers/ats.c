/* ats.c - helpers shared by the ATS connectors (see ats.h). */
#include "drivers/ats.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/unified_keys.h"
#include "util/crypto.h"

static size_t depth_of(const char *s, size_t n)
{
    size_t d = 0, max = 0;
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            if (++d > max)
                max = d;
        } else if ((c == '}' || c == ']') && d) {
            d--;
        }
    }
    return max;
}

oa_status ats_json_object(const char *body, size_t len, json_t **out, char **why)
{
    *out = NULL;
    *why = NULL;
    if (len > ATS_MAX_JSON) {
        *why = xasprintf("the answer is larger than %zu bytes", (size_t)ATS_MAX_JSON);
        return OA_TOO_LARGE;
    }
    if (depth_of(body, len) > ATS_MAX_DEPTH) {
        *why = xasprintf("the answer nests deeper than %d levels", ATS_MAX_DEPTH);
        return OA_INVALID;
    }
    json_error_t err;
    json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        *why = xasprintf("the answer is not valid JSON (line %d: %s)", err.line, err.text);
        return OA_INVALID;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        *why = xstrdup("the answer is not a JSON object");
        return OA_INVALID;
    }
    *out = j;
    return OA_OK;
}

const char *ats_str(const json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

char *ats_text(const json_t *o, const char *name)
{
    const json_t *v = json_object_get(o, name);
    if (json_is_string(v))
        return xstrdup(json_string_value(v));
    if (json_is_integer(v))
        return xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
    return NULL;
}

oa_block *ats_question(oa_block **arr, size_t *n, const char *label, bool required, oa_qtype type,
                       oa_control control, const char *field_name)
{
    oa_block *q = oa_block_add(arr, n);
    q->kind = OA_BLOCK_QUESTION;
    q->label = xstrdup(label ? label : "");
    q->required = required;
    q->type = type;
    q->control = control;
    q->field_name = xstrdup(field_name ? field_name : "");
    return q;
}

oa_block *ats_section(oa_block **arr, size_t *n, const char *label)
{
    oa_block *s = oa_block_add(arr, n);
    s->kind = OA_BLOCK_SECTION;
    s->label = xstrdup(label ? label : "");
    return s;
}

void ats_option(oa_block *q, const char *label, const char *value)
{
    oa_option *o = oa_option_add(q);
    o->label = xstrdup(label ? label : (value ? value : ""));
    o->value = value ? xstrdup(value) : NULL;
}

/* ---- unified keys ---- */

typedef struct {
    oa_block **q;
    uk_source *src;
    size_t n, cap;
} qlist;

static void collect(oa_block *b, size_t n, qlist *l)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i].kind == OA_BLOCK_SECTION) {
            collect(b[i].children, b[i].n_children, l);
            continue;
        }
        if (l->n == l->cap) {
            l->cap = l->cap ? 2 * l->cap : 32;
            l->q = xrealloc(l->q, l->cap * sizeof *l->q);
            l->src = xrealloc(l->src, l->cap * sizeof *l->src);
        }
        l->q[l->n] = &b[i];
        l->src[l->n] = UK_SRC_NONE;
        l->n++;
    }
}

static void set_key(oa_block *q, const char *key)
{
    free(q->unified_key);
    q->unified_key = key ? xstrdup(key) : NULL;
}

static ssize_t find_key(const qlist *l, const char *key)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->q[i]->unified_key && strcmp(l->q[i]->unified_key, key) == 0)
            return (ssize_t)i;
    return -1;
}

static size_t gender_options(const oa_block *q)
{
    size_t n = 0;
    for (size_t i = 0; i < q->n_options && q->n_options <= 40; i++)
        if (uk_gender_option(q->options[i].label, q->options[i].value))
            n++;
    return n;
}

void ats_assign_keys(oa_form *f, const ats_name_key *names)
{
    qlist l = {0};
    collect(f->blocks, f->n_blocks, &l);
    for (size_t i = 0; i < l.n; i++) {
        oa_block *q = l.q[i];
        const char *k = NULL;
        for (const ats_name_key *m = names; m && m->field_name && !k; m++)
            if (q->field_name && strcmp(q->field_name, m->field_name) == 0) {
                k = m->key;
                l.src[i] = UK_SRC_AUTOCOMPLETE; /* documented: the strongest source */
            }
        if (!k && !q->category) {
            uk_question uq = {q->label, q->field_name, NULL, q->type, gender_options(q)};
            k = uk_question_key(&uq, &l.src[i]);
        }
        set_key(q, k);
    }
    /* Generic words against the rest of the form, as the HTML driver does. */
    for (size_t i = 0; i < l.n; i++) {
        const char *k = l.q[i]->unified_key;
        if (!k || l.src[i] != UK_SRC_WEAK)
            continue;
        if (strcmp(k, "FULL_NAME") == 0 && find_key(&l, "FIRST_NAME") >= 0 &&
            find_key(&l, "LAST_NAME") < 0)
            set_key(l.q[i], "LAST_NAME");
        else if ((strcmp(k, "LAST_NAME") == 0 && find_key(&l, "FIRST_NAME") < 0) ||
                 (strcmp(k, "FIRST_NAME") == 0 && find_key(&l, "LAST_NAME") < 0))
            set_key(l.q[i], "FULL_NAME");
    }
    /* One question per key: the stronger source, then the first. */
    for (size_t i = 0; i < l.n; i++) {
        if (!l.q[i]->unified_key)
            continue;
        for (size_t k = i + 1; k < l.n; k++) {
            if (!l.q[k]->unified_key || strcmp(l.q[i]->unified_key, l.q[k]->unified_key) != 0)
                continue;
            if (l.src[k] > l.src[i]) {
                set_key(l.q[i], NULL);
                break;
            }
            set_key(l.q[k], NULL);
        }
    }
    for (size_t i = 0; i < l.n; i++) {
        oa_block *q = l.q[i];
        if (!q->n_options)
            continue;
        uk_opts_kind kind = uk_options_kind(q->unified_key, q->label);
        if (kind == UK_OPTS_NONE && gender_options(q) * 2 > q->n_options)
            kind = UK_OPTS_GENDER;
        for (size_t k = 0; k < q->n_options; k++) {
            const char *ok = uk_option_key(kind, q->options[k].label, q->options[k].value);
            free(q->options[k].unified_key);
            q->options[k].unified_key = ok ? xstrdup(ok) : NULL;
        }
    }
    free(l.q);
    free(l.src);
}

/* ---- requests and answers ---- */

void ats_basic_auth(drv_request *r, const char *user, const char *pass)
{
    char *plain = xasprintf("%s:%s", user ? user : "", pass ? pass : "");
    char *b64 = oa_b64_encode(plain, strlen(plain));
    char *v = xasprintf("Basic %s", b64);
    drv_request_header(r, "Authorization", v);
    memset(plain, 0, strlen(plain));
    memset(v, 0, strlen(v));
    free(plain);
    free(b64);
    free(v);
}

const char *ats_setting(const drv_ctx *c, const char *name)
{
    const char *v = c->settings ? ats_str(c->settings, name) : NULL;
    return v && *v ? v : NULL;
}

/* The vendor's error text from a JSON error body, or NULL. */
static char *error_text(const char *body, size_t len)
{
    json_t *j = NULL;
    char *why = NULL;
    if (!body || ats_json_object(body, len, &j, &why) != OA_OK) {
        free(why);
        return NULL;
    }
    char *out = NULL;
    static const char *const KEYS[] = {"error", "message", "errors", "detail", NULL};
    for (const char *const *k = KEYS; *k && !out; k++) {
        json_t *v = json_object_get(j, *k);
        if (json_is_string(v))
            out = xasprintf("%.300s", json_string_value(v));
        else if (v && !json_is_null(v)) {
            char *d = json_dumps(v, JSON_COMPACT);
            out = d ? xasprintf("%.300s", d) : NULL;
            free(d);
        }
    }
    json_decref(j);
    return out;
}

drv_outcome ats_classify(long status, const char *content_type, const char *body, size_t len,
                         char **why)
{
    OA_UNUSED(content_type);
    *why = NULL;
    char *e = error_text(body, len);
    if (status >= 200 && status < 300) {
        /* Some APIs answer a refusal with 200 and {"ok": false} / {"success": false}. */
        json_t *j = NULL;
        char *jwhy = NULL;
        bool refused = false;
        if (body && ats_json_object(body, len, &j, &jwhy) == OA_OK)
            refused = json_is_false(json_object_get(j, "ok")) ||
                      json_is_false(json_object_get(j, "success"));
        json_decref(j);
        free(jwhy);
        if (!refused) {
            free(e);
            *why = xasprintf("the job board API accepted the application (HTTP %ld)", status);
            return DRV_SUBMITTED;
        }
        *why = xasprintf("the job board API refused the application (HTTP %ld)%s%s", status,
                         e ? ": " : "", e ? e : "");
        free(e);
        return DRV_REJECTED;
    }
    const char *sep = e ? ": " : "";
    if (status == 408 || status == 425 || status == 429 || status >= 500) {
        *why = xasprintf("the job board API answered HTTP %ld%s%s", status, sep, e ? e : "");
        free(e);
        return DRV_TRANSIENT;
    }
    if (status == 401 || status == 403)
        *why = xasprintf("the job board API refused the career site's credentials (HTTP %ld)%s%s",
                         status, sep, e ? e : "");
    else
        *why = xasprintf("the job board API refused the application (HTTP %ld)%s%s", status, sep,
                         e ? e : "");
    free(e);
    return DRV_REJECTED;
}

static json_t *value_json(const char *v, bool as_int)
{
    if (as_int && v && *v) {
        const char *p = v + (*v == '-');
        bool digits = *p != '\0' && strlen(p) <= 18;
        for (; *p && digits; p++)
            digits = isdigit((unsigned char)*p);
        if (digits)
            return json_integer(strtoll(v, NULL, 10));
    }
    return json_string(v ? v : "");
}

json_t *ats_answer_json(const oa_block *q, const json_t *a, bool as_int, char **err)
{
    drv_fields f = {0};
    *err = drv_answer_fields(&f, q, a);
    if (*err)
        return NULL;
    json_t *out = NULL;
    if (q->type == OA_Q_MULTI_SELECT) {
        out = json_array();
        for (size_t i = 0; i < f.n; i++)
            json_array_append_new(out, value_json(f.items[i].value, as_int));
    } else if (q->type == OA_Q_BOOLEAN) {
        out = json_boolean(json_is_true(a));
    } else if (f.n) {
        out = q->type == OA_Q_SINGLE_SELECT ? value_json(f.items[0].value, as_int)
                                            : json_string(f.items[0].value ? f.items[0].value : "");
    }
    drv_fields_free(&f);
    if (!out)
        *err = xstrdup("no value to send");
    return out;
}
