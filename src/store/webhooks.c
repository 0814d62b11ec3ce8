/* webhooks.c - endpoints, deliveries with leases and per-resource order, attempts, events. */
#include "store/webhooks.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

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
    "secret, old_secret, old_secret_expires_at, failing_since, created_at, updated_at, "           \
    "rate_limit_per_second"

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
    e->rate_limit = store_int(s, 15);
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
        "created_at, updated_at, rate_limit_per_second) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11, ?12, ?13, ?14, CASE WHEN ?15 > 0 THEN ?15 END)",
        "tttttbtittiiiii", e->id, e->tenant, e->url, e->description, e->event_types_json,
        (int)e->enabled, e->disabled_reason, e->disabled_at, e->secret, e->old_secret,
        e->old_secret_expires_at, e->failing_since, e->created_at, e->updated_at, e->rate_limit);
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
        "UPDATE webhook_endpoints SET url = ?1, description = ?2, event_types = ?3, "
        "enabled = ?4, disabled_reason = ?5, disabled_at = ?6, secret = ?7, old_secret = ?8, "
        "old_secret_expires_at = ?9, failing_since = ?10, updated_at = ?11, "
        "rate_limit_per_second = CASE WHEN ?12 > 0 THEN ?12 END WHERE id = ?13",
        "tttbtittiiiit", e->url, e->description, e->event_types_json, (int)e->enabled,
        e->disabled_reason, e->disabled_at, e->secret, e->old_secret, e->old_secret_expires_at,
        e->failing_since, e->updated_at, e->rate_limit, e->id);
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
    return store_exec(
        tx,
        "UPDATE webhook_deliveries SET status = 'cancelled', ready = 0, lease_until = NULL, "
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

oa_status store_delivery_insert(oa_tx *tx, oa_delivery *d)
{
    /* The head of its chain unless an earlier event of the same resource is still pending for
     * this endpoint (events are inserted in event_seq order). On PostgreSQL the pending
     * predecessor is locked: the dispatcher's round settles a head at READ COMMITTED
     * (STORE_WRITE_ALONE), so without the lock a head settling while this insert runs could
     * look for its successor before this row is committed, and this row would wait behind a
     * head that is gone. With it, one waits for the other: the settle's promotion then sees
     * this row, or this insert sees the head settled. */
    return store_exec(
        tx,
        "INSERT INTO webhook_deliveries (id, tenant, event_seq, event_id, endpoint_id, "
        "resource_id, status, attempts, next_attempt_at, created_at, updated_at, ready) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', 0, ?7, ?8, ?9, "
        "CASE WHEN EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = ?5 "
        "AND p.resource_id = ?6 AND p.status = 'pending' " STORE_PG_ONLY(
            "FOR UPDATE") ") "
                          "THEN 0 ELSE 1 END)",
        "ttitttiii", d->id, d->tenant, d->event_seq, d->event_id, d->endpoint_id, d->resource_id,
        d->next_attempt_at, d->created_at, d->updated_at);
}

/* ---- the claim ---- */

static void read_ep_due(oa_stmt *s, void *row)
{
    store_ep_due *e = row;
    store_copy(s, 0, e->id, sizeof e->id);
    e->rate_limit = store_int(s, 1);
    e->next_due = store_null(s, 2) ? 0 : store_int(s, 2);
}

oa_status store_endpoints_due(oa_tx *tx, store_ep_due **out, size_t *n)
{
    oa_stmt *s;
    oa_status rc = store_query(
        tx, &s,
        "SELECT e.id, COALESCE(e.rate_limit_per_second, 0), "
        "(SELECT MIN(d.next_attempt_at) FROM webhook_deliveries d WHERE d.endpoint_id = e.id "
        "AND d.status = 'pending' AND d.ready = 1) "
        "FROM webhook_endpoints e WHERE e.enabled = 1 AND e.deleted = 0 ORDER BY e.seq",
        "");
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_ep_due, NULL, out, n) : rc;
}

oa_status store_endpoint_next_due(oa_tx *tx, const char *endpoint_id, int64_t *at)
{
    return store_query_int(tx, at,
                           "SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE "
                           "endpoint_id = ? AND status = 'pending' AND ready = 1",
                           "t", endpoint_id);
}

oa_status store_endpoints_lock(oa_tx *tx, const char *const *ids, size_t n, int64_t now,
                               store_ep_shared *out)
{
    oa_buf list;
    oa_buf_init(&list, 64 * (OA_ID_SIZE + 4) + 4);
    oa_status rc = oa_buf_append(&list, "[", 1);
    for (size_t i = 0; rc == OA_OK && i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        out[i].bucket_full = true;
        rc = oa_buf_printf(&list, "%s\"%s\"", i ? "," : "", ids[i]); /* ids are base58 */
    }
    if (rc == OA_OK)
        rc = oa_buf_append(&list, "]", 2);
    oa_stmt *s = NULL;
    if (rc == OA_OK)
        rc = store_query(tx, &s,
                         "SELECT id, COALESCE(rate_limit_per_second, 0), rl_milli, rl_at FROM "
                         "webhook_endpoints WHERE id IN (SELECT value FROM json_each(?1)) ORDER "
                         "BY id " STORE_PG_ONLY("FOR UPDATE"),
                         "t", list.data);
    while (rc == OA_OK && (rc = store_next(s)) == OA_ROW) {
        const char *id = store_text(s, 0);
        for (size_t i = 0; id && i < n; i++)
            if (strcmp(ids[i], id) == 0) {
                out[i].rate = store_int(s, 1);
                out[i].bucket_full = store_null(s, 2) || store_null(s, 3);
                out[i].rl_milli = store_int(s, 2);
                out[i].rl_at = store_int(s, 3);
            }
        rc = OA_OK;
    }
    store_done(s);
    s = NULL;
    if (rc == OA_OK)
        rc =
            store_query(tx, &s,
                        "SELECT endpoint_id, COUNT(*) FROM webhook_deliveries WHERE endpoint_id IN "
                        "(SELECT value FROM json_each(?1)) AND status = 'pending' AND lease_token "
                        "IS NOT NULL AND lease_until > ?2 GROUP BY endpoint_id",
                        "ti", list.data, now);
    while (rc == OA_OK && (rc = store_next(s)) == OA_ROW) {
        const char *id = store_text(s, 0);
        for (size_t i = 0; id && i < n; i++)
            if (strcmp(ids[i], id) == 0)
                out[i].leased = store_int(s, 1);
        rc = OA_OK;
    }
    store_done(s);
    oa_buf_free(&list);
    return rc;
}

oa_status store_endpoint_bucket_set(oa_tx *tx, const char *id, int64_t milli, int64_t at)
{
    return store_exec(tx, "UPDATE webhook_endpoints SET rl_milli = ?1, rl_at = ?2 WHERE id = ?3",
                      "iit", milli, at, id);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* One statement leases the due heads of up to STORE_CLAIM_EPS endpoints, at most k each: one
 * arm per endpoint takes its first k ready, due, unleased deliveries from the index
 * webhook_deliveries_ready (endpoint_id, next_attempt_at, seq WHERE ready, pending). Each arm
 * is a plain subquery with its own LIMIT, so both backends read at most k index entries per
 * endpoint (a window function over a join made PostgreSQL run a correlated subplan for every
 * delivery). An unused arm has a NULL endpoint and a limit of 0. On PostgreSQL each arm takes
 * FOR UPDATE SKIP LOCKED: a delivery another node is claiming at the same moment is skipped,
 * not waited for. */
#define CLAIM_ARM(E, K, A)                                                                         \
    "SELECT seq FROM (SELECT y.seq FROM webhook_deliveries y WHERE y.endpoint_id = ?" #E           \
    " AND y.status = 'pending' AND y.ready = 1 AND y.next_attempt_at <= ?3 ORDER BY "              \
    "y.next_attempt_at, y.seq LIMIT ?" #K " " STORE_PG_ONLY("FOR UPDATE SKIP LOCKED") ") " A
/* clang-format off */
static const char CLAIM_SQL[] =
    "UPDATE webhook_deliveries SET lease_token = ?1, lease_until = ?2, next_attempt_at = ?2, "
    "lease_node = ?20 WHERE seq IN ("
    CLAIM_ARM(4, 5, "a1") " UNION ALL "
    CLAIM_ARM(6, 7, "a2") " UNION ALL "
    CLAIM_ARM(8, 9, "a3") " UNION ALL "
    CLAIM_ARM(10, 11, "a4") " UNION ALL "
    CLAIM_ARM(12, 13, "a5") " UNION ALL "
    CLAIM_ARM(14, 15, "a6") " UNION ALL "
    CLAIM_ARM(16, 17, "a7") " UNION ALL "
    CLAIM_ARM(18, 19, "a8") ") RETURNING seq";
/* clang-format on */
_Static_assert(STORE_CLAIM_EPS == 8, "CLAIM_SQL has STORE_CLAIM_EPS arms");

const char *store_delivery_claim_sql(void)
{
    return CLAIM_SQL;
}

oa_status store_delivery_claim(oa_tx *tx, int64_t now, int64_t lease_ms,
                               const store_claim_slot *slots, size_t n_slots, oa_send **out,
                               size_t *n)
{
    *out = NULL;
    *n = 0;
    char token[OA_ID_SIZE];
    oa_id_new(token);
    int64_t lease_until = now + lease_ms;
    int64_t *seqs = NULL;
    size_t n_seqs = 0, cap = 0;
    oa_status rc = OA_OK;
    for (size_t at = 0; rc == OA_OK && at < n_slots; at += STORE_CLAIM_EPS) {
        const char *ep[STORE_CLAIM_EPS] = {0};
        int64_t k[STORE_CLAIM_EPS] = {0};
        for (size_t i = 0; i < STORE_CLAIM_EPS && at + i < n_slots; i++) {
            ep[i] = slots[at + i].endpoint_id;
            k[i] = slots[at + i].limit > STORE_CLAIM_MAX ? STORE_CLAIM_MAX : slots[at + i].limit;
        }
        oa_stmt *s = NULL;
        rc = store_query(tx, &s, CLAIM_SQL, "tiititititititititit", token, lease_until, now, ep[0],
                         k[0], ep[1], k[1], ep[2], k[2], ep[3], k[3], ep[4], k[4], ep[5], k[5],
                         ep[6], k[6], ep[7], k[7], store_tx_node(tx));
        while (rc == OA_OK && (rc = store_next(s)) == OA_ROW) {
            if (n_seqs == cap) {
                cap = cap ? cap * 2 : 64;
                seqs = xrealloc(seqs, cap * sizeof *seqs);
            }
            seqs[n_seqs++] = store_int(s, 0);
            rc = OA_OK;
        }
        if (s) /* a failed store_query leaves it NULL */
            store_done(s);
    }
    /* Read back in seq order (RETURNING cannot join), up to READ_BACK rows per statement: one
     * round trip for a batch, which matters on a client-server database. */
    if (n_seqs > 1)
        qsort(seqs, n_seqs, sizeof *seqs, cmp_i64);
    if (rc == OA_OK && n_seqs)
        *out = xcalloc(n_seqs, sizeof **out);
    enum { READ_BACK = 64 };
    for (size_t at = 0; rc == OA_OK && at < n_seqs; at += READ_BACK) {
        char list[READ_BACK * 21 + 2];
        size_t len = 0;
        list[len++] = '[';
        for (size_t i = at; i < n_seqs && i < at + READ_BACK; i++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%lld", i > at ? "," : "",
                                    (long long)seqs[i]);
        snprintf(list + len, sizeof list - len, "]");
        oa_stmt *s;
        rc = store_query(tx, &s,
                         "SELECT " DL_COLS ", ev.body, ev.type, ev.created_at, e.url, e.secret, "
                         "CASE WHEN e.old_secret_expires_at > ?2 THEN e.old_secret END "
                         "FROM webhook_deliveries d JOIN events ev ON ev.id = d.event_id "
                         "JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.seq IN "
                         "(SELECT CAST(value AS BIGINT) FROM json_each(?1)) ORDER BY d.seq",
                         "ti", list, now);
        while (rc == OA_OK && (rc = store_next(s)) == OA_ROW) {
            if (*n < n_seqs) /* rows deleted in between cannot happen inside the transaction */
                read_send(s, &(*out)[(*n)++]);
            rc = OA_OK;
        }
        if (s)
            store_done(s);
    }
    free(seqs);
    if (rc != OA_OK) {
        for (size_t i = 0; i < *n; i++)
            oa_send_clear(&(*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* The next pending delivery of the chain becomes its head. */
static oa_status promote(oa_tx *tx, const char *endpoint_id, const char *resource_id)
{
    return store_exec(tx,
                      "UPDATE webhook_deliveries SET ready = 1 WHERE seq = (SELECT seq FROM "
                      "webhook_deliveries WHERE endpoint_id = ?1 AND resource_id = ?2 AND "
                      "status = 'pending' ORDER BY event_seq LIMIT 1) AND ready = 0",
                      "tt", endpoint_id, resource_id);
}

oa_status store_delivery_settle(oa_tx *tx, const oa_delivery *d, const char *status,
                                int64_t next_attempt_at, int64_t now)
{
    int64_t changed = 0;
    bool final = strcmp(status, "pending") != 0;
    oa_status rc = store_exec_n(
        tx, &changed,
        "UPDATE webhook_deliveries SET status = ?1, attempts = ?2, next_attempt_at = ?3, "
        "lease_until = NULL, lease_token = NULL, last_status_code = ?4, last_error = ?5, "
        "updated_at = ?6, finished_at = ?7, ready = CASE WHEN ?8 = 1 THEN 0 ELSE ready END "
        "WHERE seq = ?9 AND lease_token = ?10",
        "tiiitiibit", status, d->attempts, next_attempt_at, d->last_status_code, d->last_error, now,
        final ? now : (int64_t)0, (int) final, d->seq, d->lease_token);
    if (rc != OA_OK)
        return rc;
    if (changed != 1)
        return OA_NOT_FOUND;
    return final ? promote(tx, d->endpoint_id, d->resource_id) : OA_OK;
}

/* ---- batched bookkeeping ---------------------------------------------------------------
 * A dispatcher round records many attempts; on a client-server database every statement is a
 * round trip, so the common case (success) is written with multi-row statements. Their texts
 * are built once for chunks of 1, 2, 4, 8 and 16 rows (a batch is split into such chunks), so
 * each connection's statement cache holds at most five of each. */
enum { BATCH_SIZES = 5, BATCH_MAX = 1 << (BATCH_SIZES - 1) };

static char *delivered_sql[BATCH_SIZES], *promote_sql[BATCH_SIZES], *attempts_sql[BATCH_SIZES];
static pthread_once_t batch_once = PTHREAD_ONCE_INIT;

static void batch_sql_init(void)
{
    for (int k = 0; k < BATCH_SIZES; k++) {
        int n = 1 << k;
        oa_buf a, b, c;
        oa_buf_init(&a, 1024);
        oa_buf_init(&b, 1024);
        oa_buf_init(&c, 4096);
        /* VALUES rows (seq, lease token, attempts, status code); columns column1.. on both. */
        oa_status rc = oa_buf_printf(
            &a, "UPDATE webhook_deliveries SET status = 'delivered', attempts = v.column3, "
                "lease_until = NULL, lease_token = NULL, last_status_code = v.column4, "
                "last_error = NULL, updated_at = ?1, finished_at = ?1, ready = 0 FROM (VALUES ");
        for (int i = 0; rc == OA_OK && i < n; i++)
            rc = oa_buf_printf(&a, "%s(?%d, ?%d, ?%d, ?%d)", i ? ", " : "", 2 + 4 * i, 3 + 4 * i,
                               4 + 4 * i, 5 + 4 * i);
        if (rc == OA_OK)
            rc = oa_buf_printf(&a, ") AS v WHERE webhook_deliveries.seq = v.column1 AND "
                                   "webhook_deliveries.lease_token = v.column2 RETURNING "
                                   "webhook_deliveries.seq");
        /* The next pending delivery of each (endpoint, resource) becomes its chain's head. */
        if (rc == OA_OK)
            rc = oa_buf_printf(
                &b, "UPDATE webhook_deliveries SET ready = 1 WHERE ready = 0 AND seq IN (SELECT "
                    "(SELECT p.seq FROM webhook_deliveries p WHERE p.endpoint_id = v.column1 AND "
                    "p.resource_id = v.column2 AND p.status = 'pending' ORDER BY p.event_seq "
                    "LIMIT 1) FROM (VALUES ");
        for (int i = 0; rc == OA_OK && i < n; i++)
            rc = oa_buf_printf(&b, "%s(?%d, ?%d)", i ? ", " : "", 1 + 2 * i, 2 + 2 * i);
        if (rc == OA_OK)
            rc = oa_buf_printf(&b, ") AS v)");
        /* Rows of padding have delivery_seq 0 and are left out. */
        if (rc == OA_OK)
            rc = oa_buf_printf(&c, "INSERT INTO webhook_attempts (delivery_id, event_id, "
                                   "endpoint_id, attempt, attempted_at, status_code, latency_ms, "
                                   "error, response_excerpt, delivery_seq, event_seq) SELECT "
                                   "v.column1, v.column2, v.column3, v.column4, v.column5, CASE "
                                   "WHEN v.column6 = 0 THEN NULL ELSE v.column6 END, v.column7, "
                                   "v.column8, v.column9, v.column10, v.column11 FROM (VALUES ");
        for (int i = 0; rc == OA_OK && i < n; i++) {
            int p = 1 + 11 * i;
            rc = oa_buf_printf(&c, "%s(?%d, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d, ?%d)",
                               i ? ", " : "", p, p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7,
                               p + 8, p + 9, p + 10);
        }
        if (rc == OA_OK)
            rc = oa_buf_printf(&c, ") AS v WHERE v.column10 > 0");
        if (rc != OA_OK) { /* only out of memory */
            fputs("fatal: store: out of memory building the batch statements\n", stderr);
            abort();
        }
        delivered_sql[k] = a.data;
        promote_sql[k] = b.data;
        attempts_sql[k] = c.data;
    }
}

/* The statement size for the next min(n, BATCH_MAX) rows: the smallest power of two that
 * holds them (the rest of its rows are padding that matches nothing), and its index. */
static size_t chunk_of(size_t n, int *k)
{
    size_t c = 1;
    *k = 0;
    while (c < n && c < BATCH_MAX) {
        c *= 2;
        (*k)++;
    }
    return c;
}

oa_status store_deliveries_delivered(oa_tx *tx, const oa_delivery *const *d, size_t n, int64_t now,
                                     bool *lost)
{
    pthread_once(&batch_once, batch_sql_init);
    store_arg args[2 + 4 * BATCH_MAX]; /* and the end marker */
    char types[2 + 4 * BATCH_MAX];
    oa_status rc = OA_OK;
    for (size_t i = 0; i < n; i++)
        lost[i] = true; /* until the UPDATE says it changed the row */
    for (size_t at = 0; rc == OA_OK && at < n;) {
        int k;
        size_t rows = chunk_of(n - at, &k), m = n - at < rows ? n - at : rows;
        size_t a = 0;
        args[a++] = (store_arg){.tag = 'i', .i = now};
        for (size_t i = at; i < at + rows; i++) {
            bool pad = i >= at + m; /* seq 0: no such row */
            args[a++] = (store_arg){.tag = 'i', .i = pad ? 0 : d[i]->seq};
            args[a++] = (store_arg){.tag = 't', .s = pad ? "" : d[i]->lease_token};
            args[a++] = (store_arg){.tag = 'i', .i = pad ? 0 : d[i]->attempts};
            args[a++] = (store_arg){.tag = 'i', .i = pad ? 0 : d[i]->last_status_code};
        }
        for (size_t i = 0; i < a; i++)
            types[i] = args[i].tag;
        types[a] = '\0';
        args[a] = (store_arg){.tag = 0};
        oa_stmt *s = NULL;
        rc = store_query_a(tx, &s, delivered_sql[k], types, a, args);
        while (rc == OA_OK && (rc = store_next(s)) == OA_ROW) {
            int64_t seq = store_int(s, 0);
            for (size_t i = at; i < at + m; i++)
                if (d[i]->seq == seq)
                    lost[i] = false;
            rc = OA_OK;
        }
        if (s)
            store_done(s);
        at += m;
    }
    /* Hand each settled chain's head on. */
    const oa_delivery **done = xcalloc(n ? n : 1, sizeof *done);
    size_t nd = 0;
    for (size_t i = 0; i < n; i++)
        if (!lost[i])
            done[nd++] = d[i];
    for (size_t at = 0; rc == OA_OK && at < nd;) {
        int k;
        size_t rows = chunk_of(nd - at, &k), m = nd - at < rows ? nd - at : rows;
        size_t a = 0;
        for (size_t i = at; i < at + rows; i++) {
            bool pad = i >= at + m; /* no endpoint has the empty id */
            args[a++] = (store_arg){.tag = 't', .s = pad ? "" : done[i]->endpoint_id};
            args[a++] = (store_arg){.tag = 't', .s = pad ? "" : done[i]->resource_id};
        }
        for (size_t i = 0; i < a; i++)
            types[i] = 't';
        types[a] = '\0';
        args[a] = (store_arg){.tag = 0};
        rc = store_exec_a(tx, NULL, promote_sql[k], types, a, args);
        at += m;
    }
    free(done);
    return rc;
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

/* Puts one finished delivery back to pending with a fresh schedule: the head of its chain
 * unless an earlier event of the resource is pending; a later head that is not in flight waits
 * behind it again. */
static oa_status requeue(oa_tx *tx, const oa_delivery *d, int64_t now)
{
    oa_status rc = store_exec(
        tx,
        "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?1, "
        "lease_until = NULL, lease_token = NULL, updated_at = ?1, finished_at = NULL, "
        "ready = CASE WHEN EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = ?3 "
        "AND p.resource_id = ?4 AND p.status = 'pending' AND p.event_seq < ?5) THEN 0 ELSE 1 END "
        "WHERE seq = ?2",
        "iitti", now, d->seq, d->endpoint_id, d->resource_id, d->event_seq);
    if (rc != OA_OK)
        return rc;
    return store_exec(tx,
                      "UPDATE webhook_deliveries SET ready = 0 WHERE endpoint_id = ?1 AND "
                      "resource_id = ?2 AND status = 'pending' AND ready = 1 AND event_seq > ?3 "
                      "AND lease_token IS NULL",
                      "tti", d->endpoint_id, d->resource_id, d->event_seq);
}

static oa_status requeue_all(oa_tx *tx, oa_stmt *s, int64_t now, int64_t *n, int64_t *last_seq)
{
    oa_delivery *ds = NULL;
    size_t nd = 0;
    oa_status rc = store_read_all(s, sizeof *ds, read_dl, clear_dl, &ds, &nd);
    for (size_t i = 0; rc == OA_OK && i < nd; i++) {
        rc = requeue(tx, &ds[i], now);
        if (last_seq)
            *last_seq = ds[i].seq;
    }
    *n = rc == OA_OK ? (int64_t)nd : 0;
    oa_delivery_list_free(ds, nd);
    return rc;
}

oa_status store_deliveries_redeliver(oa_tx *tx, const char *event_id, int64_t now, int64_t *n)
{
    oa_stmt *s;
    oa_status rc = store_query(
        tx, &s,
        "SELECT " DL_COLS " FROM webhook_deliveries d WHERE d.event_id = ? AND d.status IN "
        "('delivered', 'failed') AND d.endpoint_id IN (SELECT id FROM webhook_endpoints WHERE "
        "enabled = 1 AND deleted = 0) ORDER BY d.seq",
        "t", event_id);
    return rc == OA_OK ? requeue_all(tx, s, now, n, NULL) : rc;
}

oa_status store_deliveries_recover(oa_tx *tx, const char *endpoint_id, int64_t since, int64_t now,
                                   int64_t after_seq, int limit, int64_t *n, int64_t *last_seq)
{
    oa_stmt *s;
    *last_seq = after_seq;
    oa_status rc = store_query(
        tx, &s,
        "SELECT " DL_COLS " FROM webhook_deliveries d WHERE d.endpoint_id = ? AND "
        "d.status = 'failed' AND d.created_at >= ? AND d.seq > ? ORDER BY d.seq LIMIT ?",
        "tiii", endpoint_id, since, after_seq, (int64_t)limit);
    return rc == OA_OK ? requeue_all(tx, s, now, n, last_seq) : rc;
}

oa_status store_deliveries_release(oa_tx *tx, int64_t now, int64_t *n)
{
    /* A leased delivery's next_attempt_at is its lease expiry: due again at once. Only the
     * leases this process may free (see store_job_release). */
    return store_exec_n(tx, n,
                        "UPDATE webhook_deliveries SET lease_until = NULL, lease_token = NULL, "
                        "lease_node = NULL, next_attempt_at = ?1 WHERE lease_token IS NOT NULL "
                        "AND status = 'pending' AND (?2 = 1 OR lease_node = ?3)",
                        "ibt", now, (int)store_tx_exclusive(tx), store_tx_node(tx));
}

/* ---- retention ---- */

oa_status store_retention_sweep(oa_tx *tx, int64_t cutoff, int limit, int64_t *deliveries,
                                int64_t *events)
{
    *deliveries = *events = 0;
    oa_stmt *s;
    oa_status rc = store_query(tx, &s,
                               "SELECT seq FROM webhook_deliveries WHERE status <> 'pending' AND "
                               "finished_at < ? ORDER BY finished_at LIMIT ?",
                               "ii", cutoff, (int64_t)limit);
    char **ids = NULL;
    size_t n = 0;
    if (rc == OA_OK)
        rc = store_read_ids(s, &ids, &n);
    for (size_t i = 0; rc == OA_OK && i < n; i++) {
        rc = store_exec(tx, "DELETE FROM webhook_attempts WHERE delivery_seq = CAST(? AS BIGINT)",
                        "t", ids[i]);
        if (rc == OA_OK)
            rc = store_exec(tx, "DELETE FROM webhook_deliveries WHERE seq = CAST(? AS BIGINT)", "t",
                            ids[i]);
    }
    store_ids_free(ids, n);
    if (rc != OA_OK)
        return rc;
    *deliveries = (int64_t)n;
    /* The dashboard's minute rows as old. */
    rc = store_exec(tx,
                    "DELETE FROM delivery_minutes WHERE (endpoint_id, minute, shard) IN (SELECT "
                    "endpoint_id, minute, shard FROM delivery_minutes WHERE minute < ? LIMIT ?)",
                    "ii", cutoff, (int64_t)limit);
    if (rc != OA_OK)
        return rc;
    /* Events old enough with no delivery left (none pending, the finished ones swept). */
    return store_exec_n(tx, events,
                        "DELETE FROM events WHERE seq IN (SELECT ev.seq FROM events ev WHERE "
                        "ev.created_at < ?1 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d "
                        "WHERE d.event_id = ev.id) ORDER BY ev.created_at LIMIT ?2)",
                        "ii", cutoff, (int64_t)limit);
}

oa_status store_event_oldest(oa_tx *tx, const char *tenant, int64_t *at)
{
    return store_query_int(
        tx, at, "SELECT created_at FROM events WHERE tenant = ? ORDER BY seq LIMIT 1", "t", tenant);
}

/* ---- attempts ---- */

oa_status store_attempt_insert(oa_tx *tx, const oa_attempt *a)
{
    return store_exec(tx,
                      "INSERT INTO webhook_attempts (delivery_id, event_id, endpoint_id, attempt, "
                      "attempted_at, status_code, latency_ms, error, response_excerpt, "
                      "delivery_seq, event_seq) VALUES (?1, ?2, ?3, ?4, ?5, "
                      "CASE WHEN ?6 = 0 THEN NULL ELSE ?6 END, ?7, ?8, ?9, ?10, ?11)",
                      "tttiiiittii", a->delivery_id, a->event_id, a->endpoint_id, a->attempt,
                      a->attempted_at, a->status_code, a->latency_ms, a->error, a->excerpt,
                      a->delivery_seq, a->event_seq);
}

oa_status store_attempts_insert(oa_tx *tx, const oa_attempt *x, size_t n)
{
    pthread_once(&batch_once, batch_sql_init);
    store_arg args[11 * BATCH_MAX + 1];
    char types[11 * BATCH_MAX + 1];
    oa_status rc = OA_OK;
    for (size_t at = 0; rc == OA_OK && at < n;) {
        int k;
        size_t rows = chunk_of(n - at, &k), m = n - at < rows ? n - at : rows;
        static const oa_attempt none = {0}; /* padding: delivery_seq 0, left out */
        size_t a = 0;
        for (size_t i = at; i < at + rows; i++) {
            const oa_attempt *t = i < at + m ? &x[i] : &none;
            args[a++] = (store_arg){.tag = 't', .s = t->delivery_id};
            args[a++] = (store_arg){.tag = 't', .s = t->event_id};
            args[a++] = (store_arg){.tag = 't', .s = t->endpoint_id};
            args[a++] = (store_arg){.tag = 'i', .i = t->attempt};
            args[a++] = (store_arg){.tag = 'i', .i = t->attempted_at};
            args[a++] = (store_arg){.tag = 'i', .i = t->status_code};
            args[a++] = (store_arg){.tag = 'i', .i = t->latency_ms};
            args[a++] = (store_arg){.tag = 't', .s = t->error};
            args[a++] = (store_arg){.tag = 't', .s = t->excerpt};
            args[a++] = (store_arg){.tag = 'i', .i = t->delivery_seq};
            args[a++] = (store_arg){.tag = 'i', .i = t->event_seq};
        }
        for (size_t i = 0; i < a; i++)
            types[i] = args[i].tag;
        types[a] = '\0';
        args[a] = (store_arg){.tag = 0};
        rc = store_exec_a(tx, NULL, attempts_sql[k], types, a, args);
        at += m;
    }
    return rc;
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
                    "WHERE event_seq = (SELECT seq FROM events WHERE id = ?) ORDER BY seq",
                    "t", event_id);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_attempt, clear_attempt, out, n) : rc;
}
