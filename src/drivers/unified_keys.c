/*
 * unified_keys.c - the matching behind unified keys, option keys, EEO detection, placeholder
 * options, closed-job and thank-you pages. The phrase tables it matches against are data:
 * src/drivers/keys/<lang>.tsv, turned into static arrays at build time by tools/keysgen.c
 * (uk_tables.h in the build directory; see src/drivers/keys/README.md).
 *
 * Principle: only say something when confident. Every table entry is a whole-word phrase in
 * normalised form (see uk_norm); generic words ("name", "nom", "nombre") are marked weak so a
 * specific field name can overrule them, and words that turn a person attribute into someone
 * else's ("company name", "reference email", "confirm email") veto the key.
 */
#include "drivers/unified_keys.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/countries.h"
#include "drivers/uk_fold.h"
#include "uk_tables.h" /* generated from src/drivers/keys */
#include "util/buf.h"

/* ---- normalisation ---------------------------------------------------------------------- */

char *uk_norm(const char *s)
{
    if (!s)
        return xstrdup("");
    size_t n = strlen(s);
    /* Worst case: every byte becomes two letters ("ß" is 2 bytes -> "ss", ASCII 1 -> 1). */
    char *o = xmalloc(2 * n + 2);
    uk_fold(o, s, n);
    return o;
}

char *uk_name_words(const char *name)
{
    if (!name)
        return xstrdup("");
    size_t n = strlen(name);
    char *t = xmalloc(2 * n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (i > 0) {
            unsigned char p = (unsigned char)name[i - 1];
            bool camel = isupper(c) && islower(p);
            bool digit = (isdigit(c) && isalpha(p)) || (isalpha(c) && isdigit(p));
            if (camel || digit)
                t[j++] = ' ';
        }
        t[j++] = (char)c;
    }
    t[j] = '\0';
    char *o = uk_norm(t);
    free(t);
    return o;
}

bool uk_has_phrase(const char *norm, const char *phrase)
{
    if (!norm || !phrase || !*phrase)
        return false;
    size_t plen = strlen(phrase);
    bool prefix = phrase[plen - 1] == '*';
    if (prefix)
        plen--;
    if (plen == 0)
        return false;
    for (const char *q = norm; *q; q++) {
        if (*q != phrase[0] || strncmp(q, phrase, plen) != 0)
            continue;
        bool left = q == norm || q[-1] == ' ';
        char after = q[plen];
        bool right = prefix || after == '\0' || after == ' ';
        if (left && right)
            return true;
    }
    return false;
}

static bool has_any(const char *norm, const char *const *phrases)
{
    for (size_t i = 0; phrases[i]; i++)
        if (uk_has_phrase(norm, phrases[i]))
            return true;
    return false;
}

static const char *first_of(const char *norm, const char *const *phrases)
{
    for (size_t i = 0; phrases[i]; i++)
        if (uk_has_phrase(norm, phrases[i]))
            return phrases[i];
    return NULL;
}

/* True when the whole normalised text is one of the phrases. */
static bool is_one_of(const char *norm, const char *const *phrases)
{
    for (size_t i = 0; phrases[i]; i++)
        if (strcmp(norm, phrases[i]) == 0)
            return true;
    return false;
}

size_t uk_word_count(const char *norm)
{
    size_t n = 0;
    bool in = false;
    for (const char *p = norm; p && *p; p++) {
        if (*p == ' ')
            in = false;
        else if (!in) {
            in = true;
            n++;
        }
    }
    return n;
}

/* ---- autocomplete ----------------------------------------------------------------------- */

static const struct {
    const char *token;
    const char *key;
} AUTOCOMPLETE[] = {
    {"given-name", "FIRST_NAME"},
    {"family-name", "LAST_NAME"},
    {"name", "FULL_NAME"},
    {"email", "EMAIL"},
    {"tel", "FULL_PHONE_NUMBER"},
    {"tel-country-code", "PHONE_COUNTRY_CODE"},
    {"tel-national", "PHONE_NATIONAL_NUMBER"},
    {"tel-extension", "PHONE_EXTENSION"},
    {"bday", "BIRTH_DATE"},
    {"sex", "GENDER"},
    {"country", "RESIDENCE_COUNTRY"},
    {"country-name", "RESIDENCE_COUNTRY"},
    {"address-level2", "RESIDENCE_CITY"},
    {"address-level1", "RESIDENCE_STATE"},
    {"postal-code", "RESIDENCE_ZIP_CODE"},
    {"address-line1", "RESIDENCE_LINE_1"},
    {"street-address", "RESIDENCE_LINE_1"},
    {"address-line2", "RESIDENCE_LINE_2"},
};

const char *uk_from_autocomplete(const char *ac)
{
    if (!ac)
        return NULL;
    /* The field token is the last one; section-*, shipping/billing and home/work/mobile hints
     * come before it. */
    const char *last = NULL;
    size_t last_len = 0;
    for (const char *p = ac; *p;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *s = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (p > s && !(p - s == 8 && strncasecmp(s, "webauthn", 8) == 0)) {
            last = s;
            last_len = (size_t)(p - s);
        }
    }
    if (!last)
        return NULL;
    for (size_t i = 0; i < OA_ARRAY_LEN(AUTOCOMPLETE); i++)
        if (strlen(AUTOCOMPLETE[i].token) == last_len &&
            strncasecmp(AUTOCOMPLETE[i].token, last, last_len) == 0)
            return AUTOCOMPLETE[i].key;
    return NULL;
}

/* ---- question keys ---------------------------------------------------------------------- */

#define T(x)   (1u << (x))
#define T_TEXT T(OA_Q_TEXT)
#define T_NUM  T(OA_Q_NUMBER)
#define T_BOOL T(OA_Q_BOOLEAN)
#define T_FILE T(OA_Q_FILE)
#define T_DATE T(OA_Q_DATE)
#define T_SEL  T(OA_Q_SINGLE_SELECT)
#define T_MSEL T(OA_Q_MULTI_SELECT)

enum {
    F_WEAK = 1,         /* generic word: a specific source overrules it */
    F_SHORT = 2,        /* labels of at most 4 words only */
    F_LONG = 4,         /* may match long labels (consent sentences) */
    F_PERSON = 8,       /* the person vetoes apply */
    F_NAME_ONLY = 16,   /* only matches field names */
    F_LABEL_ONLY = 32,  /* only matches labels */
    F_GENDER_OPTS = 64, /* only when at least two options name genders */
    F_ADDRESS = 128,    /* member of the address family (see combined labels) */
};

typedef struct {
    const char *key;
    unsigned types;
    unsigned flags;
    const char *const *phrases;
    const char *const *veto; /* extra vetoes, or NULL */
} rule;

/* The rules in the order they are tried, the first match winning. Their phrase lists (P_*) and
 * vetoes (V_*, PERSON_VETO) are the "label" and "veto" tables of src/drivers/keys: P_GENDER_AMBIG
 * is "genre" (also "kind" in French), gender only when the options name genders; P_SALUTATION
 * (Herr/Frau, M./Mme) is gender when the options say so, but a real gender question in the
 * same form wins. */
static const rule RULES[] = {
    {"EMAIL", T_TEXT, F_PERSON, P_EMAIL, NULL},
    {"EMAIL", T_TEXT, F_PERSON | F_WEAK | F_SHORT, P_EMAIL_WEAK, NULL},
    {"PHONE_COUNTRY_CODE", T_TEXT | T_SEL, 0, P_PHONE_CC, NULL},
    {"PHONE_EXTENSION", T_TEXT | T_NUM, F_SHORT, P_PHONE_EXT, NULL},
    {"PHONE_NUMBER_TYPE", T_SEL, 0, P_PHONE_TYPE, NULL},
    {"FULL_PHONE_NUMBER", T_TEXT | T_NUM, F_PERSON, P_PHONE, V_PHONE},
    {"BIRTH_DATE", T_DATE | T_TEXT, F_PERSON, P_BIRTH, V_PLACE},
    {"EXPECTED_START_DATE", T_DATE | T_TEXT, 0, P_START, V_START},
    {"RESUME", T_FILE, 0, P_RESUME, NULL},
    {"APPLICANT_POOL_CONSENT", T_BOOL | T_SEL, F_LONG | F_LABEL_ONLY, P_POOL, NULL},
    {"TERMS_AND_CONDITIONS", T_BOOL | T_SEL, F_LONG, P_TERMS, NULL},
    {"GENDER", T_SEL | T_TEXT, F_SHORT, P_GENDER, V_GENDER},
    {"GENDER", T_SEL, F_SHORT | F_GENDER_OPTS, P_GENDER_AMBIG, V_GENDER},
    {"GENDER", T_SEL, F_SHORT | F_GENDER_OPTS | F_WEAK, P_SALUTATION, V_GENDER},
    {"RESIDENCE_TYPE", T_SEL, 0, P_RES_TYPE, NULL},
    {"RESIDENCE_LINE_2", T_TEXT, F_PERSON | F_ADDRESS, P_LINE2, NULL},
    {"RESIDENCE_LINE_1", T_TEXT, F_PERSON | F_ADDRESS, P_LINE1, NULL},
    {"RESIDENCE_ZIP_CODE", T_TEXT | T_NUM, F_PERSON | F_ADDRESS, P_ZIP, NULL},
    {"RESIDENCE_CITY", T_TEXT | T_SEL, F_PERSON | F_SHORT | F_ADDRESS, P_CITY, V_WHERE_PREF},
    {"RESIDENCE_STATE", T_TEXT | T_SEL, F_PERSON | F_SHORT | F_ADDRESS, P_STATE, V_STATE},
    {"RESIDENCE_COUNTRY", T_TEXT | T_SEL, F_PERSON | F_SHORT | F_ADDRESS, P_COUNTRY, V_COUNTRY},
    {"RESIDENCE_FULL_STRING", T_TEXT, F_PERSON, P_FULL_ADDR, V_ADDRESS},
    {"FULL_NAME", T_TEXT, F_PERSON, P_FULL_NAME, NULL},
    {"FIRST_NAME", T_TEXT, F_PERSON, P_FIRST, NULL},
    {"FIRST_NAME", T_TEXT, F_PERSON | F_NAME_ONLY, P_FIRST_NAME_ONLY, NULL},
    {"FIRST_NAME", T_TEXT, F_PERSON | F_WEAK | F_SHORT, P_FIRST_WEAK, NULL},
    {"LAST_NAME", T_TEXT, F_PERSON, P_LAST, NULL},
    {"LAST_NAME", T_TEXT, F_PERSON | F_NAME_ONLY, P_LAST_NAME_ONLY, NULL},
    {"LAST_NAME", T_TEXT, F_PERSON | F_WEAK | F_SHORT, P_LAST_WEAK, NULL},
    {"FULL_NAME", T_TEXT, F_PERSON | F_WEAK | F_SHORT, P_FULL_WEAK, NULL},
};

/* Drops noise words from normalised name words, except digits after address words. */
static char *strip_name_noise(const char *words)
{
    size_t n = strlen(words);
    char *o = xmalloc(n + 1);
    size_t j = 0;
    const char *prev = NULL;
    size_t prev_len = 0;
    for (const char *p = words; *p;) {
        const char *s = p;
        while (*p && *p != ' ')
            p++;
        size_t len = (size_t)(p - s);
        bool noise = false;
        for (size_t i = 0; NAME_NOISE[i] && !noise; i++)
            noise = strlen(NAME_NOISE[i]) == len && strncmp(NAME_NOISE[i], s, len) == 0;
        if (noise && len == 1 && isdigit((unsigned char)*s) && prev &&
            ((prev_len == 7 && strncmp(prev, "address", 7) == 0) ||
             (prev_len == 4 && strncmp(prev, "line", 4) == 0) ||
             (prev_len == 6 && strncmp(prev, "street", 6) == 0)))
            noise = false;
        if (!noise) {
            if (j)
                o[j++] = ' ';
            memcpy(o + j, s, len);
            j += len;
            prev = s;
            prev_len = len;
        }
        while (*p == ' ')
            p++;
    }
    o[j] = '\0';
    return o;
}

/* The first rule matching normalised text; name_mode for field names. */
static const rule *match_rules(const char *norm, bool name_mode, oa_qtype type, size_t n_gender)
{
    if (!*norm)
        return NULL;
    size_t words = uk_word_count(norm);
    for (size_t i = 0; i < OA_ARRAY_LEN(RULES); i++) {
        const rule *r = &RULES[i];
        if (!(r->types & T(type)))
            continue;
        if (name_mode && (r->flags & F_LABEL_ONLY))
            continue;
        if (!name_mode && (r->flags & F_NAME_ONLY))
            continue;
        if (!name_mode && !(r->flags & F_LONG) && words > ((r->flags & F_SHORT) ? 4u : 7u))
            continue;
        if ((r->flags & F_GENDER_OPTS) && n_gender < 2)
            continue;
        if (!has_any(norm, r->phrases))
            continue;
        if (r->veto && has_any(norm, r->veto))
            return NULL;
        if ((r->flags & F_PERSON) && has_any(norm, PERSON_VETO))
            return NULL;
        if (r->flags & F_ADDRESS) {
            /* "PLZ / Ort", "Street, ZIP, City": a combined address field. */
            int parts = 0;
            bool street = false;
            bool line = false;
            for (size_t k = 0; k < OA_ARRAY_LEN(RULES); k++) {
                if (!(RULES[k].flags & F_ADDRESS) || !has_any(norm, RULES[k].phrases))
                    continue;
                bool is_line = RULES[k].phrases == P_LINE1 || RULES[k].phrases == P_LINE2;
                if (is_line && line)
                    continue; /* "address line 2" also reads as "address line" */
                line = line || is_line;
                parts++;
                street = street || is_line;
            }
            if (parts > 1) {
                if (street && (T(type) & T_TEXT)) {
                    static const rule full = {"RESIDENCE_FULL_STRING", T_TEXT, F_PERSON,
                                              P_FULL_ADDR, NULL};
                    return &full;
                }
                return NULL;
            }
        }
        return r;
    }
    return NULL;
}

static bool type_ok_for(const char *key, oa_qtype type)
{
    for (size_t i = 0; i < OA_ARRAY_LEN(RULES); i++)
        if (strcmp(RULES[i].key, key) == 0 && (RULES[i].types & T(type)))
            return true;
    /* Keys only reachable by autocomplete. */
    if (strcmp(key, "PHONE_NATIONAL_NUMBER") == 0)
        return type == OA_Q_TEXT || type == OA_Q_NUMBER;
    return false;
}

const char *uk_question_key(const uk_question *q, uk_source *src)
{
    *src = UK_SRC_NONE;
    const char *ac = uk_from_autocomplete(q->autocomplete);
    if (ac && type_ok_for(ac, q->type)) {
        *src = UK_SRC_AUTOCOMPLETE;
        return ac;
    }
    char *nw = uk_name_words(q->field_name);
    char *name = strip_name_noise(nw);
    char *label = uk_norm(q->label);
    const rule *rn = match_rules(name, true, q->type, q->n_gender_options);
    const rule *rl = match_rules(label, false, q->type, q->n_gender_options);
    /* A veto word on either side ("company_name" labelled "Name") silences both. */
    if (rn && (rn->flags & F_PERSON) && *label && has_any(label, PERSON_VETO) &&
        uk_word_count(label) <= 7)
        rn = NULL;
    if (rl && (rl->flags & F_PERSON) && has_any(name, PERSON_VETO))
        rl = NULL;
    const char *key = NULL;
    if (rn && !(rn->flags & F_WEAK)) {
        key = rn->key;
        *src = UK_SRC_NAME;
        /* A generic field name word overruled by a specific label ("name" labelled
         * "Nachname") is handled by the weak branch; a specific name that disagrees with a
         * specific label (rare) keeps the name. */
    } else if (rl && !(rl->flags & F_WEAK)) {
        key = rl->key;
        *src = UK_SRC_LABEL;
    } else if (rn) {
        key = rn->key;
        *src = UK_SRC_WEAK;
    } else if (rl) {
        key = rl->key;
        *src = UK_SRC_WEAK;
    }
    free(nw);
    free(name);
    free(label);
    return key;
}

const char *uk_canonical_key(const char *key)
{
    if (!key)
        return NULL;
    for (size_t i = 0; i < OA_ARRAY_LEN(RULES); i++)
        if (strcmp(RULES[i].key, key) == 0)
            return RULES[i].key;
    for (size_t i = 0; i < OA_ARRAY_LEN(AUTOCOMPLETE); i++)
        if (strcmp(AUTOCOMPLETE[i].key, key) == 0)
            return AUTOCOMPLETE[i].key;
    return NULL;
}

/* ---- option keys ------------------------------------------------------------------------ */

/* True when norm starts with one of the phrases (word boundary, '*' = anything after). */
static bool starts_with_any(const char *norm, const char *const *phrases)
{
    for (size_t i = 0; phrases[i]; i++) {
        const char *p = phrases[i];
        size_t len = strlen(p);
        const char *star = strchr(p, '*');
        if (star)
            len = (size_t)(star - p);
        if (strncmp(norm, p, len) != 0)
            continue;
        if (star || norm[len] == '\0' || norm[len] == ' ')
            return true;
    }
    return false;
}

const char *uk_gender_option(const char *label, const char *value)
{
    char *n = uk_norm(label && *label ? label : value);
    const char *key = NULL;
    if (starts_with_any(n, G_NOTSPEC_PREFIX))
        key = "NOT_SPECIFIED";
    else if (is_one_of(n, G_NONBIN) || uk_has_phrase(n, "non binary") ||
             uk_has_phrase(n, "nonbinary") || uk_has_phrase(n, "divers"))
        key = "NON_BINARY";
    else if (is_one_of(n, G_MALE))
        key = "MALE";
    else if (is_one_of(n, G_FEMALE))
        key = "FEMALE";
    else {
        /* "Female / Woman", "Man (cis)": one side only. */
        bool m = false, f = false;
        for (size_t i = 0; G_MALE[i]; i++)
            if (strlen(G_MALE[i]) > 2 && uk_has_phrase(n, G_MALE[i]))
                m = true;
        for (size_t i = 0; G_FEMALE[i]; i++)
            if (strlen(G_FEMALE[i]) > 2 && uk_has_phrase(n, G_FEMALE[i]))
                f = true;
        bool trans = uk_has_phrase(n, "trans*");
        if (m != f && !trans && uk_word_count(n) <= 4)
            key = m ? "MALE" : "FEMALE";
    }
    free(n);
    return key;
}

uk_opts_kind uk_options_kind(const char *question_key, const char *label)
{
    if (question_key) {
        if (strcmp(question_key, "GENDER") == 0)
            return UK_OPTS_GENDER;
        if (strcmp(question_key, "PHONE_NUMBER_TYPE") == 0)
            return UK_OPTS_PHONE_TYPE;
        if (strcmp(question_key, "RESIDENCE_TYPE") == 0)
            return UK_OPTS_RESIDENCE;
        if (strcmp(question_key, "RESIDENCE_COUNTRY") == 0 ||
            strcmp(question_key, "PHONE_COUNTRY_CODE") == 0)
            return UK_OPTS_COUNTRY;
    }
    char *n = uk_norm(label);
    uk_opts_kind k = UK_OPTS_NONE;
    if (has_any(n, SOURCEISH))
        k = UK_OPTS_SOURCE;
    else if (has_any(n, COUNTRYISH))
        k = UK_OPTS_COUNTRY;
    free(n);
    return k;
}

const char *uk_option_key(uk_opts_kind kind, const char *label, const char *value)
{
    const char *key = NULL;
    char *n = NULL;
    switch (kind) {
    case UK_OPTS_NONE:
        break;
    case UK_OPTS_GENDER:
        key = uk_gender_option(label, value);
        break;
    case UK_OPTS_PHONE_TYPE:
        n = uk_norm(label && *label ? label : value);
        if (is_one_of(n, PT_MOBILE))
            key = "MOBILE";
        else if (is_one_of(n, PT_LAND))
            key = "LANDLINE";
        break;
    case UK_OPTS_RESIDENCE:
        n = uk_norm(label && *label ? label : value);
        if (is_one_of(n, RT_HOME))
            key = "HOME";
        else if (is_one_of(n, RT_WORK))
            key = "WORK";
        else if (is_one_of(n, RT_MAIL))
            key = "MAILING";
        break;
    case UK_OPTS_COUNTRY:
        key = uk_country_code(value);
        if (!key ||
            (label && *label && uk_country_code(label) && strcmp(uk_country_code(label), key) != 0))
            key = uk_country_code(label);
        break;
    case UK_OPTS_SOURCE:
        n = uk_norm(label && *label ? label : value);
        if (starts_with_any(n, SRC_BOARD))
            key = "SOURCE_OTHER_JOB_BOARD";
        else if (starts_with_any(n, SRC_OTHER))
            key = "SOURCE_OTHER";
        break;
    }
    free(n);
    return key;
}

/* ---- countries -------------------------------------------------------------------------- */

bool uk_country_code_valid(const char *code)
{
    return oa_country_valid(code);
}

/* The code of a normalised country name (COUNTRY_NAMES is sorted by name), or NULL. */
static const char *lookup_country_name(const char *n)
{
    size_t lo = 0, hi = COUNTRY_NAMES_N;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(COUNTRY_NAMES[mid].name, n);
        if (c == 0)
            return COUNTRY_NAMES[mid].code;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *uk_country_code(const char *s)
{
    if (!s || !*s)
        return NULL;
    /* A bare code, as many option values are ("DE", "de"); "UK" means GB. */
    size_t len = strlen(s);
    if (len == 2 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1])) {
        char code[3] = {(char)toupper((unsigned char)s[0]), (char)toupper((unsigned char)s[1]), 0};
        if (strcmp(code, "UK") == 0)
            return "GB";
        const char *hit = oa_country_code(code);
        if (hit)
            return hit;
    }
    char *n = uk_norm(s);
    const char *code = lookup_country_name(n);
    if (!code) {
        /* "Germany (+49)", "Deutschland - DE": drop a parenthesised tail or a trailing code
         * word, then try again. */
        char *t = xstrdup(s);
        char *paren = strchr(t, '(');
        if (paren)
            *paren = '\0';
        char *tn = uk_norm(t);
        code = lookup_country_name(tn);
        size_t tl = strlen(tn);
        if (!code && tl > 3 && tn[tl - 3] == ' ') {
            tn[tl - 3] = '\0';
            code = lookup_country_name(tn);
        }
        free(tn);
        free(t);
    }
    free(n);
    return code && uk_country_code_valid(code) ? code : NULL;
}

/* ---- placeholders, EEO ------------------------------------------------------------------ */

bool uk_is_placeholder_option(const char *label)
{
    char *n = uk_norm(label);
    bool ph = !*n || starts_with_any(n, PLACEHOLDER);
    free(n);
    return ph;
}

bool uk_is_eeo_topic(const char *label)
{
    char *n = uk_norm(label);
    bool r = has_any(n, EEO_TOPIC) || (uk_word_count(n) <= 6 && has_any(n, EEO_TOPIC_SHORT));
    free(n);
    return r;
}

bool uk_is_eeo_section(const char *label)
{
    char *n = uk_norm(label);
    bool r = has_any(n, EEO_SECTION) || has_any(n, EEO_TOPIC) ||
             (uk_word_count(n) <= 6 && has_any(n, EEO_TOPIC_SHORT));
    free(n);
    return r;
}

/* ---- form kinds ------------------------------------------------------------------------- */

bool uk_is_apply_word(const char *norm)
{
    return has_any(norm, APPLY_WORDS);
}
bool uk_is_search_word(const char *norm)
{
    return has_any(norm, SEARCH_WORDS);
}
bool uk_is_newsletter_word(const char *norm)
{
    return has_any(norm, NEWSLETTER_WORDS);
}
bool uk_is_login_word(const char *norm)
{
    return has_any(norm, LOGIN_WORDS);
}
bool uk_is_contact_word(const char *norm)
{
    return has_any(norm, CONTACT_WORDS);
}
bool uk_is_consent_banner_word(const char *norm)
{
    return has_any(norm, BANNER_WORDS);
}

/* ---- page texts ------------------------------------------------------------------------- */

bool uk_is_closed_text(const char *norm, const char **phrase)
{
    const char *p = first_of(norm, CLOSED);
    if (phrase)
        *phrase = p;
    return p != NULL;
}

bool uk_is_success_text(const char *norm, const char **phrase)
{
    const char *p = first_of(norm, SUCCESS);
    if (phrase)
        *phrase = p;
    return p != NULL;
}

bool uk_is_error_text(const char *norm)
{
    return has_any(norm, ERROR_WORDS);
}

bool uk_is_honeypot_text(const char *norm)
{
    return has_any(norm, HONEYPOT_TEXT);
}

bool uk_is_honeypot_name(const char *name)
{
    char *w = uk_name_words(name);
    bool r = has_any(w, HONEYPOT_NAMES);
    free(w);
    return r;
}

/* ---- words of the form-wide rules (html_text.c, html_rules.c) ---- */

static bool equals_any(const char *norm, const char *const *l)
{
    for (size_t i = 0; l[i]; i++)
        if (strcmp(norm, l[i]) == 0)
            return true;
    return false;
}

bool uk_is_required_mark(const char *norm)
{
    return equals_any(norm, REQUIRED_MARKS);
}

bool uk_is_optional_mark(const char *norm)
{
    return equals_any(norm, OPTIONAL_MARKS);
}

bool uk_is_choose_word(const char *norm)
{
    return equals_any(norm, CHOOSE_WORDS);
}

const char *uk_date_unit(const char *norm)
{
    return equals_any(norm, DATE_DAY)     ? "day"
           : equals_any(norm, DATE_MONTH) ? "month"
           : equals_any(norm, DATE_YEAR)  ? "year"
                                          : NULL;
}

bool uk_is_as_text_word(const char *norm)
{
    return equals_any(norm, AS_TEXT_WORDS);
}
