/* sites.c - career sites and job feeds (with the feed's import lease). */
#include <stdlib.h>
#include <string.h>

#include "store/entities.h"

#define SITE_COLS "seq, id, tenant, label, created_at"

static void read_site(oa_stmt *s, void *row)
{
    oa_site *o = row;
    o->seq = store_int(s, 0);
    store_copy(s, 1, o->id, sizeof o->id);
    o->tenant = store_dup(s, 2);
    o->label = store_dup(s, 3);
    o->created_at = store_int(s, 4);
}

static void read_feed(oa_stmt *s, void *row)
{
    oa_feed *o = row;
    o->seq = store_int(s, 0);
    store_copy(s, 1, o->id, sizeof o->id);
    o->tenant = store_dup(s, 2);
    o->label = store_dup(s, 3);
    o->created_at = store_int(s, 4);
}

static void clear_site(void *row)
{
    oa_site_clear(row);
}

static void clear_feed(void *row)
{
    oa_feed_clear(row);
}

oa_status store_site_insert(oa_tx *tx, oa_site *s, const char *connectors)
{
    oa_status rc =
        store_exec(tx,
                   "INSERT INTO career_sites (id, tenant, label, created_at, connectors) "
                   "VALUES (?, ?, ?, ?, ?)",
                   "tttit", s->id, s->tenant, s->label, s->created_at, connectors);
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
    return rc == OA_OK ? store_read_one(s, read_site, out) : rc;
}

oa_status store_site_connectors(oa_tx *tx, const char *tenant, const char *id, char **out)
{
    *out = NULL;
    oa_status rc =
        store_query_text(tx, out, "SELECT connectors FROM career_sites WHERE id = ? AND tenant = ?",
                         "tt", id, tenant);
    return rc == OA_NOT_FOUND ? OA_OK : rc;
}

oa_status store_site_find_label(oa_tx *tx, const char *tenant, const char *label, oa_site *out)
{
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s,
                    "SELECT " SITE_COLS " FROM career_sites WHERE tenant = ? AND label = ? "
                    "ORDER BY seq LIMIT 1",
                    "tt", tenant, label);
    return rc == OA_OK ? store_read_one(s, read_site, out) : rc;
}

void oa_site_list_free(oa_site *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oa_site_clear(&l[i]);
    free(l);
}

const char store_site_list_ids[] = "SELECT " SITE_COLS " FROM career_sites WHERE id IN (SELECT "
                                   "value FROM json_each(?3)) AND +tenant = ?1 AND +seq > ?2 "
                                   "ORDER BY seq LIMIT ?4";
const char store_site_list_all[] = "SELECT " SITE_COLS " FROM career_sites WHERE tenant = ?1 AND "
                                   "seq > ?2 AND CAST(?3 AS TEXT) IS NULL ORDER BY seq LIMIT ?4";

oa_status store_site_list(oa_tx *tx, const store_page *pg, oa_site **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc = store_query(tx, &s, pg->ids_json ? store_site_list_ids : store_site_list_all,
                               "titi", pg->tenant, pg->after, pg->ids_json, (int64_t)pg->limit);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_site, clear_site, out, n) : rc;
}

/* ---- feeds ---- */

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
    return rc == OA_OK ? store_read_one(s, read_feed, out) : rc;
}

void oa_feed_list_free(oa_feed *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oa_feed_clear(&l[i]);
    free(l);
}

const char store_feed_list_ids[] =
    "SELECT seq, id, tenant, label, created_at FROM job_feeds WHERE id IN (SELECT value FROM "
    "json_each(?3)) AND +tenant = ?1 AND +seq > ?2 ORDER BY seq LIMIT ?4";
const char store_feed_list_all[] =
    "SELECT seq, id, tenant, label, created_at FROM job_feeds WHERE tenant = ?1 AND seq > ?2 "
    "AND CAST(?3 AS TEXT) IS NULL ORDER BY seq LIMIT ?4";

oa_status store_feed_list(oa_tx *tx, const store_page *pg, oa_feed **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc = store_query(tx, &s, pg->ids_json ? store_feed_list_ids : store_feed_list_all,
                               "titi", pg->tenant, pg->after, pg->ids_json, (int64_t)pg->limit);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_feed, clear_feed, out, n) : rc;
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

oa_status store_feed_renew(oa_tx *tx, const char *feed_id, const char *token, int64_t until)
{
    int64_t changed = 0;
    oa_status rc = store_exec_n(tx, &changed,
                                "UPDATE job_feeds SET import_lease_until = ? "
                                "WHERE id = ? AND import_lease_token = ?",
                                "itt", until, feed_id, token);
    if (rc != OA_OK)
        return rc;
    return changed == 1 ? OA_OK : OA_CONFLICT;
}

oa_status store_feed_next_gen(oa_tx *tx, const char *feed_id, int64_t *gen)
{
    oa_status rc = store_exec(tx, "UPDATE job_feeds SET import_gen = import_gen + 1 WHERE id = ?",
                              "t", feed_id);
    if (rc != OA_OK)
        return rc;
    return store_query_int(tx, gen, "SELECT import_gen FROM job_feeds WHERE id = ?", "t", feed_id);
}

oa_status store_feed_unlock(oa_tx *tx, const char *feed_id, const char *token)
{
    return store_exec(tx,
                      "UPDATE job_feeds SET import_lease_until = NULL, import_lease_token = NULL "
                      "WHERE id = ? AND import_lease_token = ?",
                      "tt", feed_id, token);
}
