/*
 * html_pick.c - how the generic HTML driver chooses the application form among a page's
 * forms. Every <form> is scored (file inputs, named visible controls, apply/bewerben/postuler
 * words in its attributes, buttons and the heading before it; search, newsletter, login,
 * contact and cookie forms are penalised). Controls outside any form but under a container
 * with a submit-like button make one more, slightly penalised, candidate. The best eligible
 * candidate wins.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/html_internal.h"
#include "drivers/unified_keys.h"
#include "util/buf.h"

#define MIN_SCORE 25

/* Words describing a form: its attributes, its submit buttons, the heading before it. */
static char *form_words(const hx_doc *d, const hx_cand *c)
{
    oa_buf b;
    oa_buf_init(&b, TEXT_LIMIT);
    static const char *const A[] = {"id",         "class", "name",      "action",
                                    "aria-label", "title", "data-form", "data-type"};
    for (size_t i = 0; i < OA_ARRAY_LEN(A); i++) {
        const char *v = hx_attr(c->root, A[i]);
        if (v && (oa_buf_puts(&b, v) != OA_OK || oa_buf_puts(&b, " ") != OA_OK))
            break;
    }
    for (size_t i = 0; i < c->n; i++) {
        GumboNode *n = d->ctls[c->ci[i]].node;
        if (hx_ctl_kind(n) != K_SUBMIT)
            continue;
        const char *v = hx_attr(n, "value");
        const char *al = hx_attr(n, "aria-label");
        char *t = hx_text(n, TX_SKIP_HIDDEN, NULL, NULL);
        if (oa_buf_printf(&b, " %s %s %s ", v ? v : "", al ? al : "", t) != OA_OK) {
            free(t);
            break;
        }
        free(t);
    }
    if (c->form >= 0) {
        /* The nearest heading before the form ("Apply for this job"). */
        size_t fseq = d->form_seq[c->form];
        const hx_el_ref *h = NULL;
        for (size_t i = 0; i < d->n_heads && d->heads[i].seq < fseq; i++)
            if (hx_is_heading_tag(d->heads[i].node->v.element.tag))
                h = &d->heads[i];
        if (h) {
            char *t = hx_text(h->node, TX_SKIP_HIDDEN, NULL, NULL);
            if (oa_buf_puts(&b, t) != OA_OK) {
                /* too long: ignore */
            }
            free(t);
        }
    }
    char *raw = oa_buf_take(&b);
    /* Split identifiers: "applicationForm" -> "application form". */
    char *w = uk_name_words(raw);
    free(raw);
    return w;
}

static bool searchy_name(const char *name)
{
    static const char *const N[] = {
        "q",          "query", "search",       "s",  "keyword", "keywords", "term",    "k",
        "searchterm", "suche", "search_query", "kw", "what",    "where",    "location"};
    for (size_t i = 0; name && i < OA_ARRAY_LEN(N); i++)
        if (strcasecmp(name, N[i]) == 0)
            return true;
    return false;
}

/* The controls owned by form k, in document order (exactly sized). */
static void form_cand(const hx_doc *d, size_t k, hx_cand *c)
{
    memset(c, 0, sizeof *c);
    c->root = d->forms[k];
    c->form = (int)k;
    size_t n = 0;
    for (size_t i = 0; i < d->n_ctls; i++)
        n += d->ctls[i].form == (int)k;
    c->ci = xmalloc((n + 1) * sizeof *c->ci);
    for (size_t i = 0; i < d->n_ctls; i++)
        if (d->ctls[i].form == (int)k)
            c->ci[c->n++] = i;
}

static void score_cand(const hx_doc *d, hx_cand *c)
{
    size_t nv = 0, nfile = 0, ntextarea = 0, nemail = 0, ntel = 0, npass = 0, ncheck = 0;
    bool search_field = false, post = false;
    const char *seen_names[64];
    size_t n_seen = 0;
    if (c->form >= 0)
        c->by_id = true;
    for (size_t i = 0; i < c->n && c->by_id && c->form >= 0; i++) {
        GumboNode *n = d->ctls[c->ci[i]].node;
        hx_ckind k = hx_ctl_kind(n);
        if (hx_is_question_kind(k) && hx_ctl_name(n, k, false))
            c->by_id = false;
    }
    for (size_t i = 0; i < c->n; i++) {
        GumboNode *n = d->ctls[c->ci[i]].node;
        hx_ckind k = hx_ctl_kind(n);
        const char *name = hx_ctl_name(n, k, c->by_id);
        if (k == K_PASSWORD) {
            npass++;
            continue;
        }
        if (!hx_is_question_kind(k) || !name || !*name || hx_is_disabled(n, c->root))
            continue;
        if (hx_hides_self(n) && k != K_FILE)
            continue;
        if (k == K_RADIO || k == K_CHECKBOX) {
            bool dup = false;
            for (size_t s = 0; s < n_seen && !dup; s++)
                dup = strcmp(seen_names[s], name) == 0;
            if (dup)
                continue;
            if (n_seen < OA_ARRAY_LEN(seen_names))
                seen_names[n_seen++] = name;
            if (k == K_CHECKBOX)
                ncheck++;
        }
        nv++;
        const char *ty = hx_attr(n, "type");
        if (k == K_FILE)
            nfile++;
        if (k == K_TEXTAREA)
            ntextarea++;
        if ((ty && strcasecmp(ty, "email") == 0) || strcasestr(name, "mail"))
            nemail++;
        if (ty && strcasecmp(ty, "tel") == 0)
            ntel++;
        if ((ty && strcasecmp(ty, "search") == 0) || searchy_name(name))
            search_field = true;
    }
    if (c->form >= 0) {
        const char *m = hx_attr(c->root, "method");
        post = m && strcasecmp(m, "post") == 0;
    }
    char *words = form_words(d, c);
    bool apply = uk_is_apply_word(words);
    bool role_search = hx_attr_is(c->root, "role", "search");
    int s = 3 * (int)(nv < 20 ? nv : 20) + 25 * (int)(nfile < 2 ? nfile : 2) + (ntextarea ? 5 : 0) +
            (nemail ? 4 : 0) + (ntel ? 4 : 0);
    c->kind = "form";
    if (apply)
        s += 30;
    if (post)
        s += 10;
    if (npass) {
        s -= 60;
        c->kind = "login form";
    }
    if ((search_field || role_search || uk_is_search_word(words)) && nv <= 4 && !nfile && !apply) {
        s -= 80;
        c->kind = "search form";
    }
    size_t other = nv - nemail - ncheck;
    bool newsy = uk_is_newsletter_word(words) || (nemail && other == 0 && nv <= 3);
    if (newsy && !nfile && !(apply && nv >= 4)) {
        s -= 60;
        c->kind = "newsletter form";
    }
    if (uk_is_login_word(words) && !apply) {
        s -= 50;
        c->kind = "login form";
    }
    if (uk_is_contact_word(words) && !apply && !nfile) {
        s -= 40;
        c->kind = "contact form";
    }
    if (uk_is_consent_banner_word(words) && !nfile) {
        s -= 60;
        c->kind = "cookie form";
    }
    if (c->form < 0)
        s -= 10;
    c->score = s;
    c->eligible = s >= MIN_SCORE && nv >= 1 && (nfile || apply || nv >= 3);
    if (c->eligible)
        c->kind = "application form";
    free(words);
}

/* Lowest common ancestor of two nodes (bounded depth). */
static GumboNode *lca(GumboNode *a, GumboNode *b)
{
    size_t da = 0, db = 0;
    for (GumboNode *x = a; x && da < 100000; x = x->parent)
        da++;
    for (GumboNode *x = b; x && db < 100000; x = x->parent)
        db++;
    while (da > db) {
        a = a->parent;
        da--;
    }
    while (db > da) {
        b = b->parent;
        db--;
    }
    while (a && b && a != b) {
        a = a->parent;
        b = b->parent;
    }
    return a;
}

/* A submit button, or a plain button that says submit/apply/send. */
static bool submitish(GumboNode *n)
{
    hx_ckind k = hx_ctl_kind(n);
    if (k == K_SUBMIT)
        return true;
    if (k != K_BUTTON)
        return false;
    const char *v = hx_attr(n, "value");
    char *t = hx_text(n, TX_SKIP_HIDDEN, NULL, NULL);
    char *all = xasprintf("%s %s", v ? v : "", t);
    char *norm = uk_norm(all);
    static const char *const W[] = {"submit*",  "send*",      "apply*",     "bewerb*",  "absenden",
                                    "senden",   "abschicken", "envoyer",    "postuler", "enviar",
                                    "postular", "solicitar",  "candidater", NULL};
    bool r = false;
    for (size_t i = 0; W[i] && !r; i++)
        r = uk_has_phrase(norm, W[i]);
    free(t);
    free(all);
    free(norm);
    return r;
}

/* The candidate made of controls outside any form, when they sit under a container with a
 * submit-like button. */
static bool formless_cand(const hx_doc *d, hx_cand *c)
{
    GumboNode *root = NULL;
    size_t n_q = 0;
    bool by_id = false;
    for (int pass = 0; pass < 2 && n_q < 2; pass++) {
        /* Named controls first; a page of id-only controls (a script's form) second. */
        by_id = pass == 1;
        root = NULL;
        n_q = 0;
        for (size_t i = 0; i < d->n_ctls; i++) {
            const hx_el_ref *r = &d->ctls[i];
            if (r->form >= 0)
                continue;
            hx_ckind k = hx_ctl_kind(r->node);
            const char *name = hx_ctl_name(r->node, k, by_id);
            if (!hx_is_question_kind(k) || !name || hx_in_noise(r->node, NULL))
                continue;
            if (k == K_TEXT && (searchy_name(name) || hx_attr_is(r->node, "type", "search")))
                continue;
            root = root ? lca(root, r->node) : r->node->parent;
            if (++n_q >= MAX_QUESTIONS)
                break;
        }
    }
    if (n_q < 2 || !root)
        return false;
    bool button = false;
    for (size_t i = 0; i < d->n_ctls && !button; i++) {
        const hx_el_ref *r = &d->ctls[i];
        if (r->form < 0 && submitish(r->node) && hx_is_ancestor(root, r->node, 4 * ANCESTOR_MAX))
            button = true;
    }
    if (!button)
        return false;
    memset(c, 0, sizeof *c);
    c->root = root;
    c->form = -1;
    c->by_id = by_id;
    c->ci = xmalloc((d->n_ctls + 1) * sizeof *c->ci);
    for (size_t i = 0; i < d->n_ctls; i++)
        if (d->ctls[i].form < 0 && hx_is_ancestor(root, d->ctls[i].node, 4 * ANCESTOR_MAX))
            c->ci[c->n++] = i;
    return true;
}

bool hx_find_application_form(GumboOutput *out, const char *html, size_t len)
{
    hx_doc d = {0};
    d.out = out;
    d.html = html;
    d.len = len;
    hx_index_doc(&d);
    bool found = false;
    for (size_t k = 0; k < d.n_forms && !found; k++) {
        hx_cand c;
        form_cand(&d, k, &c);
        if (c.n)
            score_cand(&d, &c);
        found = c.eligible;
        free(c.ci);
    }
    d.out = NULL;
    hx_doc_free(&d);
    return found;
}

hx_cand *hx_cands(const hx_doc *d, size_t *n)
{
    hx_cand *cands = xcalloc(d->n_forms + 1, sizeof *cands);
    size_t n_c = 0;
    for (size_t k = 0; k < d->n_forms; k++) {
        hx_cand *c = &cands[n_c];
        form_cand(d, k, c);
        if (!c->n) {
            free(c->ci);
            memset(c, 0, sizeof *c);
            continue;
        }
        score_cand(d, c);
        n_c++;
    }
    if (formless_cand(d, &cands[n_c])) {
        score_cand(d, &cands[n_c]);
        n_c++;
    }
    *n = n_c;
    return cands;
}

hx_cand *hx_cand_best(hx_cand *cands, size_t n)
{
    hx_cand *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (cands[i].eligible && (!best || cands[i].score > best->score))
            best = &cands[i];
    return best;
}

void hx_cands_free(hx_cand *cands, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cands[i].ci);
    free(cands);
}
