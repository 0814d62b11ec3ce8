/*
 * html_keys.c - unified keys of the generic HTML driver's questions and options, through the
 * drivers' shared form_keys.c: each item with its autocomplete token and whether it is hidden.
 */
#include <stdlib.h>

#include "drivers/form_keys.h"
#include "drivers/html_internal.h"

void hx_assign_keys(hx_ctx *x)
{
    fk_slot *s = xcalloc(x->n_items ? x->n_items : 1, sizeof *s);
    for (size_t i = 0; i < x->n_items; i++) {
        s[i].q = &x->items[i].q;
        s[i].autocomplete = hx_attr(x->items[i].mem[0], "autocomplete");
        s[i].hidden = x->items[i].hidden;
    }
    fk_assign(s, x->n_items);
    for (size_t i = 0; i < x->n_items; i++) {
        x->items[i].src = s[i].src;
        x->items[i].key0 = s[i].key0;
    }
    free(s);
}
