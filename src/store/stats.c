/* stats.c - grouped counts for /metrics. */
#include <stdlib.h>
#include <string.h>

#include "store/webhooks.h"

static void read_count(oa_stmt *s, void *row)
{
    store_count *c = row;
    store_copy(s, 0, c->name, sizeof c->name);
    c->n = store_int(s, 1);
}

static oa_status grouped(oa_tx *tx, const char *sql, store_count **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc = store_query(tx, &s, sql, "");
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_count, NULL, out, n) : rc;
}

oa_status store_stats_postings(oa_tx *tx, store_count **out, size_t *n)
{
    return grouped(
        tx, "SELECT availability, COUNT(*) FROM postings GROUP BY availability ORDER BY 1", out, n);
}

oa_status store_stats_applications(oa_tx *tx, store_count **out, size_t *n)
{
    return grouped(tx, "SELECT status, COUNT(*) FROM applications GROUP BY status ORDER BY 1", out,
                   n);
}

oa_status store_stats_jobs(oa_tx *tx, store_count **out, size_t *n)
{
    return grouped(tx, "SELECT kind, COUNT(*) FROM jobs GROUP BY kind ORDER BY 1", out, n);
}

oa_status store_stats_deliveries(oa_tx *tx, store_count **out, size_t *n)
{
    return grouped(tx, "SELECT status, COUNT(*) FROM webhook_deliveries GROUP BY status ORDER BY 1",
                   out, n);
}

oa_status store_stats_scalar(oa_tx *tx, const char *what, int64_t *n)
{
    if (strcmp(what, "events") == 0)
        return store_query_int(tx, n, "SELECT COUNT(*) FROM events", "");
    if (strcmp(what, "review") == 0)
        return store_query_int(
            tx, n,
            "SELECT COUNT(*) FROM applications WHERE needs_review = 1 AND status = 'PENDING'", "");
    if (strcmp(what, "leased") == 0)
        return store_query_int(tx, n, "SELECT COUNT(*) FROM jobs WHERE lease_token IS NOT NULL",
                               "");
    return OA_NOT_FOUND;
}
