/*
 * html_form.c - the generic HTML driver, extraction half: a career-site page becomes an oa_form.
 *
 *   1. Guard and parse: pages over DRV_MAX_PAGE_BYTES are refused; a cheap scan estimates the
 *      element nesting depth (gumbo's tree building is quadratic in it and its tree release
 *      recursive); pages that are not UTF-8 are read as windows-1252; gumbo parses with the
 *      x* allocator.
 *   2. One iterative walk indexes forms, controls, headings, ids and label[for], remembering
 *      which form owns each control (ancestor <form>, the form="" attribute, or, for a <form>
 *      the parser emptied because it sat between table rows, its source range).
 *   3. Every <form> is scored as an application form (file inputs, named visible controls,
 *      apply/bewerben/postuler words; search, newsletter, login, contact and cookie forms are
 *      penalised). Controls outside any form but under a container with a submit button form
 *      one more, slightly penalised, candidate (action = the page). The best one above the
 *      threshold wins; none -> the page's visible text decides between CLOSED and NO_FORM.
 *   4. The winner's controls become hidden inputs (type=hidden, honeypots with an empty value)
 *      or questions: label, required, description, options, display_when, unified key.
 *   5. Fieldsets with a legend holding several questions, and headings inside the form, become
 *      sections; EEO sections and topics set category "EEO".
 *
 * Nothing recurses over the document: walks are iterative, ancestor walks bounded.
 */
#include <ctype.h>
#include <curl/curl.h>
#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/driver.h"
#include "drivers/html_internal.h"
#include "drivers/unified_keys.h"
#include "util/buf.h"
#include "util/text.h"

#define MAX_HIDDEN 1000

/* ---- URLs ------------------------------------------------------------------------------- */

/* Resolves ref against base; NULL when either is unusable. Malloc'd. */
static char *resolve_url(const char *base, const char *ref)
{
    char *out = NULL;
    CURLU *u = curl_url();
    if (!u)
        return NULL;
    if (!base || curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK)
        goto out;
    if (ref && *ref && curl_url_set(u, CURLUPART_URL, ref, 0) != CURLUE_OK)
        goto out;
    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
    char *s = NULL;
    if (curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK && s) {
        out = xstrdup(s);
        curl_free(s);
    }
out:
    curl_url_cleanup(u);
    return out;
}

static bool is_http_url(const char *s)
{
    return s && (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0);
}

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
static void hx_assign_sections(hx_ctx *x)
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

static void hx_assign_categories(hx_ctx *x)
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
static void hx_assemble(hx_ctx *x)
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

/* ---- extraction ------------------------------------------------------------------------- */

static void set_action(hx_ctx *x, const char *page_url)
{
    const hx_doc *d = x->d;
    oa_form *f = x->form;
    GumboNode *fn = x->c->form >= 0 ? x->root : NULL;
    const char *action = fn ? hx_attr(fn, "action") : NULL;
    const char *method = fn ? hx_attr(fn, "method") : NULL;
    const char *enctype = fn ? hx_attr(fn, "enctype") : NULL;
    if (x->submit) {
        if (hx_attr(x->submit, "formaction"))
            action = hx_attr(x->submit, "formaction");
        if (hx_attr(x->submit, "formmethod"))
            method = hx_attr(x->submit, "formmethod");
        if (hx_attr(x->submit, "formenctype"))
            enctype = hx_attr(x->submit, "formenctype");
    }
    char *base = NULL;
    if (d->base_href && *d->base_href)
        base = resolve_url(page_url, d->base_href);
    if (!base && page_url)
        base = resolve_url(page_url, NULL);
    char *act = action ? oa_squash_ws(action) : xstrdup("");
    bool script = strncasecmp(act, "javascript:", 11) == 0 || strncasecmp(act, "mailto:", 7) == 0;
    char *resolved = NULL;
    if (script || !*act) {
        resolved = page_url ? resolve_url(page_url, NULL) : NULL;
    } else {
        resolved = base ? resolve_url(base, act) : NULL;
        if (!resolved && is_http_url(act))
            resolved = resolve_url(act, NULL);
    }
    if (!resolved)
        resolved = xstrdup(script   ? (page_url ? page_url : "")
                           : act[0] ? act
                                    : (page_url ? page_url : ""));
    f->action = resolved;
    free(act);
    free(base);

    bool has_file = false;
    for (size_t i = 0; i < x->n_items; i++)
        has_file = has_file || x->items[i].kind == K_FILE;
    if (method && strcasecmp(method, "post") == 0)
        f->method = xstrdup("POST");
    else if (method && strcasecmp(method, "get") == 0 && !has_file)
        f->method = xstrdup("GET");
    else
        f->method = xstrdup("POST"); /* files cannot go in a query; a form without a method on
                                        a career site is posted by its script */
    if (has_file || (enctype && strcasecmp(enctype, "multipart/form-data") == 0))
        f->enctype = xstrdup("multipart/form-data");
    else
        f->enctype = xstrdup("application/x-www-form-urlencoded");
}

static void extract_form(const hx_doc *d, const hx_cand *c, const char *page_url, oa_form *f)
{
    hx_ctx x = {0};
    x.d = d;
    x.c = c;
    x.root = c->root;
    x.form = f;
    size_t n_hidden = 0;
    for (size_t i = 0; i < c->n; i++) {
        const hx_el_ref *r = &d->ctls[c->ci[i]];
        GumboNode *n = r->node;
        hx_ckind k = hx_ctl_kind(n);
        if (k == K_SUBMIT) {
            if (!x.submit && !hx_is_disabled(n, x.root))
                x.submit = n;
            continue;
        }
        const char *name = hx_ctl_name(n, k, c->by_id);
        if (!name || !*name || k == K_BUTTON || k == K_PASSWORD || hx_is_disabled(n, x.root))
            continue;
        if (k == K_HIDDEN) {
            if (n_hidden++ < MAX_HIDDEN)
                oa_form_add_hidden(f, name, hx_attr(n, "value"));
            continue;
        }
        if (hx_in_noise(n, x.root))
            continue;
        if (hx_is_honeypot(&x, n, name)) {
            if (n_hidden++ < MAX_HIDDEN)
                oa_form_add_hidden(f, name, "");
            continue;
        }
        hx_add_item(&x, k, name, n, r->seq);
    }
    for (size_t i = 0; i < x.n_items; i++)
        hx_build_question(&x, i);
    hx_fix_dw_values(&x);
    hx_assign_keys(&x);
    hx_assign_option_keys(&x);
    hx_assign_sections(&x);
    hx_assign_categories(&x);
    set_action(&x, page_url);
    hx_assemble(&x);
    for (size_t i = 0; i < x.n_items; i++) {
        oa_block_free(&x.items[i].q);
        free(x.items[i].mem);
        free(x.items[i].section_label);
    }
    free(x.items);
    free(x.consumed);
}

oa_status drv_html_extract(const char *html, size_t len, const char *page_url, drv_page_kind *kind,
                           oa_form *out, char **why)
{
    memset(out, 0, sizeof *out);
    *kind = DRV_PAGE_NO_FORM;
    *why = NULL;
    char *buf = NULL;
    size_t buf_len = 0;
    GumboOutput *g = NULL;
    oa_status st = hx_parse(html, len, &g, &buf, &buf_len, why);
    if (st != OA_OK)
        return st;
    hx_doc d = {0};
    d.out = g;
    d.html = buf;
    d.len = buf_len;
    hx_index_doc(&d);

    size_t n_c = 0;
    hx_cand *cands = hx_cands(&d, &n_c);
    hx_cand *best = hx_cand_best(cands, n_c);

    if (best && hx_hidden(best->root)) {
        /* A hidden form on a page that says the job is closed: the job is closed. */
        char *text = hx_page_text(g);
        if (uk_is_closed_text(text, NULL))
            best = NULL;
        free(text);
    }
    if (best) {
        extract_form(&d, best, page_url, out);
        if (oa_form_count_questions(out) == 0) {
            oa_form_free(out);
            *why = xstrdup("the application form has no questions");
        } else {
            *kind = DRV_PAGE_FORM;
        }
    } else {
        char *text = hx_page_text(g);
        const char *phrase = NULL;
        if (uk_is_closed_text(text, &phrase)) {
            *kind = DRV_PAGE_CLOSED;
            *why = xasprintf("no application form and the page says the job is closed (\"%s\")",
                             phrase);
        } else if (n_c == 0) {
            *why = xstrdup("no form on the page");
        } else {
            oa_buf b;
            oa_buf_init(&b, 1024);
            oa_status ps = oa_buf_printf(&b, "no application form on the page (");
            for (size_t i = 0; i < n_c && i < 6 && ps == OA_OK; i++)
                ps = oa_buf_printf(&b, "%s%s score %d", i ? ", " : "", cands[i].kind,
                                   cands[i].score);
            if (ps == OA_OK)
                ps = oa_buf_puts(&b, ")");
            *why = oa_buf_take(&b);
        }
        free(text);
    }
    hx_cands_free(cands, n_c);
    hx_doc_free(&d);
    hx_parse_free(g, buf);
    return OA_OK;
}
