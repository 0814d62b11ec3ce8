/* events.c - the transactional outbox of webhook events, and its reads. */
#include <stdlib.h>
#include <string.h>

#include "store/webhooks.h"

#define EV_COLS "seq, id, tenant, type, resource_id, body, created_at"

void oa_event_clear(oa_event *e)
{
    free(e->tenant);
    free(e->type);
    free(e->resource_id);
    free(e->body);
    memset(e, 0, sizeof *e);
}

void oa_event_list_free(oa_event *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oa_event_clear(&l[i]);
    free(l);
}

static void read_ev(oa_stmt *s, void *row)
{
    oa_event *e = row;
    e->seq = store_int(s, 0);
    store_copy(s, 1, e->id, sizeof e->id);
    e->tenant = store_dup(s, 2);
    e->type = store_dup(s, 3);
    e->resource_id = store_dup(s, 4);
    e->body = store_dup(s, 5);
    e->created_at = store_int(s, 6);
}

static void clear_ev(void *row)
{
    oa_event_clear(row);
}

oa_status store_event_insert(oa_tx *tx, oa_event *e)
{
    oa_status rc =
        store_exec(tx,
                   "INSERT INTO events (id, tenant, type, resource_id, body, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
                   "ttttti", e->id, e->tenant, e->type, e->resource_id, e->body, e->created_at);
    if (rc != OA_OK)
        return rc;
    return store_query_int(tx, &e->seq, "SELECT seq FROM events WHERE id = ?", "t", e->id);
}

oa_status store_event_get(oa_tx *tx, const char *tenant, const char *id, oa_event *out)
{
    oa_stmt *s;
    oa_status rc = store_query(tx, &s, "SELECT " EV_COLS " FROM events WHERE id = ? AND tenant = ?",
                               "tt", id, tenant);
    return rc == OA_OK ? store_read_one(s, read_ev, out) : rc;
}

/* Parameters: ?1 tenant, ?2 the cursor's seq (a lower bound oldest first, an upper bound newest
 * first), ?3 type, ?4 resource ids (a JSON array), ?5 limit. Every index used ends in seq, so
 * either order reads its range forwards or backwards; the events of listed resources (a few
 * each) are sorted. */
#define EV_RESOURCE(cmp, dir)                                                                      \
    "SELECT " EV_COLS " FROM events WHERE resource_id IN (SELECT value FROM json_each(?4)) "       \
    "AND +tenant = ?1 AND seq " cmp " ?2 AND (CAST(?3 AS TEXT) IS NULL OR type = ?3) "             \
    "ORDER BY seq " dir " LIMIT ?5"
#define EV_TYPE(cmp, dir)                                                                          \
    "SELECT " EV_COLS " FROM events WHERE tenant = ?1 AND type = ?3 AND seq " cmp " ?2 "           \
    "AND CAST(?4 AS TEXT) IS NULL ORDER BY seq " dir " LIMIT ?5"
#define EV_ALL(cmp, dir)                                                                           \
    "SELECT " EV_COLS " FROM events WHERE tenant = ?1 AND seq " cmp " ?2 AND CAST(?3 AS TEXT) "    \
    "IS NULL AND CAST(?4 AS TEXT) IS NULL ORDER BY seq " dir " LIMIT ?5"
const char store_event_list_resource_sql[] = EV_RESOURCE(">", "ASC");
const char store_event_list_type_sql[] = EV_TYPE(">", "ASC");
const char store_event_list_all_sql[] = EV_ALL(">", "ASC");
const char store_event_list_resource_desc_sql[] = EV_RESOURCE("<", "DESC");
const char store_event_list_type_desc_sql[] = EV_TYPE("<", "DESC");
const char store_event_list_all_desc_sql[] = EV_ALL("<", "DESC");

oa_status store_event_list(oa_tx *tx, const store_page *pg, const char *type,
                           const char *resource_ids_json, oa_event **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const char *sql =
        resource_ids_json
            ? (pg->desc ? store_event_list_resource_desc_sql : store_event_list_resource_sql)
        : type ? (pg->desc ? store_event_list_type_desc_sql : store_event_list_type_sql)
               : (pg->desc ? store_event_list_all_desc_sql : store_event_list_all_sql);
    oa_stmt *s;
    oa_status rc = store_query(tx, &s, sql, "titti", pg->tenant, pg->after, type, resource_ids_json,
                               (int64_t)pg->limit);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_ev, clear_ev, out, n) : rc;
}

oa_status store_event_list_resource(oa_tx *tx, const char *tenant, const char *resource_id,
                                    oa_event **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s,
                    "SELECT " EV_COLS " FROM events WHERE tenant = ? AND resource_id = ? "
                    "ORDER BY seq",
                    "tt", tenant, resource_id);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_ev, clear_ev, out, n) : rc;
}
