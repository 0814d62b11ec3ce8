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
 * callback must be idempotent up to its commit: it may run more than once. On a single_writer
 * backend, write callbacks that queue at the same time share one commit (group commit, each
 * under a savepoint of its own); a callback may then run on another thread than its caller's,
 * which waits until the commit that holds its work. Callbacks must not rely on the thread
 * they run on.
 */
#ifndef OA_STORE_STORE_H
#define OA_STORE_STORE_H

#include "util/oa.h"

typedef struct oa_store oa_store;
typedef struct oa_tx oa_tx;
typedef struct oa_stmt oa_stmt;

enum { STORE_ISO_READ = 0, STORE_ISO_SERIAL = 1, STORE_ISO_LOCKED = 2 };

/* Backend interface. `db` is the backend's handle for the database, `conn` for one connection,
 * `stmt` for one prepared statement. */
typedef struct store_ops {
    const char *name; /* "sqlite" */
    /* beside: a short command next to a running engine (store_options.beside_engine). */
    oa_status (*open)(const char *target, bool beside, void **db, char **why);
    void (*close)(void *db);
    oa_status (*conn_open)(void *db, void **conn, char **why);
    void (*conn_close)(void *conn);
    /* Runs a script of several statements (migrations); no parameters, no rows. */
    oa_status (*exec_script)(void *conn, const char *sql, char **why);
    /* iso: STORE_ISO_READ, STORE_ISO_SERIAL (a write serialized with all others) or
     * STORE_ISO_LOCKED (a write that takes the locks it needs; see STORE_WRITE_LOCKED). */
    oa_status (*begin)(void *conn, int iso);
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
    /* single_writer backends: the store hands the backend its writer lock, so that background
     * maintenance that needs the writer to itself (SQLite's WAL checkpoint) queues for it like
     * any write transaction. Optional. */
    void (*set_write_gate)(void *db, void (*lock)(void *arg), void (*unlock)(void *arg), void *arg);
    /* True while conn is inside a transaction (a statement error may have ended it). */
    bool (*in_tx)(void *conn);
    /* Shared databases: holds (lock true) or lets go of a lock on conn that keeps other
     * processes from migrating at the same time (nodes starting together on an empty
     * database). Optional. */
    oa_status (*schema_lock)(void *conn, bool lock);
    /* Shared databases: takes lock `key` of the database, held by conn's transaction until it
     * ends (other nodes' transactions that ask for it wait). Optional: a backend with one
     * writer at a time needs none. */
    oa_status (*tx_lock)(void *conn, int64_t key);
    /* True when one process at a time can open the database (SQLite's lock file). */
    bool exclusive;
    /* Shared databases: a hint to the other nodes that this transaction queued work, sent
     * inside it (delivered at commit, at most once per transaction), and the listener that
     * receives the others' hints (a thread of the backend's, stopped by close). `self` is this
     * node's id: its own hints are not passed on. Optional. */
    oa_status (*notify)(void *conn, const char *self);
    void (*listen)(void *db, const char *self, void (*fn)(void *arg), void *arg);
    /* False once conn is unusable (the server went away): the pool closes it instead of
     * keeping it, and the next transaction opens a new one. Optional. */
    bool (*conn_ok)(void *conn);
} store_ops;

extern const store_ops store_sqlite_ops;
extern const store_ops store_postgres_ops;

typedef struct {
    int pool_size;       /* maximum connections (default 16) */
    const char *node_id; /* this process's name in the leases it takes (default "local") */
    /* A short administrative command (`openapply keys`) that may run while an engine has the
     * database open: on SQLite it does not insist on the one-process lock (PATH.lock). It takes
     * the lock when free (no engine can start while it migrates) and goes on without it when
     * an engine holds it (that engine migrated the file). It must only write rows the engine
     * reads from the database when it needs them (API keys), and take no leases. */
    bool beside_engine;
} store_options;

/* Opens the database named by url ("sqlite:PATH", or "postgres://USER:PASSWORD@HOST:PORT/DB"
 * and "postgresql://..."), applies pending migrations. On failure *why (malloc'd) explains,
 * never quoting the password. */
oa_status store_open(const char *url, const store_options *opt, oa_store **out,
                     char **why) OA_MUST_CHECK;
void store_close(oa_store *st);
/* The node id leases are taken under (store_options.node_id). */
const char *store_tx_node(const oa_tx *tx);
/* True when this process is the only one that can use the database (SQLite's file lock): a
 * lease found at start was a dead process's, whichever node took it. On a shared database
 * (PostgreSQL) another node may be alive, and only this node's own leases are its to free. */
bool store_tx_exclusive(const oa_tx *tx);
/* Serializes this transaction, from here to its end, with every other node's transaction that
 * takes the same lock (a check-then-claim that must not interleave across nodes, such as the
 * per-tenant parse limit). Nothing to do on a single-writer store. */
enum { STORE_LOCK_PARSE_CLAIM = 1 };
oa_status store_tx_lock(oa_tx *tx, int key) OA_MUST_CHECK;

/* Shared databases (PostgreSQL): fn(arg) runs, on a thread of the store's, when another node
 * commits a transaction that queued work (a write transaction that registered store_tx_after
 * hooks). A hint only: it may come late or not at all (a reconnect), so waiting loops keep a
 * bounded fallback poll (store_poll_ms). Nothing happens on an exclusive store. */
void store_on_remote_write(oa_store *st, void (*fn)(void *arg), void *arg);
/* fn NULL: stops listening; call it before what fn wakes is freed. */
/* How often waiting loops look at the database when no wake-up came: 0 (never, beyond their
 * own due times) on an exclusive store, whose writes all come from this process; a few seconds
 * on a shared one. */
int64_t store_poll_ms(const oa_store *st);
/* True when other processes (nodes) may use the database at the same time (PostgreSQL). */
bool store_shared(const oa_store *st);

/* url with its password (postgres://USER:PASSWORD@...) replaced by ***, for messages. */
void store_url_redact(const char *url, char *out, size_t n);
const char *store_backend(const oa_store *st);

/* A clause of shared SQL that only the PostgreSQL backend runs (SQLite reads a comment), e.g.
 * "... LIMIT ?4 " STORE_PG_ONLY("FOR UPDATE SKIP LOCKED"): the marked form of a backend hook. */
#define STORE_PG_ONLY(clause) "/*pg: " clause " */"

/* STORE_WRITE_ALONE: a write transaction that is a batch of its own (the webhook dispatcher's
 * round): it commits alone instead of joining a group commit, so that its results are not held
 * back until a group of API writes has run.
 * STORE_WRITE_LOCKED: a write transaction like STORE_WRITE whose statements are each complete
 * in themselves or take the row locks they depend on (a claim: one UPDATE ... RETURNING that
 * skips locked rows; updates fenced by a lease token), so that it needs no serializable
 * isolation. STORE_WRITE_ALONE transactions must be written the same way.
 * A backend with concurrent writers (PostgreSQL) runs STORE_WRITE as SERIALIZABLE, and
 * STORE_WRITE_ALONE and STORE_WRITE_LOCKED as READ COMMITTED: a queue's claims at serializable
 * isolation fail one another constantly (they all read the head of the same index). */
typedef enum {
    STORE_READ = 0,
    STORE_WRITE = 1,
    STORE_WRITE_ALONE = 2,
    STORE_WRITE_LOCKED = 3
} store_mode;

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
 * store.slow_write; a group commit counts once). commits counts committed write transactions
 * of the database (a group is one), grouped the write transactions committed as members of a
 * group of two or more. */
#define STORE_SLOW_WRITE_MS 50

typedef struct {
    int64_t tx_read, tx_write, statements, slow_writes, commits, grouped;
    /* Connections closed because they broke (the server went away), and attempts to open one
     * that failed (client-server backends; always 0 on SQLite). */
    int64_t conn_lost, conn_failed;
} store_work;

void store_work_get(const oa_store *st, store_work *out);

/* Registers a function to call after a transaction that called store_tx_after() commits
 * (wake-ups: a worker, the dispatcher). Runs once per commit, outside the transaction. */
void store_tx_after(oa_tx *tx, void (*fn)(void *arg), void *arg);

/*
 * Statements. `types` describes the parameters that follow, one letter each:
 *   t  const char *   text (NULL binds SQL NULL)
 *   i  int64_t        integer (long or long long; an int is widened exactly)
 *   b  int or bool    boolean as 0/1
 *   n  (no argument)  SQL NULL
 *
 * Binding is type-checked: each argument is wrapped by STORE_ARG, whose _Generic makes any
 * other C type (size_t, double, a struct, ...) a compile error and records the type it was
 * given; store.c then checks each letter against it and stops with a message naming the
 * statement and the parameter on a mismatch (a number given for text or the reverse, a missing
 * or extra argument) instead of reading the wrong bytes, as untyped varargs would. Statements are
 * cached per connection by their SQL text, so a string built at run time never meets another
 * statement's cache entry.
 */
typedef struct {
    char tag; /* 't' text, 'i' 64-bit integer, 'b' int or bool, 0 end */
    const char *s;
    int64_t i;
} store_arg;

#define STORE_ARG(x)                                                                               \
    ((store_arg){.tag = _Generic((x), char *: 't', const char *: 't', void *: 't', long: 'i',      \
                     long long: 'i', int: 'b', bool: 'b'),                                         \
                 .s = _Generic((x), char *: (x), const char *: (x), void *: (x), default: NULL),   \
                 .i = _Generic((x), long: (x), long long: (x), int: (x), bool: (x), default: 0)})
/* clang-format off */
#define STORE_NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, n, ...) n
#define STORE_NARGS(...) STORE_NARGS_(__VA_ARGS__ __VA_OPT__(, ) 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define STORE_ARGS_0(...)
#define STORE_ARGS_1(a) STORE_ARG(a)
#define STORE_ARGS_2(a, ...) STORE_ARG(a), STORE_ARGS_1(__VA_ARGS__)
#define STORE_ARGS_3(a, ...) STORE_ARG(a), STORE_ARGS_2(__VA_ARGS__)
#define STORE_ARGS_4(a, ...) STORE_ARG(a), STORE_ARGS_3(__VA_ARGS__)
#define STORE_ARGS_5(a, ...) STORE_ARG(a), STORE_ARGS_4(__VA_ARGS__)
#define STORE_ARGS_6(a, ...) STORE_ARG(a), STORE_ARGS_5(__VA_ARGS__)
#define STORE_ARGS_7(a, ...) STORE_ARG(a), STORE_ARGS_6(__VA_ARGS__)
#define STORE_ARGS_8(a, ...) STORE_ARG(a), STORE_ARGS_7(__VA_ARGS__)
#define STORE_ARGS_9(a, ...) STORE_ARG(a), STORE_ARGS_8(__VA_ARGS__)
#define STORE_ARGS_10(a, ...) STORE_ARG(a), STORE_ARGS_9(__VA_ARGS__)
#define STORE_ARGS_11(a, ...) STORE_ARG(a), STORE_ARGS_10(__VA_ARGS__)
#define STORE_ARGS_12(a, ...) STORE_ARG(a), STORE_ARGS_11(__VA_ARGS__)
#define STORE_ARGS_13(a, ...) STORE_ARG(a), STORE_ARGS_12(__VA_ARGS__)
#define STORE_ARGS_14(a, ...) STORE_ARG(a), STORE_ARGS_13(__VA_ARGS__)
#define STORE_ARGS_15(a, ...) STORE_ARG(a), STORE_ARGS_14(__VA_ARGS__)
#define STORE_ARGS_16(a, ...) STORE_ARG(a), STORE_ARGS_15(__VA_ARGS__)
#define STORE_ARGS_17(a, ...) STORE_ARG(a), STORE_ARGS_16(__VA_ARGS__)
#define STORE_ARGS_18(a, ...) STORE_ARG(a), STORE_ARGS_17(__VA_ARGS__)
#define STORE_ARGS_19(a, ...) STORE_ARG(a), STORE_ARGS_18(__VA_ARGS__)
#define STORE_ARGS_20(a, ...) STORE_ARG(a), STORE_ARGS_19(__VA_ARGS__)
#define STORE_ARGS_21(a, ...) STORE_ARG(a), STORE_ARGS_20(__VA_ARGS__)
#define STORE_ARGS_22(a, ...) STORE_ARG(a), STORE_ARGS_21(__VA_ARGS__)
#define STORE_ARGS_23(a, ...) STORE_ARG(a), STORE_ARGS_22(__VA_ARGS__)
#define STORE_ARGS_24(a, ...) STORE_ARG(a), STORE_ARGS_23(__VA_ARGS__)
#define STORE_ARGS_25(a, ...) STORE_ARG(a), STORE_ARGS_24(__VA_ARGS__)
#define STORE_ARGS_26(a, ...) STORE_ARG(a), STORE_ARGS_25(__VA_ARGS__)
#define STORE_ARGS_27(a, ...) STORE_ARG(a), STORE_ARGS_26(__VA_ARGS__)
#define STORE_ARGS_28(a, ...) STORE_ARG(a), STORE_ARGS_27(__VA_ARGS__)
#define STORE_ARGS_29(a, ...) STORE_ARG(a), STORE_ARGS_28(__VA_ARGS__)
#define STORE_ARGS_30(a, ...) STORE_ARG(a), STORE_ARGS_29(__VA_ARGS__)
#define STORE_ARGS_31(a, ...) STORE_ARG(a), STORE_ARGS_30(__VA_ARGS__)
#define STORE_ARGS_32(a, ...) STORE_ARG(a), STORE_ARGS_31(__VA_ARGS__)
/* clang-format on */
#define STORE_CAT_(a, b) a##b
#define STORE_CAT(a, b)  STORE_CAT_(a, b)
#define STORE_ARGV(...)                                                                            \
    STORE_NARGS(__VA_ARGS__), (const store_arg[])                                                  \
    {                                                                                              \
        __VA_OPT__(STORE_CAT(STORE_ARGS_, STORE_NARGS(__VA_ARGS__))(__VA_ARGS__), )                \
        {                                                                                          \
            .tag = 0                                                                               \
        }                                                                                          \
    }

oa_status store_exec_a(oa_tx *tx, int64_t *changes, const char *sql, const char *types, size_t n,
                       const store_arg *args) OA_MUST_CHECK;
oa_status store_query_a(oa_tx *tx, oa_stmt **out, const char *sql, const char *types, size_t n,
                        const store_arg *args) OA_MUST_CHECK;
oa_status store_query_int_a(oa_tx *tx, int64_t *out, const char *sql, const char *types, size_t n,
                            const store_arg *args) OA_MUST_CHECK;
oa_status store_query_text_a(oa_tx *tx, char **out, const char *sql, const char *types, size_t n,
                             const store_arg *args) OA_MUST_CHECK;

#define store_exec(tx, sql, types, ...) store_exec_a(tx, NULL, sql, types, STORE_ARGV(__VA_ARGS__))
/* Like store_exec, and *changes gets the number of rows changed. */
#define store_exec_n(tx, changes, sql, types, ...)                                                 \
    store_exec_a(tx, changes, sql, types, STORE_ARGV(__VA_ARGS__))
/* Prepares and binds a query; read rows with store_next, then store_done (always). */
#define store_query(tx, out, sql, types, ...)                                                      \
    store_query_a(tx, out, sql, types, STORE_ARGV(__VA_ARGS__))
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
#define store_query_int(tx, out, sql, types, ...)                                                  \
    store_query_int_a(tx, out, sql, types, STORE_ARGV(__VA_ARGS__))
#define store_query_text(tx, out, sql, types, ...)                                                 \
    store_query_text_a(tx, out, sql, types, STORE_ARGV(__VA_ARGS__))

#endif
