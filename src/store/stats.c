/*
 * stats.c - the figures for /metrics, read from stat_counters (004_counters.sql): triggers
 * keep the counts as rows change, so a scrape reads a few dozen rows and never counts a table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/webhooks.h"

/* A count may be split over several rows (shards on PostgreSQL): its value is their sum. */
const char store_stats_sql[] =
    "SELECT name, key, SUM(n) FROM stat_counters GROUP BY name, key ORDER BY name, key";

static void read_counter(oa_stmt *s, void *row)
{
    store_counter *c = row;
    store_copy(s, 0, c->name, sizeof c->name);
    store_copy(s, 1, c->key, sizeof c->key);
    c->n = store_int(s, 2);
}

oa_status store_stats_counters(oa_tx *tx, store_counter **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc = store_query(tx, &s, store_stats_sql, "");
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_counter, NULL, out, n) : rc;
}

int64_t store_counter_value(const store_counter *c, size_t n, const char *name, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].name, name) == 0 && strcmp(c[i].key, key) == 0)
            return c[i].n;
    return 0;
}

/* Deliveries by status (store/webhooks.h), from the same counters. */

/* ---- one tenant's figures (012_tenant_stats.sql) ---- */

oa_status store_tenant_counters(oa_tx *tx, const char *tenant, store_counter **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc = store_query(tx, &s,
                               "SELECT name, key, SUM(n) FROM tenant_counters WHERE tenant = ? "
                               "GROUP BY name, key ORDER BY name, key",
                               "t", tenant);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_counter, NULL, out, n) : rc;
}

const int64_t store_lat_bounds[STORE_LAT_BUCKETS - 1] = {5,   10,   25,   50,   100,  250,
                                                         500, 1000, 2500, 5000, 10000};

int store_lat_bucket(int64_t ms)
{
    int b = 0;
    while (b < STORE_LAT_BUCKETS - 1 && ms > store_lat_bounds[b])
        b++;
    return b;
}

/* A node's shard of a row (FNV-1a of its id): one node's rounds add to their own rows, so
 * nodes never wait on each other's. */
static int64_t node_shard(oa_tx *tx)
{
    uint32_t h = 2166136261u;
    for (const char *p = store_tx_node(tx); p && *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    return (int64_t)(h % 64);
}

oa_status store_minute_add(oa_tx *tx, const char *tenant, const store_minute *m)
{
    const int64_t *b = m->buckets;
    return store_exec(
        tx,
        "INSERT INTO delivery_minutes (endpoint_id, minute, shard, tenant, delivered, failed, b0, "
        "b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?) ON CONFLICT (endpoint_id, minute, shard) DO UPDATE SET "
        "delivered = delivery_minutes.delivered + excluded.delivered, "
        "failed = delivery_minutes.failed + excluded.failed, "
        "b0 = delivery_minutes.b0 + excluded.b0, b1 = delivery_minutes.b1 + excluded.b1, "
        "b2 = delivery_minutes.b2 + excluded.b2, b3 = delivery_minutes.b3 + excluded.b3, "
        "b4 = delivery_minutes.b4 + excluded.b4, b5 = delivery_minutes.b5 + excluded.b5, "
        "b6 = delivery_minutes.b6 + excluded.b6, b7 = delivery_minutes.b7 + excluded.b7, "
        "b8 = delivery_minutes.b8 + excluded.b8, b9 = delivery_minutes.b9 + excluded.b9, "
        "b10 = delivery_minutes.b10 + excluded.b10, b11 = delivery_minutes.b11 + excluded.b11",
        "tiitiiiiiiiiiiiiii", m->endpoint_id, m->minute, node_shard(tx), tenant, m->delivered,
        m->failed, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11]);
}

static void read_minute(oa_stmt *s, void *row)
{
    store_minute *m = row;
    store_copy(s, 0, m->endpoint_id, sizeof m->endpoint_id);
    m->minute = store_int(s, 1);
    m->delivered = store_int(s, 2);
    m->failed = store_int(s, 3);
    for (int i = 0; i < STORE_LAT_BUCKETS; i++)
        m->buckets[i] = store_int(s, 4 + i);
}

oa_status store_minutes_since(oa_tx *tx, const char *tenant, int64_t since, store_minute **out,
                              size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc = store_query(
        tx, &s,
        "SELECT endpoint_id, minute, SUM(delivered), SUM(failed), SUM(b0), SUM(b1), SUM(b2), "
        "SUM(b3), SUM(b4), SUM(b5), SUM(b6), SUM(b7), SUM(b8), SUM(b9), SUM(b10), SUM(b11) FROM "
        "delivery_minutes WHERE tenant = ? AND minute >= ? GROUP BY endpoint_id, minute "
        "ORDER BY minute, endpoint_id",
        "ti", tenant, since);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_minute, NULL, out, n) : rc;
}
