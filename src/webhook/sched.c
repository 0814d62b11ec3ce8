/* sched.c - claim planning and wake-up times for the dispatcher (see sched.h). */
#include "webhook/sched.h"

#include <stdlib.h>
#include <string.h>

void wh_sched_init(wh_sched *s, int per_endpoint, int max_inflight)
{
    memset(s, 0, sizeof *s);
    s->per_endpoint = per_endpoint > 0 ? per_endpoint : 1;
    s->max_inflight = max_inflight > 0 ? max_inflight : 1;
}

void wh_sched_free(wh_sched *s)
{
    free(s->eps);
    memset(s, 0, sizeof *s);
}

wh_ep *wh_sched_find(wh_sched *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->eps[i].id, id) == 0)
            return &s->eps[i];
    return NULL;
}

static double burst_of(int64_t rate)
{
    return rate > 1 ? (double)rate : 1.0;
}

static double burst(const wh_ep *e)
{
    return burst_of(e->rate);
}

double wh_sched_bucket(int64_t rate, bool full, int64_t milli, int64_t at, int64_t now)
{
    double size = burst_of(rate);
    if (full)
        return size;
    double t = (double)milli / 1000.0;
    if (now > at) /* (another node's clock may be ahead: no refill then) */
        t += (double)rate * (double)(now - at) / 1000.0;
    return t > size ? size : t;
}

static void refill(wh_ep *e, int64_t now)
{
    if (!e->rate)
        return;
    if (now > e->refilled_at) {
        e->tokens += (double)e->rate * (double)(now - e->refilled_at) / 1000.0;
        if (e->tokens > burst(e))
            e->tokens = burst(e);
    }
    e->refilled_at = now;
}

void wh_sched_update(wh_sched *s, const store_ep_due *due, size_t n, int64_t now)
{
    for (size_t i = 0; i < s->n; i++)
        s->eps[i].live = false;
    for (size_t i = 0; i < n; i++) {
        wh_ep *e = wh_sched_find(s, due[i].id);
        if (!e) {
            s->eps = xrealloc(s->eps, (s->n + 1) * sizeof *s->eps);
            e = &s->eps[s->n++];
            memset(e, 0, sizeof *e);
            memcpy(e->id, due[i].id, sizeof e->id);
            e->refilled_at = now;
        }
        if (due[i].rate_limit != e->rate) {
            e->rate = due[i].rate_limit > 0 ? due[i].rate_limit : 0;
            e->tokens = e->rate ? burst(e) : 0;
            e->refilled_at = now;
        }
        e->next_due = due[i].next_due;
        e->live = true;
    }
    /* Forget endpoints that are gone (disabled, deleted) once nothing of theirs is in flight. */
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->eps[i].live || s->eps[i].inflight > 0)
            s->eps[k++] = s->eps[i];
    s->n = k;
    if (s->rr >= s->n)
        s->rr = 0;
}

/* What the endpoint could take now, ignoring the global bound. */
static int room(wh_sched *s, wh_ep *e, int64_t now)
{
    if (!e->live || !e->next_due || e->next_due > now)
        return 0;
    int r = s->per_endpoint - e->inflight;
    if (e->rate) {
        refill(e, now);
        if ((double)r > e->tokens)
            r = (int)e->tokens;
    }
    if (r > STORE_CLAIM_MAX)
        r = STORE_CLAIM_MAX;
    return r > 0 ? r : 0;
}

size_t wh_sched_plan(wh_sched *s, int64_t now, store_claim_slot *slots, size_t max)
{
    int free_global = s->max_inflight - s->inflight;
    if (free_global <= 0 || !s->n)
        return 0;
    int *give = xcalloc(s->n, sizeof *give);
    int *cap = xcalloc(s->n, sizeof *cap);
    bool any = false;
    for (size_t i = 0; i < s->n; i++) {
        cap[i] = room(s, &s->eps[i], now);
        any = any || cap[i] > 0;
    }
    /* Water-filling: each free slot goes to the due endpoint with the fewest in flight
     * (counting what this plan gives), ties taken in round-robin order from where the last
     * plan started, so that no endpoint, whatever its backlog, crowds out the others. */
    while (any && free_global > 0) {
        size_t best = s->n;
        for (size_t j = 0; j < s->n; j++) {
            size_t i = (s->rr + j) % s->n;
            if (give[i] >= cap[i])
                continue;
            if (best == s->n || s->eps[i].inflight + give[i] < s->eps[best].inflight + give[best])
                best = i;
        }
        if (best == s->n)
            break;
        give[best]++;
        free_global--;
    }
    size_t out = 0;
    for (size_t j = 0; j < s->n && out < max; j++) {
        size_t i = (s->rr + j) % s->n;
        if (give[i] > 0) {
            slots[out].endpoint_id = s->eps[i].id;
            slots[out].limit = give[i];
            out++;
        }
    }
    s->rr = (s->rr + 1) % s->n;
    free(give);
    free(cap);
    return out;
}

void wh_sched_claimed(wh_sched *s, const char *id, int n, int asked, int64_t next_due, int64_t now)
{
    wh_ep *e = wh_sched_find(s, id);
    if (!e)
        return;
    e->inflight += n;
    s->inflight += n;
    if (e->rate) {
        refill(e, now);
        e->tokens -= n;
        if (e->tokens < 0)
            e->tokens = 0;
    }
    if (n < asked)
        e->next_due = next_due;
}

void wh_sched_settled(wh_sched *s, const char *id)
{
    wh_ep *e = wh_sched_find(s, id);
    if (e && e->inflight > 0)
        e->inflight--;
    if (s->inflight > 0)
        s->inflight--;
}

int64_t wh_sched_next_wake(wh_sched *s, int64_t now)
{
    int64_t best = 0;
    bool global_full = s->inflight >= s->max_inflight;
    for (size_t i = 0; i < s->n; i++) {
        wh_ep *e = &s->eps[i];
        if (!e->live || !e->next_due || e->inflight >= s->per_endpoint)
            continue;
        int64_t at = e->next_due;
        if (at <= now) {
            if (global_full)
                continue; /* a finished transfer frees a slot and wakes the dispatcher */
            at = now;
            if (e->rate) {
                refill(e, now);
                if (e->tokens < 1.0)
                    at = now + (int64_t)((1.0 - e->tokens) * 1000.0 / (double)e->rate) + 1;
            }
        }
        if (!best || at < best)
            best = at;
    }
    return best;
}
