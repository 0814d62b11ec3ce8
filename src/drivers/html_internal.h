/*
 * html_internal.h - pieces shared by the files of the generic HTML driver and reached by their
 * unit tests. Not for other modules. html_form.c runs the extraction (drv_html_extract) over
 * the steps in html_parse.c, html_index.c, html_pick.c, html_questions.c, html_labels.c,
 * html_keys.c and html_sections.c, with the helpers of html_dom.c and html_text.c;
 * html_submit.c (the submission half) uses the helpers too. Grouped by the defining file.
 */
#ifndef OA_DRIVERS_HTML_INTERNAL_H
#define OA_DRIVERS_HTML_INTERNAL_H

#include <gumbo.h>

#include "core/form.h"
#include "drivers/unified_keys.h"
#include "util/oa.h"

/* Limits shared by the files of the extraction. */
#define ANCESTOR_MAX     64                 /* levels an ancestor walk looks up */
#define SUBTREE_SCAN_MAX 4000               /* nodes a subtree scan looks at */
#define LABEL_MAX        500                /* bytes of a label */
#define TEXT_LIMIT       ((size_t)64 << 10) /* bytes of one text gathered from the page */
#define MAX_QUESTIONS    500                /* questions of one form */

/* ---- html_parse.c: guards and parsing --------------------------------------------------- */

/* Parses a page with the driver's guards: OA_TOO_LARGE over DRV_MAX_PAGE_BYTES or nesting
 * deeper than the parser handles in reasonable time; windows-1252 pages are converted to
 * UTF-8 first. On OA_OK, free *out and *buf with hx_parse_free (gumbo points into *buf,
 * *buf_len bytes). *why (malloc'd, may be NULL when why is NULL) explains a failure. */
oa_status hx_parse(const char *html, size_t len, GumboOutput **out, char **buf, size_t *buf_len,
                   char **why) OA_MUST_CHECK;
/* Frees what hx_parse made (either may be NULL). */
void hx_parse_free(GumboOutput *out, char *buf);
/* Estimated maximum element nesting of raw HTML (a cheap tag scan). */
size_t hx_nesting_estimate(const char *s, size_t n);

/* ---- html_dom.c: gumbo tree helpers ----------------------------------------------------- */

/* Element tests and attribute access tolerant of NULL nodes and missing attributes. */
bool hx_is_el(const GumboNode *n);
bool hx_is_tag(const GumboNode *n, GumboTag t);
const char *hx_attr(const GumboNode *n, const char *name);
/* True when attribute name of n equals val (case-insensitive). */
bool hx_attr_is(const GumboNode *n, const char *name, const char *val);
/* The children of a document or element node, NULL for other nodes. */
const GumboVector *hx_kids(const GumboNode *n);
/* Pre-order successor of n inside root (iterative walks); skip_children jumps over n's
 * subtree. NULL at the end. */
GumboNode *hx_next(GumboNode *n, const GumboNode *root, bool skip_children);
/* True when anc is n or one of its ancestors, looking at most max levels up. */
bool hx_is_ancestor(const GumboNode *anc, const GumboNode *n, int max);
/* True when a class token of n satisfies pred (one of the hx_tok_* below). */
bool hx_class_has(const GumboNode *n, bool (*pred)(const char *tok, size_t len));
/* Class tokens marking a required field, help text, an error, a honeypot. */
bool hx_tok_required(const char *t, size_t l);
bool hx_tok_help(const char *t, size_t l);
bool hx_tok_error(const char *t, size_t l);
bool hx_tok_honeypot(const char *t, size_t l);
/* True when an inline style moves an element off screen or to zero size (honeypot tricks). */
bool hx_style_offscreen(const char *style);
/* True when n hides itself: hidden attribute, inline style or hiding class. */
bool hx_hides_self(const GumboNode *n);
/* True for h1-h6. */
bool hx_is_heading_tag(GumboTag t);
/* True for phrasing tags (span, b, a, ...) that do not break text into words. */
bool hx_is_inline_tag(GumboTag t);
/* True for select, textarea and input other than hidden, submit, button, reset, image. */
bool hx_is_control_tag(const GumboNode *n);
/* True when n's subtree (bounded; too large counts as yes) holds a control other than self. */
bool hx_holds_control(GumboNode *n, const GumboNode *self);
/* True for an element styled as a section title (role=heading, section-title classes). */
bool hx_is_section_title(GumboNode *n);
/* True when n is disabled itself or inside a disabled fieldset below root. */
bool hx_is_disabled(const GumboNode *n, const GumboNode *root);
/* True when n sits in navigation, header, footer or a search/newsletter/login box below root. */
bool hx_in_noise(const GumboNode *n, const GumboNode *root);
/* True when n or an ancestor (bounded) is hidden by attribute, inline style or class. */
bool hx_hidden(const GumboNode *n);
/* True when a class token of n contains needle (case-insensitive). */
bool hx_has_class(const GumboNode *n, const char *needle);

/* ---- html_text.c: texts and labels ------------------------------------------------------ */

/* Flags of hx_text. */
enum {
    TX_SKIP_CONTROLS = 1, /* leave out select/option/textarea/button texts */
    TX_SKIP_HIDDEN = 2,   /* leave out elements hidden by attribute, inline style or class */
    TX_SKIP_REQ = 4,      /* leave out required-marker elements ("*"), noting them */
    TX_STOP_AT_SKIP = 8,  /* stop at the `skip` subtree (the text before it only) */
    TX_SKIP_ERRORS = 16,  /* leave out validation messages (error classes, role=alert) */
};

/* Whitespace-squashed text of root's subtree (TX_* flags, `skip` subtree left out). *saw_req
 * (optional) says whether a required marker was left out. Malloc'd. */
char *hx_text(GumboNode *root, unsigned flags, const GumboNode *skip, bool *saw_req);
/* Cuts s to at most max bytes at a UTF-8 boundary, dropping a trailing blank. */
void hx_cut_utf8(char *s, size_t max);
/* The visible text of a parsed page (title and body), normalised with uk_norm. Malloc'd. */
char *hx_page_text(GumboOutput *out);
/* True when s is one of the NULL-terminated list l. */
bool hx_in_list(const char *s, const char *const *l);
/* A label without required/optional markers: "* First name (required):" -> "First name",
 * setting *req / *opt when it saw them. Malloc'd. */
char *hx_clean_label(const char *in, bool *req, bool *opt);
/* The field a select's placeholder option names, without its asking words: "-- Select your
 * country --" -> "Country"; NULL when nothing is left. Malloc'd. */
char *hx_choose_label(const char *option_text);
/* A label made from a field name: "job_application[first_name]" -> "First name". Malloc'd. */
char *hx_humanize(const char *name);

/* ---- html_index.c: the document index and its controls ---------------------------------- */

/* An indexed control or heading. */
typedef struct {
    GumboNode *node;
    size_t seq; /* document order */
    int form;   /* owning form index, -1 when none */
} hx_el_ref;

/* An element by its id, or a label by its for="" value. */
typedef struct {
    const char *key;
    GumboNode *node;
    size_t seq; /* document order: the first of duplicates wins */
} hx_id_entry;

/* The index of a parsed page: html/len/out are the caller's, the arrays are freed by
 * hx_doc_free. ids and lfor are sorted by key, then document order. */
typedef struct {
    const char *html;
    size_t len;
    GumboOutput *out;
    GumboNode **forms;
    size_t *form_seq;
    size_t n_forms;
    hx_el_ref *ctls;
    size_t n_ctls;
    hx_el_ref *heads;
    size_t n_heads;
    hx_id_entry *ids;
    size_t n_ids;
    hx_id_entry *lfor; /* label[for] by for value */
    size_t n_lfor;
    const char *base_href;
} hx_doc;

/* What a control is (hx_ctl_kind). */
typedef enum {
    K_TEXT = 0,
    K_TEXTAREA,
    K_SELECT,
    K_RADIO,
    K_CHECKBOX,
    K_FILE,
    K_HIDDEN,
    K_SUBMIT,
    K_BUTTON,
    K_PASSWORD,
} hx_ckind;

/* Indexes d->out (html and len set by the caller: the source of d->out). */
void hx_index_doc(hx_doc *d);
/* Frees the index (not the gumbo output: see hx_parse_free). */
void hx_doc_free(hx_doc *d);
/* The first element with this id (document order), or NULL. */
GumboNode *hx_by_id(const hx_doc *d, const char *id);
/* Index of the first label[for=id] in d->lfor, or d->n_lfor. */
size_t hx_lfor_first(const hx_doc *d, const char *id);
/* The kind of a control (input, select, textarea or button element). */
hx_ckind hx_ctl_kind(const GumboNode *n);
/* True for the kinds that become questions. */
bool hx_is_question_kind(hx_ckind k);
/* The name a control submits under (by_id: its id when it has no name; see html_index.c). */
const char *hx_ctl_name(const GumboNode *n, hx_ckind k, bool by_id);

/* ---- html_pick.c: choosing the application form ----------------------------------------- */

/* A candidate for the application form. */
typedef struct {
    GumboNode *root; /* the <form>, or the container of form-less controls */
    int form;        /* form index, -1 for the container */
    size_t *ci;      /* indexes into hx_doc ctls, document order */
    size_t n;
    int score;
    bool eligible;
    bool by_id;       /* no control has a name: controls go by their ids (see hx_ctl_name) */
    const char *kind; /* what it looked like, for the reason text */
} hx_cand;

/* The page's candidates, each scored: every form holding controls (document order), then the
 * controls outside forms when they make one. *n gets their number; free with hx_cands_free. */
hx_cand *hx_cands(const hx_doc *d, size_t *n);
/* The eligible candidate with the highest score (the first of equals), or NULL. */
hx_cand *hx_cand_best(hx_cand *cands, size_t n);
/* Frees what hx_cands returned. */
void hx_cands_free(hx_cand *cands, size_t n);
/* True when the parsed page holds a form that scores as an application form. */
bool hx_find_application_form(GumboOutput *out, const char *html, size_t len);

/* ---- the extraction's state (html_form.c, filled by the files below) -------------------- */

/* A question in the making: one control, or the radios/checkboxes sharing a name. */
typedef struct {
    hx_ckind kind;
    const char *name;
    GumboNode **mem; /* controls: one, or the radios/checkboxes of a group */
    size_t n_mem;
    size_t cap_mem;
    size_t seq; /* document order of the first member */
    oa_block q;
    uk_source src;
    bool hidden;      /* visually hidden without a display condition (a decoy, or scripted) */
    const char *key0; /* the key before de-duplication (static), for option keys */
    GumboNode *container;
    GumboNode *label_el; /* the element the label came from, if any */
    GumboNode *fieldset; /* nearest fieldset with a legend, if any */
    GumboNode *section;  /* the node naming its section (legend or heading) */
    char *section_label; /* owned */
    bool eeo_section;
    bool marked_optional; /* its label says "optional" */
    bool dropped;         /* removed by a rule of html_rules.c */
} hx_item;

/* The extraction of one candidate (html_form.c's extract_form) and its items. */
typedef struct {
    const hx_doc *d;
    const hx_cand *c;
    GumboNode *root;
    hx_item *items;
    size_t n_items;
    GumboNode **consumed; /* headings used as a question's label */
    size_t n_consumed;
    oa_form *form;
    GumboNode *submit; /* the first submit button */
} hx_ctx;

/* ---- html_labels.c: labels -------------------------------------------------------------- */

/* True when heading n already served as a question's label. */
bool hx_is_consumed(const hx_ctx *x, const GumboNode *n);
/* The cleaned label text of el without skip's subtree, noting markers; NULL when empty. */
char *hx_label_text(GumboNode *el, const GumboNode *skip, bool *req, bool *opt);
/* Texts of the elements named by an id list (aria-labelledby / aria-describedby), or NULL. */
char *hx_idref_text(const hx_ctx *x, const char *ids, const GumboNode *self);
/* A control's label from its own markup (aria-labelledby, label[for], wrapping label,
 * aria-label), or NULL; *el gets the element it came from. */
char *hx_own_label(hx_ctx *x, GumboNode *n, bool *req, bool *opt, GumboNode **el);
/* The largest ancestor (up to 4 levels above item qi's members) holding no other question. */
GumboNode *hx_field_container(const hx_ctx *x, size_t qi);
/* Nearest fieldset ancestor of n holding a legend (within the candidate); *legend gets it. */
GumboNode *hx_fieldset_of(const hx_ctx *x, GumboNode *n, GumboNode **legend);
/* Sets item qi's q.label (never empty) and label_el, noting required/optional markers. */
void hx_resolve_label(hx_ctx *x, size_t qi, bool *req, bool *opt);
/* The option label of one radio or checkbox. Malloc'd. */
char *hx_member_label(hx_ctx *x, GumboNode *m);

/* ---- html_questions.c: questions from controls ------------------------------------------ */

/* Adds control n: to the item of its radio/checkbox group, else as a new item (at most
 * MAX_QUESTIONS). */
void hx_add_item(hx_ctx *x, hx_ckind k, const char *name, GumboNode *n, size_t seq);
/* Builds the question of item qi (everything but sections, keys and category). */
void hx_build_question(hx_ctx *x, size_t qi);
/* Completes display_when values once every question is built ("true"/"false" for a checkbox). */
void hx_fix_dw_values(hx_ctx *x);
/* True when control n is a honeypot (a decoy for bots, sent back empty). */
bool hx_is_honeypot(hx_ctx *x, GumboNode *n, const char *name);

/* ---- html_rules.c: rules over the whole form, after every question is built ------------- */

/* A date asked as day, month and year controls becomes one DATE question (its date_parts);
 * a hidden alternative to a visible file question ("paste your resume instead") is no
 * question; on a form that marks only optional fields, the unmarked ones are required.
 * Removed items are compacted away. */
void hx_apply_rules(hx_ctx *x);

/* ---- html_keys.c: unified keys ---------------------------------------------------------- */

/* Sets the questions' unified keys, resolved against each other, at most one question a key,
 * and the options' keys. */
void hx_assign_keys(hx_ctx *x);

/* ---- html_sections.c: sections and layout ----------------------------------------------- */

/* Sets each question's section (a fieldset legend or a heading) and its EEO flag. */
void hx_assign_sections(hx_ctx *x);
/* Sets category "EEO" on EEO questions (after hx_assign_keys and hx_assign_sections). */
void hx_assign_categories(hx_ctx *x);
/* Moves the questions into x->form, grouped by section. */
void hx_assemble(hx_ctx *x);

#endif
