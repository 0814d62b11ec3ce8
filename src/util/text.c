/* text.c - durations, integers, whitespace, case, UTF-8 and comma lists. */
#include "util/text.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool oa_tenant_valid(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n > 64)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return false;
    return true;
}

oa_status oa_duration_parse(const char *s, int64_t *ms)
{
    if (!s || !*s)
        return OA_INVALID;
    if (strcmp(s, "0") == 0) {
        *ms = 0;
        return OA_OK;
    }
    int64_t v = 0;
    const char *p = s;
    if (!isdigit((unsigned char)*p))
        return OA_INVALID;
    while (isdigit((unsigned char)*p)) {
        if (v > (INT64_MAX / 10) - 10)
            return OA_INVALID;
        v = v * 10 + (*p - '0');
        p++;
    }
    int64_t mul;
    if (strcmp(p, "ms") == 0)
        mul = 1;
    else if (strcmp(p, "s") == 0)
        mul = 1000;
    else if (strcmp(p, "m") == 0)
        mul = 60 * 1000;
    else if (strcmp(p, "h") == 0)
        mul = 3600 * 1000;
    else if (strcmp(p, "d") == 0)
        mul = 86400 * 1000;
    else
        return OA_INVALID;
    if (v > (int64_t)365 * 86400 * 1000 * 100 / mul) /* a century is plenty */
        return OA_INVALID;
    *ms = v * mul;
    return OA_OK;
}

void oa_duration_fmt(int64_t ms, char *out, size_t n)
{
    static const struct {
        int64_t mul;
        const char *unit;
    } u[] = {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}};
    if (ms == 0) {
        snprintf(out, n, "0");
        return;
    }
    for (size_t i = 0; i < OA_ARRAY_LEN(u); i++) {
        if (ms % u[i].mul == 0) {
            snprintf(out, n, "%lld%s", (long long)(ms / u[i].mul), u[i].unit);
            return;
        }
    }
    snprintf(out, n, "%lldms", (long long)ms);
}

oa_status oa_parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!s || !*s)
        return OA_INVALID;
    const char *p = s;
    bool neg = false;
    if (*p == '-' && min < 0) {
        neg = true;
        p++;
    }
    if (!*p)
        return OA_INVALID;
    int64_t v = 0;
    for (; *p; p++) {
        if (!isdigit((unsigned char)*p))
            return OA_INVALID;
        if (v > (INT64_MAX - 9) / 10)
            return OA_INVALID;
        v = v * 10 + (*p - '0');
    }
    if (neg)
        v = -v;
    if (v < min || v > max)
        return OA_INVALID;
    *out = v;
    return OA_OK;
}

char *oa_squash_ws(const char *s)
{
    size_t n = strlen(s);
    char *o = xmalloc(n + 1);
    size_t j = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = j > 0;
            continue;
        }
        /* U+00A0 NO-BREAK SPACE (C2 A0) counts as whitespace too. */
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            space = j > 0;
            i++;
            continue;
        }
        if (space) {
            o[j++] = ' ';
            space = false;
        }
        o[j++] = (char)c;
    }
    o[j] = '\0';
    return o;
}

char *oa_ascii_lower(const char *s)
{
    char *o = xstrdup(s);
    for (char *p = o; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return o;
}

bool oa_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > n)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

oa_status oa_strlist_split(const char *s, size_t max, oa_strlist *out)
{
    out->items = NULL;
    out->n = 0;
    if (!s)
        return OA_OK;
    const char *p = s;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && isspace((unsigned char)*p)) {
            p++;
            len--;
        }
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        if (len) {
            if (out->n >= max) {
                oa_strlist_free(out);
                return OA_TOO_LARGE;
            }
            out->items = xrealloc(out->items, (out->n + 1) * sizeof(char *));
            out->items[out->n++] = xstrndup(p, len);
        }
        if (!e)
            break;
        p = e + 1;
    }
    return OA_OK;
}

void oa_strlist_free(oa_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

bool oa_strlist_has(const oa_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

oa_status oa_enum_list_parse(const char *s, const char *const *names, size_t n, uint32_t *mask,
                             char **bad)
{
    *mask = 0;
    *bad = NULL;
    if (n > 32)
        n = 32;
    const char *p = s ? s : "";
    for (;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && isspace((unsigned char)*p)) {
            p++;
            len--;
        }
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        size_t i = 0;
        while (i < n && !(strlen(names[i]) == len && memcmp(names[i], p, len) == 0))
            i++;
        if (!len || i == n) {
            *mask = 0;
            *bad = xstrndup(p, len);
            return OA_INVALID;
        }
        *mask |= (uint32_t)1 << i;
        if (!e)
            return OA_OK;
        p = e + 1;
    }
}

char *oa_like_contains(const char *s)
{
    size_t n = strlen(s);
    char *out = xmalloc(2 * n + 3);
    char *o = out;
    *o++ = '%';
    for (const char *p = s; *p; p++) {
        if (*p == '\\' || *p == '%' || *p == '_')
            *o++ = '\\';
        *o++ = (char)tolower((unsigned char)*p);
    }
    *o++ = '%';
    *o = '\0';
    return out;
}

size_t oa_utf8_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

const char *oa_strerror(int err, char *buf, size_t n)
{
    /* The GNU strerror_r (we build with _GNU_SOURCE) returns the message, in buf or static. */
    return strerror_r(err, buf, n);
}

void oa_text_clean(char *s, size_t *n)
{
    size_t len = *n;
    /* A sequence cut short at the end: back up to its lead byte and drop it when incomplete. */
    size_t k = 0;
    while (k < len && k < 4 && ((unsigned char)s[len - 1 - k] & 0xC0) == 0x80)
        k++;
    if (k < len) {
        unsigned char lead = (unsigned char)s[len - 1 - k];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (lead >= 0xC0 && need > k + 1)
            len -= k + 1;
    }
    if (!oa_utf8_valid(s, len))
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)s[i] >= 0x80)
                s[i] = '?';
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            s[i] = ' ';
    s[len] = '\0';
    *n = len;
}
