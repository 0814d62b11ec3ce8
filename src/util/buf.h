/*
 * buf.h - a growable byte buffer with a hard limit (curl's dynbuf).
 *
 * The contents are always NUL-terminated, so text can be read in place. Appending past the
 * limit fails with OA_TOO_LARGE and leaves the buffer as it was.
 */
#ifndef OA_BUF_H
#define OA_BUF_H

#include "util/oa.h"

typedef struct {
    char *data; /* owned; NULL until the first append */
    size_t len;
    size_t cap;
    size_t limit; /* maximum len; 0 means the default of 64 MiB */
} oa_buf;

#define OA_BUF_DEFAULT_LIMIT ((size_t)64 << 20)

/* Initialises an empty buffer that will hold at most limit bytes. */
void oa_buf_init(oa_buf *b, size_t limit);
/* Appends n bytes. OA_TOO_LARGE past the limit. */
oa_status oa_buf_append(oa_buf *b, const void *p, size_t n) OA_MUST_CHECK;
oa_status oa_buf_puts(oa_buf *b, const char *s) OA_MUST_CHECK;
oa_status oa_buf_printf(oa_buf *b, const char *fmt, ...) OA_PRINTF(2, 3) OA_MUST_CHECK;
/* Returns the contents (never NULL, "" when empty) and resets the buffer; caller frees. */
char *oa_buf_take(oa_buf *b);
/* Read access that never returns NULL. */
const char *oa_buf_cstr(const oa_buf *b);
void oa_buf_free(oa_buf *b);
/* Appends a whole file ("-": stdin) to b. OA_NOT_FOUND when it cannot be opened, OA_ERR on a
 * read error, OA_TOO_LARGE past b's limit. */
oa_status oa_buf_read_file(oa_buf *b, const char *path) OA_MUST_CHECK;

#endif
