/*
 * postgres.c - the PostgreSQL backend of store_ops, over libpq.
 *
 * The entity code's SQL is shared with SQLite; this file adapts it as it is prepared
 * (pg_translate): SQLite's "?NNN" and "?" placeholders become "$NNN", and SQLite's planner hint
 * of a unary "+" before a column ("+tenant = ?1", which keeps SQLite off an index) is dropped,
 * since PostgreSQL has no unary plus for text and plans by its own statistics, and a comment
 * "/" "*pg: CLAUSE *" "/" (STORE_PG_ONLY) becomes CLAUSE: a marked hook for what only PostgreSQL
 * has, such as FOR UPDATE SKIP LOCKED on the claims. Nothing else is
 * rewritten: the rest of the SQL is written in forms both accept, and the one function the
 * shared SQL needs that PostgreSQL lacks (json_each over a JSON array given as text) is defined
 * by the PostgreSQL schema (migrations/postgres/001_init.sql).
 *
 * Statements: a statement runs unnamed (one round trip: parse, bind, execute) the first time a
 * connection runs it; the second time it is prepared under a name and reused from then on, so
 * that one-off SQL never leaves named statements behind. Parameters are sent as text, typed from
 * the C side (an integer as int8, text as text; a NULL leaves the type to the server): so
 * "?1 + ?2" of two integers works, as it does on SQLite, without casts in the shared SQL. A
 * statement prepared while a parameter was NULL is prepared again the first time that
 * parameter comes with a type.
 *
 * Transactions: writes run SERIALIZABLE, so that the read-then-write logic written for SQLite's
 * single writer stays correct with concurrent writers (here and on other nodes); a
 * serialization failure or deadlock is OA_AGAIN and store_transact runs the callback again.
 * Reads run REPEATABLE READ, READ ONLY: one snapshot per request. A connection that breaks
 * (server restart, network) makes its transaction OA_AGAIN and is replaced by the pool
 * (store_ops.conn_ok).
 */
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/migrations.h"
#include "store/store.h"
#include "util/log.h"
#include "util/text.h"

/* Type OIDs of pg_type (stable across PostgreSQL versions). */
#define PG_INT8OID 20
#define PG_TEXTOID 25

#define PG_MAX_PARAMS 512

typedef struct {
    char *url; /* postgres://... as given (holds the password: never logged) */
    /* The LISTEN thread (pg_listen): hints from the other nodes. */
    pthread_t listener;
    bool listening;
    atomic_bool stop;
    char self[64];
    void (*on_hint)(void *arg);
    void *hint_arg;
} pg_db;

/* The channel of the wake-up hints; the payload is the sending node's id. */
#define PG_CHANNEL "openapply_work"

typedef struct {
    PGconn *c;
    unsigned next_name;
    char err[512];    /* the last error, one line */
    char *notify_sql; /* "SELECT pg_notify(...); " sent with the COMMIT, or NULL */
    /* A transaction's BEGIN waits to go out with its first statement (one round trip less per
     * transaction): NULL, or the BEGIN to send first. */
    const char *begin_sql;
} pg_conn;

typedef struct {
    pg_conn *pc;
    char *sql; /* translated */
    int nparams;
    int runs;      /* executions so far on this connection */
    char name[24]; /* server-side name once prepared, else "" */
    /* nparams of each (allocated with the statement): */
    Oid *prep_types; /* the types it was prepared with */
    Oid *types;      /* the bound values' types */
    char **values;
    char (*ibuf)[24]; /* integers' text */
    PGresult *res;
    int row, nrows;
    int64_t changes;
    bool executed;
} pg_stmt;

/* ---- SQL translation ---------------------------------------------------------------------- */

static bool ident_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

/* True when the word that ends just before `end` (exclusive) in sql is a keyword after which a
 * "+" can only be unary. */
static bool after_keyword(const char *sql, const char *end)
{
    static const char *const kw[] = {"AND", "OR",   "WHERE", "ON",   "NOT", "SELECT",
                                     "BY",  "WHEN", "THEN",  "ELSE", "SET", "IN"};
    const char *b = end;
    while (b > sql && ident_char(b[-1]))
        b--;
    size_t n = (size_t)(end - b);
    for (size_t i = 0; i < OA_ARRAY_LEN(kw); i++)
        if (strlen(kw[i]) == n && strncasecmp(b, kw[i], n) == 0)
            return true;
    return false;
}

/* The opening of a comment that holds SQL for PostgreSQL only (store.h STORE_PG_ONLY). */
#define PG_ONLY "/*pg:"

/* SQLite's dialect of the shared SQL to PostgreSQL's (see the top of the file). *nparams gets
 * the highest parameter number. Returns NULL for SQL this translation does not take (more
 * than PG_MAX_PARAMS parameters). */
static char *pg_translate(const char *sql, int *nparams)
{
    size_t len = strlen(sql);
    char *out = xmalloc(len * 2 + 16);
    char *o = out;
    int maxn = 0;
    const char *p = sql;
    const char *last_sig = NULL; /* the last significant (non-space) input character */
    while (*p) {
        char ch = *p;
        if (ch == '\'' || ch == '"') { /* a literal or a quoted name, copied as it is */
            char q = ch;
            *o++ = *p++;
            while (*p) {
                if (*p == q && p[1] == q) {
                    *o++ = *p++;
                    *o++ = *p++;
                    continue;
                }
                if (*p == q)
                    break;
                *o++ = *p++;
            }
            if (*p)
                *o++ = *p++;
            last_sig = p - 1;
            continue;
        }
        if (ch == '/' && p[1] == '*' && strncmp(p, PG_ONLY, strlen(PG_ONLY)) == 0) {
            /* A clause for PostgreSQL alone, written as a comment SQLite skips (a marked
             * backend hook, e.g. FOR UPDATE SKIP LOCKED on a claim): its text goes in. */
            const char *end = strstr(p, "*/");
            if (end) {
                p += strlen(PG_ONLY);
                while (p < end)
                    *o++ = *p++;
                p = end + 2;
                continue;
            }
        }
        if (ch == '-' && p[1] == '-') { /* a comment, to the end of the line */
            while (*p && *p != '\n')
                *o++ = *p++;
            continue;
        }
        if (ch == '?') {
            p++;
            int n = 0;
            if (*p >= '0' && *p <= '9') {
                while (*p >= '0' && *p <= '9' && n < 100000)
                    n = n * 10 + (*p++ - '0');
            } else {
                n = maxn + 1; /* SQLite: a bare "?" takes the next number after the largest */
            }
            if (n > maxn)
                maxn = n;
            o += snprintf(o, 16, "$%d", n);
            last_sig = p - 1;
            continue;
        }
        if (ch == '+' && ident_char(p[1]) && !(p[1] >= '0' && p[1] <= '9')) {
            /* Unary when it follows an opening parenthesis, a comma, a comparison or a
             * keyword: SQLite's index hint, dropped. */
            bool unary = !last_sig || *last_sig == '(' || *last_sig == ',' || *last_sig == '=' ||
                         *last_sig == '<' || *last_sig == '>' ||
                         (ident_char(*last_sig) && after_keyword(sql, last_sig + 1));
            if (unary) {
                p++;
                continue;
            }
        }
        if (ch != ' ' && ch != '\n' && ch != '\t' && ch != '\r')
            last_sig = p;
        *o++ = *p++;
    }
    *o = '\0';
    if (maxn > PG_MAX_PARAMS) {
        free(out);
        return NULL;
    }
    *nparams = maxn;
    return out;
}

/* ---- errors ------------------------------------------------------------------------------- */

static void set_err(pg_conn *pc, const char *msg)
{
    /* One line: libpq's messages end in a newline and may carry DETAIL lines. */
    size_t n = strcspn(msg ? msg : "?", "\n");
    if (n >= sizeof pc->err)
        n = sizeof pc->err - 1;
    memcpy(pc->err, msg ? msg : "?", n);
    pc->err[n] = '\0';
}

/* The status for a failed result: a conflict between transactions or a lost connection is
 * transient (the transaction runs again, on a new connection if need be). */
static oa_status map_result(pg_conn *pc, PGresult *res)
{
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)
        return OA_OK;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    set_err(pc,
            res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res) : PQerrorMessage(pc->c));
    if (PQstatus(pc->c) != CONNECTION_OK)
        return OA_AGAIN;
    if (!state)
        return OA_ERR;
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0 ||
        strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0)
        return OA_AGAIN;
    if (strncmp(state, "23", 2) == 0)
        return OA_CONFLICT;
    if (strcmp(state, "54000") == 0)
        return OA_TOO_LARGE;
    return OA_ERR;
}

static oa_status run_simple(pg_conn *pc, const char *sql)
{
    /* A BEGIN still waiting goes first, in the same simple query (which stops at an error). */
    char *both = pc->begin_sql ? xasprintf("%s; %s", pc->begin_sql, sql) : NULL;
    pc->begin_sql = NULL;
    PGresult *res = PQexec(pc->c, both ? both : sql);
    free(both);
    oa_status rc = map_result(pc, res);
    PQclear(res);
    return rc;
}

/* Runs the statement (prepared: by its server-side name) with the BEGIN that waits for it, in
 * one round trip (libpq's pipeline mode). Returns the statement's result; a failed BEGIN's
 * error takes its place. */
static PGresult *exec_after_begin(pg_conn *pc, const char *sql, const char *name, int n,
                                  const Oid *types, const char *const *vals)
{
    const char *begin = pc->begin_sql;
    pc->begin_sql = NULL;
    if (!PQenterPipelineMode(pc->c)) {
        PGresult *b = PQexec(pc->c, begin);
        if (PQresultStatus(b) != PGRES_COMMAND_OK)
            return b;
        PQclear(b);
        return name ? PQexecPrepared(pc->c, name, n, vals, NULL, NULL, 0)
                    : PQexecParams(pc->c, sql, n, types, vals, NULL, NULL, 0);
    }
    bool sent = PQsendQueryParams(pc->c, begin, 0, NULL, NULL, NULL, NULL, 0) &&
                (name ? PQsendQueryPrepared(pc->c, name, n, vals, NULL, NULL, 0)
                      : PQsendQueryParams(pc->c, sql, n, types, vals, NULL, NULL, 0)) &&
                PQpipelineSync(pc->c);
    PGresult *got[2] = {NULL, NULL}; /* BEGIN's, the statement's */
    int q = 0, nulls = 0;
    while (sent) {
        PGresult *r = PQgetResult(pc->c);
        if (!r) { /* the end of one query's results */
            if (PQstatus(pc->c) != CONNECTION_OK || ++nulls > 3)
                break;
            q++;
            continue;
        }
        nulls = 0;
        if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (q < 2 && !got[q])
            got[q] = r;
        else
            PQclear(r);
    }
    (void)PQexitPipelineMode(pc->c);
    if (got[0] && PQresultStatus(got[0]) == PGRES_COMMAND_OK && got[1]) {
        PQclear(got[0]);
        return got[1];
    }
    PQclear(got[1]);
    return got[0]; /* BEGIN's error, or NULL (the connection broke) */
}

/* ---- database and connections ------------------------------------------------------------- */

static void drop_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* NOTICEs ("relation already exists, skipping") are not for the log */
}

static PGconn *connect_url(const char *url)
{
    /* Defaults first: what the URL itself says wins (expand_dbname). */
    const char *const keys[] = {"application_name", "connect_timeout", "dbname", NULL};
    const char *const vals[] = {"openapply", "10", url, NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (c && PQstatus(c) == CONNECTION_OK)
        PQsetNoticeProcessor(c, drop_notice, NULL);
    return c;
}

/* libpq's reason, one line, with the advice a user needs. */
static char *connect_why(PGconn *c)
{
    const char *m = c ? PQerrorMessage(c) : "out of memory";
    /* libpq 15 prefixes 'connection to server at "HOST" (ADDR), port N failed: '. */
    size_t n = strcspn(m, "\n");
    char *line = xasprintf("%.*s", (int)n, m);
    char *hint = "";
    if (strstr(line, "password authentication failed") || strstr(line, "no password supplied") ||
        (strstr(line, "role") && strstr(line, "does not exist")))
        hint = " (check the user and password in --db)";
    else if (strstr(line, "does not exist") && strstr(line, "database"))
        hint = " (create it with createdb, or name another database in --db)";
    else if (strstr(line, "Connection refused") || strstr(line, "could not translate host") ||
             strstr(line, "timeout expired"))
        hint = " (is the PostgreSQL server running and reachable at the host and port in --db?)";
    char *why = xasprintf("PostgreSQL: %s%s", line, hint);
    free(line);
    return why;
}

static oa_status pg_open(const char *target, bool beside, void **db, char **why)
{
    (void)beside; /* a shared database: every node and command opens it alike */
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(target, &err);
    if (!opts) {
        /* libpq quotes the whole URL (password and all) after " in URI": cut it there. */
        size_t n = err ? strcspn(err, "\n") : 0;
        const char *quoted = err ? strstr(err, " in URI") : NULL;
        if (quoted && (size_t)(quoted - err) < n)
            n = (size_t)(quoted - err);
        *why = xasprintf("--db is not a valid PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/"
                         "DATABASE): %.*s",
                         (int)n, err ? err : "");
        PQfreemem(err);
        return OA_INVALID;
    }
    PQconninfoFree(opts);
    /* Connect once now, so that a wrong address, password or database name stops the start
     * with its reason instead of failing every request later. */
    PGconn *c = connect_url(target);
    if (!c || PQstatus(c) != CONNECTION_OK) {
        *why = connect_why(c);
        PQfinish(c);
        return OA_INVALID;
    }
    PQfinish(c);
    pg_db *d = xcalloc(1, sizeof *d);
    d->url = xstrdup(target);
    *db = d;
    return OA_OK;
}

static void pg_close(void *db)
{
    pg_db *d = db;
    if (!d)
        return;
    if (d->listening) {
        atomic_store(&d->stop, true);
        pthread_join(d->listener, NULL);
    }
    free(d->url);
    free(d);
}

static oa_status pg_conn_open(void *db, void **conn, char **why)
{
    pg_db *d = db;
    PGconn *c = connect_url(d->url);
    if (!c || PQstatus(c) != CONNECTION_OK) {
        *why = connect_why(c);
        PQfinish(c);
        return OA_AGAIN;
    }
    pg_conn *pc = xcalloc(1, sizeof *pc);
    pc->c = c;
    *conn = pc;
    return OA_OK;
}

static void pg_conn_close(void *conn)
{
    pg_conn *pc = conn;
    if (!pc)
        return;
    PQfinish(pc->c);
    free(pc->notify_sql);
    free(pc);
}

static bool pg_conn_ok(void *conn)
{
    pg_conn *pc = conn;
    return PQstatus(pc->c) == CONNECTION_OK;
}

static oa_status pg_exec_script(void *conn, const char *sql, char **why)
{
    pg_conn *pc = conn;
    oa_status rc = run_simple(pc, sql);
    if (rc != OA_OK && why) {
        free(*why);
        *why = xstrdup(pc->err);
    }
    return rc;
}

/* A session lock on an arbitrary constant of ours ("oaschema" as a number). */
static oa_status pg_schema_lock(void *conn, bool lock)
{
    return run_simple(conn, lock ? "SELECT pg_advisory_lock(8031405436758960493)"
                                 : "SELECT pg_advisory_unlock(8031405436758960493)");
}

/* Transaction-scoped advisory locks: the schema lock's number plus the store's key. */
static oa_status pg_tx_lock(void *conn, int64_t key)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%lld)",
             (long long)(8031405436758960493LL + key));
    return run_simple(conn, sql);
}

static oa_status pg_begin(void *conn, int iso)
{
    pg_conn *pc = conn;
    if (PQstatus(pc->c) != CONNECTION_OK) {
        set_err(pc, PQerrorMessage(pc->c));
        return OA_AGAIN;
    }
    /* Sent with the first statement (exec_after_begin, run_simple). */
    pc->begin_sql = iso == STORE_ISO_SERIAL   ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                    : iso == STORE_ISO_LOCKED ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                                              : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    return OA_OK;
}

/* The transaction's hint (pg_notify) goes in the same round trip as its COMMIT: a simple query
 * of two statements, which stops at the first error (the COMMIT then does not run and the
 * caller rolls back). A COMMIT that the server turned into a ROLLBACK is a failed commit. */
static oa_status pg_commit(void *conn)
{
    pg_conn *pc = conn;
    if (pc->begin_sql && !pc->notify_sql) { /* nothing ran: nothing to commit */
        pc->begin_sql = NULL;
        return OA_OK;
    }
    char *sql = xasprintf("%s%s%sCOMMIT", pc->begin_sql ? pc->begin_sql : "",
                          pc->begin_sql ? "; " : "", pc->notify_sql ? pc->notify_sql : "");
    pc->begin_sql = NULL;
    free(pc->notify_sql);
    pc->notify_sql = NULL;
    PGresult *res = PQexec(pc->c, sql);
    free(sql);
    oa_status rc = map_result(pc, res);
    if (rc == OA_OK && strcmp(PQcmdStatus(res), "COMMIT") != 0) {
        set_err(pc, "the transaction was rolled back at commit");
        rc = OA_AGAIN;
    }
    PQclear(res);
    return rc;
}

static void pg_rollback(void *conn)
{
    pg_conn *pc = conn;
    free(pc->notify_sql); /* the hint goes with the transaction */
    pc->notify_sql = NULL;
    pc->begin_sql = NULL; /* never sent: nothing to roll back */
    if (PQstatus(pc->c) == CONNECTION_OK && PQtransactionStatus(pc->c) != PQTRANS_IDLE)
        PQclear(PQexec(pc->c, "ROLLBACK"));
}

static bool pg_in_tx(void *conn)
{
    pg_conn *pc = conn;
    if (pc->begin_sql)
        return true; /* begun, the BEGIN not sent yet */
    PGTransactionStatusType t = PQtransactionStatus(pc->c);
    return t == PQTRANS_INTRANS || t == PQTRANS_ACTIVE;
}

static const char *pg_errmsg(void *conn)
{
    pg_conn *pc = conn;
    return pc->err[0] ? pc->err : PQerrorMessage(pc->c);
}

/* ---- statements --------------------------------------------------------------------------- */

static oa_status pg_prepare(void *conn, const char *sql, void **stmt)
{
    pg_conn *pc = conn;
    int n = 0;
    char *t = pg_translate(sql, &n);
    if (!t) {
        set_err(pc, "statement has more parameters than the PostgreSQL backend takes");
        return OA_ERR;
    }
    pg_stmt *s = xcalloc(1, sizeof *s);
    s->pc = pc;
    s->sql = t;
    s->nparams = n;
    size_t k = n > 0 ? (size_t)n : 1;
    s->prep_types = xcalloc(k, sizeof *s->prep_types);
    s->types = xcalloc(k, sizeof *s->types);
    s->values = xcalloc(k, sizeof *s->values);
    s->ibuf = xcalloc(k, sizeof *s->ibuf);
    *stmt = s;
    return OA_OK;
}

static void clear_values(pg_stmt *s)
{
    for (int i = 0; i < s->nparams; i++) {
        if (s->values[i] && s->values[i] != s->ibuf[i])
            free(s->values[i]);
        s->values[i] = NULL;
        s->types[i] = 0;
    }
}

static void pg_reset(void *stmt)
{
    pg_stmt *s = stmt;
    PQclear(s->res);
    s->res = NULL;
    s->executed = false;
    s->row = s->nrows = 0;
    s->changes = 0;
    clear_values(s);
}

/* Drops the statement's server-side prepared form. */
static oa_status deallocate(pg_stmt *s)
{
    char sql[48];
    snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
    return run_simple(s->pc, sql);
}

static void pg_finalize(void *stmt)
{
    pg_stmt *s = stmt;
    if (!s)
        return;
    pg_reset(s);
    if (s->name[0] && PQstatus(s->pc->c) == CONNECTION_OK &&
        PQtransactionStatus(s->pc->c) != PQTRANS_INERROR)
        (void)deallocate(s);
    free(s->sql);
    free(s->prep_types);
    free(s->types);
    free(s->values);
    free(s->ibuf);
    free(s);
}

/* Parameter idx (from 1) emptied for a new value, or NULL when out of range. */
static char **param_slot(pg_stmt *s, int idx)
{
    if (idx < 1 || idx > s->nparams)
        return NULL;
    int i = idx - 1;
    if (s->values[i] && s->values[i] != s->ibuf[i])
        free(s->values[i]);
    s->values[i] = NULL;
    s->types[i] = 0;
    return &s->values[i];
}

static void pg_bind_text(void *stmt, int idx, const char *v, size_t len)
{
    pg_stmt *s = stmt;
    char **slot = param_slot(s, idx);
    if (!slot)
        return;
    char *copy = xmalloc(len + 1);
    memcpy(copy, v, len);
    copy[len] = '\0';
    *slot = copy;
    s->types[idx - 1] = PG_TEXTOID;
}

static void pg_bind_int(void *stmt, int idx, int64_t v)
{
    pg_stmt *s = stmt;
    char **slot = param_slot(s, idx);
    if (!slot)
        return;
    snprintf(s->ibuf[idx - 1], sizeof s->ibuf[idx - 1], "%lld", (long long)v);
    *slot = s->ibuf[idx - 1];
    s->types[idx - 1] = PG_INT8OID;
}

static void pg_bind_null(void *stmt, int idx)
{
    (void)param_slot(stmt, idx); /* NULL, its type left to the server */
}

/* True when the statement prepared on the server does not take the types bound now. */
static bool needs_prepare(const pg_stmt *s)
{
    if (!s->name[0])
        return true;
    for (int i = 0; i < s->nparams; i++)
        if (s->types[i] && s->types[i] != s->prep_types[i])
            return true;
    return false;
}

static oa_status execute(pg_stmt *s)
{
    pg_conn *pc = s->pc;
    const char *const *vals = (const char *const *)s->values;
    PGresult *res;
    if (s->runs++ == 0) {
        res = pc->begin_sql
                  ? exec_after_begin(pc, s->sql, NULL, s->nparams, s->types, vals)
                  : PQexecParams(pc->c, s->sql, s->nparams, s->types, vals, NULL, NULL, 0);
    } else if (pc->begin_sql && !needs_prepare(s)) {
        res = exec_after_begin(pc, NULL, s->name, s->nparams, s->types, vals);
    } else {
        if (needs_prepare(s)) {
            if (s->name[0]) {
                oa_status rc = deallocate(s);
                if (rc != OA_OK)
                    return rc;
            }
            if (pc->begin_sql) { /* the statement runs inside the transaction */
                PGresult *b = PQexec(pc->c, pc->begin_sql);
                pc->begin_sql = NULL;
                oa_status rc = map_result(pc, b);
                PQclear(b);
                if (rc != OA_OK)
                    return rc;
            }
            snprintf(s->name, sizeof s->name, "oa%u", ++pc->next_name);
            PGresult *pr = PQprepare(pc->c, s->name, s->sql, s->nparams, s->types);
            oa_status rc = map_result(pc, pr);
            PQclear(pr);
            if (rc != OA_OK) {
                s->name[0] = '\0';
                return rc;
            }
            memcpy(s->prep_types, s->types, (size_t)s->nparams * sizeof *s->types);
        }
        res = PQexecPrepared(pc->c, s->name, s->nparams, vals, NULL, NULL, 0);
    }
    oa_status rc = map_result(pc, res);
    if (rc != OA_OK) {
        PQclear(res);
        return rc;
    }
    s->res = res;
    s->row = -1;
    s->nrows = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : 0;
    const char *ct = PQcmdTuples(res);
    s->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
    return OA_OK;
}

static oa_status pg_step(void *stmt)
{
    pg_stmt *s = stmt;
    if (!s->executed) {
        s->executed = true;
        oa_status rc = execute(s);
        if (rc != OA_OK)
            return rc;
    }
    if (!s->res)
        return OA_ERR;
    if (s->row + 1 < s->nrows) {
        s->row++;
        return OA_ROW;
    }
    s->row = s->nrows;
    return OA_OK;
}

static bool have_row(const pg_stmt *s, int col)
{
    return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 && col < PQnfields(s->res);
}

static const char *pg_col_text(void *stmt, int col)
{
    pg_stmt *s = stmt;
    if (!have_row(s, col) || PQgetisnull(s->res, s->row, col))
        return NULL;
    return PQgetvalue(s->res, s->row, col);
}

static int64_t pg_col_int(void *stmt, int col)
{
    const char *v = pg_col_text(stmt, col);
    if (!v)
        return 0;
    if (v[0] == 't' && v[1] == '\0') /* a boolean expression */
        return 1;
    return strtoll(v, NULL, 10);
}

static bool pg_col_null(void *stmt, int col)
{
    pg_stmt *s = stmt;
    return !have_row(s, col) || PQgetisnull(s->res, s->row, col);
}

static int64_t pg_changes(void *stmt)
{
    return ((pg_stmt *)stmt)->changes;
}

static int pg_param_count(void *stmt)
{
    return ((pg_stmt *)stmt)->nparams;
}

/* ---- wake-up hints: NOTIFY and LISTEN ----------------------------------------------------
 * NOTIFY takes a lock of the whole database at commit, so it is sent at most once per
 * transaction (store.c asks only for write transactions that queued work) and carries no more
 * than the sender's node id. */

static oa_status pg_notify(void *conn, const char *self)
{
    pg_conn *pc = conn;
    char *lit = PQescapeLiteral(pc->c, self, strlen(self));
    if (!lit) {
        set_err(pc, "cannot quote the node id for NOTIFY");
        return OA_ERR;
    }
    free(pc->notify_sql); /* at most one per transaction: the last one wins */
    pc->notify_sql = xasprintf("SELECT pg_notify('" PG_CHANNEL "', %s); ", lit);
    PQfreemem(lit);
    return OA_OK; /* sent with the COMMIT (pg_commit) */
}

/* Waits up to ms for the connection's socket to be readable. */
static bool wait_readable(PGconn *c, int ms)
{
    struct pollfd p = {.fd = PQsocket(c), .events = POLLIN};
    return p.fd >= 0 && poll(&p, 1, ms) > 0;
}

static void *listener(void *arg)
{
    pg_db *d = arg;
    PGconn *c = NULL;
    int backoff_ms = 100;
    while (!atomic_load(&d->stop)) {
        if (!c || PQstatus(c) != CONNECTION_OK) {
            PQfinish(c);
            c = connect_url(d->url);
            PGresult *r =
                c && PQstatus(c) == CONNECTION_OK ? PQexec(c, "LISTEN " PG_CHANNEL) : NULL;
            bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
            PQclear(r);
            if (!ok) {
                /* The server is away: try again, backing off to 5 s; the waiting loops'
                 * fallback poll covers the gap. */
                for (int waited = 0; waited < backoff_ms && !atomic_load(&d->stop); waited += 100)
                    poll(NULL, 0, 100);
                backoff_ms = backoff_ms < 5000 ? backoff_ms * 2 : 5000;
                continue;
            }
            backoff_ms = 100;
            /* Reconnected: anything sent meanwhile was missed, so wake the loops once. */
            d->on_hint(d->hint_arg);
        }
        if (!wait_readable(c, 200))
            continue;
        if (!PQconsumeInput(c))
            continue; /* broken: reconnect above */
        bool other = false;
        PGnotify *n;
        while ((n = PQnotifies(c)) != NULL) {
            if (!n->extra || strcmp(n->extra, d->self) != 0)
                other = true;
            PQfreemem(n);
        }
        if (other)
            d->on_hint(d->hint_arg);
    }
    PQfinish(c);
    return NULL;
}

static void pg_listen(void *db, const char *self, void (*fn)(void *arg), void *arg)
{
    pg_db *d = db;
    if (!fn) { /* stop listening (before what fn wakes goes away) */
        if (d->listening) {
            atomic_store(&d->stop, true);
            pthread_join(d->listener, NULL);
            d->listening = false;
            atomic_store(&d->stop, false);
        }
        return;
    }
    if (d->listening)
        return;
    snprintf(d->self, sizeof d->self, "%s", self);
    d->on_hint = fn;
    d->hint_arg = arg;
    d->listening = pthread_create(&d->listener, NULL, listener, d) == 0;
    if (!d->listening)
        oa_log(OA_LOG_WARN, "store.listen_failed", "reason=\"no thread\" fallback_poll=on");
}

static const void *pg_migrations(size_t *n)
{
    *n = oa_postgres_migrations_n;
    return oa_postgres_migrations;
}

const store_ops store_postgres_ops = {
    .name = "postgres",
    .open = pg_open,
    .close = pg_close,
    .conn_open = pg_conn_open,
    .conn_close = pg_conn_close,
    .exec_script = pg_exec_script,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_text = pg_bind_text,
    .bind_int = pg_bind_int,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_text = pg_col_text,
    .col_int = pg_col_int,
    .col_null = pg_col_null,
    .changes = pg_changes,
    .errmsg = pg_errmsg,
    .param_count = pg_param_count,
    .single_writer = false,
    .migrations = pg_migrations,
    .in_tx = pg_in_tx,
    .conn_ok = pg_conn_ok,
    .notify = pg_notify,
    .schema_lock = pg_schema_lock,
    .tx_lock = pg_tx_lock,
    .listen = pg_listen,
};
