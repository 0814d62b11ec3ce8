/*
 * uk_fold.h - the text folding behind uk_norm (see unified_keys.h), with no dependencies so the
 * build-time generator of the phrase tables (tools/keysgen.c) folds phrases exactly as the
 * driver folds page text.
 */
#ifndef OA_DRIVERS_UK_FOLD_H
#define OA_DRIVERS_UK_FOLD_H

#include <stddef.h>

/* Folds n bytes of UTF-8 into out: lower-case ASCII letters and digits, Latin letters of
 * U+00C0..U+017F folded to their base letters ("ß" -> "ss", "Æ" -> "ae", "ł" -> "l"), every
 * other character a separator; words joined by single spaces. out must hold 2 * n + 1 bytes.
 * Returns the length written (out is NUL-terminated). */
size_t uk_fold(char *out, const char *s, size_t n);

/* True when the UTF-8 character starting at s (len bytes) folds to letters: an ASCII letter or
 * digit, or a Latin letter of U+00C0..U+017F (not the signs × and ÷). */
int uk_fold_is_letter(const char *s, size_t len);

#endif
