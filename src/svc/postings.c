/* postings.c - posting use cases: submit, archive, parse results and feed imports. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

typedef struct {
    char *label;
    oa_site site;
} site_cache_entry;

struct import_ctx {
    svc *s;
    const char *tenant;
    const char *feed_id;
    const svc_import_line *lines;
    size_t n;
    svc_import_counts counts;
};

static oa_status site_for_label(oa_tx *tx, struct import_ctx *c, site_cache_entry **cache,
                                size_t *nc, const char *label, const oa_site **out)
{
    for (size_t i = 0; i < *nc; i++) {
        if (strcmp((*cache)[i].label, label) == 0) {
            *out = &(*cache)[i].site;
            return OA_OK;
        }
    }
    *cache = xrealloc(*cache, (*nc + 1) * sizeof **cache);
    site_cache_entry *e = &(*cache)[*nc];
    memset(e, 0, sizeof *e);
    e->label = xstrdup(label);
    (*nc)++;
    oa_status rc = store_site_find_label(tx, c->tenant, label, &e->site);
    if (rc == OA_NOT_FOUND) {
        memset(&e->site, 0, sizeof e->site);
        oa_id_new(e->site.id);
        e->site.tenant = xstrdup(c->tenant);
        e->site.label = xstrdup(label);
        e->site.created_at = oa_now_ms();
        rc = store_site_insert(tx, &e->site);
    }
    *out = &e->site;
    return rc;
}

static oa_status import_tx(oa_tx *tx, void *arg)
{
    struct import_ctx *c = arg;
    memset(&c->counts, 0, sizeof c->counts);
    site_cache_entry *cache = NULL;
    size_t nc = 0;
    json_t *keep = json_array();
    char **missing = NULL;
    size_t n_missing = 0;
    oa_posting p = {0};
    int64_t now = oa_now_ms();
    oa_status rc = OA_OK;
    for (size_t i = 0; i < c->n && rc == OA_OK; i++) {
        const svc_import_line *l = &c->lines[i];
        const oa_site *site = NULL;
        rc = site_for_label(tx, c, &cache, &nc, l->site_label, &site);
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
        if (rc != OA_OK)
            break;
        c->counts.processed++;
        if (sc.created)
            c->counts.created++;
        json_array_append_new(keep, json_string(p.id));
    }
    if (rc == OA_OK) {
        char *keep_json = json_dumps(keep, JSON_COMPACT);
        rc = store_posting_feed_missing(tx, c->feed_id, keep_json, &missing, &n_missing);
        free(keep_json);
    }
    for (size_t i = 0; rc == OA_OK && i < n_missing; i++) {
        oa_posting_clear(&p);
        rc = store_posting_get(tx, NULL, missing[i], &p);
        if (rc != OA_OK)
            break;
        oa_posting_effect e = core_posting_step(p.state, OA_PI_REMOVED_FROM_FEED);
        if (e.drop)
            continue;
        rc = svc__posting_effect(c->s, tx, &p, &e, NULL, now);
        if (rc == OA_OK)
            c->counts.archived++;
    }
    oa_posting_clear(&p);
    store_ids_free(missing, n_missing);
    json_decref(keep);
    for (size_t i = 0; i < nc; i++) {
        free(cache[i].label);
        oa_site_clear(&cache[i].site);
    }
    free(cache);
    return rc;
}

struct lock_ctx {
    const char *tenant;
    const char *feed_id;
    const char *token;
    bool unlock;
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
    /* The lease outlives the 5-minute import limit; a crashed import frees it then. */
    return store_feed_lock(tx, c->feed_id, c->token, now, now + 6 * 60 * 1000);
}

/* Feeds being imported by this process. The store's lease makes imports exclusive across
 * nodes; this registry answers a second import in this process at once, instead of after it
 * queued behind the first import's transaction. */
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
    if (strlen(feed_id) != OA_ID_LEN)
        return OA_NOT_FOUND;
    if (!import_begin(feed_id))
        return OA_CONFLICT;
    char token[OA_ID_SIZE];
    oa_id_new(token);
    struct lock_ctx lc = {tenant, feed_id, token, false};
    oa_status rc = store_transact(s->store, STORE_WRITE, lock_tx, &lc);
    if (rc != OA_OK) {
        import_end(feed_id);
        return rc;
    }
    int64_t t0 = oa_mono_ms();
    struct import_ctx c = {s, tenant, feed_id, lines, n, {0}};
    rc = store_transact(s->store, STORE_WRITE, import_tx, &c);
    lc.unlock = true;
    oa_status urc = store_transact(s->store, STORE_WRITE, lock_tx, &lc);
    if (urc != OA_OK)
        oa_log(OA_LOG_WARN, "job_feed.unlock_failed", "job_feed_id=%s", feed_id);
    import_end(feed_id);
    if (rc == OA_OK) {
        *out = c.counts;
        oa_log(OA_LOG_INFO, "job_feed.imported",
               "tenant=%s job_feed_id=%s processed=%lld created=%lld archived=%lld ms=%lld", tenant,
               feed_id, (long long)c.counts.processed, (long long)c.counts.created,
               (long long)c.counts.archived, (long long)(oa_mono_ms() - t0));
    }
    return rc;
}
