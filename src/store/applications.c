/* applications.c - applications, the review queue and duplicate detection. */
#include <stdlib.h>
#include <string.h>

#include "store/entities.h"

#define APP_COLS                                                                                   \
    "seq, id, tenant, posting_id, revision_id, email_lower, status, needs_review, "                \
    "review_reason, decision_reason, answers, query_params, attempts, created_at, updated_at, "    \
    "candidate_email, additional_clicks"

static void read_app(oa_stmt *s, void *row)
{
    oa_application *a = row;
    a->seq = store_int(s, 0);
    store_copy(s, 1, a->id, sizeof a->id);
    a->tenant = store_dup(s, 2);
    store_copy(s, 3, a->posting_id, sizeof a->posting_id);
    store_copy(s, 4, a->revision_id, sizeof a->revision_id);
    a->email_lower = store_dup(s, 5);
    if (!oa_app_status_parse(store_text(s, 6), &a->status))
        a->status = OA_AS_PENDING;
    a->needs_review = store_int(s, 7) != 0;
    a->review_reason = store_dup(s, 8);
    a->decision_reason = store_dup(s, 9);
    a->answers_json = store_dup(s, 10);
    a->query_params_json = store_dup(s, 11);
    a->attempts = store_int(s, 12);
    a->created_at = store_int(s, 13);
    a->updated_at = store_int(s, 14);
    a->email = store_dup(s, 15);
    a->additional_clicks = store_int(s, 16);
}

oa_status store_app_insert(oa_tx *tx, oa_application *a)
{
    oa_status rc = store_exec(
        tx,
        "INSERT INTO applications (id, tenant, posting_id, revision_id, email_lower, status, "
        "needs_review, review_reason, decision_reason, answers, query_params, attempts, "
        "created_at, updated_at, candidate_email, additional_clicks) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "ttttttbttttiiiti", a->id, a->tenant, a->posting_id, a->revision_id, a->email_lower,
        oa_app_status_name(a->status), (int)a->needs_review, a->review_reason, a->decision_reason,
        a->answers_json, a->query_params_json, a->attempts, a->created_at, a->updated_at, a->email,
        a->additional_clicks);
    if (rc != OA_OK)
        return rc;
    return store_query_int(tx, &a->seq, "SELECT seq FROM applications WHERE id = ?", "t", a->id);
}

oa_status store_app_get(oa_tx *tx, const char *tenant, const char *id, oa_application *out)
{
    oa_stmt *s;
    oa_status rc = store_query(tx, &s,
                               "SELECT " APP_COLS " FROM applications "
                               "WHERE id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR tenant = ?2)",
                               "tt", id, tenant);
    return rc == OA_OK ? store_read_one(s, read_app, out) : rc;
}

oa_status store_app_update(oa_tx *tx, const oa_application *a)
{
    return store_exec(tx,
                      "UPDATE applications SET status = ?, needs_review = ?, review_reason = ?, "
                      "decision_reason = ?, answers = ?, attempts = ?, updated_at = ? WHERE id = ?",
                      "tbtttiit", oa_app_status_name(a->status), (int)a->needs_review,
                      a->review_reason, a->decision_reason, a->answers_json, a->attempts,
                      a->updated_at, a->id);
}

void oa_application_list_free(oa_application *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oa_application_clear(&l[i]);
    free(l);
}

static void clear_app(void *row)
{
    oa_application_clear(row);
}

/* Parameters: ?1 tenant, ?2 after, ?3 ids, ?4 postings, ?5 limit, ?6 to ?9 statuses
 * (store_page.states). */
#define AL_IDS    "(CAST(?3 AS TEXT) IS NULL OR id IN (SELECT value FROM json_each(?3)))"
#define AL_POSTS  "(CAST(?4 AS TEXT) IS NULL OR posting_id IN (SELECT value FROM json_each(?4)))"
#define AL_STATUS "(CAST(?6 AS TEXT) IS NULL OR status IN (?6, ?7, ?8, ?9))"
const char store_app_list_ids[] = "SELECT " APP_COLS " FROM applications WHERE id IN (SELECT "
                                  "value FROM json_each(?3)) AND +tenant = ?1 AND +seq > ?2 "
                                  "AND " AL_POSTS " AND " AL_STATUS " ORDER BY seq LIMIT ?5";
const char store_app_list_postings[] =
    "SELECT " APP_COLS " FROM applications WHERE posting_id IN (SELECT value FROM json_each(?4)) "
    "AND +tenant = ?1 AND +seq > ?2 AND " AL_IDS " AND " AL_STATUS " ORDER BY seq LIMIT ?5";
/* By status: one range of applications_status (tenant, status, seq) per value listed, each
 * read in seq order up to a page, merged by seq (as postings by availability). */
#define AL_PICK(n)                                                                                 \
    "SELECT seq FROM (SELECT q.seq FROM applications q WHERE q.tenant = ?1 AND q.status = ?" n     \
    " AND q.seq > ?2 ORDER BY q.seq LIMIT ?5) AS pick" n
#define AL_PICKS                                                                                   \
    AL_PICK("6") " UNION ALL " AL_PICK("7") " UNION ALL " AL_PICK("8") " UNION ALL " AL_PICK("9")
const char store_app_list_status[] = "SELECT " APP_COLS " FROM applications WHERE seq IN (" AL_PICKS
                                     ") AND +tenant = ?1 AND CAST(?3 AS TEXT) IS NULL AND "
                                     "CAST(?4 AS TEXT) IS NULL ORDER BY seq LIMIT ?5";
const char store_app_list_all[] =
    "SELECT " APP_COLS " FROM applications WHERE tenant = ?1 AND "
    "seq > ?2 AND " AL_IDS " AND " AL_POSTS " AND " AL_STATUS " ORDER BY seq LIMIT ?5";
/* The unary + keeps SQLite on applications_review: applications_status (tenant, status, seq)
 * would read every PENDING application, most of them not in review. */
const char store_app_review_all[] = "SELECT " APP_COLS " FROM applications WHERE tenant = ?1 AND "
                                    "needs_review = 1 AND +status = 'PENDING' AND seq > ?2 AND "
                                    "CAST(?3 AS TEXT) IS NULL ORDER BY seq LIMIT ?4";
const char store_app_review_postings[] =
    "SELECT " APP_COLS " FROM applications WHERE posting_id IN (SELECT value FROM json_each(?3)) "
    "AND +tenant = ?1 AND needs_review = 1 AND status = 'PENDING' AND +seq > ?2 "
    "ORDER BY seq LIMIT ?4";

oa_status store_app_list(oa_tx *tx, const store_page *pg, oa_application **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const char *sql = pg->ids_json      ? store_app_list_ids
                      : pg->parent_json ? store_app_list_postings
                      : pg->states[0]   ? store_app_list_status
                                        : store_app_list_all;
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s, sql, "tittitttt", pg->tenant, pg->after, pg->ids_json, pg->parent_json,
                    (int64_t)pg->limit, pg->states[0], pg->states[1], pg->states[2], pg->states[3]);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_app, clear_app, out, n) : rc;
}

oa_status store_app_review_list(oa_tx *tx, const store_page *pg, oa_application **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s, pg->parent_json ? store_app_review_postings : store_app_review_all,
                    "titi", pg->tenant, pg->after, pg->parent_json, (int64_t)pg->limit);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_app, clear_app, out, n) : rc;
}

oa_status store_app_pending_ids(oa_tx *tx, const char *posting_id, char ***ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s,
                    "SELECT id FROM applications WHERE posting_id = ? AND status = 'PENDING' "
                    "ORDER BY seq",
                    "t", posting_id);
    return rc == OA_OK ? store_read_ids(s, ids, n) : rc;
}

oa_status store_app_has_earlier(oa_tx *tx, const oa_application *a, bool *found)
{
    int64_t cnt = 0;
    oa_status rc = store_query_int(tx, &cnt,
                                   "SELECT COUNT(*) FROM applications WHERE posting_id = ? "
                                   "AND email_lower = ? AND seq < ? "
                                   "AND status IN ('PENDING', 'SUBMITTED')",
                                   "tti", a->posting_id, a->email_lower, a->seq);
    *found = cnt > 0;
    return rc;
}
