/*
 * svc.h - the engine's use cases. Each call is one store transaction that reads rows, asks the
 * core state machines what happens, and writes the new state together with its webhook event
 * rows (the transactional outbox): a state change without its event, or the reverse, cannot
 * be committed. api/ and jobs/ call these; neither writes SQL nor decides transitions.
 */
#ifndef OA_SVC_SVC_H
#define OA_SVC_SVC_H

#include <jansson.h>

#include "core/form.h"
#include "core/model.h"
#include "core/token.h"
#include "store/attempts.h"
#include "store/entities.h"
#include "store/store.h"

typedef struct svc {
    oa_store *store;
    int64_t refresh_interval_ms;  /* re-check APPLYABLE postings this often */
    int64_t parse_backoff_ms;     /* first retry of a failed parse; doubles, capped at refresh */
    int parse_limit;              /* concurrently leased parse jobs per tenant */
    bool allow_private;           /* --allow-private-networks */
    uint8_t token_key[32];        /* submission token HMAC key (from the store) */
    uint8_t connector_key[32];    /* seals career sites' connector credentials (from the store) */
    void (*wake_jobs)(void *arg); /* called after a commit that queued work */
    void *wake_jobs_arg;
    void (*wake_events)(void *arg); /* called after a commit that wrote events */
    void *wake_events_arg;
    /* Webhook delivery policy. */
    int64_t wh_retry[16]; /* delay before each attempt; wh_retry[0] is the first (0 = at once) */
    size_t n_wh_retry;
    int64_t wh_disable_after_ms; /* disable an endpoint failing every attempt this long */
    int64_t wh_grace_ms;         /* old secret keeps signing this long after a rotation */
    int64_t retention_ms;        /* finished deliveries and their events are kept this long */
    int64_t import_chunk_ms;     /* a feed import's chunk ends after this long (0: default) */
    int64_t poll_ms; /* waiting loops look at the store at least this often (0: only when due) */
} svc;

#define SVC_DEFAULT_REFRESH_MS       ((int64_t)6 * 3600 * 1000)
#define SVC_DEFAULT_PARSE_BACKOFF_MS ((int64_t)60 * 1000)
#define SVC_DEFAULT_PARSE_LIMIT      5
#define SVC_DEFAULT_WH_DISABLE_MS    ((int64_t)5 * 86400 * 1000)
#define SVC_DEFAULT_WH_GRACE_MS      ((int64_t)24 * 3600 * 1000)
#define SVC_DEFAULT_RETENTION_MS     ((int64_t)30 * 86400 * 1000)
#define SVC_EVENT_ENDPOINT_DISABLED  "openapply.endpoint.disabled"
#define SVC_EVENT_DELIVERY_EXHAUSTED "openapply.delivery.exhausted"
#define SVC_EVENT_TEST               "openapply.test"

/* Loads (creating on first start) the server secrets. */
oa_status svc_init(svc *s) OA_MUST_CHECK;
/* Pulls re-checks scheduled further out than refresh_interval_ms (under a longer interval of
 * an earlier run) into the next interval, spread over it; in small transactions. */
oa_status svc_refresh_cap(svc *s, int64_t *moved) OA_MUST_CHECK;

/* ---- API keys ---- */
/* Keys are read from the store on every request (no cache): a revocation, or a key created by
 * `openapply keys` in another process or on another node, counts from the next request. */
typedef enum { SVC_KEY_VALID, SVC_KEY_UNKNOWN, SVC_KEY_REVOKED, SVC_KEY_EXPIRED } svc_key_state;
/* A stored key's state at now (valid, revoked or expired), and its name for logs. */
svc_key_state svc_key_state_of(const oa_apikey *row, int64_t now);
const char *svc_key_state_str(svc_key_state st);
/* Stores a key given on the command line for tenant; *row (NULL: not wanted; clear it) gets
 * its stored row, which says when an earlier `keys revoke` revoked it: it stays revoked. */
oa_status svc_key_add(svc *s, const char *tenant, const char *key, oa_apikey *row) OA_MUST_CHECK;
/* When no usable key (neither revoked nor expired) is stored, generates one for tenant
 * "default" into *generated (malloc'd, to be shown once); otherwise *generated = NULL. */
oa_status svc_key_bootstrap(svc *s, char **generated) OA_MUST_CHECK;
/* A new key for tenant (`openapply keys create`; source "cli"): *key (malloc'd, shown once)
 * and its row (clear it). label may be NULL; expires_at is epoch ms, 0 for never. */
oa_status svc_key_create(svc *s, const char *tenant, const char *label, int64_t expires_at,
                         char **key, oa_apikey *row) OA_MUST_CHECK;
/* The tenant of a bearer key; OA_NOT_FOUND when the key is unknown, revoked or expired (all
 * alike to the caller's client). *state and key_id (each may be NULL) say which, and name the
 * stored key ("" when unknown), for the log line. */
oa_status svc_key_tenant(svc *s, const char *key, char **tenant, svc_key_state *state,
                         char key_id[OA_KEY_ID_SIZE]) OA_MUST_CHECK;
/* Every key of tenant (all tenants when NULL); free with oa_apikey_list_free. */
oa_status svc_key_list(svc *s, const char *tenant, oa_apikey **out, size_t *n) OA_MUST_CHECK;
/* Revokes the key whose key_id starts with prefix (lowercase hex): OA_OK with *row (clear it)
 * and *already true when it was revoked before; OA_NOT_FOUND when no key matches,
 * OA_CONFLICT when several do, OA_INVALID when prefix is not hex of at most 12 characters. */
oa_status svc_key_revoke(svc *s, const char *prefix, oa_apikey *row, bool *already) OA_MUST_CHECK;

/* ---- career sites, feeds ---- */
/* connectors: {"greenhouse": {"api_key": ...}, ...} (validated by the caller) or NULL; kept
 * sealed with the server's connector key, never returned, never logged. */
oa_status svc_site_create(svc *s, const char *tenant, const char *label, const json_t *connectors,
                          oa_site *out) OA_MUST_CHECK;
/* The career site's settings for connector name (a new reference). OA_NOT_FOUND when it has
 * none (or the site is not the tenant's); OA_INVALID when they cannot be opened. */
oa_status svc_site_connector(svc *s, const char *tenant, const char *site_id, const char *name,
                             json_t **out) OA_MUST_CHECK;
oa_status svc_feed_create(svc *s, const char *tenant, const char *label,
                          oa_feed *out) OA_MUST_CHECK;

/* ---- postings ---- */
typedef enum { SVC_LOC_KEEP = 0, SVC_LOC_CLEAR, SVC_LOC_SET } svc_loc_op;

typedef struct {
    const char *url;
    const char *job_code; /* NULL when none */
    const char *site_id;
    svc_loc_op loc_op;
    const char *loc_country; /* with SVC_LOC_SET */
    const char *loc_postal;  /* with SVC_LOC_SET, may be NULL */
} svc_posting_req;

/* POST /postings: creates the posting (PENDING, parse queued) or, when the same
 * (site, url, job_code) exists, updates its location and resubmits it. OA_NOT_FOUND when the
 * career site is not the tenant's. */
oa_status svc_posting_submit(svc *s, const char *tenant, const svc_posting_req *req,
                             oa_posting *out, bool *created) OA_MUST_CHECK;
/* POST /postings/{id}/archive (MANUAL_ARCHIVE). Archiving an archived posting changes
 * nothing. */
oa_status svc_posting_archive(svc *s, const char *tenant, const char *id,
                              oa_posting *out) OA_MUST_CHECK;

/* What a parse attempt found. */
typedef enum {
    SVC_PARSE_OK = 0,  /* form extracted (ids not yet assigned) */
    SVC_PARSE_FAILED,  /* page unreachable or no usable form */
    SVC_PARSE_OFFLINE, /* 404/410 or a "job closed" page */
} svc_parse_kind;

/* Records the outcome of the parse job j (held by the caller) for posting j->ref_id. Takes
 * ownership of nothing; `form` may be modified (ids assigned). A result for a job no longer
 * held (cancelled, re-leased) is dropped. */
oa_status svc_parse_result(svc *s, const store_job *j, svc_parse_kind kind, oa_form *form,
                           const char *reason) OA_MUST_CHECK;

/* ---- inquire / apply ---- */
/* POST /postings/{id}/inquire: the current form (Kombo's application_form array, a new
 * reference) and a submission token (malloc'd). OA_CONFLICT when the posting is not
 * APPLYABLE (*why says its availability). */
oa_status svc_inquire(svc *s, const char *tenant, const char *posting_id, json_t **form,
                      char **token, char **why) OA_MUST_CHECK;

typedef struct {
    const char *token;
    const char *email;
    const json_t *answers;      /* screening_question_answers */
    const json_t *query_params; /* object of strings, or NULL */
    int64_t additional_clicks;
} svc_apply_req;

/* POST /apply: verifies the token (tenant, posting, revision, expiry, single use), validates
 * the answers against the token's revision and stores a PENDING application with its apply
 * job. On OA_INVALID / OA_CONFLICT *why (malloc'd) says what is wrong and *bad_qid
 * (malloc'd or NULL) names the question. */
oa_status svc_apply(svc *s, const char *tenant, const svc_apply_req *req, oa_application *out,
                    char **why, char **bad_qid) OA_MUST_CHECK;

/* What an apply worker needs to submit one application. */
typedef struct {
    oa_application app;
    oa_posting posting;
    oa_form form;         /* the token's revision */
    json_t *answers;      /* [{question_id, answer}] as validated */
    json_t *query_params; /* object or NULL */
} svc_apply_work;

/* Starts the apply job j: loads what to submit, or settles the application without
 * submitting (DUPLICATE, or already final): then OA_NOT_FOUND and nothing to do. */
oa_status svc_apply_begin(svc *s, const store_job *j, svc_apply_work *w) OA_MUST_CHECK;
void svc_apply_work_free(svc_apply_work *w);

typedef enum {
    SVC_APPLY_SUBMITTED = 0, /* the site accepted it */
    SVC_APPLY_REVIEW,        /* rejected or out of retries: to the review queue */
    SVC_APPLY_RETRY,         /* transient: try again at retry_at */
    SVC_APPLY_OFFLINE,       /* the posting is gone: archive it (fails the application) */
} svc_apply_kind;

/* Records, under the job's lease, that the submission is about to be sent: from then on the
 * application is never sent again unless an answer is recorded (a transient one: retry). A job
 * claimed with the mark still set goes to the review queue (SVC_UNKNOWN_OUTCOME).
 * OA_NOT_FOUND when the lease is no longer ours: do not send. */
oa_status svc_apply_sending(svc *s, const store_job *j) OA_MUST_CHECK;
#define SVC_UNKNOWN_OUTCOME                                                                        \
    "the submission may have reached the career site, but no answer was recorded (the engine "     \
    "stopped or lost its lease while sending); it is not sent again automatically"
/* What the attempt did, kept for the operator (apply_attempts); every field may be NULL/0. */
typedef struct {
    const char *driver;
    const char *step; /* read | upload | submit */
    int64_t started_at;
    long http_status;
    const char *url;
    const char *excerpt;
} svc_apply_record;
/* Records the attempt's result under the job's lease (nothing when the lease is no longer
 * ours), with rec (may be NULL) as the application's next apply attempt. */
oa_status svc_apply_result(svc *s, const store_job *j, svc_apply_kind kind, const char *reason,
                           int64_t retry_at, const svc_apply_record *rec) OA_MUST_CHECK;
/* GET /v1/ai-apply/applications/{id}: the application, its posting's URL, its form revision
 * (JSON, malloc'd) and its recorded apply attempts. OA_NOT_FOUND when not the tenant's. */
typedef struct {
    oa_application app;
    char *posting_url;
    char *form_json;
    oa_apply_attempt *attempts;
    size_t n_attempts;
} svc_app_detail;
oa_status svc_application_detail(svc *s, const char *tenant, const char *id,
                                 svc_app_detail *out) OA_MUST_CHECK;
void svc_app_detail_free(svc_app_detail *d);
/* GET /v1/ai-apply/postings/{id}/revisions and .../revisions/{rid} (rid NULL: the list page
 * pg; otherwise *one and its form JSON). OA_NOT_FOUND when the posting is not the tenant's. */
oa_status svc_posting_revisions(svc *s, const char *tenant, const char *posting_id,
                                const store_page *pg, oa_revision **list, size_t *n,
                                char current_id[OA_ID_SIZE]) OA_MUST_CHECK;
oa_status svc_posting_revision(svc *s, const char *tenant, const char *posting_id,
                               const char *revision_id, oa_revision *one, char **form_json,
                               char current_id[OA_ID_SIZE]) OA_MUST_CHECK;

/* POST /applications/{id}/review. OA_CONFLICT when the application is not in the review
 * queue (final, or still with automation). */
oa_status svc_review(svc *s, const char *tenant, const char *app_id, bool submitted,
                     const char *reason, oa_application *out) OA_MUST_CHECK;

/* ---- job feed import ---- */
typedef struct {
    char *url;
    char *site_label;
    char *job_code;
    svc_loc_op loc_op;
    char *loc_country;
    char *loc_postal;
} svc_import_line;

typedef struct {
    int64_t created, processed, archived; /* committed: lines processed, postings created and
                                             archived (REMOVED_FROM_JOB_FEED) */
    int64_t lines;                        /* lines in the file */
    bool started;      /* the import ran (took the feed's lease): then a failure status means
                          it stopped part-way, the counts say how far */
    bool sweep_ran;    /* every line committed and archive-missing started */
    bool lease_lost;   /* it stopped because another import took the feed over */
    int64_t chunks;    /* chunks committed, each a write transaction (taking and giving back
                          the lease are two more) */
    int64_t max_tx_ms; /* the longest chunk, from BEGIN to after COMMIT */
} svc_import_counts;

/* An import commits its lines in chunks, each its own write transaction: at most
 * SVC_IMPORT_CHUNK lines, fewer once the chunk has worked for the time budget
 * (svc.import_chunk_ms, default SVC_IMPORT_CHUNK_MS; its commit comes on top). Then it archives
 * the feed's postings it did not list: at most SVC_SWEEP_CHUNK per transaction (one event
 * each), within the same budget. Measured on this 2-core VM (RelWithDebInfo, two endpoints,
 * 20,000-line feeds): a line costs about 0.04 ms unchanged, 0.07 ms new, 0.3 ms revived or
 * archived (its event and deliveries); a commit 1-7 ms on average. Every chunk held the writer
 * 8-38 ms, none over 50 ms. */
#define SVC_IMPORT_CHUNK    200
#define SVC_SWEEP_CHUNK     50
#define SVC_IMPORT_CHUNK_MS 10

/* Imports a feed's complete list of postings: creates new ones, updates and revives existing
 * ones, archives the feed's postings not listed (REMOVED_FROM_JOB_FEED). It is one logical
 * import committed in chunks: each listed posting is stamped with the import's generation, and
 * only once every line is committed are the feed's live postings with an older stamp archived
 * (also in chunks). The feed's lease is renewed by every chunk; one import per feed at a time:
 * OA_CONFLICT when one is running (out->started false). OA_NOT_FOUND for an unknown feed.
 * *out is always filled: on any other failure out->started says whether chunks may have been
 * committed, and the counts what was; archive-missing never runs after a failed line. */
oa_status svc_feed_import(svc *s, const char *tenant, const char *feed_id,
                          const svc_import_line *lines, size_t n,
                          svc_import_counts *out) OA_MUST_CHECK;

/* ---- webhooks (svc/webhooks.c) ---- */
#include "store/webhooks.h"

/* True for the event types endpoints may subscribe to. */
bool svc_event_type_known(const char *type);

typedef struct {
    const char *url;
    const char *description;      /* NULL: none / unchanged */
    const char *event_types_json; /* JSON array; NULL = all API types (create) / unchanged */
    bool set_event_types;         /* update: event_types_json given (NULL means "all") */
    bool set_description;
    int enabled; /* update: -1 unchanged, 0/1 */
    bool set_rate_limit;
    int64_t rate_limit; /* deliveries per second, 0 = none */
} svc_endpoint_req;

oa_status svc_endpoint_create(svc *s, const char *tenant, const svc_endpoint_req *req,
                              oa_endpoint *out) OA_MUST_CHECK;
oa_status svc_endpoint_update(svc *s, const char *tenant, const char *id,
                              const svc_endpoint_req *req, oa_endpoint *out) OA_MUST_CHECK;
oa_status svc_endpoint_get(svc *s, const char *tenant, const char *id,
                           oa_endpoint *out) OA_MUST_CHECK;
oa_status svc_endpoint_delete(svc *s, const char *tenant, const char *id) OA_MUST_CHECK;
/* New secret; the old one keeps signing for grace_ms (<0: the configured default). */
oa_status svc_endpoint_rotate(svc *s, const char *tenant, const char *id, int64_t grace_ms,
                              oa_endpoint *out) OA_MUST_CHECK;
/* Redelivers every failed delivery of the endpoint created at or after since, in
 * transactions of SVC_RECOVER_CHUNK deliveries. */
#define SVC_RECOVER_CHUNK 500
/* Sends an "openapply.test" event to this endpoint only, whatever its event types (a disabled
 * endpoint gets it once enabled). OA_NOT_FOUND when it is not the tenant's. */
oa_status svc_endpoint_test(svc *s, const char *tenant, const char *id,
                            char event_id[OA_ID_SIZE]) OA_MUST_CHECK;
oa_status svc_endpoint_recover(svc *s, const char *tenant, const char *id, int64_t since,
                               int64_t *count) OA_MUST_CHECK;
/* Sends an event again to its endpoints (and to subscribed endpoints it never went to). */
oa_status svc_event_redeliver(svc *s, const char *tenant, const char *event_id,
                              int64_t *count) OA_MUST_CHECK;

/* The outcome of one delivery attempt, from the dispatcher. */
typedef struct {
    long status_code; /* 0 when no HTTP answer */
    bool success;     /* 2xx within the timeout */
    int64_t latency_ms;
    int64_t retry_after_ms; /* from Retry-After, 0 when absent */
    const char *error;      /* NULL on success */
    const char *excerpt;    /* first bytes of the answer (valid UTF-8), may be NULL */
    int64_t attempted_at;
} svc_attempt_result;

/* Records attempts of claimed deliveries inside tx (the dispatcher's round): for each, the
 * attempt row, the delivery's next state (delivered, retry at the schedule's next time, or
 * failed when exhausted; a final state hands the resource's chain on to its next delivery),
 * the endpoint's failure streak (disabled after wh_disable_after_ms, or at once on 410 Gone;
 * each endpoint read and written once per batch) and the operational events these produce.
 * lost[i] is set when the lease was lost (re-leased or cancelled): that attempt is not
 * recorded. */
oa_status svc_delivery_settle_tx(svc *s, oa_tx *tx, int64_t now, const oa_send *const *sends,
                                 const svc_attempt_result *res, size_t n, bool *exhausted,
                                 bool *lost) OA_MUST_CHECK;
/* The same in a transaction of its own. */
oa_status svc_delivery_record_batch(svc *s, const oa_send *const *sends,
                                    const svc_attempt_result *res, size_t n, bool *exhausted,
                                    bool *lost) OA_MUST_CHECK;

/* One retention batch at `now`: deletes up to SVC_RETENTION_BATCH finished deliveries older
 * than retention_ms (with their attempts) and events left without deliveries. *more is set
 * when a batch was full (call again soon). */
#define SVC_RETENTION_BATCH 500
oa_status svc_retention_sweep(svc *s, int64_t now, int64_t *deliveries, int64_t *events,
                              bool *more) OA_MUST_CHECK;

#endif
