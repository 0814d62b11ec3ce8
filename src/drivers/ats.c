/* ats.c - helpers shared by the ATS connectors (see ats.h). */
#include "drivers/ats.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/form_keys.h"
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
    fk_slot *s;
    size_t n, cap;
} slots;

static void collect(oa_block *b, size_t n, const ats_name_key *names, slots *l)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i].kind == OA_BLOCK_SECTION) {
            collect(b[i].children, b[i].n_children, names, l);
            continue;
        }
        if (l->n == l->cap) {
            l->cap = l->cap ? 2 * l->cap : 32;
            l->s = xrealloc(l->s, l->cap * sizeof *l->s);
        }
        fk_slot *s = &l->s[l->n++];
        memset(s, 0, sizeof *s);
        s->q = &b[i];
        for (const ats_name_key *m = names; m && m->field_name && !s->fixed; m++)
            if (b[i].field_name && strcmp(b[i].field_name, m->field_name) == 0)
                s->fixed = m->key;
        /* A key the connector set itself (consent) stays. */
        if (!s->fixed && b[i].unified_key)
            s->fixed = uk_canonical_key(b[i].unified_key);
    }
}

void ats_assign_keys(oa_form *f, const ats_name_key *names)
{
    slots l = {0};
    collect(f->blocks, f->n_blocks, names, &l);
    fk_assign(l.s, l.n);
    free(l.s);
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
