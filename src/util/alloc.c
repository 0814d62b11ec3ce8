/*
 * alloc.c - the out-of-memory policy, decided once: abort with the call site.
 *
 * Half-handled allocation failures are a larger source of bugs than the failures themselves
 * (PostgreSQL and h2o take the same line), so the x* family never returns NULL.
 */
#include "util/oa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n, const char *file, int line)
{
    fprintf(stderr, "fatal: out of memory allocating %zu bytes at %s:%d\n", n, file, line);
    abort();
}

void *oa_xmalloc(size_t n, const char *file, int line)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n, file, line);
    return p;
}

void *oa_xcalloc(size_t n, size_t s, const char *file, int line)
{
    void *p = calloc(n ? n : 1, s ? s : 1);
    if (!p)
        oom(n * s, file, line);
    return p;
}

void *oa_xrealloc(void *p, size_t n, const char *file, int line)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n, file, line);
    return q;
}

char *oa_xstrdup(const char *s, const char *file, int line)
{
    size_t n = strlen(s);
    char *p = oa_xmalloc(n + 1, file, line);
    memcpy(p, s, n + 1);
    return p;
}

char *oa_xstrndup(const char *s, size_t n, const char *file, int line)
{
    size_t len = strnlen(s, n);
    char *p = oa_xmalloc(len + 1, file, line);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *oa_xvasprintf(const char *file, int line, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        oom(0, file, line);
    char *p = oa_xmalloc((size_t)n + 1, file, line);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *oa_xasprintf(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = oa_xvasprintf(file, line, fmt, ap);
    va_end(ap);
    return p;
}

const char *oa_status_str(oa_status st)
{
    switch (st) {
    case OA_ROW:
        return "row";
    case OA_OK:
        return "ok";
    case OA_ERR:
        return "error";
    case OA_AGAIN:
        return "try again";
    case OA_NOT_FOUND:
        return "not found";
    case OA_INVALID:
        return "invalid";
    case OA_TOO_LARGE:
        return "too large";
    case OA_CONFLICT:
        return "conflict";
    case OA_DENIED:
        return "denied";
    }
    return "unknown";
}
