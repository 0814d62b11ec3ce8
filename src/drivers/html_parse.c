/*
 * html_parse.c - the generic HTML driver's page guards and parsing: pages over
 * DRV_MAX_PAGE_BYTES are refused; a cheap tag scan estimates the element nesting depth
 * (gumbo's tree building is quadratic in it and its tree release recursive) and refuses pages
 * nested too deep; pages that are not UTF-8 are read as windows-1252; gumbo parses with the
 * x* allocator.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/driver.h"
#include "drivers/html_internal.h"
#include "util/text.h"

#define MAX_DEPTH_ESTIMATE 16384

static const char *find_ci(const char *s, size_t n, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= n; i++)
        if (strncasecmp(s + i, needle, nl) == 0)
            return s + i;
    return NULL;
}

size_t hx_nesting_estimate(const char *s, size_t n)
{
    static const char *const VOID_OR_OPTIONAL[] = {
        "area",    "base",  "br",    "col",    "embed", "hr",    "img",      "input",
        "link",    "meta",  "param", "source", "track", "wbr",   "keygen",   "basefont",
        "bgsound", "frame", "p",     "li",     "dt",    "dd",    "option",   "optgroup",
        "tr",      "td",    "th",    "tbody",  "thead", "tfoot", "colgroup", "caption",
        "rb",      "rt",    "rp",    "rtc",    "html",  "head",  "body",     "image"};
    static const char *const RAW[] = {"script", "style",  "textarea", "title",
                                      "xmp",    "iframe", "noembed",  "noframes"};
    size_t depth = 0, max = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '<')
            continue;
        if (s[i + 1] == '!') {
            if (i + 3 < n && s[i + 2] == '-' && s[i + 3] == '-') {
                const char *e = find_ci(s + i + 4, n - i - 4, "-->");
                if (!e)
                    break;
                i = (size_t)(e - s) + 2;
            }
            continue;
        }
        bool end = s[i + 1] == '/';
        size_t j = i + 1 + (end ? 1 : 0);
        if (j >= n || !isalpha((unsigned char)s[j]))
            continue;
        size_t k = j;
        while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '-'))
            k++;
        char tag[16];
        size_t tl = k - j;
        bool known = tl < sizeof tag;
        if (known) {
            for (size_t q = 0; q < tl; q++)
                tag[q] = (char)tolower((unsigned char)s[j + q]);
            tag[tl] = '\0';
        }
        bool skip = false;
        for (size_t q = 0; known && q < OA_ARRAY_LEN(VOID_OR_OPTIONAL) && !skip; q++)
            skip = strcmp(tag, VOID_OR_OPTIONAL[q]) == 0;
        if (!end && known) {
            for (size_t q = 0; q < OA_ARRAY_LEN(RAW); q++) {
                if (strcmp(tag, RAW[q]) != 0)
                    continue;
                char close[24];
                snprintf(close, sizeof close, "</%s", tag);
                const char *e = find_ci(s + k, n - k, close);
                if (!e)
                    return max;
                i = (size_t)(e - s);
                skip = true;
                break;
            }
        }
        if (skip)
            continue;
        /* Self-closing syntax ("<div/>") still opens an HTML element; count it. */
        if (end) {
            if (depth)
                depth--;
        } else if (++depth > max) {
            max = depth;
        }
    }
    return max;
}

/* Windows-1252 bytes 0x80..0x9F. */
static const uint16_t CP1252[32] = {0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
                                    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

static char *cp1252_to_utf8(const char *s, size_t n, size_t *out_len)
{
    char *o = xmalloc(3 * n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        if (c < 0x80) {
            o[j++] = (char)c;
            continue;
        }
        unsigned cp = c < 0xA0 ? CP1252[c - 0x80] : c;
        if (cp < 0x800) {
            o[j++] = (char)(0xC0 | (cp >> 6));
            o[j++] = (char)(0x80 | (cp & 0x3F));
        } else {
            o[j++] = (char)(0xE0 | (cp >> 12));
            o[j++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            o[j++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    o[j] = '\0';
    *out_len = j;
    return o;
}

/* A page that is not UTF-8 and declares (or looks like) Latin-1 / windows-1252. */
static bool wants_cp1252(const char *s, size_t n)
{
    if (oa_utf8_valid(s, n))
        return false;
    size_t head = n < 4096 ? n : 4096;
    const char *cs = find_ci(s, head, "charset=");
    if (cs) {
        cs += 8;
        while (*cs == '"' || *cs == '\'' || *cs == ' ')
            cs++;
        static const char *const L[] = {"iso-8859-1",   "iso8859-1", "latin1",      "latin-1",
                                        "windows-1252", "cp1252",    "iso-8859-15", "us-ascii"};
        size_t rest = head - (size_t)(cs - s);
        for (size_t i = 0; i < OA_ARRAY_LEN(L); i++)
            if (rest >= strlen(L[i]) && strncasecmp(cs, L[i], strlen(L[i])) == 0)
                return true;
        if (rest >= 5 && strncasecmp(cs, "utf-8", 5) == 0)
            return false;
    }
    /* Undeclared: only when no valid multi-byte UTF-8 sequence appears at all. */
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0xC2 && c <= 0xF4 && ((unsigned char)s[i + 1] & 0xC0) == 0x80)
            return false;
    }
    return true;
}

static void *gb_alloc(void *ud, size_t n)
{
    OA_UNUSED(ud);
    return xmalloc(n);
}

static void gb_free(void *ud, void *p)
{
    OA_UNUSED(ud);
    free(p);
}

oa_status hx_parse(const char *html, size_t len, GumboOutput **out, char **buf, size_t *buf_len,
                   char **why)
{
    *out = NULL;
    *buf = NULL;
    if (!html)
        len = 0;
    if (len > DRV_MAX_PAGE_BYTES) {
        if (why)
            *why = xasprintf("page is %zu bytes, over the %zu byte limit", len,
                             (size_t)DRV_MAX_PAGE_BYTES);
        return OA_TOO_LARGE;
    }
    size_t depth = hx_nesting_estimate(html ? html : "", len);
    if (depth > MAX_DEPTH_ESTIMATE) {
        if (why)
            *why = xasprintf("page nests elements about %zu deep, over the limit of %d", depth,
                             MAX_DEPTH_ESTIMATE);
        return OA_TOO_LARGE;
    }
    if (html && wants_cp1252(html, len)) {
        *buf = cp1252_to_utf8(html, len, buf_len);
    } else {
        *buf = xmalloc(len + 1);
        if (len)
            memcpy(*buf, html, len);
        (*buf)[len] = '\0';
        *buf_len = len;
    }
    GumboOptions opt = kGumboDefaultOptions;
    opt.allocator = gb_alloc;
    opt.deallocator = gb_free;
    opt.max_errors = 0;
    *out = gumbo_parse_with_options(&opt, *buf, *buf_len);
    if (!*out) {
        free(*buf);
        *buf = NULL;
        if (why)
            *why = xstrdup("the HTML parser gave up on the page");
        return OA_INVALID;
    }
    return OA_OK;
}

void hx_parse_free(GumboOutput *out, char *buf)
{
    GumboOptions opt = kGumboDefaultOptions;
    opt.allocator = gb_alloc;
    opt.deallocator = gb_free;
    if (out)
        gumbo_destroy_output(&opt, out);
    free(buf);
}
