/*
 * dispatch.h - the webhook dispatcher: one thread driving libcurl's multi interface.
 *
 * It leases due deliveries from the store (oldest pending event per endpoint and resource
 * first, so one resource's events arrive in order), signs and POSTs them, and records each
 * attempt through svc_delivery_record. Connections are kept alive and reused per host by the
 * multi handle's connection cache. A global bound and a per-endpoint bound on transfers in
 * flight keep one slow or hanging endpoint from holding up the others. Writing an event wakes
 * the thread at once (curl_multi_wakeup); timers exist only for retries.
 */
#ifndef OA_WEBHOOK_DISPATCH_H
#define OA_WEBHOOK_DISPATCH_H

#include <stdatomic.h>

#include "svc/svc.h"

typedef struct {
    int max_inflight;   /* all endpoints (default 64) */
    int per_endpoint;   /* one endpoint (default 8) */
    int64_t timeout_ms; /* one attempt (default 15 s) */
    bool allow_private; /* --allow-private-networks */
} wh_config;

/* Latency buckets (ms) of the event-to-delivery histogram. */
#define WH_LAT_BUCKETS 13
extern const int64_t wh_latency_bounds[WH_LAT_BUCKETS];

typedef struct {
    atomic_llong attempts_ok, attempts_failed;
    atomic_llong delivered, exhausted;
    atomic_llong latency_count, latency_sum_ms;
    atomic_llong latency_bucket[WH_LAT_BUCKETS + 1]; /* cumulative at render time */
    atomic_int inflight;
} wh_stats;

typedef struct wh_dispatcher wh_dispatcher;

/* Releases leases left by a previous process, registers wh_wake as s->wake_events and starts
 * the thread. */
oa_status wh_start(svc *s, const wh_config *cfg, wh_dispatcher **out) OA_MUST_CHECK;
/* Wakes the dispatcher (svc's wake_events hook). Thread-safe. */
void wh_wake(void *arg);
/* Stops claiming, lets transfers in flight finish for up to grace_ms, then abandons the rest
 * (their leases go back: a restart resends them with the same webhook-id). */
void wh_stop(wh_dispatcher *d, int64_t grace_ms);
const wh_stats *wh_get_stats(const wh_dispatcher *d);

#endif
