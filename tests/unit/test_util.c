/* test_util.c - base64, ids, durations, times, integers, UTF-8, lists, buffers, URL checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/net.h"
#include "util/seal.h"
#include "util/text.h"

static void test_base64(void **state)
{
    (void)state;
    const char *cases[][2] = {{"", ""},        {"f", "Zg=="},        {"fo", "Zm8="},
                              {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}};
    for (size_t i = 0; i < 6; i++) {
        char *e = oa_b64_encode(cases[i][0], strlen(cases[i][0]));
        assert_string_equal(e, cases[i][1]);
        uint8_t *d;
        size_t n;
        assert_int_equal(oa_b64_decode(e, strlen(e), &d, &n), OA_OK);
        assert_int_equal(n, strlen(cases[i][0]));
        assert_memory_equal(d, cases[i][0], n);
        free(d);
        free(e);
    }
    uint8_t *d;
    size_t n;
    assert_int_equal(oa_b64_decode("Zm9v!", 5, &d, &n), OA_INVALID);
    assert_int_equal(oa_b64_decode("Zm9", 3, &d, &n), OA_INVALID);  /* missing padding */
    assert_int_equal(oa_b64_decode("Zh==", 4, &d, &n), OA_INVALID); /* non-canonical bits */
    assert_int_equal(oa_b64url_decode("-_8", 3, &d, &n), OA_OK);
    assert_int_equal(n, 2);
    assert_int_equal(d[0], 0xfb);
    assert_int_equal(d[1], 0xff);
    free(d);
    char *u = oa_b64url_encode("\xfb\xff", 2);
    assert_string_equal(u, "-_8");
    free(u);
}

static void test_ids(void **state)
{
    (void)state;
    char a[OA_ID_SIZE], b[OA_ID_SIZE];
    oa_id_new(a);
    oa_id_new(b);
    assert_int_equal(strlen(a), 24);
    assert_true(oa_id_valid(a));
    assert_string_not_equal(a, b);
    /* Ids sort by creation time (a later millisecond sorts after), random after the prefix. */
    usleep(2000);
    oa_id_new(b);
    assert_true(strcmp(a, b) < 0);
    assert_true(oa_id_valid(b));
    oa_id_random(a);
    assert_true(oa_id_valid(a));
    assert_false(oa_id_valid("0OIl0OIl0OIl0OIl0OIl0OIl")); /* not base58 */
    assert_false(oa_id_valid("short"));
    oa_id_derive(a, "q", "posting", "first_name", NULL);
    oa_id_derive(b, "q", "posting", "first_name", NULL);
    assert_string_equal(a, b);
    assert_true(oa_id_valid(a));
    oa_id_derive(b, "q", "posting", "last_name", NULL);
    assert_string_not_equal(a, b);
    /* Parts are separated: ("ab","c") differs from ("a","bc"). */
    oa_id_derive(a, "ab", "c", NULL);
    oa_id_derive(b, "a", "bc", NULL);
    assert_string_not_equal(a, b);
}

static void test_durations(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(oa_duration_parse("500ms", &ms), OA_OK);
    assert_int_equal(ms, 500);
    assert_int_equal(oa_duration_parse("5s", &ms), OA_OK);
    assert_int_equal(ms, 5000);
    assert_int_equal(oa_duration_parse("5m", &ms), OA_OK);
    assert_int_equal(ms, 300000);
    assert_int_equal(oa_duration_parse("2h", &ms), OA_OK);
    assert_int_equal(ms, 7200000);
    assert_int_equal(oa_duration_parse("1d", &ms), OA_OK);
    assert_int_equal(ms, 86400000);
    assert_int_equal(oa_duration_parse("0", &ms), OA_OK);
    assert_int_equal(ms, 0);
    const char *bad[] = {"", "5", "s", "-5s", "5x", "5 s", "1.5h", "99999999999999999999d"};
    for (size_t i = 0; i < OA_ARRAY_LEN(bad); i++)
        assert_int_equal(oa_duration_parse(bad[i], &ms), OA_INVALID);
    char out[32];
    oa_duration_fmt(300000, out, sizeof out);
    assert_string_equal(out, "5m");
    oa_duration_fmt(1500, out, sizeof out);
    assert_string_equal(out, "1500ms");
}

static void test_times(void **state)
{
    (void)state;
    char t[OA_TIME_LEN];
    oa_time_fmt(1735689600123, t);
    assert_string_equal(t, "2025-01-01T00:00:00.123Z");
    int64_t ms;
    assert_int_equal(oa_time_parse("2025-01-01T00:00:00.123Z", &ms), OA_OK);
    assert_int_equal(ms, 1735689600123);
    assert_int_equal(oa_time_parse("2025-01-01T01:00:00+01:00", &ms), OA_OK);
    assert_int_equal(ms, 1735689600000);
    assert_int_equal(oa_time_parse("2025-02-30T00:00:00Z", &ms), OA_INVALID);
    assert_int_equal(oa_time_parse("2025-01-01", &ms), OA_INVALID);
    assert_true(oa_date_valid("2024-02-29"));
    assert_false(oa_date_valid("2023-02-29"));
    assert_false(oa_date_valid("2023-1-01"));
}

static void test_ints_lists_utf8(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(oa_parse_int("250", 1, 250, &v), OA_OK);
    assert_int_equal(oa_parse_int("251", 1, 250, &v), OA_INVALID);
    assert_int_equal(oa_parse_int("0", 1, 250, &v), OA_INVALID);
    assert_int_equal(oa_parse_int("1e2", 1, 250, &v), OA_INVALID);
    assert_int_equal(oa_parse_int("-1", 1, 250, &v), OA_INVALID);
    assert_int_equal(oa_parse_int("99999999999999999999999", 0, INT64_MAX, &v), OA_INVALID);
    oa_strlist l;
    assert_int_equal(oa_strlist_split(" a, b,,c ,", 10, &l), OA_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.items[0], "a");
    assert_string_equal(l.items[2], "c");
    assert_true(oa_strlist_has(&l, "b"));
    oa_strlist_free(&l);
    assert_int_equal(oa_strlist_split("a,b,c", 2, &l), OA_TOO_LARGE);
    assert_true(oa_utf8_valid("Bewerbung für Vertrieb", strlen("Bewerbung für Vertrieb")));
    assert_false(oa_utf8_valid("\xc3\x28", 2));
    assert_false(oa_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
    /* oa_text_clean: a sequence cut at the end is dropped, the rest kept as UTF-8. */
    char cut[] = "f\xc3\xbcr \xe2\x82"; /* "für " + 2 of the 3 bytes of the euro sign */
    size_t n = strlen(cut);
    oa_text_clean(cut, &n);
    assert_int_equal(n, 5);
    assert_string_equal(cut, "f\xc3\xbcr ");
    char bad[] = "a\xff\x01"
                 "b\tc";
    n = strlen(bad);
    oa_text_clean(bad, &n);
    assert_string_equal(bad, "a? b\tc");
    assert_false(oa_utf8_valid("\xc0\xaf", 2)); /* overlong */
    char *sq = oa_squash_ws("  Vorname \n\t *  ");
    assert_string_equal(sq, "Vorname *");
    free(sq);
}

static void test_enum_list_and_like(void **state)
{
    (void)state;
    static const char *const AV[] = {"PENDING", "APPLYABLE", "UNAVAILABLE", "ARCHIVED"};
    uint32_t m;
    char *bad;
    assert_int_equal(oa_enum_list_parse("APPLYABLE", AV, 4, &m, &bad), OA_OK);
    assert_int_equal(m, 2);
    assert_null(bad);
    assert_int_equal(oa_enum_list_parse(" ARCHIVED ,PENDING,ARCHIVED", AV, 4, &m, &bad), OA_OK);
    assert_int_equal(m, 9);
    const char *const wrong[] = {
        "",          " ",     "APPLYABLE,", ",APPLYABLE",  "APPLYABLE,,ARCHIVED",
        "applyable", "APPLY", "APPLYABLEX", "PENDING,NOPE"};
    const char *const item[] = {"", "", "", "", "", "applyable", "APPLY", "APPLYABLEX", "NOPE"};
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
        assert_int_equal(oa_enum_list_parse(wrong[i], AV, 4, &m, &bad), OA_INVALID);
        assert_int_equal(m, 0);
        assert_non_null(bad);
        assert_string_equal(bad, item[i]);
        free(bad);
    }
    char *l = oa_like_contains("Jobs/50%_Off\\x");
    assert_string_equal(l, "%jobs/50\\%\\_off\\\\x%");
    free(l);
    l = oa_like_contains("");
    assert_string_equal(l, "%%");
    free(l);
    assert_int_equal(oa_utf8_chars("D\xc3\xbcsseldorf"), 10);
    assert_int_equal(oa_utf8_chars(""), 0);
}

static void test_buf_limit(void **state)
{
    (void)state;
    oa_buf b;
    oa_buf_init(&b, 8);
    assert_int_equal(oa_buf_append(&b, "12345", 5), OA_OK);
    assert_int_equal(oa_buf_append(&b, "6789", 4), OA_TOO_LARGE);
    assert_string_equal(oa_buf_cstr(&b), "12345"); /* unchanged after a refused append */
    assert_int_equal(oa_buf_append(&b, "678", 3), OA_OK);
    char *s = oa_buf_take(&b);
    assert_string_equal(s, "12345678");
    free(s);
    assert_string_equal(oa_buf_cstr(&b), "");
    oa_buf_free(&b);
}

static bool pub(const char *ip)
{
    struct sockaddr_storage ss = {0};
    if (inet_pton(AF_INET, ip, &((struct sockaddr_in *)&ss)->sin_addr) == 1)
        ss.ss_family = AF_INET;
    else if (inet_pton(AF_INET6, ip, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1)
        ss.ss_family = AF_INET6;
    else
        fail_msg("bad test address %s", ip);
    return oa_addr_is_public((struct sockaddr *)&ss);
}

static void test_ssrf_classification(void **state)
{
    (void)state;
    const char *private_[] = {"127.0.0.1",
                              "10.1.2.3",
                              "172.16.0.1",
                              "172.31.255.255",
                              "192.168.1.1",
                              "169.254.169.254",
                              "100.64.0.1",
                              "0.0.0.0",
                              "224.0.0.1",
                              "255.255.255.255",
                              "::1",
                              "::",
                              "fe80::1",
                              "fc00::1",
                              "fd00:ec2::254",
                              "ff02::1",
                              "::ffff:127.0.0.1",
                              "::ffff:10.0.0.1",
                              "64:ff9b::a00:1",
                              "2002:7f00:1::"};
    for (size_t i = 0; i < OA_ARRAY_LEN(private_); i++)
        assert_false(pub(private_[i]));
    const char *public_[] = {
        "8.8.8.8",       "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111",
        "::ffff:8.8.8.8"};
    for (size_t i = 0; i < OA_ARRAY_LEN(public_); i++)
        assert_true(pub(public_[i]));
}

static void test_url_check(void **state)
{
    (void)state;
    char *why = NULL;
    assert_int_equal(oa_url_check("https://careers.example.com/jobs/1?x=1", false, &why), OA_OK);
    const char *bad[] = {"ftp://example.com/",
                         "example.com/jobs",
                         "http://",
                         "https://user:pw@example.com/",
                         "http://127.0.0.1:8080/",
                         "http://[::1]/",
                         "http://localhost/",
                         "http://169.254.169.254/latest/meta-data",
                         "http://2130706433/",
                         "http://0x7f.0.0.1/",
                         "http://foo.internal/",
                         "https://exa mple.com/"};
    for (size_t i = 0; i < OA_ARRAY_LEN(bad); i++) {
        assert_int_equal(oa_url_check(bad[i], false, &why), OA_INVALID);
        assert_non_null(why);
        free(why);
        why = NULL;
    }
    /* Private addresses pass when allowed; malformed URLs never do. */
    assert_int_equal(oa_url_check("http://127.0.0.1:8080/", true, &why), OA_OK);
    assert_int_equal(oa_url_check("ftp://127.0.0.1/", true, &why), OA_INVALID);
    free(why);
}

/* Sealed secrets open only with the same key and the same additional data, and any changed
 * byte is refused. */
static void test_seal(void **state)
{
    (void)state;
    uint8_t k[32], k2[32];
    memset(k, 7, sizeof k);
    memset(k2, 8, sizeof k2);
    const char *plain = "{\"greenhouse\":{\"api_key\":\"sekrit\"}}";
    char *a = oa_seal(k, "site-1", plain, strlen(plain));
    char *b = oa_seal(k, "site-1", plain, strlen(plain));
    assert_string_not_equal(a, b); /* a fresh nonce each time */
    assert_null(strstr(a, "sekrit"));
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(oa_unseal(k, "site-1", a, &out, &n), OA_OK);
    assert_int_equal(n, strlen(plain));
    assert_string_equal(out, plain);
    free(out);
    assert_int_equal(oa_unseal(k2, "site-1", a, &out, &n), OA_INVALID);
    assert_int_equal(oa_unseal(k, "site-2", a, &out, &n), OA_INVALID);
    assert_null(out);
    /* Flip one base64 character in the middle. */
    size_t mid = strlen(a) / 2;
    a[mid] = a[mid] == 'A' ? 'B' : 'A';
    assert_int_equal(oa_unseal(k, "site-1", a, &out, &n), OA_INVALID);
    assert_int_equal(oa_unseal(k, "site-1", "", &out, &n), OA_INVALID);
    assert_int_equal(oa_unseal(k, "site-1", "AAAA", &out, &n), OA_INVALID);
    assert_int_equal(oa_unseal(k, "site-1", NULL, &out, &n), OA_INVALID);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64),          cmocka_unit_test(test_ids),
        cmocka_unit_test(test_durations),       cmocka_unit_test(test_times),
        cmocka_unit_test(test_ints_lists_utf8), cmocka_unit_test(test_enum_list_and_like),
        cmocka_unit_test(test_buf_limit),       cmocka_unit_test(test_ssrf_classification),
        cmocka_unit_test(test_url_check),       cmocka_unit_test(test_seal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
