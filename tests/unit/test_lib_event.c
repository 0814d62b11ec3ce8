/*
 * test_lib_event.c - libopenapply's event parser (openapply/event.h): both payloads parse into
 * their structs; every way a body can leave the schema is refused with a path and a message;
 * junk, repeated keys, NULs, deep nesting and oversize bodies are refused; RFC 3339 times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openapply/event.h"

static const char POSTING[] =
    "{\"id\":\"Eq5jVbGUsTzS1rX9gq2Ufq4H\",\"type\":\"ai-apply-job-posting-status-updated\","
    "\"data\":{\"id\":\"7BxCvW2kq9Nd1rLmTzA4sYpQ\",\"career_site\":{\"id\":"
    "\"3kTnR8vXq2WmYp5sLc7dHfJb\",\"label\":\"Brightwave Labs\"},\"url\":"
    "\"https://careers.example.com/jobs/backend-engineer\",\"job_code\":null,\"created_at\":"
    "\"2023-11-14T22:10:00.000Z\",\"updated_at\":\"2023-11-14T22:13:20.123Z\",\"archived_at\":"
    "null,\"archived_reason\":null,\"availability\":\"APPLYABLE\"}}";

static const char APPLICATION[] =
    "{\"id\":\"Hh3KpW9sXq2vLmTz8RcYb5dN\",\"type\":\"ai-apply-application-status-updated\","
    "\"data\":{\"id\":\"Qx7mN2pL9sTzK4vWb8RcYh3J\",\"job_posting_id\":\"7BxCvW2kq9Nd1rLmTzA4sYpQ\","
    "\"status\":\"SUBMITTED\",\"created_at\":\"2023-11-14T22:12:00.000Z\",\"updated_at\":"
    "\"2023-11-14T22:13:20.000Z\"}}";

#define T_1700000000 1700000000000LL /* 2023-11-14T22:13:20.000Z in ms */

static void test_posting(void **state)
{
    (void)state;
    /* The body is a private copy freed before the event is used: the event owns its strings. */
    char *body = strdup(POSTING);
    oaw_event ev;
    oaw_parse_error pe;
    assert_int_equal(oaw_event_parse(body, strlen(body), &ev, &pe), OAW_OK);
    memset(body, 'x', strlen(body));
    free(body);
    assert_int_equal(ev.kind, OAW_EVENT_POSTING);
    assert_string_equal(ev.id, "Eq5jVbGUsTzS1rX9gq2Ufq4H");
    assert_string_equal(ev.type, OAW_TYPE_POSTING);
    assert_string_equal(ev.resource_id, "7BxCvW2kq9Nd1rLmTzA4sYpQ");
    assert_int_equal(ev.updated_at_ms, T_1700000000 + 123);
    const oaw_posting *p = &ev.data.posting;
    assert_string_equal(p->id, "7BxCvW2kq9Nd1rLmTzA4sYpQ");
    assert_string_equal(p->career_site_id, "3kTnR8vXq2WmYp5sLc7dHfJb");
    assert_string_equal(p->career_site_label, "Brightwave Labs");
    assert_string_equal(p->url, "https://careers.example.com/jobs/backend-engineer");
    assert_null(p->job_code);
    assert_null(p->archived_at);
    assert_int_equal(p->archived_at_ms, 0);
    assert_string_equal(p->created_at, "2023-11-14T22:10:00.000Z");
    assert_string_equal(p->updated_at, "2023-11-14T22:13:20.123Z");
    assert_int_equal(p->created_at_ms, T_1700000000 - 200000);
    assert_int_equal(p->availability, OAW_AVAILABILITY_APPLYABLE);
    assert_int_equal(p->archived_reason, OAW_ARCHIVED_REASON_NONE);
    assert_string_equal(oaw_availability_name(p->availability), "APPLYABLE");
    oaw_event_free(&ev);
    assert_null(ev.id);
    oaw_event_free(&ev); /* harmless twice */
    oaw_event_free(NULL);
}

static void test_archived_posting(void **state)
{
    (void)state;
    json_t *o = json_loads(POSTING, 0, NULL);
    json_t *d = json_object_get(o, "data");
    json_object_set_new(d, "availability", json_string("ARCHIVED"));
    json_object_set_new(d, "archived_reason", json_string("MANUAL_ARCHIVE"));
    json_object_set_new(d, "archived_at", json_string("2023-11-14T23:13:20+01:00"));
    json_object_set_new(d, "job_code", json_string("JC-42 ünï"));
    char *s = json_dumps(o, JSON_COMPACT);
    oaw_event ev;
    assert_int_equal(oaw_event_parse(s, strlen(s), &ev, NULL), OAW_OK);
    assert_int_equal(ev.data.posting.availability, OAW_AVAILABILITY_ARCHIVED);
    assert_int_equal(ev.data.posting.archived_reason, OAW_ARCHIVED_REASON_MANUAL_ARCHIVE);
    assert_string_equal(oaw_archived_reason_name(ev.data.posting.archived_reason),
                        "MANUAL_ARCHIVE");
    assert_int_equal(ev.data.posting.archived_at_ms, T_1700000000);
    assert_string_equal(ev.data.posting.job_code, "JC-42 ünï");
    oaw_event_free(&ev);
    free(s);
    json_decref(o);
}

static void test_application(void **state)
{
    (void)state;
    oaw_event ev;
    assert_int_equal(oaw_event_parse(APPLICATION, strlen(APPLICATION), &ev, NULL), OAW_OK);
    assert_int_equal(ev.kind, OAW_EVENT_APPLICATION);
    assert_string_equal(ev.type, OAW_TYPE_APPLICATION);
    assert_string_equal(ev.resource_id, "Qx7mN2pL9sTzK4vWb8RcYh3J");
    const oaw_application *a = &ev.data.application;
    assert_string_equal(a->job_posting_id, "7BxCvW2kq9Nd1rLmTzA4sYpQ");
    assert_int_equal(a->status, OAW_APPLICATION_SUBMITTED);
    assert_string_equal(oaw_application_status_name(a->status), "SUBMITTED");
    assert_int_equal(a->updated_at_ms, T_1700000000);
    assert_int_equal(ev.updated_at_ms, T_1700000000);
    oaw_event_free(&ev);
}

/* One schema violation: `path` in the JSON (dots) set to `value` (NULL deletes it). */
typedef struct {
    const char *base;
    const char *path;
    const char *value; /* JSON text, NULL = delete */
    oaw_result want;
    const char *want_path;
    const char *want_msg; /* a substring of the message */
} mutation;

static void apply(json_t *root, const char *path, const char *value)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *o = root;
    char *key = buf, *dot;
    while ((dot = strchr(key, '.'))) {
        *dot = '\0';
        o = json_object_get(o, key);
        key = dot + 1;
    }
    if (!value) {
        json_object_del(o, key);
        return;
    }
    json_error_t e;
    json_t *v = json_loads(value, JSON_DECODE_ANY, &e);
    if (!v)
        fail_msg("bad test value %s: %s", value, e.text);
    json_object_set_new(o, key, v);
}

static void test_schema_violations(void **state)
{
    (void)state;
    static const char LONG_ID[] =
        "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"";
    const mutation ms[] = {
        {POSTING, "id", NULL, OAW_ERR_SCHEMA, "$.id", "missing"},
        {POSTING, "id", "\"\"", OAW_ERR_SCHEMA, "$.id", "non-empty"},
        {POSTING, "id", LONG_ID, OAW_ERR_SCHEMA, "$.id", "at most"},
        {POSTING, "id", "42", OAW_ERR_SCHEMA, "$.id", "string"},
        {POSTING, "type", NULL, OAW_ERR_SCHEMA, "$.type", "missing"},
        {POSTING, "type", "7", OAW_ERR_SCHEMA, "$.type", "string"},
        {POSTING, "type", "\"ai-apply-posting-deleted\"", OAW_ERR_UNKNOWN_TYPE, "$.type",
         "ai-apply-posting-deleted"},
        {POSTING, "type", "\"openapply.endpoint.disabled\"", OAW_ERR_UNKNOWN_TYPE, "$.type",
         "unknown"},
        {POSTING, "extra", "1", OAW_ERR_SCHEMA, "$", "unexpected property \"extra\""},
        {POSTING, "data", NULL, OAW_ERR_SCHEMA, "$.data", "missing"},
        {POSTING, "data", "[]", OAW_ERR_SCHEMA, "$.data", "object"},
        {POSTING, "data.candidate_email", "\"a@b.c\"", OAW_ERR_SCHEMA, "$.data", "unexpected"},
        {POSTING, "data.id", NULL, OAW_ERR_SCHEMA, "$.data.id", "missing"},
        {POSTING, "data.id", "null", OAW_ERR_SCHEMA, "$.data.id", "not null"},
        {POSTING, "data.career_site", NULL, OAW_ERR_SCHEMA, "$.data.career_site", "missing"},
        {POSTING, "data.career_site", "\"x\"", OAW_ERR_SCHEMA, "$.data.career_site", "object"},
        {POSTING, "data.career_site.label", NULL, OAW_ERR_SCHEMA, "$.data.career_site.label",
         "missing"},
        {POSTING, "data.career_site.id", "\"\"", OAW_ERR_SCHEMA, "$.data.career_site.id", "id"},
        {POSTING, "data.career_site.x", "1", OAW_ERR_SCHEMA, "$.data.career_site", "unexpected"},
        {POSTING, "data.url", NULL, OAW_ERR_SCHEMA, "$.data.url", "missing"},
        {POSTING, "data.url", "{}", OAW_ERR_SCHEMA, "$.data.url", "string"},
        {POSTING, "data.job_code", NULL, OAW_ERR_SCHEMA, "$.data.job_code", "missing"},
        {POSTING, "data.job_code", "5", OAW_ERR_SCHEMA, "$.data.job_code", "string"},
        {POSTING, "data.created_at", NULL, OAW_ERR_SCHEMA, "$.data.created_at", "missing"},
        {POSTING, "data.created_at", "\"yesterday\"", OAW_ERR_SCHEMA, "$.data.created_at",
         "RFC 3339"},
        {POSTING, "data.updated_at", "\"2023-02-29T00:00:00Z\"", OAW_ERR_SCHEMA,
         "$.data.updated_at", "RFC 3339"},
        {POSTING, "data.updated_at", "null", OAW_ERR_SCHEMA, "$.data.updated_at", "not null"},
        {POSTING, "data.archived_at", NULL, OAW_ERR_SCHEMA, "$.data.archived_at", "missing"},
        {POSTING, "data.archived_at", "0", OAW_ERR_SCHEMA, "$.data.archived_at", "string"},
        {POSTING, "data.archived_reason", NULL, OAW_ERR_SCHEMA, "$.data.archived_reason",
         "missing"},
        {POSTING, "data.archived_reason", "\"DELETED\"", OAW_ERR_SCHEMA, "$.data.archived_reason",
         "MANUAL_ARCHIVE"},
        {POSTING, "data.availability", NULL, OAW_ERR_SCHEMA, "$.data.availability", "missing"},
        {POSTING, "data.availability", "\"OPEN\"", OAW_ERR_SCHEMA, "$.data.availability",
         "APPLYABLE"},
        {POSTING, "data.availability", "null", OAW_ERR_SCHEMA, "$.data.availability", "one of"},
        {POSTING, "data.availability", "\"applyable\"", OAW_ERR_SCHEMA, "$.data.availability",
         "one of"},
        {APPLICATION, "data.status", "\"ACCEPTED\"", OAW_ERR_SCHEMA, "$.data.status", "SUBMITTED"},
        {APPLICATION, "data.status", NULL, OAW_ERR_SCHEMA, "$.data.status", "missing"},
        {APPLICATION, "data.job_posting_id", NULL, OAW_ERR_SCHEMA, "$.data.job_posting_id",
         "missing"},
        {APPLICATION, "data.candidate_email", "\"a@b.c\"", OAW_ERR_SCHEMA, "$.data", "unexpected"},
        {APPLICATION, "data.availability", "\"APPLYABLE\"", OAW_ERR_SCHEMA, "$.data", "unexpected"},
        {APPLICATION, "data.created_at", "\"2023-11-14 22:12:00Z\"", OAW_ERR_SCHEMA,
         "$.data.created_at", "RFC 3339"},
        /* A posting's data under the application type. */
        {POSTING, "type", "\"ai-apply-application-status-updated\"", OAW_ERR_SCHEMA, "$.data",
         "unexpected"},
    };
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
        json_t *root = json_loads(ms[i].base, 0, NULL);
        apply(root, ms[i].path, ms[i].value);
        char *s = json_dumps(root, JSON_COMPACT);
        oaw_event ev;
        oaw_parse_error pe;
        oaw_result r = oaw_event_parse(s, strlen(s), &ev, &pe);
        if (r != ms[i].want || strcmp(pe.path, ms[i].want_path) != 0 ||
            !strstr(pe.message, ms[i].want_msg))
            fail_msg("case %zu (%s = %s): got %d at %s \"%s\"", i, ms[i].path,
                     ms[i].value ? ms[i].value : "(deleted)", r, pe.path, pe.message);
        assert_null(ev.id);
        assert_null(ev.mem_);
        free(s);
        json_decref(root);
    }
}

static void test_not_json(void **state)
{
    (void)state;
    struct {
        const char *body;
        size_t len;
        oaw_result want;
    } cases[] = {
        {"", 0, OAW_ERR_NOT_JSON},
        {"{", 1, OAW_ERR_NOT_JSON},
        {"null", 4, OAW_ERR_SCHEMA},
        {"[]", 2, OAW_ERR_SCHEMA},
        {"\"text\"", 6, OAW_ERR_SCHEMA},
        {"{} {}", 5, OAW_ERR_NOT_JSON},
        {"{\"id\":\"a\",\"id\":\"b\"}", 19, OAW_ERR_NOT_JSON}, /* repeated key */
        {"{\"id\":\"\xff\"}", 10, OAW_ERR_NOT_JSON},           /* not UTF-8 */
        {"{\"id\":\"a\\u0000b\"}", 17, OAW_ERR_NOT_JSON},      /* NUL in a string */
        {"{\"id\":\"a\"}\0junk", 15, OAW_ERR_NOT_JSON},        /* NUL byte in the body */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        oaw_event ev;
        oaw_parse_error pe;
        oaw_result r = oaw_event_parse(cases[i].body, cases[i].len, &ev, &pe);
        if (r != cases[i].want)
            fail_msg("case %zu: got %d, want %d (%s)", i, r, cases[i].want, pe.message);
        assert_true(strlen(pe.message) > 0);
    }
    oaw_parse_error pe;
    oaw_event ev;
    assert_int_equal(oaw_event_parse("{\n  \"id\": ,", 11, &ev, &pe), OAW_ERR_NOT_JSON);
    assert_int_equal(pe.line, 2);
    /* Deep nesting is refused by the parser's depth limit, without recursion trouble. */
    size_t depth = 200000;
    char *deep = malloc(2 * depth);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    assert_int_equal(oaw_event_parse(deep, 2 * depth, &ev, &pe), OAW_ERR_NOT_JSON);
    free(deep);
    /* Oversize: refused before parsing. */
    size_t big = OAW_EVENT_MAX_BODY + 1;
    char *b = malloc(big);
    memset(b, ' ', big);
    assert_int_equal(oaw_event_parse(b, big, &ev, &pe), OAW_ERR_TOO_LARGE);
    free(b);
    /* Arguments. */
    assert_int_equal(oaw_event_parse(POSTING, strlen(POSTING), NULL, &pe), OAW_ERR_ARGUMENT);
    assert_int_equal(oaw_event_parse(NULL, 5, &ev, NULL), OAW_ERR_ARGUMENT);
    assert_int_equal(oaw_event_parse(NULL, 0, &ev, NULL), OAW_ERR_NOT_JSON);
}

static void test_times(void **state)
{
    (void)state;
    struct {
        const char *s;
        int ok;
        int64_t ms;
    } cases[] = {
        {"1970-01-01T00:00:00Z", 1, 0},
        {"2023-11-14T22:13:20.000Z", 1, T_1700000000},
        {"2023-11-14T22:13:20Z", 1, T_1700000000},
        {"2023-11-14t22:13:20z", 1, T_1700000000},
        {"2023-11-14T22:13:20.1Z", 1, T_1700000000 + 100},
        {"2023-11-14T22:13:20.123456789Z", 1, T_1700000000 + 123},
        {"2023-11-14T23:13:20+01:00", 1, T_1700000000},
        {"2023-11-14T21:43:20-00:30", 1, T_1700000000},
        {"2024-02-29T00:00:00Z", 1, 1709164800000LL},
        {"2000-02-29T00:00:00Z", 1, 951782400000LL},
        {"1969-12-31T23:59:59Z", 1, -1000},
        {"2016-12-31T23:59:60Z", 1, 1483228800000LL}, /* leap second */
        {"2023-02-29T00:00:00Z", 0, 0},
        {"1900-02-29T00:00:00Z", 0, 0},
        {"2023-13-01T00:00:00Z", 0, 0},
        {"2023-00-01T00:00:00Z", 0, 0},
        {"2023-01-32T00:00:00Z", 0, 0},
        {"2023-01-01T24:00:00Z", 0, 0},
        {"2023-01-01T00:60:00Z", 0, 0},
        {"2023-01-01T00:00:61Z", 0, 0},
        {"2023-01-01T00:00:00", 0, 0},
        {"2023-01-01 00:00:00Z", 0, 0},
        {"2023-01-01T00:00:00.Z", 0, 0},
        {"2023-01-01T00:00:00.1234567890Z", 0, 0},
        {"2023-01-01T00:00:00+0100", 0, 0},
        {"2023-01-01T00:00:00+24:00", 0, 0},
        {"2023-01-01T00:00:00ZZ", 0, 0},
        {"2023-01-01", 0, 0},
        {"", 0, 0},
        {"+2023-01-01T00:00:00Z", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ms = 0;
        oaw_result r = oaw_time_parse(cases[i].s, &ms);
        if ((r == OAW_OK) != cases[i].ok || (cases[i].ok && ms != cases[i].ms))
            fail_msg("%s: got %d, %lld", cases[i].s, r, (long long)ms);
    }
    int64_t ms;
    assert_int_equal(oaw_time_parse(NULL, &ms), OAW_ERR_ARGUMENT);
    assert_int_equal(oaw_time_parse("2023-01-01T00:00:00Z", NULL), OAW_ERR_ARGUMENT);
}

static void test_names(void **state)
{
    (void)state;
    assert_null(oaw_availability_name((oaw_availability)0));
    assert_null(oaw_availability_name((oaw_availability)99));
    assert_string_equal(oaw_availability_name(OAW_AVAILABILITY_UNAVAILABLE), "UNAVAILABLE");
    assert_null(oaw_archived_reason_name(OAW_ARCHIVED_REASON_NONE));
    assert_string_equal(oaw_archived_reason_name(OAW_ARCHIVED_REASON_REMOVED_FROM_JOB_FEED),
                        "REMOVED_FROM_JOB_FEED");
    assert_string_equal(oaw_application_status_name(OAW_APPLICATION_DUPLICATE), "DUPLICATE");
    assert_null(oaw_application_status_name((oaw_application_status)-1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_posting),     cmocka_unit_test(test_archived_posting),
        cmocka_unit_test(test_application), cmocka_unit_test(test_schema_violations),
        cmocka_unit_test(test_not_json),    cmocka_unit_test(test_times),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
