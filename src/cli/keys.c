/*
 * keys.c - `openapply keys list|create|revoke`: the API keys of an engine's database, managed
 * from the command line through the store layer (both backends), while the engine runs or not.
 *
 * The engine reads a request's key from the database every time (no cache), so a key made
 * here works at once and a key revoked here is refused from the next request on, on every node
 * sharing the database. On SQLite the command opens the file beside a running engine
 * (store_options.beside_engine): it only writes api_keys rows.
 *
 * Output contract (tests rely on it): `create` prints the new key alone on stdout (shown once)
 * and its id on stderr; `list` prints key ids, never a key or its full hash. Exit 0 on success,
 * 1 when the command failed (the database cannot be opened, no key has that id), 2 for a usage
 * error (a bad flag or value, an id that names more than one key).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "svc/svc.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/text.h"

#define KEY_PREFIX_MIN 8

static void usage(FILE *f)
{
    fprintf(f,
            "usage: openapply keys list   [--db URL] [--tenant T] [--json]\n"
            "       openapply keys create [--db URL] [--tenant T] [--expires DURATION] "
            "[--label TEXT]\n"
            "       openapply keys revoke [--db URL] ID\n"
            "\n"
            "Manages the API keys of an engine's database, while the engine runs or not. Keys\n"
            "are checked on every request: a new key works at once, a revoked or expired key\n"
            "is refused at once (401, like an unknown key), on every node sharing the database.\n"
            "\n"
            "  list      every key: its id (the first 12 hex characters of its SHA-256), tenant,\n"
            "            source (flag, generated, cli), label, created, expires, revoked and\n"
            "            state; never the key\n"
            "  create    a new key, printed once on stdout (keep it: only its hash is stored);\n"
            "            its id on stderr\n"
            "  revoke    revokes the key with id ID (or a unique prefix of at least 8\n"
            "            characters); revoking a revoked key changes nothing\n"
            "\n"
            "  --db URL             sqlite:PATH or postgres://USER:PASS@HOST:PORT/DB\n"
            "                       [sqlite:openapply.db] (OPENAPPLY_DB)\n"
            "  --tenant T           the tenant of the new key [default]; with list, only its keys\n"
            "  --expires DURATION   the new key stops working after DURATION (e.g. 30d, 12h)\n"
            "  --label TEXT         a note shown by list (who or what the key is for)\n"
            "  --json               list as a JSON array\n"
            "\n"
            "Exit status: 0 done, 1 failed (database, unknown id), 2 usage error (bad flag or\n"
            "value, an ambiguous id).\n"
            "If no usable key is left when `openapply serve` starts, it generates one for tenant\n"
            "\"default\" and prints it once. A revoked --api-key stays revoked: remove it from\n"
            "--api-key/OPENAPPLY_API_KEY.\n");
}

static int bad_usage(const char *fmt, ...) OA_PRINTF(1, 2);
static int bad_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "openapply keys: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nRun 'openapply keys --help' for usage.\n");
    va_end(ap);
    return 2;
}

static int fail(const char *fmt, ...) OA_PRINTF(1, 2);
static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "openapply keys: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return 1;
}

typedef struct {
    const char *db;
    const char *tenant;
    const char *label;
    int64_t expires_ms;
    bool json;
} keys_opts;

static const struct option OPTS[] = {
    {"db", required_argument, NULL, 'd'},
    {"tenant", required_argument, NULL, 't'},
    {"expires", required_argument, NULL, 'e'},
    {"label", required_argument, NULL, 'l'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Opens the store like serve does (running its migrations), beside a running engine. */
static int open_store(const char *db, oa_store **st)
{
    bool pg = strncmp(db, "postgres://", 11) == 0 || strncmp(db, "postgresql://", 13) == 0;
    char shown[512];
    store_url_redact(db, shown, sizeof shown);
    if (!pg && (strncmp(db, "sqlite:", 7) != 0 || !db[7]))
        return bad_usage("--db must be sqlite:PATH (e.g. sqlite:openapply.db) or "
                         "postgres://USER:PASSWORD@HOST:PORT/DATABASE, got \"%s\"",
                         shown);
    store_options so = {.pool_size = 2, .node_id = "openapply-keys", .beside_engine = true};
    char *why = NULL;
    if (store_open(db, &so, st, &why) != OA_OK) {
        int rc = fail("cannot open the store %s: %s", shown, why ? why : "?");
        free(why);
        return rc;
    }
    return 0;
}

static const char *state_name(const oa_apikey *k, int64_t now)
{
    svc_key_state st = svc_key_state_of(k, now);
    return st == SVC_KEY_VALID ? "active" : svc_key_state_str(st);
}

static json_t *time_json(int64_t ms)
{
    if (!ms)
        return json_null();
    char t[OA_TIME_LEN];
    oa_time_fmt(ms, t);
    return json_string(t);
}

static void time_col(int64_t ms, char out[OA_TIME_LEN])
{
    if (ms)
        oa_time_fmt(ms, out);
    else
        snprintf(out, OA_TIME_LEN, "-");
}

static int cmd_list(svc *s, const keys_opts *o)
{
    oa_apikey *l = NULL;
    size_t n = 0;
    if (svc_key_list(s, o->tenant, &l, &n) != OA_OK)
        return fail("cannot read the keys");
    int64_t now = oa_now_ms();
    if (o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(
                arr,
                json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s}", "id", l[i].key_id, "tenant",
                          l[i].tenant ? l[i].tenant : "", "source", l[i].source ? l[i].source : "",
                          "label", l[i].label ? json_string(l[i].label) : json_null(), "created_at",
                          time_json(l[i].created_at), "expires_at", time_json(l[i].expires_at),
                          "revoked_at", time_json(l[i].revoked_at), "state",
                          state_name(&l[i], now)));
        char *out = json_dumps(arr, JSON_INDENT(2));
        printf("%s\n", out ? out : "[]");
        free(out);
        json_decref(arr);
    } else {
        printf("%-12s  %-16s  %-9s  %-7s  %-24s  %-24s  %-24s  %s\n", "ID", "TENANT", "SOURCE",
               "STATE", "CREATED", "EXPIRES", "REVOKED", "LABEL");
        for (size_t i = 0; i < n; i++) {
            char c[OA_TIME_LEN], e[OA_TIME_LEN], r[OA_TIME_LEN];
            oa_time_fmt(l[i].created_at, c);
            time_col(l[i].expires_at, e);
            time_col(l[i].revoked_at, r);
            printf("%-12s  %-16s  %-9s  %-7s  %-24s  %-24s  %-24s  %s\n", l[i].key_id,
                   l[i].tenant ? l[i].tenant : "", l[i].source ? l[i].source : "",
                   state_name(&l[i], now), c, e, r, l[i].label ? l[i].label : "");
        }
        if (n == 0)
            fprintf(stderr, "no keys%s%s\n", o->tenant ? " for tenant " : "",
                    o->tenant ? o->tenant : "");
    }
    oa_apikey_list_free(l, n);
    return 0;
}

static int cmd_create(svc *s, const keys_opts *o)
{
    const char *tenant = o->tenant ? o->tenant : "default";
    int64_t expires_at = o->expires_ms ? oa_now_ms() + o->expires_ms : 0;
    char *key = NULL;
    oa_apikey row = {0};
    if (svc_key_create(s, tenant, o->label, expires_at, &key, &row) != OA_OK)
        return fail("cannot store the new key");
    printf("%s\n", key);
    fflush(stdout);
    char e[OA_TIME_LEN] = "";
    if (expires_at)
        oa_time_fmt(expires_at, e);
    fprintf(stderr, "created key %s for tenant \"%s\"%s%s (shown once above, keep it)\n",
            row.key_id, tenant, expires_at ? ", expires " : "", e);
    memset(key, 0, strlen(key));
    free(key);
    oa_apikey_clear(&row);
    return 0;
}

static int cmd_revoke(svc *s, const char *arg)
{
    char prefix[OA_KEY_ID_SIZE];
    size_t len = strlen(arg);
    if (len < KEY_PREFIX_MIN || len >= OA_KEY_ID_SIZE)
        return bad_usage("revoke: \"%.80s\" is not a key id: give the id `openapply keys list` "
                         "shows (12 hex characters) or a prefix of at least %d",
                         arg, KEY_PREFIX_MIN);
    for (size_t i = 0; i <= len; i++) {
        char c = arg[i];
        prefix[i] = c >= 'A' && c <= 'F' ? (char)(c - 'A' + 'a') : c;
        if (c &&
            !((prefix[i] >= '0' && prefix[i] <= '9') || (prefix[i] >= 'a' && prefix[i] <= 'f')))
            return bad_usage("revoke: \"%.80s\" is not a key id: ids are hex (0-9, a-f), as "
                             "`openapply keys list` shows them",
                             arg);
    }
    oa_apikey row = {0};
    bool already = false;
    oa_status rc = svc_key_revoke(s, prefix, &row, &already);
    if (rc == OA_NOT_FOUND)
        return fail("no key has the id %s (see `openapply keys list`)", prefix);
    if (rc == OA_CONFLICT)
        return bad_usage("revoke: %s is the start of more than one key id: give the whole id",
                         prefix);
    if (rc != OA_OK)
        return fail("cannot revoke the key %s", prefix);
    char t[OA_TIME_LEN];
    oa_time_fmt(row.revoked_at, t);
    if (already)
        printf("key %s (tenant \"%s\") was already revoked at %s\n", row.key_id, row.tenant, t);
    else
        printf("revoked key %s (tenant \"%s\") at %s: refused from the next request on\n",
               row.key_id, row.tenant, t);
    if (!already && row.source && strcmp(row.source, "flag") == 0)
        fprintf(stderr, "note: this key was given with --api-key/OPENAPPLY_API_KEY: remove it "
                        "there too (it stays revoked)\n");
    oa_apikey_clear(&row);
    return 0;
}

int cli_keys(int argc, char **argv)
{
    if (argc < 2)
        return bad_usage("which command? list, create or revoke");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    bool is_list = strcmp(cmd, "list") == 0, is_create = strcmp(cmd, "create") == 0,
         is_revoke = strcmp(cmd, "revoke") == 0;
    if (!is_list && !is_create && !is_revoke)
        return bad_usage("unknown command \"%.80s\": list, create or revoke", cmd);
    keys_opts o = {.db = "sqlite:openapply.db"};
    const char *env = getenv("OPENAPPLY_DB");
    if (env && *env)
        o.db = env;
    optind = 1;
    opterr = 0;
    argc--;
    argv++; /* argv[0] is now the subcommand */
    int c;
    while ((c = getopt_long(argc, argv, ":", OPTS, NULL)) != -1) {
        switch (c) {
        case 'd':
            o.db = optarg;
            break;
        case 't':
            if (is_revoke)
                return bad_usage("--tenant is an option of list and create");
            if (!oa_tenant_valid(optarg))
                return bad_usage("--tenant: \"%.80s\" must be 1-64 letters, digits, '-', '_' or "
                                 "'.'",
                                 optarg);
            o.tenant = optarg;
            break;
        case 'e':
            if (!is_create)
                return bad_usage("--expires is an option of create");
            if (oa_duration_parse(optarg, &o.expires_ms) != OA_OK || o.expires_ms < 1000)
                return bad_usage("--expires: \"%.80s\" is not a duration of at least 1s (e.g. "
                                 "30d, 12h)",
                                 optarg);
            break;
        case 'l':
            if (!is_create)
                return bad_usage("--label is an option of create");
            if (strlen(optarg) > 200 || strpbrk(optarg, "\r\n\t"))
                return bad_usage("--label: at most 200 characters on one line");
            o.label = optarg;
            break;
        case 'j':
            if (!is_list)
                return bad_usage("--json is an option of list");
            o.json = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case ':':
            return bad_usage("missing value for %s", argv[optind - 1]);
        default:
            return bad_usage("unknown option %s", argv[optind - 1]);
        }
    }
    if (is_revoke && optind != argc - 1)
        return bad_usage(optind >= argc ? "revoke: which key? give its id (openapply keys list)"
                                        : "revoke: one key id at a time");
    if (!is_revoke && optind < argc)
        return bad_usage("unexpected argument \"%.80s\"", argv[optind]);
    /* A command's own messages are its output: the engine's info lines (migrations, the key's
     * creation) are not; warnings and errors still show. */
    oa_log_set_level(OA_LOG_WARN);
    oa_store *st = NULL;
    int rc = open_store(o.db, &st);
    if (rc)
        return rc;
    svc s = {.store = st};
    if (is_list)
        rc = cmd_list(&s, &o);
    else if (is_create)
        rc = cmd_create(&s, &o);
    else
        rc = cmd_revoke(&s, argv[optind]);
    store_close(st);
    return rc;
}
