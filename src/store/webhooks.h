/*
 * webhooks.h - rows of the webhook subsystem: endpoints, deliveries, attempts, and the event
 * reads the observability API needs. Same conventions as entities.h.
 */
#ifndef OA_STORE_WEBHOOKS_H
#define OA_STORE_WEBHOOKS_H

#include "store/entities.h"

typedef struct {
    int64_t seq;
    char id[OA_ID_SIZE];
    char *tenant;
    char *url;
    char *description;      /* NULL when none */
    char *event_types_json; /* JSON array; NULL = every API event type */
    bool enabled;
    char *disabled_reason;
    int64_t disabled_at;
    char *secret;
    char *old_secret; /* during a rotation's grace period */
    int64_t old_secret_expires_at;
    int64_t failing_since; /* 0 when the last attempt succeeded */
    int64_t created_at;
    int64_t updated_at;
    int64_t rate_limit; /* deliveries per second, 0 = none */
} oa_endpoint;

typedef struct {
    int64_t seq;
    char id[OA_ID_SIZE];
    char *tenant;
    int64_t event_seq;
    char event_id[OA_ID_SIZE];
    char endpoint_id[OA_ID_SIZE];
    char *resource_id;
    char status[16]; /* pending | delivered | failed | cancelled */
    int64_t attempts;
    int64_t next_attempt_at;
    char lease_token[OA_ID_SIZE];
    int64_t last_status_code; /* 0 when none */
    char *last_error;
    int64_t created_at;
    int64_t updated_at;
    int64_t finished_at;
} oa_delivery;

typedef struct {
    int64_t seq;
    int64_t delivery_seq, event_seq; /* the delivery's and the event's seq (index keys) */
    char delivery_id[OA_ID_SIZE];
    char event_id[OA_ID_SIZE];
    char endpoint_id[OA_ID_SIZE];
    int64_t attempt;
    int64_t attempted_at;
    int64_t status_code; /* 0 when no HTTP answer */
    int64_t latency_ms;
    char *error;
    char *excerpt;
} oa_attempt;

/* A delivery claimed for sending, with what it takes to send it. */
typedef struct {
    oa_delivery d;
    char *body; /* the event's exact bytes */
    char *event_type;
    int64_t event_created_at;
    char *url;
    char *secret;
    char *old_secret; /* NULL unless within the grace period */
} oa_send;

_Static_assert(offsetof(oa_endpoint, seq) == 0, "seq first: lists render rows by it");
_Static_assert(offsetof(oa_event, seq) == 0, "seq first: lists render rows by it");

void oa_endpoint_clear(oa_endpoint *e);
void oa_endpoint_list_free(oa_endpoint *l, size_t n);
void oa_delivery_clear(oa_delivery *d);
void oa_delivery_list_free(oa_delivery *l, size_t n);
void oa_attempt_list_free(oa_attempt *l, size_t n);
void oa_send_clear(oa_send *s);

oa_status store_endpoint_insert(oa_tx *tx, oa_endpoint *e) OA_MUST_CHECK;
oa_status store_endpoint_get(oa_tx *tx, const char *tenant, const char *id,
                             oa_endpoint *out) OA_MUST_CHECK;
/* Writes url, description, event_types, enabled, disabled_*, secrets, failing_since,
 * updated_at. */
oa_status store_endpoint_update(oa_tx *tx, const oa_endpoint *e) OA_MUST_CHECK;
/* Soft delete; its pending deliveries are cancelled. */
oa_status store_endpoint_delete(oa_tx *tx, const char *tenant, const char *id,
                                int64_t now) OA_MUST_CHECK;
oa_status store_endpoint_list(oa_tx *tx, const store_page *pg, oa_endpoint **out,
                              size_t *n) OA_MUST_CHECK;
/* Enabled endpoints of tenant subscribed to type: an explicit list containing it, or no list
 * when `all_ok` (API event types go to endpoints without a list; operational ones do not). */
oa_status store_endpoints_subscribed(oa_tx *tx, const char *tenant, const char *type, bool all_ok,
                                     oa_endpoint **out, size_t *n) OA_MUST_CHECK;

/* Inserts a pending delivery, the head of its (endpoint, resource) chain unless an earlier
 * event of that resource is still pending for the endpoint. */
oa_status store_delivery_insert(oa_tx *tx, oa_delivery *d) OA_MUST_CHECK;

/* An enabled endpoint and when its earliest claimable delivery is due (0: none; a leased
 * delivery counts at its lease expiry). */
typedef struct {
    char id[OA_ID_SIZE];
    int64_t rate_limit;
    int64_t next_due;
} store_ep_due;
oa_status store_endpoints_due(oa_tx *tx, store_ep_due **out, size_t *n) OA_MUST_CHECK;
/* When the endpoint's earliest claimable delivery is due; OA_NOT_FOUND when it has none. */
oa_status store_endpoint_next_due(oa_tx *tx, const char *endpoint_id, int64_t *at) OA_MUST_CHECK;
/* What a dispatcher round on a shared database reads of an endpoint under its row's lock. */
typedef struct {
    int64_t leased;   /* its deliveries any node holds leased now */
    int64_t rate;     /* rate_limit_per_second, 0 = none */
    bool bucket_full; /* its shared bucket was never spent (rl_milli NULL) */
    int64_t rl_milli; /* else: thousandths of a token as of rl_at */
    int64_t rl_at;    /* wall ms */
} store_ep_shared;

/* Shared databases: locks the rows of the n endpoints (in id order, so that nodes never
 * deadlock on them) until the transaction ends, and gives, for each, how many of its
 * deliveries any node holds leased now and its rate-limit bucket (out[i] for ids[i]). With
 * the lock held, a node's claim and this count cannot interleave with another node's: the
 * per-endpoint bound and rate limit hold across nodes. */
oa_status store_endpoints_lock(oa_tx *tx, const char *const *ids, size_t n, int64_t now,
                               store_ep_shared *out) OA_MUST_CHECK;
/* Records the endpoint's shared bucket: milli thousandths of a token as of `at`. */
oa_status store_endpoint_bucket_set(oa_tx *tx, const char *id, int64_t milli,
                                    int64_t at) OA_MUST_CHECK;

/* How many due deliveries to lease from one endpoint. */
typedef struct {
    const char *endpoint_id;
    int limit;
} store_claim_slot;
#define STORE_CLAIM_EPS 8  /* endpoints per claim statement */
#define STORE_CLAIM_MAX 64 /* deliveries per endpoint and claim */
/* Leases, for each slot, up to `limit` due heads of the endpoint's chains (pending, ready,
 * next_attempt_at <= now, oldest first) with one lease token, and returns them with what it
 * takes to send them. Cost: a bounded index range per endpoint, whatever the backlog. */
/* The claim statement's text (its parameters: token, lease_until, now, max per endpoint, then
 * STORE_CLAIM_EPS pairs of endpoint id and limit), for plan tests. */
const char *store_delivery_claim_sql(void);
oa_status store_delivery_claim(oa_tx *tx, int64_t now, int64_t lease_ms,
                               const store_claim_slot *slots, size_t n_slots, oa_send **out,
                               size_t *n) OA_MUST_CHECK;
/* Records an attempt's outcome while the lease is ours: status becomes `status`, next attempt
 * time and counters are set; a final status hands the chain's head on to the next pending
 * delivery of the same (endpoint, resource). OA_NOT_FOUND when the lease was lost. */
oa_status store_delivery_settle(oa_tx *tx, const oa_delivery *d, const char *status,
                                int64_t next_attempt_at, int64_t now) OA_MUST_CHECK;
/* Records n successful attempts in a few statements whatever n: d[i] (its attempts and
 * last_status_code already the new ones) becomes delivered while its lease is ours, and the
 * chains' heads move on. lost[i] is set when d[i]'s lease was lost (nothing changed). */
oa_status store_deliveries_delivered(oa_tx *tx, const oa_delivery *const *d, size_t n, int64_t now,
                                     bool *lost) OA_MUST_CHECK;
oa_status store_deliveries_for_event(oa_tx *tx, const char *event_id, oa_delivery **out,
                                     size_t *n) OA_MUST_CHECK;
/* Puts an event's deliveries (to enabled endpoints) back to pending with a fresh schedule.
 * *n gets how many. */
oa_status store_deliveries_redeliver(oa_tx *tx, const char *event_id, int64_t now,
                                     int64_t *n) OA_MUST_CHECK;
/* Puts up to `limit` of an endpoint's failed deliveries created at or after since, with
 * seq > after_seq, back to pending (in seq order); *n gets how many, *last_seq the last seq
 * done. Callers loop in small transactions. */
oa_status store_deliveries_recover(oa_tx *tx, const char *endpoint_id, int64_t since, int64_t now,
                                   int64_t after_seq, int limit, int64_t *n,
                                   int64_t *last_seq) OA_MUST_CHECK;
/* Releases every lease (one process per database): the deliveries are due at once. */
oa_status store_deliveries_release(oa_tx *tx, int64_t now, int64_t *n) OA_MUST_CHECK;

/* Deletes up to `limit` finished deliveries (delivered, failed, cancelled) that finished
 * before cutoff with their attempts, then up to `limit` events created before cutoff that
 * have no delivery left. Pending deliveries and their events are never deleted. */
oa_status store_retention_sweep(oa_tx *tx, int64_t cutoff, int limit, int64_t *deliveries,
                                int64_t *events) OA_MUST_CHECK;
/* When the tenant's oldest stored event was written; OA_NOT_FOUND when none. */
oa_status store_event_oldest(oa_tx *tx, const char *tenant, int64_t *at) OA_MUST_CHECK;

oa_status store_attempt_insert(oa_tx *tx, const oa_attempt *a) OA_MUST_CHECK;
/* Inserts n attempts in a few statements (multi-row INSERTs) whatever n. */
oa_status store_attempts_insert(oa_tx *tx, const oa_attempt *a, size_t n) OA_MUST_CHECK;
oa_status store_attempts_for_event(oa_tx *tx, const char *event_id, oa_attempt **out,
                                   size_t *n) OA_MUST_CHECK;

/* Events for the observability API, oldest first or (pg->desc) newest first. The `type` and
 * `resource_ids_json` (a JSON array of resource ids) filters may be NULL. */
oa_status store_event_get(oa_tx *tx, const char *tenant, const char *id,
                          oa_event *out) OA_MUST_CHECK;
oa_status store_event_list(oa_tx *tx, const store_page *pg, const char *type,
                           const char *resource_ids_json, oa_event **out, size_t *n) OA_MUST_CHECK;

#endif
