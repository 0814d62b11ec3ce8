/* health.c - GET /healthz (liveness plus a database round trip) and GET /metrics. Neither
 * counts rows: the figures come from the store's counters table and in-memory counters, so a
 * scrape costs the same whatever the backlog. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "util/buf.h"
#include "jobs/jobs.h"
#include "util/clock.h"
#include "webhook/dispatch.h"

void api_healthz(api_ctx *a, http_req *r, http_resp *resp)
{
    (void)r;
    oa_status rc = store_ping(a->svc->store);
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string(rc == OA_OK ? "ok" : "degraded"));
    json_object_set_new(o, "version", json_string(a->version));
    json_object_set_new(o, "store", json_string(store_backend(a->svc->store)));
    json_object_set_new(o, "database", json_string(rc == OA_OK ? "ok" : "unreachable"));
    json_object_set_new(o, "uptime_seconds", json_integer((oa_now_ms() - a->started_at) / 1000));
    resp->status = rc == OA_OK ? 200 : 503;
    resp->body = json_dumps(o, JSON_COMPACT);
    resp->content_type = "application/json";
    json_decref(o);
}

#define STR_(x) #x
#define STR(x)  STR_(x)
#define SLOW_MS STR(STORE_SLOW_WRITE_MS)

struct metrics_ctx {
    store_counter *c; /* stat_counters */
    size_t n;
};

static oa_status metrics_tx(oa_tx *tx, void *arg)
{
    struct metrics_ctx *m = arg;
    free(m->c); /* a retried transaction reads again */
    return store_stats_counters(tx, &m->c, &m->n);
}

static int64_t counter(const struct metrics_ctx *m, const char *name, const char *key)
{
    return store_counter_value(m->c, m->n, name, key);
}

static void family(oa_buf *b, const char *name, const char *type, const char *help)
{
    if (oa_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type) != OA_OK)
        return;
}

/* A gauge with one sample per label value in all, from the counters called `counter`. */
static void grouped(oa_buf *b, const char *name, const char *label, const char *help,
                    const char *const *all, const struct metrics_ctx *m, const char *counter_name)
{
    family(b, name, "gauge", help);
    for (const char *const *k = all; *k; k++) {
        int64_t v = counter(m, counter_name, *k);
        if (oa_buf_printf(b, "%s{%s=\"%s\"} %lld\n", name, label, *k, (long long)v) != OA_OK)
            return;
    }
}

void api_metrics(api_ctx *a, http_req *r, http_resp *resp)
{
    struct metrics_ctx m = {0};
    (void)r;
    /* With the database unreachable the scrape still answers: openapply_store_up 0 and the
     * in-memory figures, without the stored counts. */
    bool db_ok = store_transact(a->svc->store, STORE_READ, metrics_tx, &m) == OA_OK;
    oa_buf b;
    oa_buf_init(&b, 1 << 20);
    static const char *const AV[] = {"PENDING", "APPLYABLE", "UNAVAILABLE", "ARCHIVED", NULL};
    static const char *const AS[] = {"PENDING", "SUBMITTED", "FAILED", "DUPLICATE", NULL};
    static const char *const JK[] = {"parse", "apply", NULL};
    family(&b, "openapply_build_info", "gauge", "Version and store backend.");
    if (oa_buf_printf(&b, "openapply_build_info{version=\"%s\",store=\"%s\"} 1\n", a->version,
                      store_backend(a->svc->store)) != OA_OK)
        goto render;
    family(&b, "openapply_uptime_seconds", "gauge", "Seconds since the engine started.");
    if (oa_buf_printf(&b, "openapply_uptime_seconds %lld\n",
                      (long long)((oa_now_ms() - a->started_at) / 1000)) != OA_OK)
        goto render;
    family(&b, "openapply_store_up", "gauge",
           "1 when this scrape could read the database, 0 when it could not.");
    if (oa_buf_printf(&b, "openapply_store_up %d\n", db_ok ? 1 : 0) != OA_OK)
        goto render;
    family(&b, "openapply_http_requests_in_flight", "gauge", "HTTP requests being handled.");
    if (oa_buf_printf(&b, "openapply_http_requests_in_flight %d\n",
                      a->inflight ? a->inflight(a->inflight_arg) : 0) != OA_OK)
        goto render;
    if (!db_ok)
        goto after_stored;
    grouped(&b, "openapply_postings", "availability", "Job postings by availability (all tenants).",
            AV, &m, "postings");
    grouped(&b, "openapply_applications", "status", "Applications by status (all tenants).", AS, &m,
            "applications");
    grouped(&b, "openapply_jobs_queued", "kind",
            "Queued background jobs by kind (incl. scheduled refreshes).", JK, &m, "jobs");
    family(&b, "openapply_jobs_leased", "gauge", "Background jobs currently leased by a worker.");
    if (oa_buf_printf(&b, "openapply_jobs_leased %lld\n",
                      (long long)counter(&m, "jobs_leased", "")) != OA_OK)
        goto render;
    family(&b, "openapply_review_queue_depth", "gauge", "Applications waiting for manual review.");
    if (oa_buf_printf(&b, "openapply_review_queue_depth %lld\n",
                      (long long)counter(&m, "review_queue", "")) != OA_OK)
        goto render;
    family(&b, "openapply_events_total", "counter",
           "Webhook events written (transactional outbox).");
    if (oa_buf_printf(&b, "openapply_events_total %lld\n",
                      (long long)counter(&m, "events_written", "")) != OA_OK)
        goto render;
    family(&b, "openapply_events_stored", "gauge",
           "Webhook events in the event log now (old ones may be removed by retention).");
    if (oa_buf_printf(&b, "openapply_events_stored %lld\n",
                      (long long)counter(&m, "events_stored", "")) != OA_OK)
        goto render;
    static const char *const DS[] = {"pending", "delivered", "failed", "cancelled", NULL};
    grouped(&b, "openapply_webhook_deliveries", "status",
            "Webhook deliveries by status (pending = the delivery queue).", DS, &m,
            "webhook_deliveries");
    static const char *const ES[] = {"enabled", "disabled", NULL};
    grouped(&b, "openapply_webhook_endpoints", "state", "Webhook endpoints by state.", ES, &m,
            "webhook_endpoints");
after_stored:;
    store_work w;
    store_work_get(a->svc->store, &w);
    family(&b, "openapply_store_transactions_total", "counter",
           "Store transactions begun, by mode; each attempt of a retried transaction counts "
           "(a scrape of /metrics is one read).");
    if (oa_buf_printf(&b,
                      "openapply_store_transactions_total{mode=\"read\"} %lld\n"
                      "openapply_store_transactions_total{mode=\"write\"} %lld\n",
                      (long long)w.tx_read, (long long)w.tx_write) != OA_OK)
        goto render;
    family(&b, "openapply_store_statements_total", "counter",
           "Statements run by the store, whether prepared anew or from the statement cache.");
    if (oa_buf_printf(&b, "openapply_store_statements_total %lld\n", (long long)w.statements) !=
        OA_OK)
        goto render;
    family(&b, "openapply_store_slow_write_transactions_total", "counter",
           "Write transactions that held the writer longer than " SLOW_MS
           " ms (each also logs store.slow_write).");
    if (oa_buf_printf(&b, "openapply_store_slow_write_transactions_total %lld\n",
                      (long long)w.slow_writes) != OA_OK)
        goto render;
    family(&b, "openapply_store_commits_total", "counter",
           "Write transactions committed to the database; a group commit counts once.");
    if (oa_buf_printf(&b, "openapply_store_commits_total %lld\n", (long long)w.commits) != OA_OK)
        goto render;
    family(&b, "openapply_store_grouped_transactions_total", "counter",
           "Write transactions committed together with others in one group commit.");
    if (oa_buf_printf(&b, "openapply_store_grouped_transactions_total %lld\n",
                      (long long)w.grouped) != OA_OK)
        goto render;
    family(&b, "openapply_store_connections_lost_total", "counter",
           "Database connections closed because they broke (the server restarted or went "
           "away); their transactions ran again on new connections.");
    if (oa_buf_printf(&b, "openapply_store_connections_lost_total %lld\n",
                      (long long)w.conn_lost) != OA_OK)
        goto render;
    family(&b, "openapply_store_connect_failures_total", "counter",
           "Attempts to open a database connection that failed (retried with backoff).");
    if (oa_buf_printf(&b, "openapply_store_connect_failures_total %lld\n",
                      (long long)w.conn_failed) != OA_OK)
        goto render;
    const wh_stats *ws = a->wh_stats;
    if (ws) {
        /* Each family's samples right after its HELP and TYPE lines, as the format wants. */
        family(&b, "openapply_webhook_attempts_total", "counter",
               "Delivery attempts by result since start.");
        if (oa_buf_printf(&b,
                          "openapply_webhook_attempts_total{result=\"success\"} %lld\n"
                          "openapply_webhook_attempts_total{result=\"failure\"} %lld\n",
                          (long long)atomic_load(&ws->attempts_ok),
                          (long long)atomic_load(&ws->attempts_failed)) != OA_OK)
            goto render;
        family(&b, "openapply_webhook_deliveries_total", "counter",
               "Deliveries finished since start: delivered, or failed after the last attempt.");
        if (oa_buf_printf(&b,
                          "openapply_webhook_deliveries_total{outcome=\"delivered\"} %lld\n"
                          "openapply_webhook_deliveries_total{outcome=\"exhausted\"} %lld\n",
                          (long long)atomic_load(&ws->delivered),
                          (long long)atomic_load(&ws->exhausted)) != OA_OK)
            goto render;
        family(&b, "openapply_webhook_inflight", "gauge", "Webhook requests in flight.");
        if (oa_buf_printf(&b, "openapply_webhook_inflight %d\n", atomic_load(&ws->inflight)) !=
            OA_OK)
            goto render;
        family(&b, "openapply_webhook_delivery_latency_seconds", "histogram",
               "Time from an event being written to its successful delivery.");
        long long cum = 0;
        for (size_t i = 0; i <= WH_LAT_BUCKETS; i++) {
            cum += atomic_load(&ws->latency_bucket[i]);
            if (i < WH_LAT_BUCKETS) {
                if (oa_buf_printf(
                        &b, "openapply_webhook_delivery_latency_seconds_bucket{le=\"%g\"} %lld\n",
                        (double)wh_latency_bounds[i] / 1000.0, cum) != OA_OK)
                    goto render;
            } else if (oa_buf_printf(
                           &b,
                           "openapply_webhook_delivery_latency_seconds_bucket{le=\"+Inf\"} %lld\n",
                           cum) != OA_OK) {
                goto render;
            }
        }
        if (oa_buf_printf(&b,
                          "openapply_webhook_delivery_latency_seconds_sum %.3f\n"
                          "openapply_webhook_delivery_latency_seconds_count %lld\n",
                          (double)atomic_load(&ws->latency_sum_ms) / 1000.0,
                          (long long)atomic_load(&ws->latency_count)) != OA_OK)
            goto render;
    }
    const jobs_stats *js = a->jobs_stats;
    if (js) {
        family(&b, "openapply_jobs_completed_total", "counter",
               "Background jobs finished since start, by result.");
        if (oa_buf_printf(
                &b,
                "openapply_jobs_completed_total{kind=\"parse\",result=\"form\"} %lld\n"
                "openapply_jobs_completed_total{kind=\"parse\",result=\"failed\"} %lld\n"
                "openapply_jobs_completed_total{kind=\"parse\",result=\"offline\"} %lld\n"
                "openapply_jobs_completed_total{kind=\"apply\",result=\"submitted\"} %lld\n"
                "openapply_jobs_completed_total{kind=\"apply\",result=\"review\"} %lld\n"
                "openapply_jobs_completed_total{kind=\"apply\",result=\"retry\"} %lld\n"
                "openapply_jobs_completed_total{kind=\"apply\",result=\"offline\"} %lld\n",
                (long long)atomic_load(&js->parsed_ok), (long long)atomic_load(&js->parsed_failed),
                (long long)atomic_load(&js->parsed_offline),
                (long long)atomic_load(&js->applied_ok),
                (long long)atomic_load(&js->applied_review),
                (long long)atomic_load(&js->applied_retry),
                (long long)atomic_load(&js->applied_offline)) != OA_OK)
            goto render;
        family(&b, "openapply_jobs_busy", "gauge", "Workers running a job.");
        if (oa_buf_printf(&b, "openapply_jobs_busy %d\n", atomic_load(&js->busy)) != OA_OK)
            goto render;
    }
render:
    resp->status = 200;
    resp->len = b.len;
    resp->body = oa_buf_take(&b);
    resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
    free(m.c);
}
