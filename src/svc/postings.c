/* postings.c - posting use cases: submit, archive, parse results and feed imports. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "svc/internal.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"

/* ---- submit ---- */

struct submit_ctx {
    svc *s;
    const char *tenant;
    const char *feed_id;
    const char *site_id; /* resolved site */
    const char *site_label;
    const char *url;
    const char *job_code;
    svc_loc_op loc_op;
    const char *loc_country;
    const char *loc_postal;
    oa_posting *out;
    bool created;
};

static void set_location(oa_posting *p, svc_loc_op op, const char *country, const char *postal)
{
    if (op == SVC_LOC_KEEP)
        return;
    free(p->loc_country);
    free(p->loc_postal);
    p->loc_country = op == SVC_LOC_SET && country ? xstrdup(country) : NULL;
    p->loc_postal = op == SVC_LOC_SET && postal ? xstrdup(postal) : NULL;
}

static bool loc_differs(const oa_posting *p, svc_loc_op op, const char *country, const char *postal)
{
    if (op == SVC_LOC_KEEP)
        return false;
    const char *c = op == SVC_LOC_SET ? country : NULL;
    const char *z = op == SVC_LOC_SET ? postal : NULL;
    bool a = (p->loc_country == NULL) != (c == NULL) || (c && strcmp(c, p->loc_country) != 0);
    bool b = (p->loc_postal == NULL) != (z == NULL) || (z && strcmp(z, p->loc_postal) != 0);
    return a || b;
}

/* Creates or resubmits one posting inside tx. */
static oa_status submit_one(oa_tx *tx, struct submit_ctx *c, int64_t now)
{
    char identity[65];
    /* An empty job code is no job code: one posting either way. */
    if (c->job_code && !*c->job_code)
        c->job_code = NULL;
    store_posting_identity(c->tenant, c->feed_id, c->site_id, c->url, c->job_code, identity);
    oa_posting *p = c->out;
    oa_posting_clear(p);
    oa_status rc = store_posting_find_identity(tx, identity, p);
    if (rc == OA_OK) {
        c->created = false;
        bool loc = loc_differs(p, c->loc_op, c->loc_country, c->loc_postal);
        set_location(p, c->loc_op, c->loc_country, c->loc_postal);
        oa_posting_effect e = core_posting_step(p->state, OA_PI_RESUBMITTED);
        if (!e.changed && !loc && !e.parse_now)
            return OA_OK;
        if (loc)
            p->updated_at = now;
        if (e.changed || e.parse_now) {
            p->parse_failures = 0;
            oa_log(OA_LOG_INFO, "posting.resubmitted", "tenant=%s posting_id=%s availability=%s",
                   p->tenant, p->id, oa_availability_name(p->state.av));
        }
        return svc__posting_effect(c->s, tx, p, &e, NULL, now);
    }
    if (rc != OA_NOT_FOUND)
        return rc;
    c->created = true;
    oa_id_new(p->id);
    p->tenant = xstrdup(c->tenant);
    memcpy(p->site_id, c->site_id, OA_ID_SIZE);
    p->site_label = xstrdup(c->site_label);
    p->job_feed_id = c->feed_id ? xstrdup(c->feed_id) : NULL;
    p->url = xstrdup(c->url);
    p->job_code = c->job_code ? xstrdup(c->job_code) : NULL;
    set_location(p, c->loc_op, c->loc_country, c->loc_postal);
    p->state.av = OA_AV_PENDING;
    p->created_at = p->updated_at = now;
    rc = store_posting_insert(tx, p, identity);
    if (rc == OA_OK)
        rc = svc__job_put(c->s, tx, "parse", p->id, p->tenant, now, true);
    return rc;
}

static oa_status submit_tx(oa_tx *tx, void *arg)
{
    struct submit_ctx *c = arg;
    oa_site site = {0};
    oa_status rc = store_site_get(tx, c->tenant, c->site_id, &site);
    if (rc == OA_OK) {
        c->site_label = site.label;
        rc = submit_one(tx, c, oa_now_ms());
        c->site_label = NULL;
    }
    oa_site_clear(&site);
    return rc;
}

oa_status svc_posting_submit(svc *s, const char *tenant, const svc_posting_req *req,
                             oa_posting *out, bool *created)
{
    memset(out, 0, sizeof *out);
    struct submit_ctx c = {.s = s,
                           .tenant = tenant,
                           .site_id = req->site_id,
                           .url = req->url,
                           .job_code = req->job_code,
                           .loc_op = req->loc_op,
                           .loc_country = req->loc_country,
                           .loc_postal = req->loc_postal,
                           .out = out};
    oa_status rc = store_transact(s->store, STORE_WRITE, submit_tx, &c);
    *created = c.created;
    if (rc == OA_OK && c.created)
        oa_log(OA_LOG_INFO, "posting.created", "tenant=%s posting_id=%s career_site_id=%s", tenant,
               out->id, out->site_id);
    return rc;
}

/* ---- archive ---- */

struct archive_ctx {
    svc *s;
    const char *tenant;
    const char *id;
    oa_posting *out;
};

static oa_status archive_tx(oa_tx *tx, void *arg)
{
    struct archive_ctx *c = arg;
    oa_posting_clear(c->out);
    oa_status rc = store_posting_get(tx, c->tenant, c->id, c->out);
    if (rc != OA_OK)
        return rc;
    oa_posting_effect e = core_posting_step(c->out->state, OA_PI_ARCHIVE_MANUAL);
    if (e.drop)
        return OA_OK;
    return svc__posting_effect(c->s, tx, c->out, &e, NULL, oa_now_ms());
}

oa_status svc_posting_archive(svc *s, const char *tenant, const char *id, oa_posting *out)
{
    memset(out, 0, sizeof *out);
    struct archive_ctx c = {s, tenant, id, out};
    return store_transact(s->store, STORE_WRITE, archive_tx, &c);
}

/* ---- parse results ---- */

struct parse_ctx {
    svc *s;
    const store_job *j;
    svc_parse_kind kind;
    oa_form *form;
    const char *reason;
    const char *form_json; /* serialised once, outside the transaction */
    const char *hash;
    bool dropped;
    bool new_revision;
};

static oa_status parse_tx(oa_tx *tx, void *arg)
{
    struct parse_ctx *c = arg;
    bool owned = false;
    oa_status rc = store_job_owned(tx, c->j, &owned);
    if (rc != OA_OK)
        return rc;
    if (!owned) { /* cancelled (archived) or re-leased after our lease ran out */
        c->dropped = true;
        return OA_OK;
    }
    oa_posting p = {0};
    rc = store_posting_get(tx, NULL, c->j->ref_id, &p);
    if (rc == OA_NOT_FOUND) {
        c->dropped = true;
        rc = store_job_finish(tx, c->j);
        goto out;
    }
    if (rc != OA_OK)
        goto out;
    int64_t now = oa_now_ms();
    oa_posting_input in = c->kind == SVC_PARSE_OK        ? OA_PI_PARSE_OK
                          : c->kind == SVC_PARSE_OFFLINE ? OA_PI_TAKEN_OFFLINE
                                                         : OA_PI_PARSE_FAILED;
    oa_posting_effect e = core_posting_step(p.state, in);
    c->dropped = e.drop;
    c->new_revision = false;
    if (!e.drop) {
        if (in == OA_PI_PARSE_OK) {
            p.parse_failures = 0;
            free(p.last_error);
            p.last_error = NULL;
        } else if (in == OA_PI_PARSE_FAILED) {
            p.parse_failures++;
            free(p.last_error);
            p.last_error = c->reason ? xstrndup(c->reason, 500) : NULL;
        }
    }
    if (e.store_revision) {
        char cur_hash[65] = "";
        char *cur_json = NULL;
        if (p.revision_id) {
            rc = store_revision_get(tx, p.revision_id, &cur_json, cur_hash);
            free(cur_json);
            if (rc != OA_OK && rc != OA_NOT_FOUND)
                goto out;
        }
        if (!p.revision_id || strcmp(cur_hash, c->hash) != 0) {
            char rid[OA_ID_SIZE];
            oa_id_new(rid);
            rc = store_revision_insert(tx, rid, p.id, c->hash, c->form_json, now);
            if (rc != OA_OK)
                goto out;
            free(p.revision_id);
            p.revision_id = xstrdup(rid);
            c->new_revision = true;
            p.updated_at = now;
        }
    }
    rc = svc__posting_effect(c->s, tx, &p, &e, c->j, now);
out:
    oa_posting_clear(&p);
    return rc;
}

oa_status svc_parse_result(svc *s, const store_job *j, svc_parse_kind kind, oa_form *form,
                           const char *reason)
{
    struct parse_ctx c = {s, j, kind, form, reason, NULL, NULL, false, false};
    char *json = NULL;
    char hash[65];
    if (kind == SVC_PARSE_OK) {
        oa_form_assign_ids(form, j->ref_id);
        json_t *fj = oa_form_to_json(form, OA_FORM_INTERNAL);
        json = json_dumps(fj, JSON_COMPACT);
        json_decref(fj);
        oa_form_hash(form, hash);
        c.form_json = json;
        c.hash = hash;
    }
    oa_status rc = store_transact(s->store, STORE_WRITE, parse_tx, &c);
    free(json);
    char q[OA_LOGQ_SIZE];
    if (rc == OA_OK)
        oa_log(OA_LOG_INFO, "posting.parsed",
               "tenant=%s posting_id=%s result=%s dropped=%d new_revision=%d reason=%s", j->tenant,
               j->ref_id,
               kind == SVC_PARSE_OK        ? "form"
               : kind == SVC_PARSE_OFFLINE ? "offline"
                                           : "failed",
               c.dropped ? 1 : 0, c.new_revision ? 1 : 0,
               oa_logq(q, sizeof q, reason ? reason : "-"));
    return rc;
}

/* ---- feed import ---- */

/* The feed's import lease: renewed by every chunk, so it runs out this long after the last
 * chunk of a crashed import. */
#define IMPORT_LEASE_MS ((int64_t)6 * 60 * 1000)
/* The pause between two chunks. The store's writer lock is a plain mutex, not a queue: released
 * and taken again at once, it stays with the importer while a waiting writer is still waking
 * up (measured: a writer waited up to 2.5 s during a 20,000-line import without the pause; with
 * it, at most about one chunk). */
#define IMPORT_PAUSE_US 500

typedef struct {
    char *label;
    oa_site site;
    bool pending; /* inserted by the chunk being written: gone if it rolls back */
} site_cache_entry;

struct import_ctx {
    svc *s;
    const char *tenant;
    const char *feed_id;
    const char *token; /* the feed's import lease */
    int64_t gen;       /* this import's stamp */
    const svc_import_line *lines;
    size_t n;
    size_t next; /* first line not committed yet */
    site_cache_entry *cache;
    size_t nc;
    svc_import_counts counts; /* committed */
    /* The chunk being written; added to counts once it commits. */
    int64_t chunk_processed, chunk_created, chunk_archived;
    bool sweep_more;
    int64_t tx_start;  /* monotonic ms when the chunk's transaction began */
    int64_t budget_ms; /* a chunk takes no more work once it has run this long */
};

static void site_cache_entry_free(site_cache_entry *e)
{
    free(e->label);
    oa_site_clear(&e->site);
}

/* Drops the sites a rolled-back attempt inserted (store_transact may run a chunk again). */
static void site_cache_rollback(struct import_ctx *c)
{
    size_t k = 0;
    for (size_t i = 0; i < c->nc; i++) {
        if (c->cache[i].pending)
            site_cache_entry_free(&c->cache[i]);
        else
            c->cache[k++] = c->cache[i];
    }
    c->nc = k;
}

static void site_cache_commit(struct import_ctx *c)
{
    for (size_t i = 0; i < c->nc; i++)
        c->cache[i].pending = false;
}

static oa_status site_for_label(oa_tx *tx, struct import_ctx *c, const char *label,
                                const oa_site **out)
{
    for (size_t i = 0; i < c->nc; i++) {
        if (strcmp(c->cache[i].label, label) == 0) {
            *out = &c->cache[i].site;
            return OA_OK;
        }
    }
    c->cache = xrealloc(c->cache, (c->nc + 1) * sizeof *c->cache);
    site_cache_entry *e = &c->cache[c->nc];
    memset(e, 0, sizeof *e);
    e->label = xstrdup(label);
    c->nc++;
    oa_status rc = store_site_find_label(tx, c->tenant, label, &e->site);
    if (rc == OA_NOT_FOUND) {
        memset(&e->site, 0, sizeof e->site);
        oa_id_new(e->site.id);
        e->site.tenant = xstrdup(c->tenant);
        e->site.label = xstrdup(label);
        e->site.created_at = oa_now_ms();
        e->pending = true;
        rc = store_site_insert(tx, &e->site, NULL);
    }
    *out = &e->site;
    return rc;
}

/* Starts a chunk's transaction: forgets what an earlier attempt of it did and renews the
 * feed's lease (OA_CONFLICT when another import has taken it: nothing of the chunk commits). */
static oa_status chunk_begin(oa_tx *tx, struct import_ctx *c, int64_t now)
{
    c->tx_start = oa_mono_ms();
    c->chunk_processed = c->chunk_created = c->chunk_archived = 0;
    c->sweep_more = false;
    site_cache_rollback(c);
    oa_status rc = store_feed_renew(tx, c->feed_id, c->token, now + IMPORT_LEASE_MS);
    if (rc == OA_CONFLICT)
        c->counts.lease_lost = true;
    return rc;
}

/* Whether the chunk, having done some work, has used its time. */
static bool chunk_full(const struct import_ctx *c, int64_t done)
{
    return done > 0 && oa_mono_ms() - c->tx_start >= c->budget_ms;
}

/* The next chunk of lines from c->next: each posting created or updated, and stamped as
 * listed. */
static oa_status lines_tx(oa_tx *tx, void *arg)
{
    struct import_ctx *c = arg;
    int64_t now = oa_now_ms();
    oa_status rc = chunk_begin(tx, c, now);
    oa_posting p = {0};
    for (size_t i = c->next; rc == OA_OK && i < c->n && c->chunk_processed < SVC_IMPORT_CHUNK &&
                             !chunk_full(c, c->chunk_processed);
         i++) {
        const svc_import_line *l = &c->lines[i];
        const oa_site *site = NULL;
        rc = site_for_label(tx, c, l->site_label, &site);
        if (rc != OA_OK)
            break;
        struct submit_ctx sc = {.s = c->s,
                                .tenant = c->tenant,
                                .feed_id = c->feed_id,
                                .site_id = site->id,
                                .site_label = site->label,
                                .url = l->url,
                                .job_code = l->job_code,
                                .loc_op = l->loc_op,
                                .loc_country = l->loc_country,
                                .loc_postal = l->loc_postal,
                                .out = &p};
        rc = submit_one(tx, &sc, now);
        if (rc == OA_OK)
            rc = store_posting_stamp(tx, p.id, c->gen);
        if (rc != OA_OK)
            break;
        c->chunk_processed++;
        if (sc.created)
            c->chunk_created++;
    }
    oa_posting_clear(&p);
    return rc;
}

/* Archives up to SVC_SWEEP_CHUNK of the feed's live postings this import did not stamp (those
 * left when the time is up stay unstamped: the next chunk finds them). */
static oa_status sweep_tx(oa_tx *tx, void *arg)
{
    struct import_ctx *c = arg;
    int64_t now = oa_now_ms();
    oa_status rc = chunk_begin(tx, c, now);
    if (rc != OA_OK)
        return rc;
    char **ids = NULL;
    size_t n = 0;
    rc = store_posting_feed_unstamped(tx, c->feed_id, c->gen, SVC_SWEEP_CHUNK, &ids, &n);
    oa_posting p = {0};
    size_t i = 0;
    for (; rc == OA_OK && i < n && !chunk_full(c, (int64_t)i); i++) {
        oa_posting_clear(&p);
        rc = store_posting_get(tx, NULL, ids[i], &p);
        if (rc != OA_OK)
            break;
        oa_posting_effect e = core_posting_step(p.state, OA_PI_REMOVED_FROM_FEED);
        if (e.drop) { /* not selected unless live; stamped anyway so the sweep cannot loop */
            rc = store_posting_stamp(tx, p.id, c->gen);
            continue;
        }
        rc = svc__posting_effect(c->s, tx, &p, &e, NULL, now);
        if (rc == OA_OK)
            c->chunk_archived++;
    }
    oa_posting_clear(&p);
    c->sweep_more = rc == OA_OK && (n == SVC_SWEEP_CHUNK || i < n);
    store_ids_free(ids, n);
    return rc;
}

/* Runs one chunk in its own write transaction and, once it committed, counts it. */
static oa_status import_chunk(struct import_ctx *c, oa_status (*fn)(oa_tx *tx, void *ctx))
{
    if (c->counts.chunks > 0) {
        struct timespec ts = {0, IMPORT_PAUSE_US * 1000L};
        nanosleep(&ts, NULL);
    }
    oa_status rc = store_transact(c->s->store, STORE_WRITE, fn, c);
    if (rc != OA_OK) {
        site_cache_rollback(c);
        return rc;
    }
    int64_t held = oa_mono_ms() - c->tx_start;
    if (held > c->counts.max_tx_ms)
        c->counts.max_tx_ms = held;
    c->counts.chunks++;
    site_cache_commit(c);
    c->counts.processed += c->chunk_processed;
    c->counts.created += c->chunk_created;
    c->counts.archived += c->chunk_archived;
    return OA_OK;
}

/* Every line, a chunk at a time, then (only when all committed) archive-missing. */
static oa_status import_run(struct import_ctx *c)
{
    oa_status rc = OA_OK;
    while (rc == OA_OK && c->next < c->n) {
        rc = import_chunk(c, lines_tx);
        if (rc == OA_OK)
            c->next += (size_t)c->chunk_processed;
    }
    if (rc != OA_OK)
        return rc;
    c->counts.sweep_ran = true;
    do {
        rc = import_chunk(c, sweep_tx);
    } while (rc == OA_OK && c->sweep_more);
    return rc;
}

struct lock_ctx {
    const char *tenant;
    const char *feed_id;
    const char *token;
    bool unlock;
    int64_t gen; /* out: the import's generation */
};

static oa_status lock_tx(oa_tx *tx, void *arg)
{
    struct lock_ctx *c = arg;
    if (c->unlock)
        return store_feed_unlock(tx, c->feed_id, c->token);
    oa_feed f = {0};
    oa_status rc = store_feed_get(tx, c->tenant, c->feed_id, &f);
    oa_feed_clear(&f);
    if (rc != OA_OK)
        return rc;
    int64_t now = oa_now_ms();
    rc = store_feed_lock(tx, c->feed_id, c->token, now, now + IMPORT_LEASE_MS);
    if (rc == OA_OK)
        rc = store_feed_next_gen(tx, c->feed_id, &c->gen);
    return rc;
}

/* Feeds being imported by this process. The store's lease makes imports exclusive across
 * nodes; this registry answers a second import in this process at once, without a write
 * transaction of its own. */
static pthread_mutex_t g_import_mu = PTHREAD_MUTEX_INITIALIZER;
static char g_importing[64][OA_ID_SIZE];

static bool import_begin(const char *feed_id)
{
    bool ok = false;
    pthread_mutex_lock(&g_import_mu);
    int free_slot = -1;
    bool busy = false;
    for (int i = 0; i < 64; i++) {
        if (!g_importing[i][0] && free_slot < 0)
            free_slot = i;
        else if (strcmp(g_importing[i], feed_id) == 0)
            busy = true;
    }
    if (!busy && free_slot >= 0) {
        snprintf(g_importing[free_slot], OA_ID_SIZE, "%s", feed_id);
        ok = true;
    }
    pthread_mutex_unlock(&g_import_mu);
    return ok;
}

static void import_end(const char *feed_id)
{
    pthread_mutex_lock(&g_import_mu);
    for (int i = 0; i < 64; i++)
        if (strcmp(g_importing[i], feed_id) == 0)
            g_importing[i][0] = '\0';
    pthread_mutex_unlock(&g_import_mu);
}

oa_status svc_feed_import(svc *s, const char *tenant, const char *feed_id,
                          const svc_import_line *lines, size_t n, svc_import_counts *out)
{
    memset(out, 0, sizeof *out);
    out->lines = (int64_t)n;
    if (strlen(feed_id) != OA_ID_LEN)
        return OA_NOT_FOUND;
    if (!import_begin(feed_id))
        return OA_CONFLICT;
    char token[OA_ID_SIZE];
    oa_id_new(token);
    struct lock_ctx lc = {tenant, feed_id, token, false, 0};
    oa_status rc = store_transact(s->store, STORE_WRITE, lock_tx, &lc);
    if (rc != OA_OK) {
        import_end(feed_id);
        return rc;
    }
    int64_t t0 = oa_mono_ms();
    struct import_ctx c = {.s = s,
                           .tenant = tenant,
                           .feed_id = feed_id,
                           .token = token,
                           .gen = lc.gen,
                           .lines = lines,
                           .n = n,
                           .counts = *out,
                           .budget_ms =
                               s->import_chunk_ms > 0 ? s->import_chunk_ms : SVC_IMPORT_CHUNK_MS};
    c.counts.started = true;
    rc = import_run(&c);
    for (size_t i = 0; i < c.nc; i++)
        site_cache_entry_free(&c.cache[i]);
    free(c.cache);
    lc.unlock = true;
    oa_status urc = store_transact(s->store, STORE_WRITE, lock_tx, &lc);
    if (urc != OA_OK)
        oa_log(OA_LOG_WARN, "job_feed.unlock_failed", "job_feed_id=%s", feed_id);
    import_end(feed_id);
    *out = c.counts;
    const svc_import_counts *k = &c.counts;
    if (rc == OA_OK)
        oa_log(OA_LOG_INFO, "job_feed.imported",
               "tenant=%s job_feed_id=%s processed=%lld created=%lld archived=%lld chunks=%lld "
               "max_tx_ms=%lld ms=%lld",
               tenant, feed_id, (long long)k->processed, (long long)k->created,
               (long long)k->archived, (long long)k->chunks, (long long)k->max_tx_ms,
               (long long)(oa_mono_ms() - t0));
    else
        oa_log(OA_LOG_WARN, "job_feed.import_failed",
               "tenant=%s job_feed_id=%s lines=%lld processed=%lld created=%lld archived=%lld "
               "archive_missing=%s lease_lost=%d status=%s chunks=%lld ms=%lld",
               tenant, feed_id, (long long)k->lines, (long long)k->processed, (long long)k->created,
               (long long)k->archived, k->sweep_ran ? "stopped" : "not_run", k->lease_lost ? 1 : 0,
               oa_status_str(rc), (long long)k->chunks, (long long)(oa_mono_ms() - t0));
    return rc;
}
