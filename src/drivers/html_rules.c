/*
 * html_rules.c - rules over the whole form, run once every control has become a question and
 * before unified keys are chosen:
 *
 *  - a date asked as separate day, month and year controls (selects or short text inputs,
 *    side by side) is one DATE question, answered back into the three controls (date_parts);
 *  - a hidden or collapsed alternative to a visible file question (the "paste your resume
 *    instead" textarea behind a button) is not a question of its own;
 *  - a text box that asks for a date (its placeholder, a hint after it or its date-picker
 *    says the format: "mm/dd/yyyy", "(TT.MM.JJJJ)"; or it is named and labelled a date) is a
 *    DATE question, answered in that format (input_type "date:MM/DD/YYYY");
 *  - a form that marks its optional fields ("optional", "facultatif", "opcional", ...) and
 *    marks none required leaves the rest required.
 *
 * The words that name a day, a month or a year, and that mean "as text" in a field name, are
 * the vocabulary's (src/drivers/keys, tables date_day, date_month, date_year, as_text_word).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/html_internal.h"
#include "drivers/unified_keys.h"

/* ---- dates in three controls ------------------------------------------------------------ */

static int numeric(const char *s)
{
    if (!s || !*s)
        return -1;
    int v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > 100000)
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* What the options of a select say: a day list (1..31), a month list (twelve), a year list. */
static int unit_of_options(const oa_block *q)
{
    size_t n = q->n_options, days = 0, months = 0, years = 0;
    for (size_t i = 0; i < n; i++) {
        const char *v = q->options[i].value ? q->options[i].value : q->options[i].label;
        int x = numeric(v);
        if (x < 0)
            x = numeric(q->options[i].label);
        days += x >= 1 && x <= 31;
        months += x >= 1 && x <= 12;
        years += x >= 1900 && x <= 2100;
    }
    if (n >= 28 && n <= 31 && days == n)
        return OA_DATE_DAY;
    if (n == 12 && (months == 12 || months == 0))
        return OA_DATE_MONTH;
    if (n >= 5 && years == n)
        return OA_DATE_YEAR;
    return -1;
}

/* The unit a word names ("day", "tag", "jour", "dd", ...), -1 for none. */
static int unit_of_word(const char *norm)
{
    const char *u = norm ? uk_date_unit(norm) : NULL;
    if (!u)
        return -1;
    return strcmp(u, "day") == 0     ? OA_DATE_DAY
           : strcmp(u, "month") == 0 ? OA_DATE_MONTH
                                     : OA_DATE_YEAR;
}

static const char *last_word(const char *s)
{
    const char *sp = strrchr(s, ' ');
    return sp ? sp + 1 : s;
}

/* The unit of item it, from its options, its name's last word, its label or its placeholder;
 * *stem (malloc'd) gets the name without the unit's word. -1 when it is no date part. */
static int unit_of(const hx_item *it, char **stem)
{
    *stem = NULL;
    if (it->dropped || it->hidden || it->q.dw_field ||
        (it->kind != K_SELECT && it->kind != K_TEXT) ||
        (it->kind == K_SELECT && it->q.type != OA_Q_SINGLE_SELECT))
        return -1;
    char *words = uk_name_words(it->name);
    int by_name = unit_of_word(last_word(words));
    if (by_name >= 0) {
        const char *lw = last_word(words);
        *stem = xstrndup(words, lw > words ? (size_t)(lw - words - 1) : 0);
    } else {
        *stem = xstrdup(words);
    }
    free(words);
    char *label = uk_norm(it->q.label);
    int by_label = unit_of_word(label);
    free(label);
    int by_other = -1;
    if (it->kind == K_SELECT) {
        by_other = unit_of_options(&it->q);
        if (by_other < 0)
            goto none; /* a select must list days, months or years */
    } else {
        const char *ph = hx_attr(it->mem[0], "placeholder");
        char *pn = ph ? uk_norm(ph) : NULL;
        by_other = unit_of_word(pn);
        free(pn);
        const char *ml = hx_attr(it->mem[0], "maxlength");
        int m = numeric(ml);
        if (ml && (m < 1 || m > 4))
            goto none; /* a longer text is no date part */
    }
    int u = by_other >= 0 ? by_other : by_name >= 0 ? by_name : by_label;
    if (u < 0 || (by_name >= 0 && by_name != u) || (by_label >= 0 && by_label != u))
        goto none;
    return u;
none:
    free(*stem);
    *stem = NULL;
    return -1;
}

/* True when a and b sit within three levels of a common ancestor. */
static bool near(const GumboNode *a, const GumboNode *b)
{
    const GumboNode *pa = a;
    for (int i = 0; pa && i < 4; i++, pa = pa->parent) {
        if (hx_is_ancestor(pa, b, 4))
            return true;
    }
    return false;
}

/* The merged question's label: the first that is not just a unit's name, else the legend of
 * their fieldset, else "Date". */
static char *date_label(hx_ctx *x, hx_item **parts)
{
    for (int i = 0; i < 3; i++) {
        char *n = uk_norm(parts[i]->q.label);
        bool unit = unit_of_word(n) >= 0 || uk_date_unit(last_word(n)) != NULL;
        free(n);
        if (!unit)
            return xstrdup(parts[i]->q.label);
    }
    GumboNode *lg = NULL;
    if (hx_fieldset_of(x, parts[0]->mem[0], &lg) && lg) {
        bool r = false, o = false;
        char *l = hx_label_text(lg, NULL, &r, &o);
        if (l)
            return l;
    }
    return xstrdup("Date");
}

static void merge_date(hx_ctx *x, hx_item **parts, const int *units)
{
    hx_item *first = parts[0];
    oa_block *q = &first->q;
    char *label = date_label(x, parts);
    bool req = false, opt = true;
    for (int i = 0; i < 3; i++) {
        req |= parts[i]->q.required;
        opt &= parts[i]->marked_optional;
    }
    /* Parts in day, month, year order, each with its select's values. */
    oa_date_part tmp[3];
    memset(tmp, 0, sizeof tmp);
    for (int i = 0; i < 3; i++) {
        const oa_block *pq = &parts[i]->q;
        oa_date_part *p = &tmp[units[i]];
        p->unit = (oa_date_unit)units[i];
        p->field_name = xstrdup(parts[i]->name);
        for (size_t k = 0; k < pq->n_options; k++) {
            const char *v = pq->options[k].value ? pq->options[k].value : pq->options[k].label;
            p->values = xrealloc(p->values, (p->n_values + 1) * sizeof *p->values);
            p->values[p->n_values++] = xstrdup(v);
        }
    }
    char *desc = q->description ? xstrdup(q->description) : NULL;
    char *name = xstrdup(q->field_name);
    oa_block_free(q);
    q->kind = OA_BLOCK_QUESTION;
    q->label = label;
    q->description = desc;
    q->required = req;
    q->type = OA_Q_DATE;
    q->control = OA_CTL_TEXT;
    q->field_name = name;
    q->input_type = xstrdup("date");
    q->date_parts = xmalloc(3 * sizeof *q->date_parts);
    memcpy(q->date_parts, tmp, sizeof tmp);
    q->n_date_parts = 3;
    first->kind = K_TEXT;
    first->marked_optional = opt;
    parts[1]->dropped = parts[2]->dropped = true;
}

static void rule_dates(hx_ctx *x)
{
    for (size_t i = 0; i + 2 < x->n_items; i++) {
        hx_item *parts[3] = {&x->items[i], &x->items[i + 1], &x->items[i + 2]};
        int units[3];
        char *stems[3] = {NULL, NULL, NULL};
        bool ok = true;
        for (int k = 0; k < 3 && ok; k++) {
            units[k] = unit_of(parts[k], &stems[k]);
            ok = units[k] >= 0;
        }
        ok = ok && units[0] != units[1] && units[1] != units[2] && units[0] != units[2];
        bool same_stem =
            ok && *stems[0] && strcmp(stems[0], stems[1]) == 0 && strcmp(stems[1], stems[2]) == 0;
        ok = ok && (same_stem || (near(parts[0]->mem[0], parts[1]->mem[0]) &&
                                  near(parts[1]->mem[0], parts[2]->mem[0])));
        for (int k = 0; k < 3; k++)
            free(stems[k]);
        if (ok) {
            merge_date(x, parts, units);
            i += 2;
        }
    }
}

/* ---- dates in a text box --------------------------------------------------------------- */

/* The format a text says ("mm/dd/yyyy", "TT.MM.JJJJ", "jj/mm/aaaa"), as "MM/DD/YYYY" into
 * out; false when it is no date format. */
static bool parse_format(const char *text, char *out, size_t outn)
{
    char t[3][8];
    char sep = 0;
    size_t nt = 0, k = 0;
    const char *p = text;
    while (*p == ' ' || *p == '(' || *p == '[')
        p++;
    for (; *p && nt < 3; p++) {
        char c = (char)tolower((unsigned char)*p);
        if (c >= 'a' && c <= 'z') {
            if (k >= 4)
                return false;
            t[nt][k++] = c;
            continue;
        }
        if (!k)
            return false;
        t[nt][k] = '\0';
        nt++;
        k = 0;
        if (nt == 3 || c == ')' || c == ']' || c == ' ')
            break;
        if (c != '.' && c != '/' && c != '-')
            return false;
        if (sep && c != sep)
            return false;
        sep = c;
    }
    if (k && nt < 3) {
        t[nt][k] = '\0';
        nt++;
    }
    if (nt != 3 || !sep)
        return false;
    /* Units: the unambiguous first, then "jj" (a French day, or a German two-digit year). */
    int unit[3] = {-1, -1, -1};
    bool have_day = false;
    for (size_t i = 0; i < 3; i++) {
        const char *w = t[i];
        size_t l = strlen(w);
        bool same = l > 0 && strspn(w, (char[]){w[0], 0}) == l;
        if (!same)
            return false;
        if (strchr("dtg", w[0]) && l <= 2)
            unit[i] = OA_DATE_DAY;
        else if (w[0] == 'm' && l <= 2)
            unit[i] = OA_DATE_MONTH;
        else if (strchr("yar", w[0]) || (w[0] == 'j' && l == 4))
            unit[i] = OA_DATE_YEAR;
        have_day |= unit[i] == OA_DATE_DAY;
    }
    for (size_t i = 0; i < 3; i++)
        if (unit[i] < 0 && t[i][0] == 'j')
            unit[i] = have_day ? OA_DATE_YEAR : OA_DATE_DAY;
    if (unit[0] == unit[1] || unit[1] == unit[2] || unit[0] == unit[2] || unit[0] < 0 ||
        unit[1] < 0 || unit[2] < 0)
        return false;
    size_t o = 0;
    for (size_t i = 0; i < 3; i++) {
        const char *tok = unit[i] == OA_DATE_DAY     ? (strlen(t[i]) == 1 ? "D" : "DD")
                          : unit[i] == OA_DATE_MONTH ? (strlen(t[i]) == 1 ? "M" : "MM")
                          : strlen(t[i]) == 4        ? "YYYY"
                                                     : "YY";
        int n = snprintf(out + o, outn - o, "%s%s", i ? (char[]){sep, 0} : "", tok);
        if (n < 0 || (size_t)n >= outn - o)
            return false;
        o += (size_t)n;
    }
    return true;
}

/* The text right after a control, in its parent ("(TT.MM.JJJJ)"), or NULL. Malloc'd. */
static char *hint_after(GumboNode *n)
{
    const GumboVector *k = hx_kids(n->parent);
    for (size_t i = n->index_within_parent + 1; k && i < k->length; i++) {
        GumboNode *sib = k->data[i];
        if (sib->type == GUMBO_NODE_WHITESPACE)
            continue;
        if (sib->type == GUMBO_NODE_TEXT)
            return xstrdup(sib->v.text.text);
        if (hx_is_el(sib) && !hx_is_control_tag(sib))
            return hx_text(sib, TX_SKIP_CONTROLS, NULL, NULL);
        break;
    }
    return NULL;
}

static bool is_picker(const char *t, size_t l)
{
    return l >= 10 && (strncasecmp(t, "datepicker", 10) == 0 || strstr(t, "date-picker") ||
                       strstr(t, "datetimepicker"));
}

static void rule_text_dates(hx_ctx *x)
{
    for (size_t i = 0; i < x->n_items; i++) {
        hx_item *it = &x->items[i];
        if (it->dropped || it->kind != K_TEXT || it->q.type != OA_Q_TEXT)
            continue;
        GumboNode *n = it->mem[0];
        const char *it_type = hx_attr(n, "type");
        if (it_type && strcasecmp(it_type, "text") != 0)
            continue; /* email, tel, number...: not a date */
        char fmt[32] = "";
        const char *srcs[] = {hx_attr(n, "placeholder"), hx_attr(n, "data-date-format"),
                              hx_attr(n, "data-format")};
        bool found = false;
        for (size_t k = 0; k < OA_ARRAY_LEN(srcs) && !found; k++)
            found = srcs[k] && parse_format(srcs[k], fmt, sizeof fmt);
        if (!found) {
            char *h = hint_after(n);
            found = h && parse_format(h, fmt, sizeof fmt);
            free(h);
        }
        bool picker = hx_class_has(n, is_picker);
        if (!found && !picker) {
            /* Named and labelled a date ("signatureDate", "Date"): ISO. */
            char *w = uk_name_words(it->name);
            char *l = uk_norm(it->q.label);
            picker = strcmp(last_word(w), "date") == 0 &&
                     (strcmp(l, "date") == 0 || strcmp(last_word(l), "date") == 0);
            free(w);
            free(l);
        }
        if (!found && !picker)
            continue;
        it->q.type = OA_Q_DATE;
        free(it->q.input_type);
        it->q.input_type = found ? xasprintf("date:%s", fmt) : xstrdup("date");
    }
}

/* ---- hidden alternatives ---------------------------------------------------------------- */

/* The field name's words without words meaning "as text" ("resume_text" -> "resume"). */
static char *alt_stem(const char *name)
{
    char *w = uk_name_words(name);
    for (;;) {
        char *sp = strrchr(w, ' ');
        const char *lw = sp ? sp + 1 : w;
        if (!sp || !uk_is_as_text_word(lw))
            break;
        *sp = '\0';
    }
    return w;
}

/* True when the labels share a word of four letters or more ("Resume/CV" and "Paste your
 * resume"). */
static bool share_word(const char *a, const char *b)
{
    char *na = uk_norm(a), *nb = uk_norm(b);
    bool r = false;
    char *save = NULL;
    for (char *w = strtok_r(na, " ", &save); w && !r; w = strtok_r(NULL, " ", &save))
        r = strlen(w) >= 4 && uk_has_phrase(nb, w);
    free(na);
    free(nb);
    return r;
}

static void rule_alternatives(hx_ctx *x)
{
    for (size_t i = 0; i < x->n_items; i++) {
        hx_item *alt = &x->items[i];
        if (alt->dropped || !alt->hidden || alt->q.dw_field ||
            (alt->kind != K_TEXTAREA && alt->kind != K_TEXT))
            continue;
        char *as = alt_stem(alt->name);
        for (size_t k = 0; k < x->n_items; k++) {
            hx_item *f = &x->items[k];
            if (f->dropped || f->kind != K_FILE || f->hidden)
                continue;
            char *fs = alt_stem(f->name);
            bool same = *as && strcmp(as, fs) == 0;
            free(fs);
            if (same || (near(f->mem[0], alt->mem[0]) && share_word(f->q.label, alt->q.label))) {
                alt->dropped = true;
                break;
            }
        }
        free(as);
    }
}

/* ---- optional marks --------------------------------------------------------------------- */

static void rule_optional_marks(hx_ctx *x)
{
    size_t opt = 0, req = 0;
    for (size_t i = 0; i < x->n_items; i++) {
        const hx_item *it = &x->items[i];
        if (it->dropped || it->hidden)
            continue;
        opt += it->marked_optional;
        req += it->q.required;
    }
    if (!opt || req)
        return;
    for (size_t i = 0; i < x->n_items; i++) {
        hx_item *it = &x->items[i];
        if (!it->dropped && !it->hidden && !it->marked_optional)
            it->q.required = true;
    }
}

void hx_apply_rules(hx_ctx *x)
{
    rule_dates(x);
    rule_text_dates(x);
    rule_alternatives(x);
    rule_optional_marks(x);
    size_t w = 0;
    for (size_t i = 0; i < x->n_items; i++) {
        hx_item *it = &x->items[i];
        if (it->dropped) {
            oa_block_free(&it->q);
            free(it->mem);
            free(it->section_label);
            continue;
        }
        if (w != i)
            x->items[w] = *it;
        w++;
    }
    x->n_items = w;
}
