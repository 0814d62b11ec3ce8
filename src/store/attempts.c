/* attempts.c - apply attempts of an application, form revisions of a posting. */
#include <stdlib.h>
#include <string.h>

#include "store/attempts.h"

oa_status store_apply_attempt_insert(oa_tx *tx, oa_apply_attempt *a)
{
    int64_t n = 0;
    oa_status rc =
        store_query_int(tx, &n, "SELECT COUNT(*) FROM apply_attempts WHERE application_id = ?", "t",
                        a->application_id);
    if (rc != OA_OK)
        return rc;
    a->attempt = n + 1;
    return store_exec(
        tx,
        "INSERT INTO apply_attempts (application_id, attempt, started_at, "
        "finished_at, driver, step, outcome, reason, http_status, url, "
        "response_excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(CAST(? AS BIGINT), 0), ?, ?)",
        "tiiittttitt", a->application_id, a->attempt, a->started_at, a->finished_at, a->driver,
        a->step, a->outcome, a->reason, a->http_status, a->url, a->excerpt);
}

static void read_attempt(oa_stmt *s, void *row)
{
    oa_apply_attempt *a = row;
    a->seq = store_int(s, 0);
    store_copy(s, 1, a->application_id, sizeof a->application_id);
    a->attempt = store_int(s, 2);
    a->started_at = store_int(s, 3);
    a->finished_at = store_int(s, 4);
    store_copy(s, 5, a->driver, sizeof a->driver);
    store_copy(s, 6, a->step, sizeof a->step);
    store_copy(s, 7, a->outcome, sizeof a->outcome);
    a->reason = store_dup(s, 8);
    a->http_status = store_null(s, 9) ? 0 : store_int(s, 9);
    a->url = store_dup(s, 10);
    a->excerpt = store_dup(s, 11);
}

static void clear_attempt(void *row)
{
    oa_apply_attempt *a = row;
    free(a->reason);
    free(a->url);
    free(a->excerpt);
}

oa_status store_apply_attempts(oa_tx *tx, const char *application_id, oa_apply_attempt **out,
                               size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc = store_query(tx, &s,
                               "SELECT seq, application_id, attempt, started_at, finished_at, "
                               "driver, step, outcome, reason, http_status, url, response_excerpt "
                               "FROM apply_attempts WHERE application_id = ? ORDER BY seq",
                               "t", application_id);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_attempt, clear_attempt, out, n) : rc;
}

void oa_apply_attempt_list_free(oa_apply_attempt *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        clear_attempt(&l[i]);
    free(l);
}

static void read_revision(oa_stmt *s, void *row)
{
    oa_revision *r = row;
    r->seq = store_int(s, 0);
    store_copy(s, 1, r->id, sizeof r->id);
    store_copy(s, 2, r->content_hash, sizeof r->content_hash);
    r->created_at = store_int(s, 3);
}

oa_status store_revision_list(oa_tx *tx, const char *posting_id, const store_page *pg,
                              oa_revision **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc = store_query(tx, &s,
                               "SELECT seq, id, content_hash, created_at FROM form_revisions "
                               "WHERE posting_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                               "tii", posting_id, pg->after, (int64_t)pg->limit);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_revision, NULL, out, n) : rc;
}

oa_status store_revision_of(oa_tx *tx, const char *posting_id, const char *revision_id,
                            oa_revision *out, char **form_json)
{
    *form_json = NULL;
    memset(out, 0, sizeof *out);
    oa_stmt *s;
    oa_status rc = store_query(tx, &s,
                               "SELECT seq, id, content_hash, created_at, form FROM "
                               "form_revisions WHERE id = ? AND posting_id = ?",
                               "tt", revision_id, posting_id);
    if (rc != OA_OK)
        return rc;
    rc = store_next(s);
    if (rc == OA_ROW) {
        read_revision(s, out);
        *form_json = store_dup(s, 4);
        rc = OA_OK;
    } else if (rc == OA_OK) {
        rc = OA_NOT_FOUND;
    }
    store_done(s);
    return rc;
}
