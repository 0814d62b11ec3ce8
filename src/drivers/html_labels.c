/*
 * html_labels.c - the labels of the generic HTML driver's questions: from aria-labelledby,
 * <label for>, a wrapping label or aria-label; for a group of radios or checkboxes from its
 * role=group/radiogroup container or fieldset legend; else from the text before the field
 * (bounded sibling walks that stop at other controls), a floating label after it, the
 * placeholder or title (not when it shows an example), a heading, or the field name. Option
 * labels of radios and checkboxes, and the field's container and fieldset, are found here too.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/html_internal.h"
#include "drivers/unified_keys.h"
#include "util/buf.h"
#include "util/text.h"

#define SIBLINGS_MAX 200 /* previous siblings looked at per level for a label */
#define IDREFS_MAX   16  /* ids read from one aria-labelledby/-describedby */

static void consume(hx_ctx *x, GumboNode *n)
{
    x->consumed = xrealloc(x->consumed, (x->n_consumed + 1) * sizeof *x->consumed);
    x->consumed[x->n_consumed++] = n;
}

bool hx_is_consumed(const hx_ctx *x, const GumboNode *n)
{
    for (size_t i = 0; i < x->n_consumed; i++)
        if (x->consumed[i] == n)
            return true;
    return false;
}

/* The label-ish text of an element, cleaned; NULL when empty. */
static char *label_text_f(GumboNode *el, const GumboNode *skip, unsigned extra, bool *req,
                          bool *opt)
{
    bool saw = false;
    char *t = hx_text(el, TX_SKIP_CONTROLS | TX_SKIP_HIDDEN | TX_SKIP_REQ | TX_SKIP_ERRORS | extra,
                      skip, &saw);
    if (saw)
        *req = true;
    char *c = hx_clean_label(t, req, opt);
    free(t);
    if (!*c) {
        free(c);
        return NULL;
    }
    return c;
}

char *hx_label_text(GumboNode *el, const GumboNode *skip, bool *req, bool *opt)
{
    return label_text_f(el, skip, 0, req, opt);
}

/* Texts of the elements named by an id list (aria-labelledby / aria-describedby). */
char *hx_idref_text(const hx_ctx *x, const char *ids, const GumboNode *self)
{
    if (!ids)
        return NULL;
    oa_buf b;
    oa_buf_init(&b, TEXT_LIMIT);
    char *copy = xstrndup(ids, 4096);
    size_t n_ids = 0;
    for (char *p = copy; *p && n_ids++ < IDREFS_MAX;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        char *tok = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = '\0';
        if (!*tok)
            break;
        GumboNode *n = hx_by_id(x->d, tok);
        if (!n || n == self)
            continue;
        char *t = hx_text(n, TX_SKIP_CONTROLS, NULL, NULL);
        if (*t && (oa_buf_puts(&b, t) != OA_OK || oa_buf_puts(&b, " ") != OA_OK)) {
            free(t);
            break;
        }
        free(t);
    }
    free(copy);
    char *raw = oa_buf_take(&b);
    char *s = oa_squash_ws(raw);
    free(raw);
    if (!*s) {
        free(s);
        return NULL;
    }
    return s;
}

/* Texts that are instructions for the whole form rather than a label. */
static bool is_instruction(const char *text)
{
    char *n = uk_norm(text);
    static const char *const I[] = {"marked with*",
                                    "fields marked*",
                                    "required fields",
                                    "mandatory fields",
                                    "gekennzeichnet*",
                                    "pflichtfelder",
                                    "champs marques*",
                                    "champs obligatoires",
                                    "campos marcados*",
                                    "campos obligatorios",
                                    NULL};
    bool r = false;
    for (size_t i = 0; I[i] && !r; i++)
        r = uk_has_phrase(n, I[i]);
    free(n);
    return r;
}

static bool is_help_el(const GumboNode *n)
{
    return hx_class_has(n, hx_tok_help) || hx_class_has(n, hx_tok_error) ||
           hx_attr_is(n, "role", "alert");
}

/*
 * The text just before node in its field: previous siblings of node and of its ancestors (up
 * to `levels` levels), stopping at other controls. A heading or legend met on the way is
 * reported in *heading instead (it may be a section title). *el gets the element the text came
 * from (NULL for a bare text node).
 */
static char *prev_text(hx_ctx *x, GumboNode *node, int levels, GumboNode **heading, GumboNode **el,
                       bool *req, bool *opt)
{
    *heading = NULL;
    *el = NULL;
    GumboNode *cur = node;
    for (int lv = 0; lv <= levels && cur && cur != x->root; lv++) {
        GumboNode *p = cur->parent;
        const GumboVector *k = hx_kids(p);
        if (!k)
            break;
        size_t looked = 0;
        for (size_t i = cur->index_within_parent; i-- > 0 && looked++ < SIBLINGS_MAX;) {
            GumboNode *s = k->data[i];
            if (s->type == GUMBO_NODE_TEXT) {
                bool r2 = false, o2 = false;
                char *c = hx_clean_label(s->v.text.text, &r2, &o2);
                if (*c && !is_instruction(c)) {
                    *req = *req || r2;
                    *opt = *opt || o2;
                    return c;
                }
                free(c);
                continue;
            }
            if (!hx_is_el(s) || s->type == GUMBO_NODE_TEMPLATE)
                continue;
            GumboTag t = s->v.element.tag;
            if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_BR ||
                t == GUMBO_TAG_BUTTON || t == GUMBO_TAG_IMG)
                continue;
            if (t == GUMBO_TAG_HR)
                return NULL;
            if (hx_is_heading_tag(t) || t == GUMBO_TAG_LEGEND || hx_is_section_title(s)) {
                *heading = s;
                return NULL;
            }
            if (hx_holds_control(s, node))
                return NULL;
            if (hx_hides_self(s) || is_help_el(s))
                continue;
            if (t == GUMBO_TAG_LABEL && hx_attr(s, "for")) {
                /* Another control's label ends the search; ours would have been found. */
                GumboNode *target = hx_by_id(x->d, hx_attr(s, "for"));
                if (target && target != node)
                    return NULL;
            }
            bool r2 = false, o2 = false;
            char *c = hx_label_text(s, node, &r2, &o2);
            if (c && !is_instruction(c) && strlen(c) <= 300) {
                *req = *req || r2;
                *opt = *opt || o2;
                *el = s;
                return c;
            }
            bool stop = c && strlen(c) > 300;
            free(c);
            if (stop)
                return NULL;
        }
        cur = p;
        if (!hx_is_el(p) || hx_is_tag(p, GUMBO_TAG_FORM) || hx_is_tag(p, GUMBO_TAG_BODY))
            break;
    }
    return NULL;
}

/* The text right after a radio/checkbox (its visible option label when not in a <label>). */
static char *next_text(GumboNode *node)
{
    GumboNode *cur = node;
    for (int lv = 0; lv < 2 && cur && cur->parent; lv++) {
        const GumboVector *k = hx_kids(cur->parent);
        oa_buf b;
        oa_buf_init(&b, 4096);
        for (size_t i = cur->index_within_parent + 1;
             k && i < k->length && i <= cur->index_within_parent + SIBLINGS_MAX; i++) {
            GumboNode *s = k->data[i];
            if (s->type == GUMBO_NODE_TEXT) {
                if (oa_buf_puts(&b, s->v.text.text) != OA_OK)
                    break;
                continue;
            }
            if (!hx_is_el(s) || s->type == GUMBO_NODE_TEMPLATE)
                continue;
            GumboTag t = s->v.element.tag;
            if (t == GUMBO_TAG_BR || t == GUMBO_TAG_HR || hx_is_control_tag(s) ||
                hx_holds_control(s, NULL))
                break;
            if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || hx_hides_self(s))
                continue;
            char *tx = hx_text(s, TX_SKIP_CONTROLS | TX_SKIP_HIDDEN, NULL, NULL);
            oa_status st = oa_buf_puts(&b, tx);
            oa_status st2 = oa_buf_puts(&b, " ");
            free(tx);
            if (st != OA_OK || st2 != OA_OK || !hx_is_inline_tag(t) || t == GUMBO_TAG_LABEL)
                break;
        }
        char *raw = oa_buf_take(&b);
        char *s = oa_squash_ws(raw);
        free(raw);
        if (*s)
            return s;
        free(s);
        /* Step out of an inline wrapper holding only the control. */
        GumboNode *p = cur->parent;
        if (!hx_is_el(p) || !hx_is_inline_tag(p->v.element.tag))
            break;
        cur = p;
    }
    return NULL;
}

/* Wrapping <label> of n (bounded, not beyond the candidate root). */
static GumboNode *wrapping_label(const hx_ctx *x, GumboNode *n)
{
    int i = 0;
    for (GumboNode *a = n->parent; a && a != x->root && i < 8; a = a->parent, i++) {
        if (hx_is_tag(a, GUMBO_TAG_LABEL))
            return a;
        if (hx_is_tag(a, GUMBO_TAG_FORM) || hx_is_tag(a, GUMBO_TAG_FIELDSET))
            break;
    }
    return NULL;
}

/* The label of one control from its own markup: aria-labelledby, label[for], a wrapping
 * label, aria-label. */
char *hx_own_label(hx_ctx *x, GumboNode *n, bool *req, bool *opt, GumboNode **el)
{
    *el = NULL;
    char *s = hx_idref_text(x, hx_attr(n, "aria-labelledby"), n);
    if (s) {
        char *c = hx_clean_label(s, req, opt);
        free(s);
        if (*c)
            return c;
        free(c);
    }
    const char *id = hx_attr(n, "id");
    const char *al0 = hx_attr(n, "aria-label");
    if (id && *id && al0 && *al0) {
        /* Two labels for one control (a group label and a sub-label, as form builders
         * write "Name*" + "First"): the control's own aria-label is the clearer one. */
        size_t f = hx_lfor_first(x->d, id);
        if (f + 1 < x->d->n_lfor && strcmp(x->d->lfor[f].key, id) == 0 &&
            strcmp(x->d->lfor[f + 1].key, id) == 0) {
            char *c = hx_clean_label(al0, req, opt);
            if (*c)
                return c;
            free(c);
        }
    }
    if (id && *id) {
        for (size_t i = hx_lfor_first(x->d, id);
             i < x->d->n_lfor && strcmp(x->d->lfor[i].key, id) == 0; i++) {
            char *c = hx_label_text(x->d->lfor[i].node, n, req, opt);
            if (c) {
                *el = x->d->lfor[i].node;
                if (hx_class_has(*el, hx_tok_required))
                    *req = true;
                return c;
            }
        }
    }
    GumboNode *w = wrapping_label(x, n);
    if (w) {
        /* A text field's label precedes it ("Resume <input> ATTACH"); a checkbox's follows. */
        const char *ty = hx_attr(n, "type");
        bool box = ty && (strcasecmp(ty, "checkbox") == 0 || strcasecmp(ty, "radio") == 0);
        char *c = box ? NULL : label_text_f(w, n, TX_STOP_AT_SKIP, req, opt);
        if (!c)
            c = hx_label_text(w, n, req, opt);
        if (c) {
            *el = w;
            if (hx_class_has(w, hx_tok_required))
                *req = true;
            return c;
        }
    }
    const char *al = hx_attr(n, "aria-label");
    if (al) {
        char *c = hx_clean_label(al, req, opt);
        if (*c)
            return c;
        free(c);
    }
    return NULL;
}

/* Does container a hold a control of another question (the neighbours in document order)? */
static bool holds_neighbour(const hx_ctx *x, size_t qi, const GumboNode *a)
{
    if (qi > 0) {
        const hx_item *p = &x->items[qi - 1];
        if (hx_is_ancestor(a, p->mem[p->n_mem - 1], ANCESTOR_MAX) ||
            hx_is_ancestor(a, p->mem[0], ANCESTOR_MAX))
            return true;
    }
    if (qi + 1 < x->n_items) {
        const hx_item *nx = &x->items[qi + 1];
        if (hx_is_ancestor(a, nx->mem[0], ANCESTOR_MAX))
            return true;
    }
    return false;
}

/* Lowest common ancestor of an item's members (bounded). */
static GumboNode *members_lca(const hx_item *it)
{
    GumboNode *a = it->mem[0]->parent;
    for (size_t i = 1; i < it->n_mem && a; i++) {
        int guard = 0;
        while (a && !hx_is_ancestor(a, it->mem[i], ANCESTOR_MAX) && guard++ < ANCESTOR_MAX)
            a = a->parent;
    }
    return a;
}

/* The largest ancestor (up to 4 levels above the members) holding no other question. */
GumboNode *hx_field_container(const hx_ctx *x, size_t qi)
{
    const hx_item *it = &x->items[qi];
    GumboNode *a = it->n_mem > 1 ? members_lca(it) : it->mem[0]->parent;
    GumboNode *best = NULL;
    for (int up = 0; a && up < 4; up++, a = a->parent) {
        if (a == x->root || !hx_is_el(a) || hx_is_tag(a, GUMBO_TAG_FORM) ||
            hx_is_tag(a, GUMBO_TAG_BODY) || hx_is_tag(a, GUMBO_TAG_TABLE) ||
            hx_is_tag(a, GUMBO_TAG_TBODY))
            break;
        if (holds_neighbour(x, qi, a))
            break;
        best = a;
    }
    return best;
}

/* Nearest fieldset ancestor with a non-empty legend (within the candidate). */
GumboNode *hx_fieldset_of(const hx_ctx *x, GumboNode *n, GumboNode **legend)
{
    int i = 0;
    for (GumboNode *a = n->parent; a && a != x->root && i < ANCESTOR_MAX; a = a->parent, i++) {
        if (!hx_is_tag(a, GUMBO_TAG_FIELDSET))
            continue;
        const GumboVector *k = hx_kids(a);
        for (size_t j = 0; k && j < k->length; j++) {
            GumboNode *c = k->data[j];
            if (hx_is_tag(c, GUMBO_TAG_LEGEND)) {
                *legend = c;
                return a;
            }
        }
    }
    *legend = NULL;
    return NULL;
}

/* Group container with role=group/radiogroup (or a fieldset) around all members. */
static char *group_label(hx_ctx *x, size_t qi, bool *req, bool *opt, GumboNode **el)
{
    hx_item *it = &x->items[qi];
    *el = NULL;
    GumboNode *l = members_lca(it);
    int i = 0;
    for (GumboNode *a = l; a && a != x->root && i < 6; a = a->parent, i++) {
        if (!hx_is_el(a) || holds_neighbour(x, qi, a))
            break;
        const char *role = hx_attr(a, "role");
        bool grp = role && (strcasecmp(role, "group") == 0 || strcasecmp(role, "radiogroup") == 0);
        if (grp || hx_is_tag(a, GUMBO_TAG_FIELDSET)) {
            if (hx_attr_is(a, "aria-required", "true"))
                *req = true;
            char *s = hx_idref_text(x, hx_attr(a, "aria-labelledby"), NULL);
            if (!s && hx_attr(a, "aria-label"))
                s = xstrdup(hx_attr(a, "aria-label"));
            if (s) {
                char *c = hx_clean_label(s, req, opt);
                free(s);
                if (*c)
                    return c;
                free(c);
            }
            if (hx_is_tag(a, GUMBO_TAG_FIELDSET)) {
                GumboNode *lg = NULL;
                if (hx_fieldset_of(x, it->mem[0], &lg) == a && lg) {
                    char *c = hx_label_text(lg, NULL, req, opt);
                    if (c) {
                        *el = lg;
                        return c;
                    }
                }
            }
        }
    }
    return NULL;
}

static bool is_yes_word(const char *label)
{
    char *n = uk_norm(label);
    static const char *const Y[] = {"yes", "ja", "oui", "si", "i agree", "agree", "ok", NULL};
    bool r = hx_in_list(n, Y);
    free(n);
    return r;
}

/* A placeholder that shows an example or a format rather than naming the field:
 * "e.g. jane@doe.com", "z. B. Musterstraße 1", "TT.MM.JJJJ", "https://". */
static bool is_example(const char *s)
{
    if (strchr(s, '@') || strstr(s, "://") || strstr(s, "www."))
        return true;
    size_t letters = 0;
    for (const char *p = s; *p; p++)
        letters += isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80;
    if (letters < 2)
        return true;
    char *n = uk_norm(s);
    static const char *const EX[] = {
        "e g",         "eg",          "z b",     "zb",        "ex",           "p ej",
        "por ejemplo", "for example", "example", "beispiel*", "zum beispiel", "exemple",
        "par exemple", "dd mm*",      "mm dd*",  "yyyy*",     "tt mm*",       "jjjj",
        "jj mm*",      "aaaa",        NULL};
    bool r = false;
    for (size_t i = 0; EX[i] && !r; i++) {
        size_t l = strlen(EX[i]);
        bool star = EX[i][l - 1] == '*';
        if (star)
            l--;
        r = strncmp(n, EX[i], l) == 0 && (star || n[l] == '\0' || n[l] == ' ');
    }
    free(n);
    return r;
}

/* Sets q->label (never empty) and required markers for item qi. */
void hx_resolve_label(hx_ctx *x, size_t qi, bool *req, bool *opt)
{
    hx_item *it = &x->items[qi];
    GumboNode *n = it->mem[0];
    bool group = it->n_mem > 1 || it->kind == K_RADIO;
    char *label = NULL;
    GumboNode *el = NULL, *heading = NULL;
    if (group) {
        label = group_label(x, qi, req, opt, &el);
        if (!label) {
            /* Text before the group, starting from the members' common container. */
            GumboNode *l = members_lca(it);
            GumboNode *start = n;
            while (start && start->parent && start->parent != l)
                start = start->parent;
            label = prev_text(x, start ? start : n, 3, &heading, &el, req, opt);
            if (!label && heading && hx_is_tag(heading, GUMBO_TAG_LEGEND)) {
                GumboNode *lg = NULL;
                GumboNode *fs = hx_fieldset_of(x, n, &lg);
                if (fs && lg == heading && !holds_neighbour(x, qi, fs)) {
                    label = hx_label_text(lg, NULL, req, opt);
                    el = lg;
                }
            }
        }
    } else {
        label = hx_own_label(x, n, req, opt, &el);
        if (label && it->kind == K_CHECKBOX && is_yes_word(label)) {
            /* "Willing to relocate? [x] Yes": the question is the text before. */
            GumboNode *h2 = NULL, *el2 = NULL;
            char *before = prev_text(x, el ? el : n, 3, &h2, &el2, req, opt);
            if (before) {
                free(label);
                label = before;
                el = el2;
            }
        }
        if (!label && it->kind == K_CHECKBOX) {
            char *t = next_text(n);
            if (t) {
                label = hx_clean_label(t, req, opt);
                free(t);
                if (!*label) {
                    free(label);
                    label = NULL;
                }
            }
        }
        if (!label) {
            GumboNode *lg = NULL;
            GumboNode *fs = hx_fieldset_of(x, n, &lg);
            if (fs && lg && !holds_neighbour(x, qi, fs)) {
                label = hx_label_text(lg, NULL, req, opt);
                el = lg;
            }
        }
        if (!label)
            label = prev_text(x, n, 3, &heading, &el, req, opt);
        if (!label) {
            /* A floating label right after the field, without for="" */
            const GumboVector *k = hx_kids(n->parent);
            for (size_t i = n->index_within_parent + 1;
                 k && i < k->length && i < n->index_within_parent + 4; i++) {
                GumboNode *sib = k->data[i];
                if (sib->type == GUMBO_NODE_WHITESPACE)
                    continue;
                if (hx_is_tag(sib, GUMBO_TAG_LABEL) && !hx_attr(sib, "for")) {
                    label = hx_label_text(sib, NULL, req, opt);
                    el = label ? sib : NULL;
                }
                break;
            }
        }
    }
    if (!label && it->kind == K_SELECT) {
        /* No label: the placeholder option names the field ("Select your country"). */
        const GumboVector *k = hx_kids(n);
        for (size_t i = 0; k && i < k->length && !label; i++) {
            GumboNode *o = k->data[i];
            if (!hx_is_tag(o, GUMBO_TAG_OPTION))
                continue;
            const char *v = hx_attr(o, "value");
            char *t = hx_text(o, 0, NULL, NULL);
            if ((v && !*v) || uk_is_placeholder_option(t))
                label = hx_choose_label(t);
            free(t);
            break;
        }
    }
    const char *fallbacks[] = {hx_attr(n, "placeholder"), hx_attr(n, "title"),
                               hx_attr(n, "data-placeholder"), hx_attr(n, "data-label")};
    for (size_t i = 0; !label && i < OA_ARRAY_LEN(fallbacks); i++) {
        if (!fallbacks[i] || is_example(fallbacks[i]))
            continue;
        char *c = hx_clean_label(fallbacks[i], req, opt);
        if (*c) {
            label = c;
        } else {
            free(c);
        }
    }
    if (!label && heading && !hx_is_consumed(x, heading)) {
        label = hx_label_text(heading, NULL, req, opt);
        if (label) {
            consume(x, heading);
            el = heading;
        }
    }
    if (!label) {
        label = hx_humanize(it->name);
    }
    it->label_el = el;
    it->q.label = label;
}

/* Option label for one radio/checkbox. */
char *hx_member_label(hx_ctx *x, GumboNode *m)
{
    bool req = false, opt = false;
    GumboNode *el = NULL;
    char *l = hx_own_label(x, m, &req, &opt, &el);
    if (!l)
        l = next_text(m);
    if (!l && hx_attr(m, "title"))
        l = oa_squash_ws(hx_attr(m, "title"));
    if (l && !*l) {
        free(l);
        l = NULL;
    }
    if (!l) {
        const char *v = hx_attr(m, "value");
        l = xstrdup(v && *v ? v : "on");
    }
    hx_cut_utf8(l, LABEL_MAX);
    return l;
}
