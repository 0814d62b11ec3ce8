/*
 * listen.c - `openapply listen`: a local webhook receiver for development, like `stripe listen`.
 *
 * Every POST is verified with libopenapply (401 with the reason when the signature is bad or
 * the timestamp stale). A webhook-id already handled is acknowledged with 200 and dropped:
 * not printed, not forwarded again. Otherwise the event is forwarded when --forward-to is
 * given (the exact body with its original webhook-*, X-Kombo-Signature, Content-Type and
 * User-Agent headers), and printed once on stdout: one line, or pretty JSON with --json.
 *
 * A forward that fails (connection error, timeout, or a non-2xx answer from the target) is
 * answered 502 and the webhook-id is forgotten, so the engine's retry gets another chance; the
 * event is printed when a forward succeeds. The set of handled ids lives in memory (the last
 * SEEN_MAX ids) and is lost on restart.
 *
 * stdout carries the ready line ("openapply listen on http://HOST:PORT") and the events;
 * stderr carries rejections, duplicates and forward failures as key=value log lines.
 */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "http/http.h"
#include "openapply/event.h"
#include "openapply/webhook.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/text.h"

#define SEEN_MAX     16384 /* webhook-ids remembered (oldest forgotten first) */
#define MAX_HEADERS  64
#define HTTP_THREADS 4

typedef enum { SEEN_FREE = 0, SEEN_BUSY, SEEN_DONE } seen_state;

typedef struct {
    uint64_t hash;
    char *id; /* owned */
    seen_state state;
} seen_entry;

typedef struct {
    const char *secret;     /* borrowed from argv/environ */
    const char *forward_to; /* borrowed; NULL = no forwarding */
    const char *save_dir;   /* borrowed; NULL = do not save */
    bool json;
    int tolerance_s;
    int64_t forward_timeout_ms;
    pthread_mutex_t mu; /* guards everything below, and stdout */
    seen_entry *seen;   /* owned: SEEN_MAX entries, a ring */
    size_t seen_next;
    unsigned long n_events, n_duplicates, n_rejected, n_forward_failed;
} listener;

/* ---- the set of handled webhook-ids (caller holds mu) ---- */

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static seen_entry *seen_find(listener *l, const char *id)
{
    uint64_t h = fnv1a(id);
    for (size_t i = 0; i < SEEN_MAX; i++) {
        seen_entry *e = &l->seen[i];
        if (e->state != SEEN_FREE && e->hash == h && strcmp(e->id, id) == 0)
            return e;
    }
    return NULL;
}

static void seen_set(listener *l, const char *id, seen_state st)
{
    seen_entry *e = seen_find(l, id);
    if (!e) {
        e = &l->seen[l->seen_next];
        l->seen_next = (l->seen_next + 1) % SEEN_MAX;
        free(e->id);
        e->id = xstrdup(id);
        e->hash = fnv1a(id);
    }
    e->state = st;
}

static void seen_forget(listener *l, const char *id)
{
    seen_entry *e = seen_find(l, id);
    if (e) {
        free(e->id);
        memset(e, 0, sizeof *e);
    }
}

/* ---- helpers ---- */

typedef struct {
    oaw_header h[MAX_HEADERS];
    size_t n;
    bool overflow;
} header_list;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    header_list *hl = cls;
    if (hl->n >= MAX_HEADERS) {
        hl->overflow = true;
        return MHD_NO;
    }
    hl->h[hl->n].name = key;
    hl->h[hl->n].value = value ? value : "";
    hl->n++;
    return MHD_YES;
}

static const char *first_header(const header_list *hl, const char *name)
{
    for (size_t i = 0; i < hl->n; i++)
        if (strcasecmp(hl->h[i].name, name) == 0)
            return hl->h[i].value;
    return NULL;
}

/* Copies s for a one-line display: whitespace and control characters become '?'. */
static const char *shown(char *out, size_t n, const char *s)
{
    size_t j = 0;
    for (; s && *s && j + 1 < n; s++)
        out[j++] = (unsigned char)*s <= 0x20 || *s == 0x7f ? '?' : *s;
    out[j] = '\0';
    return j ? out : "-";
}

static void reply(http_resp *resp, int status, const char *key, const char *msg)
{
    json_t *o = json_object();
    if (status >= 200 && status < 300)
        json_object_set_new(o, "ok", json_true());
    if (key)
        json_object_set_new(o, key, msg ? json_string(msg) : json_true());
    resp->status = status;
    resp->body = json_dumps(o, JSON_COMPACT);
    if (!resp->body)
        abort(); /* allocation failure: the project's policy */
    resp->len = strlen(resp->body);
    json_decref(o);
}

/* ---- forwarding ---- */

typedef struct {
    long status;
    int64_t ms;
    char error[CURL_ERROR_SIZE + 32];
} forward_result;

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

static bool forwarded_header(const char *name)
{
    return strncasecmp(name, "webhook-", 8) == 0 || strcasecmp(name, "x-kombo-signature") == 0 ||
           strcasecmp(name, "content-type") == 0 || strcasecmp(name, "user-agent") == 0;
}

/* POSTs the body with the original signature, Content-Type and User-Agent headers. */
static bool forward(const listener *l, const header_list *hl, const char *body, size_t len,
                    forward_result *fr)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *sl = NULL;
    bool have_ct = false, ok = false;
    int64_t t0 = oa_mono_ms();
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(fr->error, sizeof fr->error, "cannot create a transfer");
        return false;
    }
    for (size_t i = 0; i < hl->n; i++) {
        if (!forwarded_header(hl->h[i].name))
            continue;
        have_ct |= strcasecmp(hl->h[i].name, "content-type") == 0;
        /* "Name;" is libcurl's way to send a header with an empty value. */
        char *line = *hl->h[i].value ? xasprintf("%s: %s", hl->h[i].name, hl->h[i].value)
                                     : xasprintf("%s;", hl->h[i].name);
        struct curl_slist *n = curl_slist_append(sl, line);
        free(line);
        if (!n)
            abort(); /* allocation failure */
        sl = n;
    }
    /* No made-up Content-Type when the sender had none, and no 100-continue round trip. */
    const char *extra[] = {have_ct ? NULL : "Content-Type:", "Expect:"};
    for (size_t i = 0; i < OA_ARRAY_LEN(extra); i++) {
        if (!extra[i])
            continue;
        struct curl_slist *n = curl_slist_append(sl, extra[i]);
        if (!n)
            abort();
        sl = n;
    }
    curl_easy_setopt(h, CURLOPT_URL, l->forward_to);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, sl);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)l->forward_timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(l->forward_timeout_ms < 5000 ? l->forward_timeout_ms : 5000));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode cc = curl_easy_perform(h);
    fr->ms = oa_mono_ms() - t0;
    if (cc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &fr->status);
    if (cc != CURLE_OK)
        snprintf(fr->error, sizeof fr->error, "%s", *errbuf ? errbuf : curl_easy_strerror(cc));
    else if (fr->status < 200 || fr->status > 299)
        snprintf(fr->error, sizeof fr->error, "the target answered HTTP %ld", fr->status);
    else
        ok = true;
    curl_easy_cleanup(h);
    curl_slist_free_all(sl);
    return ok;
}

/* ---- saving (--save DIR) ---- */

/* Writes DIR/NAME.headers (the signature headers, one "Name: value" a line, as
 * `openapply verify --headers-file` reads them) and DIR/NAME.body (the exact bytes). Returns
 * the base path (malloc'd) or NULL, having said why on stderr. */
static char *save_event(const listener *l, const header_list *hl, const char *body, size_t len,
                        const char *wid)
{
    static const char *const KEEP[] = {"webhook-id", "webhook-timestamp", "webhook-signature",
                                       "X-Kombo-Signature", "Content-Type"};
    char name[96];
    size_t k = 0;
    for (const char *p = wid ? wid : ""; *p && k < sizeof name - 1; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_')
            name[k++] = *p;
    name[k] = '\0';
    if (!k)
        snprintf(name, sizeof name, "event-%lu", l->n_events + 1);
    char *base = xasprintf("%s/%s", l->save_dir, name);
    char *hp = xasprintf("%s.headers", base), *bp = xasprintf("%s.body", base);
    FILE *hf = fopen(hp, "w"), *bf = fopen(bp, "wb");
    bool ok = hf && bf;
    for (size_t i = 0; ok && i < hl->n; i++)
        for (size_t j = 0; j < OA_ARRAY_LEN(KEEP); j++)
            if (strcasecmp(hl->h[i].name, KEEP[j]) == 0)
                ok = fprintf(hf, "%s: %s\n", hl->h[i].name, hl->h[i].value) > 0;
    ok = ok && fwrite(body, 1, len, bf) == len;
    if (hf && fclose(hf) != 0)
        ok = false;
    if (bf && fclose(bf) != 0)
        ok = false;
    if (!ok) {
        char eb[128];
        fprintf(stderr, "openapply listen: cannot save %s.{headers,body}: %s\n", base,
                oa_strerror(errno, eb, sizeof eb));
        free(base);
        base = NULL;
    }
    free(hp);
    free(bp);
    return base;
}

/* ---- printing (caller holds mu) ---- */

static void print_line(const listener *l, const oaw_event *ev, oaw_result pr,
                       const oaw_parse_error *pe, const char *body, size_t len, const char *wid,
                       const forward_result *fr)
{
    char t[OA_TIME_LEN], a[OAW_ID_MAX + 1], b[OAW_ID_MAX + 1], c[64];
    oa_time_fmt(oa_now_ms(), t);
    if (pr == OAW_OK) {
        printf("%s %s id=%s", t, ev->type, shown(a, sizeof a, ev->id));
        if (ev->kind == OAW_EVENT_POSTING) {
            const oaw_posting *p = &ev->data.posting;
            printf(" posting=%s availability=%s", shown(b, sizeof b, p->id),
                   oaw_availability_name(p->availability));
            if (p->archived_reason != OAW_ARCHIVED_REASON_NONE)
                printf(" reason=%s", oaw_archived_reason_name(p->archived_reason));
            printf(" updated_at=%s", shown(c, sizeof c, p->updated_at));
        } else {
            const oaw_application *ap = &ev->data.application;
            printf(" application=%s posting=%s status=%s", shown(b, sizeof b, ap->id),
                   shown(a, sizeof a, ap->job_posting_id), oaw_application_status_name(ap->status));
            printf(" updated_at=%s", shown(c, sizeof c, ap->updated_at));
        }
        if (wid && strcmp(wid, ev->id) != 0)
            printf(" webhook_id=%s", shown(a, sizeof a, wid));
    } else {
        /* Signed, but not one of the two AI Apply events: show what can be shown. */
        json_t *root = json_loadb(body, len, 0, NULL);
        const char *type = json_string_value(json_object_get(root, "type"));
        const char *id = json_string_value(json_object_get(root, "id"));
        printf("%s %s id=%s", t, shown(c, sizeof c, type), shown(a, sizeof a, id ? id : wid));
        char msg[sizeof pe->path + sizeof pe->message + 4];
        snprintf(msg, sizeof msg, "%s %s", pe->path, pe->message);
        for (char *p = msg; *p; p++)
            if (*p == '"' || (unsigned char)*p < 0x20)
                *p = '\'';
        printf(" note=\"%s: %s\"", pr == OAW_ERR_UNKNOWN_TYPE ? "not an AI Apply event" : "invalid",
               msg);
        json_decref(root);
    }
    if (l->forward_to)
        printf(" forward=%ld ms=%lld", fr->status, (long long)fr->ms);
    printf("\n");
}

static void print_json(const listener *l, const char *body, size_t len, const char *wid,
                       const forward_result *fr)
{
    json_t *root = json_loadb(body, len, 0, NULL);
    if (!root)
        root =
            json_pack("{s:s?, s:I}", "webhook_id", wid, "unparsable_body_bytes", (json_int_t)len);
    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("\n");
    json_decref(root);
    if (l->forward_to) {
        char a[OAW_ID_MAX + 1];
        fprintf(stderr, "forwarded %s to %s: HTTP %ld in %lld ms\n", shown(a, sizeof a, wid),
                l->forward_to, fr->status, (long long)fr->ms);
    }
}

/* ---- the HTTP handlers ---- */

static void prepare(http_req *r, void *app)
{
    (void)app;
    r->body_limit = OAW_EVENT_MAX_BODY;
}

static void handle(http_req *r, http_resp *resp, void *app)
{
    listener *l = app;
    header_list hl = {0};
    oaw_event ev = {0};
    oaw_parse_error pe = {0};
    forward_result fr = {0};
    char q[OA_LOGQ_SIZE], q2[OA_LOGQ_SIZE];
    if (strcmp(r->method, "POST") != 0) {
        snprintf(resp->allow, sizeof resp->allow, "POST");
        reply(resp, 405, "error", "webhooks are POSTed");
        return;
    }
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, collect, &hl);
    if (hl.overflow) {
        reply(resp, 400, "error", "too many headers");
        return;
    }
    const char *body = oa_buf_cstr(&r->body);
    size_t len = r->body.len;
    const char *wid = first_header(&hl, "webhook-id");
    oaw_verify_opts vo = {.tolerance_s = l->tolerance_s};
    oaw_verify_info info;
    oaw_result vr = oaw_verify_ex(l->secret, hl.h, hl.n, body, len, &vo, &info);
    if (vr != OAW_OK) {
        pthread_mutex_lock(&l->mu);
        l->n_rejected++;
        pthread_mutex_unlock(&l->mu);
        oa_log(OA_LOG_WARN, "listen.rejected", "status=401 webhook_id=%s reason=%s",
               oa_logq(q, sizeof q, wid ? wid : "-"), oa_logq(q2, sizeof q2, oaw_strerror(vr)));
        reply(resp, 401, "error", oaw_strerror(vr));
        return;
    }
    oaw_result pr = oaw_event_parse(body, len, &ev, &pe);
    /* The dedupe key: webhook-id, or the event id for X-Kombo-Signature-only senders. */
    const char *key = wid ? wid : pr == OAW_OK ? ev.id : NULL;
    if (key) {
        pthread_mutex_lock(&l->mu);
        seen_entry *e = seen_find(l, key);
        seen_state st = e ? e->state : SEEN_FREE;
        if (st == SEEN_DONE)
            l->n_duplicates++;
        else if (st == SEEN_FREE)
            seen_set(l, key, SEEN_BUSY);
        pthread_mutex_unlock(&l->mu);
        if (st == SEEN_DONE) {
            oa_log(OA_LOG_WARN, "listen.duplicate",
                   "status=200 webhook_id=%s note=already_handled_not_printed_or_forwarded",
                   oa_logq(q, sizeof q, key));
            reply(resp, 200, "duplicate", NULL);
            goto out;
        }
        if (st == SEEN_BUSY) {
            reply(resp, 409, "error", "this webhook-id is being handled right now");
            goto out;
        }
    }
    bool fwd_ok = !l->forward_to || forward(l, &hl, body, len, &fr);
    pthread_mutex_lock(&l->mu);
    if (!fwd_ok) {
        if (key)
            seen_forget(l, key);
        l->n_forward_failed++;
        pthread_mutex_unlock(&l->mu);
        oa_log(OA_LOG_WARN, "listen.forward_failed",
               "status=502 webhook_id=%s target_status=%ld ms=%lld error=%s",
               oa_logq(q, sizeof q, key ? key : "-"), fr.status, (long long)fr.ms,
               oa_logq(q2, sizeof q2, fr.error));
        reply(resp, 502, "error", fr.error);
        goto out;
    }
    if (key)
        seen_set(l, key, SEEN_DONE);
    l->n_events++;
    if (l->json)
        print_json(l, body, len, key, &fr);
    else
        print_line(l, &ev, pr, &pe, body, len, wid, &fr);
    if (l->save_dir) {
        char *base = save_event(l, &hl, body, len, key);
        /* A command to check it again, without the secret's value. */
        if (base)
            printf("  saved: openapply verify --secret \"$SECRET\" --headers-file %s.headers "
                   "< %s.body\n",
                   base, base);
        free(base);
    }
    fflush(stdout);
    pthread_mutex_unlock(&l->mu);
    reply(resp, 200, NULL, NULL);
out:
    oaw_event_free(&ev);
}

/* ---- the command ---- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: openapply listen --listen HOST:PORT --secret SECRET [--forward-to URL]\n"
            "                        [--json] [--tolerance SECONDS] [--forward-timeout DURATION]\n"
            "\n"
            "Receives webhooks (register http://HOST:PORT/ as an endpoint), verifies them,\n"
            "answers 401 to a bad or stale signature, acknowledges repeated webhook-ids\n"
            "without printing or forwarding them again, prints each event, and forwards it\n"
            "when asked. A failed forward is answered 502 so that the engine retries.\n"
            "\n"
            "  --listen HOST:PORT          address to listen on (port 0 picks a free port)\n"
            "  --secret SECRET             the endpoint's whsec_ secret (or $" CLI_SECRET_ENV ")\n"
            "  --forward-to URL            POST each new event here: exact body, original\n"
            "                              webhook-*, X-Kombo-Signature, Content-Type and\n"
            "                              User-Agent headers\n"
            "  --json                      print each event as pretty JSON instead of one line\n"
            "  --save DIR                  also write each event to DIR/ID.headers and\n"
            "                              DIR/ID.body, and print the `openapply verify` command\n"
            "                              that checks it\n"
            "  --tolerance SECONDS         accepted webhook-timestamp age [300]\n"
            "  --forward-timeout DURATION  timeout of one forward [10s]\n"
            "  --log-level LEVEL           stderr log level: debug|info|warn|error [warn]\n"
            "\n"
            "When ready it prints \"openapply listen on http://HOST:PORT\".\n");
}

static int bad_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "openapply listen: %s%s%s%s\nRun 'openapply listen --help' for usage.\n", msg,
            arg ? " \"" : "", arg ? arg : "", arg ? "\"" : "");
    return 2;
}

static const struct option OPTS[] = {
    {"listen", required_argument, NULL, 'l'},
    {"secret", required_argument, NULL, 's'},
    {"forward-to", required_argument, NULL, 'f'},
    {"json", no_argument, NULL, 'j'},
    {"tolerance", required_argument, NULL, 't'},
    {"forward-timeout", required_argument, NULL, 'T'},
    {"log-level", required_argument, NULL, 'L'},
    {"save", required_argument, NULL, 'S'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Parses the flags into l and *addr; 0 to run, -1 after --help, else an exit status. */
static int parse(int argc, char **argv, listener *l, const char **addr)
{
    int64_t v;
    int c;
    bool ok;
    oa_log_set_level(OA_LOG_WARN);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", OPTS, NULL)) != -1) {
        switch (c) {
        case 'l':
            *addr = optarg;
            break;
        case 's':
            l->secret = optarg;
            break;
        case 'f':
            l->forward_to = optarg;
            break;
        case 'j':
            l->json = true;
            break;
        case 'S': {
            struct stat st;
            if (stat(optarg, &st) != 0 || !S_ISDIR(st.st_mode))
                return bad_usage("--save needs an existing directory, got", optarg);
            l->save_dir = optarg;
            break;
        }
        case 't':
            if (oa_parse_int(optarg, 1, 10LL * 365 * 86400, &v) != OA_OK)
                return bad_usage("--tolerance must be a number of seconds (1 or more), got",
                                 optarg);
            l->tolerance_s = (int)v;
            break;
        case 'T':
            if (oa_duration_parse(optarg, &l->forward_timeout_ms) != OA_OK ||
                l->forward_timeout_ms < 100)
                return bad_usage("--forward-timeout must be a duration of at least 100ms, got",
                                 optarg);
            break;
        case 'L': {
            oa_log_level lvl = oa_log_parse_level(optarg, &ok);
            if (!ok)
                return bad_usage("--log-level must be debug, info, warn or error, got", optarg);
            oa_log_set_level(lvl);
            break;
        }
        case 'h':
            usage(stdout);
            return -1;
        case ':':
            return bad_usage("missing value for", argv[optind - 1]);
        default:
            return bad_usage("unknown option", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return bad_usage("unexpected argument", argv[optind]);
    if (!*addr)
        return bad_usage("--listen HOST:PORT is required", NULL);
    char host[256], *why = NULL;
    int port;
    if (http_parse_listen(*addr, host, sizeof host, &port, &why) != OA_OK) {
        int rc = bad_usage(why, NULL);
        free(why);
        return rc;
    }
    if (!l->secret || !*l->secret)
        return bad_usage("--secret is required (or set $" CLI_SECRET_ENV ")", NULL);
    char sig[OAW_SIGNATURE_MAX];
    if (oaw_sign_standard(l->secret, "check", 0, "", 0, sig) != OAW_OK)
        return bad_usage(oaw_strerror(OAW_ERR_SECRET), NULL);
    if (l->forward_to && strncasecmp(l->forward_to, "http://", 7) != 0 &&
        strncasecmp(l->forward_to, "https://", 8) != 0)
        return bad_usage("--forward-to must be an http:// or https:// URL, got", l->forward_to);
    return 0;
}

int cli_listen(int argc, char **argv)
{
    listener l = {.secret = getenv(CLI_SECRET_ENV),
                  .tolerance_s = OAW_DEFAULT_TOLERANCE,
                  .forward_timeout_ms = 10000};
    const char *addr = NULL;
    char *why = NULL;
    http_server *hs = NULL;
    int rc = parse(argc, argv, &l, &addr);
    if (rc != 0)
        return rc < 0 ? 0 : rc;

    /* Signals are taken by sigwait here: block them before any thread starts. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "openapply listen: cannot initialise libcurl\n");
        return 1;
    }
    pthread_mutex_init(&l.mu, NULL);
    l.seen = xcalloc(SEEN_MAX, sizeof *l.seen);
    http_handlers hh = {prepare, handle, &l};
    rc = 1;
    if (http_start(addr, HTTP_THREADS, &hh, &hs, &why) != OA_OK) {
        fprintf(stderr, "openapply listen: %s\n", why ? why : "cannot start the HTTP server");
        goto out;
    }
    printf("openapply listen on http://%s\n", http_address(hs));
    fflush(stdout);
    fprintf(stderr,
            "openapply listen: register http://%s/ as a webhook endpoint; %s%s; Ctrl-C to stop\n",
            http_address(hs), l.forward_to ? "forwarding to " : "not forwarding",
            l.forward_to ? l.forward_to : "");
    int sig = 0;
    sigwait(&sigs, &sig);
    http_stop(hs, 5000);
    fprintf(stderr,
            "openapply listen: stopped: %lu events, %lu duplicates dropped, %lu rejected, %lu "
            "forwards failed\n",
            l.n_events, l.n_duplicates, l.n_rejected, l.n_forward_failed);
    rc = 0;
out:
    free(why);
    for (size_t i = 0; i < SEEN_MAX; i++)
        free(l.seen[i].id);
    free(l.seen);
    pthread_mutex_destroy(&l.mu);
    curl_global_cleanup();
    return rc;
}
