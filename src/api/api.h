/*
 * api.h - the REST API: Kombo's /v1/ai-apply paths plus our additions, on top of svc/.
 *
 * Thin by design: parse and validate input (answering Kombo's error shape with a message that
 * names the problem), call one svc function, render the envelope
 * {"status":"success","data":...}. The route table is in router.c; one file per resource.
 */
#ifndef OA_API_API_H
#define OA_API_API_H

#include <jansson.h>
#include <pthread.h>

#include "api/ratelimit.h"
#include "http/http.h"
#include "svc/svc.h"

typedef struct api_ctx {
    svc *svc;
    int64_t started_at;
    const char *version;
    /* Queue/engine figures for /metrics and /healthz (set by main). */
    int (*inflight)(void *arg);
    void *inflight_arg;
    const void *wh_stats;   /* const wh_stats * (webhook/dispatch.h) */
    const void *jobs_stats; /* const jobs_stats * (jobs/jobs.h) */
    rl_limiter limiter;     /* --rate-limit, per tenant */
} api_ctx;

/* rl may be NULL: no limit. */
void api_init(api_ctx *a, svc *s, const rl_config *rl);
void api_free(api_ctx *a);
/* http_handlers callbacks. */
void api_prepare(http_req *r, void *app);
void api_handle(http_req *r, http_resp *resp, void *app);

/* ---- shared by the resource files ---- */

typedef void (*api_fn)(api_ctx *a, http_req *r, http_resp *resp);

/* Envelopes and errors. api_ok steals data. */
void api_ok(http_resp *resp, json_t *data);
/* An epoch-ms time as Kombo's ISO 8601 string, JSON null for 0. */
json_t *api_time_or_null(int64_t ms);
/* An application's stored answers for a reviewer: [{question_id, label, question_type,
 * answer[, answer_labels]}], files as {name, content_type, size}. form may be NULL. */
json_t *api_review_answers(const oa_application *app, const oa_form *form);
void api_error(http_resp *resp, int status, const char *code, const char *title, const char *fmt,
               ...) OA_PRINTF(5, 6);
void api_bad_request(http_resp *resp, const char *fmt, ...) OA_PRINTF(2, 3);
void api_not_found(http_resp *resp, const char *fmt, ...) OA_PRINTF(2, 3);
void api_internal(http_resp *resp, http_req *r, oa_status st);
/* Answers a call on one resource: 200 with data (stolen) on OA_OK, 404 "<what> <id> not found."
 * on OA_NOT_FOUND, 5xx otherwise. data may be NULL unless rc is OA_OK. */
void api_reply(http_resp *resp, http_req *r, oa_status rc, json_t *data, const char *what,
               const char *id);

/* Parses the body as a JSON object. An empty body is {} when allow_empty. On failure answers
 * 400 and returns NULL. */
json_t *api_body_object(http_req *r, http_resp *resp, bool allow_empty);

/* Reads field `name` of obj as a string. Returns false after answering 400 when it is
 * missing (if required), not a string (null allowed only with allow_null), empty (unless
 * allow_empty), longer than max bytes or not valid UTF-8. *out is borrowed (NULL if absent or
 * null). */
bool api_field_string(http_resp *resp, const json_t *obj, const char *name, bool required,
                      bool allow_null, size_t max, const char **out);

/* Pagination: page_size (1..250, default 100), cursor and, on the lists whose api_only_query
 * lets it through, order (asc, the default, or desc: pg->desc). A cursor carries the order it
 * was issued in and is refused with the other. Answers 400 and returns false on bad values. */
bool api_page_args(http_req *r, http_resp *resp, store_page *pg);
/* api_page_args asks the store for one row more than the page size: api_page_count says how
 * many of the n rows fetched to show, api_next gives the `next` cursor (after the last row
 * shown) or JSON null when there is no further row. */
size_t api_page_count(size_t n, const store_page *pg);
json_t *api_next(int64_t last_seq_shown, size_t n, const store_page *pg);
/* Renders a page of rows as {"results": [...], "next": ...}. Every row type starts with its
 * int64_t seq (checked where the types are declared); render returns a new reference. */
json_t *api_list_page(const void *rows, size_t row_size, size_t n, const store_page *pg,
                      json_t *(*render)(const void *row));
/* Reads a comma-separated id filter into a JSON array text (malloc'd, NULL when absent).
 * Answers 400 and returns false when malformed or too long. */
bool api_list_filter(http_req *r, http_resp *resp, const char *name, char **json_out);
/* Reads a comma-separated list of names of an enum (names[0..n), n <= STORE_ENUM_MAX) into
 * out: the distinct names listed, in names order, then NULLs (all NULL when absent). Answers 400
 * naming the parameter and the allowed names on an unknown name or an empty item. */
bool api_enum_filter(http_req *r, http_resp *resp, const char *name, const char *const *names,
                     size_t n, const char *out[STORE_ENUM_MAX]);
/* Refuses query arguments not in the allowed list (NULL-terminated): 400 naming it. */
bool api_only_query(http_req *r, http_resp *resp, const char *const *allowed);

/* Resource handlers. */
void api_ui(api_ctx *a, http_req *r, http_resp *resp);
void api_stats_get(api_ctx *a, http_req *r, http_resp *resp);
void api_career_sites_post(api_ctx *a, http_req *r, http_resp *resp);
void api_career_sites_get(api_ctx *a, http_req *r, http_resp *resp);
void api_postings_post(api_ctx *a, http_req *r, http_resp *resp);
void api_postings_get(api_ctx *a, http_req *r, http_resp *resp);
void api_postings_inquire(api_ctx *a, http_req *r, http_resp *resp);
void api_postings_archive(api_ctx *a, http_req *r, http_resp *resp);
void api_apply_post(api_ctx *a, http_req *r, http_resp *resp);
void api_applications_get(api_ctx *a, http_req *r, http_resp *resp);
void api_applications_review(api_ctx *a, http_req *r, http_resp *resp);
/* views.c: the operator's reads beyond Kombo's schemas. */
void api_application_get(api_ctx *a, http_req *r, http_resp *resp);
void api_posting_revisions(api_ctx *a, http_req *r, http_resp *resp);
void api_posting_revision(api_ctx *a, http_req *r, http_resp *resp);
void api_review_get(api_ctx *a, http_req *r, http_resp *resp);
void api_job_feeds_post(api_ctx *a, http_req *r, http_resp *resp);
void api_job_feeds_get(api_ctx *a, http_req *r, http_resp *resp);
void api_job_feeds_import(api_ctx *a, http_req *r, http_resp *resp);
void api_endpoints_post(api_ctx *a, http_req *r, http_resp *resp);
void api_endpoints_list(api_ctx *a, http_req *r, http_resp *resp);
void api_endpoints_get(api_ctx *a, http_req *r, http_resp *resp);
void api_endpoints_patch(api_ctx *a, http_req *r, http_resp *resp);
void api_endpoints_delete(api_ctx *a, http_req *r, http_resp *resp);
void api_endpoints_rotate(api_ctx *a, http_req *r, http_resp *resp);
void api_endpoints_recover(api_ctx *a, http_req *r, http_resp *resp);
void api_endpoints_test(api_ctx *a, http_req *r, http_resp *resp);
void api_events_list(api_ctx *a, http_req *r, http_resp *resp);
void api_events_get(api_ctx *a, http_req *r, http_resp *resp);
void api_events_attempts(api_ctx *a, http_req *r, http_resp *resp);
void api_events_redeliver(api_ctx *a, http_req *r, http_resp *resp);
void api_healthz(api_ctx *a, http_req *r, http_resp *resp);
void api_metrics(api_ctx *a, http_req *r, http_resp *resp);

/* Parses a bulk-import NDJSON body (blank lines skipped). On OA_INVALID *why (malloc'd) names
 * the line and the problem; on OA_OK *lines (free with api_import_lines_free) holds n lines. */
oa_status api_import_parse(const char *body, size_t len, bool allow_private,
                           svc_import_line **lines, size_t *n, char **why) OA_MUST_CHECK;
void api_import_lines_free(svc_import_line *l, size_t n);

#define API_JSON_LIMIT   ((size_t)1 << 20)          /* 1 MiB for ordinary JSON bodies */
#define API_APPLY_LIMIT  ((size_t)32 << 20)         /* answers with base64 files */
#define API_IMPORT_LIMIT ((size_t)35 * 1000 * 1000) /* Kombo's 35 MB for bulk-import */

#endif
