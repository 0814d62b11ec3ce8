/*
 * html_index.c - the generic HTML driver's document index: one iterative walk records forms,
 * controls, headings, ids and label[for], remembering which form owns each control (ancestor
 * <form>, the form="" attribute, or, for a <form> the parser emptied because it sat between
 * table rows, its source range); lookups by id and by label[for]. And what an indexed control
 * is: its kind and the name it submits under.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/html_internal.h"

#define MAX_CONTROLS 20000
#define MAX_FORMS    1000
#define MAX_HEADS    5000
#define MAX_IDS      200000

/* ---- document index --------------------------------------------------------------------- */

static int id_cmp(const void *a, const void *b)
{
    const hx_id_entry *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The first element with this id (document order), or NULL. */
GumboNode *hx_by_id(const hx_doc *d, const char *id)
{
    if (!id || !*id || !d->n_ids)
        return NULL;
    size_t lo = 0, hi = d->n_ids;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(d->ids[mid].key, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->n_ids && strcmp(d->ids[lo].key, id) == 0 ? d->ids[lo].node : NULL;
}

/* Index of the first label[for=id], or n_lfor. */
size_t hx_lfor_first(const hx_doc *d, const char *id)
{
    size_t lo = 0, hi = d->n_lfor;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(d->lfor[mid].key, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void hx_index_doc(hx_doc *d)
{
    GumboNode *root = d->out->document;
    struct {
        GumboNode *end;
        int idx;
    } stack[16];
    int sp = 0;
    size_t seq = 0, cap_f = 0, cap_c = 0, cap_h = 0, cap_i = 0, cap_l = 0;
    GumboNode *n = root;
    while (n) {
        while (sp > 0 && n == stack[sp - 1].end)
            sp--;
        bool skip = false;
        if (n->type == GUMBO_NODE_TEMPLATE) {
            skip = true;
        } else if (n->type == GUMBO_NODE_ELEMENT) {
            GumboTag t = n->v.element.tag;
            if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE ||
                n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) {
                skip = true;
            } else {
                seq++;
                const char *id = hx_attr(n, "id");
                if (id && *id && d->n_ids < MAX_IDS) {
                    if (d->n_ids == cap_i) {
                        cap_i = cap_i ? 2 * cap_i : 64;
                        d->ids = xrealloc(d->ids, cap_i * sizeof *d->ids);
                    }
                    d->ids[d->n_ids++] = (hx_id_entry){id, n, seq};
                }
                int owner = sp > 0 ? stack[sp - 1].idx : -1;
                if (t == GUMBO_TAG_FORM && d->n_forms < MAX_FORMS) {
                    if (d->n_forms == cap_f) {
                        cap_f = cap_f ? 2 * cap_f : 8;
                        d->forms = xrealloc(d->forms, cap_f * sizeof *d->forms);
                        d->form_seq = xrealloc(d->form_seq, cap_f * sizeof *d->form_seq);
                    }
                    d->form_seq[d->n_forms] = seq;
                    d->forms[d->n_forms++] = n;
                    if (sp < (int)OA_ARRAY_LEN(stack)) {
                        stack[sp].end = hx_next(n, root, true);
                        stack[sp].idx = (int)d->n_forms - 1;
                        sp++;
                    }
                } else if ((t == GUMBO_TAG_INPUT || t == GUMBO_TAG_SELECT ||
                            t == GUMBO_TAG_TEXTAREA || t == GUMBO_TAG_BUTTON) &&
                           d->n_ctls < MAX_CONTROLS) {
                    if (d->n_ctls == cap_c) {
                        cap_c = cap_c ? 2 * cap_c : 64;
                        d->ctls = xrealloc(d->ctls, cap_c * sizeof *d->ctls);
                    }
                    d->ctls[d->n_ctls++] = (hx_el_ref){n, seq, owner};
                } else if (t == GUMBO_TAG_LABEL) {
                    const char *f = hx_attr(n, "for");
                    if (f && *f && d->n_lfor < MAX_IDS) {
                        if (d->n_lfor == cap_l) {
                            cap_l = cap_l ? 2 * cap_l : 32;
                            d->lfor = xrealloc(d->lfor, cap_l * sizeof *d->lfor);
                        }
                        d->lfor[d->n_lfor++] = (hx_id_entry){f, n, seq};
                    }
                } else if (t == GUMBO_TAG_BASE && !d->base_href) {
                    d->base_href = hx_attr(n, "href");
                }
                if ((hx_is_heading_tag(t) || hx_is_section_title(n)) && d->n_heads < MAX_HEADS) {
                    if (d->n_heads == cap_h) {
                        cap_h = cap_h ? 2 * cap_h : 32;
                        d->heads = xrealloc(d->heads, cap_h * sizeof *d->heads);
                    }
                    d->heads[d->n_heads++] = (hx_el_ref){n, seq, owner};
                }
            }
        }
        n = hx_next(n, root, skip);
    }
    /* Ties are broken on document order, so the first element of a duplicated id wins. */
    if (d->n_ids > 1)
        qsort(d->ids, d->n_ids, sizeof *d->ids, id_cmp);
    if (d->n_lfor > 1)
        qsort(d->lfor, d->n_lfor, sizeof *d->lfor, id_cmp);

    /* form="id" moves a control to that form. */
    for (size_t i = 0; i < d->n_ctls; i++) {
        const char *fid = hx_attr(d->ctls[i].node, "form");
        if (!fid || !*fid)
            continue;
        GumboNode *f = hx_by_id(d, fid);
        for (size_t k = 0; f && k < d->n_forms; k++)
            if (d->forms[k] == f)
                d->ctls[i].form = (int)k;
    }
    /* A <form> the parser emptied (it sat between table rows): it still owns the controls
     * written between its start tag and its end tag in the source. */
    for (size_t k = 0; k < d->n_forms; k++) {
        bool owns = false;
        for (size_t i = 0; i < d->n_ctls && !owns; i++)
            owns = d->ctls[i].form == (int)k;
        if (owns)
            continue;
        GumboNode *f = d->forms[k];
        size_t start = f->v.element.start_pos.offset;
        if (!f->v.element.original_tag.data || start >= d->len)
            continue;
        size_t end = d->len;
        for (size_t p = start + 1; p + 6 <= d->len; p++) {
            if (d->html[p] == '<' && (strncasecmp(d->html + p, "</form", 6) == 0 ||
                                      strncasecmp(d->html + p, "<form", 5) == 0)) {
                end = p;
                break;
            }
        }
        for (size_t i = 0; i < d->n_ctls; i++) {
            GumboNode *c = d->ctls[i].node;
            size_t off = c->v.element.start_pos.offset;
            if (d->ctls[i].form < 0 && off > start && off < end)
                d->ctls[i].form = (int)k;
        }
    }
}

/* Frees the index (not the gumbo output: see hx_parse_free). */
void hx_doc_free(hx_doc *d)
{
    free(d->forms);
    free(d->form_seq);
    free(d->ctls);
    free(d->heads);
    free(d->ids);
    free(d->lfor);
}

/* ---- controls --------------------------------------------------------------------------- */

hx_ckind hx_ctl_kind(const GumboNode *n)
{
    GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_SELECT)
        return K_SELECT;
    if (t == GUMBO_TAG_TEXTAREA)
        return K_TEXTAREA;
    const char *ty = hx_attr(n, "type");
    if (t == GUMBO_TAG_BUTTON)
        return !ty || !*ty || strcasecmp(ty, "submit") == 0 ? K_SUBMIT : K_BUTTON;
    if (!ty)
        return K_TEXT;
    static const struct {
        const char *type;
        hx_ckind kind;
    } M[] = {{"hidden", K_HIDDEN}, {"submit", K_SUBMIT}, {"image", K_SUBMIT},
             {"button", K_BUTTON}, {"reset", K_BUTTON},  {"password", K_PASSWORD},
             {"file", K_FILE},     {"radio", K_RADIO},   {"checkbox", K_CHECKBOX}};
    for (size_t i = 0; i < OA_ARRAY_LEN(M); i++)
        if (strcasecmp(ty, M[i].type) == 0)
            return M[i].kind;
    return K_TEXT;
}

bool hx_is_question_kind(hx_ckind k)
{
    return k == K_TEXT || k == K_TEXTAREA || k == K_SELECT || k == K_RADIO || k == K_CHECKBOX ||
           k == K_FILE;
}

/* The name a control submits under. Script-rendered forms (React server rendering) often give
 * controls an id and no name; with by_id such a control goes by its id, except radios (a
 * group needs its shared name) and hidden inputs (not submitted without a name). */
const char *hx_ctl_name(const GumboNode *n, hx_ckind k, bool by_id)
{
    const char *nm = hx_attr(n, "name");
    if (nm && *nm)
        return nm;
    if (!by_id || k == K_RADIO || k == K_HIDDEN)
        return NULL;
    const char *id = hx_attr(n, "id");
    return id && *id ? id : NULL;
}
