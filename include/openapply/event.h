/*
 * openapply/event.h - parse a verified webhook body into typed structs.
 *
 * Two event types exist, with the payloads of Kombo's OpenAPI document
 * (AiApplyJobPostingStatusUpdatedWebhookPayload, AiApplyApplicationStatusUpdatedWebhookPayload):
 *
 *   {"id": "<event id>", "type": "ai-apply-job-posting-status-updated",
 *    "data": {"id", "career_site": {"id", "label"}, "url", "job_code", "created_at",
 *             "updated_at", "archived_at", "archived_reason", "availability"}}
 *   {"id": "<event id>", "type": "ai-apply-application-status-updated",
 *    "data": {"id", "job_posting_id", "status", "created_at", "updated_at"}}
 *
 * The parser is strict: every required property present with its type, no additional
 * properties at any level (the schemas say additionalProperties: false), enums from their
 * lists, date-times in RFC 3339, no repeated keys, valid UTF-8 without NUL characters, and
 * non-empty ids of at most OAW_ID_MAX bytes. A body that fails is rejected as a whole.
 *
 * Memory: a parsed oaw_event owns one heap block holding all of its strings; every `const char *`
 * in it points into that block and stays valid until oaw_event_free(). Nothing else is
 * retained: the body may be freed as soon as oaw_event_parse returns. On failure nothing needs
 * freeing (the event is zeroed; oaw_event_free on it is harmless).
 * Thread safety: reentrant; distinct events may be used from distinct threads.
 */
#ifndef OPENAPPLY_EVENT_H
#define OPENAPPLY_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "openapply/webhook.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The event type strings. */
#define OAW_TYPE_POSTING     "ai-apply-job-posting-status-updated"
#define OAW_TYPE_APPLICATION "ai-apply-application-status-updated"

/* Bodies larger than this are refused with OAW_ERR_TOO_LARGE (events are a few hundred bytes). */
#define OAW_EVENT_MAX_BODY ((size_t)1 << 20)

typedef enum {
    OAW_EVENT_NONE = 0,
    OAW_EVENT_POSTING,     /* ai-apply-job-posting-status-updated */
    OAW_EVENT_APPLICATION, /* ai-apply-application-status-updated */
} oaw_event_kind;

typedef enum {
    OAW_AVAILABILITY_PENDING = 1, /* queued or parsing */
    OAW_AVAILABILITY_APPLYABLE,   /* applications may be sent */
    OAW_AVAILABILITY_UNAVAILABLE, /* parsing failed, no usable form */
    OAW_AVAILABILITY_ARCHIVED,    /* see archived_reason */
} oaw_availability;

typedef enum {
    OAW_ARCHIVED_REASON_NONE = 0, /* null */
    OAW_ARCHIVED_REASON_JOB_POSTING_TAKEN_OFFLINE,
    OAW_ARCHIVED_REASON_MANUAL_ARCHIVE,
    OAW_ARCHIVED_REASON_REMOVED_FROM_JOB_FEED,
} oaw_archived_reason;

typedef enum {
    OAW_APPLICATION_PENDING = 1,
    OAW_APPLICATION_SUBMITTED,
    OAW_APPLICATION_FAILED,
    OAW_APPLICATION_DUPLICATE,
} oaw_application_status;

/* data of an ai-apply-job-posting-status-updated event. Strings are owned by the event. */
typedef struct {
    const char *id;
    const char *career_site_id;
    const char *career_site_label;
    const char *url;
    const char *job_code;    /* NULL when null */
    const char *created_at;  /* as received, RFC 3339 */
    const char *updated_at;  /* as received, RFC 3339 */
    const char *archived_at; /* NULL when null */
    int64_t created_at_ms;   /* Unix time in milliseconds */
    int64_t updated_at_ms;
    int64_t archived_at_ms; /* 0 when null */
    oaw_availability availability;
    oaw_archived_reason archived_reason; /* OAW_ARCHIVED_REASON_NONE when null */
} oaw_posting;

/* data of an ai-apply-application-status-updated event. Strings are owned by the event. */
typedef struct {
    const char *id;
    const char *job_posting_id;
    const char *created_at;
    const char *updated_at;
    int64_t created_at_ms;
    int64_t updated_at_ms;
    oaw_application_status status;
} oaw_application;

typedef struct {
    oaw_event_kind kind;
    const char *id;          /* the event id (equal to webhook-id for openapply's events) */
    const char *type;        /* OAW_TYPE_POSTING or OAW_TYPE_APPLICATION */
    const char *resource_id; /* data.id, whichever the kind */
    int64_t updated_at_ms;   /* data.updated_at, whichever the kind */
    union {
        oaw_posting posting;         /* kind == OAW_EVENT_POSTING */
        oaw_application application; /* kind == OAW_EVENT_APPLICATION */
    } data;
    void *mem_; /* private: the block holding the strings */
} oaw_event;

/* Where and why a body was rejected (filled by oaw_event_parse when non-NULL). */
typedef struct {
    char path[96];     /* JSON path of the offending value, e.g. "$.data.availability" */
    char message[160]; /* what is wrong, e.g. "must be one of APPLYABLE, PENDING, ..." */
    int line, column;  /* position for OAW_ERR_NOT_JSON, else 0 */
} oaw_parse_error;

/*
 * Parses body (len bytes, borrowed, need not be NUL-terminated) into *out.
 * OAW_OK: *out is filled and owns its strings; release with oaw_event_free().
 * OAW_ERR_UNKNOWN_TYPE: an object with a "type" this library does not know (acknowledge it
 * and move on: new types may be added); OAW_ERR_NOT_JSON, OAW_ERR_SCHEMA, OAW_ERR_TOO_LARGE,
 * OAW_ERR_NOMEM, OAW_ERR_ARGUMENT otherwise. On any failure *out is zeroed and *err (if
 * non-NULL, caller's) says where and why.
 */
oaw_result oaw_event_parse(const void *body, size_t len, oaw_event *out, oaw_parse_error *err);

/* Releases what oaw_event_parse allocated and zeroes *ev. NULL and zeroed events are fine. */
void oaw_event_free(oaw_event *ev);

/* Parses an RFC 3339 date-time ("2025-01-31T12:00:00.123Z", "...+02:00") into Unix
 * milliseconds (fractions beyond milliseconds are truncated). OAW_ERR_SCHEMA when malformed. */
oaw_result oaw_time_parse(const char *s, int64_t *ms);

/* Names as in the payloads ("APPLYABLE", "MANUAL_ARCHIVE", "SUBMITTED", ...). Static storage;
 * NULL for values outside the enum (and for OAW_ARCHIVED_REASON_NONE). */
const char *oaw_availability_name(oaw_availability a);
const char *oaw_archived_reason_name(oaw_archived_reason r);
const char *oaw_application_status_name(oaw_application_status s);

#ifdef __cplusplus
}
#endif

#endif
