/* uk_fold.c - see uk_fold.h. */
#include "drivers/uk_fold.h"

#include <string.h>

/* Base letters of U+00C0..U+00FF; '#' marks the ones handled specially, ' ' separators. */
static const char LATIN1[65] = "aaaaaa#ceeeeiiiidnooooo ouuuuy##"
                               "aaaaaa#ceeeeiiiidnooooo ouuuuy#y";
/* Base letters of U+0100..U+017F; '#' marks the ligatures (IJ, OE). */
static const char LATIN_EXT_A[129] = "aaaaaaccccccccdd"
                                     "ddeeeeeeeeeegggg"
                                     "gggghhhhiiiiiiii"
                                     "ii##jjkkklllllll"
                                     "lllnnnnnnnnnoooo"
                                     "oo##rrrrrrssssss"
                                     "ssttttttuuuuuuuu"
                                     "uuuuwwyyyzzzzzzs";

/* The letters a two-byte code point folds to ("" when none). */
static void fold_cp(unsigned cp, char tmp[3])
{
    if (cp >= 0xC0 && cp <= 0xFF) {
        char b = LATIN1[cp - 0xC0];
        if (cp == 0xC6 || cp == 0xE6)
            memcpy(tmp, "ae", 2);
        else if (cp == 0xDE || cp == 0xFE)
            memcpy(tmp, "th", 2);
        else if (cp == 0xDF)
            memcpy(tmp, "ss", 2);
        else if (b != ' ')
            tmp[0] = b;
    } else if (cp >= 0x100 && cp <= 0x17F) {
        char b = LATIN_EXT_A[cp - 0x100];
        if (cp == 0x152 || cp == 0x153)
            memcpy(tmp, "oe", 2);
        else if (cp >= 0x132 && cp <= 0x133)
            memcpy(tmp, "ij", 2);
        else
            tmp[0] = b;
    }
}

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

size_t uk_fold(char *o, const char *s, size_t n)
{
    size_t j = 0;
    int space = 1; /* suppress leading spaces */
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        char tmp[3] = {0};
        size_t adv = 1;
        if (c < 0x80) {
            if (is_alnum(c))
                tmp[0] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        } else if (c >= 0xC3 && c <= 0xC5 && i + 1 < n &&
                   ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            unsigned cp = ((c & 0x1Fu) << 6) | ((unsigned char)s[i + 1] & 0x3Fu);
            adv = 2;
            fold_cp(cp, tmp);
        } else {
            /* Any other sequence: skip it whole and treat it as a separator. */
            size_t k = 1;
            while (i + k < n && k < 4 && ((unsigned char)s[i + k] & 0xC0) == 0x80)
                k++;
            adv = k;
        }
        i += adv;
        if (tmp[0]) {
            if (space && j > 0)
                o[j++] = ' ';
            space = 0;
            for (const char *t = tmp; *t; t++)
                o[j++] = *t;
        } else {
            space = 1;
        }
    }
    o[j] = '\0';
    return j;
}

int uk_fold_is_letter(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80)
        return len == 1 && is_alnum(c);
    if (len != 2 || c < 0xC3 || c > 0xC5 || ((unsigned char)s[1] & 0xC0) != 0x80)
        return 0;
    char tmp[3] = {0};
    fold_cp(((c & 0x1Fu) << 6) | ((unsigned char)s[1] & 0x3Fu), tmp);
    return tmp[0] != 0;
}
