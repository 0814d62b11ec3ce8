/*
 * sched.h - what the dispatcher may claim next, and when to look again. Pure: no I/O, no
 * clock (times are passed in), so every rule is unit-tested.
 *
 * The scheduler keeps, per enabled endpoint, the deliveries it has in flight, a token bucket
 * for its optional rate limit, and when its earliest claimable delivery is due (from the
 * store's snapshot, the same conditions as the claim). A plan gives each due endpoint at most
 * its free slots (the per-endpoint bound minus what it has in flight, and no more than its
 * whole tokens), sharing the global bound round-robin so that no endpoint, whatever its
 * backlog, takes the slots of the others.
 */
#ifndef OA_WEBHOOK_SCHED_H
#define OA_WEBHOOK_SCHED_H

#include "store/webhooks.h"

typedef struct {
    char id[OA_ID_SIZE];
    int inflight;        /* claimed, not yet settled */
    int64_t rate;        /* deliveries per second, 0 = unlimited */
    double tokens;       /* rate-limit bucket; its size is one second's worth (at least 1) */
    int64_t refilled_at; /* ms */
    int64_t next_due;    /* wall ms of its earliest claimable delivery, 0 = none */
    bool live;           /* in the latest snapshot (enabled) */
    int held_back;       /* shared databases: rounds in a row that other nodes' deliveries
                          * left no room in (the look-again delay backs off with it) */
} wh_ep;

typedef struct {
    wh_ep *eps;
    size_t n;
    size_t rr; /* where the next plan starts its round-robin */
    int per_endpoint;
    int max_inflight;
    int inflight; /* all endpoints */
} wh_sched;

/* A shared rate-limit bucket (one second's worth of tokens, at least one) at `now`: full, or
 * `milli` thousandths of a token as of `at`, refilled at `rate` a second since. */
double wh_sched_bucket(int64_t rate, bool full, int64_t milli, int64_t at, int64_t now);
void wh_sched_init(wh_sched *s, int per_endpoint, int max_inflight);
void wh_sched_free(wh_sched *s);
wh_ep *wh_sched_find(wh_sched *s, const char *id);
/* Takes a fresh snapshot of the enabled endpoints: due times and rate limits are replaced,
 * in-flight counts and buckets kept; endpoints gone from it are forgotten once idle. */
void wh_sched_update(wh_sched *s, const store_ep_due *due, size_t n, int64_t now);
/* Fills slots (at most max) with what to claim now: endpoints due at `now` with a free slot
 * and a whole token. Returns how many slots. Does not change in-flight counts or tokens. */
size_t wh_sched_plan(wh_sched *s, int64_t now, store_claim_slot *slots, size_t max);
/* n deliveries of the endpoint were claimed (asked for `asked`); when fewer than asked, its
 * next due time is next_due (0 = none). */
void wh_sched_claimed(wh_sched *s, const char *id, int n, int asked, int64_t next_due, int64_t now);
/* One delivery of the endpoint finished (recorded or not). */
void wh_sched_settled(wh_sched *s, const char *id);
/* When a claim could next succeed without anything else happening first: the earliest due
 * time of an endpoint with a free slot, or when a rate-limited endpoint's next token comes.
 * Endpoints at their bound wait for a transfer to finish instead. 0 = nothing to wait for. */
int64_t wh_sched_next_wake(wh_sched *s, int64_t now);

#endif
