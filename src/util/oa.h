/*
 * oa.h - the project's one status type, allocation policy and small shared macros.
 *
 * Every module returns oa_status. Errors from errno, libcurl, SQLite, libpq and the like are
 * translated into it at the edges. Allocation failure is not an error we handle: the x* family
 * aborts with file:line (see alloc.c), so callers never check for NULL from them.
 */
#ifndef OA_OA_H
#define OA_OA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    OA_ROW = 1,        /* store_step: a row is available (only there) */
    OA_OK = 0,         /* success */
    OA_ERR = -1,       /* unexpected failure (I/O, database, library) */
    OA_AGAIN = -2,     /* transient: try again later (busy, timeout, 5xx) */
    OA_NOT_FOUND = -3, /* the thing asked for does not exist */
    OA_INVALID = -4,   /* input does not satisfy the rules */
    OA_TOO_LARGE = -5, /* a size limit was hit */
    OA_CONFLICT = -6,  /* a uniqueness or state conflict (already used, already running) */
    OA_DENIED = -7,    /* not allowed without credentials that are not there */
} oa_status;

#define OA_MUST_CHECK   __attribute__((warn_unused_result))
#define OA_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define OA_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define OA_UNUSED(x)    ((void)(x))

/* A human-readable name for a status ("ok", "not found", ...). Static storage. */
const char *oa_status_str(oa_status st);

/* Allocation: abort with file:line on failure. Free with free(). */
#define xmalloc(n)     oa_xmalloc((n), __FILE__, __LINE__)
#define xcalloc(n, s)  oa_xcalloc((n), (s), __FILE__, __LINE__)
#define xrealloc(p, n) oa_xrealloc((p), (n), __FILE__, __LINE__)
#define xstrdup(s)     oa_xstrdup((s), __FILE__, __LINE__)
#define xstrndup(s, n) oa_xstrndup((s), (n), __FILE__, __LINE__)
#define xasprintf(...) oa_xasprintf(__FILE__, __LINE__, __VA_ARGS__)

void *oa_xmalloc(size_t n, const char *file, int line);
void *oa_xcalloc(size_t n, size_t s, const char *file, int line);
void *oa_xrealloc(void *p, size_t n, const char *file, int line);
char *oa_xstrdup(const char *s, const char *file, int line);
char *oa_xstrndup(const char *s, size_t n, const char *file, int line);
char *oa_xasprintf(const char *file, int line, const char *fmt, ...) OA_PRINTF(3, 4);
char *oa_xvasprintf(const char *file, int line, const char *fmt, va_list ap) OA_PRINTF(3, 0);

#endif
