/*
 * html_internal.h - pieces shared by the generic HTML driver's halves (html_form.c extracts,
 * html_submit.c classifies answers) and reached by their unit tests. Not for other modules.
 */
#ifndef OA_DRIVERS_HTML_INTERNAL_H
#define OA_DRIVERS_HTML_INTERNAL_H

#include <gumbo.h>

#include "util/oa.h"

/* Flags of hx_text. */
enum {
    TX_SKIP_CONTROLS = 1, /* leave out select/option/textarea/button texts */
    TX_SKIP_HIDDEN = 2,   /* leave out elements hidden by attribute, inline style or class */
    TX_SKIP_REQ = 4,      /* leave out required-marker elements ("*"), noting them */
    TX_STOP_AT_SKIP = 8,  /* stop at the `skip` subtree (the text before it only) */
    TX_SKIP_ERRORS = 16,  /* leave out validation messages (error classes, role=alert) */
};

/* Parses a page with the driver's guards: OA_TOO_LARGE over DRV_MAX_PAGE_BYTES or nesting
 * deeper than the parser handles in reasonable time; windows-1252 pages are converted to
 * UTF-8 first. On OA_OK, free *out and *buf with hx_parse_free (gumbo points into *buf,
 * *buf_len bytes). *why (malloc'd, may be NULL when why is NULL) explains a failure. */
oa_status hx_parse(const char *html, size_t len, GumboOutput **out, char **buf, size_t *buf_len,
                   char **why) OA_MUST_CHECK;
void hx_parse_free(GumboOutput *out, char *buf);

/* Element tests and attribute access tolerant of NULL nodes and missing attributes. */
bool hx_is_el(const GumboNode *n);
bool hx_is_tag(const GumboNode *n, GumboTag t);
const char *hx_attr(const GumboNode *n, const char *name);
/* Pre-order successor of n inside root (iterative walks); skip_children jumps over n's
 * subtree. NULL at the end. */
GumboNode *hx_next(GumboNode *n, const GumboNode *root, bool skip_children);
/* Whitespace-squashed text of root's subtree (TX_* flags, `skip` subtree left out). *saw_req
 * (optional) says whether a required marker was left out. Malloc'd. */
char *hx_text(GumboNode *root, unsigned flags, const GumboNode *skip, bool *saw_req);
/* A label without required/optional markers: "* First name (required):" -> "First name",
 * setting *req / *opt when it saw them. Malloc'd. */
char *hx_clean_label(const char *in, bool *req, bool *opt);
/* Estimated maximum element nesting of raw HTML (a cheap tag scan). */
size_t hx_nesting_estimate(const char *s, size_t n);
/* True when n or an ancestor (bounded) is hidden by attribute, inline style or class. */
bool hx_hidden(const GumboNode *n);
/* True when a class token of n contains needle (case-insensitive). */
bool hx_has_class(const GumboNode *n, const char *needle);
/* The visible text of a parsed page (title and body), normalised with uk_norm. Malloc'd. */
char *hx_page_text(GumboOutput *out);
/* True when the parsed page holds a form that scores as an application form. */
bool hx_find_application_form(GumboOutput *out, const char *html, size_t len);

#endif
