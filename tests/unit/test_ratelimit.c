/* test_ratelimit.c - the API's token buckets: parsing, bursts, refill, tenants apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "api/ratelimit.h"

static void test_parse(void **state)
{
    (void)state;
    rl_config c;
    assert_int_equal(rl_parse("100/s,200", &c), OA_OK);
    assert_true(c.rate == 100 && c.burst == 200);
    assert_int_equal(rl_parse("600/m", &c), OA_OK);
    assert_true(c.rate == 10 && c.burst == 20);
    assert_int_equal(rl_parse("3", &c), OA_OK);
    assert_true(c.rate == 3 && c.burst == 6);
    assert_int_equal(rl_parse("off", &c), OA_OK);
    assert_true(c.rate == 0);
    const char *bad[] = {"", "0", "x", "10/h", "10,", "10,0", "-1", "1/s,2,3", "10/s/s"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(rl_parse(bad[i], &c), OA_INVALID);
}

static void test_buckets(void **state)
{
    (void)state;
    rl_config c = {.rate = 2, .burst = 4};
    rl_limiter l;
    rl_init(&l, &c);
    int64_t t = 1000000;
    for (int i = 0; i < 4; i++)
        assert_true(rl_check(&l, "a", true, t).allowed);
    rl_verdict v = rl_check(&l, "a", true, t);
    assert_false(v.allowed);
    assert_int_equal(v.remaining, 0);
    assert_int_equal(v.retry_after, 1);
    assert_int_equal(v.limit, 4);
    assert_int_equal(v.reset_s, 2);
    /* Reads only report. */
    assert_true(rl_check(&l, "a", false, t).allowed);
    /* Another tenant has its own bucket. */
    assert_true(rl_check(&l, "b", true, t).allowed);
    /* Half a second gives one token back, and no more than the burst ever. */
    assert_true(rl_check(&l, "a", true, t + 500).allowed);
    assert_false(rl_check(&l, "a", true, t + 500).allowed);
    assert_int_equal(rl_check(&l, "a", false, t + 3600000).remaining, 4);
    rl_free(&l);
    rl_config off = {0};
    rl_init(&l, &off);
    for (int i = 0; i < 1000; i++)
        assert_true(rl_check(&l, "a", true, t).allowed);
    rl_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_parse),
                                       cmocka_unit_test(test_buckets)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
