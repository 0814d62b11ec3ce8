/* postings.c - job postings (joined with their career site's label) and form revisions. */
#include <stdlib.h>
#include <string.h>

#include "store/entities.h"
#include "util/crypto.h"

#define POSTING_COLS                                                                               \
    "p.seq, p.id, p.tenant, p.career_site_id, s.label, p.job_feed_id, p.url, p.job_code, "         \
    "p.loc_country, p.loc_postal, p.availability, p.archived_reason, p.archived_at, "              \
    "p.revision_id, p.parse_failures, p.last_error, p.created_at, p.updated_at"
#define POSTING_FROM " FROM postings p JOIN career_sites s ON s.id = p.career_site_id "

void store_posting_identity(const char *tenant, const char *feed_id, const char *site_id,
                            const char *url, const char *job_code, char out[65])
{
    /* NUL-separated so that no two different tuples hash the same text. */
    const char *parts[] = {tenant, feed_id ? feed_id : "", site_id, url, job_code ? job_code : ""};
    size_t total = 0;
    for (size_t i = 0; i < OA_ARRAY_LEN(parts); i++)
        total += strlen(parts[i]) + 1;
    char *buf = xmalloc(total);
    size_t o = 0;
    for (size_t i = 0; i < OA_ARRAY_LEN(parts); i++) {
        size_t n = strlen(parts[i]) + 1;
        memcpy(buf + o, parts[i], n);
        o += n;
    }
    oa_sha256_hex(buf, total, out);
    free(buf);
}

static void read_posting(oa_stmt *s, void *row)
{
    oa_posting *p = row;
    p->seq = store_int(s, 0);
    store_copy(s, 1, p->id, sizeof p->id);
    p->tenant = store_dup(s, 2);
    store_copy(s, 3, p->site_id, sizeof p->site_id);
    p->site_label = store_dup(s, 4);
    p->job_feed_id = store_dup(s, 5);
    p->url = store_dup(s, 6);
    p->job_code = store_dup(s, 7);
    p->loc_country = store_dup(s, 8);
    p->loc_postal = store_dup(s, 9);
    if (!oa_availability_parse(store_text(s, 10), &p->state.av))
        p->state.av = OA_AV_PENDING;
    if (!oa_archive_reason_parse(store_text(s, 11), &p->state.reason))
        p->state.reason = OA_AR_NONE;
    p->archived_at = store_int(s, 12);
    p->revision_id = store_dup(s, 13);
    p->parse_failures = store_int(s, 14);
    p->last_error = store_dup(s, 15);
    p->created_at = store_int(s, 16);
    p->updated_at = store_int(s, 17);
}

static void clear_posting(void *row)
{
    oa_posting_clear(row);
}

oa_status store_posting_insert(oa_tx *tx, oa_posting *p, const char *identity)
{
    oa_status rc = store_exec(
        tx,
        "INSERT INTO postings (id, tenant, career_site_id, job_feed_id, url, job_code, "
        "identity_key, "
        "loc_country, loc_postal, availability, archived_reason, archived_at, revision_id, "
        "parse_failures, last_error, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "tttttttttttititii", p->id, p->tenant, p->site_id, p->job_feed_id, p->url, p->job_code,
        identity, p->loc_country, p->loc_postal, oa_availability_name(p->state.av),
        oa_archive_reason_name(p->state.reason), p->archived_at, p->revision_id, p->parse_failures,
        p->last_error, p->created_at, p->updated_at);
    if (rc != OA_OK)
        return rc;
    return store_query_int(tx, &p->seq, "SELECT seq FROM postings WHERE id = ?", "t", p->id);
}

oa_status store_posting_get(oa_tx *tx, const char *tenant, const char *id, oa_posting *out)
{
    oa_stmt *s;
    oa_status rc = store_query(tx, &s,
                               "SELECT " POSTING_COLS POSTING_FROM
                               "WHERE p.id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR p.tenant = ?2)",
                               "tt", id, tenant);
    return rc == OA_OK ? store_read_one(s, read_posting, out) : rc;
}

oa_status store_posting_find_identity(oa_tx *tx, const char *identity, oa_posting *out)
{
    oa_stmt *s;
    oa_status rc = store_query(
        tx, &s, "SELECT " POSTING_COLS POSTING_FROM "WHERE p.identity_key = ?", "t", identity);
    return rc == OA_OK ? store_read_one(s, read_posting, out) : rc;
}

oa_status store_posting_update(oa_tx *tx, const oa_posting *p)
{
    return store_exec(tx,
                      "UPDATE postings SET job_code = ?, loc_country = ?, loc_postal = ?, "
                      "availability = ?, archived_reason = ?, archived_at = ?, revision_id = ?, "
                      "parse_failures = ?, last_error = ?, updated_at = ? WHERE id = ?",
                      "tttttititit", p->job_code, p->loc_country, p->loc_postal,
                      oa_availability_name(p->state.av), oa_archive_reason_name(p->state.reason),
                      p->archived_at, p->revision_id, p->parse_failures, p->last_error,
                      p->updated_at, p->id);
}

void oa_posting_list_free(oa_posting *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oa_posting_clear(&l[i]);
    free(l);
}

/* Parameters: ?1 tenant, ?2 after, ?3 ids, ?4 career sites, ?5 job codes, ?6 limit, ?7 the
 * search's LIKE pattern, ?8 the search text, ?9 to ?12 availabilities (store_page.states). */
#define PL_IDS "(CAST(?3 AS TEXT) IS NULL OR p.id IN (SELECT value FROM json_each(?3)))"
#define PL_SITES                                                                                   \
    "(CAST(?4 AS TEXT) IS NULL OR p.career_site_id IN (SELECT value FROM json_each(?4)))"
#define PL_CODES "(CAST(?5 AS TEXT) IS NULL OR p.job_code IN (SELECT value FROM json_each(?5)))"
#define PL_AV    "(CAST(?9 AS TEXT) IS NULL OR p.availability IN (?9, ?10, ?11, ?12))"
/* The search: the URL contains the text (ASCII case-insensitive) or the job code is the text.
 * No btree serves a substring: it is a residual condition on the rows the driving index
 * yields in seq order, read until a page of matches (or the end). */
#define PL_SEARCH_OF(t)                                                                            \
    "(CAST(?7 AS TEXT) IS NULL OR LOWER(" t ".url) LIKE ?7 ESCAPE '\\' OR " t ".job_code = ?8)"
#define PL_SEARCH PL_SEARCH_OF("p")
#define PL_REST   " AND " PL_AV " AND " PL_SEARCH
#define PL_TAIL   " ORDER BY p.seq LIMIT ?6"
const char store_posting_list_ids[] =
    "SELECT " POSTING_COLS POSTING_FROM "WHERE p.id IN (SELECT value FROM json_each(?3)) "
    "AND +p.tenant = ?1 AND +p.seq > ?2 AND " PL_SITES " AND " PL_CODES PL_REST PL_TAIL;
const char store_posting_list_sites[] =
    "SELECT " POSTING_COLS POSTING_FROM "WHERE p.career_site_id IN (SELECT value FROM "
    "json_each(?4)) AND +p.tenant = ?1 AND p.seq > ?2 AND " PL_IDS " AND " PL_CODES PL_REST PL_TAIL;
const char store_posting_list_codes[] =
    "SELECT " POSTING_COLS POSTING_FROM "WHERE (p.tenant, p.job_code) IN (SELECT ?1, value FROM "
    "json_each(?5)) AND +p.seq > ?2 AND " PL_IDS " AND " PL_SITES PL_REST PL_TAIL;
/* By availability: one range of postings_availability (tenant, availability, seq) per value
 * listed, each read in seq order up to a page of matches, merged by seq. A slot left NULL
 * finds nothing. Reads at most STORE_ENUM_MAX pages of rows whatever the table holds. */
#define PL_PICK(n)                                                                                 \
    "SELECT seq FROM (SELECT q.seq FROM postings q WHERE q.tenant = ?1 AND q.availability = ?" n   \
    " AND q.seq > ?2 AND " PL_SEARCH_OF("q") " ORDER BY q.seq LIMIT ?6) AS pick" n
#define PL_PICKS                                                                                   \
    PL_PICK("9")                                                                                   \
    " UNION ALL " PL_PICK("10") " UNION ALL " /* one per STORE_ENUM_MAX slot */                    \
        PL_PICK("11") " UNION ALL " PL_PICK("12")
#define PL_NO_IDS                                                                                  \
    "CAST(?3 AS TEXT) IS NULL AND CAST(?4 AS TEXT) IS NULL AND CAST(?5 AS TEXT) IS NULL"
const char store_posting_list_availability[] =
    "SELECT " POSTING_COLS POSTING_FROM "WHERE p.seq IN (" PL_PICKS ") AND +p.tenant = ?1 "
    "AND " PL_NO_IDS PL_TAIL;
const char store_posting_list_all[] =
    "SELECT " POSTING_COLS POSTING_FROM "WHERE p.tenant = ?1 AND p.seq > ?2 AND " PL_IDS
    " AND " PL_SITES " AND " PL_CODES PL_REST PL_TAIL;

oa_status store_posting_list(oa_tx *tx, const store_page *pg, oa_posting **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    /* Driven by the most selective filter given (see store/plans.h). */
    const char *sql = pg->ids_json         ? store_posting_list_ids
                      : pg->parent_json    ? store_posting_list_sites
                      : pg->job_codes_json ? store_posting_list_codes
                      : pg->states[0]      ? store_posting_list_availability
                                           : store_posting_list_all;
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s, sql, "titttitttttt", pg->tenant, pg->after, pg->ids_json,
                    pg->parent_json, pg->job_codes_json, (int64_t)pg->limit, pg->search_like,
                    pg->search, pg->states[0], pg->states[1], pg->states[2], pg->states[3]);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_posting, clear_posting, out, n) : rc;
}

oa_status store_posting_stamp(oa_tx *tx, const char *id, int64_t gen)
{
    return store_exec(tx, "UPDATE postings SET import_gen = ? WHERE id = ?", "it", gen, id);
}

oa_status store_posting_feed_unstamped(oa_tx *tx, const char *feed_id, int64_t gen, int limit,
                                       char ***ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    oa_stmt *s;
    /* The availability term is the partial index's condition (postings_feed_unstamped): the
     * scan visits only what is left to archive. */
    oa_status rc = store_query(tx, &s,
                               "SELECT id FROM postings WHERE job_feed_id = ?1 "
                               "AND availability <> 'ARCHIVED' AND import_gen < ?2 LIMIT ?3",
                               "tii", feed_id, gen, (int64_t)limit);
    return rc == OA_OK ? store_read_ids(s, ids, n) : rc;
}

oa_status store_revision_insert(oa_tx *tx, const char *id, const char *posting_id, const char *hash,
                                const char *form_json, int64_t now)
{
    return store_exec(tx,
                      "INSERT INTO form_revisions (id, posting_id, content_hash, form, created_at) "
                      "VALUES (?, ?, ?, ?, ?)",
                      "tttti", id, posting_id, hash, form_json, now);
}

oa_status store_revision_get(oa_tx *tx, const char *id, char **form_json, char hash[65])
{
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s, "SELECT form, content_hash FROM form_revisions WHERE id = ?", "t", id);
    if (rc != OA_OK)
        return rc;
    rc = store_next(s);
    if (rc == OA_ROW) {
        *form_json = store_dup(s, 0);
        if (hash)
            store_copy(s, 1, hash, 65);
        rc = OA_OK;
    } else if (rc == OA_OK) {
        rc = OA_NOT_FOUND;
    }
    store_done(s);
    return rc;
}
