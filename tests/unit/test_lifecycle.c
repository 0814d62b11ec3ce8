/* test_lifecycle.c - every posting and application transition, exhaustively. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/lifecycle.h"

static oa_posting_state ps(oa_availability av, oa_archive_reason r)
{
    oa_posting_state s = {av, r};
    return s;
}

static void test_parse_ok(void **state)
{
    (void)state;
    oa_posting_effect e = core_posting_step(ps(OA_AV_PENDING, OA_AR_NONE), OA_PI_PARSE_OK);
    assert_int_equal(e.next.av, OA_AV_APPLYABLE);
    assert_true(e.changed);
    assert_true(e.store_revision);
    assert_true(e.refresh_later);
    assert_false(e.drop);

    e = core_posting_step(ps(OA_AV_UNAVAILABLE, OA_AR_NONE), OA_PI_PARSE_OK);
    assert_int_equal(e.next.av, OA_AV_APPLYABLE);
    assert_true(e.changed);

    /* A re-parse of an applyable posting stores the revision but emits nothing. */
    e = core_posting_step(ps(OA_AV_APPLYABLE, OA_AR_NONE), OA_PI_PARSE_OK);
    assert_int_equal(e.next.av, OA_AV_APPLYABLE);
    assert_false(e.changed);
    assert_true(e.store_revision);

    /* A late parse result for an archived posting is dropped. */
    for (int r = OA_AR_TAKEN_OFFLINE; r <= OA_AR_REMOVED_FROM_FEED; r++) {
        e = core_posting_step(ps(OA_AV_ARCHIVED, (oa_archive_reason)r), OA_PI_PARSE_OK);
        assert_true(e.drop);
        assert_false(e.changed);
        assert_false(e.store_revision);
        assert_int_equal(e.next.av, OA_AV_ARCHIVED);
        assert_int_equal(e.next.reason, r);
    }
}

static void test_parse_failed(void **state)
{
    (void)state;
    oa_posting_effect e = core_posting_step(ps(OA_AV_PENDING, OA_AR_NONE), OA_PI_PARSE_FAILED);
    assert_int_equal(e.next.av, OA_AV_UNAVAILABLE);
    assert_true(e.changed);
    assert_true(e.parse_retry);

    /* A failed re-parse keeps APPLYABLE and emits nothing. */
    e = core_posting_step(ps(OA_AV_APPLYABLE, OA_AR_NONE), OA_PI_PARSE_FAILED);
    assert_int_equal(e.next.av, OA_AV_APPLYABLE);
    assert_false(e.changed);
    assert_false(e.drop);
    assert_true(e.refresh_later);

    e = core_posting_step(ps(OA_AV_UNAVAILABLE, OA_AR_NONE), OA_PI_PARSE_FAILED);
    assert_int_equal(e.next.av, OA_AV_UNAVAILABLE);
    assert_false(e.changed);
    assert_true(e.parse_retry);

    e = core_posting_step(ps(OA_AV_ARCHIVED, OA_AR_MANUAL), OA_PI_PARSE_FAILED);
    assert_true(e.drop);
}

static void test_archive_inputs(void **state)
{
    (void)state;
    const struct {
        oa_posting_input in;
        oa_archive_reason reason;
    } cases[] = {{OA_PI_TAKEN_OFFLINE, OA_AR_TAKEN_OFFLINE},
                 {OA_PI_ARCHIVE_MANUAL, OA_AR_MANUAL},
                 {OA_PI_REMOVED_FROM_FEED, OA_AR_REMOVED_FROM_FEED}};
    oa_availability live[] = {OA_AV_PENDING, OA_AV_APPLYABLE, OA_AV_UNAVAILABLE};
    for (size_t c = 0; c < 3; c++) {
        for (size_t i = 0; i < 3; i++) {
            oa_posting_effect e = core_posting_step(ps(live[i], OA_AR_NONE), cases[c].in);
            assert_int_equal(e.next.av, OA_AV_ARCHIVED);
            assert_int_equal(e.next.reason, cases[c].reason);
            assert_true(e.changed);
            assert_true(e.archive);
            assert_true(e.fail_applications);
            assert_true(e.cancel_work);
        }
        /* Archiving an archived posting changes nothing, whatever the reason. */
        oa_posting_effect e = core_posting_step(ps(OA_AV_ARCHIVED, OA_AR_MANUAL), cases[c].in);
        assert_true(e.drop);
        assert_false(e.changed);
        assert_int_equal(e.next.reason, OA_AR_MANUAL);
    }
}

static void test_resubmit(void **state)
{
    (void)state;
    oa_posting_effect e =
        core_posting_step(ps(OA_AV_ARCHIVED, OA_AR_REMOVED_FROM_FEED), OA_PI_RESUBMITTED);
    assert_int_equal(e.next.av, OA_AV_PENDING);
    assert_int_equal(e.next.reason, OA_AR_NONE);
    assert_true(e.changed);
    assert_true(e.unarchive);
    assert_true(e.parse_now);

    e = core_posting_step(ps(OA_AV_UNAVAILABLE, OA_AR_NONE), OA_PI_RESUBMITTED);
    assert_false(e.changed);
    assert_true(e.parse_now);

    e = core_posting_step(ps(OA_AV_APPLYABLE, OA_AR_NONE), OA_PI_RESUBMITTED);
    assert_false(e.changed);
    assert_false(e.parse_now);
}

static void test_app_transitions(void **state)
{
    (void)state;
    const struct {
        oa_app_input in;
        oa_app_status to;
    } cases[] = {{OA_AI_SUBMIT_OK, OA_AS_SUBMITTED},
                 {OA_AI_DUPLICATE_FOUND, OA_AS_DUPLICATE},
                 {OA_AI_REVIEW_SUBMITTED, OA_AS_SUBMITTED},
                 {OA_AI_REVIEW_FAILED, OA_AS_FAILED},
                 {OA_AI_POSTING_ARCHIVED, OA_AS_FAILED}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        oa_app_effect e = core_app_step(OA_AS_PENDING, cases[i].in);
        assert_int_equal(e.next, cases[i].to);
        assert_true(e.changed);
        assert_true(e.leave_review);
        assert_true(e.cancel_work);
        assert_true(e.purge_answers);
        assert_false(e.drop);
    }
    oa_app_effect e = core_app_step(OA_AS_PENDING, OA_AI_NEEDS_REVIEW);
    assert_int_equal(e.next, OA_AS_PENDING);
    assert_false(e.changed); /* no status change, no webhook */
    assert_true(e.enter_review);

    /* Final states are final. */
    oa_app_status finals[] = {OA_AS_SUBMITTED, OA_AS_FAILED, OA_AS_DUPLICATE};
    for (size_t f = 0; f < 3; f++) {
        for (int in = OA_AI_SUBMIT_OK; in <= OA_AI_POSTING_ARCHIVED; in++) {
            e = core_app_step(finals[f], (oa_app_input)in);
            assert_true(e.drop);
            assert_false(e.changed);
            assert_int_equal(e.next, finals[f]);
        }
    }
}

static void test_names(void **state)
{
    (void)state;
    oa_availability a;
    assert_true(oa_availability_parse("APPLYABLE", &a));
    assert_int_equal(a, OA_AV_APPLYABLE);
    assert_false(oa_availability_parse("applyable", &a));
    assert_null(oa_archive_reason_name(OA_AR_NONE));
    assert_string_equal(oa_archive_reason_name(OA_AR_REMOVED_FROM_FEED), "REMOVED_FROM_JOB_FEED");
    oa_app_status s;
    assert_true(oa_app_status_parse("DUPLICATE", &s));
    assert_int_equal(s, OA_AS_DUPLICATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ok),        cmocka_unit_test(test_parse_failed),
        cmocka_unit_test(test_archive_inputs),  cmocka_unit_test(test_resubmit),
        cmocka_unit_test(test_app_transitions), cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
