/*
 * sync_mirror.c - an openapply webhook consumer that keeps a SQLite mirror of job postings and
 * applications, built only on the public libopenapply API, libmicrohttpd and SQLite.
 *
 *   sync-mirror --listen 127.0.0.1:9000 --secret whsec_... --db mirror.db
 *
 * For every POST: verify (401 when the signature is bad or stale) -> parse (200 and ignored for
 * an unknown event type, 400 for a body that is not the schema) -> oaw_mirror_apply in one
 * SQLite transaction: an event id seen before is skipped, an event older than the row it
 * would replace is skipped, anything else is written. A posting is `visible` only while it is
 * APPLYABLE: that is what a job board shows and lets candidates apply to. One line per event
 * goes to stdout: "event=ID type=TYPE resource=ID outcome=applied|stale|duplicate".
 *
 * See README.md beside this file.
 */
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>
#include <sqlite3.h>

#include <openapply/openapply.h>

#define MAX_HEADERS 64

static const char SCHEMA[] =
    "PRAGMA journal_mode = WAL;"
    "CREATE TABLE IF NOT EXISTS postings ("
    "  id TEXT PRIMARY KEY,"
    "  career_site_id TEXT NOT NULL,"
    "  career_site_label TEXT NOT NULL,"
    "  url TEXT NOT NULL,"
    "  job_code TEXT,"
    "  availability TEXT NOT NULL,"
    "  archived_reason TEXT,"
    "  updated_at TEXT NOT NULL,"
    "  updated_at_ms INTEGER NOT NULL,"
    "  visible INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS applications ("
    "  id TEXT PRIMARY KEY,"
    "  job_posting_id TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  updated_at_ms INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS processed_events ("
    "  id TEXT PRIMARY KEY,"
    "  type TEXT NOT NULL,"
    "  resource_id TEXT NOT NULL,"
    "  processed_at INTEGER NOT NULL);"
    "CREATE VIEW IF NOT EXISTS visible_postings AS"
    "  SELECT id, url, career_site_label, updated_at FROM postings WHERE visible = 1;";

typedef struct {
    const char *secret;
    sqlite3 *db; /* used by the one MHD thread only */
} app;

/* ---- the mirror store: oaw_mirror_store callbacks over SQLite ---- */

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int db_begin(void *ctx)
{
    return exec(ctx, "BEGIN IMMEDIATE");
}

static int db_end(void *ctx, int commit)
{
    return exec(ctx, commit ? "COMMIT" : "ROLLBACK");
}

/* Runs one statement with text parameters (NULL binds SQL NULL) and an optional integer last.
 * Returns 1 and *out (when out) if a row came back, 0 if none, -1 on error. */
static int run(sqlite3 *db, const char *sql, const char *const *texts, int n_texts,
               const int64_t *ints, int n_ints, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        goto out;
    for (int i = 0; i < n_texts; i++)
        if (sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_TRANSIENT) != SQLITE_OK)
            goto out;
    for (int i = 0; i < n_ints; i++)
        if (sqlite3_bind_int64(st, n_texts + i + 1, ints[i]) != SQLITE_OK)
            goto out;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        if (out)
            *out = sqlite3_column_int64(st, 0);
        rc = 1;
    } else if (s == SQLITE_DONE) {
        rc = 0;
    }
out:
    if (rc < 0)
        fprintf(stderr, "sync-mirror: sqlite: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

static int db_seen(void *ctx, const char *event_id)
{
    const char *t[] = {event_id};
    return run(ctx, "SELECT 1 FROM processed_events WHERE id = ?1", t, 1, NULL, 0, NULL);
}

static int db_record(void *ctx, const char *event_id, const oaw_event *ev)
{
    const char *t[] = {event_id, ev->type, ev->resource_id};
    int64_t now = (int64_t)time(NULL);
    return run(ctx,
               "INSERT INTO processed_events (id, type, resource_id, processed_at) "
               "VALUES (?1, ?2, ?3, ?4)",
               t, 3, &now, 1, NULL) < 0
               ? -1
               : 0;
}

static int db_current(void *ctx, oaw_event_kind kind, const char *resource_id, int64_t *ms)
{
    const char *t[] = {resource_id};
    const char *sql = kind == OAW_EVENT_POSTING
                          ? "SELECT updated_at_ms FROM postings WHERE id = ?1"
                          : "SELECT updated_at_ms FROM applications WHERE id = ?1";
    return run(ctx, sql, t, 1, NULL, 0, ms);
}

static int db_upsert(void *ctx, const oaw_event *ev)
{
    if (ev->kind == OAW_EVENT_POSTING) {
        const oaw_posting *p = &ev->data.posting;
        const char *t[] = {p->id,
                           p->career_site_id,
                           p->career_site_label,
                           p->url,
                           p->job_code,
                           oaw_availability_name(p->availability),
                           oaw_archived_reason_name(p->archived_reason),
                           p->updated_at};
        int64_t ints[] = {p->updated_at_ms, p->availability == OAW_AVAILABILITY_APPLYABLE};
        return run(ctx,
                   "INSERT OR REPLACE INTO postings (id, career_site_id, career_site_label, url, "
                   "job_code, availability, archived_reason, updated_at, updated_at_ms, visible) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                   t, 8, ints, 2, NULL) < 0
                   ? -1
                   : 0;
    }
    const oaw_application *a = &ev->data.application;
    const char *t[] = {a->id, a->job_posting_id, oaw_application_status_name(a->status),
                       a->updated_at};
    return run(ctx,
               "INSERT OR REPLACE INTO applications (id, job_posting_id, status, updated_at, "
               "updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
               t, 4, &a->updated_at_ms, 1, NULL) < 0
               ? -1
               : 0;
}

/* ---- HTTP ---- */

typedef struct {
    char *body;
    size_t len;
    int too_large;
    oaw_header headers[MAX_HEADERS];
    size_t n_headers;
} request;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    request *r = cls;
    if (r->n_headers >= MAX_HEADERS)
        return MHD_NO;
    r->headers[r->n_headers].name = key;
    r->headers[r->n_headers].value = value ? value : "";
    r->n_headers++;
    return MHD_YES;
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *text)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "text/plain");
    enum MHD_Result ok = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* Verify, parse, apply; returns the HTTP status and a short text. */
static unsigned process(app *a, request *r, const char **text)
{
    oaw_event ev;
    oaw_parse_error pe;
    oaw_mirror_outcome outcome;
    oaw_result res = oaw_verify(a->secret, r->headers, r->n_headers, r->body, r->len, NULL);
    if (res != OAW_OK) {
        printf("rejected status=401 reason=\"%s\"\n", oaw_strerror(res));
        *text = oaw_strerror(res);
        return 401;
    }
    res = oaw_event_parse(r->body, r->len, &ev, &pe);
    if (res == OAW_ERR_UNKNOWN_TYPE) {
        printf("ignored status=200 reason=\"%s\"\n", pe.message);
        *text = "ignored: unknown event type";
        return 200;
    }
    if (res != OAW_OK) {
        printf("rejected status=400 reason=\"%s: %s\"\n", pe.path, pe.message);
        *text = oaw_strerror(res);
        return 400;
    }
    oaw_mirror_store store = {.ctx = a->db,
                              .begin = db_begin,
                              .end = db_end,
                              .event_seen = db_seen,
                              .event_record = db_record,
                              .current_updated_at = db_current,
                              .upsert = db_upsert};
    res = oaw_mirror_apply(&store, &ev, &outcome);
    unsigned status = 200;
    if (res == OAW_OK) {
        printf("event=%s type=%s resource=%s outcome=%s\n", ev.id, ev.type, ev.resource_id,
               oaw_mirror_outcome_name(outcome));
        *text = oaw_mirror_outcome_name(outcome);
    } else {
        /* A 5xx makes the sender retry later. */
        printf("error status=500 event=%s reason=\"%s\"\n", ev.id, oaw_strerror(res));
        *text = oaw_strerror(res);
        status = 500;
    }
    oaw_event_free(&ev);
    return status;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)url;
    (void)version;
    app *a = cls;
    request *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->too_large && r->len + *upload_size <= OAW_EVENT_MAX_BODY) {
            char *nb = realloc(r->body, r->len + *upload_size + 1);
            if (!nb)
                return MHD_NO;
            memcpy(nb + r->len, upload, *upload_size);
            r->body = nb;
            r->len += *upload_size;
        } else {
            r->too_large = 1;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(method, "POST") != 0)
        return answer(c, 405, "POST webhooks here\n");
    if (r->too_large)
        return answer(c, 413, "body too large\n");
    MHD_get_connection_values(c, MHD_HEADER_KIND, collect, r);
    const char *text = "";
    unsigned status = process(a, r, &text);
    fflush(stdout);
    return answer(c, status, text);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    request *r = *con_cls;
    if (r) {
        free(r->body);
        free(r);
        *con_cls = NULL;
    }
}

/* ---- main ---- */

static int usage(void)
{
    fprintf(stderr, "usage: sync-mirror --listen HOST:PORT --secret whsec_... --db PATH\n"
                    "       (the secret may also come from $OPENAPPLY_WEBHOOK_SECRET)\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *listen = NULL, *db_path = NULL;
    app a = {.secret = getenv("OPENAPPLY_WEBHOOK_SECRET")};
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--listen") == 0)
            listen = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--secret") == 0)
            a.secret = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--db") == 0)
            db_path = argv[++i];
        else
            return usage();
    }
    if (!listen || !db_path || !a.secret)
        return usage();
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host)
        return usage();
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    size_t hl = strlen(host);
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') { /* [::1]:9000 */
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = '\0';
    }

    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai = NULL;
    if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || !ai) {
        fprintf(stderr, "sync-mirror: cannot resolve %s\n", listen);
        return 2;
    }
    int status = 1;
    struct MHD_Daemon *d = NULL;
    if (sqlite3_open(db_path, &a.db) != SQLITE_OK || exec(a.db, SCHEMA) != 0 ||
        sqlite3_busy_timeout(a.db, 5000) != SQLITE_OK) {
        fprintf(stderr, "sync-mirror: cannot open %s: %s\n", db_path, sqlite3_errmsg(a.db));
        goto out;
    }
    /* Signals are taken by sigwait below: block them before MHD starts its thread. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    /* One internal thread: requests are handled one at a time, so one SQLite connection. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &a, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                         MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "sync-mirror: cannot listen on %s\n", listen);
        goto out;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("sync-mirror listening on http://%s:%u (mirror %s, libopenapply %s)\n", host,
           info ? (unsigned)info->port : 0u, db_path, oaw_version());
    fflush(stdout);
    int sig;
    sigwait(&sigs, &sig);
    status = 0;
out:
    if (d)
        MHD_stop_daemon(d);
    sqlite3_close(a.db);
    freeaddrinfo(ai);
    return status;
}
