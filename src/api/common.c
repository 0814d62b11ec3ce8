/* common.c - envelopes, Kombo's error shape, body and field parsing, pagination. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/text.h"

static void set_json(http_resp *resp, int status, json_t *o)
{
    resp->status = status;
    resp->body = json_dumps(o, JSON_COMPACT);
    resp->len = resp->body ? strlen(resp->body) : 0;
    resp->content_type = "application/json";
    json_decref(o);
}

void api_ok(http_resp *resp, json_t *data)
{
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string("success"));
    json_object_set_new(o, "data", data);
    set_json(resp, 200, o);
}

static void verror(http_resp *resp, int status, const char *code, const char *title,
                   const char *fmt, va_list ap) OA_PRINTF(5, 0);
static void verror(http_resp *resp, int status, const char *code, const char *title,
                   const char *fmt, va_list ap)
{
    char *msg = oa_xvasprintf(__FILE__, __LINE__, fmt, ap);
    /* Messages echo client input: keep them valid UTF-8 for the JSON encoder. */
    if (!oa_utf8_valid(msg, strlen(msg))) {
        for (char *p = msg; *p; p++)
            if ((unsigned char)*p >= 0x80)
                *p = '?';
    }
    json_t *e = json_object();
    json_object_set_new(e, "code", code ? json_string(code) : json_null());
    json_object_set_new(e, "title", title ? json_string(title) : json_null());
    json_object_set_new(e, "message", json_string(msg));
    json_object_set_new(e, "log_url", json_null());
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string("error"));
    json_object_set_new(o, "error", e);
    free(msg);
    set_json(resp, status, o);
}

void api_error(http_resp *resp, int status, const char *code, const char *title, const char *fmt,
               ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(resp, status, code, title, fmt, ap);
    va_end(ap);
}

void api_bad_request(http_resp *resp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(resp, 400, "PLATFORM.INPUT_INVALID", "Invalid input", fmt, ap);
    va_end(ap);
}

void api_not_found(http_resp *resp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(resp, 404, "PLATFORM.INPUT_INVALID", "Not found", fmt, ap);
    va_end(ap);
}

void api_internal(http_resp *resp, http_req *r, oa_status st)
{
    oa_log(OA_LOG_ERROR, "api.internal_error", "req_id=%s status=%s", r->req_id, oa_status_str(st));
    if (st == OA_AGAIN) {
        resp->retry_after = "1";
        api_error(resp, 503, "PLATFORM.UNKNOWN_ERROR", "Temporarily unavailable",
                  "The database is busy; retry the request (request id %s).", r->req_id);
        return;
    }
    api_error(resp, 500, "PLATFORM.UNKNOWN_ERROR", "Internal error",
              "An internal error occurred (request id %s).", r->req_id);
}

void api_reply(http_resp *resp, http_req *r, oa_status rc, json_t *data, const char *what,
               const char *id)
{
    if (rc == OA_OK)
        api_ok(resp, data);
    else if (rc == OA_NOT_FOUND)
        api_not_found(resp, "%s %.64s not found.", what, id);
    else
        api_internal(resp, r, rc);
    if (rc != OA_OK)
        json_decref(data);
}

json_t *api_body_object(http_req *r, http_resp *resp, bool allow_empty)
{
    const char *body = oa_buf_cstr(&r->body);
    size_t len = r->body.len;
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
        i++;
    if (i == len) {
        if (allow_empty)
            return json_object();
        api_bad_request(resp, "The request body is empty; send a JSON object.");
        return NULL;
    }
    json_error_t err;
    json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        api_bad_request(resp, "Malformed JSON body: %s (line %d, column %d).", err.text, err.line,
                        err.column);
        return NULL;
    }
    if (!json_is_object(j)) {
        api_bad_request(resp, "The request body must be a JSON object.");
        json_decref(j);
        return NULL;
    }
    return j;
}

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "?";
}

bool api_field_string(http_resp *resp, const json_t *obj, const char *name, bool required,
                      bool allow_null, size_t max, const char **out)
{
    *out = NULL;
    const json_t *v = json_object_get(obj, name);
    if (!v) {
        if (required) {
            api_bad_request(resp, "Missing required field \"%s\".", name);
            return false;
        }
        return true;
    }
    if (json_is_null(v)) {
        if (allow_null && !required)
            return true;
        api_bad_request(resp, "Field \"%s\" must be a string, not null.", name);
        return false;
    }
    if (!json_is_string(v)) {
        api_bad_request(resp, "Field \"%s\" must be a string, got %s.", name, json_type_name(v));
        return false;
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (strlen(s) != len) {
        api_bad_request(resp, "Field \"%s\" must not contain NUL characters.", name);
        return false;
    }
    if (max && len > max) {
        api_bad_request(resp, "Field \"%s\" is longer than %zu bytes.", name, max);
        return false;
    }
    bool blank = true;
    for (const char *p = s; *p && blank; p++)
        blank = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
    if (blank && required) {
        api_bad_request(resp, "Field \"%s\" must not be empty.", name);
        return false;
    }
    *out = s;
    return true;
}

/* Cursor: base64url of "c1:<seq>" (oldest first) or "d1:<seq>" (newest first, order=desc),
 * opaque to clients. */
static char *cursor_encode(int64_t seq, bool desc)
{
    char raw[40];
    snprintf(raw, sizeof raw, "%s:%lld", desc ? "d1" : "c1", (long long)seq);
    return oa_b64url_encode(raw, strlen(raw));
}

static bool cursor_decode(const char *c, int64_t *seq, bool *desc)
{
    uint8_t *raw = NULL;
    size_t n = 0;
    if (strlen(c) > 64 || oa_b64url_decode(c, strlen(c), &raw, &n) != OA_OK)
        return false;
    bool ok = n > 3 && (memcmp(raw, "c1:", 3) == 0 || memcmp(raw, "d1:", 3) == 0) &&
              oa_parse_int((const char *)raw + 3, 0, INT64_MAX, seq) == OA_OK;
    *desc = ok && raw[0] == 'd';
    free(raw);
    return ok;
}

/* The one value of query parameter name (NULL when absent); false after answering 400 when it
 * is given more than once. */
static bool query_once(http_req *r, http_resp *resp, const char *name, const char **out)
{
    size_t cnt = 0;
    *out = http_query(r, name, &cnt);
    if (cnt > 1) {
        api_bad_request(resp, "Query parameter \"%s\" is given more than once.", name);
        return false;
    }
    return true;
}

bool api_page_args(http_req *r, http_resp *resp, store_page *pg)
{
    memset(pg, 0, sizeof *pg);
    pg->tenant = r->tenant;
    pg->limit = 100;
    const char *ps, *cur, *order;
    if (!query_once(r, resp, "page_size", &ps) || !query_once(r, resp, "cursor", &cur) ||
        !query_once(r, resp, "order", &order))
        return false;
    if (ps) {
        int64_t v;
        if (oa_parse_int(ps, 1, 250, &v) != OA_OK) {
            api_bad_request(
                resp,
                "Query parameter \"page_size\" must be an integer from 1 to 250, got \"%.40s\".",
                ps);
            return false;
        }
        pg->limit = (int)v;
    }
    pg->limit++; /* one more row than shown tells whether there is a next page */
    /* Only lists that take `order` let it through api_only_query. */
    if (order && strcmp(order, "asc") != 0 && strcmp(order, "desc") != 0) {
        api_bad_request(
            resp, "Query parameter \"order\" must be \"asc\" or \"desc\", got \"%.40s\".", order);
        return false;
    }
    pg->desc = order && strcmp(order, "desc") == 0;
    bool cur_desc = false;
    if (cur && *cur && !cursor_decode(cur, &pg->after, &cur_desc)) {
        api_bad_request(resp, "Query parameter \"cursor\" is not a valid cursor; use the \"next\" "
                              "value of a previous page.");
        return false;
    }
    if (cur && *cur && cur_desc != pg->desc) {
        api_bad_request(resp,
                        "Query parameter \"cursor\" continues a list in order=%s; give it with "
                        "the same order.",
                        cur_desc ? "desc" : "asc");
        return false;
    }
    if (!(cur && *cur) && pg->desc)
        pg->after = INT64_MAX; /* newest first from the newest */
    return true;
}

bool api_enum_filter(http_req *r, http_resp *resp, const char *name, const char *const *names,
                     size_t n, const char *out[STORE_ENUM_MAX])
{
    for (size_t i = 0; i < STORE_ENUM_MAX; i++)
        out[i] = NULL;
    const char *v;
    if (!query_once(r, resp, name, &v))
        return false;
    if (!v)
        return true;
    if (n > STORE_ENUM_MAX)
        n = STORE_ENUM_MAX; /* a store_page holds no more (callers assert their enum fits) */
    uint32_t mask;
    char *bad = NULL;
    if (oa_enum_list_parse(v, names, n, &mask, &bad) != OA_OK) {
        char all[256] = "";
        size_t len = 0;
        for (size_t i = 0; i < n && len < sizeof all; i++) {
            int w = snprintf(all + len, sizeof all - len, "%s%s", i ? ", " : "", names[i]);
            len += w > 0 ? (size_t)w : 0;
        }
        if (*bad)
            api_bad_request(resp,
                            "Query parameter \"%s\" has an unknown value \"%.40s\"; use a "
                            "comma-separated list of %s.",
                            name, bad, all);
        else
            api_bad_request(resp,
                            "Query parameter \"%s\" has an empty item; use a comma-separated list "
                            "of %s.",
                            name, all);
        free(bad);
        return false;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (mask & ((uint32_t)1 << i))
            out[k++] = names[i];
    return true;
}

size_t api_page_count(size_t n, const store_page *pg)
{
    return n < (size_t)pg->limit ? n : (size_t)pg->limit - 1;
}

json_t *api_next(int64_t last_seq_shown, size_t n, const store_page *pg)
{
    if (n < (size_t)pg->limit)
        return json_null();
    char *c = cursor_encode(last_seq_shown, pg->desc);
    json_t *j = json_string(c);
    free(c);
    return j;
}

json_t *api_list_page(const void *rows, size_t row_size, size_t n, const store_page *pg,
                      json_t *(*render)(const void *row))
{
    size_t shown = api_page_count(n, pg);
    json_t *res = json_array();
    const char *p = rows;
    for (size_t i = 0; i < shown; i++)
        json_array_append_new(res, render(p + i * row_size));
    int64_t last = shown ? *(const int64_t *)(const void *)(p + (shown - 1) * row_size) : 0;
    json_t *data = json_object();
    json_object_set_new(data, "results", res);
    json_object_set_new(data, "next", api_next(last, n, pg));
    return data;
}

bool api_list_filter(http_req *r, http_resp *resp, const char *name, char **json_out)
{
    *json_out = NULL;
    size_t cnt = 0;
    const char *v = http_query(r, name, &cnt);
    if (!v)
        return true;
    if (cnt > 1) {
        api_bad_request(
            resp, "Query parameter \"%s\" is given more than once; use one comma-separated list.",
            name);
        return false;
    }
    oa_strlist l;
    if (oa_strlist_split(v, 1000, &l) != OA_OK) {
        api_bad_request(resp, "Query parameter \"%s\" lists more than 1000 values.", name);
        return false;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.n; i++) {
        if (strlen(l.items[i]) > 512 || !oa_utf8_valid(l.items[i], strlen(l.items[i]))) {
            api_bad_request(resp, "Query parameter \"%s\" has an invalid value.", name);
            json_decref(arr);
            oa_strlist_free(&l);
            return false;
        }
        json_array_append_new(arr, json_string(l.items[i]));
    }
    oa_strlist_free(&l);
    *json_out = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return true;
}

bool api_only_query(http_req *r, http_resp *resp, const char *const *allowed)
{
    for (size_t i = 0; i < r->n_query; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(r->query[i].name, *a) == 0;
        if (!ok) {
            char q[OA_LOGQ_SIZE];
            oa_logq(q, sizeof q, r->query[i].name);
            api_bad_request(resp, "Unknown query parameter %s.", q);
            return false;
        }
    }
    return true;
}

json_t *api_time_or_null(int64_t ms)
{
    if (!ms)
        return json_null();
    char t[OA_TIME_LEN];
    oa_time_fmt(ms, t);
    return json_string(t);
}
