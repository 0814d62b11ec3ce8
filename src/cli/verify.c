/*
 * verify.c - `openapply verify`: checks one received webhook, body on stdin, headers as
 * --header 'Name: value' flags, with libopenapply's oaw_verify_ex.
 *
 * Output contract (tests rely on it): exit 0 and "valid" on stdout when it verifies; exit 1
 * and "invalid: <reason>" on stdout when it does not; exit 2 and a message on stderr for a
 * usage error.
 */
#include <getopt.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "openapply/webhook.h"
#include "util/buf.h"
#include "util/text.h"

#define MAX_HEADERS 64
#define MAX_BODY    ((size_t)16 << 20)

static void usage(FILE *f)
{
    fprintf(f, "usage: openapply verify --secret SECRET --header 'Name: value' [--header ...]\n"
               "                        [--tolerance SECONDS] < body\n"
               "\n"
               "Checks a received webhook: the raw body on stdin, its headers as flags\n"
               "(webhook-id, webhook-timestamp, webhook-signature and/or X-Kombo-Signature).\n"
               "Prints \"valid\" and exits 0, or prints \"invalid: <reason>\" and exits 1.\n"
               "\n"
               "  --secret SECRET       the endpoint's whsec_ secret (or $" CLI_SECRET_ENV ")\n"
               "  --header, -H 'N: v'   a received header; repeatable\n"
               "  --headers-file FILE   headers, one 'Name: value' a line (as listen --save\n"
               "                        writes them)\n"
               "  --tolerance SECONDS   accepted webhook-timestamp age [300]\n");
}

static int bad_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "openapply verify: %s%s%s%s\nRun 'openapply verify --help' for usage.\n", msg,
            arg ? " \"" : "", arg ? arg : "", arg ? "\"" : "");
    return 2;
}

/* Splits "Name: value" into a malloc'd *name and a malloc'd, trimmed *value (the caller
 * frees both). False when it is not a header. */
static bool split_header(const char *arg, char **name, char **value)
{
    const char *colon = strchr(arg, ':');
    if (!colon)
        return false;
    size_t nl = (size_t)(colon - arg);
    while (nl && (arg[nl - 1] == ' ' || arg[nl - 1] == '\t'))
        nl--;
    const char *s = arg;
    while (nl && (*s == ' ' || *s == '\t')) {
        s++;
        nl--;
    }
    if (nl == 0)
        return false;
    for (size_t i = 0; i < nl; i++)
        if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
            return false;
    const char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t vl = strlen(v);
    while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t' || v[vl - 1] == '\r' || v[vl - 1] == '\n'))
        vl--;
    *name = xstrndup(s, nl);
    *value = xstrndup(v, vl);
    return true;
}

static oa_status read_all(FILE *f, oa_buf *b)
{
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        oa_status rc = oa_buf_append(b, chunk, n);
        if (rc != OA_OK)
            return rc;
    }
    return ferror(f) ? OA_ERR : OA_OK;
}

static const struct option OPTS[] = {
    {"secret", required_argument, NULL, 's'},
    {"header", required_argument, NULL, 'H'},
    {"headers-file", required_argument, NULL, 'F'},
    {"tolerance", required_argument, NULL, 't'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cli_verify(int argc, char **argv)
{
    oaw_header headers[MAX_HEADERS];
    size_t n_headers = 0;
    const char *secret = getenv(CLI_SECRET_ENV);
    int64_t tolerance = OAW_DEFAULT_TOLERANCE;
    oa_buf body;
    int rc = 2, c;
    oa_buf_init(&body, MAX_BODY);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":H:", OPTS, NULL)) != -1) {
        switch (c) {
        case 's':
            secret = optarg;
            break;
        case 'H': {
            char *name, *value;
            if (n_headers >= MAX_HEADERS) {
                rc = bad_usage("too many --header flags (at most 64)", NULL);
                goto out;
            }
            if (!split_header(optarg, &name, &value)) {
                rc = bad_usage("--header must be 'Name: value', got", optarg);
                goto out;
            }
            headers[n_headers].name = name;
            headers[n_headers].value = value;
            n_headers++;
            break;
        }
        case 'F': {
            /* One "Name: value" a line, as `openapply listen --save` writes them. */
            FILE *f = fopen(optarg, "r");
            if (!f) {
                rc = bad_usage("cannot read --headers-file", optarg);
                goto out;
            }
            char line[8192];
            bool bad = false;
            while (!bad && fgets(line, sizeof line, f)) {
                size_t ll = strlen(line);
                while (ll && (line[ll - 1] == '\n' || line[ll - 1] == '\r'))
                    line[--ll] = '\0';
                if (!ll)
                    continue;
                char *name, *value;
                if (n_headers >= MAX_HEADERS || !split_header(line, &name, &value)) {
                    bad = true;
                    break;
                }
                headers[n_headers].name = name;
                headers[n_headers].value = value;
                n_headers++;
            }
            fclose(f);
            if (bad) {
                rc =
                    bad_usage("--headers-file must hold 'Name: value' lines (at most 64):", optarg);
                goto out;
            }
            break;
        }
        case 't':
            if (oa_parse_int(optarg, 1, 10LL * 365 * 86400, &tolerance) != OA_OK) {
                rc = bad_usage("--tolerance must be a number of seconds (1 or more), got", optarg);
                goto out;
            }
            break;
        case 'h':
            usage(stdout);
            rc = 0;
            goto out;
        case ':':
            rc = bad_usage("missing value for", argv[optind - 1]);
            goto out;
        default:
            rc = bad_usage("unknown option", argv[optind - 1]);
            goto out;
        }
    }
    if (optind < argc) {
        rc = bad_usage("unexpected argument", argv[optind]);
        goto out;
    }
    if (!secret || !*secret) {
        rc = bad_usage("--secret is required (or set $" CLI_SECRET_ENV ")", NULL);
        goto out;
    }
    bool signed_given = false;
    for (size_t i = 0; i < n_headers; i++)
        signed_given |= strcasecmp(headers[i].name, "webhook-signature") == 0 ||
                        strcasecmp(headers[i].name, "X-Kombo-Signature") == 0;
    if (!signed_given) {
        rc = bad_usage("no signature header given: pass --header 'webhook-signature: ...' (with "
                       "webhook-id and webhook-timestamp), --header 'X-Kombo-Signature: ...', or "
                       "--headers-file",
                       NULL);
        goto out;
    }
    if (isatty(STDIN_FILENO))
        fprintf(stderr, "openapply verify: reading the body from stdin (end with Ctrl-D)\n");
    oa_status st = read_all(stdin, &body);
    if (st == OA_TOO_LARGE) {
        printf("invalid: the body is larger than %zu MiB\n", MAX_BODY >> 20);
        rc = 1;
        goto out;
    }
    if (st != OA_OK) {
        printf("invalid: cannot read the body from stdin\n");
        rc = 1;
        goto out;
    }
    oaw_verify_opts opts = {.tolerance_s = (int)tolerance};
    oaw_verify_info info;
    oaw_result r = oaw_verify_ex(secret, headers, n_headers, body.data, body.len, &opts, &info);
    if (r == OAW_OK) {
        printf("valid\n");
        if (info.scheme == OAW_SCHEME_KOMBO)
            fprintf(stderr, "note: verified with X-Kombo-Signature alone, which has no "
                            "timestamp: replays cannot be detected\n");
        rc = 0;
        goto out;
    }
    printf("invalid: %s", oaw_strerror(r));
    if (r == OAW_ERR_TIMESTAMP_STALE || r == OAW_ERR_TIMESTAMP_FUTURE)
        printf(" (webhook-timestamp %lld is %lld s %s, tolerance %lld s)",
               (long long)info.timestamp, (long long)llabs(info.age_s),
               info.age_s >= 0 ? "old" : "ahead", (long long)tolerance);
    if (r == OAW_ERR_SIGNATURE_MISMATCH && body.len && body.data[body.len - 1] == '\n')
        printf(" (note: the body ends with a newline; if it was piped with echo, use "
               "printf '%%s' or a file so the bytes are exactly those received)");
    printf("\n");
    rc = 1;
out:
    fflush(stdout);
    for (size_t i = 0; i < n_headers; i++) {
        free((char *)headers[i].name);
        free((char *)headers[i].value);
    }
    oa_buf_free(&body);
    return rc;
}
