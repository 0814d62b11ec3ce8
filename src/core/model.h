/*
 * model.h - the API's resources as C structs, and their JSON as the GET endpoints (and so the
 * webhooks) render them. Pure: no I/O.
 *
 * Strings are owned by the struct unless marked borrowed; free with the matching *_clear.
 * Times are epoch milliseconds; 0 means "none" for optional times.
 */
#ifndef OA_CORE_MODEL_H
#define OA_CORE_MODEL_H

#include <jansson.h>
#include <stddef.h>

#include "core/lifecycle.h"
#include "util/crypto.h"
#include "util/oa.h"

typedef struct {
    int64_t seq; /* insertion order, the pagination key */
    char id[OA_ID_SIZE];
    char *tenant;
    char *label;
    int64_t created_at;
} oa_site;

typedef struct {
    int64_t seq;
    char id[OA_ID_SIZE];
    char *tenant;
    char site_id[OA_ID_SIZE];
    char *site_label;
    char *job_feed_id; /* NULL unless created by a feed import */
    char *url;
    char *job_code;    /* NULL when none */
    char *loc_country; /* NULL when no location */
    char *loc_postal;  /* NULL when none */
    oa_posting_state state;
    int64_t archived_at;    /* 0 unless archived */
    char *revision_id;      /* current form revision, NULL before the first good parse */
    int64_t parse_failures; /* consecutive failed parses, drives the retry backoff */
    char *last_error;       /* why the last parse failed, for operators (never shown in GET) */
    int64_t created_at;
    int64_t updated_at;
} oa_posting;

typedef struct {
    int64_t seq;
    char id[OA_ID_SIZE];
    char *tenant;
    char posting_id[OA_ID_SIZE];
    char revision_id[OA_ID_SIZE];
    char *email;       /* candidate email as given */
    char *email_lower; /* lower-cased: the duplicate key */
    oa_app_status status;
    bool needs_review;
    char *review_reason;   /* why automation stopped (operators only) */
    char *decision_reason; /* the reviewer's reason */
    char *answers_json;    /* validated answers, kept until the application is final */
    char *query_params_json;
    int64_t additional_clicks; /* extra page views to make before applying */
    int64_t attempts;
    int64_t created_at;
    int64_t updated_at;
} oa_application;

typedef struct {
    int64_t seq;
    char id[OA_ID_SIZE];
    char *tenant;
    char *label;
    int64_t created_at;
} oa_feed;

/* Lists render rows generically by their leading seq (api_list_page). */
_Static_assert(offsetof(oa_site, seq) == 0, "seq first");
_Static_assert(offsetof(oa_posting, seq) == 0, "seq first");
_Static_assert(offsetof(oa_application, seq) == 0, "seq first");
_Static_assert(offsetof(oa_feed, seq) == 0, "seq first");

void oa_site_clear(oa_site *s);
void oa_posting_clear(oa_posting *p);
void oa_application_clear(oa_application *a);
void oa_feed_clear(oa_feed *f);

/* {id, label} */
json_t *core_site_json(const oa_site *s);
json_t *core_feed_json(const oa_feed *f);
/* The job posting object of GET /ai-apply/postings (and of the posting webhook's data). */
json_t *core_posting_json(const oa_posting *p);
/* The application object of GET /ai-apply/applications (and of the webhook's data).
 * apply_shape: POST /ai-apply/apply names the posting "posting_id" instead of
 * "job_posting_id". */
json_t *core_application_json(const oa_application *a, bool apply_shape);

/* A webhook body: {"id": event_id, "type": type, "data": data}, compact, as signed and sent.
 * Steals no reference. Returns malloc'd text. */
char *core_event_body(const char *event_id, const char *type, const json_t *data);

#endif
