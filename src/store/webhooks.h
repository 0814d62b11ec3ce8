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

oa_status store_delivery_insert(oa_tx *tx, oa_delivery *d) OA_MUST_CHECK;
/* Claims up to limit due deliveries: pending, due, not leased, endpoint enabled, not in
 * `busy_json` (endpoints at their concurrency bound), at most per_endpoint per endpoint, and
 * only the oldest pending event of each (endpoint, resource): per-resource order. */
oa_status store_delivery_claim(oa_tx *tx, int64_t now, int64_t lease_ms, int limit,
                               int per_endpoint, const char *busy_json, oa_send **out,
                               size_t *n) OA_MUST_CHECK;
/* Records an attempt's outcome while the lease is ours: status becomes `status`, next attempt
 * time and counters are set; OA_NOT_FOUND when the lease was lost. */
oa_status store_delivery_settle(oa_tx *tx, const oa_delivery *d, const char *status,
                                int64_t next_attempt_at, int64_t now) OA_MUST_CHECK;
oa_status store_deliveries_for_event(oa_tx *tx, const char *event_id, oa_delivery **out,
                                     size_t *n) OA_MUST_CHECK;
/* Puts an event's deliveries (to enabled endpoints) back to pending with a fresh schedule.
 * *n gets how many. */
oa_status store_deliveries_redeliver(oa_tx *tx, const char *event_id, int64_t now,
                                     int64_t *n) OA_MUST_CHECK;
/* Puts an endpoint's failed deliveries created at or after since back to pending. */
oa_status store_deliveries_recover(oa_tx *tx, const char *endpoint_id, int64_t since, int64_t now,
                                   int64_t *n) OA_MUST_CHECK;
oa_status store_deliveries_release(oa_tx *tx, int64_t *n) OA_MUST_CHECK;
/* When the next pending delivery of an enabled endpoint becomes due (or its lease expires). */
oa_status store_delivery_next_due(oa_tx *tx, int64_t *at) OA_MUST_CHECK;

oa_status store_attempt_insert(oa_tx *tx, const oa_attempt *a) OA_MUST_CHECK;
oa_status store_attempts_for_event(oa_tx *tx, const char *event_id, oa_attempt **out,
                                   size_t *n) OA_MUST_CHECK;

/* Events for the observability API. `type` and `resource_id` filters may be NULL. */
oa_status store_event_get(oa_tx *tx, const char *tenant, const char *id,
                          oa_event *out) OA_MUST_CHECK;
oa_status store_event_list(oa_tx *tx, const store_page *pg, const char *type,
                           const char *resource_id, oa_event **out, size_t *n) OA_MUST_CHECK;

/* Figures for /metrics. */
oa_status store_stats_deliveries(oa_tx *tx, store_count **out, size_t *n) OA_MUST_CHECK;
oa_status store_stats_endpoints(oa_tx *tx, int64_t *enabled, int64_t *disabled) OA_MUST_CHECK;

#endif
