/* lifecycle.c - the two state machines drawn in lifecycle.h. */
#include "core/lifecycle.h"

#include <string.h>

static oa_posting_effect archive_to(oa_posting_state cur, oa_archive_reason r)
{
    oa_posting_effect e = {0};
    if (cur.av == OA_AV_ARCHIVED) {
        e.next = cur;
        e.drop = true;
        return e;
    }
    e.next.av = OA_AV_ARCHIVED;
    e.next.reason = r;
    e.changed = true;
    e.archive = true;
    e.fail_applications = true;
    e.cancel_work = true;
    return e;
}

oa_posting_effect core_posting_step(oa_posting_state cur, oa_posting_input in)
{
    oa_posting_effect e = {0};
    e.next = cur;
    switch (in) {
    case OA_PI_PARSE_OK:
        if (cur.av == OA_AV_ARCHIVED) {
            e.drop = true;
            break;
        }
        e.next.av = OA_AV_APPLYABLE;
        e.next.reason = OA_AR_NONE;
        e.changed = cur.av != OA_AV_APPLYABLE;
        e.store_revision = true;
        e.refresh_later = true;
        break;
    case OA_PI_PARSE_FAILED:
        switch (cur.av) {
        case OA_AV_ARCHIVED:
            e.drop = true;
            break;
        case OA_AV_APPLYABLE: /* a failed re-parse keeps the last good revision */
            e.refresh_later = true;
            break;
        case OA_AV_PENDING:
            e.next.av = OA_AV_UNAVAILABLE;
            e.changed = true;
            e.parse_retry = true;
            break;
        case OA_AV_UNAVAILABLE:
            e.parse_retry = true;
            break;
        }
        break;
    case OA_PI_TAKEN_OFFLINE:
        return archive_to(cur, OA_AR_TAKEN_OFFLINE);
    case OA_PI_ARCHIVE_MANUAL:
        return archive_to(cur, OA_AR_MANUAL);
    case OA_PI_REMOVED_FROM_FEED:
        return archive_to(cur, OA_AR_REMOVED_FROM_FEED);
    case OA_PI_RESUBMITTED:
        switch (cur.av) {
        case OA_AV_ARCHIVED:
            e.next.av = OA_AV_PENDING;
            e.next.reason = OA_AR_NONE;
            e.changed = true;
            e.unarchive = true;
            e.parse_now = true;
            break;
        case OA_AV_UNAVAILABLE: /* asked again: retry now instead of after the backoff */
        case OA_AV_PENDING:
            e.parse_now = true;
            break;
        case OA_AV_APPLYABLE:
            break;
        }
        break;
    }
    return e;
}

oa_app_effect core_app_step(oa_app_status cur, oa_app_input in)
{
    oa_app_effect e = {0};
    e.next = cur;
    if (cur != OA_AS_PENDING) {
        e.drop = true;
        return e;
    }
    switch (in) {
    case OA_AI_SUBMIT_OK:
    case OA_AI_REVIEW_SUBMITTED:
        e.next = OA_AS_SUBMITTED;
        break;
    case OA_AI_DUPLICATE_FOUND:
        e.next = OA_AS_DUPLICATE;
        break;
    case OA_AI_REVIEW_FAILED:
    case OA_AI_POSTING_ARCHIVED:
        e.next = OA_AS_FAILED;
        break;
    case OA_AI_NEEDS_REVIEW:
        e.enter_review = true;
        return e;
    }
    e.changed = true;
    e.leave_review = true;
    e.cancel_work = true;
    e.purge_answers = true;
    return e;
}

static const char *const AV_NAMES[] = {"PENDING", "APPLYABLE", "UNAVAILABLE", "ARCHIVED"};
static const char *const AR_NAMES[] = {NULL, "JOB_POSTING_TAKEN_OFFLINE", "MANUAL_ARCHIVE",
                                       "REMOVED_FROM_JOB_FEED"};
static const char *const AS_NAMES[] = {"PENDING", "SUBMITTED", "FAILED", "DUPLICATE"};
static const char *const PI_NAMES[] = {"parse_ok",       "parse_failed",      "taken_offline",
                                       "archive_manual", "removed_from_feed", "resubmitted"};
static const char *const AI_NAMES[] = {"submit_ok",        "duplicate_found", "needs_review",
                                       "review_submitted", "review_failed",   "posting_archived"};

static bool parse_name(const char *const *names, size_t n, const char *s, int *out)
{
    for (size_t i = 0; s && i < n; i++) {
        if (names[i] && strcmp(names[i], s) == 0) {
            *out = (int)i;
            return true;
        }
    }
    return false;
}

const char *oa_availability_name(oa_availability a)
{
    return (unsigned)a < OA_ARRAY_LEN(AV_NAMES) ? AV_NAMES[a] : "PENDING";
}

bool oa_availability_parse(const char *s, oa_availability *out)
{
    int v;
    if (!parse_name(AV_NAMES, OA_ARRAY_LEN(AV_NAMES), s, &v))
        return false;
    *out = (oa_availability)v;
    return true;
}

const char *oa_archive_reason_name(oa_archive_reason r)
{
    return (unsigned)r < OA_ARRAY_LEN(AR_NAMES) ? AR_NAMES[r] : NULL;
}

bool oa_archive_reason_parse(const char *s, oa_archive_reason *out)
{
    int v;
    if (!parse_name(AR_NAMES, OA_ARRAY_LEN(AR_NAMES), s, &v))
        return false;
    *out = (oa_archive_reason)v;
    return true;
}

const char *oa_app_status_name(oa_app_status s)
{
    return (unsigned)s < OA_ARRAY_LEN(AS_NAMES) ? AS_NAMES[s] : "PENDING";
}

bool oa_app_status_parse(const char *s, oa_app_status *out)
{
    int v;
    if (!parse_name(AS_NAMES, OA_ARRAY_LEN(AS_NAMES), s, &v))
        return false;
    *out = (oa_app_status)v;
    return true;
}

const char *oa_posting_input_name(oa_posting_input in)
{
    return (unsigned)in < OA_ARRAY_LEN(PI_NAMES) ? PI_NAMES[in] : "?";
}

const char *oa_app_input_name(oa_app_input in)
{
    return (unsigned)in < OA_ARRAY_LEN(AI_NAMES) ? AI_NAMES[in] : "?";
}
