/*
 * html_sections.c - the layout of the generic HTML driver's form: fieldsets with a legend
 * holding several questions, and headings inside the form, become sections (one heading over
 * every question is a title and leaves the form flat); EEO sections and topics set category
 * "EEO"; the questions then move into the oa_form, grouped by section.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/html_internal.h"
#include "drivers/unified_keys.h"

static int ptr_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (GumboNode *const *)a, y = (uintptr_t) * (GumboNode *const *)b;
    return x < y ? -1 : x > y;
}

/* Occurrences of p in a sorted pointer array. */
static size_t ptr_count(GumboNode *const *arr, size_t n, const GumboNode *p)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((uintptr_t)arr[mid] < (uintptr_t)p)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t c = 0;
    while (lo + c < n && arr[lo + c] == p)
        c++;
    return c;
}

#define FS_DEPTH       8  /* nested fieldsets looked at per question */
#define HEADS_LOOKBACK 64 /* headings looked at before each question */

/*
 * Section of each question: the nearest fieldset with a legend holding several questions,
 * else the last heading before it whose scope (the heading's nearest ancestor holding
 * questions) also holds it. Costs O(n log n) in questions plus a bounded look-back.
 */
void hx_assign_sections(hx_ctx *x)
{
    size_t n = x->n_items;
    if (!n)
        return;
    /* Fieldsets: every question's chain of fieldsets, then a count per fieldset. */
    GumboNode **chain = xcalloc(n * FS_DEPTH, sizeof *chain);
    GumboNode **legends = xcalloc(n * FS_DEPTH, sizeof *legends);
    GumboNode **all = xmalloc(n * FS_DEPTH * sizeof *all);
    size_t n_all = 0;
    for (size_t i = 0; i < n; i++) {
        GumboNode *lg = NULL;
        GumboNode *fs = hx_fieldset_of(x, x->items[i].mem[0], &lg);
        for (size_t l = 0; fs && l < FS_DEPTH; l++, fs = hx_fieldset_of(x, fs, &lg)) {
            chain[i * FS_DEPTH + l] = fs;
            legends[i * FS_DEPTH + l] = lg;
            all[n_all++] = fs;
        }
    }
    qsort(all, n_all, sizeof *all, ptr_cmp);
    for (size_t i = 0; i < n; i++) {
        hx_item *it = &x->items[i];
        for (size_t l = 0; l < FS_DEPTH && chain[i * FS_DEPTH + l]; l++) {
            GumboNode *lg = legends[i * FS_DEPTH + l];
            if (!lg || ptr_count(all, n_all, chain[i * FS_DEPTH + l]) < 2)
                continue;
            bool r = false, o = false;
            char *label = hx_label_text(lg, NULL, &r, &o);
            if (label) {
                it->section = lg;
                it->section_label = label;
                break;
            }
        }
        it->fieldset = it->section;
    }
    free(chain);
    free(legends);

    /* Headings: ancestors of every question, to find each heading's scope quickly. */
    GumboNode **anc = xmalloc(n * (ANCESTOR_MAX + 1) * sizeof *anc);
    size_t n_anc = 0;
    for (size_t i = 0; i < n; i++) {
        int up = 0;
        for (GumboNode *a = x->items[i].mem[0]->parent; a && up <= ANCESTOR_MAX; a = a->parent) {
            anc[n_anc++] = a;
            up++;
        }
    }
    qsort(anc, n_anc, sizeof *anc, ptr_cmp);
    const hx_doc *d = x->d;
    GumboNode **scope = xcalloc(d->n_heads + 1, sizeof *scope); /* NULL: not computed */
    GumboNode *none = (GumboNode *)&scope;                      /* sentinel: no scope */
    size_t last = 0;
    for (size_t i = 0; i < n; i++) {
        hx_item *it = &x->items[i];
        while (last < d->n_heads && d->heads[last].seq < it->seq)
            last++;
        if (it->section)
            continue;
        const hx_el_ref *h = NULL;
        for (size_t k = last, looked = 0; k-- > 0 && !h && looked < HEADS_LOOKBACK;) {
            const hx_el_ref *r = &d->heads[k];
            if (!scope[k]) {
                scope[k] = none;
                bool inside = x->c->form >= 0 ? r->form == x->c->form
                                              : hx_is_ancestor(x->root, r->node, 4 * ANCESTOR_MAX);
                if (inside && !hx_is_tag(r->node, GUMBO_TAG_LEGEND) &&
                    !hx_holds_control(r->node, NULL)) {
                    int up = 0;
                    for (GumboNode *a = r->node->parent; a && up <= ANCESTOR_MAX;
                         a = a->parent, up++) {
                        if (ptr_count(anc, n_anc, a)) {
                            scope[k] = a;
                            break;
                        }
                    }
                }
            }
            if (scope[k] == none)
                continue;
            looked++;
            if (!hx_is_consumed(x, r->node) && hx_is_ancestor(scope[k], it->mem[0], ANCESTOR_MAX))
                h = r;
        }
        if (!h)
            continue;
        bool r = false, o = false;
        char *label = hx_label_text(h->node, NULL, &r, &o);
        if (!label)
            continue;
        it->section = h->node;
        it->section_label = label;
    }
    free(scope);
    free(anc);
    free(all);
    for (size_t i = 0; i < n; i++) {
        hx_item *it = &x->items[i];
        it->eeo_section = it->section_label && uk_is_eeo_section(it->section_label);
    }
    /* One heading over every question ("Apply for this position") is a title, not
     * structure: the form stays flat. */
    bool one = x->items[0].section && !x->items[0].fieldset;
    for (size_t i = 1; i < n && one; i++)
        one = x->items[i].section == x->items[0].section;
    if (one && !x->items[0].eeo_section) {
        for (size_t i = 0; i < n; i++) {
            free(x->items[i].section_label);
            x->items[i].section_label = NULL;
            x->items[i].section = NULL;
        }
    }
}

void hx_assign_categories(hx_ctx *x)
{
    for (size_t i = 0; i < x->n_items; i++) {
        hx_item *it = &x->items[i];
        const char *k = it->q.unified_key;
        bool consent = k && (strcmp(k, "TERMS_AND_CONDITIONS") == 0 ||
                             strcmp(k, "APPLICANT_POOL_CONSENT") == 0);
        bool eeo = uk_is_eeo_topic(it->q.label) || (it->eeo_section && it->q.type != OA_Q_FILE &&
                                                    !consent && (!k || strcmp(k, "GENDER") == 0));
        if (eeo && !consent)
            it->q.category = xstrdup("EEO");
    }
}

/* Moves the questions into the form, grouped by section. */
void hx_assemble(hx_ctx *x)
{
    oa_form *f = x->form;
    oa_block *sec = NULL;
    GumboNode *cur = NULL;
    for (size_t i = 0; i < x->n_items; i++) {
        hx_item *it = &x->items[i];
        if (it->section != cur || !it->section) {
            cur = it->section;
            sec = NULL;
            if (cur) {
                sec = oa_block_add(&f->blocks, &f->n_blocks);
                sec->kind = OA_BLOCK_SECTION;
                sec->label = it->section_label;
                it->section_label = NULL;
            }
        }
        oa_block *dst = sec ? oa_block_add(&sec->children, &sec->n_children)
                            : oa_block_add(&f->blocks, &f->n_blocks);
        *dst = it->q;
        memset(&it->q, 0, sizeof it->q);
    }
}
