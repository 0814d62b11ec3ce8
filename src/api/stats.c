/*
 * stats.c - GET /v1/stats (our addition): one tenant's figures for its dashboard.
 *
 * Postings by availability, applications by status and the review queue come from
 * tenant_counters (kept by triggers as rows change); deliveries per minute of the last hour,
 * the failure rate and latency percentiles, overall and per endpoint, from delivery_minutes
 * (one row per endpoint and minute, added by the dispatcher's rounds). A read touches at most
 * a few dozen counter rows and one row per endpoint and minute of the hour, whatever the size
 * of the tables. Latencies are histogram estimates: linear within the bucket that holds the
 * percentile (bounds in store_lat_bounds).
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "util/clock.h"

#define MINUTES 60

static const char *const AVAIL[] = {"PENDING", "APPLYABLE", "UNAVAILABLE", "ARCHIVED", NULL};
static const char *const STATUS[] = {"PENDING", "SUBMITTED", "FAILED", "DUPLICATE", NULL};

struct stats_ctx {
    const char *tenant;
    int64_t since;
    store_counter *c;
    size_t nc;
    store_minute *m;
    size_t nm;
};

static oa_status stats_tx(oa_tx *tx, void *arg)
{
    struct stats_ctx *x = arg;
    free(x->c);
    free(x->m);
    x->c = NULL;
    x->m = NULL;
    oa_status rc = store_tenant_counters(tx, x->tenant, &x->c, &x->nc);
    return rc == OA_OK ? store_minutes_since(tx, x->tenant, x->since, &x->m, &x->nm) : rc;
}

static json_t *by_key(const store_counter *c, size_t n, const char *name, const char *const *keys)
{
    json_t *o = json_object();
    for (const char *const *k = keys; *k; k++)
        json_object_set_new(o, *k, json_integer(store_counter_value(c, n, name, *k)));
    return o;
}

/* The p-quantile (0..1) of a latency histogram, null when empty. */
static json_t *quantile(const int64_t *b, double p)
{
    int64_t total = 0;
    for (int i = 0; i < STORE_LAT_BUCKETS; i++)
        total += b[i];
    if (!total)
        return json_null();
    double want = p * (double)total, cum = 0;
    for (int i = 0; i < STORE_LAT_BUCKETS; i++) {
        if (!b[i])
            continue;
        if (cum + (double)b[i] >= want) {
            double lo = i ? (double)store_lat_bounds[i - 1] : 0;
            double hi = i < STORE_LAT_BUCKETS - 1 ? (double)store_lat_bounds[i] : lo;
            double f = ((want - cum) / (double)b[i]);
            return json_integer((json_int_t)(lo + (hi - lo) * f + 0.5));
        }
        cum += (double)b[i];
    }
    return json_integer(store_lat_bounds[STORE_LAT_BUCKETS - 2]);
}

static json_t *latency(const int64_t *b)
{
    return json_pack("{soso so}", "p50", quantile(b, 0.5), "p90", quantile(b, 0.9), "p99",
                     quantile(b, 0.99));
}

static json_t *rate(int64_t delivered, int64_t failed, bool success)
{
    int64_t t = delivered + failed;
    if (!t)
        return json_null();
    return json_real((double)(success ? delivered : failed) / (double)t);
}

void api_stats_get(api_ctx *a, http_req *r, http_resp *resp)
{
    static const char *const NONE[] = {NULL};
    if (!api_only_query(r, resp, NONE))
        return;
    int64_t now = oa_now_ms();
    int64_t first = now - now % 60000 - (int64_t)(MINUTES - 1) * 60000;
    struct stats_ctx x = {r->tenant, first, NULL, 0, NULL, 0};
    oa_status rc = store_transact(a->svc->store, STORE_READ, stats_tx, &x);
    if (rc != OA_OK) {
        api_internal(resp, r, rc);
        free(x.c);
        free(x.m);
        return;
    }
    /* Per minute over every endpoint, and per endpoint over the hour. */
    int64_t del[MINUTES] = {0}, fail[MINUTES] = {0}, all_b[STORE_LAT_BUCKETS] = {0};
    json_t *eps = json_array();
    for (size_t i = 0; i < x.nm; i++) {
        const store_minute *m = &x.m[i];
        int64_t k = (m->minute - first) / 60000;
        if (k >= 0 && k < MINUTES) {
            del[k] += m->delivered;
            fail[k] += m->failed;
        }
        for (int b = 0; b < STORE_LAT_BUCKETS; b++)
            all_b[b] += m->buckets[b];
    }
    for (size_t i = 0; i < x.nm; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(x.m[j].endpoint_id, x.m[i].endpoint_id) == 0;
        if (seen)
            continue;
        int64_t d = 0, f = 0, b[STORE_LAT_BUCKETS] = {0};
        for (size_t j = i; j < x.nm; j++) {
            if (strcmp(x.m[j].endpoint_id, x.m[i].endpoint_id) != 0)
                continue;
            d += x.m[j].delivered;
            f += x.m[j].failed;
            for (int k = 0; k < STORE_LAT_BUCKETS; k++)
                b[k] += x.m[j].buckets[k];
        }
        json_array_append_new(eps, json_pack("{sssIsIsoso}", "id", x.m[i].endpoint_id,
                                             "delivered_last_hour", (json_int_t)d,
                                             "failed_last_hour", (json_int_t)f, "success_rate",
                                             rate(d, f, true), "latency_ms", latency(b)));
    }
    json_t *per = json_array();
    int64_t td = 0, tf = 0;
    for (int k = 0; k < MINUTES; k++) {
        char t[OA_TIME_LEN];
        oa_time_fmt(first + (int64_t)k * 60000, t);
        json_array_append_new(per, json_pack("{sssIsI}", "minute", t, "delivered",
                                             (json_int_t)del[k], "failed", (json_int_t)fail[k]));
        td += del[k];
        tf += fail[k];
    }
    json_t *data = json_pack(
        "{sososIs{sosIsIsoso}so}", "postings", by_key(x.c, x.nc, "postings", AVAIL), "applications",
        by_key(x.c, x.nc, "applications", STATUS), "review_queue",
        (json_int_t)store_counter_value(x.c, x.nc, "review_queue", ""), "deliveries", "per_minute",
        per, "delivered_last_hour", (json_int_t)td, "failed_last_hour", (json_int_t)tf,
        "failure_rate", rate(td, tf, false), "latency_ms", latency(all_b), "endpoints", eps);
    api_ok(resp, data);
    free(x.c);
    free(x.m);
}
