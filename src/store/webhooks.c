/* webhooks.c - endpoints, deliveries with leases and per-resource order, attempts, events. */
#include "store/webhooks.h"

#include <stdlib.h>
#include <string.h>

void oa_endpoint_clear(oa_endpoint *e)
{
    free(e->tenant);
    free(e->url);
    free(e->description);
    free(e->event_types_json);
    free(e->disabled_reason);
    free(e->secret);
    free(e->old_secret);
    memset(e, 0, sizeof *e);
}

void oa_endpoint_list_free(oa_endpoint *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oa_endpoint_clear(&l[i]);
    free(l);
}

void oa_delivery_clear(oa_delivery *d)
{
    free(d->tenant);
    free(d->resource_id);
    free(d->last_error);
    memset(d, 0, sizeof *d);
}

void oa_delivery_list_free(oa_delivery *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oa_delivery_clear(&l[i]);
    free(l);
}

void oa_attempt_list_free(oa_attempt *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(l[i].error);
        free(l[i].excerpt);
    }
    free(l);
}

void oa_send_clear(oa_send *s)
{
    oa_delivery_clear(&s->d);
    free(s->body);
    free(s->event_type);
    free(s->url);
    free(s->secret);
    free(s->old_secret);
    memset(s, 0, sizeof *s);
}

/* ---- endpoints ---- */

#define EP_COLS                                                                                    \
    "seq, id, tenant, url, description, event_types, enabled, disabled_reason, disabled_at, "      \
    "secret, old_secret, old_secret_expires_at, failing_since, created_at, updated_at"

static void read_ep(oa_stmt *s, void *row)
{
    oa_endpoint *e = row;
    e->seq = store_int(s, 0);
    store_copy(s, 1, e->id, sizeof e->id);
    e->tenant = store_dup(s, 2);
    e->url = store_dup(s, 3);
    e->description = store_dup(s, 4);
    e->event_types_json = store_dup(s, 5);
    e->enabled = store_int(s, 6) != 0;
    e->disabled_reason = store_dup(s, 7);
    e->disabled_at = store_int(s, 8);
    e->secret = store_dup(s, 9);
    e->old_secret = store_dup(s, 10);
    e->old_secret_expires_at = store_int(s, 11);
    e->failing_since = store_int(s, 12);
    e->created_at = store_int(s, 13);
    e->updated_at = store_int(s, 14);
}

static void clear_ep(void *row)
{
    oa_endpoint_clear(row);
}

oa_status store_endpoint_insert(oa_tx *tx, oa_endpoint *e)
{
    oa_status rc = store_exec(
        tx,
        "INSERT INTO webhook_endpoints (id, tenant, url, description, event_types, enabled, "
        "disabled_reason, disabled_at, secret, old_secret, old_secret_expires_at, failing_since, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "tttttbtittiiii", e->id, e->tenant, e->url, e->description, e->event_types_json,
        (int)e->enabled, e->disabled_reason, e->disabled_at, e->secret, e->old_secret,
        e->old_secret_expires_at, e->failing_since, e->created_at, e->updated_at);
    if (rc != OA_OK)
        return rc;
    return store_query_int(tx, &e->seq, "SELECT seq FROM webhook_endpoints WHERE id = ?", "t",
                           e->id);
}

oa_status store_endpoint_get(oa_tx *tx, const char *tenant, const char *id, oa_endpoint *out)
{
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s,
                    "SELECT " EP_COLS " FROM webhook_endpoints WHERE id = ?1 AND deleted = 0 "
                    "AND (CAST(?2 AS TEXT) IS NULL OR tenant = ?2)",
                    "tt", id, tenant);
    return rc == OA_OK ? store_read_one(s, read_ep, out) : rc;
}

oa_status store_endpoint_update(oa_tx *tx, const oa_endpoint *e)
{
    return store_exec(
        tx,
        "UPDATE webhook_endpoints SET url = ?, description = ?, event_types = ?, "
        "enabled = ?, disabled_reason = ?, disabled_at = ?, secret = ?, old_secret = ?, "
        "old_secret_expires_at = ?, failing_since = ?, updated_at = ? WHERE id = ?",
        "tttbtittiiit", e->url, e->description, e->event_types_json, (int)e->enabled,
        e->disabled_reason, e->disabled_at, e->secret, e->old_secret, e->old_secret_expires_at,
        e->failing_since, e->updated_at, e->id);
}

oa_status store_endpoint_delete(oa_tx *tx, const char *tenant, const char *id, int64_t now)
{
    int64_t changed = 0;
    oa_status rc =
        store_exec_n(tx, &changed,
                     "UPDATE webhook_endpoints SET deleted = 1, enabled = 0, updated_at = ? "
                     "WHERE id = ? AND tenant = ? AND deleted = 0",
                     "itt", now, id, tenant);
    if (rc != OA_OK)
        return rc;
    if (changed == 0)
        return OA_NOT_FOUND;
    return store_exec(tx,
                      "UPDATE webhook_deliveries SET status = 'cancelled', lease_until = NULL, "
                      "lease_token = NULL, updated_at = ?, finished_at = ? "
                      "WHERE endpoint_id = ? AND status = 'pending'",
                      "iit", now, now, id);
}

oa_status store_endpoint_list(oa_tx *tx, const store_page *pg, oa_endpoint **out, size_t *n)
{
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s,
                    "SELECT " EP_COLS " FROM webhook_endpoints WHERE tenant = ? AND deleted = 0 "
                    "AND seq > ? ORDER BY seq LIMIT ?",
                    "tii", pg->tenant, pg->after, (int64_t)pg->limit);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_ep, clear_ep, out, n) : rc;
}

oa_status store_endpoints_subscribed(oa_tx *tx, const char *tenant, const char *type, bool all_ok,
                                     oa_endpoint **out, size_t *n)
{
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s,
                    "SELECT " EP_COLS
                    " FROM webhook_endpoints WHERE tenant = ?1 AND deleted = 0 AND enabled = 1 "
                    "AND ((event_types IS NULL AND ?3 = 1) OR EXISTS "
                    "(SELECT 1 FROM json_each(event_types) WHERE value = ?2)) ORDER BY seq",
                    "ttb", tenant, type, (int)all_ok);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_ep, clear_ep, out, n) : rc;
}

/* ---- deliveries ---- */

#define DL_COLS                                                                                    \
    "d.seq, d.id, d.tenant, d.event_seq, d.event_id, d.endpoint_id, d.resource_id, d.status, "     \
    "d.attempts, d.next_attempt_at, d.lease_token, d.last_status_code, d.last_error, "             \
    "d.created_at, d.updated_at, d.finished_at"

static void read_dl(oa_stmt *s, void *row)
{
    oa_delivery *d = row;
    d->seq = store_int(s, 0);
    store_copy(s, 1, d->id, sizeof d->id);
    d->tenant = store_dup(s, 2);
    d->event_seq = store_int(s, 3);
    store_copy(s, 4, d->event_id, sizeof d->event_id);
    store_copy(s, 5, d->endpoint_id, sizeof d->endpoint_id);
    d->resource_id = store_dup(s, 6);
    store_copy(s, 7, d->status, sizeof d->status);
    d->attempts = store_int(s, 8);
    d->next_attempt_at = store_int(s, 9);
    store_copy(s, 10, d->lease_token, sizeof d->lease_token);
    d->last_status_code = store_int(s, 11);
    d->last_error = store_dup(s, 12);
    d->created_at = store_int(s, 13);
    d->updated_at = store_int(s, 14);
    d->finished_at = store_int(s, 15);
}

static void clear_dl(void *row)
{
    oa_delivery_clear(row);
}

/* A claim candidate: the delivery's columns, then the event's and the endpoint's. */
static void read_send(oa_stmt *s, void *row)
{
    oa_send *x = row;
    read_dl(s, &x->d);
    x->body = store_dup(s, 16);
    x->event_type = store_dup(s, 17);
    x->event_created_at = store_int(s, 18);
    x->url = store_dup(s, 19);
    x->secret = store_dup(s, 20);
    x->old_secret = store_dup(s, 21);
}

static void clear_send(void *row)
{
    oa_send_clear(row);
}

oa_status store_delivery_insert(oa_tx *tx, oa_delivery *d)
{
    return store_exec(
        tx,
        "INSERT INTO webhook_deliveries (id, tenant, event_seq, event_id, endpoint_id, "
        "resource_id, status, attempts, next_attempt_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
        "ttitttiii", d->id, d->tenant, d->event_seq, d->event_id, d->endpoint_id, d->resource_id,
        d->next_attempt_at, d->created_at, d->updated_at);
}

oa_status store_delivery_claim(oa_tx *tx, int64_t now, int64_t lease_ms, int limit,
                               int per_endpoint, const char *busy_json, oa_send **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    /* Candidates: the oldest pending event of each (endpoint, resource), due and unleased,
     * at most per_endpoint per endpoint (window function), endpoints not already busy. */
    oa_status rc = store_query(
        tx, &s,
        "SELECT " DL_COLS ", ev.body, ev.type, ev.created_at, e.url, e.secret, "
        "CASE WHEN e.old_secret_expires_at > ?1 THEN e.old_secret END "
        "FROM (SELECT d.*, ROW_NUMBER() OVER (PARTITION BY d.endpoint_id ORDER BY "
        "d.next_attempt_at, d.seq) AS rn "
        "      FROM webhook_deliveries d "
        "      WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 "
        "      AND (d.lease_until IS NULL OR d.lease_until < ?1) "
        "      AND d.endpoint_id NOT IN (SELECT value FROM json_each(?2)) "
        "      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = "
        "d.endpoint_id "
        "          AND p.resource_id = d.resource_id AND p.status = 'pending' AND p.event_seq < "
        "d.event_seq)) d "
        "JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled = 1 AND e.deleted = 0 "
        "JOIN events ev ON ev.id = d.event_id "
        "WHERE d.rn <= ?3 ORDER BY d.next_attempt_at, d.seq LIMIT ?4",
        "itii", now, busy_json ? busy_json : "[]", (int64_t)per_endpoint, (int64_t)limit);
    if (rc != OA_OK)
        return rc;
    rc = store_read_all(s, sizeof **out, read_send, clear_send, out, n);
    if (rc != OA_OK)
        goto fail;
    for (size_t i = 0; i < *n; i++) {
        oa_send *x = &(*out)[i];
        oa_id_new(x->d.lease_token);
        int64_t changed = 0;
        rc = store_exec_n(
            tx, &changed,
            "UPDATE webhook_deliveries SET lease_until = ?, lease_token = ? "
            "WHERE id = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until < ?)",
            "itti", now + lease_ms, x->d.lease_token, x->d.id, now);
        if (rc != OA_OK)
            goto fail;
        if (changed != 1) { /* taken meanwhile (another node): drop it from the batch */
            oa_send_clear(x);
            memmove(x, x + 1, (*n - i - 1) * sizeof *x);
            (*n)--;
            i--;
        }
    }
    return OA_OK;
fail:
    for (size_t i = 0; i < *n; i++)
        oa_send_clear(&(*out)[i]);
    free(*out);
    *out = NULL;
    *n = 0;
    return rc;
}

oa_status store_delivery_settle(oa_tx *tx, const oa_delivery *d, const char *status,
                                int64_t next_attempt_at, int64_t now)
{
    int64_t changed = 0;
    bool final = strcmp(status, "pending") != 0;
    oa_status rc = store_exec_n(
        tx, &changed,
        "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, "
        "lease_until = NULL, lease_token = NULL, last_status_code = ?, last_error = ?, "
        "updated_at = ?, finished_at = ? WHERE id = ? AND lease_token = ?",
        "tiiitiitt", status, d->attempts, next_attempt_at, d->last_status_code, d->last_error, now,
        final ? now : (int64_t)0, d->id, d->lease_token);
    if (rc != OA_OK)
        return rc;
    return changed == 1 ? OA_OK : OA_NOT_FOUND;
}

oa_status store_deliveries_for_event(oa_tx *tx, const char *event_id, oa_delivery **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc = store_query(
        tx, &s, "SELECT " DL_COLS " FROM webhook_deliveries d WHERE d.event_id = ? ORDER BY d.seq",
        "t", event_id);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_dl, clear_dl, out, n) : rc;
}

oa_status store_deliveries_redeliver(oa_tx *tx, const char *event_id, int64_t now, int64_t *n)
{
    return store_exec_n(
        tx, n,
        "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?1, "
        "lease_until = NULL, lease_token = NULL, updated_at = ?1, finished_at = NULL "
        "WHERE event_id = ?2 AND status IN ('delivered', 'failed') AND endpoint_id IN "
        "(SELECT id FROM webhook_endpoints WHERE enabled = 1 AND deleted = 0)",
        "it", now, event_id);
}

oa_status store_deliveries_recover(oa_tx *tx, const char *endpoint_id, int64_t since, int64_t now,
                                   int64_t *n)
{
    return store_exec_n(
        tx, n,
        "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?1, "
        "lease_until = NULL, lease_token = NULL, updated_at = ?1, finished_at = NULL "
        "WHERE endpoint_id = ?2 AND status = 'failed' AND created_at >= ?3",
        "iti", now, endpoint_id, since);
}

oa_status store_deliveries_release(oa_tx *tx, int64_t *n)
{
    return store_exec_n(tx, n,
                        "UPDATE webhook_deliveries SET lease_until = NULL, lease_token = NULL "
                        "WHERE lease_token IS NOT NULL AND status = 'pending'",
                        "");
}

oa_status store_delivery_next_due(oa_tx *tx, int64_t *at)
{
    return store_query_int(tx, at,
                           "SELECT MIN(CASE WHEN d.lease_until IS NOT NULL AND d.lease_until > "
                           "d.next_attempt_at THEN d.lease_until ELSE d.next_attempt_at END) "
                           "FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = "
                           "d.endpoint_id AND e.enabled = 1 WHERE d.status = 'pending'",
                           "");
}

/* ---- attempts ---- */

oa_status store_attempt_insert(oa_tx *tx, const oa_attempt *a)
{
    return store_exec(tx,
                      "INSERT INTO webhook_attempts (delivery_id, event_id, endpoint_id, attempt, "
                      "attempted_at, status_code, latency_ms, error, response_excerpt) "
                      "VALUES (?, ?, ?, ?, ?, CASE WHEN ?6 = 0 THEN NULL ELSE ?6 END, ?, ?, ?)",
                      "tttiiiitt", a->delivery_id, a->event_id, a->endpoint_id, a->attempt,
                      a->attempted_at, a->status_code, a->latency_ms, a->error, a->excerpt);
}

static void read_attempt(oa_stmt *s, void *row)
{
    oa_attempt *a = row;
    a->seq = store_int(s, 0);
    store_copy(s, 1, a->delivery_id, sizeof a->delivery_id);
    store_copy(s, 2, a->event_id, sizeof a->event_id);
    store_copy(s, 3, a->endpoint_id, sizeof a->endpoint_id);
    a->attempt = store_int(s, 4);
    a->attempted_at = store_int(s, 5);
    a->status_code = store_int(s, 6);
    a->latency_ms = store_int(s, 7);
    a->error = store_dup(s, 8);
    a->excerpt = store_dup(s, 9);
}

static void clear_attempt(void *row)
{
    oa_attempt *a = row;
    free(a->error);
    free(a->excerpt);
}

oa_status store_attempts_for_event(oa_tx *tx, const char *event_id, oa_attempt **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s,
                    "SELECT seq, delivery_id, event_id, endpoint_id, attempt, attempted_at, "
                    "status_code, latency_ms, error, response_excerpt FROM webhook_attempts "
                    "WHERE event_id = ? ORDER BY seq",
                    "t", event_id);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_attempt, clear_attempt, out, n) : rc;
}

oa_status store_stats_endpoints(oa_tx *tx, int64_t *enabled, int64_t *disabled)
{
    oa_status rc = store_query_int(
        tx, enabled, "SELECT COUNT(*) FROM webhook_endpoints WHERE deleted = 0 AND enabled = 1",
        "");
    if (rc == OA_OK)
        rc = store_query_int(
            tx, disabled,
            "SELECT COUNT(*) FROM webhook_endpoints WHERE deleted = 0 AND enabled = 0", "");
    return rc;
}
