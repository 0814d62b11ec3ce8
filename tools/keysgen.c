/*
 * keysgen.c - the build-time generator of the generic HTML driver's phrase tables.
 *
 *   keysgen [-o OUT.h] [-s] FILE.tsv...
 *
 * Reads the phrase files (src/drivers/keys/<lang>.tsv, format in src/drivers/keys/README.md)
 * in the order given, checks every entry and writes OUT.h: one static const, NULL-terminated
 * array of normalised phrases per list, in file order then line order, and the country names
 * sorted for binary search. src/drivers/unified_keys.c includes it; nothing is read or parsed
 * at run time. Without -o it only checks. -s prints the entries per file.
 *
 * Every problem is reported as "FILE:LINE: what is wrong" on stderr and makes keysgen exit 1
 * without writing OUT.h, so a bad data file fails the build. Phrases are folded by the driver's
 * own folding (src/drivers/uk_fold.c); country codes are checked against the one list of codes
 * (src/core/countries.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/countries.h"
#include "drivers/uk_fold.h"

/* ---- what the driver knows ---------------------------------------------------------------- */

/* How the driver matches a table's phrases; decides what a phrase may look like. */
typedef enum {
    M_WORDS,  /* whole words anywhere in the text; a trailing '*' matches a word prefix */
    M_PREFIX, /* at the start of the text; a trailing '*' matches anything after */
    M_EXACT,  /* the whole text; no '*' */
    M_WORD,   /* one whole word of a field name; no '*' */
} match_mode;

/* What the key column holds. */
typedef enum {
    K_NONE,     /* "-" */
    K_QUESTION, /* a question unified key */
    K_OPTION,   /* an option unified key */
    K_COUNTRY,  /* an ISO 3166-1 alpha-2 code of Kombo's enum */
} key_kind;

typedef struct {
    const char *name;
    key_kind keys;
    match_mode mode;
    int exclusive; /* a phrase may name only one key (list) of the table */
} table_def;

static const table_def TABLES[] = {
    {"label", K_QUESTION, M_WORDS, 1},
    {"veto", K_QUESTION, M_WORDS, 0},
    {"person_veto", K_NONE, M_WORDS, 0},
    {"name_noise", K_NONE, M_WORD, 0},
    {"gender", K_OPTION, M_EXACT, 1},
    {"phone_type", K_OPTION, M_EXACT, 1},
    {"residence_type", K_OPTION, M_EXACT, 1},
    {"source", K_OPTION, M_PREFIX, 1},
    {"country", K_COUNTRY, M_EXACT, 1},
    {"country_label", K_NONE, M_WORDS, 0},
    {"source_label", K_NONE, M_WORDS, 0},
    {"placeholder", K_NONE, M_PREFIX, 0},
    {"eeo_topic", K_NONE, M_WORDS, 0},
    {"eeo_topic_short", K_NONE, M_WORDS, 0},
    {"eeo_section", K_NONE, M_WORDS, 0},
    {"apply", K_NONE, M_WORDS, 0},
    {"search", K_NONE, M_WORDS, 0},
    {"newsletter", K_NONE, M_WORDS, 0},
    {"login", K_NONE, M_WORDS, 0},
    {"contact", K_NONE, M_WORDS, 0},
    {"cookie_banner", K_NONE, M_WORDS, 0},
    {"closed", K_NONE, M_WORDS, 0},
    {"success", K_NONE, M_WORDS, 0},
    {"error", K_NONE, M_WORDS, 0},
    {"honeypot_text", K_NONE, M_WORDS, 0},
    {"honeypot_name", K_NONE, M_WORDS, 0},
    {"required_mark", K_NONE, M_EXACT, 0},
    {"optional_mark", K_NONE, M_EXACT, 0},
    {"choose_word", K_NONE, M_WORD, 0},
    {"date_day", K_NONE, M_WORD, 0},
    {"date_month", K_NONE, M_WORD, 0},
    {"date_year", K_NONE, M_WORD, 0},
    {"as_text_word", K_NONE, M_WORD, 0},
};
#define N_TABLES (sizeof TABLES / sizeof TABLES[0])

/* The arrays unified_keys.c uses: table, key ("-" for none), list ("" for the key's main
 * list; label only), C name. The order of the driver's rules is in unified_keys.c. */
typedef struct {
    const char *table, *key, *list, *symbol;
    match_mode mode; /* from the table, or M_PREFIX for the gender list matched by prefix */
} list_def;

static const list_def LISTS[] = {
    {"label", "EMAIL", "", "P_EMAIL", M_WORDS},
    {"label", "EMAIL", "weak", "P_EMAIL_WEAK", M_WORDS},
    {"label", "PHONE_COUNTRY_CODE", "", "P_PHONE_CC", M_WORDS},
    {"label", "PHONE_EXTENSION", "", "P_PHONE_EXT", M_WORDS},
    {"label", "PHONE_NUMBER_TYPE", "", "P_PHONE_TYPE", M_WORDS},
    {"label", "FULL_PHONE_NUMBER", "", "P_PHONE", M_WORDS},
    {"label", "BIRTH_DATE", "", "P_BIRTH", M_WORDS},
    {"label", "EXPECTED_START_DATE", "", "P_START", M_WORDS},
    {"label", "RESUME", "", "P_RESUME", M_WORDS},
    {"label", "APPLICANT_POOL_CONSENT", "", "P_POOL", M_WORDS},
    {"label", "TERMS_AND_CONDITIONS", "", "P_TERMS", M_WORDS},
    {"label", "GENDER", "", "P_GENDER", M_WORDS},
    {"label", "GENDER", "ambiguous", "P_GENDER_AMBIG", M_WORDS},
    {"label", "GENDER", "salutation", "P_SALUTATION", M_WORDS},
    {"label", "RESIDENCE_TYPE", "", "P_RES_TYPE", M_WORDS},
    {"label", "RESIDENCE_LINE_2", "", "P_LINE2", M_WORDS},
    {"label", "RESIDENCE_LINE_1", "", "P_LINE1", M_WORDS},
    {"label", "RESIDENCE_ZIP_CODE", "", "P_ZIP", M_WORDS},
    {"label", "RESIDENCE_CITY", "", "P_CITY", M_WORDS},
    {"label", "RESIDENCE_STATE", "", "P_STATE", M_WORDS},
    {"label", "RESIDENCE_COUNTRY", "", "P_COUNTRY", M_WORDS},
    {"label", "RESIDENCE_FULL_STRING", "", "P_FULL_ADDR", M_WORDS},
    {"label", "FULL_NAME", "", "P_FULL_NAME", M_WORDS},
    {"label", "FULL_NAME", "weak", "P_FULL_WEAK", M_WORDS},
    {"label", "FIRST_NAME", "", "P_FIRST", M_WORDS},
    {"label", "FIRST_NAME", "name", "P_FIRST_NAME_ONLY", M_WORDS},
    {"label", "FIRST_NAME", "weak", "P_FIRST_WEAK", M_WORDS},
    {"label", "LAST_NAME", "", "P_LAST", M_WORDS},
    {"label", "LAST_NAME", "name", "P_LAST_NAME_ONLY", M_WORDS},
    {"label", "LAST_NAME", "weak", "P_LAST_WEAK", M_WORDS},
    {"veto", "BIRTH_DATE", "", "V_PLACE", M_WORDS},
    {"veto", "EXPECTED_START_DATE", "", "V_START", M_WORDS},
    {"veto", "RESIDENCE_CITY", "", "V_WHERE_PREF", M_WORDS},
    {"veto", "RESIDENCE_COUNTRY", "", "V_COUNTRY", M_WORDS},
    {"veto", "RESIDENCE_STATE", "", "V_STATE", M_WORDS},
    {"veto", "RESIDENCE_FULL_STRING", "", "V_ADDRESS", M_WORDS},
    {"veto", "GENDER", "", "V_GENDER", M_WORDS},
    {"veto", "FULL_PHONE_NUMBER", "", "V_PHONE", M_WORDS},
    {"person_veto", "-", "", "PERSON_VETO", M_WORDS},
    {"name_noise", "-", "", "NAME_NOISE", M_WORD},
    {"gender", "MALE", "", "G_MALE", M_EXACT},
    {"gender", "FEMALE", "", "G_FEMALE", M_EXACT},
    {"gender", "NON_BINARY", "", "G_NONBIN", M_EXACT},
    {"gender", "NOT_SPECIFIED", "", "G_NOTSPEC_PREFIX", M_PREFIX},
    {"phone_type", "MOBILE", "", "PT_MOBILE", M_EXACT},
    {"phone_type", "LANDLINE", "", "PT_LAND", M_EXACT},
    {"residence_type", "HOME", "", "RT_HOME", M_EXACT},
    {"residence_type", "WORK", "", "RT_WORK", M_EXACT},
    {"residence_type", "MAILING", "", "RT_MAIL", M_EXACT},
    {"source", "SOURCE_OTHER_JOB_BOARD", "", "SRC_BOARD", M_PREFIX},
    {"source", "SOURCE_OTHER", "", "SRC_OTHER", M_PREFIX},
    {"country", "*", "", "COUNTRY_NAMES", M_EXACT},
    {"country_label", "-", "", "COUNTRYISH", M_WORDS},
    {"source_label", "-", "", "SOURCEISH", M_WORDS},
    {"placeholder", "-", "", "PLACEHOLDER", M_PREFIX},
    {"eeo_topic", "-", "", "EEO_TOPIC", M_WORDS},
    {"eeo_topic_short", "-", "", "EEO_TOPIC_SHORT", M_WORDS},
    {"eeo_section", "-", "", "EEO_SECTION", M_WORDS},
    {"apply", "-", "", "APPLY_WORDS", M_WORDS},
    {"search", "-", "", "SEARCH_WORDS", M_WORDS},
    {"newsletter", "-", "", "NEWSLETTER_WORDS", M_WORDS},
    {"login", "-", "", "LOGIN_WORDS", M_WORDS},
    {"contact", "-", "", "CONTACT_WORDS", M_WORDS},
    {"cookie_banner", "-", "", "BANNER_WORDS", M_WORDS},
    {"closed", "-", "", "CLOSED", M_WORDS},
    {"success", "-", "", "SUCCESS", M_WORDS},
    {"error", "-", "", "ERROR_WORDS", M_WORDS},
    {"honeypot_text", "-", "", "HONEYPOT_TEXT", M_WORDS},
    {"honeypot_name", "-", "", "HONEYPOT_NAMES", M_WORDS},
    {"required_mark", "-", "", "REQUIRED_MARKS", M_EXACT},
    {"optional_mark", "-", "", "OPTIONAL_MARKS", M_EXACT},
    {"choose_word", "-", "", "CHOOSE_WORDS", M_WORD},
    {"date_day", "-", "", "DATE_DAY", M_WORD},
    {"date_month", "-", "", "DATE_MONTH", M_WORD},
    {"date_year", "-", "", "DATE_YEAR", M_WORD},
    {"as_text_word", "-", "", "AS_TEXT_WORDS", M_WORD},
};
#define N_LISTS (sizeof LISTS / sizeof LISTS[0])

/* Kombo's question unified_key enum (kombo-ai-apply-openapi.json). */
static const char *const QUESTION_KEYS[] = {"EMAIL",
                                            "RESIDENCE_TYPE",
                                            "RESIDENCE_FULL_STRING",
                                            "RESIDENCE_COUNTRY",
                                            "RESIDENCE_CITY",
                                            "RESIDENCE_STATE",
                                            "RESIDENCE_LINE_1",
                                            "RESIDENCE_LINE_2",
                                            "RESIDENCE_ZIP_CODE",
                                            "APPLICANT_POOL_CONSENT",
                                            "TERMS_AND_CONDITIONS",
                                            "FIRST_NAME",
                                            "LAST_NAME",
                                            "FULL_NAME",
                                            "GENDER",
                                            "EXPECTED_START_DATE",
                                            "RESUME",
                                            "BIRTH_DATE",
                                            "PHONE_NUMBER_TYPE",
                                            "FULL_PHONE_NUMBER",
                                            "PHONE_COUNTRY_CODE",
                                            "PHONE_NATIONAL_NUMBER",
                                            "PHONE_EXTENSION",
                                            NULL};
/* Kombo's option unified_key enum, without the country codes. */
static const char *const OPTION_KEYS[] = {"HOME",
                                          "WORK",
                                          "MAILING",
                                          "MALE",
                                          "FEMALE",
                                          "NON_BINARY",
                                          "NOT_SPECIFIED",
                                          "MOBILE",
                                          "LANDLINE",
                                          "SOURCE_OTHER",
                                          "SOURCE_OTHER_JOB_BOARD",
                                          NULL};

/* ---- reading ----------------------------------------------------------------------------- */

typedef struct {
    size_t list;  /* index into LISTS */
    char *phrase; /* normalised */
    char code[3]; /* country entries: the ISO code */
    size_t file;  /* index into files */
    unsigned line;
} entry;

static const char **files;
static size_t n_files;
static entry *entries;
static size_t n_entries, cap_entries;
static size_t *per_file, *merged_per_file;
static unsigned n_errors;

static void error_at(size_t file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void error_at(size_t file, unsigned line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%u: ", files[file], line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (++n_errors == 100) {
        fprintf(stderr, "keysgen: too many errors, stopping\n");
        exit(1);
    }
}

static void *xalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "keysgen: out of memory\n");
        exit(2);
    }
    return p;
}

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int in_set(const char *s, const char *const *set)
{
    for (size_t i = 0; set[i]; i++)
        if (strcmp(s, set[i]) == 0)
            return 1;
    return 0;
}

/* Length of the UTF-8 sequence at s (at most n bytes), or 0 when it is not valid UTF-8. */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned *cp)
{
    size_t len;
    unsigned min;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    } else if ((s[0] & 0xE0) == 0xC0) {
        len = 2, min = 0x80, *cp = s[0] & 0x1Fu;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, min = 0x800, *cp = s[0] & 0x0Fu;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, *cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3Fu);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

/* Checks and folds a phrase for a list; returns the normalised phrase (malloc'd), or NULL
 * after reporting what is wrong. */
static char *norm_phrase(const char *raw, match_mode mode, const char *table, size_t file,
                         unsigned line)
{
    size_t n = strlen(raw);
    if (n == 0) {
        error_at(file, line, "empty phrase");
        return NULL;
    }
    const unsigned char *u = (const unsigned char *)raw;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = utf8_len(u + i, n - i, &cp);
        if (len == 0) {
            error_at(file, line, "phrase is not valid UTF-8");
            return NULL;
        }
        if (cp < 0x20 || cp == 0x7F) {
            error_at(file, line, "control character 0x%02X in the phrase%s", cp,
                     cp == '\r' ? " (save the file with Unix line ends)" : "");
            return NULL;
        }
        if (cp == '*' && i + 1 < n) {
            error_at(file, line, "'*' may only end a phrase");
            return NULL;
        }
        if (len > 1 && !uk_fold_is_letter(raw + i, len)) {
            error_at(file, line,
                     "'%.*s' (U+%04X) is not a letter uk_norm folds: the driver would read it "
                     "as a space (write punctuation in ASCII, letters in the Latin script)",
                     (int)len, raw + i, cp);
            return NULL;
        }
        i += len;
    }
    int star = raw[n - 1] == '*';
    if (star) {
        if (mode == M_EXACT || mode == M_WORD) {
            error_at(file, line, "'*' has no meaning in table '%s' (%s)", table,
                     mode == M_EXACT ? "its phrases are matched as the whole text"
                                     : "its phrases are matched as whole words");
            return NULL;
        }
        unsigned char before = n >= 2 ? u[n - 2] : ' ';
        int alnum = (before >= '0' && before <= '9') || (before >= 'a' && before <= 'z') ||
                    (before >= 'A' && before <= 'Z') || before >= 0x80;
        if (!alnum) {
            error_at(file, line, "'*' must directly follow a letter or digit");
            return NULL;
        }
        n--;
    }
    char *out = xalloc(2 * n + 3);
    size_t len = uk_fold(out, raw, n);
    if (len == 0) {
        error_at(file, line, "phrase has no letters or digits");
        free(out);
        return NULL;
    }
    if (mode == M_WORD && strchr(out, ' ')) {
        error_at(file, line, "table '%s' takes single words, not \"%s\"", table, out);
        free(out);
        return NULL;
    }
    if (star) {
        out[len] = '*';
        out[len + 1] = '\0';
    }
    return out;
}

static const table_def *find_table(const char *name)
{
    for (size_t i = 0; i < N_TABLES; i++)
        if (strcmp(TABLES[i].name, name) == 0)
            return &TABLES[i];
    return NULL;
}

/* The list an entry belongs to, or (size_t)-1 after reporting why there is none. */
static size_t find_list(const table_def *t, const char *key, const char *list, size_t file,
                        unsigned line)
{
    const size_t none = (size_t)-1;
    switch (t->keys) {
    case K_NONE:
        if (strcmp(key, "-") != 0) {
            error_at(file, line, "table '%s' takes no key: write '-' in the key column", t->name);
            return none;
        }
        break;
    case K_QUESTION:
        if (!in_set(key, QUESTION_KEYS)) {
            error_at(file, line, "unknown unified key '%s' (not one of Kombo's question keys)",
                     key);
            return none;
        }
        break;
    case K_OPTION:
        if (!in_set(key, OPTION_KEYS)) {
            error_at(file, line, "unknown unified key '%s' (not one of Kombo's option keys)", key);
            return none;
        }
        break;
    case K_COUNTRY:
        if (!oa_country_valid(key)) {
            error_at(file, line,
                     "unknown country code '%s' (not an ISO 3166-1 alpha-2 code of Kombo's "
                     "enum, src/core/countries.c)",
                     key);
            return none;
        }
        break;
    }
    int key_seen = 0;
    for (size_t i = 0; i < N_LISTS; i++) {
        if (strcmp(LISTS[i].table, t->name) != 0)
            continue;
        if (t->keys != K_COUNTRY && strcmp(LISTS[i].key, key) != 0)
            continue;
        key_seen = 1;
        if (strcmp(LISTS[i].list, list) == 0)
            return i;
    }
    if (!key_seen) {
        char keys[1024] = "";
        size_t kl = 0;
        for (size_t i = 0; i < N_LISTS; i++)
            if (strcmp(LISTS[i].table, t->name) == 0 &&
                !(i > 0 && strcmp(LISTS[i - 1].table, t->name) == 0 &&
                  strcmp(LISTS[i - 1].key, LISTS[i].key) == 0))
                kl += (size_t)snprintf(keys + kl, sizeof keys - kl, "%s%s", kl ? ", " : "",
                                       LISTS[i].key);
        error_at(file, line, "table '%s' has no list for %s (its keys: %s)", t->name, key, keys);
    } else if (t->keys == K_QUESTION && strcmp(t->name, "label") == 0) {
        char lists[256] = "";
        size_t ll = 0;
        for (size_t i = 0; i < N_LISTS; i++)
            if (strcmp(LISTS[i].table, t->name) == 0 && strcmp(LISTS[i].key, key) == 0)
                ll += (size_t)snprintf(lists + ll, sizeof lists - ll, "%s%s", ll ? ", " : "",
                                       *LISTS[i].list ? LISTS[i].list : "(none)");
        error_at(file, line, "%s has no '%s' list in table '%s' (its lists: %s)", key, list,
                 t->name, lists);
    } else {
        error_at(file, line, "table '%s' takes no fourth column", t->name);
    }
    return none;
}

/* Adds an entry unless it is a duplicate; reports duplicates within a file and conflicts. */
static void add_entry(size_t list, char *phrase, const char *code, size_t file, unsigned line)
{
    const table_def *t = find_table(LISTS[list].table);
    for (size_t i = 0; i < n_entries; i++) {
        const entry *e = &entries[i];
        if (strcmp(e->phrase, phrase) != 0 || strcmp(LISTS[e->list].table, t->name) != 0)
            continue;
        int same = e->list == list && (t->keys != K_COUNTRY || strcmp(e->code, code) == 0);
        if (same && e->file == file) {
            error_at(file, line, "duplicate of line %u (%s \"%s\")", e->line, t->name, phrase);
        } else if (same) {
            /* The same word in two languages ("telefon" in de and sv): listed once, where it
             * came first. */
            merged_per_file[file]++;
            per_file[file]++;
        } else if (t->exclusive) {
            const char *other = t->keys == K_COUNTRY ? e->code : LISTS[e->list].key;
            const char *other_list = LISTS[e->list].list;
            error_at(file, line, "\"%s\" is already %s%s%s in table '%s' at %s:%u", phrase, other,
                     *other_list ? " " : "", other_list, t->name, files[e->file], e->line);
        } else {
            continue; /* the same veto word for two keys */
        }
        free(phrase);
        return;
    }
    if (n_entries == cap_entries) {
        cap_entries = cap_entries ? 2 * cap_entries : 1024;
        entry *ne = xalloc(cap_entries * sizeof *ne);
        if (n_entries)
            memcpy(ne, entries, n_entries * sizeof *ne);
        free(entries);
        entries = ne;
    }
    entry *e = &entries[n_entries++];
    e->list = list;
    e->phrase = phrase;
    memset(e->code, 0, sizeof e->code);
    if (code)
        memcpy(e->code, code, 2);
    e->file = file;
    e->line = line;
    per_file[file]++;
}

static int blank_or_comment(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0' || *s == '#';
}

static void read_file(size_t file)
{
    FILE *f = fopen(files[file], "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %m\n", files[file]);
        n_errors++;
        return;
    }
    char *buf = NULL;
    size_t cap = 0;
    ssize_t got;
    unsigned line = 0;
    while ((got = getline(&buf, &cap, f)) >= 0) {
        line++;
        if (got > 0 && buf[got - 1] == '\n')
            buf[--got] = '\0';
        if ((size_t)got != strlen(buf)) {
            error_at(file, line, "NUL byte in the line");
            continue;
        }
        if (blank_or_comment(buf))
            continue;
        char *col[5];
        size_t n = 0;
        for (char *p = buf;; p++) {
            char *tab = strchr(p, '\t');
            if (n < 5)
                col[n] = p;
            n++;
            if (!tab)
                break;
            *tab = '\0';
            p = tab;
        }
        if (n != 3 && n != 4) {
            error_at(file, line,
                     "expected 3 or 4 tab-separated columns (table, key, phrase[, list]), "
                     "found %zu",
                     n);
            continue;
        }
        const table_def *t = find_table(col[0]);
        if (!t) {
            error_at(file, line, "unknown table '%s' (see src/drivers/keys/README.md)", col[0]);
            continue;
        }
        const char *list_name = n == 4 ? col[3] : "";
        if (n == 4 && !*list_name) {
            error_at(file, line, "empty fourth column (leave it out for the main list)");
            continue;
        }
        size_t list = find_list(t, col[1], list_name, file, line);
        if (list == (size_t)-1)
            continue;
        char *phrase = norm_phrase(col[2], LISTS[list].mode, t->name, file, line);
        if (phrase)
            add_entry(list, phrase, t->keys == K_COUNTRY ? col[1] : NULL, file, line);
    }
    if (ferror(f)) {
        fprintf(stderr, "%s: read error: %m\n", files[file]);
        n_errors++;
    }
    free(buf);
    fclose(f);
}

/* ---- writing ----------------------------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    return strcmp(x->phrase, y->phrase);
}

static void emit(FILE *o)
{
    fprintf(o, "/* Generated by keysgen (tools/keysgen.c) from");
    for (size_t i = 0; i < n_files; i++)
        fprintf(o, " %s", basename_of(files[i]));
    fprintf(o, "\n * in src/drivers/keys. Do not edit: edit the .tsv files. */\n"
               "#ifndef OA_UK_TABLES_H\n#define OA_UK_TABLES_H\n\n");
    for (size_t l = 0; l < N_LISTS; l++) {
        if (strcmp(LISTS[l].table, "country") == 0)
            continue;
        fprintf(o, "/* %s %s%s%s */\nstatic const char *const %s[] = {\n", LISTS[l].table,
                LISTS[l].key, *LISTS[l].list ? " " : "", LISTS[l].list, LISTS[l].symbol);
        for (size_t i = 0; i < n_entries; i++)
            if (entries[i].list == l)
                fprintf(o, "    \"%s\", /* %s:%u */\n", entries[i].phrase,
                        basename_of(files[entries[i].file]), entries[i].line);
        fprintf(o, "    NULL};\n\n");
    }
    /* Country names, sorted by strcmp for a binary search. */
    size_t n = 0;
    const entry **c = xalloc(n_entries * sizeof *c);
    for (size_t i = 0; i < n_entries; i++)
        if (strcmp(LISTS[entries[i].list].table, "country") == 0)
            c[n++] = &entries[i];
    qsort(c, n, sizeof *c, by_name);
    fprintf(o,
            "/* country CODE: every name, sorted */\n"
            "typedef struct {\n    const char *name;\n    const char *code;\n"
            "} uk_country_name;\n"
            "static const size_t COUNTRY_NAMES_N = %zu;\n"
            "static const uk_country_name COUNTRY_NAMES[] = {\n",
            n);
    for (size_t i = 0; i < n; i++)
        fprintf(o, "    {\"%s\", \"%s\"}, /* %s:%u */\n", c[i]->phrase, c[i]->code,
                basename_of(files[c[i]->file]), c[i]->line);
    fprintf(o, "    {NULL, NULL}};\n\n#endif\n");
    free(c);
}

/* Writes OUT.tmp and renames it to out, so a failed run leaves no half-written header. */
static int write_out(const char *out)
{
    size_t ol = strlen(out);
    char *tmp = xalloc(ol + 5);
    memcpy(tmp, out, ol);
    memcpy(tmp + ol, ".tmp", 5);
    int rc = 0;
    FILE *o = fopen(tmp, "w");
    if (!o) {
        fprintf(stderr, "%s: cannot create: %m\n", tmp);
        rc = 1;
    } else {
        emit(o);
        int bad = ferror(o);
        if (fclose(o) != 0 || bad || rename(tmp, out) != 0) {
            fprintf(stderr, "%s: cannot write: %m\n", out);
            remove(tmp);
            rc = 1;
        }
    }
    free(tmp);
    return rc;
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    int stats = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "-s") == 0) {
            stats = 1;
        } else {
            fprintf(stderr, "usage: keysgen [-o OUT.h] [-s] FILE.tsv...\n");
            return 2;
        }
    }
    if (i == argc) {
        fprintf(stderr, "usage: keysgen [-o OUT.h] [-s] FILE.tsv...\n");
        return 2;
    }
    files = (const char **)(argv + i);
    n_files = (size_t)(argc - i);
    per_file = xalloc(n_files * sizeof *per_file);
    merged_per_file = xalloc(n_files * sizeof *merged_per_file);
    memset(per_file, 0, n_files * sizeof *per_file);
    memset(merged_per_file, 0, n_files * sizeof *merged_per_file);
    for (size_t f = 0; f < n_files; f++)
        read_file(f);
    int rc = 0;
    if (n_errors) {
        fprintf(stderr, "keysgen: %u error%s, %s not written\n", n_errors, n_errors == 1 ? "" : "s",
                out ? out : "nothing");
        rc = 1;
    }
    if (!rc && stats) {
        for (size_t f = 0; f < n_files; f++)
            printf("%s\t%zu entries\t%zu shared with an earlier file\n", basename_of(files[f]),
                   per_file[f], merged_per_file[f]);
        printf("total\t%zu distinct entries\n", n_entries);
    }
    if (!rc && out)
        rc = write_out(out);
    for (size_t k = 0; k < n_entries; k++)
        free(entries[k].phrase);
    free(entries);
    free(per_file);
    free(merged_per_file);
    return rc;
}
