/*
 * html_keys.c - unified keys of the generic HTML driver's questions and options: each
 * question's key from its autocomplete token, field name and label (unified_keys.c), then
 * resolved against the rest of the form (a generic "Name" beside "Vorname" is the last name,
 * a phone beside a country code the national number) and made unique (a visible question
 * over a hidden one, then the stronger source, then the first); option keys from the
 * question's vocabulary, or a country list recognised by its options.
 */
#include <stdlib.h>
#include <string.h>

#include "drivers/html_internal.h"
#include "drivers/unified_keys.h"

static size_t count_gender_options(const oa_block *q)
{
    size_t n = 0;
    if (q->n_options > 40)
        return 0; /* gender lists are short; long lists are something else */
    for (size_t i = 0; i < q->n_options; i++)
        if (uk_gender_option(q->options[i].label, q->options[i].value))
            n++;
    return n;
}

static hx_item *find_key(hx_ctx *x, const char *key)
{
    for (size_t i = 0; i < x->n_items; i++)
        if (x->items[i].q.unified_key && strcmp(x->items[i].q.unified_key, key) == 0)
            return &x->items[i];
    return NULL;
}

static void set_key(hx_item *it, const char *key)
{
    free(it->q.unified_key);
    it->q.unified_key = key ? xstrdup(key) : NULL;
}

void hx_assign_keys(hx_ctx *x)
{
    for (size_t i = 0; i < x->n_items; i++) {
        hx_item *it = &x->items[i];
        uk_question uq = {it->q.label, it->name, hx_attr(it->mem[0], "autocomplete"), it->q.type,
                          count_gender_options(&it->q)};
        const char *k = uk_question_key(&uq, &it->src);
        it->q.unified_key = k ? xstrdup(k) : NULL;
    }
    /* Generic words resolved against the rest of the form: "Name" beside "Vorname" is the
     * last name; "Nom" without "Prénom", or "Nombre" without "Apellidos", is the full name. */
    for (size_t i = 0; i < x->n_items; i++) {
        hx_item *it = &x->items[i];
        const char *k = it->q.unified_key;
        if (!k || it->src != UK_SRC_WEAK)
            continue;
        if (strcmp(k, "FULL_NAME") == 0 && find_key(x, "FIRST_NAME") && !find_key(x, "LAST_NAME"))
            set_key(it, "LAST_NAME");
        else if (strcmp(k, "LAST_NAME") == 0 && !find_key(x, "FIRST_NAME"))
            set_key(it, "FULL_NAME");
        else if (strcmp(k, "FIRST_NAME") == 0 && !find_key(x, "LAST_NAME"))
            set_key(it, "FULL_NAME");
    }
    /* A phone field beside a separate country code holds the national number. */
    hx_item *cc = find_key(x, "PHONE_COUNTRY_CODE");
    hx_item *ph = find_key(x, "FULL_PHONE_NUMBER");
    if (cc && ph && ph->src != UK_SRC_AUTOCOMPLETE)
        set_key(ph, "PHONE_NATIONAL_NUMBER");
    for (size_t i = 0; i < x->n_items; i++)
        x->items[i].key0 = uk_canonical_key(x->items[i].q.unified_key);
    /* One question per key: the strongest source wins, then the first. */
    for (size_t i = 0; i < x->n_items; i++) {
        hx_item *a = &x->items[i];
        if (!a->q.unified_key)
            continue;
        for (size_t k = i + 1; k < x->n_items; k++) {
            hx_item *b = &x->items[k];
            if (!b->q.unified_key || strcmp(a->q.unified_key, b->q.unified_key) != 0)
                continue;
            /* A visible question beats a hidden one, then the stronger source, then the
             * first. */
            bool b_wins = a->hidden != b->hidden ? a->hidden : b->src > a->src;
            if (b_wins) {
                set_key(a, NULL);
                break;
            }
            set_key(b, NULL);
        }
    }
}

void hx_assign_option_keys(hx_ctx *x)
{
    for (size_t i = 0; i < x->n_items; i++) {
        oa_block *q = &x->items[i].q;
        if (!q->n_options)
            continue;
        /* Options keep their vocabulary even when the question lost its key to another
         * question (a salutation beside a gender question). */
        uk_opts_kind kind = uk_options_kind(x->items[i].key0, q->label);
        if (kind == UK_OPTS_NONE && q->n_options >= 5) {
            /* Mostly country names: a country list (judged on the first 60 options). */
            size_t c = 0, m = q->n_options < 60 ? q->n_options : 60;
            for (size_t k = 0; k < m; k++)
                if (uk_option_key(UK_OPTS_COUNTRY, q->options[k].label, q->options[k].value))
                    c++;
            if (c * 5 >= m * 4)
                kind = UK_OPTS_COUNTRY;
        }
        for (size_t k = 0; k < q->n_options; k++) {
            const char *ok = uk_option_key(kind, q->options[k].label, q->options[k].value);
            q->options[k].unified_key = ok ? xstrdup(ok) : NULL;
        }
    }
}
