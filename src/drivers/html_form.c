/*
 * html_form.c - the generic HTML driver, extraction half: a career-site page becomes an oa_form.
 * This file runs the steps (drv_html_extract); each has its own file, declared in
 * html_internal.h:
 *
 *   1. Guard and parse (html_parse.c): pages over DRV_MAX_PAGE_BYTES are refused; a cheap scan
 *      estimates the element nesting depth (gumbo's tree building is quadratic in it and its
 *      tree release recursive); pages that are not UTF-8 are read as windows-1252; gumbo parses
 *      with the x* allocator.
 *   2. One iterative walk indexes forms, controls, headings, ids and label[for], remembering
 *      which form owns each control (ancestor <form>, the form="" attribute, or, for a <form>
 *      the parser emptied because it sat between table rows, its source range) (html_index.c).
 *   3. Every <form> is scored as an application form (file inputs, named visible controls,
 *      apply/bewerben/postuler words; search, newsletter, login, contact and cookie forms are
 *      penalised). Controls outside any form but under a container with a submit button form
 *      one more, slightly penalised, candidate (action = the page). The best one above the
 *      threshold wins (html_pick.c); none -> the page's visible text decides between CLOSED
 *      and NO_FORM (here).
 *   4. The winner's controls become hidden inputs (type=hidden, honeypots with an empty value)
 *      or questions: label (html_labels.c), required, description, options, display_when
 *      (html_questions.c), unified key (html_keys.c). The form's action, method and enctype
 *      come from the form and its submit button (here).
 *   5. Fieldsets with a legend holding several questions, and headings inside the form, become
 *      sections; EEO sections and topics set category "EEO" (html_sections.c).
 *
 * html_dom.c (gumbo tree helpers) and html_text.c (texts, label cleaning) serve every step.
 * Nothing recurses over the document: walks are iterative, ancestor walks bounded.
 */
#include <curl/curl.h>
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

/* ---- extraction ------------------------------------------------------------------------- */

/* The form's action (resolved against <base> and the page), method and enctype. */
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

/* Steps 4 and 5 on candidate c: its controls become f's hidden inputs and questions. */
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
    hx_apply_rules(&x);
    hx_assign_keys(&x);
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

/* True when the page ended inside the form: no "</form" after the form's start tag in the
 * source (the end tag is never optional), and no "</body" or "</html" either, as when a
 * transfer was cut short. */
static bool cut_short(const char *buf, size_t len, GumboNode *form)
{
    size_t at = form->v.element.start_pos.offset;
    if (at >= len)
        return false;
    bool f = false, end = false;
    for (size_t i = at; i + 6 <= len && !f; i++) {
        if (buf[i] != '<' || buf[i + 1] != '/')
            continue;
        f = strncasecmp(buf + i + 2, "form", 4) == 0;
        end = end || strncasecmp(buf + i + 2, "body", 4) == 0 ||
              strncasecmp(buf + i + 2, "html", 4) == 0;
    }
    return !f && !end;
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
    bool truncated = best && best->form >= 0 && cut_short(buf, buf_len, best->root);
    if (truncated) {
        *why = xstrdup("the page ends inside the application form: it was cut short");
    } else if (best) {
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
