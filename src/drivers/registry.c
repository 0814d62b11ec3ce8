/*
 * registry.c - the table of drivers, and which one a posting URL belongs to.
 *
 * Each ATS connector lists the URLs it recognises as drv_url_rule data (host, path and query
 * patterns with captured parts); the first driver whose rule matches wins, and the generic
 * HTML driver takes everything else. Captured parts end up in API URLs, so only plain
 * identifiers are captured ([A-Za-z0-9._~-], not "." or ".."): anything else is no match.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/driver.h"
#include "util/buf.h"

static const drv_driver *const DRIVERS[] = {
    &drv_greenhouse, &drv_recruitee, &drv_lever, &drv_smartrecruiters,
    &drv_workday,    &drv_personio,  &drv_html};
#define N_DRIVERS OA_ARRAY_LEN(DRIVERS)

/* --connector-base overrides, set at start-up before any worker runs. */
static char *base_override[N_DRIVERS];

static const char *const PART_NAMES[DRV_N_PARTS] = {"account", "job", "site", "rest", NULL};

static int part_index(const char *name, size_t n)
{
    for (int i = 0; i < DRV_N_PARTS; i++)
        if (PART_NAMES[i] && strlen(PART_NAMES[i]) == n && strncmp(PART_NAMES[i], name, n) == 0)
            return i;
    return -1;
}

/* A captured value: plain identifier characters only. */
static bool plain(const char *s, size_t n, bool allow_slash)
{
    if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '~' || c == '-' || (allow_slash && c == '/');
        if (!ok)
            return false;
    }
    return true;
}

/* "{name}" in a pattern element of length n: the part's index, -1 when not a capture, -2
 * when an unknown name. */
static int capture_of(const char *p, size_t n)
{
    if (n < 3 || p[0] != '{' || p[n - 1] != '}')
        return -1;
    int i = part_index(p + 1, n - 2);
    return i < 0 ? -2 : i;
}

static void set_part(char **parts, int i, const char *v, size_t n)
{
    free(parts[i]);
    parts[i] = xstrndup(v, n);
}

/* Splits on sep into at most max elements (pointers into s, lengths). */
static size_t split(const char *s, char sep, const char **el, size_t *len, size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        const char *e = strchr(s, sep);
        size_t l = e ? (size_t)(e - s) : strlen(s);
        if (l) {
            el[n] = s;
            len[n] = l;
            n++;
        }
        if (!e)
            break;
        s = e + 1;
    }
    return n;
}

#define MAX_ELEMS 32

static bool match_host(const char *pat, const char *host, char **parts)
{
    const char *pe[MAX_ELEMS], *he[MAX_ELEMS];
    size_t pl[MAX_ELEMS], hl[MAX_ELEMS];
    size_t np = split(pat, '.', pe, pl, MAX_ELEMS), nh = split(host, '.', he, hl, MAX_ELEMS);
    if (np != nh)
        return false;
    for (size_t i = 0; i < np; i++) {
        int c = capture_of(pe[i], pl[i]);
        if (c >= 0) {
            if (!plain(he[i], hl[i], false))
                return false;
            set_part(parts, c, he[i], hl[i]);
        } else if (!(pl[i] == 1 && pe[i][0] == '*') &&
                   (pl[i] != hl[i] || strncasecmp(pe[i], he[i], pl[i]) != 0)) {
            return false;
        }
    }
    return true;
}

static bool match_path(const char *pat, const char *path, char **parts)
{
    const char *pe[MAX_ELEMS], *xe[MAX_ELEMS];
    size_t pl[MAX_ELEMS], xl[MAX_ELEMS];
    size_t np = split(pat, '/', pe, pl, MAX_ELEMS), nx = split(path, '/', xe, xl, MAX_ELEMS);
    for (size_t i = 0; i < np; i++) {
        bool rest = (pl[i] == 2 && strncmp(pe[i], "**", 2) == 0) ||
                    capture_of(pe[i], pl[i]) == DRV_PART_REST;
        if (rest) {
            if (i >= nx)
                return false;
            const char *end = xe[nx - 1] + xl[nx - 1];
            if (!plain(xe[i], (size_t)(end - xe[i]), true))
                return false;
            set_part(parts, DRV_PART_REST, xe[i], (size_t)(end - xe[i]));
            return true;
        }
        if (i >= nx)
            return false;
        int c = capture_of(pe[i], pl[i]);
        if (c >= 0) {
            if (!plain(xe[i], xl[i], false))
                return false;
            set_part(parts, c, xe[i], xl[i]);
        } else if (!(pl[i] == 1 && pe[i][0] == '*') &&
                   (pl[i] != xl[i] || strncasecmp(pe[i], xe[i], pl[i]) != 0)) {
            return false;
        }
    }
    return np == nx;
}

/* The value of query parameter name (decoded, malloc'd), or NULL. */
static char *query_param(const char *query, const char *name, size_t nlen)
{
    for (const char *p = query; p && *p;) {
        const char *amp = strchr(p, '&');
        size_t l = amp ? (size_t)(amp - p) : strlen(p);
        if (l > nlen && p[nlen] == '=' && strncmp(p, name, nlen) == 0) {
            int outlen = 0;
            char *v = curl_easy_unescape(NULL, p + nlen + 1, (int)(l - nlen - 1), &outlen);
            char *r = v ? xstrndup(v, (size_t)outlen) : NULL;
            curl_free(v);
            return r;
        }
        p = amp ? amp + 1 : NULL;
    }
    return NULL;
}

static bool match_query(const char *pat, const char *query, char **parts)
{
    const char *pe[MAX_ELEMS];
    size_t pl[MAX_ELEMS];
    size_t np = split(pat, '&', pe, pl, MAX_ELEMS);
    for (size_t i = 0; i < np; i++) {
        const char *eq = memchr(pe[i], '=', pl[i]);
        if (!eq)
            return false;
        size_t nlen = (size_t)(eq - pe[i]);
        int c = capture_of(eq + 1, pl[i] - nlen - 1);
        char *v = query_param(query, pe[i], nlen);
        bool ok = v && c >= 0 && plain(v, strlen(v), false);
        if (ok)
            set_part(parts, c, v, strlen(v));
        free(v);
        if (!ok)
            return false;
    }
    return true;
}

static void clear_parts(char **parts, bool keep_host)
{
    for (int i = 0; i < DRV_N_PARTS; i++) {
        if (keep_host && i == DRV_PART_HOST)
            continue;
        free(parts[i]);
        parts[i] = NULL;
    }
}

void drv_match(const char *url, drv_target *t)
{
    memset(t, 0, sizeof *t);
    t->driver = &drv_html;
    CURLU *u = curl_url();
    char *host = NULL, *path = NULL, *query = NULL;
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host)
        goto out;
    curl_url_get(u, CURLUPART_PATH, &path, 0);
    curl_url_get(u, CURLUPART_QUERY, &query, 0);
    t->parts[DRV_PART_HOST] = xstrdup(host);
    for (size_t d = 0; d < N_DRIVERS; d++) {
        for (const drv_url_rule *r = DRIVERS[d]->rules; r && (r->host || r->path || r->query);
             r++) {
            bool ok = (!r->host || match_host(r->host, host, t->parts)) &&
                      (!r->path || match_path(r->path, path ? path : "/", t->parts)) &&
                      (!r->query || match_query(r->query, query ? query : "", t->parts));
            if (ok) {
                t->driver = DRIVERS[d];
                goto out;
            }
            clear_parts(t->parts, true);
        }
    }
out:
    curl_free(host);
    curl_free(path);
    curl_free(query);
    curl_url_cleanup(u);
}

void drv_target_free(drv_target *t)
{
    clear_parts(t->parts, false);
    t->driver = NULL;
}

static int driver_index(const drv_driver *d)
{
    for (size_t i = 0; i < N_DRIVERS; i++)
        if (DRIVERS[i] == d)
            return (int)i;
    return -1;
}

const drv_driver *drv_by_name(const char *name)
{
    for (size_t i = 0; name && i < N_DRIVERS; i++)
        if (strcmp(DRIVERS[i]->name, name) == 0)
            return DRIVERS[i];
    return NULL;
}

oa_status drv_set_base(const char *name, const char *url)
{
    const drv_driver *d = drv_by_name(name);
    if (!d || !d->default_base)
        return OA_NOT_FOUND;
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return OA_INVALID;
    int i = driver_index(d);
    free(base_override[i]);
    base_override[i] = xstrdup(url);
    return OA_OK;
}

/* tpl with the target's parts substituted, without a trailing slash; NULL when a part is
 * missing. */
static char *substitute(const char *tpl, const drv_target *t)
{
    oa_buf b;
    oa_buf_init(&b, 4096);
    for (const char *p = tpl; *p;) {
        const char *v = NULL;
        size_t skip = 0;
        if (strncmp(p, "{account}", 9) == 0) {
            v = t->parts[DRV_PART_ACCOUNT];
            skip = 9;
        } else if (strncmp(p, "{host}", 6) == 0) {
            v = t->parts[DRV_PART_HOST];
            skip = 6;
        }
        if (skip && !v) {
            oa_buf_free(&b);
            return NULL;
        }
        oa_status rc = skip ? oa_buf_append(&b, v, strlen(v)) : oa_buf_append(&b, p, 1);
        if (rc != OA_OK) {
            oa_buf_free(&b);
            return NULL;
        }
        p += skip ? skip : 1;
    }
    /* No trailing slash: drivers append "/path". */
    while (b.len && b.data[b.len - 1] == '/')
        b.data[--b.len] = '\0';
    return oa_buf_take(&b);
}

char *drv_base_for(const drv_target *t)
{
    int i = driver_index(t->driver);
    if (i < 0)
        return NULL;
    const char *tpl = base_override[i] ? base_override[i] : t->driver->default_base;
    return tpl ? substitute(tpl, t) : NULL;
}

char *drv_submit_base_for(const drv_target *t)
{
    int i = driver_index(t->driver);
    if (i < 0)
        return NULL;
    const char *tpl = base_override[i] ? base_override[i] : t->driver->default_submit_base;
    return tpl ? substitute(tpl, t) : NULL;
}

const char *drv_names(void)
{
    static char names[256];
    if (!names[0]) {
        size_t off = 0;
        for (size_t i = 0; i < N_DRIVERS; i++) {
            if (!DRIVERS[i]->default_base)
                continue;
            int n = snprintf(names + off, sizeof names - off, "%s%s", off ? ", " : "",
                             DRIVERS[i]->name);
            if (n < 0 || (size_t)n >= sizeof names - off)
                break;
            off += (size_t)n;
        }
    }
    return names;
}

/* For tests and shutdown: forget the overrides. */
void drv_reset_bases(void)
{
    for (size_t i = 0; i < N_DRIVERS; i++) {
        free(base_override[i]);
        base_override[i] = NULL;
    }
}
