/*
 * text.h - small string helpers: durations, bounded integer parsing, trimming, case folding,
 * comma-separated lists.
 */
#ifndef OA_TEXT_H
#define OA_TEXT_H

#include "util/oa.h"

/* A tenant name: 1-64 letters, digits, '-', '_' or '.' (--api-key, `openapply keys`). */
bool oa_tenant_valid(const char *t);
/* Parses "500ms", "5s", "5m", "2h", "1d" or "0" into milliseconds. */
oa_status oa_duration_parse(const char *s, int64_t *ms) OA_MUST_CHECK;
/* Formats ms the way oa_duration_parse reads it, using the largest exact unit. */
void oa_duration_fmt(int64_t ms, char *out, size_t n);
/* Parses a whole decimal integer in [min, max]; no sign unless min < 0, no junk. */
oa_status oa_parse_int(const char *s, int64_t min, int64_t max, int64_t *out) OA_MUST_CHECK;
/* The text of errno value err, thread-safe (strerror shares one buffer between threads):
 * returns buf or a static string. */
const char *oa_strerror(int err, char *buf, size_t n);
/* Returns a malloc'd copy of s with leading/trailing ASCII whitespace removed and inner runs of
 * whitespace collapsed to one space. */
char *oa_squash_ws(const char *s);
/* ASCII lower-casing into a new string. */
char *oa_ascii_lower(const char *s);
/* True when s is valid UTF-8 (no overlongs, no surrogates). */
bool oa_utf8_valid(const char *s, size_t n);
/* Makes the first *n bytes of s printable UTF-8 for a JSON log or an excerpt, in place: drops a
 * multi-byte sequence cut short at the end (*n shrinks), replaces every byte >= 0x80 by '?'
 * when the rest is not valid UTF-8, and control characters other than \t \n \r by spaces.
 * s[*n] is set to NUL. */
void oa_text_clean(char *s, size_t *n);

/* A list of strings split on commas (empty items dropped, items trimmed). */
typedef struct {
    char **items;
    size_t n;
} oa_strlist;

/* Splits s on ','. OA_TOO_LARGE when more than max items. */
oa_status oa_strlist_split(const char *s, size_t max, oa_strlist *out) OA_MUST_CHECK;
void oa_strlist_free(oa_strlist *l);
bool oa_strlist_has(const oa_strlist *l, const char *s);

/* Parses a comma-separated list of names out of names[0..n) (n at most 32; exact, case-
 * sensitive; items trimmed of ASCII whitespace; repeats allowed): *mask gets bit i for each
 * names[i] listed. OA_INVALID for an empty list, an empty item or an unknown name, with *bad
 * (malloc'd) the offending item ("" for an empty one); *bad is NULL on success. */
oa_status oa_enum_list_parse(const char *s, const char *const *names, size_t n, uint32_t *mask,
                             char **bad) OA_MUST_CHECK;
/* The LIKE pattern (escape character: backslash) that matches text containing s, ASCII-lower-
 * cased: "%" s "%" with the backslashes, '%' and '_' of s escaped so that they match
 * themselves. malloc'd. */
char *oa_like_contains(const char *s);
/* The number of UTF-8 characters of s (bytes that do not continue a sequence). */
size_t oa_utf8_chars(const char *s);

#endif
