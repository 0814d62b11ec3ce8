/*
 * lifecycle.h - the posting and application state machines. Pure functions: given the current
 * state and what happened, they say the next state, whether a webhook is owed, and what else
 * must happen in the same transaction. svc/ carries the effects out; nothing here does I/O.
 *
 * Job posting `availability` (archived_reason in brackets):
 *
 *                  PARSE_OK                      PARSE_OK (new revision or same: no event)
 *     PENDING ────────────────▶ APPLYABLE ◀──┐  PARSE_FAILED (keeps APPLYABLE: no event)
 *        │                          ▲  └──────┘
 *        │ PARSE_FAILED    PARSE_OK │
 *        ▼                          │
 *     UNAVAILABLE ──────────────────┘   PARSE_FAILED: stays, retried with backoff
 *
 *     PENDING | APPLYABLE | UNAVAILABLE
 *        ── TAKEN_OFFLINE ──▶ ARCHIVED [JOB_POSTING_TAKEN_OFFLINE]
 *        ── ARCHIVE_MANUAL ─▶ ARCHIVED [MANUAL_ARCHIVE]
 *        ── REMOVED_FROM_FEED ▶ ARCHIVED [REMOVED_FROM_JOB_FEED]
 *        (each also fails the posting's PENDING applications and cancels queued work)
 *
 *     ARCHIVED ── RESUBMITTED (POST /postings or a feed import names it again) ──▶ PENDING
 *     ARCHIVED ── anything else ──▶ dropped (a late parse result for an archived posting)
 *
 * Every change of availability emits `ai-apply-job-posting-status-updated`; creation does not.
 *
 * Application `status`:
 *
 *     PENDING ── SUBMIT_OK ──────────▶ SUBMITTED
 *     PENDING ── DUPLICATE_FOUND ────▶ DUPLICATE   (same email, any case, same posting)
 *     PENDING ── NEEDS_REVIEW ───────▶ PENDING, in the review queue (no event)
 *     PENDING ── REVIEW_SUBMITTED ───▶ SUBMITTED
 *     PENDING ── REVIEW_FAILED ──────▶ FAILED
 *     PENDING ── POSTING_ARCHIVED ───▶ FAILED
 *     SUBMITTED | FAILED | DUPLICATE ── anything ──▶ dropped (final states are final)
 *
 * Every change of status emits `ai-apply-application-status-updated`; creation does not.
 */
#ifndef OA_CORE_LIFECYCLE_H
#define OA_CORE_LIFECYCLE_H

#include "util/oa.h"

typedef enum {
    OA_AV_PENDING = 0,
    OA_AV_APPLYABLE,
    OA_AV_UNAVAILABLE,
    OA_AV_ARCHIVED,
} oa_availability;

typedef enum {
    OA_AR_NONE = 0,
    OA_AR_TAKEN_OFFLINE,
    OA_AR_MANUAL,
    OA_AR_REMOVED_FROM_FEED,
} oa_archive_reason;

typedef enum {
    OA_PI_PARSE_OK = 0,
    OA_PI_PARSE_FAILED,
    OA_PI_TAKEN_OFFLINE,
    OA_PI_ARCHIVE_MANUAL,
    OA_PI_REMOVED_FROM_FEED,
    OA_PI_RESUBMITTED,
} oa_posting_input;

typedef struct {
    oa_availability av;
    oa_archive_reason reason; /* OA_AR_NONE unless av == OA_AV_ARCHIVED */
} oa_posting_state;

typedef struct {
    oa_posting_state next;
    bool drop;              /* the input does not apply to this state: change nothing */
    bool changed;           /* availability changed: write the state and a webhook event */
    bool store_revision;    /* keep the parsed form as a revision (if its content is new) */
    bool archive;           /* set archived_at/archived_reason */
    bool unarchive;         /* clear archived_at/archived_reason */
    bool fail_applications; /* the posting's PENDING applications become FAILED */
    bool cancel_work;       /* delete the posting's queued parse/refresh and apply work */
    bool parse_now;         /* queue a parse to run at once */
    bool parse_retry;       /* queue a parse after the failure backoff */
    bool refresh_later;     /* queue a re-check after the refresh interval */
} oa_posting_effect;

oa_posting_effect core_posting_step(oa_posting_state cur, oa_posting_input in);

typedef enum {
    OA_AS_PENDING = 0,
    OA_AS_SUBMITTED,
    OA_AS_FAILED,
    OA_AS_DUPLICATE,
} oa_app_status;

typedef enum {
    OA_AI_SUBMIT_OK = 0,
    OA_AI_DUPLICATE_FOUND,
    OA_AI_NEEDS_REVIEW,
    OA_AI_REVIEW_SUBMITTED,
    OA_AI_REVIEW_FAILED,
    OA_AI_POSTING_ARCHIVED,
} oa_app_input;

typedef struct {
    oa_app_status next;
    bool drop;          /* input does not apply (final state): change nothing */
    bool changed;       /* status changed: write it and a webhook event */
    bool enter_review;  /* put into the review queue */
    bool leave_review;  /* take out of the review queue */
    bool cancel_work;   /* delete queued apply work */
    bool purge_answers; /* the application is final: candidate answers are no longer kept */
} oa_app_effect;

oa_app_effect core_app_step(oa_app_status cur, oa_app_input in);

const char *oa_availability_name(oa_availability a);
bool oa_availability_parse(const char *s, oa_availability *out);
const char *oa_archive_reason_name(oa_archive_reason r); /* NULL for OA_AR_NONE */
bool oa_archive_reason_parse(const char *s, oa_archive_reason *out);
const char *oa_app_status_name(oa_app_status s);
bool oa_app_status_parse(const char *s, oa_app_status *out);
const char *oa_posting_input_name(oa_posting_input in);
const char *oa_app_input_name(oa_app_input in);

#define OA_EVENT_POSTING     "ai-apply-job-posting-status-updated"
#define OA_EVENT_APPLICATION "ai-apply-application-status-updated"

#endif
