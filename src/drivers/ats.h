/*
 * ats.h - what the ATS connectors share: reading a vendor's JSON within limits, adding
 * questions, choosing unified keys for a form read from data, authentication headers, and
 * classifying a JSON API's answer to a submission.
 */
#ifndef OA_DRIVERS_ATS_H
#define OA_DRIVERS_ATS_H

#include <jansson.h>

#include "drivers/driver.h"

/* Largest vendor JSON document a connector parses, and its deepest nesting. */
#define ATS_MAX_JSON  DRV_MAX_PAGE_BYTES
#define ATS_MAX_DEPTH 64

/* Parses body as a JSON object. On failure *why (malloc'd) says what is wrong. */
oa_status ats_json_object(const char *body, size_t len, json_t **out, char **why) OA_MUST_CHECK;
/* A string member (NULL when absent or not a string). */
const char *ats_str(const json_t *o, const char *name);
/* A member as text: a string as is, an integer in decimal; malloc'd, NULL otherwise. */
char *ats_text(const json_t *o, const char *name);

/* Appends a question (label copied, "" when NULL) to an array of blocks. */
oa_block *ats_question(oa_block **arr, size_t *n, const char *label, bool required, oa_qtype type,
                       oa_control control, const char *field_name);
/* Appends a section and returns it. */
oa_block *ats_section(oa_block **arr, size_t *n, const char *label);
/* Appends an option (label and site value copied). */
void ats_option(oa_block *q, const char *label, const char *value);

/* A field name the vendor documents, and the unified key it always has. */
typedef struct {
    const char *field_name;
    const char *key;
} ats_name_key;

/* Chooses the unified keys of every question (first the vendor's documented names, then the
 * shared vocabulary on label and name) and of the options, one question per key. */
void ats_assign_keys(oa_form *f, const ats_name_key *names);

/* Adds "Authorization: Basic base64(user:pass)". */
void ats_basic_auth(drv_request *r, const char *user, const char *pass);
/* The setting `name` of the career site's settings for this connector, or NULL. */
const char *ats_setting(const drv_ctx *c, const char *name);

/* The answer of a JSON API to a submission: 2xx submitted; 408/425/429/5xx transient; 401/403
 * rejected (the credentials); other 4xx rejected, with the vendor's error text in *why. */
drv_outcome ats_classify(long status, const char *content_type, const char *body, size_t len,
                         char **why);

/* A JSON value of the answer to q in the vendor's terms: text as a string, a select as its
 * option value (an integer when it is one and as_int), a multi-select as an array. Files are
 * not handled here. *err (malloc'd) on failure. */
json_t *ats_answer_json(const oa_block *q, const json_t *a, bool as_int, char **err);

#endif
