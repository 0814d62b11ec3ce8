/*
 * main.c - the openapply command line: serve, verify, listen, keys, version (verify, listen
 * and keys live in cli/; verify and listen on libopenapply).
 *
 * Every serve flag can also come from an OPENAPPLY_* environment variable; flags win.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/api.h"
#include "browser/browser.h"
#include "cli/cli.h"
#include "drivers/fetch.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "svc/svc.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/text.h"
#include "webhook/dispatch.h"

#define MAX_KEYS     64
#define MAX_SCHEDULE 16

typedef struct {
    const char *listen;
    const char *db;
    const char *node_id; /* NULL: HOST:PORT of --listen, or HOST-PID for port 0 */
    char *keys[MAX_KEYS];
    size_t n_keys;
    bool allow_private;
    int64_t refresh_ms;
    int64_t retry[MAX_SCHEDULE];
    size_t n_retry;
    int64_t apply_retry[MAX_SCHEDULE];
    size_t n_apply_retry;
    int64_t fetch_timeout_ms;
    int64_t webhook_timeout_ms;
    int64_t disable_after_ms;
    int64_t secret_grace_ms;
    int64_t retention_ms;
    int64_t job_lease_ms;
    rl_config rate_limit;
    int endpoint_concurrency;
    int workers;
    int http_threads;
    int browsers;               /* headless Chromium processes for script-rendered pages */
    const char *browser_path;   /* the chromium binary */
    int64_t browser_timeout_ms; /* one page in the browser */
} serve_opts;

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: openapply <command> [options]\n"
        "\n"
        "commands:\n"
        "  serve     run the engine (HTTP API, background workers)\n"
        "  verify    check a received webhook's signature (openapply verify --help)\n"
        "  listen    receive, verify, print and forward webhooks locally (openapply listen "
        "--help)\n"
        "  keys      list, create and revoke API keys (openapply keys --help)\n"
        "  version   print the version\n"
        "\n"
        "openapply serve options (each also read from the OPENAPPLY_* variable shown):\n"
        "  --listen HOST:PORT          address to listen on [127.0.0.1:8080] (OPENAPPLY_LISTEN)\n"
        "  --db URL                    sqlite:PATH or postgres://USER:PASS@HOST:PORT/DB\n"
        "                              [sqlite:openapply.db] (OPENAPPLY_DB)\n"
        "  --node-id ID                this engine's name in the leases it takes, unique\n"
        "                              among the nodes sharing one database [HOST:PORT]\n"
        "                              (OPENAPPLY_NODE_ID)\n"
        "  --api-key [TENANT:]KEY      accept KEY as a Bearer token for TENANT (default\n"
        "                              \"default\"); repeatable (OPENAPPLY_API_KEY, "
        "comma-separated)\n"
        "  --allow-private-networks    let postings and webhooks reach loopback/private\n"
        "                              addresses (tests, local demos) "
        "(OPENAPPLY_ALLOW_PRIVATE_NETWORKS=1)\n"
        "  --allow-private HOST[:PORT] let postings and webhooks reach just this private\n"
        "                              target (an internal career site); repeatable\n"
        "                              (OPENAPPLY_ALLOW_PRIVATE, comma-separated)\n"
        "  --refresh-interval DURATION re-check applyable postings this often [6h]\n"
        "                              (OPENAPPLY_REFRESH_INTERVAL)\n"
        "  --retry-schedule LIST       webhook delivery attempts [0,5s,5m,30m,2h,5h,10h,10h]\n"
        "                              (OPENAPPLY_RETRY_SCHEDULE)\n"
        "  --apply-retry-schedule LIST delays before retrying a submission that failed\n"
        "                              transiently [30s,2m,10m,30m] "
        "(OPENAPPLY_APPLY_RETRY_SCHEDULE)\n"
        "  --fetch-timeout DURATION    timeout of one career-site request, at most 2m [30s]\n"
        "                              (OPENAPPLY_FETCH_TIMEOUT)\n"
        "  --rate-limit RATE[,BURST]   API write requests per key: RATE per second (N, N/s or\n"
        "                              N/m), bursts up to BURST; off to disable [100/s,200]\n"
        "                              (OPENAPPLY_RATE_LIMIT)\n"
        "  --job-lease DURATION        lease of a running parse/apply job, renewed every third\n"
        "                              of it while the job runs; a testing knob [5m]\n"
        "                              (OPENAPPLY_JOB_LEASE)\n"
        "  --webhook-timeout DURATION  timeout of one webhook attempt [15s]\n"
        "                              (OPENAPPLY_WEBHOOK_TIMEOUT)\n"
        "  --endpoint-disable-after DURATION\n"
        "                              disable an endpoint whose every attempt failed this long\n"
        "                              [5d] (OPENAPPLY_ENDPOINT_DISABLE_AFTER)\n"
        "  --secret-grace DURATION     an old endpoint secret keeps signing this long after a\n"
        "                              rotation [24h] (OPENAPPLY_SECRET_GRACE)\n"
        "  --endpoint-concurrency N    webhook requests in flight per endpoint, 1-64 [8]\n"
        "                              (OPENAPPLY_ENDPOINT_CONCURRENCY)\n"
        "  --retention DURATION        keep finished deliveries, their attempts and events this\n"
        "                              long [30d] (OPENAPPLY_RETENTION)\n"
        "  --workers N                 background worker threads [8] (OPENAPPLY_WORKERS)\n"
        "  --http-threads N            HTTP thread pool size [8] (OPENAPPLY_HTTP_THREADS)\n"
        "  --browsers N                headless Chromium processes that render script-built\n"
        "                              career pages, 0-16; 0 turns the browser off [2]\n"
        "                              (OPENAPPLY_BROWSERS)\n"
        "  --browser-path PATH         the Chromium binary [/usr/bin/chromium]\n"
        "                              (OPENAPPLY_BROWSER_PATH)\n"
        "  --browser-timeout DURATION  one page in the browser, from load to read, 1s-2m\n"
        "                              [15s] (OPENAPPLY_BROWSER_TIMEOUT)\n"
        "  --log-level LEVEL           debug|info|warn|error [info] (OPENAPPLY_LOG_LEVEL)\n"
        "  --connector-base NAME=URL   send an ATS connector's API calls to URL instead of the\n"
        "                              vendor's (a local fake, a proxy); {account} and {host}\n"
        "                              in URL stand for the posting's; repeatable\n"
        "                              (OPENAPPLY_CONNECTOR_BASE, comma-separated)\n"
        "\n"
        "Durations are written 500ms, 5s, 5m, 2h, 1d.\n");
}

static int die_usage(const char *fmt, ...) OA_PRINTF(1, 2);
static int die_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "openapply: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nRun 'openapply --help' for usage.\n");
    va_end(ap);
    return 2;
}

static bool parse_schedule(const char *s, int64_t *out, size_t *n)
{
    oa_strlist l;
    if (oa_strlist_split(s, MAX_SCHEDULE, &l) != OA_OK || l.n == 0) {
        oa_strlist_free(&l);
        return false;
    }
    int64_t tmp[MAX_SCHEDULE];
    bool ok = true;
    for (size_t i = 0; i < l.n && ok; i++)
        ok = oa_duration_parse(l.items[i], &tmp[i]) == OA_OK;
    if (ok) {
        memcpy(out, tmp, l.n * sizeof *tmp);
        *n = l.n;
    }
    oa_strlist_free(&l);
    return ok;
}

static int add_key(serve_opts *o, const char *spec)
{
    if (o->n_keys >= MAX_KEYS)
        return die_usage("at most %d --api-key values", MAX_KEYS);
    const char *colon = strchr(spec, ':');
    char *tenant = colon ? xstrndup(spec, (size_t)(colon - spec)) : xstrdup("default");
    const char *key = colon ? colon + 1 : spec;
    int rc = 0;
    if (!oa_tenant_valid(tenant))
        rc = die_usage("--api-key: tenant \"%s\" must be 1-64 letters, digits, '-', '_' or '.'",
                       tenant);
    else if (!*key || strpbrk(key, " \t\r\n,") || strlen(key) > 512)
        rc = die_usage("--api-key: the key must be 1-512 characters without spaces or commas");
    if (rc == 0)
        o->keys[o->n_keys++] = xasprintf("%s:%s", tenant, key);
    free(tenant);
    return rc;
}

/* Another node queued work (a LISTEN/NOTIFY hint): look for it now. */
static void remote_wake(void *arg)
{
    svc *s = arg;
    if (s->wake_jobs)
        s->wake_jobs(s->wake_jobs_arg);
    if (s->wake_events)
        s->wake_events(s->wake_events_arg);
}

/* The node id: --node-id, else this host's name and the --listen port (unique among the
 * engines of one machine, the same after a restart), else with port 0 the host and pid. */
static void default_node_id(const serve_opts *o, char *out, size_t n)
{
    if (o->node_id) {
        snprintf(out, n, "%s", o->node_id);
        return;
    }
    char host[64] = "localhost";
    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0';
    const char *port = strrchr(o->listen, ':');
    if (port && strcmp(port + 1, "0") != 0 && port[1])
        snprintf(out, n, "%.40s:%.8s", host, port + 1);
    else
        snprintf(out, n, "%.40s-%ld", host, (long)getpid());
}

static bool env_true(const char *v)
{
    return v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0);
}

/* Applies one serve option, from a flag or its environment variable (`src` names it). */
static int apply_opt(serve_opts *o, int c, const char *arg, const char *src)
{
    switch (c) {
    case 'l':
        o->listen = arg;
        return 0;
    case 'd':
        o->db = arg;
        return 0;
    case 'N':
        if (!*arg || strlen(arg) > 63 || strpbrk(arg, " \t\r\n\"\\"))
            return die_usage("%s: \"%s\" is not a node id of 1-63 characters without spaces "
                             "or quotes",
                             src, arg);
        o->node_id = arg;
        return 0;
    case 'k':
        return add_key(o, arg);
    case 'p':
        o->allow_private = true;
        return 0;
    case 'a': {
        char *why = NULL;
        if (oa_private_allow_add(arg, &why) != OA_OK) {
            int rc = die_usage("%s: %s", src, why);
            free(why);
            return rc;
        }
        return 0;
    }
    case 'b': {
        int64_t v;
        if (oa_parse_int(arg, 0, 16, &v) != OA_OK)
            return die_usage("%s: \"%s\" is not a number from 0 to 16", src, arg);
        o->browsers = (int)v;
        return 0;
    }
    case 'O':
        if (oa_duration_parse(arg, &o->browser_timeout_ms) != OA_OK ||
            o->browser_timeout_ms < 1000 || o->browser_timeout_ms > 120000)
            return die_usage("%s: \"%s\" is not a duration from 1s to 2m", src, arg);
        return 0;
    case 'P':
        if (!*arg)
            return die_usage("%s: empty path", src);
        o->browser_path = arg;
        return 0;
    case 'r':
        if (oa_duration_parse(arg, &o->refresh_ms) != OA_OK || o->refresh_ms < 1000)
            return die_usage("%s: \"%s\" is not a duration of at least 1s (e.g. 30m, 6h)", src,
                             arg);
        return 0;
    case 's':
        if (!parse_schedule(arg, o->retry, &o->n_retry))
            return die_usage(
                "%s: \"%s\" is not a comma-separated list of 1-%d durations (e.g. 0,5s,5m)", src,
                arg, MAX_SCHEDULE);
        return 0;
    case 'A':
        if (!parse_schedule(arg, o->apply_retry, &o->n_apply_retry))
            return die_usage("%s: \"%s\" is not a comma-separated list of 1-%d durations", src, arg,
                             MAX_SCHEDULE);
        return 0;
    case 't':
        if (oa_duration_parse(arg, &o->fetch_timeout_ms) != OA_OK || o->fetch_timeout_ms < 100 ||
            o->fetch_timeout_ms > JOBS_MAX_FETCH_TIMEOUT_MS)
            return die_usage("%s: \"%s\" is not a duration from 100ms to 2m", src, arg);
        return 0;
    case 'Q':
        if (rl_parse(arg, &o->rate_limit) != OA_OK)
            return die_usage("%s: \"%s\" is not RATE[,BURST] (e.g. 100/s,200, 600/m) or off", src,
                             arg);
        return 0;
    case 'J':
        if (oa_duration_parse(arg, &o->job_lease_ms) != OA_OK || o->job_lease_ms < 300)
            return die_usage("%s: \"%s\" is not a duration of at least 300ms", src, arg);
        return 0;
    case 'W':
        if (oa_duration_parse(arg, &o->webhook_timeout_ms) != OA_OK || o->webhook_timeout_ms < 100)
            return die_usage("%s: \"%s\" is not a duration of at least 100ms", src, arg);
        return 0;
    case 'D':
        if (oa_duration_parse(arg, &o->disable_after_ms) != OA_OK || o->disable_after_ms < 1000)
            return die_usage("%s: \"%s\" is not a duration of at least 1s", src, arg);
        return 0;
    case 'G':
        if (oa_duration_parse(arg, &o->secret_grace_ms) != OA_OK)
            return die_usage("%s: \"%s\" is not a duration (e.g. 24h, 0)", src, arg);
        return 0;
    case 'R':
        if (oa_duration_parse(arg, &o->retention_ms) != OA_OK || o->retention_ms < 1000)
            return die_usage("%s: \"%s\" is not a duration of at least 1s (e.g. 30d)", src, arg);
        return 0;
    case 'w':
    case 'T':
    case 'C': {
        int64_t v;
        int64_t max = c == 'C' ? STORE_CLAIM_MAX : 256;
        if (oa_parse_int(arg, 1, max, &v) != OA_OK)
            return die_usage("%s: \"%s\" is not a number from 1 to %lld", src, arg, (long long)max);
        if (c == 'w')
            o->workers = (int)v;
        else if (c == 'T')
            o->http_threads = (int)v;
        else
            o->endpoint_concurrency = (int)v;
        return 0;
    }
    case 'B': {
        const char *eq = strchr(arg, '=');
        char name[64];
        if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof name)
            return die_usage("%s: expected NAME=URL (connectors: %s), got \"%.80s\"", src,
                             drv_names(), arg);
        memcpy(name, arg, (size_t)(eq - arg));
        name[eq - arg] = '\0';
        oa_status brc = drv_set_base(name, eq + 1);
        if (brc == OA_NOT_FOUND)
            return die_usage("%s: \"%s\" is not a connector (connectors: %s)", src, name,
                             drv_names());
        if (brc != OA_OK)
            return die_usage("%s: the base of %s must be an http:// or https:// URL", src, name);
        return 0;
    }
    case 'L': {
        bool ok;
        oa_log_level lvl = oa_log_parse_level(arg, &ok);
        if (!ok)
            return die_usage("%s: \"%s\" is not one of debug, info, warn, error", src, arg);
        oa_log_set_level(lvl);
        return 0;
    }
    }
    return die_usage("unknown or incomplete option");
}

static const struct option SERVE_OPTS[] = {
    {"listen", required_argument, NULL, 'l'},
    {"db", required_argument, NULL, 'd'},
    {"node-id", required_argument, NULL, 'N'},
    {"api-key", required_argument, NULL, 'k'},
    {"allow-private-networks", no_argument, NULL, 'p'},
    {"allow-private", required_argument, NULL, 'a'},
    {"browsers", required_argument, NULL, 'b'},
    {"browser-path", required_argument, NULL, 'P'},
    {"browser-timeout", required_argument, NULL, 'O'},
    {"refresh-interval", required_argument, NULL, 'r'},
    {"retry-schedule", required_argument, NULL, 's'},
    {"apply-retry-schedule", required_argument, NULL, 'A'},
    {"fetch-timeout", required_argument, NULL, 't'},
    {"webhook-timeout", required_argument, NULL, 'W'},
    {"endpoint-disable-after", required_argument, NULL, 'D'},
    {"secret-grace", required_argument, NULL, 'G'},
    {"endpoint-concurrency", required_argument, NULL, 'C'},
    {"retention", required_argument, NULL, 'R'},
    {"job-lease", required_argument, NULL, 'J'},
    {"rate-limit", required_argument, NULL, 'Q'},
    {"workers", required_argument, NULL, 'w'},
    {"http-threads", required_argument, NULL, 'T'},
    {"log-level", required_argument, NULL, 'L'},
    {"connector-base", required_argument, NULL, 'B'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int parse_serve(int argc, char **argv, serve_opts *o)
{
    o->listen = "127.0.0.1:8080";
    o->db = "sqlite:openapply.db";
    o->refresh_ms = SVC_DEFAULT_REFRESH_MS;
    o->fetch_timeout_ms = 30000;
    o->webhook_timeout_ms = 15000;
    o->disable_after_ms = SVC_DEFAULT_WH_DISABLE_MS;
    o->secret_grace_ms = SVC_DEFAULT_WH_GRACE_MS;
    o->retention_ms = SVC_DEFAULT_RETENTION_MS;
    o->rate_limit = (rl_config){.rate = 100, .burst = 200};
    o->endpoint_concurrency = 8;
    o->workers = 8;
    o->http_threads = 8;
    o->browsers = 2;
    o->browser_path = "/usr/bin/chromium";
    o->browser_timeout_ms = 15000;
    static const int64_t def_retry[] = {0,       5000,     300000,   1800000,
                                        7200000, 18000000, 36000000, 36000000};
    memcpy(o->retry, def_retry, sizeof def_retry);
    o->n_retry = OA_ARRAY_LEN(def_retry);
    static const int64_t def_apply[] = {30000, 120000, 600000, 1800000};
    memcpy(o->apply_retry, def_apply, sizeof def_apply);
    o->n_apply_retry = OA_ARRAY_LEN(def_apply);

    /* Environment first, as if given before the flags; then the flags. */
    static const struct {
        const char *var;
        int opt;
    } envs[] = {{"OPENAPPLY_LISTEN", 'l'},
                {"OPENAPPLY_DB", 'd'},
                {"OPENAPPLY_NODE_ID", 'N'},
                {"OPENAPPLY_REFRESH_INTERVAL", 'r'},
                {"OPENAPPLY_RETRY_SCHEDULE", 's'},
                {"OPENAPPLY_APPLY_RETRY_SCHEDULE", 'A'},
                {"OPENAPPLY_FETCH_TIMEOUT", 't'},
                {"OPENAPPLY_WEBHOOK_TIMEOUT", 'W'},
                {"OPENAPPLY_ENDPOINT_DISABLE_AFTER", 'D'},
                {"OPENAPPLY_SECRET_GRACE", 'G'},
                {"OPENAPPLY_ENDPOINT_CONCURRENCY", 'C'},
                {"OPENAPPLY_RETENTION", 'R'},
                {"OPENAPPLY_JOB_LEASE", 'J'},
                {"OPENAPPLY_RATE_LIMIT", 'Q'},
                {"OPENAPPLY_WORKERS", 'w'},
                {"OPENAPPLY_HTTP_THREADS", 'T'},
                {"OPENAPPLY_BROWSERS", 'b'},
                {"OPENAPPLY_BROWSER_PATH", 'P'},
                {"OPENAPPLY_BROWSER_TIMEOUT", 'O'},
                {"OPENAPPLY_LOG_LEVEL", 'L'}};
    for (size_t i = 0; i < OA_ARRAY_LEN(envs); i++) {
        const char *v = getenv(envs[i].var);
        int rc = v && *v ? apply_opt(o, envs[i].opt, v, envs[i].var) : 0;
        if (rc)
            return rc;
    }
    if (env_true(getenv("OPENAPPLY_ALLOW_PRIVATE_NETWORKS")))
        o->allow_private = true;
    const char *ap = getenv("OPENAPPLY_ALLOW_PRIVATE");
    if (ap && *ap) {
        oa_strlist l;
        if (oa_strlist_split(ap, OA_PRIVATE_ALLOW_MAX, &l) != OA_OK)
            return die_usage("OPENAPPLY_ALLOW_PRIVATE: more than %d entries", OA_PRIVATE_ALLOW_MAX);
        for (size_t i = 0; i < l.n; i++) {
            int rc = apply_opt(o, 'a', l.items[i], "OPENAPPLY_ALLOW_PRIVATE");
            if (rc) {
                oa_strlist_free(&l);
                return rc;
            }
        }
        oa_strlist_free(&l);
    }
    const char *cb = getenv("OPENAPPLY_CONNECTOR_BASE");
    if (cb && *cb) {
        oa_strlist l;
        if (oa_strlist_split(cb, MAX_KEYS, &l) != OA_OK)
            return die_usage("OPENAPPLY_CONNECTOR_BASE: more than %d entries", MAX_KEYS);
        for (size_t i = 0; i < l.n; i++) {
            int rc = apply_opt(o, 'B', l.items[i], "OPENAPPLY_CONNECTOR_BASE");
            if (rc) {
                oa_strlist_free(&l);
                return rc;
            }
        }
        oa_strlist_free(&l);
    }
    const char *e = getenv("OPENAPPLY_API_KEY");
    if (e && *e) {
        oa_strlist l;
        if (oa_strlist_split(e, MAX_KEYS, &l) != OA_OK)
            return die_usage("OPENAPPLY_API_KEY: more than %d keys", MAX_KEYS);
        for (size_t i = 0; i < l.n; i++) {
            int rc = add_key(o, l.items[i]);
            if (rc) {
                oa_strlist_free(&l);
                return rc;
            }
        }
        oa_strlist_free(&l);
    }
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", SERVE_OPTS, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return -1;
        }
        const char *flag = "option";
        for (const struct option *so = SERVE_OPTS; so->name; so++)
            if (so->val == c)
                flag = so->name;
        char src[64];
        snprintf(src, sizeof src, "--%s", flag);
        int rc = apply_opt(o, c, optarg, src);
        if (rc)
            return rc;
    }
    if (optind < argc)
        return die_usage("unexpected argument \"%s\"", argv[optind]);
    bool pg = strncmp(o->db, "postgres://", 11) == 0 || strncmp(o->db, "postgresql://", 13) == 0;
    if (!pg && (strncmp(o->db, "sqlite:", 7) != 0 || !o->db[7])) {
        char shown[512];
        store_url_redact(o->db, shown, sizeof shown);
        return die_usage("--db must be sqlite:PATH (e.g. sqlite:openapply.db) or "
                         "postgres://USER:PASSWORD@HOST:PORT/DATABASE, got \"%s\"",
                         shown);
    }
    char host[256], *why = NULL;
    int port;
    if (http_parse_listen(o->listen, host, sizeof host, &port, &why) != OA_OK) {
        int rc = die_usage("%s", why);
        free(why);
        return rc;
    }
    return 0;
}

static int inflight_cb(void *arg)
{
    return http_inflight(arg);
}

static int serve(int argc, char **argv)
{
    serve_opts o = {0};
    int rc = parse_serve(argc, argv, &o);
    if (rc != 0) {
        for (size_t i = 0; i < o.n_keys; i++)
            free(o.keys[i]);
        return rc < 0 ? 0 : rc;
    }
    /* Signals are taken by sigwait in this thread only: block them before any thread starts. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    fetch_global_init();

    oa_store *st = NULL;
    http_server *hs = NULL;
    jobs *jb = NULL;
    wh_dispatcher *wh = NULL;
    browser_pool *browsers = NULL;
    api_ctx api;
    bool api_ready = false;
    char *why = NULL, *generated = NULL;
    svc s = {0};
    int exit_code = 1;
    char node[64];
    default_node_id(&o, node, sizeof node);
    store_options so = {.pool_size = o.http_threads + o.workers + 4, .node_id = node};
    char db_shown[512]; /* --db without its password, for messages */
    store_url_redact(o.db, db_shown, sizeof db_shown);
    if (store_open(o.db, &so, &st, &why) != OA_OK) {
        fprintf(stderr, "openapply: cannot open the store %s: %s\n", db_shown, why ? why : "?");
        exit_code = 2; /* a wrong --db, an unreachable server: nothing started */
        goto out;
    }
    s.store = st;
    s.poll_ms = store_poll_ms(st);
    s.refresh_interval_ms = o.refresh_ms;
    s.allow_private = o.allow_private;
    memcpy(s.wh_retry, o.retry, o.n_retry * sizeof o.retry[0]);
    s.n_wh_retry = o.n_retry;
    s.wh_disable_after_ms = o.disable_after_ms;
    s.wh_grace_ms = o.secret_grace_ms > 0 ? o.secret_grace_ms : 1; /* 0 = expire at once */
    s.retention_ms = o.retention_ms;
    if (svc_init(&s) != OA_OK) {
        fprintf(stderr, "openapply: cannot initialise the store's secrets\n");
        goto out;
    }
    int64_t moved = 0;
    if (svc_refresh_cap(&s, &moved) != OA_OK) {
        fprintf(stderr, "openapply: cannot reschedule the re-checks\n");
        goto out;
    }
    for (size_t i = 0; i < o.n_keys; i++) {
        char *colon = strchr(o.keys[i], ':');
        *colon = '\0';
        oa_apikey row = {0};
        if (svc_key_add(&s, o.keys[i], colon + 1, &row) != OA_OK) {
            fprintf(stderr, "openapply: cannot store an API key\n");
            goto out;
        }
        /* A flag key revoked (or expired) earlier stays so: say it, by its id, every start. */
        svc_key_state ks = svc_key_state_of(&row, oa_now_ms());
        if (ks != SVC_KEY_VALID)
            oa_log(OA_LOG_WARN, "auth.key_unusable",
                   "tenant=%s key_id=%s reason=%s msg=\"this --api-key is %s and refused; remove "
                   "it from --api-key/OPENAPPLY_API_KEY\"",
                   o.keys[i], row.key_id, svc_key_state_str(ks), svc_key_state_str(ks));
        else
            oa_log(OA_LOG_INFO, "auth.key_configured", "tenant=%s key_id=%s", o.keys[i],
                   row.key_id);
        oa_apikey_clear(&row);
    }
    if (svc_key_bootstrap(&s, &generated) != OA_OK) {
        fprintf(stderr, "openapply: cannot create the first API key\n");
        goto out;
    }
    if (o.browsers > 0 && access(o.browser_path, X_OK) != 0) {
        char eb[128];
        oa_log(OA_LOG_WARN, "browser.missing",
               "path=%s error=\"%s\" note=\"script-rendered pages stay UNAVAILABLE; install "
               "chromium or set --browser-path\"",
               o.browser_path, oa_strerror(errno, eb, sizeof eb));
        o.browsers = 0;
    }
    browser_pool_opts bo = {
        .n = o.browsers, .path = o.browser_path, .allow_private = o.allow_private};
    browsers = browser_pool_new(&bo);
    jobs_config jc = {.workers = o.workers,
                      .lease_ms = o.job_lease_ms,
                      .fetch_timeout_ms = o.fetch_timeout_ms,
                      .allow_private = o.allow_private,
                      .browsers = browsers,
                      .browser_page_ms = o.browser_timeout_ms};
    memcpy(jc.apply_retry, o.apply_retry, sizeof o.apply_retry);
    jc.n_apply_retry = o.n_apply_retry;
    /* Background threads first (they register their wake-up hooks), then the API. */
    wh_config wc = {.timeout_ms = o.webhook_timeout_ms,
                    .allow_private = o.allow_private,
                    .per_endpoint = o.endpoint_concurrency,
                    .max_inflight = o.endpoint_concurrency > 32 ? o.endpoint_concurrency * 2 : 64};
    if (wh_start(&s, &wc, &wh) != OA_OK) {
        fprintf(stderr, "openapply: cannot start the webhook dispatcher\n");
        goto out;
    }
    if (jobs_start(&s, &jc, &jb) != OA_OK) {
        fprintf(stderr, "openapply: cannot start the background workers\n");
        goto out;
    }
    /* Over a shared database, other nodes' work wakes this one (a hint; the loops also poll
     * every store_poll_ms). */
    store_on_remote_write(st, remote_wake, &s);
    api_init(&api, &s, &o.rate_limit);
    api_ready = true;
    api.wh_stats = wh_get_stats(wh);
    api.jobs_stats = jobs_get_stats(jb);
    http_handlers hh = {api_prepare, api_handle, &api};
    if (http_start(o.listen, o.http_threads, &hh, &hs, &why) != OA_OK) {
        fprintf(stderr, "openapply: %s\n", why ? why : "cannot start the HTTP server");
        goto out;
    }
    api.inflight = inflight_cb;
    api.inflight_arg = hs;

    printf("openapply %s listening on http://%s (store %s%s)\n", OA_VERSION, http_address(hs),
           db_shown, o.allow_private ? ", private networks allowed" : "");
    if (generated)
        printf("API key for tenant \"default\" (shown once, keep it): %s\n", generated);
    fflush(stdout);
    char nq[OA_LOGQ_SIZE];
    oa_log(OA_LOG_INFO, "engine.started",
           "address=%s store=%s node=%s workers=%d http_threads=%d browsers=%d", http_address(hs),
           store_backend(st), oa_logq(nq, sizeof nq, node), o.workers, o.http_threads, o.browsers);

    int sig = 0;
    sigwait(&sigs, &sig);
    oa_log(OA_LOG_INFO, "engine.stopping", "signal=%d", sig);
    exit_code = 0;
out:
    /* Finish in-flight requests first, then running jobs, then close the store. */
    http_stop(hs, 10000);
    if (st)
        store_on_remote_write(st, NULL, NULL);
    jobs_stop(jb, 10000);
    browser_pool_free(browsers);
    wh_stop(wh, 5000);
    if (api_ready)
        api_free(&api);
    store_close(st);
    fetch_global_cleanup();
    drv_reset_bases();
    free(why);
    free(generated);
    for (size_t i = 0; i < o.n_keys; i++)
        free(o.keys[i]);
    if (exit_code == 0)
        oa_log(OA_LOG_INFO, "engine.stopped", "pid=%d", (int)getpid());
    return exit_code;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "serve") == 0)
        return serve(argc - 1, argv + 1);
    if (strcmp(cmd, "verify") == 0)
        return cli_verify(argc - 1, argv + 1);
    if (strcmp(cmd, "listen") == 0)
        return cli_listen(argc - 1, argv + 1);
    if (strcmp(cmd, "keys") == 0)
        return cli_keys(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("openapply %s\n", OA_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    return die_usage("unknown command \"%s\"", cmd);
}
