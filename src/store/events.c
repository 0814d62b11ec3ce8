/* events.c - the transactional outbox of webhook events. */
#include <stdlib.h>
#include <string.h>

#include "store/entities.h"

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

oa_status store_event_list_resource(oa_tx *tx, const char *tenant, const char *resource_id,
                                    oa_event **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s,
                    "SELECT seq, id, tenant, type, resource_id, body, created_at FROM events "
                    "WHERE tenant = ? AND resource_id = ? ORDER BY seq",
                    "tt", tenant, resource_id);
    if (rc != OA_OK)
        return rc;
    while ((rc = store_next(s)) == OA_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        oa_event *e = &(*out)[(*n)++];
        memset(e, 0, sizeof *e);
        e->seq = store_int(s, 0);
        store_copy(s, 1, e->id, sizeof e->id);
        e->tenant = store_dup(s, 2);
        e->type = store_dup(s, 3);
        e->resource_id = store_dup(s, 4);
        e->body = store_dup(s, 5);
        e->created_at = store_int(s, 6);
    }
    store_done(s);
    if (rc != OA_OK) {
        oa_event_list_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
