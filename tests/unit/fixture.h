/*
 * fixture.h - reading saved pages and vendor answers in the unit tests (include after cmocka).
 * OA_SOURCE_DIR comes from CMake.
 */
#ifndef OA_TEST_FIXTURE_H
#define OA_TEST_FIXTURE_H

#include <stdio.h>

#include "util/buf.h"

#ifndef OA_SOURCE_DIR
#define OA_SOURCE_DIR "."
#endif

/* The file at path, NUL-terminated (malloc'd, *len bytes), or NULL when there is none. */
static inline char *test_read_file(const char *path, size_t *len)
{
    *len = 0;
    oa_buf b;
    oa_buf_init(&b, 0);
    if (oa_buf_read_file(&b, path) != OA_OK) {
        oa_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return oa_buf_take(&b);
}

/* tests/fixtures/<dir>/<name>; the test fails when it is missing. */
static inline char *test_fixture(const char *dir, const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/%s/%s", OA_SOURCE_DIR, dir, name);
    char *s = test_read_file(path, len);
    if (!s)
        fail_msg("no fixture %s", path);
    return s;
}

#endif
