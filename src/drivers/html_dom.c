/*
 * html_dom.c - the generic HTML driver's helpers over gumbo's tree: element tests and
 * attributes, the iterative pre-order walk, class tokens (required and help markers, errors,
 * hiding classes, honeypots, section titles, page furniture), inline styles that hide, tag
 * classes, and bounded ancestor tests (hidden, disabled, inside navigation or a search box).
 *
 * Nothing here recurses over the document: walks are iterative, ancestor walks bounded.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "drivers/html_internal.h"

bool hx_is_el(const GumboNode *n)
{
    return n && (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE);
}

bool hx_is_tag(const GumboNode *n, GumboTag t)
{
    return hx_is_el(n) && n->v.element.tag == t;
}

const char *hx_attr(const GumboNode *n, const char *name)
{
    if (!hx_is_el(n))
        return NULL;
    GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : NULL;
}

bool hx_attr_is(const GumboNode *n, const char *name, const char *val)
{
    const char *v = hx_attr(n, name);
    return v && strcasecmp(v, val) == 0;
}

const GumboVector *hx_kids(const GumboNode *n)
{
    if (!n)
        return NULL;
    if (n->type == GUMBO_NODE_DOCUMENT)
        return &n->v.document.children;
    if (hx_is_el(n))
        return &n->v.element.children;
    return NULL;
}

GumboNode *hx_next(GumboNode *n, const GumboNode *root, bool skip_children)
{
    const GumboVector *k = hx_kids(n);
    if (!skip_children && k && k->length > 0)
        return k->data[0];
    while (n && n != root) {
        GumboNode *p = n->parent;
        if (!p)
            return NULL;
        const GumboVector *pk = hx_kids(p);
        size_t i = n->index_within_parent + 1;
        if (pk && i < pk->length)
            return pk->data[i];
        n = p;
    }
    return NULL;
}

/* True when anc is n or one of its ancestors, looking at most max levels up. */
bool hx_is_ancestor(const GumboNode *anc, const GumboNode *n, int max)
{
    for (int i = 0; n && i <= max; i++, n = n->parent)
        if (n == anc)
            return true;
    return false;
}

/* True when the class attribute has a token for which pred says yes. */
bool hx_class_has(const GumboNode *n, bool (*pred)(const char *tok, size_t len))
{
    const char *c = hx_attr(n, "class");
    if (!c)
        return false;
    for (const char *p = c; *p;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *s = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (p > s && pred(s, (size_t)(p - s)))
            return true;
    }
    return false;
}

static bool tok_contains(const char *tok, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++)
        if (strncasecmp(tok + i, needle, nl) == 0)
            return true;
    return false;
}

static bool tok_eq(const char *tok, size_t len, const char *s)
{
    return strlen(s) == len && strncasecmp(tok, s, len) == 0;
}

bool hx_tok_required(const char *t, size_t l)
{
    if (tok_contains(t, l, "not-required") || tok_contains(t, l, "non-required") ||
        tok_contains(t, l, "notrequired") || tok_contains(t, l, "optional"))
        return false;
    return tok_contains(t, l, "required") || tok_contains(t, l, "mandatory") ||
           tok_contains(t, l, "asterisk") || tok_eq(t, l, "req");
}

bool hx_tok_help(const char *t, size_t l)
{
    if (tok_contains(t, l, "error") || tok_contains(t, l, "invalid") || tok_contains(t, l, "label"))
        return false;
    return tok_contains(t, l, "help") || tok_contains(t, l, "hint") ||
           tok_contains(t, l, "description") || tok_contains(t, l, "form-text") ||
           tok_contains(t, l, "instruction") || tok_contains(t, l, "explain") ||
           tok_contains(t, l, "field-note") || tok_eq(t, l, "note") || tok_eq(t, l, "desc") ||
           tok_eq(t, l, "text-muted") || tok_eq(t, l, "caption") || tok_eq(t, l, "sublabel") ||
           tok_eq(t, l, "sub-label");
}

bool hx_tok_error(const char *t, size_t l)
{
    return tok_contains(t, l, "error") || tok_contains(t, l, "invalid") ||
           tok_eq(t, l, "alert-danger") || tok_contains(t, l, "not-valid");
}

static bool tok_hidden(const char *t, size_t l)
{
    return tok_eq(t, l, "hidden") || tok_eq(t, l, "d-none") || tok_eq(t, l, "hide") ||
           tok_eq(t, l, "is-hidden") || tok_eq(t, l, "display-none") || tok_eq(t, l, "invisible");
}

bool hx_tok_honeypot(const char *t, size_t l)
{
    bool hp_suffix =
        l > 3 && (strncasecmp(t + l - 3, "-hp", 3) == 0 || strncasecmp(t + l - 3, "_hp", 3) == 0);
    return tok_contains(t, l, "honeypot") || tok_contains(t, l, "ohnohoney") ||
           tok_eq(t, l, "hp") || tok_contains(t, l, "hp-field") || tok_contains(t, l, "hpot") ||
           tok_contains(t, l, "spam-trap") || tok_contains(t, l, "bot-trap") ||
           tok_contains(t, l, "antispam") || tok_contains(t, l, "validation_container") ||
           tok_contains(t, l, "validation-container") || hp_suffix;
}

static bool tok_section_title(const char *t, size_t l)
{
    return tok_contains(t, l, "section-title") || tok_contains(t, l, "section-header") ||
           tok_contains(t, l, "section-heading") || tok_contains(t, l, "section_title") ||
           tok_contains(t, l, "group-title") || tok_contains(t, l, "fieldset-title") ||
           tok_contains(t, l, "form-section-title") || tok_eq(t, l, "legend") ||
           tok_eq(t, l, "heading") || tok_contains(t, l, "section-label");
}

static bool tok_noise(const char *t, size_t l)
{
    static const char *const NOISE[] = {
        "search",        "site-search",     "search-form",       "searchform",    "search-box",
        "searchbox",     "search-bar",      "searchbar",         "header-search", "nav-search",
        "newsletter",    "newsletter-form", "newsletter-signup", "cookie-banner", "cookie-consent",
        "cookie-notice", "login",           "login-form",        "loginform"};
    for (size_t i = 0; i < OA_ARRAY_LEN(NOISE); i++)
        if (tok_eq(t, l, NOISE[i]))
            return true;
    return false;
}

/* Lower-cased style with blanks removed, into out (truncated). */
static void style_compact(const char *style, char *out, size_t n)
{
    size_t j = 0;
    for (const char *p = style; p && *p && j + 1 < n; p++)
        if (!isspace((unsigned char)*p))
            out[j++] = (char)tolower((unsigned char)*p);
    out[j] = '\0';
}

static bool style_hides(const char *style)
{
    if (!style)
        return false;
    char s[512];
    style_compact(style, s, sizeof s);
    return strstr(s, "display:none") || strstr(s, "visibility:hidden") ||
           strstr(s, "visibility:collapse");
}

/* Off-screen or zero-size tricks honeypots use (not enough on their own to hide a question). */
bool hx_style_offscreen(const char *style)
{
    if (!style)
        return false;
    char s[512];
    style_compact(style, s, sizeof s);
    static const char *const T[] = {"left:-",    "top:-",         "opacity:0;",
                                    "height:0;", "width:0;",      "height:0px",
                                    "width:0px", "text-indent:-", "clip:rect(0"};
    for (size_t i = 0; i < OA_ARRAY_LEN(T); i++) {
        const char *h = strstr(s, T[i]);
        if (!h)
            continue;
        if (strcmp(T[i], "left:-") == 0 || strcmp(T[i], "top:-") == 0 ||
            strcmp(T[i], "text-indent:-") == 0) {
            /* Only large offsets: left:-9999px, top:-5000px. */
            const char *d = h + strlen(T[i]);
            size_t digits = 0;
            while (isdigit((unsigned char)d[digits]))
                digits++;
            if (digits >= 3)
                return true;
            continue;
        }
        return true;
    }
    size_t l = strlen(s);
    return (l >= 9 && strcmp(s + l - 9, "opacity:0") == 0) ||
           (l >= 8 && strcmp(s + l - 8, "height:0") == 0);
}

/* An element hidden by itself (hidden attribute, inline style, hiding class). */
static bool tok_collapse(const char *t, size_t l)
{
    return tok_eq(t, l, "collapse");
}

static bool tok_shown(const char *t, size_t l)
{
    return tok_eq(t, l, "show") || tok_eq(t, l, "in") || tok_eq(t, l, "open");
}

bool hx_hides_self(const GumboNode *n)
{
    if (!hx_is_el(n))
        return false;
    /* A collapsed panel ("collapse" without "show", Bootstrap's convention) is hidden until a
     * button opens it. */
    return hx_attr(n, "hidden") != NULL || style_hides(hx_attr(n, "style")) ||
           hx_class_has(n, tok_hidden) ||
           (hx_class_has(n, tok_collapse) && !hx_class_has(n, tok_shown));
}

bool hx_is_heading_tag(GumboTag t)
{
    return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 ||
           t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

bool hx_is_inline_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_B:
    case GUMBO_TAG_BDI:
    case GUMBO_TAG_BDO:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_DFN:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_I:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_TIME:
    case GUMBO_TAG_U:
    case GUMBO_TAG_VAR:
    case GUMBO_TAG_BIG:
    case GUMBO_TAG_TT:
    case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_NOBR:
        return true;
    default:
        return false;
    }
}

bool hx_is_control_tag(const GumboNode *n)
{
    if (!hx_is_el(n))
        return false;
    GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_SELECT || t == GUMBO_TAG_TEXTAREA)
        return true;
    if (t == GUMBO_TAG_INPUT) {
        const char *ty = hx_attr(n, "type");
        return !ty || (strcasecmp(ty, "hidden") != 0 && strcasecmp(ty, "submit") != 0 &&
                       strcasecmp(ty, "button") != 0 && strcasecmp(ty, "reset") != 0 &&
                       strcasecmp(ty, "image") != 0);
    }
    return false;
}

/* True when n's subtree (bounded) holds a question control other than `self`. Too large a
 * subtree counts as holding one (the caller then stops looking). */
bool hx_holds_control(GumboNode *n, const GumboNode *self)
{
    size_t seen = 0;
    for (GumboNode *m = n; m; m = hx_next(m, n, false)) {
        if (++seen > SUBTREE_SCAN_MAX)
            return true;
        if (m != self && hx_is_control_tag(m))
            return true;
    }
    return false;
}

bool hx_is_section_title(GumboNode *n)
{
    GumboTag t = n->v.element.tag;
    if (t != GUMBO_TAG_DIV && t != GUMBO_TAG_P && t != GUMBO_TAG_SPAN && t != GUMBO_TAG_STRONG &&
        t != GUMBO_TAG_B && t != GUMBO_TAG_LEGEND)
        return hx_attr_is(n, "role", "heading");
    return hx_attr_is(n, "role", "heading") || hx_class_has(n, tok_section_title);
}

/* Disabled itself or inside a disabled fieldset. */
bool hx_is_disabled(const GumboNode *n, const GumboNode *root)
{
    if (hx_attr(n, "disabled"))
        return true;
    int i = 0;
    for (const GumboNode *a = n->parent; a && a != root && i < ANCESTOR_MAX; a = a->parent, i++)
        if (hx_is_tag(a, GUMBO_TAG_FIELDSET) && hx_attr(a, "disabled"))
            return true;
    return false;
}

/* Inside navigation, header, footer or a search/newsletter/login box within the form. */
bool hx_in_noise(const GumboNode *n, const GumboNode *root)
{
    int i = 0;
    for (const GumboNode *a = n->parent; a && a != root && i < ANCESTOR_MAX; a = a->parent, i++) {
        if (!hx_is_el(a))
            break;
        GumboTag t = a->v.element.tag;
        if (t == GUMBO_TAG_NAV || t == GUMBO_TAG_HEADER || t == GUMBO_TAG_FOOTER)
            return true;
        const char *role = hx_attr(a, "role");
        if (role && (strcasecmp(role, "search") == 0 || strcasecmp(role, "navigation") == 0 ||
                     strcasecmp(role, "banner") == 0 || strcasecmp(role, "contentinfo") == 0))
            return true;
        if (hx_class_has(a, tok_noise))
            return true;
        const char *id = hx_attr(a, "id");
        if (id && tok_noise(id, strlen(id)))
            return true;
    }
    return false;
}

bool hx_hidden(const GumboNode *n)
{
    int i = 0;
    const GumboNode *child = NULL;
    for (; n && i < ANCESTOR_MAX; child = n, n = n->parent, i++) {
        if (hx_hides_self(n))
            return true;
        /* A closed <details> shows only its <summary>. */
        if (hx_is_tag(n, GUMBO_TAG_DETAILS) && !hx_attr(n, "open") && child &&
            !hx_is_tag(child, GUMBO_TAG_SUMMARY))
            return true;
    }
    return false;
}

bool hx_has_class(const GumboNode *n, const char *needle)
{
    const char *c = hx_attr(n, "class");
    if (!c)
        return false;
    for (const char *p = c; *p;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *s = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (p > s && tok_contains(s, (size_t)(p - s), needle))
            return true;
    }
    return false;
}
