/*
 * queue.c - the durable work queue with leases.
 *
 * A job row is leased by setting lease_until/lease_token in one UPDATE whose WHERE clause only
 * matches a due, unleased (or lease-expired) row, so two workers never hold the same job. A
 * worker's result counts only while its lease_token is still on the row: a job cancelled
 * (archive) or re-leased after expiry drops the stale result.
 */
#include <stdlib.h>
#include <string.h>

#include "store/entities.h"

oa_status store_job_put(oa_tx *tx, const char *kind, const char *ref_id, const char *tenant,
                        int64_t run_at, bool force)
{
    return store_exec(
        tx,
        "INSERT INTO jobs (kind, ref_id, tenant, run_at, created_at) VALUES (?1, ?2, ?3, ?4, ?4) "
        "ON CONFLICT (kind, ref_id) DO UPDATE SET run_at = CASE WHEN ?5 = 1 "
        "OR excluded.run_at < jobs.run_at THEN excluded.run_at ELSE jobs.run_at END",
        "tttib", kind, ref_id, tenant, run_at, (int)force);
}

/* Leases the job the statement selects (its RETURNING row into *out); OA_NOT_FOUND: none.
 * The statement takes ?1 now, ?2 the lease, ?3 the token, ?4 the node, and ?5 the parse limit
 * when parse_limit >= 0. */
static oa_status claim_one(oa_tx *tx, const char *sql, int64_t now, int64_t lease_ms,
                           int parse_limit, store_job *out)
{
    char token[OA_ID_SIZE];
    oa_id_new(token);
    oa_stmt *s;
    oa_status rc = parse_limit < 0
                       ? store_query(tx, &s, sql, "iitt", now, lease_ms, token, store_tx_node(tx))
                       : store_query(tx, &s, sql, "iitti", now, lease_ms, token, store_tx_node(tx),
                                     (int64_t)parse_limit);
    if (rc != OA_OK)
        return rc;
    rc = store_next(s);
    if (rc == OA_ROW) {
        out->id = store_int(s, 0);
        store_copy(s, 1, out->kind, sizeof out->kind);
        store_copy(s, 2, out->ref_id, sizeof out->ref_id);
        store_copy(s, 3, out->tenant, sizeof out->tenant);
        out->attempts = store_int(s, 4);
        store_copy(s, 5, out->lease_token, sizeof out->lease_token);
        /* Step to completion so the UPDATE is finished before the statement is reset. */
        while ((rc = store_next(s)) == OA_ROW)
            ;
    } else if (rc == OA_OK) {
        rc = OA_NOT_FOUND;
    }
    store_done(s);
    return rc;
}

/* Applies first (a candidate waits on them), then parses within the per-tenant limit. */
oa_status store_job_claim(oa_tx *tx, int64_t now, int64_t lease_ms, int parse_limit, store_job *out)
{
    oa_status rc = claim_one(
        tx,
        "UPDATE jobs SET lease_until = ?1 + ?2, lease_token = ?3, lease_node = ?4 WHERE id = "
        "(SELECT j.id FROM jobs j WHERE j.kind = 'apply' AND j.run_at <= ?1 AND (j.lease_until "
        "IS NULL OR j.lease_until < ?1) ORDER BY j.run_at, j.id LIMIT 1 " STORE_PG_ONLY(
            "FOR UPDATE SKIP LOCKED") ") RETURNING id, kind, ref_id, tenant, attempts, "
                                      "lease_token",
        now, lease_ms, -1, out);
    if (rc != OA_NOT_FOUND)
        return rc;
    /* The count of a tenant's leased parses and the lease taken must not interleave with
     * another node's claim (READ COMMITTED would let both see room for one more). */
    rc = store_tx_lock(tx, STORE_LOCK_PARSE_CLAIM);
    if (rc != OA_OK)
        return rc;
    return claim_one(
        tx,
        "UPDATE jobs SET lease_until = ?1 + ?2, lease_token = ?3, lease_node = ?4 WHERE id = "
        "(SELECT j.id FROM jobs j WHERE j.kind = 'parse' AND j.run_at <= ?1 AND (j.lease_until "
        "IS NULL OR j.lease_until < ?1) AND j.tenant NOT IN (SELECT k.tenant FROM jobs k WHERE "
        "k.lease_token IS NOT NULL AND k.lease_until >= ?1 GROUP BY k.tenant HAVING SUM(CASE "
        "WHEN k.kind = 'parse' THEN 1 ELSE 0 END) >= ?5) ORDER BY j.run_at, j.id LIMIT "
        "1 " STORE_PG_ONLY("FOR UPDATE OF j SKIP LOCKED") ") RETURNING id, kind, ref_id, tenant, "
                                                          "attempts, lease_token",
        now, lease_ms, parse_limit, out);
}

oa_status store_job_owned(oa_tx *tx, const store_job *j, bool *owned)
{
    int64_t n = 0;
    oa_status rc =
        store_query_int(tx, &n, "SELECT COUNT(*) FROM jobs WHERE id = ? AND lease_token = ?", "it",
                        j->id, j->lease_token);
    *owned = n == 1;
    return rc;
}

oa_status store_job_finish(oa_tx *tx, const store_job *j)
{
    return store_exec(tx, "DELETE FROM jobs WHERE id = ? AND lease_token = ?", "it", j->id,
                      j->lease_token);
}

oa_status store_job_retry(oa_tx *tx, const store_job *j, int64_t run_at, int64_t attempts)
{
    return store_exec(
        tx,
        "UPDATE jobs SET run_at = ?, attempts = ?, lease_until = NULL, lease_token = NULL, "
        "sent_at = NULL WHERE id = ? AND lease_token = ?",
        "iiit", run_at, attempts, j->id, j->lease_token);
}

oa_status store_job_renew(oa_tx *tx, const store_job *j, int64_t until, store_lease_state *state)
{
    int64_t n = 0;
    *state = STORE_LEASE_OWNED;
    oa_status rc =
        store_exec_n(tx, &n, "UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_token = ?",
                     "iit", until, j->id, j->lease_token);
    if (rc != OA_OK || n == 1)
        return rc;
    int64_t leased = 0;
    rc = store_query_int(tx, &leased,
                         "SELECT COUNT(*) FROM jobs WHERE id = ? AND lease_token IS NOT NULL", "i",
                         j->id);
    *state = leased ? STORE_LEASE_TAKEN : STORE_LEASE_ENDED;
    return rc;
}

oa_status store_job_mark_sent(oa_tx *tx, const store_job *j, int64_t now, bool *owned)
{
    int64_t n = 0;
    oa_status rc =
        store_exec_n(tx, &n, "UPDATE jobs SET sent_at = ? WHERE id = ? AND lease_token = ?", "iit",
                     now, j->id, j->lease_token);
    *owned = rc == OA_OK && n == 1;
    return rc;
}

oa_status store_job_sent_at(oa_tx *tx, const store_job *j, int64_t *at)
{
    *at = 0;
    oa_status rc = store_query_int(tx, at, "SELECT sent_at FROM jobs WHERE id = ?", "i", j->id);
    return rc == OA_NOT_FOUND ? OA_OK : rc;
}

oa_status store_job_cancel(oa_tx *tx, const char *kind, const char *ref_id)
{
    return store_exec(tx, "DELETE FROM jobs WHERE kind = ? AND ref_id = ?", "tt", kind, ref_id);
}

oa_status store_job_release(oa_tx *tx, const char *lease_token, int64_t *released)
{
    /* Without a token: every lease this process may free (all of them when it is the only
     * one using the database, else its own node's). */
    return store_exec_n(
        tx, released,
        "UPDATE jobs SET lease_until = NULL, lease_token = NULL, lease_node = NULL "
        "WHERE lease_token IS NOT NULL AND (CAST(?1 AS TEXT) IS NULL OR lease_token = ?1) "
        "AND (?2 = 1 OR lease_node = ?3)",
        "tbt", lease_token, (int)store_tx_exclusive(tx), store_tx_node(tx));
}

oa_status store_job_next_due(oa_tx *tx, int64_t *at)
{
    /* The oldest unleased job (an index walk past the few leased ones) or the earliest lease
     * expiry, whichever comes first. */
    return store_query_int(tx, at,
                           "SELECT MIN(t) FROM ("
                           "SELECT (SELECT run_at FROM jobs WHERE lease_token IS NULL "
                           "ORDER BY run_at LIMIT 1) AS t UNION ALL "
                           "SELECT (SELECT lease_until FROM jobs WHERE lease_token IS NOT NULL "
                           "ORDER BY lease_until LIMIT 1)) AS due",
                           "");
}

oa_status store_jobs_cap_parse(oa_tx *tx, int64_t now, int64_t within, int limit, int64_t *n)
{
    /* Spread over the interval by id, so that the pulled-in checks do not all fall due at
     * once. Walks jobs_kind_due from the far end: only rows beyond the cap are touched. */
    return store_exec_n(tx, n,
                        "UPDATE jobs SET run_at = ?1 + (id % ?2) WHERE id IN (SELECT id FROM jobs "
                        "WHERE kind = 'parse' AND run_at > ?1 + ?2 AND lease_token IS NULL "
                        "LIMIT ?3)",
                        "iii", now, within, (int64_t)limit);
}
