/*
 * sqlite.c - the embedded SQLite backend of store_ops.
 *
 * One file, WAL mode (readers never block the writer), synchronous=NORMAL (a process crash
 * loses nothing committed; only an OS crash can lose the last transactions), write
 * transactions taken with BEGIN IMMEDIATE so two writers never deadlock on lock upgrade, and a
 * busy timeout so writers queue instead of failing. An advisory lock on PATH.lock keeps a
 * second engine process off the same file: the queues' leases assume one process per file.
 * `openapply keys` (store_options.beside_engine) may write API keys while the engine runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/migrations.h"
#include "store/store.h"
#include "util/text.h"

/* Checkpoints run on a thread of their own instead of inside whichever commit crosses SQLite's
 * automatic threshold (which would hold the single writer while it copies pages and syncs).
 * Once the WAL holds CHECKPOINT_FRAMES frames, a PASSIVE checkpoint copies them back while
 * writers go on. A checkpoint racing a busy writer never quite catches up with it, though, and
 * SQLite starts the WAL over only when a new write finds every frame copied: under a writer
 * that never pauses the WAL grew by gigabytes (1.7 GB in a 100k webhook drain, every page
 * lookup searching a longer WAL index). So once the WAL passes CHECKPOINT_RESTART_FRAMES the
 * thread also queues for the store's writer lock (the write gate) like a write transaction and
 * copies the few frames committed since, with no writer running: the next write starts the
 * WAL from its beginning. That pass is short, but it syncs twice while writers wait, so it
 * runs only that rarely. The WAL stays within about CHECKPOINT_RESTART_FRAMES pages.
 *
 * When the thread falls behind anyway (a loaded machine does not schedule it in time), the
 * commit that finds the WAL past CHECKPOINT_HARD_FRAMES checkpoints it itself, inside the wal
 * hook as SQLite's own autocheckpoint does, while it is still the writer: a bound by
 * construction, not by timing. */
#define CHECKPOINT_FRAMES         1000
#define CHECKPOINT_RESTART_FRAMES 8000
#define CHECKPOINT_HARD_FRAMES    16000

typedef struct {
    char *path;
    int lock_fd;
    pthread_t ck_thread;
    bool ck_started;
    pthread_mutex_t ck_mu;
    pthread_cond_t ck_cv;
    bool ck_due, ck_restart, ck_stop;
    void (*gate_lock)(void *), (*gate_unlock)(void *);
    void *gate_arg;
} sq_db;

static void *checkpointer(void *arg)
{
    sq_db *d = arg;
    sqlite3 *h = NULL;
    if (sqlite3_open_v2(d->path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        sqlite3_close(h);
        return NULL;
    }
    sqlite3_busy_timeout(h, 1000);
    /* A new connection opens the file lazily: until it has read it, it does not know the
     * database is in WAL mode and a checkpoint through it does nothing at all. */
    sqlite3_exec(h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    pthread_mutex_lock(&d->ck_mu);
    while (!d->ck_stop) {
        /* Only when a commit left the WAL past CHECKPOINT_FRAMES: an idle engine's database is
         * left alone (a WAL below that is checkpointed at close). */
        while (!d->ck_due && !d->ck_stop)
            pthread_cond_wait(&d->ck_cv, &d->ck_mu);
        bool restart = d->ck_restart;
        d->ck_due = d->ck_restart = false;
        if (d->ck_stop)
            break;
        void (*lock)(void *) = d->gate_lock, (*unlock)(void *) = d->gate_unlock;
        void *gate = d->gate_arg;
        pthread_mutex_unlock(&d->ck_mu);
        /* First while writers go on (copies most frames and syncs them), then, when the WAL
         * is due to start over, with the writer held for the frames committed meanwhile. */
        sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        if (restart && lock) {
            lock(gate);
            sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
            unlock(gate);
        }
        pthread_mutex_lock(&d->ck_mu);
    }
    pthread_mutex_unlock(&d->ck_mu);
    sqlite3_close(h);
    return NULL;
}

static int on_wal(void *arg, sqlite3 *h, const char *name, int frames)
{
    sq_db *d = arg;
    if (frames >= CHECKPOINT_HARD_FRAMES) {
        sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        return SQLITE_OK;
    }
    if (frames >= CHECKPOINT_FRAMES) {
        pthread_mutex_lock(&d->ck_mu);
        d->ck_due = true;
        if (frames >= CHECKPOINT_RESTART_FRAMES)
            d->ck_restart = true;
        pthread_cond_signal(&d->ck_cv);
        pthread_mutex_unlock(&d->ck_mu);
    }
    return SQLITE_OK;
}

static oa_status map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
        return OA_OK;
    case SQLITE_ROW:
        return OA_ROW;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return OA_AGAIN;
    case SQLITE_CONSTRAINT:
        return OA_CONFLICT;
    case SQLITE_TOOBIG:
        return OA_TOO_LARGE;
    default:
        return OA_ERR;
    }
}

static oa_status sq_open(const char *target, bool beside, void **db, char **why)
{
    if (sqlite3_threadsafe() == 0) {
        *why = xstrdup("this SQLite library was built without thread support");
        return OA_ERR;
    }
    /* Name the real problem: a missing or unusable folder, not the lock file inside it. */
    char *dir = xstrdup(target);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        snprintf(dir, strlen(dir) + 1, ".");
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        char eb[128];
        *why = xasprintf("the folder %s of the database %s does not exist (%s): create it, or "
                         "choose another path",
                         dir, target, oa_strerror(errno, eb, sizeof eb));
        free(dir);
        return OA_INVALID;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        *why = xasprintf("the folder %s of the database %s is not writable", dir, target);
        free(dir);
        return OA_INVALID;
    }
    free(dir);
    char *lock_path = xasprintf("%s.lock", target);
    int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        char eb[128];
        *why = xasprintf("cannot open %s: %s", lock_path, oa_strerror(errno, eb, sizeof eb));
        free(lock_path);
        return OA_ERR;
    }
    bool held = flock(fd, LOCK_EX | LOCK_NB) != 0;
    if (held && beside && errno == EWOULDBLOCK) {
        /* An engine has the file (and migrated it): a command beside it goes on unlocked. */
        close(fd);
        fd = -1;
    } else if (held) {
        *why = xasprintf("%s is in use by another openapply process (lock %s held); one engine "
                         "process per SQLite file",
                         target, lock_path);
        free(lock_path);
        close(fd);
        return OA_CONFLICT;
    }
    free(lock_path);
    sq_db *d = xcalloc(1, sizeof *d);
    d->path = xstrdup(target);
    d->lock_fd = fd;
    pthread_mutex_init(&d->ck_mu, NULL);
    pthread_cond_init(&d->ck_cv, NULL);
    *db = d;
    return OA_OK;
}

static void sq_close(void *db)
{
    sq_db *d = db;
    if (!d)
        return;
    if (d->ck_started) {
        pthread_mutex_lock(&d->ck_mu);
        d->ck_stop = true;
        pthread_cond_signal(&d->ck_cv);
        pthread_mutex_unlock(&d->ck_mu);
        pthread_join(d->ck_thread, NULL);
    }
    pthread_mutex_destroy(&d->ck_mu);
    pthread_cond_destroy(&d->ck_cv);
    if (d->lock_fd >= 0)
        close(d->lock_fd); /* releases the flock */
    free(d->path);
    free(d);
}

static oa_status sq_conn_open(void *db, void **conn, char **why)
{
    sq_db *d = db;
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(
        d->path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        *why = xasprintf("cannot open %s: %s", d->path, h ? sqlite3_errmsg(h) : "out of memory");
        sqlite3_close(h);
        return OA_ERR;
    }
    sqlite3_busy_timeout(h, 10000);
    sqlite3_extended_result_codes(h, 1);
    char *err = NULL;
    rc = sqlite3_exec(h,
                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                      "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;",
                      NULL, NULL, &err);
    if (rc != SQLITE_OK) {
        *why = xasprintf("cannot configure %s: %s", d->path, err ? err : sqlite3_errmsg(h));
        sqlite3_free(err);
        sqlite3_close(h);
        return OA_ERR;
    }
    sqlite3_exec(h, "PRAGMA wal_autocheckpoint=0", NULL, NULL, NULL);
    sqlite3_wal_hook(h, on_wal, d);
    /* The checkpointer starts with the first connection (the database file exists then). */
    pthread_mutex_lock(&d->ck_mu);
    if (!d->ck_started)
        d->ck_started = pthread_create(&d->ck_thread, NULL, checkpointer, d) == 0;
    pthread_mutex_unlock(&d->ck_mu);
    *conn = h;
    return OA_OK;
}

static void sq_conn_close(void *conn)
{
    sqlite3_close(conn);
}

static oa_status sq_exec_script(void *conn, const char *sql, char **why)
{
    char *err = NULL;
    int rc = sqlite3_exec(conn, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK && why) {
        free(*why);
        *why = xstrdup(err ? err : sqlite3_errmsg(conn));
    }
    sqlite3_free(err);
    return map_rc(rc);
}

static oa_status sq_begin(void *conn, int iso)
{
    /* One writer at a time: every write is serialized, whatever it asks for. */
    return map_rc(
        sqlite3_exec(conn, iso != STORE_ISO_READ ? "BEGIN IMMEDIATE" : "BEGIN", NULL, NULL, NULL));
}

static oa_status sq_commit(void *conn)
{
    return map_rc(sqlite3_exec(conn, "COMMIT", NULL, NULL, NULL));
}

static void sq_rollback(void *conn)
{
    if (!sqlite3_get_autocommit(conn))
        sqlite3_exec(conn, "ROLLBACK", NULL, NULL, NULL);
}

static oa_status sq_prepare(void *conn, const char *sql, void **stmt)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(s);
        return OA_ERR;
    }
    *stmt = s;
    return OA_OK;
}

static void sq_finalize(void *stmt)
{
    sqlite3_finalize(stmt);
}

static void sq_reset(void *stmt)
{
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

static void sq_bind_text(void *stmt, int idx, const char *s, size_t len)
{
    sqlite3_bind_text64(stmt, idx, s, len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void sq_bind_int(void *stmt, int idx, int64_t v)
{
    sqlite3_bind_int64(stmt, idx, v);
}

static void sq_bind_null(void *stmt, int idx)
{
    sqlite3_bind_null(stmt, idx);
}

static oa_status sq_step(void *stmt)
{
    return map_rc(sqlite3_step(stmt));
}

static const char *sq_col_text(void *stmt, int col)
{
    return (const char *)sqlite3_column_text(stmt, col);
}

static int64_t sq_col_int(void *stmt, int col)
{
    return sqlite3_column_int64(stmt, col);
}

static bool sq_col_null(void *stmt, int col)
{
    return sqlite3_column_type(stmt, col) == SQLITE_NULL;
}

static int64_t sq_changes(void *stmt)
{
    return sqlite3_changes64(sqlite3_db_handle(stmt));
}

static int sq_param_count(void *stmt)
{
    return sqlite3_bind_parameter_count(stmt);
}

static const char *sq_errmsg(void *conn)
{
    return sqlite3_errmsg(conn);
}

static void sq_set_write_gate(void *db, void (*lock)(void *), void (*unlock)(void *), void *arg)
{
    sq_db *d = db;
    pthread_mutex_lock(&d->ck_mu);
    d->gate_lock = lock;
    d->gate_unlock = unlock;
    d->gate_arg = arg;
    pthread_mutex_unlock(&d->ck_mu);
}

static bool sq_in_tx(void *conn)
{
    return !sqlite3_get_autocommit(conn);
}

static const void *sq_migrations(size_t *n)
{
    *n = oa_sqlite_migrations_n;
    return oa_sqlite_migrations;
}

const store_ops store_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .conn_open = sq_conn_open,
    .conn_close = sq_conn_close,
    .exec_script = sq_exec_script,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .bind_text = sq_bind_text,
    .bind_int = sq_bind_int,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_text = sq_col_text,
    .col_int = sq_col_int,
    .col_null = sq_col_null,
    .changes = sq_changes,
    .errmsg = sq_errmsg,
    .param_count = sq_param_count,
    .single_writer = true,
    .exclusive = true,
    .migrations = sq_migrations,
    .set_write_gate = sq_set_write_gate,
    .in_tx = sq_in_tx,
};
