/* buf.c - growable, limited, NUL-terminated byte buffer. */
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void oa_buf_init(oa_buf *b, size_t limit)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->limit = limit ? limit : OA_BUF_DEFAULT_LIMIT;
}

static void grow(oa_buf *b, size_t need)
{
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

oa_status oa_buf_append(oa_buf *b, const void *p, size_t n)
{
    if (n > b->limit || b->len > b->limit - n)
        return OA_TOO_LARGE;
    if (b->len + n + 1 > b->cap)
        grow(b, b->len + n + 1);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return OA_OK;
}

oa_status oa_buf_puts(oa_buf *b, const char *s)
{
    return oa_buf_append(b, s, strlen(s));
}

oa_status oa_buf_printf(oa_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = oa_xvasprintf(__FILE__, __LINE__, fmt, ap);
    va_end(ap);
    oa_status st = oa_buf_puts(b, s);
    free(s);
    return st;
}

char *oa_buf_take(oa_buf *b)
{
    char *p = b->data ? b->data : xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

const char *oa_buf_cstr(const oa_buf *b)
{
    return b->data ? b->data : "";
}

void oa_buf_free(oa_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

oa_status oa_buf_read_file(oa_buf *b, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return OA_NOT_FOUND;
    char chunk[65536];
    size_t n;
    oa_status rc = OA_OK;
    while (rc == OA_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = oa_buf_append(b, chunk, n);
    if (rc == OA_OK && ferror(f))
        rc = OA_ERR;
    if (f != stdin)
        fclose(f);
    return rc;
}
