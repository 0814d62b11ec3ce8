/*
 * dispatch.h - the webhook dispatcher: two threads, so that the network never waits on the
 * database.
 *
 * The network thread drives libcurl's multi interface: it signs and POSTs the deliveries it is
 * handed, on reused easy handles and kept-alive connections, and hands each finished attempt
 * back. It never touches the store. It holds claimed deliveries until their endpoint has a
 * free slot (WH_PREFETCH claims per slot), so a finished transfer is replaced at once, not after
 * the next database round. The database thread runs rounds: one write transaction
 * records every attempt finished since the last round (svc_delivery_settle_tx), reads which
 * enabled endpoints have claimable deliveries and when (store_endpoints_due), and claims what
 * the scheduler (sched.h) allows: each endpoint's free slots, shared round-robin under the
 * global bound, within its rate limit. Only the head of each (endpoint, resource) chain can be
 * claimed, so one resource's events arrive in order. It then sleeps until a transfer finishes,
 * an event is written (wh_wake), or the next due time from the same conditions as the claim;
 * with nothing due it touches the database once a minute at most (plus a retention batch).
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
 * the threads. */
oa_status wh_start(svc *s, const wh_config *cfg, wh_dispatcher **out) OA_MUST_CHECK;
/* Wakes the dispatcher (svc's wake_events hook). Thread-safe. */
void wh_wake(void *arg);
/* Stops claiming, lets transfers in flight finish for up to grace_ms, then abandons the rest
 * (their leases go back: a restart resends them with the same webhook-id). */
void wh_stop(wh_dispatcher *d, int64_t grace_ms);
const wh_stats *wh_get_stats(const wh_dispatcher *d);

#endif
