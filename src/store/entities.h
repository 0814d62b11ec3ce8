/*
 * entities.h - typed reads and writes of the engine's rows, written once for every backend.
 *
 * All functions run inside a transaction (oa_tx from store_transact). Rows read into the core
 * structs (core/model.h) are owned by the caller: clear them with the matching *_clear. Lists
 * return malloc'd arrays of structs; free with the matching *_list_free.
 * OA_NOT_FOUND means no such row (for the tenant given: other tenants' rows are invisible).
 */
#ifndef OA_STORE_ENTITIES_H
#define OA_STORE_ENTITIES_H

#include "core/model.h"
#include "store/store.h"

/* ---- meta and API keys ---- */
oa_status store_meta_get(oa_tx *tx, const char *key, char **value) OA_MUST_CHECK;
/* Inserts unless present; either way *value (malloc'd) is what is stored now. */
oa_status store_meta_get_or_put(oa_tx *tx, const char *key, const char *value,
                                char **stored) OA_MUST_CHECK;
/* An API key's row: never the key itself, which is shown once and not kept. key_id is the
 * first 12 hex characters of key_hash, what operators see and type. */
#define OA_KEY_ID_SIZE 13
typedef struct {
    char key_hash[65];
    char key_id[OA_KEY_ID_SIZE];
    char *tenant, *source, *label; /* source: "flag" (--api-key), "generated", "cli"; label NULL */
    int64_t created_at;
    int64_t expires_at; /* 0: never */
    int64_t revoked_at; /* 0: not revoked */
} oa_apikey;
void oa_apikey_clear(oa_apikey *k);
void oa_apikey_list_free(oa_apikey *l, size_t n);
/* Stores a key given again and again (--api-key at every start): inserted when new, otherwise
 * only its tenant follows; revoked_at and expires_at are kept (a revoked key stays revoked). */
oa_status store_apikey_put(oa_tx *tx, const char *key_hash, const char *tenant, const char *source,
                           int64_t now) OA_MUST_CHECK;
/* Inserts a new key (label may be NULL, expires_at 0 for never); OA_CONFLICT when present. */
oa_status store_apikey_insert(oa_tx *tx, const char *key_hash, const char *tenant,
                              const char *source, const char *label, int64_t expires_at,
                              int64_t now) OA_MUST_CHECK;
/* The row of key_hash, whatever its state; OA_NOT_FOUND when unknown. */
oa_status store_apikey_find(oa_tx *tx, const char *key_hash, oa_apikey *out) OA_MUST_CHECK;
/* Keys usable at now: neither revoked nor expired. */
oa_status store_apikey_count(oa_tx *tx, int64_t now, int64_t *n) OA_MUST_CHECK;
/* Every key (of tenant, or of all tenants when NULL), oldest first. */
oa_status store_apikey_list(oa_tx *tx, const char *tenant, oa_apikey **out,
                            size_t *n) OA_MUST_CHECK;
/* The keys whose key_id starts with prefix (lowercase hex, shorter than OA_KEY_ID_SIZE), at
 * most 2 (2 means ambiguous); OA_INVALID for another prefix. */
oa_status store_apikey_match(oa_tx *tx, const char *prefix, oa_apikey **out,
                             size_t *n) OA_MUST_CHECK;
/* Sets revoked_at unless already set (*changed false then). */
oa_status store_apikey_revoke(oa_tx *tx, const char *key_hash, int64_t now,
                              bool *changed) OA_MUST_CHECK;

/* ---- lists ---- */
/* A page request: rows of tenant with seq > after (seq < after when desc), at most limit,
 * optionally restricted to JSON arrays of ids (each filter NULL when absent). */
#define STORE_ENUM_MAX 4 /* the values an enum filter can list: every availability or status */
typedef struct {
    const char *tenant;
    int64_t after;
    int limit;
    bool desc;                  /* newest first (events only): after is then an upper bound */
    const char *ids_json;       /* ids */
    const char *parent_json;    /* career_site_ids (postings) or job_posting_ids (applications) */
    const char *job_codes_json; /* postings only */
    /* availabilities (postings) or statuses (applications): distinct names, the first
     * unused slot and those after it NULL; all NULL for no filter */
    const char *states[STORE_ENUM_MAX];
    /* postings only: the search text (NULL for none) and its LIKE pattern (oa_like_contains) */
    const char *search;
    const char *search_like;
} store_page;

/* ---- career sites and job feeds ---- */
/* Sets seq. connectors: the sealed connector settings, or NULL. */
oa_status store_site_insert(oa_tx *tx, oa_site *s, const char *connectors) OA_MUST_CHECK;
/* The sealed connector settings of the tenant's site (*out NULL when it has none). */
oa_status store_site_connectors(oa_tx *tx, const char *tenant, const char *id,
                                char **out) OA_MUST_CHECK;
oa_status store_site_get(oa_tx *tx, const char *tenant, const char *id, oa_site *out) OA_MUST_CHECK;
oa_status store_site_find_label(oa_tx *tx, const char *tenant, const char *label,
                                oa_site *out) OA_MUST_CHECK;
oa_status store_site_list(oa_tx *tx, const store_page *pg, oa_site **out, size_t *n) OA_MUST_CHECK;
void oa_site_list_free(oa_site *l, size_t n);

oa_status store_feed_insert(oa_tx *tx, oa_feed *f) OA_MUST_CHECK;
oa_status store_feed_get(oa_tx *tx, const char *tenant, const char *id, oa_feed *out) OA_MUST_CHECK;
oa_status store_feed_list(oa_tx *tx, const store_page *pg, oa_feed **out, size_t *n) OA_MUST_CHECK;
void oa_feed_list_free(oa_feed *l, size_t n);
/* Takes the feed's import lease until `until` unless another live one holds it
 * (OA_CONFLICT). */
oa_status store_feed_lock(oa_tx *tx, const char *feed_id, const char *token, int64_t now,
                          int64_t until) OA_MUST_CHECK;
/* Extends the lease held with token to `until`; OA_CONFLICT when token no longer holds it. */
oa_status store_feed_renew(oa_tx *tx, const char *feed_id, const char *token,
                           int64_t until) OA_MUST_CHECK;
oa_status store_feed_unlock(oa_tx *tx, const char *feed_id, const char *token) OA_MUST_CHECK;
/* Advances the feed's import generation and returns the new one: the stamp of an import. */
oa_status store_feed_next_gen(oa_tx *tx, const char *feed_id, int64_t *gen) OA_MUST_CHECK;

/* ---- postings and form revisions ---- */
/* The identity key of a posting: one row per (tenant, feed, site, url, job code). */
void store_posting_identity(const char *tenant, const char *feed_id, const char *site_id,
                            const char *url, const char *job_code, char out[65]);
oa_status store_posting_insert(oa_tx *tx, oa_posting *p, const char *identity) OA_MUST_CHECK;
/* tenant may be NULL for internal lookups (workers). */
oa_status store_posting_get(oa_tx *tx, const char *tenant, const char *id,
                            oa_posting *out) OA_MUST_CHECK;
oa_status store_posting_find_identity(oa_tx *tx, const char *identity,
                                      oa_posting *out) OA_MUST_CHECK;
/* Writes the mutable fields: job_code, location, state, archived_at, revision, failures,
 * last_error, updated_at. */
oa_status store_posting_update(oa_tx *tx, const oa_posting *p) OA_MUST_CHECK;
oa_status store_posting_list(oa_tx *tx, const store_page *pg, oa_posting **out,
                             size_t *n) OA_MUST_CHECK;
/* Stamps the posting as listed by the feed import of generation gen. */
oa_status store_posting_stamp(oa_tx *tx, const char *id, int64_t gen) OA_MUST_CHECK;
/* Ids of at most limit of the feed's postings that are not archived and carry a stamp older
 * than gen (not listed by that import). */
oa_status store_posting_feed_unstamped(oa_tx *tx, const char *feed_id, int64_t gen, int limit,
                                       char ***ids, size_t *n) OA_MUST_CHECK;
void oa_posting_list_free(oa_posting *l, size_t n);

oa_status store_revision_insert(oa_tx *tx, const char *id, const char *posting_id, const char *hash,
                                const char *form_json, int64_t now) OA_MUST_CHECK;
/* The revision's form JSON (malloc'd) and content hash (optional out). */
oa_status store_revision_get(oa_tx *tx, const char *id, char **form_json,
                             char hash[65]) OA_MUST_CHECK;

/* ---- applications ---- */
oa_status store_app_insert(oa_tx *tx, oa_application *a) OA_MUST_CHECK;
oa_status store_app_get(oa_tx *tx, const char *tenant, const char *id,
                        oa_application *out) OA_MUST_CHECK;
/* Writes status, needs_review, reasons, answers (NULL purges), attempts, updated_at. */
oa_status store_app_update(oa_tx *tx, const oa_application *a) OA_MUST_CHECK;
oa_status store_app_list(oa_tx *tx, const store_page *pg, oa_application **out,
                         size_t *n) OA_MUST_CHECK;
/* The review queue: PENDING applications that automation handed to a human. */
oa_status store_app_review_list(oa_tx *tx, const store_page *pg, oa_application **out,
                                size_t *n) OA_MUST_CHECK;
/* Ids of the posting's PENDING applications. */
oa_status store_app_pending_ids(oa_tx *tx, const char *posting_id, char ***ids,
                                size_t *n) OA_MUST_CHECK;
/* Whether an earlier (smaller seq) application for the same posting and email is PENDING or
 * SUBMITTED: then this one is a duplicate. */
oa_status store_app_has_earlier(oa_tx *tx, const oa_application *a, bool *found) OA_MUST_CHECK;
void oa_application_list_free(oa_application *l, size_t n);

/* Whether a submission token has been used. */
oa_status store_token_is_used(oa_tx *tx, const char *jti, bool *used) OA_MUST_CHECK;
/* Marks a submission token used: OA_CONFLICT when it already was. */
oa_status store_token_use(oa_tx *tx, const char *jti, int64_t expires_at) OA_MUST_CHECK;

/* ---- work queue ---- */
typedef struct {
    int64_t id;
    char kind[16];
    char ref_id[OA_ID_SIZE];
    char tenant[128];
    int64_t attempts;
    char lease_token[OA_ID_SIZE];
} store_job;

/* Queues (or re-times) the job for (kind, ref_id) to run at run_at. An existing row keeps
 * the earlier of the two times unless `force` (then run_at wins). A leased row is left to its
 * worker, except that its run_at is updated for the next round. */
oa_status store_job_put(oa_tx *tx, const char *kind, const char *ref_id, const char *tenant,
                        int64_t run_at, bool force) OA_MUST_CHECK;
/* Leases the next due job (apply jobs first), honouring the per-tenant limit of concurrently
 * leased parse jobs. OA_NOT_FOUND when nothing is due. */
oa_status store_job_claim(oa_tx *tx, int64_t now, int64_t lease_ms, int parse_limit,
                          store_job *out) OA_MUST_CHECK;
/* Whether the lease is still ours (the job may have been cancelled or re-leased). */
oa_status store_job_owned(oa_tx *tx, const store_job *j, bool *owned) OA_MUST_CHECK;
/* Finishes a leased job: deleted. */
oa_status store_job_finish(oa_tx *tx, const store_job *j) OA_MUST_CHECK;
/* Puts a leased job back for later: lease dropped, run_at set, attempts as given. */
oa_status store_job_retry(oa_tx *tx, const store_job *j, int64_t run_at,
                          int64_t attempts) OA_MUST_CHECK;
/* Deletes queued work of a resource (any lease holder's result will then be dropped). */
/* What became of a lease that a renewal found no longer ours. */
typedef enum {
    STORE_LEASE_OWNED, /* still ours: extended */
    STORE_LEASE_ENDED, /* the job is gone or unleased: finished (perhaps by its own worker a
                        * moment ago), put back for a retry, or cancelled (archive) */
    STORE_LEASE_TAKEN, /* leased under another token: it ran out and another worker took it */
} store_lease_state;
/* Extends a held lease to `until`, and says what became of it. */
oa_status store_job_renew(oa_tx *tx, const store_job *j, int64_t until,
                          store_lease_state *state) OA_MUST_CHECK;
/* Records, under the lease, that the submission is about to be sent; *owned as above. */
oa_status store_job_mark_sent(oa_tx *tx, const store_job *j, int64_t now,
                              bool *owned) OA_MUST_CHECK;
/* When the job's submission was last started and not answered (0 when never). */
oa_status store_job_sent_at(oa_tx *tx, const store_job *j, int64_t *at) OA_MUST_CHECK;
/* Pulls up to `limit` parse jobs due later than now + within into [now, now + within). */
oa_status store_jobs_cap_parse(oa_tx *tx, int64_t now, int64_t within, int limit,
                               int64_t *n) OA_MUST_CHECK;
oa_status store_job_cancel(oa_tx *tx, const char *kind, const char *ref_id) OA_MUST_CHECK;
/* Returns every leased job to the queue (startup after a crash; shutdown). owner_token NULL
 * releases all leases. */
oa_status store_job_release(oa_tx *tx, const char *lease_token, int64_t *released) OA_MUST_CHECK;
/* When the next job becomes due (or a lease expires); OA_NOT_FOUND when the queue is empty. */
oa_status store_job_next_due(oa_tx *tx, int64_t *at) OA_MUST_CHECK;

/* ---- events (transactional outbox) ---- */
typedef struct {
    int64_t seq;
    char id[OA_ID_SIZE];
    char *tenant;
    char *type;
    char *resource_id;
    char *body;
    int64_t created_at;
} oa_event;

oa_status store_event_insert(oa_tx *tx, oa_event *e) OA_MUST_CHECK; /* sets seq */
oa_status store_event_list_resource(oa_tx *tx, const char *tenant, const char *resource_id,
                                    oa_event **out, size_t *n) OA_MUST_CHECK;
void oa_event_clear(oa_event *e);
void oa_event_list_free(oa_event *l, size_t n);

/* ---- figures for /metrics (stats.c) ---- */
typedef struct {
    char name[32];
    int64_t n;
} store_count;

/* One row of stat_counters: a count kept by triggers in the transaction that changes what it
 * counts (004_counters.sql lists the names), e.g. ("postings", "APPLYABLE") or
 * ("jobs_leased", ""). */
typedef struct {
    char name[32];
    char key[32];
    int64_t n;
} store_counter;

/* Every counter, ordered by name and key: one read of a table of a few dozen rows, whatever
 * the size of the tables counted. Malloc'd array. */
oa_status store_stats_counters(oa_tx *tx, store_counter **out, size_t *n) OA_MUST_CHECK;
/* One tenant's counters (tenant_counters: postings by availability, applications by status,
 * review_queue), summed over their shards. */
oa_status store_tenant_counters(oa_tx *tx, const char *tenant, store_counter **out,
                                size_t *n) OA_MUST_CHECK;

/* Latency buckets of delivery_minutes: at most 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
 * 10000 ms, and more. */
#define STORE_LAT_BUCKETS 12
extern const int64_t store_lat_bounds[STORE_LAT_BUCKETS - 1];
/* The bucket of a latency. */
int store_lat_bucket(int64_t ms);

/* One endpoint's attempts in one minute. */
typedef struct {
    char endpoint_id[OA_ID_SIZE];
    int64_t minute; /* epoch ms of its start */
    int64_t delivered, failed;
    int64_t buckets[STORE_LAT_BUCKETS];
} store_minute;

/* Adds m to its row (tenant's, sharded by this node). */
oa_status store_minute_add(oa_tx *tx, const char *tenant, const store_minute *m) OA_MUST_CHECK;
/* The tenant's rows since `since` (ms), by endpoint and minute, shards summed. */
oa_status store_minutes_since(oa_tx *tx, const char *tenant, int64_t since, store_minute **out,
                              size_t *n) OA_MUST_CHECK;

/* The value of (name, key) in what store_stats_counters read; 0 when absent. */
int64_t store_counter_value(const store_counter *c, size_t n, const char *name, const char *key);
/* The statement store_stats_counters runs (exported for the query plan test). */
extern const char store_stats_sql[];

#endif
