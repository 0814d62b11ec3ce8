/*
 * event.c - the strict event parser of libopenapply (see openapply/event.h).
 *
 * jansson parses (rejecting repeated keys, NUL characters and trailing data), then the schema
 * of the event's type is checked field by field, and only then are the strings copied into
 * one block owned by the event: a rejected body leaves nothing allocated.
 */
#include "openapply/event.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MAX_STRINGS 12 /* strings one event carries */

/* ---- names ---- */

static const char *const AVAILABILITY[] = {NULL, "PENDING", "APPLYABLE", "UNAVAILABLE", "ARCHIVED"};
static const char *const ARCHIVED_REASON[] = {NULL, "JOB_POSTING_TAKEN_OFFLINE", "MANUAL_ARCHIVE",
                                              "REMOVED_FROM_JOB_FEED"};
static const char *const APP_STATUS[] = {NULL, "PENDING", "SUBMITTED", "FAILED", "DUPLICATE"};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

const char *oaw_availability_name(oaw_availability a)
{
    return (unsigned)a < N_OF(AVAILABILITY) ? AVAILABILITY[a] : NULL;
}

const char *oaw_archived_reason_name(oaw_archived_reason r)
{
    return (unsigned)r < N_OF(ARCHIVED_REASON) ? ARCHIVED_REASON[r] : NULL;
}

const char *oaw_application_status_name(oaw_application_status s)
{
    return (unsigned)s < N_OF(APP_STATUS) ? APP_STATUS[s] : NULL;
}

/* ---- RFC 3339 ---- */

static int digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

oaw_result oaw_time_parse(const char *s, int64_t *ms)
{
    int Y, M, D, h, m, sec;
    if (!s || !ms)
        return OAW_ERR_ARGUMENT;
    /* Short-circuit evaluation never reads past a NUL: each test needs the previous one. */
    if (!digits(s, 4, &Y) || s[4] != '-' || !digits(s + 5, 2, &M) || s[7] != '-' ||
        !digits(s + 8, 2, &D) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) ||
        s[13] != ':' || !digits(s + 14, 2, &m) || s[16] != ':' || !digits(s + 17, 2, &sec))
        return OAW_ERR_SCHEMA;
    if (M < 1 || M > 12 || D < 1 || D > days_in_month(Y, M) || h > 23 || m > 59 || sec > 60)
        return OAW_ERR_SCHEMA;
    const char *p = s + 19;
    int frac = 0, nfrac = 0;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, nfrac++)
            if (nfrac < 3)
                frac = frac * 10 + (*p - '0');
        if (nfrac == 0 || nfrac > 9)
            return OAW_ERR_SCHEMA;
        for (int i = nfrac; i < 3; i++)
            frac *= 10;
    }
    int off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return OAW_ERR_SCHEMA;
        off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return OAW_ERR_SCHEMA;
    }
    if (*p)
        return OAW_ERR_SCHEMA;
    int64_t secs = ((days_from_civil(Y, M, D) * 24 + h) * 60 + m) * 60 + sec - (int64_t)off * 60;
    *ms = secs * 1000 + frac;
    return OAW_OK;
}

/* ---- validation ---- */

typedef struct {
    oaw_parse_error *err;
    /* Strings to copy into the event's block once the whole body is accepted. */
    json_t *src[MAX_STRINGS];
    const char **dst[MAX_STRINGS];
    size_t n;
} ctx;

/* Copies s into out (n bytes) with control characters shown as '?'. */
static void clean(char *out, size_t n, const char *s)
{
    size_t j = 0;
    for (; s && *s && j + 1 < n; s++)
        out[j++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
    out[j] = '\0';
}

static oaw_result fail(ctx *c, oaw_result r, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static oaw_result fail(ctx *c, oaw_result r, const char *path, const char *fmt, ...)
{
    if (c->err) {
        snprintf(c->err->path, sizeof c->err->path, "%s", path);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err->message, sizeof c->err->message, fmt, ap);
        va_end(ap);
    }
    return r;
}

/* Refuses properties of obj that are not in `allowed` (NULL-terminated). */
static oaw_result only(ctx *c, json_t *obj, const char *path, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(key, *a) == 0;
        if (!ok) {
            char k[48];
            clean(k, sizeof k, key);
            return fail(c, OAW_ERR_SCHEMA, path, "unexpected property \"%s\"", k);
        }
    }
    return OAW_OK;
}

enum { STR_ANY = 0, STR_ID = 1, STR_NULLABLE = 2 };

/* A string property; queued for copying into *dst. */
static oaw_result str(ctx *c, json_t *obj, const char *parent, const char *key, int flags,
                      const char **dst, json_t **got)
{
    char path[96];
    snprintf(path, sizeof path, "%s.%s", parent, key);
    json_t *v = json_object_get(obj, key);
    if (got)
        *got = NULL;
    if (!v)
        return fail(c, OAW_ERR_SCHEMA, path, "required property is missing");
    if (json_is_null(v)) {
        if (flags & STR_NULLABLE)
            return OAW_OK;
        return fail(c, OAW_ERR_SCHEMA, path, "must be a string, not null");
    }
    if (!json_is_string(v))
        return fail(c, OAW_ERR_SCHEMA, path, "must be a string");
    size_t n = json_string_length(v);
    if ((flags & STR_ID) && (n == 0 || n > OAW_ID_MAX))
        return fail(c, OAW_ERR_SCHEMA, path, "must be a non-empty id of at most %d bytes",
                    OAW_ID_MAX);
    if (c->n >= MAX_STRINGS) /* an invariant of the schemas below */
        return fail(c, OAW_ERR_SCHEMA, path, "too many strings");
    c->src[c->n] = v;
    c->dst[c->n] = dst;
    c->n++;
    if (got)
        *got = v;
    return OAW_OK;
}

static oaw_result date(ctx *c, json_t *obj, const char *parent, const char *key, int nullable,
                       const char **dst, int64_t *ms)
{
    json_t *v;
    oaw_result r = str(c, obj, parent, key, nullable ? STR_NULLABLE : STR_ANY, dst, &v);
    if (r != OAW_OK || !v)
        return r;
    if (oaw_time_parse(json_string_value(v), ms) != OAW_OK) {
        char path[96];
        snprintf(path, sizeof path, "%s.%s", parent, key);
        return fail(c, OAW_ERR_SCHEMA, path,
                    "must be an RFC 3339 date-time such as \"2025-01-31T12:00:00.000Z\"");
    }
    return OAW_OK;
}

/* An enum property: *out = index in names (1-based; names[0] is NULL). */
static oaw_result enm(ctx *c, json_t *obj, const char *parent, const char *key, int nullable,
                      const char *const *names, size_t n_names, int *out)
{
    char path[96];
    snprintf(path, sizeof path, "%s.%s", parent, key);
    json_t *v = json_object_get(obj, key);
    *out = 0;
    if (!v)
        return fail(c, OAW_ERR_SCHEMA, path, "required property is missing");
    if (json_is_null(v) && nullable)
        return OAW_OK;
    if (json_is_string(v)) {
        for (size_t i = 1; i < n_names; i++) {
            if (strcmp(json_string_value(v), names[i]) == 0) {
                *out = (int)i;
                return OAW_OK;
            }
        }
    }
    char list[120] = "";
    size_t used = 0;
    for (size_t i = 1; i < n_names && used < sizeof list; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", i > 1 ? ", " : "", names[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return fail(c, OAW_ERR_SCHEMA, path, "must be one of %s%s", list, nullable ? " or null" : "");
}

static oaw_result object(ctx *c, json_t *parent, const char *ppath, const char *key, json_t **out)
{
    char path[96];
    snprintf(path, sizeof path, "%s.%s", ppath, key);
    *out = json_object_get(parent, key);
    if (!*out)
        return fail(c, OAW_ERR_SCHEMA, path, "required property is missing");
    if (!json_is_object(*out))
        return fail(c, OAW_ERR_SCHEMA, path, "must be an object");
    return OAW_OK;
}

#define TRY(x)                                                                                     \
    do {                                                                                           \
        oaw_result r_ = (x);                                                                       \
        if (r_ != OAW_OK)                                                                          \
            return r_;                                                                             \
    } while (0)

static oaw_result posting(ctx *c, json_t *data, oaw_posting *p)
{
    static const char *const keys[] = {
        "id",          "career_site",     "url",          "job_code", "created_at", "updated_at",
        "archived_at", "archived_reason", "availability", NULL};
    static const char *const cs_keys[] = {"id", "label", NULL};
    json_t *cs;
    int av, reason;
    TRY(only(c, data, "$.data", keys));
    TRY(str(c, data, "$.data", "id", STR_ID, &p->id, NULL));
    TRY(object(c, data, "$.data", "career_site", &cs));
    TRY(only(c, cs, "$.data.career_site", cs_keys));
    TRY(str(c, cs, "$.data.career_site", "id", STR_ID, &p->career_site_id, NULL));
    TRY(str(c, cs, "$.data.career_site", "label", STR_ANY, &p->career_site_label, NULL));
    TRY(str(c, data, "$.data", "url", STR_ANY, &p->url, NULL));
    TRY(str(c, data, "$.data", "job_code", STR_NULLABLE, &p->job_code, NULL));
    TRY(date(c, data, "$.data", "created_at", 0, &p->created_at, &p->created_at_ms));
    TRY(date(c, data, "$.data", "updated_at", 0, &p->updated_at, &p->updated_at_ms));
    TRY(date(c, data, "$.data", "archived_at", 1, &p->archived_at, &p->archived_at_ms));
    TRY(enm(c, data, "$.data", "archived_reason", 1, ARCHIVED_REASON, N_OF(ARCHIVED_REASON),
            &reason));
    TRY(enm(c, data, "$.data", "availability", 0, AVAILABILITY, N_OF(AVAILABILITY), &av));
    p->availability = (oaw_availability)av;
    p->archived_reason = (oaw_archived_reason)reason;
    return OAW_OK;
}

static oaw_result application(ctx *c, json_t *data, oaw_application *a)
{
    static const char *const keys[] = {"id",         "job_posting_id", "status",
                                       "created_at", "updated_at",     NULL};
    int st;
    TRY(only(c, data, "$.data", keys));
    TRY(str(c, data, "$.data", "id", STR_ID, &a->id, NULL));
    TRY(str(c, data, "$.data", "job_posting_id", STR_ID, &a->job_posting_id, NULL));
    TRY(enm(c, data, "$.data", "status", 0, APP_STATUS, N_OF(APP_STATUS), &st));
    TRY(date(c, data, "$.data", "created_at", 0, &a->created_at, &a->created_at_ms));
    TRY(date(c, data, "$.data", "updated_at", 0, &a->updated_at, &a->updated_at_ms));
    a->status = (oaw_application_status)st;
    return OAW_OK;
}

static oaw_result validate(ctx *c, json_t *root, oaw_event *out)
{
    static const char *const keys[] = {"id", "type", "data", NULL};
    if (!json_is_object(root))
        return fail(c, OAW_ERR_SCHEMA, "$", "the event must be a JSON object");
    json_t *type = json_object_get(root, "type");
    if (!type)
        return fail(c, OAW_ERR_SCHEMA, "$.type", "required property is missing");
    if (!json_is_string(type))
        return fail(c, OAW_ERR_SCHEMA, "$.type", "must be a string");
    const char *t = json_string_value(type);
    if (strcmp(t, OAW_TYPE_POSTING) == 0) {
        out->kind = OAW_EVENT_POSTING;
        out->type = OAW_TYPE_POSTING;
    } else if (strcmp(t, OAW_TYPE_APPLICATION) == 0) {
        out->kind = OAW_EVENT_APPLICATION;
        out->type = OAW_TYPE_APPLICATION;
    } else {
        char tt[64];
        clean(tt, sizeof tt, t);
        return fail(c, OAW_ERR_UNKNOWN_TYPE, "$.type", "unknown event type \"%s\"", tt);
    }
    json_t *data;
    TRY(only(c, root, "$", keys));
    TRY(str(c, root, "$", "id", STR_ID, &out->id, NULL));
    TRY(object(c, root, "$", "data", &data));
    if (out->kind == OAW_EVENT_POSTING) {
        TRY(posting(c, data, &out->data.posting));
        out->updated_at_ms = out->data.posting.updated_at_ms;
    } else {
        TRY(application(c, data, &out->data.application));
        out->updated_at_ms = out->data.application.updated_at_ms;
    }
    return OAW_OK;
}

/* Copies the queued strings into one block owned by the event. */
static oaw_result copy_strings(ctx *c, oaw_event *out)
{
    size_t total = 0;
    for (size_t i = 0; i < c->n; i++)
        total += json_string_length(c->src[i]) + 1;
    char *mem = malloc(total ? total : 1);
    if (!mem)
        return OAW_ERR_NOMEM;
    char *p = mem;
    for (size_t i = 0; i < c->n; i++) {
        size_t n = json_string_length(c->src[i]);
        memcpy(p, json_string_value(c->src[i]), n);
        p[n] = '\0';
        *c->dst[i] = p;
        p += n + 1;
    }
    out->mem_ = mem;
    out->resource_id =
        out->kind == OAW_EVENT_POSTING ? out->data.posting.id : out->data.application.id;
    return OAW_OK;
}

oaw_result oaw_event_parse(const void *body, size_t len, oaw_event *out, oaw_parse_error *err)
{
    ctx c = {.err = err};
    if (err)
        memset(err, 0, sizeof *err);
    if (!out)
        return fail(&c, OAW_ERR_ARGUMENT, "$", "no event to fill");
    memset(out, 0, sizeof *out);
    if (!body && len)
        return fail(&c, OAW_ERR_ARGUMENT, "$", "no body");
    if (len > OAW_EVENT_MAX_BODY)
        return fail(&c, OAW_ERR_TOO_LARGE, "$", "the body is %zu bytes, over the limit of %zu", len,
                    OAW_EVENT_MAX_BODY);
    json_error_t je;
    json_t *root = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!root) {
        oaw_result r = fail(&c, OAW_ERR_NOT_JSON, "$", "%s", je.text);
        if (err) {
            err->line = je.line;
            err->column = je.column;
        }
        return r;
    }
    oaw_result r = validate(&c, root, out);
    if (r == OAW_OK)
        r = copy_strings(&c, out);
    if (r == OAW_ERR_NOMEM)
        fail(&c, r, "$", "out of memory");
    json_decref(root);
    if (r != OAW_OK)
        memset(out, 0, sizeof *out);
    return r;
}

void oaw_event_free(oaw_event *ev)
{
    if (!ev)
        return;
    free(ev->mem_);
    memset(ev, 0, sizeof *ev);
}
