/*
 * test_lib_webhook.c - libopenapply's signing and verification (openapply/webhook.h): the test
 * vectors signed by the reference Standard Webhooks library (tests/vectors/standardwebhooks.json,
 * made by tests/vectors/generate.mjs), then edges the vectors do not reach: tolerance bounds,
 * the signature count limit, arguments, messages, the info struct.
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

#include "openapply/webhook.h"

#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define NOW    1700000000
#define BODY   "{\"id\":\"msg_1\",\"type\":\"t\"}"

static const struct {
    const char *name;
    oaw_result code;
} CODES[] = {
    {"OAW_OK", OAW_OK},
    {"OAW_ERR_ARGUMENT", OAW_ERR_ARGUMENT},
    {"OAW_ERR_SECRET", OAW_ERR_SECRET},
    {"OAW_ERR_MISSING_HEADERS", OAW_ERR_MISSING_HEADERS},
    {"OAW_ERR_MALFORMED_HEADER", OAW_ERR_MALFORMED_HEADER},
    {"OAW_ERR_TIMESTAMP_STALE", OAW_ERR_TIMESTAMP_STALE},
    {"OAW_ERR_TIMESTAMP_FUTURE", OAW_ERR_TIMESTAMP_FUTURE},
    {"OAW_ERR_SIGNATURE_MISMATCH", OAW_ERR_SIGNATURE_MISMATCH},
    {"OAW_ERR_CRYPTO", OAW_ERR_CRYPTO},
    {"OAW_ERR_INCOMPLETE_HEADERS", OAW_ERR_INCOMPLETE_HEADERS},
    {"OAW_ERR_DUPLICATE_HEADER", OAW_ERR_DUPLICATE_HEADER},
    {"OAW_ERR_MALFORMED_ID", OAW_ERR_MALFORMED_ID},
    {"OAW_ERR_MALFORMED_TIMESTAMP", OAW_ERR_MALFORMED_TIMESTAMP},
    {"OAW_ERR_MALFORMED_SIGNATURE", OAW_ERR_MALFORMED_SIGNATURE},
    {"OAW_ERR_NOT_JSON", OAW_ERR_NOT_JSON},
    {"OAW_ERR_SCHEMA", OAW_ERR_SCHEMA},
    {"OAW_ERR_UNKNOWN_TYPE", OAW_ERR_UNKNOWN_TYPE},
    {"OAW_ERR_TOO_LARGE", OAW_ERR_TOO_LARGE},
    {"OAW_ERR_NOMEM", OAW_ERR_NOMEM},
    {"OAW_ERR_STORE", OAW_ERR_STORE},
};

static oaw_result code_of(const char *name)
{
    for (size_t i = 0; i < sizeof CODES / sizeof CODES[0]; i++)
        if (strcmp(CODES[i].name, name) == 0)
            return CODES[i].code;
    fail_msg("unknown result name %s in the vectors", name);
    return OAW_ERR_ARGUMENT;
}

static const char *name_of(oaw_result r)
{
    for (size_t i = 0; i < sizeof CODES / sizeof CODES[0]; i++)
        if (CODES[i].code == r)
            return CODES[i].name;
    return "?";
}

static json_t *load_vectors(void)
{
    json_error_t e;
    json_t *doc = json_load_file(OA_SOURCE_DIR "/tests/vectors/standardwebhooks.json", 0, &e);
    if (!doc)
        fail_msg("cannot read the vectors: %s (line %d)", e.text, e.line);
    return doc;
}

static void test_reference_vectors(void **state)
{
    (void)state;
    json_t *doc = load_vectors();
    json_t *vs = json_object_get(doc, "vectors");
    assert_true(json_array_size(vs) >= 60);
    int seen[OAW_ERR_STORE + 1] = {0};
    int failures = 0, signed_checked = 0, kombo_checked = 0, reference_valid = 0;
    size_t i;
    json_t *v;
    json_array_foreach(vs, i, v)
    {
        const char *name = json_string_value(json_object_get(v, "name"));
        const char *secret = json_string_value(json_object_get(v, "secret"));
        json_t *jb = json_object_get(v, "body");
        const char *body = json_string_value(jb);
        size_t blen = json_string_length(jb);
        json_t *hs = json_object_get(v, "headers");
        oaw_header h[16];
        size_t n = json_array_size(hs);
        assert_true(n <= 16);
        for (size_t k = 0; k < n; k++) {
            h[k].name = json_string_value(json_array_get(json_array_get(hs, k), 0));
            h[k].value = json_string_value(json_array_get(json_array_get(hs, k), 1));
        }
        oaw_verify_opts o = {
            .now = json_integer_value(json_object_get(v, "now")),
            .tolerance_s = (int)json_integer_value(json_object_get(v, "tolerance")),
            .require_standard = json_is_true(json_object_get(v, "require_standard")),
        };
        oaw_result want = code_of(json_string_value(json_object_get(v, "expect")));
        oaw_verify_info info;
        oaw_result got = oaw_verify_ex(secret, h, n, body, blen, &o, &info);
        seen[got]++;
        if (got != want) {
            print_error("vector \"%s\": got %s, want %s\n", name, name_of(got), name_of(want));
            failures++;
            continue;
        }
        json_t *idx = json_object_get(v, "signature_index");
        if (idx && info.signature_index != (int)json_integer_value(idx)) {
            print_error("vector \"%s\": signature_index %d, want %d\n", name, info.signature_index,
                        (int)json_integer_value(idx));
            failures++;
        }
        /* Our signers produce exactly what the reference (and node:crypto) produced. */
        const char *sig = json_string_value(json_object_get(v, "signature"));
        if (sig && want == OAW_OK) {
            char mine[OAW_SIGNATURE_MAX];
            const char *id = json_string_value(json_object_get(v, "id"));
            int64_t ts = json_integer_value(json_object_get(v, "timestamp"));
            assert_int_equal(oaw_sign_standard(secret, id, ts, body, blen, mine), OAW_OK);
            if (strcmp(mine, sig) != 0) {
                print_error("vector \"%s\": signed %s, reference %s\n", name, mine, sig);
                failures++;
            }
            signed_checked++;
        }
        const char *kombo = json_string_value(json_object_get(v, "kombo"));
        if (kombo && want == OAW_OK) {
            char mine[OAW_SIGNATURE_MAX];
            assert_int_equal(oaw_sign_kombo(secret, body, blen, mine), OAW_OK);
            assert_string_equal(mine, kombo);
            kombo_checked++;
        }
        /* Every divergence from the reference is written down in the vector. */
        const char *ref = json_string_value(json_object_get(v, "reference"));
        if (ref && strcmp(ref, "valid") == 0 && want != OAW_OK)
            assert_non_null(json_object_get(v, "stricter"));
        if (ref && strcmp(ref, "valid") != 0 && want == OAW_OK)
            assert_non_null(json_object_get(v, "lenient"));
        reference_valid += ref && strcmp(ref, "valid") == 0 && want == OAW_OK;
    }
    assert_int_equal(failures, 0);
    assert_true(signed_checked >= 20);
    assert_true(kombo_checked >= 15);
    assert_true(reference_valid >= 20);
    /* The vectors reach every way verification can fail (except a broken libcrypto). */
    for (oaw_result r = OAW_OK; r <= OAW_ERR_MALFORMED_SIGNATURE; r++)
        if (r != OAW_ERR_ARGUMENT && r != OAW_ERR_CRYPTO && !seen[r])
            fail_msg("no vector ends in %s", name_of(r));
    json_decref(doc);
}

/* Signs BODY as the engine does and returns the three headers in h. */
static void sign_now(const char *secret, const char *id, int64_t ts, oaw_header h[3],
                     char sig[OAW_SIGNATURE_MAX], char tsbuf[24])
{
    assert_int_equal(oaw_sign_standard(secret, id, ts, BODY, strlen(BODY), sig), OAW_OK);
    snprintf(tsbuf, 24, "%lld", (long long)ts);
    h[0] = (oaw_header){"webhook-id", id};
    h[1] = (oaw_header){"webhook-timestamp", tsbuf};
    h[2] = (oaw_header){"webhook-signature", sig};
}

static void test_generate_and_roundtrip(void **state)
{
    (void)state;
    char s1[OAW_SECRET_MAX], s2[OAW_SECRET_MAX], sig[OAW_SIGNATURE_MAX], ts[24];
    assert_int_equal(oaw_secret_generate(s1), OAW_OK);
    assert_int_equal(oaw_secret_generate(s2), OAW_OK);
    assert_int_equal(strlen(s1), 6 + 44);
    assert_memory_equal(s1, "whsec_", 6);
    assert_string_not_equal(s1, s2);
    oaw_header h[3];
    sign_now(s1, "msg_rt", 0, h, sig, ts);
    /* now = 0 means the real clock: a timestamp of 0 is far too old. */
    assert_int_equal(oaw_verify(s1, h, 3, BODY, strlen(BODY), NULL), OAW_ERR_TIMESTAMP_STALE);
    oaw_verify_opts o = {.now = 1};
    assert_int_equal(oaw_verify(s1, h, 3, BODY, strlen(BODY), &o), OAW_OK);
    assert_int_equal(oaw_verify(s2, h, 3, BODY, strlen(BODY), &o), OAW_ERR_SIGNATURE_MISMATCH);
}

static void test_tolerance_bounds(void **state)
{
    (void)state;
    char sig[OAW_SIGNATURE_MAX], ts[24];
    oaw_header h[3];
    struct {
        int64_t offset;
        int tolerance;
        oaw_result want;
    } cases[] = {
        {-300, 0, OAW_OK},
        {-301, 0, OAW_ERR_TIMESTAMP_STALE},
        {300, 0, OAW_OK},
        {301, 0, OAW_ERR_TIMESTAMP_FUTURE},
        {-10, 10, OAW_OK},
        {-11, 10, OAW_ERR_TIMESTAMP_STALE},
        {11, 10, OAW_ERR_TIMESTAMP_FUTURE},
        {-301, -5, OAW_ERR_TIMESTAMP_STALE}, /* <0 = default */
        {-299, -5, OAW_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sign_now(SECRET, "msg_t", NOW + cases[i].offset, h, sig, ts);
        oaw_verify_opts o = {.now = NOW, .tolerance_s = cases[i].tolerance};
        oaw_verify_info info;
        assert_int_equal(oaw_verify_ex(SECRET, h, 3, BODY, strlen(BODY), &o, &info), cases[i].want);
        assert_int_equal(info.scheme, OAW_SCHEME_STANDARD);
        assert_int_equal(info.timestamp, NOW + cases[i].offset);
        assert_int_equal(info.age_s, -cases[i].offset);
    }
}

static void test_signature_count_limit(void **state)
{
    (void)state;
    char good[OAW_SIGNATURE_MAX], ts[24], list[4096];
    oaw_header h[3];
    sign_now(SECRET, "msg_many", NOW, h, good, ts);
    oaw_verify_opts o = {.now = NOW};
    for (int k = OAW_SIGNATURES_MAX - 1; k <= OAW_SIGNATURES_MAX; k++) {
        /* k wrong signatures, then the right one: only the first OAW_SIGNATURES_MAX count. */
        size_t used = 0;
        for (int i = 0; i < k; i++)
            used += (size_t)snprintf(list + used, sizeof list - used,
                                     "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ");
        snprintf(list + used, sizeof list - used, "%s", good);
        h[2].value = list;
        oaw_verify_info info;
        oaw_result r = oaw_verify_ex(SECRET, h, 3, BODY, strlen(BODY), &o, &info);
        if (k < OAW_SIGNATURES_MAX) {
            assert_int_equal(r, OAW_OK);
            assert_int_equal(info.signature_index, k);
            assert_int_equal(info.signatures, k + 1);
        } else {
            assert_int_equal(r, OAW_ERR_SIGNATURE_MISMATCH);
            assert_int_equal(info.signatures, OAW_SIGNATURES_MAX);
        }
    }
}

static void test_kombo(void **state)
{
    (void)state;
    char k[OAW_SIGNATURE_MAX], padded[OAW_SIGNATURE_MAX + 4];
    assert_int_equal(oaw_sign_kombo(SECRET, BODY, strlen(BODY), k), OAW_OK);
    assert_int_equal(strlen(k), 43);
    snprintf(padded, sizeof padded, "  %s ", k);
    oaw_header h[] = {{"X-Kombo-Signature", padded}};
    oaw_verify_info info;
    assert_int_equal(oaw_verify_ex(SECRET, h, 1, BODY, strlen(BODY), NULL, &info), OAW_OK);
    assert_int_equal(info.scheme, OAW_SCHEME_KOMBO);
    assert_int_equal(info.signature_index, 0);
    /* Any secret string keys the Kombo scheme, even one that is not a whsec_ secret. */
    assert_int_equal(oaw_sign_kombo("plain-secret", "", 0, k), OAW_OK);
    h[0].value = k;
    assert_int_equal(oaw_verify("plain-secret", h, 1, "", 0, NULL), OAW_OK);
    assert_int_equal(oaw_verify("", h, 1, "", 0, NULL), OAW_ERR_SECRET);
    assert_int_equal(oaw_sign_kombo("", "", 0, k), OAW_ERR_SECRET);
}

static void test_arguments(void **state)
{
    (void)state;
    char out[OAW_SIGNATURE_MAX], id[OAW_ID_MAX + 2];
    oaw_header h[] = {{NULL, "x"}, {"webhook-id", NULL}};
    assert_int_equal(oaw_verify(NULL, h, 2, "", 0, NULL), OAW_ERR_ARGUMENT);
    assert_int_equal(oaw_verify(SECRET, NULL, 1, "", 0, NULL), OAW_ERR_ARGUMENT);
    assert_int_equal(oaw_verify(SECRET, NULL, 0, NULL, 1, NULL), OAW_ERR_ARGUMENT);
    assert_int_equal(oaw_verify(SECRET, NULL, 0, NULL, 0, NULL), OAW_ERR_MISSING_HEADERS);
    /* Entries with a NULL name or value are skipped. */
    assert_int_equal(oaw_verify(SECRET, h, 2, "", 0, NULL), OAW_ERR_MISSING_HEADERS);
    assert_int_equal(oaw_secret_generate(NULL), OAW_ERR_ARGUMENT);
    assert_int_equal(oaw_sign_standard(SECRET, "id", 1, NULL, 1, out), OAW_ERR_ARGUMENT);
    assert_int_equal(oaw_sign_standard(SECRET, NULL, 1, "", 0, out), OAW_ERR_ARGUMENT);
    assert_int_equal(oaw_sign_standard(SECRET, "id", -1, "", 0, out), OAW_ERR_ARGUMENT);
    assert_int_equal(oaw_sign_standard(SECRET, "id", 1, "", 0, NULL), OAW_ERR_ARGUMENT);
    assert_int_equal(oaw_sign_standard("whsec_c2hvcnQ=", "id", 1, "", 0, out), OAW_ERR_SECRET);
    assert_int_equal(oaw_sign_kombo(NULL, "", 0, out), OAW_ERR_ARGUMENT);
    memset(id, 'a', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    assert_int_equal(oaw_sign_standard(SECRET, id, 1, "", 0, out), OAW_ERR_ARGUMENT);
    id[OAW_ID_MAX] = '\0';
    assert_int_equal(oaw_sign_standard(SECRET, id, 1, "", 0, out), OAW_OK);
}

static void test_messages(void **state)
{
    (void)state;
    for (oaw_result a = OAW_OK; a <= OAW_ERR_STORE; a++) {
        assert_non_null(oaw_strerror(a));
        assert_true(strlen(oaw_strerror(a)) > 4);
        for (oaw_result b = OAW_OK; b < a; b++)
            assert_string_not_equal(oaw_strerror(a), oaw_strerror(b));
    }
    assert_string_equal(oaw_strerror((oaw_result)999), "unknown error");
    assert_string_equal(oaw_version(), OA_VERSION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_vectors),
        cmocka_unit_test(test_generate_and_roundtrip),
        cmocka_unit_test(test_tolerance_bounds),
        cmocka_unit_test(test_signature_count_limit),
        cmocka_unit_test(test_kombo),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
