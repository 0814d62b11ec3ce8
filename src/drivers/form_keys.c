/* form_keys.c - unified keys for a whole form (see form_keys.h). */
#include "drivers/form_keys.h"

#include <stdlib.h>
#include <string.h>

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

static fk_slot *find_key(fk_slot *s, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (s[i].q->unified_key && strcmp(s[i].q->unified_key, key) == 0)
            return &s[i];
    return NULL;
}

static void set_key(fk_slot *s, const char *key)
{
    free(s->q->unified_key);
    s->q->unified_key = key ? xstrdup(key) : NULL;
}

static void question_keys(fk_slot *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        oa_block *q = s[i].q;
        const char *k = NULL;
        s[i].src = UK_SRC_NONE;
        if (s[i].fixed) {
            k = s[i].fixed;
            s[i].src = UK_SRC_AUTOCOMPLETE; /* documented: as strong as it gets */
        } else {
            uk_question uq = {q->label, q->field_name, s[i].autocomplete, q->type,
                              count_gender_options(q)};
            k = uk_question_key(&uq, &s[i].src);
        }
        set_key(&s[i], k);
    }
    /* Generic words resolved against the rest of the form: "Name" beside "Vorname" is the
     * last name; "Nom" without "Prénom", or "Nombre" without "Apellidos", is the full name. */
    for (size_t i = 0; i < n; i++) {
        const char *k = s[i].q->unified_key;
        if (!k || s[i].src != UK_SRC_WEAK)
            continue;
        if (strcmp(k, "FULL_NAME") == 0 && find_key(s, n, "FIRST_NAME") &&
            !find_key(s, n, "LAST_NAME"))
            set_key(&s[i], "LAST_NAME");
        else if (strcmp(k, "LAST_NAME") == 0 && !find_key(s, n, "FIRST_NAME"))
            set_key(&s[i], "FULL_NAME");
        else if (strcmp(k, "FIRST_NAME") == 0 && !find_key(s, n, "LAST_NAME"))
            set_key(&s[i], "FULL_NAME");
    }
    /* A phone field beside a separate country code holds the national number. */
    fk_slot *cc = find_key(s, n, "PHONE_COUNTRY_CODE");
    fk_slot *ph = find_key(s, n, "FULL_PHONE_NUMBER");
    if (cc && ph && ph->src != UK_SRC_AUTOCOMPLETE)
        set_key(ph, "PHONE_NATIONAL_NUMBER");
    for (size_t i = 0; i < n; i++)
        s[i].key0 = uk_canonical_key(s[i].q->unified_key);
    /* One question per key: a visible question beats a hidden one, then the stronger source,
     * then the first. */
    for (size_t i = 0; i < n; i++) {
        fk_slot *a = &s[i];
        if (!a->q->unified_key)
            continue;
        for (size_t k = i + 1; k < n; k++) {
            fk_slot *b = &s[k];
            if (!b->q->unified_key || strcmp(a->q->unified_key, b->q->unified_key) != 0)
                continue;
            bool b_wins = a->hidden != b->hidden ? a->hidden : b->src > a->src;
            if (b_wins) {
                set_key(a, NULL);
                break;
            }
            set_key(b, NULL);
        }
    }
}

static void option_keys(fk_slot *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        oa_block *q = s[i].q;
        if (!q->n_options)
            continue;
        /* Options keep their vocabulary even when the question lost its key to another
         * question (a salutation beside a gender question). */
        uk_opts_kind kind = uk_options_kind(s[i].key0, q->label);
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
            free(q->options[k].unified_key);
            q->options[k].unified_key = ok ? xstrdup(ok) : NULL;
        }
    }
}

void fk_assign(fk_slot *s, size_t n)
{
    question_keys(s, n);
    option_keys(s, n);
}
