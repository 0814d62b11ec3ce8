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
