/*
 * html_text.c - texts of the generic HTML driver: the whitespace-squashed text of a subtree
 * (leaving out controls, hidden elements, required markers or validation messages as asked),
 * the visible text of a whole page, and labels cleaned of required/optional markers ("* First
 * name (required):" -> "First name") or made from field names ("first_name" -> "First name").
 *
 * Walks are iterative; the text of a subtree visits at most TEXT_NODE_BUDGET nodes.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/html_internal.h"
#include "drivers/unified_keys.h"
#include "util/buf.h"
#include "util/text.h"

#define TEXT_NODE_BUDGET 20000 /* nodes one label/description text walk may visit */
#define PAGE_TEXT_LIMIT  ((size_t)1 << 20)

/* ---- text ------------------------------------------------------------------------------- */

typedef struct {
    unsigned flags;
    const GumboNode *skip; /* a subtree to leave out */
    bool saw_req;
    size_t limit;
} txopt;

/* The text of a tiny element (at most a few nodes), or "" when larger. Malloc'd. */
static char *tiny_text(GumboNode *n)
{
    oa_buf b;
    oa_buf_init(&b, 64);
    size_t seen = 0;
    bool ok = true;
    for (GumboNode *m = n; m && ok; m = hx_next(m, n, false)) {
        if (++seen > 6) {
            ok = false;
            break;
        }
        if (m->type == GUMBO_NODE_TEXT || m->type == GUMBO_NODE_WHITESPACE)
            ok = oa_buf_puts(&b, m->v.text.text) == OA_OK;
    }
    char *raw = oa_buf_take(&b);
    char *s = ok ? oa_squash_ws(raw) : xstrdup("");
    free(raw);
    return s;
}

static bool is_star(const char *s)
{
    return strcmp(s, "*") == 0 || strcmp(s, "**") == 0 || strcmp(s, "\xE2\x9C\xB1") == 0 ||
           strcmp(s, "\xEF\xBC\x8A") == 0 || strcmp(s, "\xE2\x88\x97") == 0 ||
           strcmp(s, "(*)") == 0;
}

/* An element that only marks its field required: "*" in a span/abbr, or a required-classed
 * element with a short text such as "(required)". */
static bool is_req_marker(GumboNode *n)
{
    GumboTag t = n->v.element.tag;
    if (!hx_is_inline_tag(t) && t != GUMBO_TAG_DIV)
        return false;
    char *s = tiny_text(n);
    bool r = is_star(s);
    if (!r && *s && strlen(s) <= 24 && hx_class_has(n, hx_tok_required)) {
        char *nn = uk_norm(s);
        r = strcmp(nn, "required") == 0 || strcmp(nn, "pflichtfeld") == 0 ||
            strcmp(nn, "obligatoire") == 0 || strcmp(nn, "obligatorio") == 0 ||
            strcmp(nn, "requis") == 0 || strcmp(nn, "mandatory") == 0 ||
            strcmp(nn, "erforderlich") == 0 || strcmp(nn, "required field") == 0;
        free(nn);
    }
    free(s);
    return r;
}

char *hx_text(GumboNode *root, unsigned flags, const GumboNode *skip, bool *saw_req)
{
    txopt o = {flags, skip, false, 0};
    oa_buf b;
    oa_buf_init(&b, TEXT_LIMIT);
    bool full = false;
    size_t budget = TEXT_NODE_BUDGET;
    GumboNode *n = root;
    while (n && !full && budget-- > 0) {
        bool skip_kids = false;
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
            n->type == GUMBO_NODE_CDATA) {
            full = oa_buf_puts(&b, n->v.text.text) != OA_OK;
        } else if (n->type == GUMBO_NODE_TEMPLATE) {
            skip_kids = n != root;
        } else if (n->type == GUMBO_NODE_ELEMENT) {
            GumboTag t = n->v.element.tag;
            if (n == o.skip) {
                skip_kids = true;
                if (o.flags & TX_STOP_AT_SKIP)
                    break;
            } else if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_HEAD) {
                skip_kids = true;
            } else if (n != root && (o.flags & TX_SKIP_CONTROLS) &&
                       (t == GUMBO_TAG_SELECT || t == GUMBO_TAG_OPTION || t == GUMBO_TAG_OPTGROUP ||
                        t == GUMBO_TAG_DATALIST || t == GUMBO_TAG_TEXTAREA ||
                        t == GUMBO_TAG_BUTTON)) {
                skip_kids = true;
            } else if (n != root && (o.flags & TX_SKIP_HIDDEN) && hx_hides_self(n)) {
                skip_kids = true;
            } else if (n != root && (o.flags & TX_SKIP_ERRORS) &&
                       (hx_class_has(n, hx_tok_error) || hx_attr_is(n, "role", "alert"))) {
                skip_kids = true;
            } else if (n != root && (o.flags & TX_SKIP_REQ) && is_req_marker(n)) {
                skip_kids = true;
                o.saw_req = true;
            } else if (!hx_is_inline_tag(t)) {
                full = oa_buf_puts(&b, " ") != OA_OK;
            }
            if (t == GUMBO_TAG_INPUT && n != root && !(o.flags & TX_SKIP_CONTROLS)) {
                /* Buttons show their value. */
                const char *ty = hx_attr(n, "type");
                if (ty && (strcasecmp(ty, "submit") == 0 || strcasecmp(ty, "button") == 0)) {
                    const char *v = hx_attr(n, "value");
                    if (v)
                        full = oa_buf_puts(&b, v) != OA_OK;
                }
            }
        }
        n = hx_next(n, root, skip_kids);
    }
    char *raw = oa_buf_take(&b);
    char *s = oa_squash_ws(raw);
    free(raw);
    if (saw_req)
        *saw_req = o.saw_req;
    return s;
}

/* Cuts s to at most max bytes at a UTF-8 boundary. */
void hx_cut_utf8(char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return;
    size_t i = max;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    s[i] = '\0';
    /* Drop a dangling space. */
    while (i > 0 && s[i - 1] == ' ')
        s[--i] = '\0';
}

/* ---- label cleaning --------------------------------------------------------------------- */

bool hx_in_list(const char *s, const char *const *l)
{
    for (size_t i = 0; l[i]; i++)
        if (strcmp(s, l[i]) == 0)
            return true;
    return false;
}

char *hx_choose_label(const char *option_text)
{
    char *s = oa_squash_ws(option_text ? option_text : "");
    char *p = s;
    for (;;) {
        while (*p == '-' || *p == ' ' || *p == '.' || *p == ':' || *p == '=' || *p == '<' ||
               *p == '[' || *p == '(')
            p++;
        char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        char *w = xstrndup(p, n);
        char *nw = uk_norm(w);
        bool drop = *nw && uk_is_choose_word(nw);
        free(w);
        free(nw);
        if (!drop)
            break;
        p += n;
    }
    size_t n = strlen(p);
    while (n > 0 && strchr("-.: =>])\xE2\x80\xA6", p[n - 1]))
        n--;
    char *r = xstrndup(p, n);
    free(s);
    char *nr = uk_norm(r);
    bool empty = !*nr;
    free(nr);
    if (empty) {
        free(r);
        return NULL;
    }
    if (r[0] >= 'a' && r[0] <= 'z')
        r[0] = (char)(r[0] - 'a' + 'A');
    return r;
}

/* Length of a star-like marker at s (0 when none). */
static size_t star_len(const char *s)
{
    if (*s == '*')
        return 1;
    if (strncmp(s, "\xE2\x9C\xB1", 3) == 0 || strncmp(s, "\xEF\xBC\x8A", 3) == 0 ||
        strncmp(s, "\xE2\x88\x97", 3) == 0 || strncmp(s, "\xE2\x81\x8E", 3) == 0)
        return 3;
    return 0;
}

/* Length of a star-like marker ending at s[n-1] (0 when none). */
static size_t star_len_end(const char *s, size_t n)
{
    if (n >= 1 && s[n - 1] == '*')
        return 1;
    if (n >= 3 && star_len(s + n - 3) == 3)
        return 3;
    return 0;
}

char *hx_clean_label(const char *in, bool *req, bool *opt)
{
    char *s = oa_squash_ws(in ? in : "");
    for (int round = 0; round < 8; round++) {
        size_t n = strlen(s);
        size_t a = 0, k;
        bool changed = false;
        /* Leading stars. */
        while ((k = star_len(s + a)) > 0 || s[a] == ' ') {
            if (k)
                *req = true;
            a += k ? k : 1;
        }
        /* Trailing stars, colons, blanks. */
        while (n > a) {
            if ((k = star_len_end(s, n)) > 0) {
                *req = true;
                n -= k;
            } else if (s[n - 1] == ' ' || s[n - 1] == ':' || s[n - 1] == '\xA0') {
                n--;
            } else {
                break;
            }
        }
        if (a > 0 || n < strlen(s)) {
            memmove(s, s + a, n - a);
            s[n - a] = '\0';
            changed = true;
            n -= a;
        }
        /* A trailing "(required)", "[optional]", "(Pflichtfeld)". */
        if (n > 2 && (s[n - 1] == ')' || s[n - 1] == ']')) {
            char open = s[n - 1] == ')' ? '(' : '[';
            char *o = strrchr(s, open);
            if (o) {
                char *inner = xstrndup(o + 1, (size_t)(s + n - 1 - (o + 1)));
                char *norm = uk_norm(inner);
                bool is_req = uk_is_required_mark(norm) || is_star(inner);
                bool is_opt = uk_is_optional_mark(norm);
                free(inner);
                free(norm);
                if (is_req || is_opt) {
                    *req = *req || is_req;
                    *opt = *opt || is_opt;
                    *o = '\0';
                    changed = true;
                }
            }
        } else {
            /* A trailing bare word: "Telefon - optional", "Email, required". */
            char *sp = strrchr(s, ' ');
            if (sp && sp > s) {
                char *norm = uk_norm(sp + 1);
                bool is_req = uk_is_required_mark(norm);
                bool is_opt = uk_is_optional_mark(norm);
                free(norm);
                if (is_req || is_opt) {
                    *req = *req || is_req;
                    *opt = *opt || is_opt;
                    *sp = '\0';
                    /* and a dash or comma before it */
                    size_t m = strlen(s);
                    while (m > 0 && (s[m - 1] == '-' || s[m - 1] == ',' || s[m - 1] == ' '))
                        s[--m] = '\0';
                    changed = true;
                }
            }
        }
        if (!changed)
            break;
    }
    char *r = oa_squash_ws(s);
    free(s);
    hx_cut_utf8(r, LABEL_MAX);
    return r;
}

/* "job_application[first_name]" -> "First name"; "urls[LinkedIn]" -> "LinkedIn". */
char *hx_humanize(const char *name)
{
    if (!name || !*name)
        return xstrdup("Field");
    /* The last bracketed segment holding a letter, else the whole name. */
    const char *best = name;
    size_t best_len = strlen(name);
    const char *p = name;
    while ((p = strchr(p, '['))) {
        const char *e = strchr(p + 1, ']');
        if (!e)
            break;
        bool letter = false;
        for (const char *q = p + 1; q < e; q++)
            letter = letter || isalpha((unsigned char)*q);
        if (letter) {
            best = p + 1;
            best_len = (size_t)(e - best);
        }
        p = e + 1;
    }
    if (best == name) {
        const char *br = strchr(name, '[');
        if (br)
            best_len = (size_t)(br - name);
    }
    char *t = xmalloc(2 * best_len + 1);
    size_t j = 0;
    for (size_t i = 0; i < best_len; i++) {
        unsigned char c = (unsigned char)best[i];
        if (c == '_' || c == '-' || c == '.')
            c = ' ';
        if (i > 0 && isupper(c) && islower((unsigned char)best[i - 1]))
            t[j++] = ' ';
        t[j++] = (char)c;
    }
    t[j] = '\0';
    char *s = oa_squash_ws(t);
    free(t);
    if (!*s) {
        free(s);
        return xstrdup(name);
    }
    /* Sentence case when the name is all lower-case ASCII. */
    bool lower = true;
    for (char *q = s; *q; q++)
        lower = lower && !isupper((unsigned char)*q);
    if (lower)
        s[0] = (char)toupper((unsigned char)s[0]);
    return s;
}

char *hx_page_text(GumboOutput *out)
{
    GumboNode *root = out->document;
    oa_buf b;
    oa_buf_init(&b, PAGE_TEXT_LIMIT);
    bool full = false;
    for (GumboNode *n = root; n && !full;) {
        bool skip = false;
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
            full = oa_buf_puts(&b, n->v.text.text) != OA_OK || oa_buf_puts(&b, " ") != OA_OK;
        } else if (n->type == GUMBO_NODE_TEMPLATE) {
            skip = true;
        } else if (n->type == GUMBO_NODE_ELEMENT) {
            GumboTag t = n->v.element.tag;
            skip = t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NOSCRIPT ||
                   t == GUMBO_TAG_SELECT || t == GUMBO_TAG_TEXTAREA ||
                   (t == GUMBO_TAG_HEAD ? false : hx_hides_self(n));
            if (!hx_is_inline_tag(t))
                full = oa_buf_puts(&b, " ") != OA_OK;
            if (t == GUMBO_TAG_META || t == GUMBO_TAG_LINK)
                skip = true;
        }
        n = hx_next(n, root, skip);
    }
    char *raw = oa_buf_take(&b);
    char *s = uk_norm(raw);
    free(raw);
    return s;
}
