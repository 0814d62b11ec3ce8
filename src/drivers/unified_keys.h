/*
 * unified_keys.h - the multilingual vocabulary of the generic HTML driver: which question is
 * a first name, which option is "female", which country an option names, which sentence says
 * a job is closed, which page thanks the candidate.
 *
 * Everything here works on normalised text (uk_norm): lower-case ASCII, Latin accents folded
 * ("Straße" -> "strasse", "Prénom" -> "prenom"), every other character a single space. Matching
 * is by whole words ("name" does not match inside "username"), with a trailing '*' in a table
 * entry matching a word prefix ("telefon*" matches "telefonnummer"). Tables cover English,
 * German, French and Spanish.
 *
 * All returned keys are string literals (static storage); the caller copies them.
 */
#ifndef OA_DRIVERS_UNIFIED_KEYS_H
#define OA_DRIVERS_UNIFIED_KEYS_H

#include "core/form.h"
#include "util/oa.h"

/* Normalises UTF-8 text for matching (see above). Returns a malloc'd string; caller frees. */
char *uk_norm(const char *s);
/* Splits a field name into normalised words: "job_application[firstName]" ->
 * "job application first name". Malloc'd; caller frees. */
char *uk_name_words(const char *name);
/* True when normalised text contains the phrase (normalised, optional trailing '*') as whole
 * words. */
bool uk_has_phrase(const char *norm, const char *phrase);
/* Number of words in normalised text. */
size_t uk_word_count(const char *norm);

/* The unified key for an HTML autocomplete attribute ("section-a shipping given-name" ->
 * FIRST_NAME), or NULL when it names nothing we map. */
const char *uk_from_autocomplete(const char *autocomplete);

/* What is known about a question when choosing its unified key. */
typedef struct {
    const char *label;        /* the cleaned label as shown */
    const char *field_name;   /* the name attribute, or NULL */
    const char *autocomplete; /* the autocomplete attribute, or NULL */
    oa_qtype type;
    size_t n_gender_options; /* options that uk_option_key maps to a gender */
} uk_question;

/* Where a question's key came from, strongest first. */
typedef enum {
    UK_SRC_NONE = 0,
    UK_SRC_WEAK,         /* a generic word ("Name", "Nom", "Nombre") */
    UK_SRC_LABEL,        /* a specific label phrase */
    UK_SRC_NAME,         /* a specific field name */
    UK_SRC_AUTOCOMPLETE, /* the autocomplete attribute */
} uk_source;

/* The question's unified key, or NULL when not confident. *src says where it came from. */
const char *uk_question_key(const uk_question *q, uk_source *src);

/* The static copy of a question key (for keeping it past the owner's lifetime), or NULL. */
const char *uk_canonical_key(const char *key);

/* Context of a question's options when choosing option keys. */
typedef enum {
    UK_OPTS_NONE = 0,
    UK_OPTS_GENDER,     /* MALE / FEMALE / NON_BINARY / NOT_SPECIFIED */
    UK_OPTS_PHONE_TYPE, /* MOBILE / LANDLINE */
    UK_OPTS_RESIDENCE,  /* HOME / WORK / MAILING */
    UK_OPTS_COUNTRY,    /* ISO 3166-1 alpha-2 */
    UK_OPTS_SOURCE,     /* SOURCE_OTHER / SOURCE_OTHER_JOB_BOARD */
} uk_opts_kind;

/* Which option vocabulary applies to a question with this key and label. */
uk_opts_kind uk_options_kind(const char *question_key, const char *label);
/* The option's unified key in that vocabulary, or NULL. */
const char *uk_option_key(uk_opts_kind kind, const char *label, const char *value);
/* The gender an option label/value names, or NULL (used before the question's key is known). */
const char *uk_gender_option(const char *label, const char *value);
/* The ISO 3166-1 alpha-2 code (from Kombo's enum) that a country name or code names, or NULL. */
const char *uk_country_code(const char *label_or_code);
/* True when code is one of the country codes of Kombo's option unified_key enum. */
bool uk_country_code_valid(const char *code);

/* True when a select option is a placeholder ("Please select", "Bitte wählen", "--"). */
bool uk_is_placeholder_option(const char *label);
/* True when a label or section heading marks voluntary self-identification (EEO) content:
 * race, ethnicity, veteran or disability status, "hispanic or latino", EEO sections. */
bool uk_is_eeo_topic(const char *label);
/* True when a section heading announces an EEO / self-identification section. */
bool uk_is_eeo_section(const char *label);

/* Strength of a form's wording as an application form, from action/id/class/button text. */
bool uk_is_apply_word(const char *norm);
/* Words that mark search, newsletter, login, contact or cookie forms. */
bool uk_is_search_word(const char *norm);
bool uk_is_newsletter_word(const char *norm);
bool uk_is_login_word(const char *norm);
bool uk_is_contact_word(const char *norm);
bool uk_is_consent_banner_word(const char *norm);

/* True when normalised page text says the job is closed / filled / expired. On true, *phrase
 * is the (static) phrase that matched. */
bool uk_is_closed_text(const char *norm, const char **phrase);
/* True when normalised page text thanks the candidate / confirms receipt. */
bool uk_is_success_text(const char *norm, const char **phrase);
/* True when a short normalised text reads like a validation error. */
bool uk_is_error_text(const char *norm);
/* True when a label marks a honeypot ("leave this field empty"). */
bool uk_is_honeypot_text(const char *norm);
/* True when a field name looks like a honeypot (website, hp, honeypot, ...). */
bool uk_is_honeypot_name(const char *name);

/* Words of the HTML driver's form-wide rules, on normalised text: a whole marker text saying a
 * field is required ("pflichtfeld") or optional ("facultatif"); a word asking to choose in a
 * placeholder option ("select", "wählen"); a word naming a date's day, month or year in a
 * name, label or format ("tag", "mm", "aaaa": "day"/"month"/"year", else NULL); a field-name
 * word meaning "as text" ("resume_text", "paste"). */
bool uk_is_required_mark(const char *norm);
bool uk_is_optional_mark(const char *norm);
bool uk_is_choose_word(const char *norm);
const char *uk_date_unit(const char *norm);
bool uk_is_as_text_word(const char *norm);

#endif
