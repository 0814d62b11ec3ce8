/*
 * store.h - the database behind the engine: a connection pool, transactions, prepared
 * statements, migrations, over a backend chosen by the --db URL.
 *
 * Two layers:
 *   - the backend (store_ops, a table of function pointers: sqlite.c today, PostgreSQL later)
 *     knows how to open connections, run a transaction, prepare, bind, step and read columns;
 *   - the entity code (sites.c, postings.c, ... in this folder) is written once, in SQL both
 *     backends accept ("?" placeholders, CAST(? AS TEXT) for nullable parameters, integer
 *     milliseconds for times), and never sees which backend runs it.
 * api/, core/ and jobs/ never write SQL.
 *
 * Transactions: store_transact() runs a callback in one transaction and retries it when the
 * backend reports a transient conflict (SQLite busy, PostgreSQL serialization failure). The
 * callback must be idempotent up to its commit: it may run more than once.
 */
#ifndef OA_STORE_STORE_H
#define OA_STORE_STORE_H

#include "util/oa.h"

typedef struct oa_store oa_store;
typedef struct oa_tx oa_tx;
typedef struct oa_stmt oa_stmt;

/* Backend interface. `db` is the backend's handle for the database, `conn` for one connection,
 * `stmt` for one prepared statement. */
typedef struct store_ops {
    const char *name; /* "sqlite" */
    oa_status (*open)(const char *target, void **db, char **why);
    void (*close)(void *db);
    oa_status (*conn_open)(void *db, void **conn, char **why);
    void (*conn_close)(void *conn);
    /* Runs a script of several statements (migrations); no parameters, no rows. */
    oa_status (*exec_script)(void *conn, const char *sql, char **why);
    oa_status (*begin)(void *conn, bool write);
    oa_status (*commit)(void *conn);
    void (*rollback)(void *conn);
    oa_status (*prepare)(void *conn, const char *sql, void **stmt);
    void (*finalize)(void *stmt);
    void (*reset)(void *stmt);                                         /* clears bindings too */
    void (*bind_text)(void *stmt, int idx, const char *s, size_t len); /* idx from 1; s copied */
    void (*bind_int)(void *stmt, int idx, int64_t v);
    void (*bind_null)(void *stmt, int idx);
    oa_status (*step)(void *stmt); /* OA_ROW, OA_OK (done), OA_AGAIN (retry the tx), OA_ERR */
    const char *(*col_text)(void *stmt, int col); /* NULL for SQL NULL; valid until next step */
    int64_t (*col_int)(void *stmt, int col);
    bool (*col_null)(void *stmt, int col);
    int64_t (*changes)(void *stmt); /* rows changed by the last completed step */
    int (*param_count)(void *stmt); /* number of parameters the statement takes */
    /* True when the database takes one writer at a time (SQLite): write transactions then
     * queue on an in-process lock instead of polling the database's busy handler. */
    bool single_writer;
    const char *(*errmsg)(void *conn);
    /* The backend's numbered migrations (const oa_migration[], see migrations.h). */
    const void *(*migrations)(size_t *n);
} store_ops;

extern const store_ops store_sqlite_ops;

typedef struct {
    int pool_size; /* maximum connections (default 16) */
} store_options;

/* Opens the database named by url ("sqlite:PATH"), applies pending migrations. On failure *why
 * (malloc'd) explains. */
oa_status store_open(const char *url, const store_options *opt, oa_store **out,
                     char **why) OA_MUST_CHECK;
void store_close(oa_store *st);
const char *store_backend(const oa_store *st);

typedef enum { STORE_READ = 0, STORE_WRITE = 1 } store_mode;

/* Runs fn(tx, ctx) in one transaction, committing when it returns OA_OK and rolling back
 * otherwise; retried up to a few times on OA_AGAIN. Returns fn's status (or the commit's). */
oa_status store_transact(oa_store *st, store_mode mode, oa_status (*fn)(oa_tx *tx, void *ctx),
                         void *ctx) OA_MUST_CHECK;

/* One round trip to the database that reads no entity table (health checks). */
oa_status store_ping(oa_store *st) OA_MUST_CHECK;

/* Work the store has done since it was opened, for /metrics and tests (e.g. that an idle
 * engine does not touch the database). Transactions count every attempt that began one, so a
 * retried transaction counts more than once; statements count every statement run through
 * store_query/store_exec/store_exec_n/store_query_int/store_query_text, whether its prepared
 * form came from the cache or not (migration scripts are not counted); slow_writes counts
 * write transactions that held the writer longer than STORE_SLOW_WRITE_MS (each also logs
 * store.slow_write). */
#define STORE_SLOW_WRITE_MS 50

typedef struct {
    int64_t tx_read, tx_write, statements, slow_writes;
} store_work;

void store_work_get(const oa_store *st, store_work *out);

/* Registers a function to call after a transaction that called store_tx_after() commits
 * (wake-ups: a worker, the dispatcher). Runs once per commit, outside the transaction. */
void store_tx_after(oa_tx *tx, void (*fn)(void *arg), void *arg);

/*
 * Statements. `types` describes the parameters that follow, one letter each:
 *   t  const char *   text (NULL binds SQL NULL)
 *   i  int64_t        integer
 *   b  int            boolean as 0/1
 *   n  (no argument)  SQL NULL
 */
oa_status store_exec(oa_tx *tx, const char *sql, const char *types, ...) OA_MUST_CHECK;
/* Like store_exec, and *changes gets the number of rows changed. */
oa_status store_exec_n(oa_tx *tx, int64_t *changes, const char *sql, const char *types,
                       ...) OA_MUST_CHECK;
/* Prepares and binds a query; read rows with store_next, then store_done (always). */
oa_status store_query(oa_tx *tx, oa_stmt **out, const char *sql, const char *types,
                      ...) OA_MUST_CHECK;
oa_status store_next(oa_stmt *s) OA_MUST_CHECK; /* OA_ROW, OA_OK at the end, or an error */
void store_done(oa_stmt *s);
const char *store_text(oa_stmt *s, int col); /* NULL for NULL */
char *store_dup(oa_stmt *s, int col);        /* malloc'd copy, NULL for NULL */
int64_t store_int(oa_stmt *s, int col);
bool store_null(oa_stmt *s, int col);
/* Copies a text column into a fixed buffer (ids); "" for NULL or when it does not fit. */
void store_copy(oa_stmt *s, int col, char *out, size_t n);

/* Row readers for entity code. `read` fills one zeroed element from the current row.
 * store_read_all collects every row into a malloc'd array of `size`-byte elements (on failure
 * it releases what was read with `clear`, which may be NULL, and returns the error);
 * store_read_one reads the first row (OA_NOT_FOUND when there is none); store_read_ids
 * collects column 0 as malloc'd strings (free with store_ids_free). All finish s. */
oa_status store_read_all(oa_stmt *s, size_t size, void (*read)(oa_stmt *s, void *row),
                         void (*clear)(void *row), void *out_array, size_t *n) OA_MUST_CHECK;
oa_status store_read_one(oa_stmt *s, void (*read)(oa_stmt *s, void *row), void *row) OA_MUST_CHECK;
oa_status store_read_ids(oa_stmt *s, char ***ids, size_t *n) OA_MUST_CHECK;
void store_ids_free(char **ids, size_t n);

/* Reads one value from a single-row query (an integer, or a malloc'd string);
 * OA_NOT_FOUND when there is no row or the value is NULL. */
oa_status store_query_int(oa_tx *tx, int64_t *out, const char *sql, const char *types,
                          ...) OA_MUST_CHECK;
oa_status store_query_text(oa_tx *tx, char **out, const char *sql, const char *types,
                           ...) OA_MUST_CHECK;

#endif
