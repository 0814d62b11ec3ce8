/*
 * html_questions.c - the generic HTML driver turns the chosen form's controls into questions:
 * radios and checkboxes sharing a name become one item, honeypots become hidden inputs with
 * an empty value, and each question gets its type and control from the markup, its options
 * (placeholders and duplicate values dropped), label (html_labels.c), required flag,
 * description and display_when (from common conditional markup such as data-show-if).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/html_internal.h"
#include "drivers/unified_keys.h"
#include "util/text.h"

#define MAX_OPTIONS 2000
#define DESC_MAX    2000

/* ---- display_when markup ---------------------------------------------------------------- */

static const char *const DW_EXPR_ATTRS[] = {"data-show-if",      "data-showif",
                                            "data-show-when",    "data-visible-if",
                                            "data-visible-when", "data-display-if",
                                            "data-display-when", "data-condition",
                                            "data-conditional",  "data-depends",
                                            "data-dependency",   "data-show-on",
                                            "data-visibility",   NULL};
static const char *const DW_PAIRS[][2] = {
    {"data-depends-on", "data-depends-value"},
    {"data-depends-on", "data-depends-on-value"},
    {"data-condition-field", "data-condition-value"},
    {"data-conditional-field", "data-conditional-value"},
    {"data-dependent-field", "data-dependent-value"},
    {"data-dependency-field", "data-dependency-value"},
    {"data-show-field", "data-show-value"},
    {"data-parent-field", "data-parent-value"},
    {"data-toggle-field", "data-toggle-value"},
    {"data-trigger-field", "data-trigger-value"},
    {"data-if-field", "data-if-value"},
};

static bool has_dw_markup(const GumboNode *n)
{
    for (size_t i = 0; DW_EXPR_ATTRS[i]; i++)
        if (hx_attr(n, DW_EXPR_ATTRS[i]))
            return true;
    for (size_t i = 0; i < OA_ARRAY_LEN(DW_PAIRS); i++)
        if (hx_attr(n, DW_PAIRS[i][0]))
            return true;
    return false;
}

/* Trims blanks and matching quotes; malloc'd. */
static char *trim_quotes(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
        s++;
        n -= 2;
    }
    return xstrndup(s, n);
}

/* Parses "name=value", "name==value", "name:value" or "name"; false for "!=" and junk. */
static bool parse_dw_expr(const char *e, char **field, char **value)
{
    *field = *value = NULL;
    if (strstr(e, "!=") || strstr(e, "&&") || strstr(e, "||"))
        return false;
    const char *eq = strchr(e, '=');
    if (!eq) {
        const char *colon = strchr(e, ':');
        eq = colon;
    }
    if (!eq) {
        *field = trim_quotes(e, strlen(e));
        *value = NULL;
    } else {
        *field = trim_quotes(e, (size_t)(eq - e));
        const char *v = eq + 1;
        while (*v == '=')
            v++;
        *value = trim_quotes(v, strlen(v));
    }
    if (!**field) {
        free(*field);
        free(*value);
        *field = *value = NULL;
        return false;
    }
    return true;
}

/* The display condition on n itself, if any. */
static bool dw_on(const GumboNode *n, char **field, char **value)
{
    for (size_t i = 0; DW_EXPR_ATTRS[i]; i++) {
        const char *v = hx_attr(n, DW_EXPR_ATTRS[i]);
        if (v && parse_dw_expr(v, field, value))
            return true;
    }
    for (size_t i = 0; i < OA_ARRAY_LEN(DW_PAIRS); i++) {
        const char *f = hx_attr(n, DW_PAIRS[i][0]);
        if (!f || !*f)
            continue;
        const char *v = hx_attr(n, DW_PAIRS[i][1]);
        /* "data-depends-on" may hold a whole expression. */
        if (!v && parse_dw_expr(f, field, value))
            return true;
        *field = trim_quotes(f, strlen(f));
        *value = v ? trim_quotes(v, strlen(v)) : NULL;
        return true;
    }
    return false;
}

/* ---- questions -------------------------------------------------------------------------- */

void hx_add_item(hx_ctx *x, hx_ckind k, const char *name, GumboNode *n, size_t seq)
{
    if ((k == K_RADIO || k == K_CHECKBOX)) {
        for (size_t i = 0; i < x->n_items; i++) {
            hx_item *it = &x->items[i];
            if (it->kind == k && strcmp(it->name, name) == 0) {
                if (it->n_mem == it->cap_mem) {
                    it->cap_mem *= 2;
                    it->mem = xrealloc(it->mem, it->cap_mem * sizeof *it->mem);
                }
                it->mem[it->n_mem++] = n;
                return;
            }
        }
    }
    if (x->n_items >= MAX_QUESTIONS)
        return;
    x->items = xrealloc(x->items, (x->n_items + 1) * sizeof *x->items);
    hx_item *it = &x->items[x->n_items++];
    memset(it, 0, sizeof *it);
    it->kind = k;
    it->name = name;
    it->cap_mem = 4;
    it->mem = xmalloc(it->cap_mem * sizeof *it->mem);
    it->mem[0] = n;
    it->n_mem = 1;
    it->seq = seq;
}

/* Option values already taken, for de-duplication in O(1): open addressing over indexes
 * into q->options (0 = empty slot, else index + 1). */
typedef struct {
    uint32_t slots[2 * MAX_OPTIONS + 1];
} optset;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* True when value is taken; otherwise records it as option index idx. */
static bool optset_seen(optset *set, const oa_block *q, const char *value, size_t idx)
{
    size_t n = OA_ARRAY_LEN(set->slots);
    for (size_t i = (size_t)(fnv1a(value) % n), probes = 0; probes < n; i = (i + 1) % n, probes++) {
        uint32_t v = set->slots[i];
        if (!v) {
            set->slots[i] = (uint32_t)idx + 1;
            return false;
        }
        if (strcmp(q->options[v - 1].value, value) == 0)
            return true;
    }
    return true; /* full: cannot happen below MAX_OPTIONS */
}

static void select_options(oa_block *q, GumboNode *sel)
{
    optset *set = xcalloc(1, sizeof *set);
    size_t seen = 0;
    for (GumboNode *n = sel; n; n = hx_next(n, sel, false)) {
        if (++seen > 50 * MAX_OPTIONS || q->n_options >= MAX_OPTIONS)
            break;
        if (!hx_is_tag(n, GUMBO_TAG_OPTION))
            continue;
        if (hx_attr(n, "disabled") && !hx_attr(n, "value"))
            continue;
        char *text = hx_text(n, 0, NULL, NULL);
        const char *la = hx_attr(n, "label");
        const char *va = hx_attr(n, "value");
        char *label = la && *la ? oa_squash_ws(la) : xstrdup(text);
        char *value = va ? xstrdup(va) : xstrdup(text);
        free(text);
        if (!*label) {
            free(label);
            label = xstrdup(value);
        }
        bool drop = !*value || !*label || uk_is_placeholder_option(label) ||
                    (hx_attr(n, "disabled") && q->n_options == 0);
        if (!drop) {
            /* Add first, then drop it again if its value was taken (the set points at it). */
            hx_cut_utf8(label, LABEL_MAX);
            oa_option *o = oa_option_add(q);
            o->label = label;
            o->value = value;
            if (optset_seen(set, q, value, q->n_options - 1)) {
                free(o->label);
                free(o->value);
                q->n_options--;
            }
        } else {
            free(label);
            free(value);
        }
    }
    free(set);
}

static void member_options(hx_ctx *x, hx_item *it)
{
    optset *set = xcalloc(1, sizeof *set);
    for (size_t i = 0; i < it->n_mem && it->q.n_options < MAX_OPTIONS; i++) {
        const char *v = hx_attr(it->mem[i], "value");
        oa_option *o = oa_option_add(&it->q);
        o->value = xstrdup(v ? v : "on");
        if (optset_seen(set, &it->q, o->value, it->q.n_options - 1)) {
            free(o->value);
            it->q.n_options--;
            continue;
        }
        o->label = hx_member_label(x, it->mem[i]);
    }
    free(set);
}

static char *description(hx_ctx *x, size_t qi)
{
    hx_item *it = &x->items[qi];
    GumboNode *n = it->mem[0];
    char *d = hx_idref_text(x, hx_attr(n, "aria-describedby"), n);
    if (!d && it->container) {
        size_t seen = 0;
        for (GumboNode *m = it->container; m; m = hx_next(m, it->container, false)) {
            if (++seen > SUBTREE_SCAN_MAX)
                break;
            if (!hx_is_el(m) || m == it->container || m == it->label_el)
                continue;
            bool help = hx_class_has(m, hx_tok_help) || hx_is_tag(m, GUMBO_TAG_SMALL);
            if (!help || hx_class_has(m, hx_tok_error) || hx_hides_self(m) ||
                hx_holds_control(m, NULL) ||
                (it->label_el && hx_is_ancestor(it->label_el, m, ANCESTOR_MAX)))
                continue;
            d = hx_text(m, TX_SKIP_CONTROLS | TX_SKIP_HIDDEN, NULL, NULL);
            if (*d)
                break;
            free(d);
            d = NULL;
        }
    }
    if (d && (!*d || strcmp(d, it->q.label) == 0)) {
        free(d);
        d = NULL;
    }
    if (d)
        hx_cut_utf8(d, DESC_MAX);
    return d;
}

static bool is_required(hx_ctx *x, size_t qi, bool marker, bool optional)
{
    hx_item *it = &x->items[qi];
    for (size_t i = 0; i < it->n_mem; i++)
        if (hx_attr(it->mem[i], "required") || hx_attr_is(it->mem[i], "aria-required", "true") ||
            hx_class_has(it->mem[i], hx_tok_required))
            return true;
    if (optional)
        return false;
    if (marker)
        return true;
    if (it->label_el && hx_class_has(it->label_el, hx_tok_required))
        return true;
    int i = 0;
    for (GumboNode *a = it->mem[0]->parent; a && i < 6; a = a->parent, i++) {
        if (hx_class_has(a, hx_tok_required) || hx_attr_is(a, "data-required", "true") ||
            hx_attr_is(a, "aria-required", "true"))
            return true;
        if (a == it->container || a == x->root || !it->container)
            break;
    }
    return false;
}

/* Inside a container with display-condition markup (shown by a script). */
static bool in_dw_wrapper(const hx_ctx *x, const GumboNode *n)
{
    int i = 0;
    for (const GumboNode *a = n; a && a != x->root && i < ANCESTOR_MAX; a = a->parent, i++)
        if (hx_is_el(a) && has_dw_markup(a))
            return true;
    return false;
}

static void set_display_when(hx_ctx *x, hx_item *it)
{
    char *field = NULL, *value = NULL;
    int i = 0;
    for (GumboNode *a = it->mem[0]; a && a != x->root && i < ANCESTOR_MAX; a = a->parent, i++) {
        if (hx_is_el(a) && dw_on(a, &field, &value))
            break;
    }
    if (!field)
        return;
    /* "#id" means the control with that id. */
    if (field[0] == '#') {
        GumboNode *t = hx_by_id(x->d, field + 1);
        const char *nm = t ? hx_attr(t, "name") : NULL;
        free(field);
        field = nm ? xstrdup(nm) : NULL;
    }
    if (!field || (it->name && strcmp(field, it->name) == 0)) {
        free(field);
        free(value);
        return;
    }
    it->q.dw_field = field;
    it->q.dw_value = value; /* may be NULL: fixed up once all questions are known */
}

/* A lone checkbox's condition value: "true"/"false" unless it is the checked value. */
void hx_fix_dw_values(hx_ctx *x)
{
    for (size_t i = 0; i < x->n_items; i++) {
        oa_block *q = &x->items[i].q;
        if (!q->dw_field)
            continue;
        const oa_block *t = NULL;
        for (size_t k = 0; k < x->n_items && !t; k++)
            if (x->items[k].q.field_name && strcmp(x->items[k].q.field_name, q->dw_field) == 0)
                t = &x->items[k].q;
        if (t && t->control == OA_CTL_CHECKBOX) {
            const char *v = q->dw_value;
            bool is_checked_value = v && t->checked_value && strcmp(v, t->checked_value) == 0;
            if (!is_checked_value) {
                char *n = uk_norm(v ? v : "true");
                static const char *const ON[] = {"true", "checked", "on", "1", "yes", "ja", NULL};
                const char *nv = hx_in_list(n, ON) ? "true" : "false";
                free(n);
                free(q->dw_value);
                q->dw_value = xstrdup(nv);
            }
        } else if (!q->dw_value) {
            q->dw_value = xstrdup("true");
        }
    }
}

/* Builds the question of item qi (everything but sections, keys and category). */
void hx_build_question(hx_ctx *x, size_t qi)
{
    hx_item *it = &x->items[qi];
    oa_block *q = &it->q;
    GumboNode *n = it->mem[0];
    q->kind = OA_BLOCK_QUESTION;
    q->field_name = xstrdup(it->name);
    const char *ty = hx_attr(n, "type");
    switch (it->kind) {
    case K_TEXT:
        q->type = OA_Q_TEXT;
        q->control = OA_CTL_TEXT;
        if (ty && *ty) {
            q->input_type = oa_ascii_lower(ty);
            if (strcmp(q->input_type, "number") == 0 || strcmp(q->input_type, "range") == 0)
                q->type = OA_Q_NUMBER;
            else if (strcmp(q->input_type, "date") == 0 ||
                     strcmp(q->input_type, "datetime-local") == 0 ||
                     strcmp(q->input_type, "month") == 0)
                q->type = OA_Q_DATE;
        }
        break;
    case K_TEXTAREA:
        q->type = OA_Q_TEXT;
        q->control = OA_CTL_TEXT;
        break;
    case K_FILE:
        q->type = OA_Q_FILE;
        q->control = OA_CTL_FILE;
        q->input_type = xstrdup("file");
        if (hx_attr(n, "accept"))
            q->accept = xstrdup(hx_attr(n, "accept"));
        break;
    case K_SELECT:
        q->control = OA_CTL_SELECT;
        q->type = hx_attr(n, "multiple") ? OA_Q_MULTI_SELECT : OA_Q_SINGLE_SELECT;
        select_options(q, n);
        break;
    case K_RADIO:
        q->control = OA_CTL_RADIO;
        q->type = OA_Q_SINGLE_SELECT;
        q->input_type = xstrdup("radio");
        member_options(x, it);
        break;
    case K_CHECKBOX:
        q->input_type = xstrdup("checkbox");
        if (it->n_mem > 1) {
            q->control = OA_CTL_CHECKBOXES;
            q->type = OA_Q_MULTI_SELECT;
            member_options(x, it);
        } else {
            q->control = OA_CTL_CHECKBOX;
            q->type = OA_Q_BOOLEAN;
            const char *v = hx_attr(n, "value");
            q->checked_value = xstrdup(v ? v : "on");
        }
        break;
    default:
        break;
    }
    it->container = hx_field_container(x, qi);
    bool marker = false, optional = false;
    hx_resolve_label(x, qi, &marker, &optional);
    q->required = is_required(x, qi, marker, optional);
    it->marked_optional = optional;
    q->description = description(x, qi);
    set_display_when(x, it);
    it->hidden = !q->dw_field && it->kind != K_FILE && hx_hidden(n) && !in_dw_wrapper(x, n);
}

/* ---- honeypots -------------------------------------------------------------------------- */

bool hx_is_honeypot(hx_ctx *x, GumboNode *n, const char *name)
{
    bool hp_name = uk_is_honeypot_name(name);
    const char *ti = hx_attr(n, "tabindex");
    bool tab = ti && strcmp(ti, "-1") == 0;
    const char *ac = hx_attr(n, "autocomplete");
    bool ac_off = ac && (strcasecmp(ac, "off") == 0 || strcasecmp(ac, "nope") == 0 ||
                         strcasecmp(ac, "new-password") == 0 || strcasecmp(ac, "false") == 0 ||
                         strcasecmp(ac, "no") == 0);
    if (tab && ac_off && hp_name)
        return true;
    bool hidden = false, marked = false, conditional = false;
    GumboNode *hider = NULL;
    int i = 0;
    for (GumboNode *a = n; a && a != x->root && i < ANCESTOR_MAX; a = a->parent, i++) {
        if (!hx_is_el(a))
            break;
        if (has_dw_markup(a))
            conditional = true;
        if (hx_class_has(a, hx_tok_honeypot) ||
            (hx_attr(a, "id") && strcasestr(hx_attr(a, "id"), "honeypot")))
            marked = true;
        if (hx_hides_self(a) || hx_style_offscreen(hx_attr(a, "style")) ||
            hx_attr_is(a, "aria-hidden", "true")) {
            hidden = true;
            if (!hider)
                hider = a;
        }
    }
    if (marked)
        return true;
    if (conditional)
        return false;
    /* A label or placeholder asking humans to leave it empty. */
    const char *ph = hx_attr(n, "placeholder");
    bool r = false, o = false;
    GumboNode *el = NULL;
    char *l = hx_own_label(x, n, &r, &o, &el);
    char *ln = uk_norm(l ? l : "");
    char *pn = uk_norm(ph ? ph : "");
    bool hp_text = uk_is_honeypot_text(ln) || uk_is_honeypot_text(pn);
    if (!hp_text && hidden && hider != n) {
        /* The hidden wrapper's own words ("leave this field empty", "for validation
         * purposes and should be left unchanged"). */
        char *ht = hx_text(hider, TX_SKIP_CONTROLS, NULL, NULL);
        char *htn = uk_norm(ht);
        hp_text = strlen(htn) < 160 && uk_is_honeypot_text(htn);
        free(ht);
        free(htn);
    }
    free(l);
    free(ln);
    free(pn);
    if (hp_text)
        return true;
    return hidden && (hp_name || tab || ac_off);
}
