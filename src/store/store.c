/*
 * store.c - backend-neutral half of the store: URL dispatch, the connection pool, a per
 * connection cache of prepared statements, transactions with retry, parameter binding and
 * migrations.
 */
#include "store/store.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/migrations.h"
#include "util/clock.h"
#include "util/log.h"

#define STMT_CACHE 96
#define TX_RETRIES 12
/* Group commit: at most this many queued write transactions share one commit. */
#define GROUP_MAX 64
/* Shared databases: the fallback poll of waiting loops (store_poll_ms). LISTEN/NOTIFY does not
 * lose hints while the listener is connected, and a reconnect wakes everything once, so this
 * only bounds the rare gap (a hint sent while the listener was reconnecting). */
#define STORE_SHARED_POLL_MS 15000

typedef struct {
    char *sql;     /* identity: the statement's text (a copy) */
    uint64_t hash; /* of sql, to compare cheaply first */
    void *stmt;
    bool busy;
} cached_stmt;

typedef struct store_conn {
    void *conn;
    cached_stmt cache[STMT_CACHE];
    struct store_conn *next;
} store_conn;

struct oa_store {
    const store_ops *ops;
    void *db;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* single_writer backends: one write transaction at a time, in arrival order (a ticket
     * lock: a plain mutex lets the thread that just released it take it again, so a chunked
     * import or the dispatcher's rounds could starve a waiting API request). */
    pthread_mutex_t write_mu;
    pthread_cond_t write_cv;
    uint64_t write_next, write_serving;
    /* Group commit (single_writer backends): write transactions queue here; the one at the
     * head leads, runs every queued one in one transaction (a savepoint each) and commits
     * once. */
    pthread_mutex_t group_mu;
    pthread_cond_t group_cv;
    struct group_req *group_head, *group_tail;
    bool group_leader;
    store_conn *idle;
    int open, max;
    char node[64];
    /* Work done (store_work_get). */
    atomic_llong tx_read, tx_write, statements, slow_writes, commits, grouped;
    atomic_llong conn_lost, conn_failed;
};

typedef struct after_hook {
    void (*fn)(void *);
    void *arg;
    struct after_hook *next;
} after_hook;

typedef struct group_req {
    oa_status (*fn)(oa_tx *tx, void *ctx);
    void *ctx;
    oa_status rc;
    struct after_hook *after; /* to run by the requester once committed */
    bool done, lead, solo;
    struct group_req *next;
} group_req;

struct oa_tx {
    oa_store *st;
    store_conn *c;
    after_hook *after;
    int statements;      /* run in this attempt */
    char first_sql[256]; /* the first of them, for the slow write log line */
};

struct oa_stmt {
    oa_tx *tx;
    void *stmt;
    const char *sql;   /* the caller's text (static in the entity code), for error logs */
    cached_stmt *slot; /* NULL when not cached: finalize in store_done */
};

static void write_lock(oa_store *st);
static void write_unlock(oa_store *st);
static void gate_lock(void *st)
{
    write_lock(st);
}
static void gate_unlock(void *st)
{
    write_unlock(st);
}

/* ---- pool ------------------------------------------------------------------------------- */

/* A connection that was counted in `open` is gone (never opened, or closed broken): its place
 * in the pool goes to a waiting caller. */
static void slot_release(oa_store *st)
{
    pthread_mutex_lock(&st->mu);
    st->open--;
    pthread_cond_signal(&st->cv);
    pthread_mutex_unlock(&st->mu);
}

static oa_status conn_get(oa_store *st, store_conn **out)
{
    pthread_mutex_lock(&st->mu);
    for (;;) {
        if (st->idle) {
            *out = st->idle;
            st->idle = st->idle->next;
            pthread_mutex_unlock(&st->mu);
            return OA_OK;
        }
        if (st->open < st->max) {
            st->open++;
            pthread_mutex_unlock(&st->mu);
            store_conn *c = xcalloc(1, sizeof *c);
            char *why = NULL;
            oa_status rc = st->ops->conn_open(st->db, &c->conn, &why);
            if (rc != OA_OK) {
                atomic_fetch_add(&st->conn_failed, 1);
                oa_log(OA_LOG_ERROR, "store.connect_failed", "backend=%s error=\"%s\"",
                       st->ops->name, why ? why : "?");
                free(why);
                free(c);
                slot_release(st);
                return rc == OA_AGAIN ? OA_AGAIN : OA_ERR;
            }
            *out = c;
            return OA_OK;
        }
        pthread_cond_wait(&st->cv, &st->mu);
    }
}

static void conn_free(oa_store *st, store_conn *c)
{
    for (int i = 0; i < STMT_CACHE; i++) {
        if (c->cache[i].stmt)
            st->ops->finalize(c->cache[i].stmt);
        free(c->cache[i].sql);
    }
    st->ops->conn_close(c->conn);
    free(c);
}

static void conn_put(oa_store *st, store_conn *c)
{
    if (st->ops->conn_ok && !st->ops->conn_ok(c->conn)) {
        /* Broken (the server went away): closed, and its place in the pool freed. */
        atomic_fetch_add(&st->conn_lost, 1);
        conn_free(st, c);
        slot_release(st);
        return;
    }
    pthread_mutex_lock(&st->mu);
    c->next = st->idle;
    st->idle = c;
    pthread_cond_signal(&st->cv);
    pthread_mutex_unlock(&st->mu);
}

/* ---- open / close / migrations ---------------------------------------------------------- */

static int migration_version(const char *name)
{
    int v = 0;
    for (const char *p = name; *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (*p - '0');
    return v;
}

struct migrate_ctx {
    const oa_migration *m;
    int version;
    char *why;
};

static oa_status migrate_one(oa_tx *tx, void *arg)
{
    struct migrate_ctx *mc = arg;
    const store_ops *ops = tx->st->ops;
    oa_status rc = ops->exec_script(tx->c->conn, mc->m->sql, &mc->why);
    if (rc != OA_OK)
        return rc;
    return store_exec(tx,
                      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                      "iti", (int64_t)mc->version, mc->m->name, (int64_t)time(NULL) * 1000);
}

static oa_status read_version(oa_tx *tx, void *arg)
{
    int64_t v = 0;
    oa_status rc =
        store_query_int(tx, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "");
    *(int *)arg = (int)v;
    return rc == OA_NOT_FOUND ? OA_OK : rc;
}

static oa_status migrate_all(oa_store *st, char **why);

static oa_status migrate(oa_store *st, char **why)
{
    store_conn *c;
    if (conn_get(st, &c) != OA_OK) {
        *why = xstrdup("cannot connect to the database");
        return OA_ERR;
    }
    /* Nodes starting together on a shared database migrate one at a time: this connection
     * holds the lock (outside any transaction) until the migrations are done; the others
     * wait, then find nothing left to do. */
    oa_status rc = OA_OK;
    bool locked = false;
    if (st->ops->schema_lock) {
        rc = st->ops->schema_lock(c->conn, true);
        locked = rc == OA_OK;
    }
    if (rc == OA_OK)
        rc = st->ops->exec_script(c->conn,
                                  "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                  " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                                  " applied_at BIGINT NOT NULL)",
                                  why);
    if (rc == OA_OK)
        rc = migrate_all(st, why);
    else if (!*why)
        *why = xstrdup("cannot take the schema lock");
    if (locked)
        (void)st->ops->schema_lock(c->conn, false);
    conn_put(st, c);
    return rc;
}

static oa_status migrate_all(oa_store *st, char **why)
{
    oa_status rc;
    int current = 0;
    rc = store_transact(st, STORE_READ, read_version, &current);
    if (rc != OA_OK) {
        *why = xstrdup("cannot read the schema version");
        return rc;
    }
    size_t n_ms = 0;
    const oa_migration *ms = st->ops->migrations(&n_ms);
    int latest = 0;
    for (size_t i = 0; i < n_ms; i++) {
        int v = migration_version(ms[i].name);
        if (v > latest)
            latest = v;
        if (v <= current)
            continue;
        struct migrate_ctx mc = {&ms[i], v, NULL};
        rc = store_transact(st, STORE_WRITE, migrate_one, &mc);
        if (rc != OA_OK) {
            *why = xasprintf("migration %s failed: %s", ms[i].name, mc.why ? mc.why : "?");
            free(mc.why);
            return rc;
        }
        free(mc.why);
        oa_log(OA_LOG_INFO, "store.migrated", "backend=%s migration=%s", st->ops->name, ms[i].name);
        current = v;
    }
    if (current > latest) {
        *why = xasprintf("the database has schema version %d, newer than this binary's %d: "
                         "upgrade openapply",
                         current, latest);
        return OA_INVALID;
    }
    return OA_OK;
}

oa_status store_open(const char *url, const store_options *opt, oa_store **out, char **why)
{
    *out = NULL;
    *why = NULL;
    const store_ops *ops = NULL;
    const char *target = NULL;
    if (strncmp(url, "sqlite:", 7) == 0) {
        ops = &store_sqlite_ops;
        target = url + 7;
    } else if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
        ops = &store_postgres_ops;
        target = url; /* libpq reads the URL itself */
    } else {
        *why = xstrdup("--db must be sqlite:PATH (e.g. sqlite:openapply.db) or "
                       "postgres://USER:PASSWORD@HOST:PORT/DATABASE");
        return OA_INVALID;
    }
    if (!*target) {
        *why = xstrdup("--db sqlite: needs a file path (e.g. sqlite:openapply.db)");
        return OA_INVALID;
    }
    oa_store *st = xcalloc(1, sizeof *st);
    st->ops = ops;
    st->max = opt && opt->pool_size > 0 ? opt->pool_size : 16;
    snprintf(st->node, sizeof st->node, "%s", opt && opt->node_id ? opt->node_id : "local");
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    pthread_mutex_init(&st->write_mu, NULL);
    pthread_cond_init(&st->write_cv, NULL);
    pthread_mutex_init(&st->group_mu, NULL);
    pthread_cond_init(&st->group_cv, NULL);
    oa_status rc = ops->open(target, opt && opt->beside_engine, &st->db, why);
    if (rc != OA_OK) {
        pthread_mutex_destroy(&st->mu);
        pthread_cond_destroy(&st->cv);
        pthread_mutex_destroy(&st->write_mu);
        pthread_cond_destroy(&st->write_cv);
        pthread_mutex_destroy(&st->group_mu);
        pthread_cond_destroy(&st->group_cv);
        free(st);
        return rc;
    }
    if (ops->single_writer && ops->set_write_gate)
        ops->set_write_gate(st->db, gate_lock, gate_unlock, st);
    rc = migrate(st, why);
    if (rc != OA_OK) {
        store_close(st);
        return rc;
    }
    *out = st;
    return OA_OK;
}

void store_close(oa_store *st)
{
    if (!st)
        return;
    while (st->idle) {
        store_conn *c = st->idle;
        st->idle = c->next;
        conn_free(st, c);
    }
    st->ops->close(st->db);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->cv);
    pthread_mutex_destroy(&st->write_mu);
    pthread_cond_destroy(&st->write_cv);
    pthread_mutex_destroy(&st->group_mu);
    pthread_cond_destroy(&st->group_cv);
    free(st);
}

const char *store_tx_node(const oa_tx *tx)
{
    return tx->st->node;
}

bool store_tx_exclusive(const oa_tx *tx)
{
    return tx->st->ops->exclusive;
}

oa_status store_tx_lock(oa_tx *tx, int key)
{
    if (!tx->st->ops->tx_lock)
        return OA_OK;
    atomic_fetch_add(&tx->st->statements, 1);
    tx->statements++;
    return tx->st->ops->tx_lock(tx->c->conn, key);
}

void store_on_remote_write(oa_store *st, void (*fn)(void *arg), void *arg)
{
    if (!st->ops->exclusive && st->ops->listen) /* fn NULL: stop */
        st->ops->listen(st->db, st->node, fn, arg);
}

bool store_shared(const oa_store *st)
{
    return !st->ops->exclusive;
}

int64_t store_poll_ms(const oa_store *st)
{
    return st->ops->exclusive ? 0 : STORE_SHARED_POLL_MS;
}

void store_url_redact(const char *url, char *out, size_t n)
{
    const char *scheme = strstr(url, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (!at || !colon || colon > at) {
        snprintf(out, n, "%s", url);
        return;
    }
    snprintf(out, n, "%.*s:***%s", (int)(colon - url), url, at);
}

const char *store_backend(const oa_store *st)
{
    return st->ops->name;
}

/* ---- transactions ----------------------------------------------------------------------- */

static void free_hooks(after_hook *h)
{
    while (h) {
        after_hook *n = h->next;
        free(h);
        h = n;
    }
}

static void backoff(int attempt)
{
    struct timespec ts = {0, (long)(1 + attempt * attempt) * 2 * 1000000L};
    nanosleep(&ts, NULL);
}

/* Counts and logs a write transaction that held the writer (from BEGIN to its commit or
 * rollback) longer than STORE_SLOW_WRITE_MS. The log line names the first statement, whose
 * text holds placeholders only, never parameter values. */
static void note_write(const oa_tx *tx, int64_t held_ms, int attempt, oa_status rc)
{
    if (held_ms <= STORE_SLOW_WRITE_MS)
        return;
    atomic_fetch_add(&tx->st->slow_writes, 1);
    char sql[81], q[OA_LOGQ_SIZE];
    memcpy(sql, tx->first_sql, sizeof sql - 1); /* first_sql is NUL-terminated and longer */
    sql[sizeof sql - 1] = '\0';
    oa_log(OA_LOG_WARN, "store.slow_write",
           "backend=%s held_ms=%lld statements=%d attempt=%d status=%s first_sql=%s",
           tx->st->ops->name, (long long)held_ms, tx->statements, attempt + 1, oa_status_str(rc),
           oa_logq(q, sizeof q, sql));
}

static void write_lock(oa_store *st)
{
    pthread_mutex_lock(&st->write_mu);
    uint64_t ticket = st->write_next++;
    while (ticket != st->write_serving)
        pthread_cond_wait(&st->write_cv, &st->write_mu);
    pthread_mutex_unlock(&st->write_mu);
}

static void write_unlock(oa_store *st)
{
    pthread_mutex_lock(&st->write_mu);
    st->write_serving++;
    pthread_cond_broadcast(&st->write_cv);
    pthread_mutex_unlock(&st->write_mu);
}

/* One transaction of its own, with retries. When `hooks` is given, the after-commit hooks are
 * handed back instead of run (a group leader running it for another thread). */
static oa_status solo_transact(oa_store *st, int iso, oa_status (*fn)(oa_tx *tx, void *ctx),
                               void *ctx, bool serialize, after_hook **hooks)
{
    bool write = iso != STORE_ISO_READ;
    oa_status rc = OA_ERR;
    for (int attempt = 0; attempt < TX_RETRIES; attempt++) {
        oa_tx tx = {.st = st};
        rc = conn_get(st, &tx.c);
        if (rc == OA_AGAIN) { /* the server is unreachable for now: wait, then again */
            backoff(attempt);
            continue;
        }
        if (rc != OA_OK)
            return OA_ERR;
        /* Writers wait here, woken in turn, rather than sleeping in SQLite's busy handler
         * (which backs off up to 100 ms per try and is unfair to long transactions). */
        if (serialize)
            write_lock(st);
        int64_t held_from = write ? oa_mono_ms() : 0;
        rc = st->ops->begin(tx.c->conn, iso);
        if (rc == OA_OK) {
            atomic_fetch_add(write ? &st->tx_write : &st->tx_read, 1);
            rc = fn(&tx, ctx);
            /* Work queued for anyone: one hint to the other nodes, sent with the commit. */
            if (rc == OA_OK && write && tx.after && st->ops->notify)
                rc = st->ops->notify(tx.c->conn, st->node);
            if (rc == OA_OK) {
                rc = st->ops->commit(tx.c->conn);
                if (rc != OA_OK)
                    st->ops->rollback(tx.c->conn);
                else if (write)
                    atomic_fetch_add(&st->commits, 1);
            } else {
                st->ops->rollback(tx.c->conn);
            }
            if (write)
                note_write(&tx, oa_mono_ms() - held_from, attempt, rc);
        }
        if (serialize)
            write_unlock(st);
        conn_put(st, tx.c);
        if (rc == OA_OK && hooks) {
            *hooks = tx.after;
            tx.after = NULL;
        } else if (rc == OA_OK) {
            for (after_hook *h = tx.after; h; h = h->next)
                h->fn(h->arg);
        }
        free_hooks(tx.after);
        if (rc != OA_AGAIN)
            return rc;
        backoff(attempt);
    }
    oa_log(OA_LOG_WARN, "store.busy", "backend=%s retries=%d", st->ops->name, TX_RETRIES);
    return OA_AGAIN;
}

static bool savepoint(oa_store *st, store_conn *c, const char *sql)
{
    return st->ops->exec_script(c->conn, sql, NULL) == OA_OK && st->ops->in_tx(c->conn);
}

/* Runs the batch in one transaction, each member under a savepoint of its own, so that a
 * member that fails leaves the others' work in place, exactly as if each had run alone in
 * turn. A member whose outcome the group cannot give (it asked to be retried, the transaction
 * was lost under it, or the commit failed) is marked solo and runs alone afterwards. */
static void run_group(oa_store *st, group_req **batch, size_t n)
{
    store_conn *c;
    if (conn_get(st, &c) != OA_OK) {
        for (size_t i = 0; i < n; i++)
            batch[i]->solo = true;
        return;
    }
    write_lock(st);
    int64_t held_from = oa_mono_ms();
    oa_status rc = st->ops->begin(c->conn, STORE_ISO_SERIAL);
    bool broken = rc != OA_OK;
    oa_tx first = {.st = st, .c = c};
    int statements = 0;
    for (size_t i = 0; !broken && i < n; i++) {
        group_req *r = batch[i];
        if (!savepoint(st, c, "SAVEPOINT oa_group")) {
            broken = true;
            break;
        }
        oa_tx tx = {.st = st, .c = c};
        atomic_fetch_add(&st->tx_write, 1);
        r->rc = r->fn(&tx, r->ctx);
        statements += tx.statements;
        if (i == 0)
            memcpy(first.first_sql, tx.first_sql, sizeof first.first_sql);
        if (!st->ops->in_tx(c->conn)) {
            broken = true; /* the backend ended the transaction (a serious error) */
            free_hooks(tx.after);
            break;
        }
        if (r->rc == OA_OK) {
            r->after = tx.after;
            broken = !savepoint(st, c, "RELEASE oa_group");
        } else {
            free_hooks(tx.after);
            if (r->rc == OA_AGAIN)
                r->solo = true;
            broken =
                !savepoint(st, c, "ROLLBACK TO oa_group") || !savepoint(st, c, "RELEASE oa_group");
        }
    }
    if (!broken) {
        rc = st->ops->commit(c->conn);
        broken = rc != OA_OK;
    }
    if (broken) {
        st->ops->rollback(c->conn);
        for (size_t i = 0; i < n; i++) {
            free_hooks(batch[i]->after);
            batch[i]->after = NULL;
            batch[i]->solo = true;
        }
    } else {
        atomic_fetch_add(&st->commits, 1);
        atomic_fetch_add(&st->grouped, (long long)n);
    }
    first.statements = statements;
    note_write(&first, oa_mono_ms() - held_from, 0, broken ? OA_ERR : OA_OK);
    write_unlock(st);
    conn_put(st, c);
}

/* Group commit for single_writer backends. The caller's transaction joins the queue; the
 * request at the head leads: it takes everything queued (up to GROUP_MAX), runs it as one
 * transaction and commits once, then hands the lead to the next waiting request. Every
 * caller returns only after the commit that holds its work, as before; one commit (a WAL
 * write of the pages the whole group dirtied) replaces one per request. */
static oa_status group_transact(oa_store *st, oa_status (*fn)(oa_tx *tx, void *ctx), void *ctx)
{
    group_req me = {.fn = fn, .ctx = ctx, .rc = OA_ERR};
    pthread_mutex_lock(&st->group_mu);
    if (st->group_tail)
        st->group_tail->next = &me;
    else
        st->group_head = &me;
    st->group_tail = &me;
    if (!st->group_leader) {
        st->group_leader = true;
        me.lead = true;
    }
    while (!me.done && !me.lead)
        pthread_cond_wait(&st->group_cv, &st->group_mu);
    if (!me.done) {
        /* Leading: the queue's head is this request. */
        group_req *batch[GROUP_MAX];
        size_t n = 0;
        while (st->group_head && n < GROUP_MAX) {
            batch[n++] = st->group_head;
            st->group_head = st->group_head->next;
        }
        if (!st->group_head)
            st->group_tail = NULL;
        pthread_mutex_unlock(&st->group_mu);
        if (n == 1)
            batch[0]->solo = true;
        else
            run_group(st, batch, n);
        for (size_t i = 0; i < n; i++)
            if (batch[i]->solo)
                batch[i]->rc = solo_transact(st, STORE_ISO_SERIAL, batch[i]->fn, batch[i]->ctx,
                                             true, &batch[i]->after);
        pthread_mutex_lock(&st->group_mu);
        for (size_t i = 0; i < n; i++)
            batch[i]->done = true;
        if (st->group_head)
            st->group_head->lead = true;
        else
            st->group_leader = false;
        pthread_cond_broadcast(&st->group_cv);
    }
    pthread_mutex_unlock(&st->group_mu);
    if (me.rc == OA_OK)
        for (after_hook *h = me.after; h; h = h->next)
            h->fn(h->arg);
    free_hooks(me.after);
    return me.rc;
}

oa_status store_transact(oa_store *st, store_mode mode, oa_status (*fn)(oa_tx *tx, void *ctx),
                         void *ctx)
{
    if ((mode == STORE_WRITE || mode == STORE_WRITE_LOCKED) && st->ops->single_writer &&
        st->ops->in_tx)
        return group_transact(st, fn, ctx);
    int iso = mode == STORE_READ    ? STORE_ISO_READ
              : mode == STORE_WRITE ? STORE_ISO_SERIAL
                                    : STORE_ISO_LOCKED;
    return solo_transact(st, iso, fn, ctx, iso != STORE_ISO_READ && st->ops->single_writer, NULL);
}

static oa_status ping_tx(oa_tx *tx, void *arg)
{
    (void)arg;
    int64_t v = 0;
    /* The newest schema version: the last row of a small table, one page read. */
    oa_status rc = store_query_int(tx, &v, "SELECT MAX(version) FROM schema_migrations", "");
    return rc == OA_NOT_FOUND ? OA_OK : rc;
}

oa_status store_ping(oa_store *st)
{
    return store_transact(st, STORE_READ, ping_tx, NULL);
}

void store_work_get(const oa_store *st, store_work *out)
{
    out->tx_read = atomic_load(&st->tx_read);
    out->tx_write = atomic_load(&st->tx_write);
    out->statements = atomic_load(&st->statements);
    out->slow_writes = atomic_load(&st->slow_writes);
    out->commits = atomic_load(&st->commits);
    out->grouped = atomic_load(&st->grouped);
    out->conn_lost = atomic_load(&st->conn_lost);
    out->conn_failed = atomic_load(&st->conn_failed);
}

void store_tx_after(oa_tx *tx, void (*fn)(void *arg), void *arg)
{
    for (after_hook *h = tx->after; h; h = h->next)
        if (h->fn == fn && h->arg == arg)
            return;
    after_hook *h = xcalloc(1, sizeof *h);
    h->fn = fn;
    h->arg = arg;
    h->next = tx->after;
    tx->after = h;
}

/* ---- statements ------------------------------------------------------------------------- */

static uint64_t sql_hash(const char *sql)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

static oa_status prepare(oa_tx *tx, const char *sql, oa_stmt *out)
{
    const store_ops *ops = tx->st->ops;
    store_conn *c = tx->c;
    cached_stmt *free_slot = NULL;
    uint64_t h = sql_hash(sql);
    out->tx = tx;
    out->slot = NULL;
    for (int i = 0; i < STMT_CACHE; i++) {
        cached_stmt *cs = &c->cache[i];
        if (cs->sql && cs->hash == h && !cs->busy && strcmp(cs->sql, sql) == 0) {
            cs->busy = true;
            out->stmt = cs->stmt;
            out->slot = cs;
            return OA_OK;
        }
        if (!cs->sql && !free_slot)
            free_slot = cs;
    }
    if (ops->prepare(c->conn, sql, &out->stmt) != OA_OK) {
        oa_log(OA_LOG_ERROR, "store.prepare_failed", "backend=%s error=\"%s\" sql=\"%.120s\"",
               ops->name, ops->errmsg(c->conn), sql);
        return OA_ERR;
    }
    if (free_slot) {
        free_slot->sql = xstrdup(sql);
        free_slot->hash = h;
        free_slot->stmt = out->stmt;
        free_slot->busy = true;
        out->slot = free_slot;
    }
    return OA_OK;
}

static const char *arg_kind(char tag)
{
    return tag == 't'   ? "text (char *)"
           : tag == 'i' ? "64-bit integer"
           : tag == 'b' ? "int"
                        : "nothing";
}

/* A parameter list that does not match the statement is a bug in our SQL: stop at once, naming
 * it, rather than bind the wrong values. */
static void bind_fatal(const char *sql, const char *fmt, ...) OA_PRINTF(2, 3);
static void bind_fatal(const char *sql, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fatal: store: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " in \"%.200s\"\n", sql);
    va_end(ap);
    abort();
}

static void bind_all(oa_stmt *s, const char *sql, const char *types, size_t n,
                     const store_arg *args)
{
    const store_ops *ops = s->tx->st->ops;
    if ((int)strlen(types) != ops->param_count(s->stmt))
        bind_fatal(sql, "%d parameter types given for %d parameters", (int)strlen(types),
                   ops->param_count(s->stmt));
    size_t k = 0;
    int idx = 1;
    for (const char *t = types; *t; t++, idx++) {
        if (*t == 'n') {
            ops->bind_null(s->stmt, idx);
            continue;
        }
        if (*t != 't' && *t != 'i' && *t != 'b')
            bind_fatal(sql, "bad parameter type '%c'", *t);
        if (k >= n)
            bind_fatal(sql, "parameter %d ('%c') has no argument", idx, *t);
        const store_arg *a = &args[k++];
        /* An int for 'i' is widened exactly (its type is known); text for a number, a number
         * for text, or a 64-bit value for 'b' is a bug. */
        bool ok = a->tag == *t || (*t == 'i' && a->tag == 'b');
        if (!ok)
            bind_fatal(sql, "parameter %d is declared '%c' but given %s", idx, *t,
                       arg_kind(a->tag));
        if (*t == 't') {
            if (a->s)
                ops->bind_text(s->stmt, idx, a->s, strlen(a->s));
            else
                ops->bind_null(s->stmt, idx);
        } else if (*t == 'i') {
            ops->bind_int(s->stmt, idx, a->i);
        } else {
            ops->bind_int(s->stmt, idx, a->i ? 1 : 0);
        }
    }
    if (k != n)
        bind_fatal(sql, "%zu arguments given for %zu declared", n, k);
}

void store_done(oa_stmt *s)
{
    if (!s)
        return;
    const store_ops *ops = s->tx->st->ops;
    if (s->slot) {
        ops->reset(s->stmt);
        s->slot->busy = false;
    } else {
        ops->finalize(s->stmt);
    }
    free(s);
}

oa_status store_query_a(oa_tx *tx, oa_stmt **out, const char *sql, const char *types, size_t n,
                        const store_arg *args)
{
    oa_stmt *s = xcalloc(1, sizeof *s);
    if (prepare(tx, sql, s) != OA_OK) {
        free(s);
        *out = NULL;
        return OA_ERR;
    }
    bind_all(s, sql, types, n, args);
    s->sql = sql;
    atomic_fetch_add(&tx->st->statements, 1);
    if (tx->statements++ == 0)
        snprintf(tx->first_sql, sizeof tx->first_sql, "%s", sql);
    *out = s;
    return OA_OK;
}

oa_status store_next(oa_stmt *s)
{
    oa_status rc = s->tx->st->ops->step(s->stmt);
    if (rc == OA_ERR)
        oa_log(OA_LOG_ERROR, "store.step_failed", "backend=%s error=\"%s\" sql=\"%.160s\"",
               s->tx->st->ops->name, s->tx->st->ops->errmsg(s->tx->c->conn), s->sql);
    return rc;
}

oa_status store_exec_a(oa_tx *tx, int64_t *changes, const char *sql, const char *types, size_t n,
                       const store_arg *args)
{
    oa_stmt *s;
    oa_status rc = store_query_a(tx, &s, sql, types, n, args);
    if (rc != OA_OK)
        return rc;
    do {
        rc = store_next(s);
    } while (rc == OA_ROW);
    if (changes)
        *changes = rc == OA_OK ? tx->st->ops->changes(s->stmt) : 0;
    store_done(s);
    return rc;
}

/* One value of a single-row query, as an integer or a malloc'd string; a missing row or a NULL
 * value is OA_NOT_FOUND. */
static oa_status query_scalar(oa_tx *tx, int64_t *i, char **t, const char *sql, const char *types,
                              size_t n, const store_arg *args)
{
    oa_stmt *s;
    oa_status rc = store_query_a(tx, &s, sql, types, n, args);
    if (rc != OA_OK)
        return rc;
    rc = store_next(s);
    if (rc == OA_ROW && !store_null(s, 0)) {
        if (i)
            *i = store_int(s, 0);
        if (t)
            *t = store_dup(s, 0);
        rc = OA_OK;
    } else if (rc == OA_ROW || rc == OA_OK) {
        rc = OA_NOT_FOUND;
    }
    store_done(s);
    return rc;
}

oa_status store_query_int_a(oa_tx *tx, int64_t *out, const char *sql, const char *types, size_t n,
                            const store_arg *args)
{
    return query_scalar(tx, out, NULL, sql, types, n, args);
}

oa_status store_query_text_a(oa_tx *tx, char **out, const char *sql, const char *types, size_t n,
                             const store_arg *args)
{
    return query_scalar(tx, NULL, out, sql, types, n, args);
}

const char *store_text(oa_stmt *s, int col)
{
    return s->tx->st->ops->col_text(s->stmt, col);
}

char *store_dup(oa_stmt *s, int col)
{
    const char *t = store_text(s, col);
    return t ? xstrdup(t) : NULL;
}

int64_t store_int(oa_stmt *s, int col)
{
    return s->tx->st->ops->col_int(s->stmt, col);
}

bool store_null(oa_stmt *s, int col)
{
    return s->tx->st->ops->col_null(s->stmt, col);
}

void store_copy(oa_stmt *s, int col, char *out, size_t n)
{
    const char *t = store_text(s, col);
    size_t len = t ? strlen(t) : 0;
    if (!t || len >= n) {
        out[0] = '\0';
        return;
    }
    memcpy(out, t, len + 1);
}

/* ---- row readers ------------------------------------------------------------------------ */

oa_status store_read_all(oa_stmt *s, size_t size, void (*read)(oa_stmt *s, void *row),
                         void (*clear)(void *row), void *out_array, size_t *n)
{
    char *arr = NULL;
    size_t cnt = 0, cap = 0;
    oa_status rc;
    while ((rc = store_next(s)) == OA_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 16;
            arr = xrealloc(arr, cap * size);
        }
        void *row = arr + cnt * size;
        memset(row, 0, size);
        read(s, row);
        cnt++;
    }
    store_done(s);
    if (rc != OA_OK) {
        for (size_t i = 0; clear && i < cnt; i++)
            clear(arr + i * size);
        free(arr);
        arr = NULL;
        cnt = 0;
    }
    memcpy(out_array, &arr, sizeof arr);
    *n = cnt;
    return rc;
}

oa_status store_read_one(oa_stmt *s, void (*read)(oa_stmt *s, void *row), void *row)
{
    oa_status rc = store_next(s);
    if (rc == OA_ROW) {
        read(s, row);
        rc = OA_OK;
    } else if (rc == OA_OK) {
        rc = OA_NOT_FOUND;
    }
    store_done(s);
    return rc;
}

static void read_id(oa_stmt *s, void *row)
{
    *(char **)row = store_dup(s, 0);
}

static void clear_id(void *row)
{
    free(*(char **)row);
}

oa_status store_read_ids(oa_stmt *s, char ***ids, size_t *n)
{
    return store_read_all(s, sizeof(char *), read_id, clear_id, ids, n);
}

void store_ids_free(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}
