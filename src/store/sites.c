/* sites.c - career sites and job feeds (with the feed's import lease). */
#include <stdlib.h>
#include <string.h>

#include "store/entities.h"

#define SITE_COLS "seq, id, tenant, label, created_at"

static void read_site(oa_stmt *s, oa_site *o)
{
    o->seq = store_int(s, 0);
    store_copy(s, 1, o->id, sizeof o->id);
    o->tenant = store_dup(s, 2);
    o->label = store_dup(s, 3);
    o->created_at = store_int(s, 4);
}

static oa_status one_site(oa_stmt *s, oa_site *out)
{
    oa_status rc = store_next(s);
    if (rc == OA_ROW) {
        read_site(s, out);
        rc = OA_OK;
    } else if (rc == OA_OK) {
        rc = OA_NOT_FOUND;
    }
    store_done(s);
    return rc;
}

oa_status store_site_insert(oa_tx *tx, oa_site *s)
{
    oa_status rc = store_exec(
        tx, "INSERT INTO career_sites (id, tenant, label, created_at) VALUES (?, ?, ?, ?)", "ttti",
        s->id, s->tenant, s->label, s->created_at);
    if (rc != OA_OK)
        return rc;
    return store_query_int(tx, &s->seq, "SELECT seq FROM career_sites WHERE id = ?", "t", s->id);
}

oa_status store_site_get(oa_tx *tx, const char *tenant, const char *id, oa_site *out)
{
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s, "SELECT " SITE_COLS " FROM career_sites WHERE id = ? AND tenant = ?",
                    "tt", id, tenant);
    return rc == OA_OK ? one_site(s, out) : rc;
}

oa_status store_site_find_label(oa_tx *tx, const char *tenant, const char *label, oa_site *out)
{
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s,
                    "SELECT " SITE_COLS " FROM career_sites WHERE tenant = ? AND label = ? "
                    "ORDER BY seq LIMIT 1",
                    "tt", tenant, label);
    return rc == OA_OK ? one_site(s, out) : rc;
}

void oa_site_list_free(oa_site *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oa_site_clear(&l[i]);
    free(l);
}

oa_status store_site_list(oa_tx *tx, const store_page *pg, oa_site **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s,
                    "SELECT " SITE_COLS " FROM career_sites WHERE tenant = ?1 AND seq > ?2 "
                    "AND (CAST(?3 AS TEXT) IS NULL OR id IN (SELECT value FROM json_each(?3))) "
                    "ORDER BY seq LIMIT ?4",
                    "titi", pg->tenant, pg->after, pg->ids_json, (int64_t)pg->limit);
    if (rc != OA_OK)
        return rc;
    while ((rc = store_next(s)) == OA_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        memset(&(*out)[*n], 0, sizeof **out);
        read_site(s, &(*out)[(*n)++]);
    }
    store_done(s);
    if (rc != OA_OK) {
        oa_site_list_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- feeds ---- */

static void read_feed(oa_stmt *s, oa_feed *o)
{
    o->seq = store_int(s, 0);
    store_copy(s, 1, o->id, sizeof o->id);
    o->tenant = store_dup(s, 2);
    o->label = store_dup(s, 3);
    o->created_at = store_int(s, 4);
}

oa_status store_feed_insert(oa_tx *tx, oa_feed *f)
{
    oa_status rc =
        store_exec(tx, "INSERT INTO job_feeds (id, tenant, label, created_at) VALUES (?, ?, ?, ?)",
                   "ttti", f->id, f->tenant, f->label, f->created_at);
    if (rc != OA_OK)
        return rc;
    return store_query_int(tx, &f->seq, "SELECT seq FROM job_feeds WHERE id = ?", "t", f->id);
}

oa_status store_feed_get(oa_tx *tx, const char *tenant, const char *id, oa_feed *out)
{
    oa_stmt *s;
    oa_status rc = store_query(tx, &s,
                               "SELECT seq, id, tenant, label, created_at FROM job_feeds "
                               "WHERE id = ? AND tenant = ?",
                               "tt", id, tenant);
    if (rc != OA_OK)
        return rc;
    rc = store_next(s);
    if (rc == OA_ROW) {
        read_feed(s, out);
        rc = OA_OK;
    } else if (rc == OA_OK) {
        rc = OA_NOT_FOUND;
    }
    store_done(s);
    return rc;
}

void oa_feed_list_free(oa_feed *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oa_feed_clear(&l[i]);
    free(l);
}

oa_status store_feed_list(oa_tx *tx, const store_page *pg, oa_feed **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s,
                    "SELECT seq, id, tenant, label, created_at FROM job_feeds "
                    "WHERE tenant = ?1 AND seq > ?2 "
                    "AND (CAST(?3 AS TEXT) IS NULL OR id IN (SELECT value FROM json_each(?3))) "
                    "ORDER BY seq LIMIT ?4",
                    "titi", pg->tenant, pg->after, pg->ids_json, (int64_t)pg->limit);
    if (rc != OA_OK)
        return rc;
    while ((rc = store_next(s)) == OA_ROW) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        memset(&(*out)[*n], 0, sizeof **out);
        read_feed(s, &(*out)[(*n)++]);
    }
    store_done(s);
    if (rc != OA_OK) {
        oa_feed_list_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

oa_status store_feed_lock(oa_tx *tx, const char *feed_id, const char *token, int64_t now,
                          int64_t until)
{
    int64_t changed = 0;
    oa_status rc =
        store_exec_n(tx, &changed,
                     "UPDATE job_feeds SET import_lease_until = ?, import_lease_token = ? "
                     "WHERE id = ? AND (import_lease_until IS NULL OR import_lease_until < ?)",
                     "itti", until, token, feed_id, now);
    if (rc != OA_OK)
        return rc;
    return changed == 1 ? OA_OK : OA_CONFLICT;
}

oa_status store_feed_unlock(oa_tx *tx, const char *feed_id, const char *token)
{
    return store_exec(tx,
                      "UPDATE job_feeds SET import_lease_until = NULL, import_lease_token = NULL "
                      "WHERE id = ? AND import_lease_token = ?",
                      "tt", feed_id, token);
}
