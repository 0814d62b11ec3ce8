/*
 * form.h - an application form: Kombo's SECTION/QUESTION blocks plus what it takes to submit
 * them on the career site (field names, option values, hidden inputs, the form's action).
 *
 * Life of a form:
 *   driver extracts it from HTML (ids empty, display_when given as field name + site value)
 *   -> oa_form_assign_ids() derives stable question/option ids from the posting id and the
 *      site's field names and resolves display_when into question id + answer
 *   -> stored as a revision with oa_form_to_json(OA_FORM_INTERNAL)
 *   -> shown to clients with oa_form_to_json(OA_FORM_PUBLIC) (exactly Kombo's schema)
 *   -> answers checked with oa_form_validate() before an application is accepted.
 *
 * Pure: no I/O. Uses jansson for answer values and serialisation.
 */
#ifndef OA_CORE_FORM_H
#define OA_CORE_FORM_H

#include <jansson.h>

#include "util/crypto.h"
#include "util/oa.h"

typedef enum {
    OA_Q_TEXT = 0,
    OA_Q_NUMBER,
    OA_Q_BOOLEAN,
    OA_Q_FILE,
    OA_Q_DATE,
    OA_Q_SINGLE_SELECT,
    OA_Q_MULTI_SELECT,
} oa_qtype;

/* How a question is put on the wire when submitting (the HTML control behind it). */
typedef enum {
    OA_CTL_TEXT = 0,   /* <input type=text|email|tel|url|number|date...> or <textarea> */
    OA_CTL_SELECT,     /* <select>; with multiple for MULTI_SELECT */
    OA_CTL_RADIO,      /* a group of radio buttons sharing a name */
    OA_CTL_CHECKBOXES, /* a group of checkboxes sharing a name (MULTI_SELECT) */
    OA_CTL_CHECKBOX,   /* one checkbox (BOOLEAN): sends checked_value when true */
    OA_CTL_FILE,       /* <input type=file> */
} oa_control;

typedef struct {
    char id[OA_ID_SIZE]; /* assigned by oa_form_assign_ids */
    char *label;         /* owned */
    char *unified_key;   /* owned, NULL when none */
    char *value;         /* owned: the site's value attribute, sent on submit */
} oa_option;

typedef enum { OA_BLOCK_QUESTION = 0, OA_BLOCK_SECTION } oa_block_kind;

/* One control of a date asked as separate controls (day, month, year). */
typedef enum { OA_DATE_DAY = 0, OA_DATE_MONTH, OA_DATE_YEAR } oa_date_unit;

typedef struct {
    oa_date_unit unit;
    char *field_name; /* owned */
    /* A select's option values in page order (placeholders left out), owned; none for a text
     * control. */
    char **values;
    size_t n_values;
} oa_date_part;

typedef struct oa_block oa_block;
struct oa_block {
    oa_block_kind kind;
    char *label; /* owned, never NULL */

    /* SECTION */
    oa_block *children; /* owned array */
    size_t n_children;

    /* QUESTION */
    char question_id[OA_ID_SIZE]; /* assigned by oa_form_assign_ids */
    char *description;            /* owned, NULL when none */
    bool required;
    char *category; /* owned: "EEO" or NULL */
    oa_qtype type;
    char *unified_key;  /* owned, NULL when none */
    oa_option *options; /* owned array; only for SINGLE_SELECT / MULTI_SELECT */
    size_t n_options;

    /* display_when, as the driver saw it: show this question only when the field named
     * dw_field has the site value dw_value ("true" for a checked single checkbox). */
    char *dw_field; /* owned, NULL when unconditional */
    char *dw_value; /* owned */
    /* ... and resolved by oa_form_assign_ids into Kombo's shape. */
    char dw_question_id[OA_ID_SIZE];
    json_t *dw_answer; /* owned reference, NULL when unconditional */

    /* Site binding. */
    oa_control control;
    char *field_name;    /* owned: the control's name attribute */
    char *checked_value; /* owned: value a single checkbox sends when checked ("on") */
    char *input_type;    /* owned: the original type attribute ("email", "tel", ...), or NULL */
    char *accept;        /* owned: a file input's accept attribute, or NULL */
    /* A DATE asked as separate day / month / year controls: answered back into each of them
     * (field_name is then the first part's). Owned; none for an ordinary control. */
    oa_date_part *date_parts;
    size_t n_date_parts;
};

typedef struct {
    char *name;  /* owned */
    char *value; /* owned */
} oa_hidden;

typedef struct {
    char *action;      /* owned: absolute URL the form posts to */
    char *method;      /* owned: "POST" or "GET" */
    char *enctype;     /* owned: "multipart/form-data" or "application/x-www-form-urlencoded" */
    oa_hidden *hidden; /* owned array: hidden inputs, sent back as they were */
    size_t n_hidden;
    oa_block *blocks; /* owned array: top-level blocks in page order */
    size_t n_blocks;
    bool rendered; /* read from the page as a browser rendered it (its scripts built it) */
} oa_form;

typedef enum {
    OA_FORM_PUBLIC = 0, /* Kombo's application_form array, nothing else */
    OA_FORM_INTERNAL,   /* everything, for storage */
} oa_form_shape;

const char *oa_qtype_name(oa_qtype t);
bool oa_qtype_parse(const char *s, oa_qtype *out);
const char *oa_control_name(oa_control c);
bool oa_control_parse(const char *s, oa_control *out);

/* Releases everything the form owns (not the struct itself) and zeroes it. */
void oa_form_free(oa_form *f);
void oa_block_free(oa_block *b);

/* Appends helpers used by drivers: each returns the new element, zero-initialised. */
oa_block *oa_block_add(oa_block **arr, size_t *n);
oa_option *oa_option_add(oa_block *q);
void oa_form_add_hidden(oa_form *f, const char *name, const char *value);
/* Adds a date part to q (field name copied) / a select value to a part (copied). */
oa_date_part *oa_date_part_add(oa_block *q, oa_date_unit unit, const char *field_name);
void oa_date_part_value(oa_date_part *p, const char *value);

/* Derives question and option ids from posting_id and field names/values, and resolves
 * display_when references. A display_when naming no known field is dropped. */
void oa_form_assign_ids(oa_form *f, const char *posting_id);

/* Serialises. PUBLIC gives Kombo's application_form array (a new reference). */
json_t *oa_form_to_json(const oa_form *f, oa_form_shape shape);
/* Reads a form written with OA_FORM_INTERNAL. OA_INVALID when it does not fit. */
oa_status oa_form_from_json(const json_t *j, oa_form *out) OA_MUST_CHECK;
/* A content hash (64 hex chars) over everything that matters for applying, leaving out
 * values that change per page load (hidden input values). Equal hashes mean same revision. */
void oa_form_hash(const oa_form *f, char out[65]);

/* Calls fn for every question, depth first, in page order. */
void oa_form_each_question(const oa_form *f, void (*fn)(const oa_block *q, void *ctx), void *ctx);
/* The question with this id, or NULL. */
const oa_block *oa_form_find_question(const oa_form *f, const char *question_id);
/* Number of questions. */
size_t oa_form_count_questions(const oa_form *f);

/* Result of validating answers: the visible, answered questions with their answers. */
typedef struct {
    const oa_block *q; /* borrowed from the form */
    json_t *answer;    /* borrowed from the request */
} oa_answer;

typedef struct {
    oa_answer *items; /* owned array */
    size_t n;
} oa_answers;

/* Limits applied while validating. */
#define OA_MAX_ANSWERS     500
#define OA_MAX_TEXT_ANSWER (64 * 1024)

/*
 * Validates the screening_question_answers array against the form: every question_id known and
 * answered once, each answer of the right JSON type for its question, option ids that exist,
 * dates that are real, files with a name, a content type and valid base64, every visible
 * required question answered, answers to questions hidden by display_when ignored.
 * On OA_INVALID, *msg (malloc'd) says what is wrong and *bad_qid (malloc'd or NULL) names the
 * question. On OA_OK, *out holds the answers to submit (free with oa_answers_free).
 */
oa_status oa_form_validate(const oa_form *f, const json_t *answers, oa_answers *out, char **msg,
                           char **bad_qid) OA_MUST_CHECK;
void oa_answers_free(oa_answers *a);
/* The answer given for a question, or NULL. */
json_t *oa_answers_get(const oa_answers *a, const char *question_id);

#endif
