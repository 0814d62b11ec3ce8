/*
 * form_keys.h - unified keys for a whole form, shared by every driver: each question's key
 * from a documented field name (connectors), its autocomplete token, field name and label
 * (unified_keys.h), then resolved against the rest of the form (a generic "Name" beside
 * "Vorname" is the last name, a phone beside a country code the national number) and made
 * unique (a visible question over a hidden one, then the stronger source, then the first);
 * option keys from the question's vocabulary, or a country list recognised by its options.
 */
#ifndef OA_DRIVERS_FORM_KEYS_H
#define OA_DRIVERS_FORM_KEYS_H

#include "drivers/unified_keys.h"

/* One question of the form, as the key assignment sees it. */
typedef struct {
    oa_block *q;              /* its unified_key and options' keys are set */
    const char *autocomplete; /* or NULL */
    const char *fixed;        /* a key the source documents for this field (static), or NULL */
    bool hidden;              /* visually hidden: loses a key to a visible question */
    uk_source src;            /* set: where its key came from */
    const char *key0;         /* set: its key before de-duplication (static) */
} fk_slot;

/* Sets the questions' keys (then the options' keys, by each question's key before
 * de-duplication, so that options keep their vocabulary). */
void fk_assign(fk_slot *s, size_t n);

#endif
