/*
 * html_submit.c - the generic HTML driver, submission half: answers become the fields a browser
 * would send, and the site's answer becomes an outcome.
 *
 * build_fields mirrors what a browser posts: the hidden inputs first (from the page fetched at
 * apply time, so CSRF tokens are current), then each answered question in the site's own names
 * and option values. Unanswered questions send nothing, as an untouched checkbox sends nothing.
 *
 * classify errs on the side of a human: 2xx/3xx count as submitted unless the page shows
 * validation errors; a clear thank-you wins over ambiguous markers, but not over field errors
 * on a re-rendered application form.
 */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/driver.h"
#include "drivers/html_internal.h"
#include "drivers/unified_keys.h"
#include "util/buf.h"
#include "util/crypto.h"

/* ---- build_fields ----------------------------------------------------------------------- */

/* Shortest decimal text that reads back as d; integers without ".0". */
static void fmt_number(double d, char *out, size_t n)
{
    if (d == floor(d) && fabs(d) < 1e15) {
        snprintf(out, n, "%.0f", d);
        if (strcmp(out, "-0") == 0)
            snprintf(out, n, "0");
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, n, "%.*g", prec, d);
        if (strtod(out, NULL) == d)
            return;
    }
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* The date (or month / local datetime) a DATE control wants, from an ISO 8601 answer. */
static char *date_value(const oa_block *q, const char *s)
{
    size_t n = strlen(s);
    if (n < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2))
        return NULL;
    const char *it = q->input_type ? q->input_type : "date";
    if (strncmp(it, "date:", 5) == 0) {
        /* A text box asking for a format: "date:DD.MM.YYYY". */
        /* s is YYYY-MM-DD... (checked above) */
        int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
        char out[40];
        size_t o = 0;
        for (const char *f = it + 5; *f && o + 6 < sizeof out;) {
            int n = 0;
            if (strncmp(f, "YYYY", 4) == 0)
                n = snprintf(out + o, sizeof out - o, "%04d", y), f += 4;
            else if (strncmp(f, "YY", 2) == 0)
                n = snprintf(out + o, sizeof out - o, "%02d", y % 100), f += 2;
            else if (strncmp(f, "MM", 2) == 0)
                n = snprintf(out + o, sizeof out - o, "%02d", m), f += 2;
            else if (strncmp(f, "DD", 2) == 0)
                n = snprintf(out + o, sizeof out - o, "%02d", d), f += 2;
            else if (*f == 'M')
                n = snprintf(out + o, sizeof out - o, "%d", m), f++;
            else if (*f == 'D')
                n = snprintf(out + o, sizeof out - o, "%d", d), f++;
            else
                out[o] = *f++, n = 1;
            if (n < 0)
                break;
            o += (size_t)n;
        }
        out[o < sizeof out ? o : sizeof out - 1] = '\0';
        return xstrdup(out);
    }
    if (strcmp(it, "month") == 0)
        return xstrndup(s, 7);
    if (strcmp(it, "datetime-local") == 0) {
        if (n >= 16 && s[10] == 'T' && digits(s + 11, 2) && s[13] == ':' && digits(s + 14, 2))
            return xstrndup(s, 16);
        char *d = xstrndup(s, 10);
        char *r = xasprintf("%sT00:00", d);
        free(d);
        return r;
    }
    return xstrndup(s, 10);
}

static const oa_option *option_by_id(const oa_block *q, const char *id)
{
    for (size_t i = 0; id && i < q->n_options; i++)
        if (strcmp(q->options[i].id, id) == 0)
            return &q->options[i];
    return NULL;
}

static const char *option_value(const oa_option *o)
{
    return o->value ? o->value : o->label;
}

/* The select value of a date part for number v: the value that reads as v ("05", "5"), or for
 * a month list of twelve the v-th; NULL when there is none. */
static const char *part_value(const oa_date_part *p, int v)
{
    for (size_t i = 0; i < p->n_values; i++) {
        const char *s = p->values[i];
        char *end = NULL;
        long n = strtol(s, &end, 10);
        if (end != s && *end == '\0' && n == v)
            return s;
    }
    if (p->unit == OA_DATE_MONTH && p->n_values == 12 && v >= 1 && v <= 12)
        return p->values[v - 1];
    return NULL;
}

/* A date answered into its day / month / year controls. */
static char *add_date_parts(drv_fields *out, const oa_block *q, const char *s)
{
    int y, m, d;
    char tail;
    if (strlen(s) < 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) < 3)
        return xstrdup("expected an ISO 8601 date (YYYY-MM-DD)");
    for (size_t i = 0; i < q->n_date_parts; i++) {
        const oa_date_part *p = &q->date_parts[i];
        int v = p->unit == OA_DATE_DAY ? d : p->unit == OA_DATE_MONTH ? m : y;
        char num[16];
        snprintf(num, sizeof num, p->unit == OA_DATE_YEAR ? "%04d" : "%02d", v);
        const char *val = num;
        if (p->n_values && !(val = part_value(p, v)))
            return xasprintf("%s %d is not one of the choices of %s",
                             p->unit == OA_DATE_DAY     ? "day"
                             : p->unit == OA_DATE_MONTH ? "month"
                                                        : "year",
                             v, p->field_name);
        drv_fields_add_text(out, p->field_name, val);
    }
    return NULL;
}

char *drv_answer_fields(drv_fields *out, const oa_block *q, const json_t *a)
{
    const char *name = q->field_name;
    char num[64];
    switch (q->type) {
    case OA_Q_TEXT:
        if (json_is_string(a)) {
            drv_fields_add_text(out, name, json_string_value(a));
            return NULL;
        }
        if (json_is_number(a)) {
            fmt_number(json_number_value(a), num, sizeof num);
            drv_fields_add_text(out, name, num);
            return NULL;
        }
        return xstrdup("expected a string");
    case OA_Q_NUMBER:
        if (json_is_integer(a)) {
            snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(a));
            drv_fields_add_text(out, name, num);
            return NULL;
        }
        if (json_is_real(a) && isfinite(json_real_value(a))) {
            fmt_number(json_real_value(a), num, sizeof num);
            drv_fields_add_text(out, name, num);
            return NULL;
        }
        if (json_is_string(a)) {
            drv_fields_add_text(out, name, json_string_value(a));
            return NULL;
        }
        return xstrdup("expected a number");
    case OA_Q_DATE: {
        if (!json_is_string(a))
            return xstrdup("expected a date string");
        if (q->n_date_parts)
            return add_date_parts(out, q, json_string_value(a));
        char *d = date_value(q, json_string_value(a));
        if (!d)
            return xstrdup("expected an ISO 8601 date (YYYY-MM-DD)");
        drv_fields_add_text(out, name, d);
        free(d);
        return NULL;
    }
    case OA_Q_BOOLEAN:
        if (!json_is_boolean(a))
            return xstrdup("expected true or false");
        if (q->control == OA_CTL_CHECKBOX) {
            /* An unchecked box is not sent at all. */
            if (json_is_true(a))
                drv_fields_add_text(out, name, q->checked_value ? q->checked_value : "on");
            return NULL;
        }
        drv_fields_add_text(out, name, json_is_true(a) ? "true" : "false");
        return NULL;
    case OA_Q_SINGLE_SELECT: {
        const oa_option *o = option_by_id(q, json_string_value(a));
        if (!o)
            return xstrdup("not an option id of this question");
        drv_fields_add_text(out, name, option_value(o));
        return NULL;
    }
    case OA_Q_MULTI_SELECT: {
        if (!json_is_array(a))
            return xstrdup("expected an array of option ids");
        size_t i;
        const json_t *v;
        json_array_foreach(a, i, v)
        {
            if (!option_by_id(q, json_string_value(v)))
                return xasprintf("item %zu is not an option id of this question", i);
        }
        json_array_foreach(a, i, v)
            drv_fields_add_text(out, name, option_value(option_by_id(q, json_string_value(v))));
        return NULL;
    }
    case OA_Q_FILE: {
        const char *fname = json_string_value(json_object_get(a, "name"));
        const char *ct = json_string_value(json_object_get(a, "content_type"));
        const json_t *data = json_object_get(a, "data");
        if (!fname || !*fname || !ct || !*ct || !json_is_string(data))
            return xstrdup("expected a file object {name, content_type, data}");
        uint8_t *bytes = NULL;
        size_t len = 0;
        if (oa_b64_decode(json_string_value(data), json_string_length(data), &bytes, &len) != OA_OK)
            return xstrdup("file.data is not valid base64");
        drv_fields_add_file(out, name, fname, ct, bytes, len);
        free(bytes);
        return NULL;
    }
    }
    return xstrdup("unsupported question type");
}

oa_status drv_html_build_fields(const oa_form *revision, const oa_form *fresh,
                                const oa_answers *answers, drv_fields *out, char **why)
{
    out->items = NULL;
    out->n = 0;
    *why = NULL;
    const oa_form *h = fresh ? fresh : revision;
    for (size_t i = 0; h && i < h->n_hidden; i++)
        drv_fields_add_text(out, h->hidden[i].name, h->hidden[i].value);
    for (size_t i = 0; answers && i < answers->n; i++) {
        const oa_block *q = answers->items[i].q;
        const json_t *a = answers->items[i].answer;
        if (!q || !a || json_is_null(a) || !q->field_name || !*q->field_name)
            continue;
        char *err = drv_answer_fields(out, q, a);
        if (err) {
            *why = xasprintf("question %s (\"%.60s\", field %.80s): %s", q->question_id,
                             q->label ? q->label : "", q->field_name, err);
            free(err);
            drv_fields_free(out);
            return OA_INVALID;
        }
    }
    return OA_OK;
}

/* ---- classify --------------------------------------------------------------------------- */

#define MAX_MARKERS 64

typedef struct {
    GumboNode *node;
    char *text;
    bool strong;
} marker;

static bool error_class(const GumboNode *n)
{
    if (hx_has_class(n, "text-danger") && !hx_has_class(n, "error"))
        return false;
    return hx_has_class(n, "error") || hx_has_class(n, "invalid") || hx_has_class(n, "not-valid") ||
           hx_has_class(n, "alert-danger") || hx_has_class(n, "callout-danger");
}

static bool has_letter(const char *s)
{
    for (; *s; s++)
        if (isalpha((unsigned char)*s) || (unsigned char)*s >= 0x80)
            return true;
    return false;
}

static bool is_anc(const GumboNode *a, const GumboNode *n)
{
    for (int i = 0; n && i < 256; n = n->parent, i++)
        if (n == a)
            return true;
    return false;
}

/* Collects visible error markers; returns how many fields were flagged aria-invalid. */
static size_t collect_markers(GumboOutput *g, marker *m, size_t *n_m)
{
    size_t invalid = 0;
    GumboNode *root = g->document;
    *n_m = 0;
    for (GumboNode *n = root; n;) {
        bool skip = false;
        if (n->type == GUMBO_NODE_TEMPLATE) {
            skip = true;
        } else if (n->type == GUMBO_NODE_ELEMENT) {
            GumboTag t = n->v.element.tag;
            if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_HEAD ||
                t == GUMBO_TAG_NOSCRIPT) {
                skip = true;
            } else {
                const char *ai = hx_attr(n, "aria-invalid");
                if (ai && strcasecmp(ai, "true") == 0 && !hx_hidden(n))
                    invalid++;
                const char *role = hx_attr(n, "role");
                bool alert = role && strcasecmp(role, "alert") == 0;
                if ((alert || error_class(n)) && t != GUMBO_TAG_INPUT && t != GUMBO_TAG_SELECT &&
                    t != GUMBO_TAG_TEXTAREA && t != GUMBO_TAG_FORM && t != GUMBO_TAG_BODY &&
                    t != GUMBO_TAG_HTML && !hx_hidden(n) && *n_m < MAX_MARKERS) {
                    char *text = hx_text(n, TX_SKIP_CONTROLS | TX_SKIP_HIDDEN, NULL, NULL);
                    if (has_letter(text) && strlen(text) <= 600) {
                        char *norm = uk_norm(text);
                        m[*n_m].node = n;
                        m[*n_m].text = text;
                        m[*n_m].strong = uk_is_error_text(norm);
                        (*n_m)++;
                        free(norm);
                    } else {
                        free(text);
                    }
                }
            }
        }
        n = hx_next(n, root, skip);
    }
    /* Keep the innermost markers: a "has-error" group holding an "error-message" speaks
     * through the message. */
    for (size_t i = 0; i < *n_m; i++) {
        bool outer = false;
        for (size_t k = 0; k < *n_m && !outer; k++)
            outer = k != i && m[k].node && m[i].node && m[k].node != m[i].node &&
                    is_anc(m[i].node, m[k].node);
        if (outer) {
            if (m[i].strong) {
                /* Let the inner one carry the verdict. */
                for (size_t k = 0; k < *n_m; k++)
                    if (k != i && m[k].node && is_anc(m[i].node, m[k].node))
                        m[k].strong = true;
            }
            free(m[i].text);
            m[i].text = NULL;
            m[i].node = NULL;
        }
    }
    size_t j = 0;
    for (size_t i = 0; i < *n_m; i++)
        if (m[i].node)
            m[j++] = m[i];
    *n_m = j;
    return invalid;
}

static bool looks_json(const char *ct, const char *body, size_t len)
{
    if (ct && strcasestr(ct, "json"))
        return true;
    size_t i = 0;
    while (i < len && isspace((unsigned char)body[i]))
        i++;
    return i < len && (body[i] == '{' || body[i] == '[');
}

/* A JSON answer: errors / error / success:false / status:"error" mean rejected. */
static drv_outcome classify_json(long status, const char *body, size_t len, char **why)
{
    json_error_t err;
    json_t *j = json_loadb(body, len, 0, &err);
    if (!j) {
        *why = xasprintf("site answered %ld with a body that is not JSON", status);
        return DRV_SUBMITTED;
    }
    bool bad = false;
    const char *msg = NULL;
    if (json_is_object(j)) {
        const json_t *e = json_object_get(j, "errors");
        if ((json_is_array(e) && json_array_size(e) > 0) ||
            (json_is_object(e) && json_object_size(e) > 0) ||
            (json_is_string(e) && json_string_length(e) > 0))
            bad = true;
        const json_t *e1 = json_object_get(j, "error");
        if (e1 && !json_is_null(e1) && !json_is_false(e1) &&
            !(json_is_string(e1) && json_string_length(e1) == 0)) {
            bad = true;
            if (json_is_string(e1))
                msg = json_string_value(e1);
        }
        const json_t *s = json_object_get(j, "success");
        const json_t *ok = json_object_get(j, "ok");
        if (json_is_false(s) || json_is_false(ok))
            bad = true;
        const char *st = json_string_value(json_object_get(j, "status"));
        if (st && (strcasecmp(st, "error") == 0 || strcasecmp(st, "fail") == 0 ||
                   strcasecmp(st, "failed") == 0 || strcasecmp(st, "invalid") == 0))
            bad = true;
        if (!msg)
            msg = json_string_value(json_object_get(j, "message"));
    }
    drv_outcome o;
    if (bad) {
        o = DRV_REJECTED;
        *why = xasprintf("site answered %ld with JSON errors%s%.200s%s", status, msg ? ": \"" : "",
                         msg ? msg : "", msg ? "\"" : "");
    } else {
        o = DRV_SUBMITTED;
        *why = xasprintf("site answered %ld with JSON and no error", status);
    }
    json_decref(j);
    return o;
}

/* Appends "N field errors: a; b; c" to b. An error summary's list items are the messages;
 * otherwise each marker's text is one. */
static void describe_markers(oa_buf *b, const marker *m, size_t n_m, size_t invalid)
{
    char *msgs[8];
    size_t n_msgs = 0, total = 0;
    for (size_t i = 0; i < n_m; i++) {
        size_t items = 0, seen = 0;
        for (GumboNode *n = m[i].node; n && seen < 2000; n = hx_next(n, m[i].node, false), seen++) {
            if (!hx_is_tag(n, GUMBO_TAG_LI))
                continue;
            char *t = hx_text(n, TX_SKIP_CONTROLS | TX_SKIP_HIDDEN, NULL, NULL);
            if (*t) {
                items++;
                if (n_msgs < OA_ARRAY_LEN(msgs)) {
                    msgs[n_msgs++] = t;
                    t = NULL;
                }
            }
            free(t);
        }
        if (items) {
            total += items;
        } else {
            total++;
            if (n_msgs < OA_ARRAY_LEN(msgs))
                msgs[n_msgs++] = xstrdup(m[i].text);
        }
    }
    size_t count = total > invalid ? total : invalid;
    oa_status st = oa_buf_printf(b, " with %zu field error%s", count, count == 1 ? "" : "s");
    for (size_t i = 0; i < n_msgs; i++) {
        if (i < 3 && st == OA_OK) {
            char t[120];
            snprintf(t, sizeof t, "%s", msgs[i]);
            st = oa_buf_printf(b, "%s%s", i ? "; " : ": ", t);
        }
        free(msgs[i]);
    }
    OA_UNUSED(st);
}

drv_outcome drv_html_classify(long http_status, const char *content_type, const char *body,
                              size_t len, char **why)
{
    *why = NULL;
    if (!body)
        len = 0;
    if (http_status <= 0) {
        *why = xstrdup("no HTTP answer from the site");
        return DRV_TRANSIENT;
    }
    if (http_status == 408 || http_status == 425 || http_status == 429 ||
        (http_status >= 500 && http_status <= 599)) {
        *why = xasprintf("site answered %ld%s", http_status,
                         http_status == 429 ? " (rate limited)" : " (try again later)");
        return DRV_TRANSIENT;
    }
    if (http_status >= 300 && http_status < 400) {
        *why = xasprintf("site redirected (%ld) after the submission", http_status);
        return DRV_SUBMITTED;
    }
    bool ok_status = http_status >= 200 && http_status < 300;
    if (!ok_status && !(http_status >= 400 && http_status < 500)) {
        *why = xasprintf("site answered with unexpected status %ld", http_status);
        return DRV_REJECTED;
    }
    if (len == 0) {
        *why = ok_status ? xasprintf("site answered %ld with an empty body", http_status)
                         : xasprintf("site answered %ld", http_status);
        return ok_status ? DRV_SUBMITTED : DRV_REJECTED;
    }
    if (looks_json(content_type, body, len)) {
        drv_outcome o = classify_json(http_status, body, len, why);
        if (!ok_status) {
            char *w = *why;
            *why = xasprintf("%s (status %ld)", w, http_status);
            free(w);
            return DRV_REJECTED;
        }
        return o;
    }
    GumboOutput *g = NULL;
    char *buf = NULL;
    size_t buf_len = 0;
    if (hx_parse(body, len, &g, &buf, &buf_len, NULL) != OA_OK) {
        *why = xasprintf("site answered %ld with a page too large to inspect", http_status);
        return ok_status ? DRV_SUBMITTED : DRV_REJECTED;
    }
    marker m[MAX_MARKERS];
    size_t n_m = 0;
    size_t invalid = collect_markers(g, m, &n_m);
    bool strong = invalid > 0;
    for (size_t i = 0; i < n_m; i++)
        strong = strong || m[i].strong;
    char *text = hx_page_text(g);
    const char *phrase = NULL;
    bool success = uk_is_success_text(text, &phrase);
    bool form_again = hx_find_application_form(g, buf, buf_len);

    oa_buf b;
    oa_buf_init(&b, 1024);
    oa_status st = oa_buf_printf(&b, "site answered %ld", http_status);
    drv_outcome o;
    if (!ok_status) {
        o = DRV_REJECTED;
        if (n_m || invalid)
            describe_markers(&b, m, n_m, invalid);
    } else if (success && !(strong && form_again)) {
        o = DRV_SUBMITTED;
        st = oa_buf_printf(&b, " with a confirmation (\"%s\")", phrase);
    } else if (strong || n_m) {
        o = DRV_REJECTED;
        describe_markers(&b, m, n_m, invalid);
        if (form_again)
            st = oa_buf_puts(&b, " on the re-rendered application form");
    } else {
        o = DRV_SUBMITTED;
        st = oa_buf_puts(&b, form_again ? " without errors (the application form is shown again)"
                                        : " without errors");
    }
    OA_UNUSED(st);
    *why = oa_buf_take(&b);
    for (size_t i = 0; i < n_m; i++)
        free(m[i].text);
    free(text);
    hx_parse_free(g, buf);
    return o;
}
