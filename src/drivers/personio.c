/*
 * personio.c - the Personio connector, from Personio's Recruiting API description
 * (github.com/personio/api-docs, personio-recruiting-api.yaml).
 *
 * Read: GET {base}/xml?language={de|en|fr|es|nl|it|pt} (no auth), the career site's feed of
 * open positions: <workzag-jobs><position><id>..</id><name>..</name>...</position>...
 * </workzag-jobs>. The posting is the position with the URL's id; one that is not in the feed
 * is closed. The feed describes no application form, so the form is what the Recruiting API
 * takes: first and last name and email (required), phone, CV, a message, and the system
 * attributes available_from and salary_expectations. The language is the posting URL's
 * ?language=, else the career site's connectors.personio.language, else en.
 *
 * Submit, with the career site's Recruiting API token (connectors.personio.api_key, sent as
 * Authorization: Bearer) and company id (connectors.personio.company_id, X-Company-ID): the CV
 * first, POST {api}/v1/recruiting/applications/documents (multipart "file", at most 20 MB) ->
 * {uuid, ...}, an upload that is not an application; then the application, POST
 * {api}/v1/recruiting/applications, JSON {first_name, last_name, email, job_position_id,
 * message, attributes: [{id, value}], files: [{uuid, original_filename, category: "cv"}]}.
 * 201 is success. {api} is https://api.personio.de, or the --connector-base, which then
 * serves the feed and the API under one root. Without the credentials the application goes
 * to review.
 *
 * URLs: {company}.jobs.personio.de/job/{id} and {company}.jobs.personio.com/job/{id}. The
 * default root of the feed is the posting's own host.
 *
 * The feed is read by a small XML scanner of its own: elements, text, CDATA, comments and
 * processing instructions; no DTDs, no entities beyond the five predefined and character
 * references; at most 32 levels deep; a document that ends early is an error, never a
 * position that is not there.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/ats.h"
#include "util/buf.h"

static const drv_url_rule RULES[] = {
    {"{account}.jobs.personio.de", "/job/{job}", NULL},
    {"{account}.jobs.personio.com", "/job/{job}", NULL},
    {NULL, NULL, NULL},
};

static const char *const SETTINGS[] = {"api_key", "company_id", "language", NULL};
static const char *const TYPES[] = {"xml", NULL};
static const char *const LANGUAGES[] = {"de", "en", "fr", "es", "nl", "it", "pt", NULL};

#define ATTR     "attribute:" /* a system attribute: attribute:{id} */
#define CV       "cv"
#define MAX_FILE ((size_t)20 << 20)

static const ats_name_key NAMES[] = {
    {"first_name", "FIRST_NAME"},
    {"last_name", "LAST_NAME"},
    {"email", "EMAIL"},
    {ATTR "phone", "FULL_PHONE_NUMBER"},
    {CV, "RESUME"},
    {ATTR "available_from", "EXPECTED_START_DATE"},
    {NULL, NULL},
};

/* The URL's position id when it is a number Personio can take, else NULL. */
static const char *position_id(const drv_ctx *c)
{
    const char *id = c->target->parts[DRV_PART_JOB];
    size_t n = id ? strspn(id, "0123456789") : 0;
    return n && n <= 18 && id[n] == '\0' ? id : NULL;
}

static bool known_language(const char *s, size_t n)
{
    for (const char *const *l = LANGUAGES; *l; l++)
        if (n == 2 && strncmp(s, *l, 2) == 0)
            return true;
    return false;
}

/* The posting URL's ?language=, else the setting, else "en". */
static const char *language(const drv_ctx *c, char buf[3])
{
    const char *q = c->posting_url ? strchr(c->posting_url, '?') : NULL;
    for (const char *p = q; p && *p; p = strchr(p + 1, '&')) {
        const char *v = p + 1;
        if (strncmp(v, "language=", 9) == 0 && known_language(v + 9, strcspn(v + 9, "&#"))) {
            memcpy(buf, v + 9, 2);
            buf[2] = '\0';
            return buf;
        }
    }
    const char *s = ats_setting(c, "language");
    return s && known_language(s, strlen(s)) ? s : "en";
}

static oa_status ps_form_request(const drv_ctx *c, drv_request *out, char **why)
{
    *why = NULL;
    if (!c->base || !position_id(c)) {
        *why = xstrdup("the URL names no Personio position");
        return OA_INVALID;
    }
    char lang[3];
    out->url = xasprintf("%s/xml?language=%s", c->base, language(c, lang));
    drv_request_header(out, "Accept", "application/xml");
    return OA_OK;
}

/* ---- the feed ---- */

#define XML_MAX_DEPTH 32
#define XML_MAX_NAME  64

typedef struct {
    const char *want; /* the position id */
    int depth;
    char stack[XML_MAX_DEPTH][XML_MAX_NAME];
    bool in_position, capture;
    oa_buf text;      /* the text of the position's child being read */
    char *id, *name;  /* of the position being read */
    char *found_name; /* the wanted position's name, once found */
    bool found;
    size_t positions;
    char *why;
} feed;

static const char *find(const char *s, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = s; p + n <= end; p++)
        if (memcmp(p, needle, n) == 0)
            return p;
    return NULL;
}

static int line_of(const char *start, const char *p)
{
    int line = 1;
    for (const char *q = start; q < p; q++)
        line += *q == '\n';
    return line;
}

/* Appends what fits under the buffer's limit (a longer text is cut there). */
static void put(oa_buf *b, const void *p, size_t n)
{
    if (oa_buf_append(b, p, n) != OA_OK)
        return; /* past the limit: the rest is left out */
}

/* Appends text with the predefined entities and character references decoded. */
static void append_decoded(oa_buf *b, const char *s, size_t n)
{
    static const struct {
        const char *name;
        char c;
    } ENT[] = {{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}};
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '&') {
            bool done = false;
            for (size_t k = 0; k < OA_ARRAY_LEN(ENT) && !done; k++) {
                size_t l = strlen(ENT[k].name);
                if (n - i - 1 >= l && memcmp(s + i + 1, ENT[k].name, l) == 0) {
                    put(b, &ENT[k].c, 1);
                    i += l;
                    done = true;
                }
            }
            if (!done && i + 2 < n && s[i + 1] == '#') {
                bool hex = s[i + 2] == 'x';
                size_t j = i + 2 + hex;
                unsigned long v = 0;
                while (j < n && j < i + 10 &&
                       (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j]))) {
                    v = v * (hex ? 16 : 10) +
                        (unsigned long)(isdigit((unsigned char)s[j])
                                            ? s[j] - '0'
                                            : (tolower((unsigned char)s[j]) - 'a' + 10));
                    j++;
                }
                if (j < n && s[j] == ';' && v >= 0x20 && v < 0x7f) {
                    char ch = (char)v;
                    put(b, &ch, 1);
                    i = j;
                    done = true;
                } else if (j < n && s[j] == ';' && v >= 0x80 && v <= 0x10ffff) {
                    char u[4];
                    size_t ul = v < 0x800 ? 2 : v < 0x10000 ? 3 : 4;
                    if (ul == 2) {
                        u[0] = (char)(0xc0 | (v >> 6));
                        u[1] = (char)(0x80 | (v & 0x3f));
                    } else if (ul == 3) {
                        u[0] = (char)(0xe0 | (v >> 12));
                        u[1] = (char)(0x80 | ((v >> 6) & 0x3f));
                        u[2] = (char)(0x80 | (v & 0x3f));
                    } else {
                        u[0] = (char)(0xf0 | (v >> 18));
                        u[1] = (char)(0x80 | ((v >> 12) & 0x3f));
                        u[2] = (char)(0x80 | ((v >> 6) & 0x3f));
                        u[3] = (char)(0x80 | (v & 0x3f));
                    }
                    put(b, u, ul);
                    i = j;
                    done = true;
                }
            }
            if (done)
                continue;
        }
        put(b, s + i, 1);
    }
}

/* The text without surrounding white space (malloc'd). */
static char *trimmed(const oa_buf *b)
{
    const char *s = oa_buf_cstr(b);
    size_t n = b->len;
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return xstrndup(s, n);
}

static bool on_start(feed *f, const char *name)
{
    if (f->depth == 1 && strcmp(name, "workzag-jobs") != 0) {
        f->why = xasprintf("the feed's root is <%.40s>, not <workzag-jobs> (not a Personio "
                           "XML feed)",
                           name);
        return false;
    }
    if (f->depth == 2 && strcmp(name, "position") == 0) {
        f->in_position = true;
        f->positions++;
        free(f->id);
        free(f->name);
        f->id = f->name = NULL;
    }
    if (f->depth == 3 && f->in_position && (strcmp(name, "id") == 0 || strcmp(name, "name") == 0)) {
        f->capture = true;
        f->text.len = 0;
        if (f->text.data)
            f->text.data[0] = '\0';
    }
    return true;
}

static void on_end(feed *f, const char *name)
{
    if (f->depth == 3 && f->capture) {
        char **dst = strcmp(name, "id") == 0 ? &f->id : &f->name;
        free(*dst);
        *dst = trimmed(&f->text);
        f->capture = false;
    }
    if (f->depth == 2 && f->in_position) {
        f->in_position = false;
        if (f->id && strcmp(f->id, f->want) == 0 && !f->found) {
            f->found = true;
            f->found_name = f->name ? xstrdup(f->name) : NULL;
        }
    }
}

static void on_text(feed *f, const char *s, size_t n, bool raw)
{
    if (!f->capture || f->text.len > 4096)
        return;
    if (raw)
        put(&f->text, s, n);
    else
        append_decoded(&f->text, s, n);
}

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' || c == ':' ||
           (unsigned char)c >= 0x80;
}

/* Scans the feed; false with f->why on anything that is not well-formed. */
static bool scan(feed *f, const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    bool root_seen = false;
#define FAIL(...)                                                                                  \
    do {                                                                                           \
        char *m_ = xasprintf(__VA_ARGS__);                                                         \
        f->why = xasprintf("the feed is not well-formed XML (line %d: %s)", line_of(s, p), m_);    \
        free(m_);                                                                                  \
        return false;                                                                              \
    } while (0)
    while (p < end) {
        if (*p != '<') {
            const char *lt = memchr(p, '<', (size_t)(end - p));
            const char *stop = lt ? lt : end;
            if (f->depth == 0 && p == s && stop - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
                p += 3; /* a byte order mark */
            for (const char *q = p; f->depth == 0 && q < stop; q++)
                if (!isspace((unsigned char)*q))
                    FAIL("text outside the root element");
            on_text(f, p, (size_t)(stop - p), false);
            p = stop;
            continue;
        }
        if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
            const char *e = find(p + 9, end, "]]>");
            if (!e)
                FAIL("a CDATA section that does not end");
            on_text(f, p + 9, (size_t)(e - p - 9), true);
            p = e + 3;
            continue;
        }
        if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            const char *e = find(p + 4, end, "-->");
            if (!e)
                FAIL("a comment that does not end");
            p = e + 3;
            continue;
        }
        if (end - p >= 2 && p[1] == '?') {
            const char *e = find(p + 2, end, "?>");
            if (!e)
                FAIL("a processing instruction that does not end");
            p = e + 2;
            continue;
        }
        if (end - p >= 2 && p[1] == '!') {
            const char *e = memchr(p, '>', (size_t)(end - p));
            if (!e || memchr(p, '[', (size_t)(e - p)))
                FAIL("a document type declaration (not read)");
            p = e + 1;
            continue;
        }
        bool closing = end - p >= 2 && p[1] == '/';
        const char *nm = p + 1 + closing, *q = nm;
        while (q < end && name_char(*q))
            q++;
        size_t nl = (size_t)(q - nm);
        if (q >= end)
            FAIL("the document ends inside a tag (truncated?)");
        if (nl == 0 || nl >= XML_MAX_NAME)
            FAIL("a tag without a proper name");
        char name[XML_MAX_NAME];
        memcpy(name, nm, nl);
        name[nl] = '\0';
        /* The rest of the tag: attributes (skipped, quotes respected) up to '>'. */
        char quote = 0;
        while (q < end && (quote || *q != '>')) {
            if (quote && *q == quote)
                quote = 0;
            else if (!quote && (*q == '"' || *q == '\''))
                quote = *q;
            else if (!quote && *q == '<')
                FAIL("'<' inside the tag <%s>", name);
            q++;
        }
        if (q >= end)
            FAIL("the tag <%s> does not end (truncated?)", name);
        bool empty = !closing && q[-1] == '/';
        p = q + 1;
        if (closing) {
            if (f->depth == 0 || strcmp(f->stack[f->depth - 1], name) != 0)
                FAIL("</%s> closes <%s>", name, f->depth ? f->stack[f->depth - 1] : "nothing");
            on_end(f, name);
            f->depth--;
            continue;
        }
        if (f->depth == 0 && root_seen)
            FAIL("a second root element <%s>", name);
        if (f->depth == XML_MAX_DEPTH) {
            free(f->why);
            f->why = xasprintf("the feed nests deeper than %d levels", XML_MAX_DEPTH);
            return false;
        }
        root_seen = true;
        memcpy(f->stack[f->depth++], name, nl + 1);
        if (!on_start(f, name))
            return false;
        if (empty) {
            on_end(f, name);
            f->depth--;
        }
    }
    if (f->depth)
        FAIL("the document ends inside <%s> (truncated?)", f->stack[f->depth - 1]);
    if (!root_seen)
        FAIL("no root element");
    return true;
#undef FAIL
}

static void standard(oa_form *f)
{
    ats_question(&f->blocks, &f->n_blocks, "First name", true, OA_Q_TEXT, OA_CTL_TEXT,
                 "first_name");
    ats_question(&f->blocks, &f->n_blocks, "Last name", true, OA_Q_TEXT, OA_CTL_TEXT, "last_name");
    oa_block *q =
        ats_question(&f->blocks, &f->n_blocks, "Email", true, OA_Q_TEXT, OA_CTL_TEXT, "email");
    q->input_type = xstrdup("email");
    q = ats_question(&f->blocks, &f->n_blocks, "Phone", false, OA_Q_TEXT, OA_CTL_TEXT,
                     ATTR "phone");
    q->input_type = xstrdup("tel");
    q = ats_question(&f->blocks, &f->n_blocks, "CV", false, OA_Q_FILE, OA_CTL_FILE, CV);
    q->accept = xstrdup(".pdf,.doc,.docx,.odt,.rtf,.txt,.jpg,.png");
    ats_question(&f->blocks, &f->n_blocks, "Message", false, OA_Q_TEXT, OA_CTL_TEXT, "message");
    ats_question(&f->blocks, &f->n_blocks, "Available from", false, OA_Q_DATE, OA_CTL_TEXT,
                 ATTR "available_from");
    ats_question(&f->blocks, &f->n_blocks, "Salary expectations", false, OA_Q_TEXT, OA_CTL_TEXT,
                 ATTR "salary_expectations");
}

static oa_status ps_extract(const drv_ctx *c, const char *body, size_t len, const char *url,
                            drv_page_kind *kind, oa_form *out, char **why)
{
    OA_UNUSED(url);
    memset(out, 0, sizeof *out);
    *kind = DRV_PAGE_NO_FORM;
    *why = NULL;
    if (len > DRV_MAX_PAGE_BYTES) {
        *why = xasprintf("the feed is larger than %zu bytes", (size_t)DRV_MAX_PAGE_BYTES);
        return OA_TOO_LARGE;
    }
    const char *want = c ? position_id(c) : NULL;
    if (!want) {
        *why = xstrdup("the posting names no Personio position");
        return OA_OK;
    }
    feed f = {.want = want};
    oa_buf_init(&f.text, 4096 + 64);
    bool ok = scan(&f, body, len);
    oa_buf_free(&f.text);
    free(f.id);
    free(f.name);
    if (!ok) {
        *why = f.why;
        free(f.found_name);
        return OA_INVALID;
    }
    if (!f.found) {
        *kind = DRV_PAGE_CLOSED;
        *why = xasprintf("position %s is not in the career site's feed (%zu open positions)", want,
                         f.positions);
        return OA_OK;
    }
    free(f.found_name);
    standard(out);
    ats_assign_keys(out, NAMES);
    out->method = xstrdup("POST");
    out->enctype = xstrdup("application/json");
    *kind = DRV_PAGE_FORM;
    return OA_OK;
}

/* ---- submitting ---- */

/* Both credentials, or OA_DENIED naming what is missing. */
static oa_status credentials(const drv_ctx *c, const char **key, const char **company, char **why)
{
    *key = ats_setting(c, "api_key");
    *company = ats_setting(c, "company_id");
    if (*key && *company)
        return OA_OK;
    *why = xasprintf("Personio accepts applications only with the employer's Recruiting API "
                     "token and company id; set %s%s%s on the career site, or apply by hand",
                     *key ? "" : "connectors.personio.api_key", !*key && !*company ? " and " : "",
                     *company ? "" : "connectors.personio.company_id");
    return OA_DENIED;
}

static void auth(drv_request *r, const char *key, const char *company)
{
    char *v = xasprintf("Bearer %s", key);
    drv_request_header(r, "Authorization", v);
    memset(v, 0, strlen(v));
    free(v);
    drv_request_header(r, "X-Company-ID", company);
    drv_request_header(r, "Accept", "application/json");
}

static const char *api_root(const drv_ctx *c)
{
    return c->submit_base ? c->submit_base : c->base;
}

static bool answered(const oa_answers *answers, size_t i)
{
    const oa_block *q = answers->items[i].q;
    const json_t *a = answers->items[i].answer;
    return q && a && !json_is_null(a) && q->field_name && *q->field_name;
}

/* The k-th answered file question, or -1. */
static ssize_t nth_file(const oa_answers *answers, size_t k)
{
    for (size_t i = 0; answers && i < answers->n; i++)
        if (answered(answers, i) && answers->items[i].q->type == OA_Q_FILE && k-- == 0)
            return (ssize_t)i;
    return -1;
}

static oa_status ps_upload_request(const drv_ctx *c, const oa_form *fresh,
                                   const oa_answers *answers, drv_request *out, char **why)
{
    OA_UNUSED(fresh);
    *why = NULL;
    const char *key, *company;
    oa_status rc = credentials(c, &key, &company, why);
    if (rc != OA_OK)
        return rc;
    ssize_t i = nth_file(answers, c->n_replies);
    if (i < 0)
        return OA_NOT_FOUND;
    const oa_block *q = answers->items[i].q;
    drv_fields tmp = {0};
    char *err = drv_answer_fields(&tmp, q, answers->items[i].answer);
    if (!err && (tmp.n != 1 || !tmp.items[0].is_file))
        err = xstrdup("expected one file");
    if (!err && tmp.items[0].len > MAX_FILE)
        err = xstrdup("Personio takes documents of at most 20 MB");
    if (err) {
        *why = xasprintf("question %s (\"%.60s\"): %s", q->question_id, q->label, err);
        free(err);
        drv_fields_free(&tmp);
        return OA_INVALID;
    }
    free(tmp.items[0].name);
    tmp.items[0].name = xstrdup("file");
    out->fields = tmp;
    out->body = DRV_BODY_MULTIPART;
    out->url = xasprintf("%s/v1/recruiting/applications/documents", api_root(c));
    auth(out, key, company);
    return OA_OK;
}

/* The uuid the documents endpoint answered (malloc'd), or NULL with *why. */
static char *document_uuid(const drv_reply *r, char **why)
{
    json_t *j = NULL;
    if (ats_json_object(r->body, r->len, &j, why) != OA_OK)
        return NULL;
    const char *u = ats_str(j, "uuid");
    char *out = u && *u && strlen(u) <= 100 ? xstrdup(u) : NULL;
    json_decref(j);
    if (!out)
        *why = xstrdup("the documents endpoint answered without a uuid");
    return out;
}

static oa_status ps_submission(const drv_ctx *c, const oa_form *revision, const oa_form *fresh,
                               const oa_answers *answers, drv_request *out, char **why)
{
    OA_UNUSED(revision);
    OA_UNUSED(fresh);
    *why = NULL;
    const char *key, *company;
    oa_status rc = credentials(c, &key, &company, why);
    if (rc != OA_OK)
        return rc;
    const char *id = position_id(c);
    if (!id) {
        *why = xstrdup("the URL names no Personio position");
        return OA_INVALID;
    }
    json_t *body = json_object(), *attrs = json_array(), *files = json_array();
    json_object_set_new(body, "job_position_id", json_integer(strtoll(id, NULL, 10)));
    size_t n_files = 0;
    for (size_t i = 0; rc == OA_OK && answers && i < answers->n; i++) {
        if (!answered(answers, i))
            continue;
        const oa_block *q = answers->items[i].q;
        const json_t *a = answers->items[i].answer;
        if (q->type == OA_Q_FILE) {
            if (n_files >= c->n_replies) {
                *why = xstrdup("a document was not uploaded first");
                rc = OA_INVALID;
                continue;
            }
            char *uuid = document_uuid(&c->replies[n_files++], why);
            if (!uuid) {
                rc = OA_INVALID;
                continue;
            }
            const char *fname = json_string_value(json_object_get(a, "name"));
            json_array_append_new(files, json_pack("{ssssss}", "uuid", uuid, "original_filename",
                                                   fname ? fname : "cv", "category", CV));
            free(uuid);
            continue;
        }
        char *err = NULL;
        json_t *v = ats_answer_json(q, a, false, &err);
        if (!v) {
            *why = xasprintf("question %s (\"%.60s\"): %s", q->question_id, q->label, err);
            free(err);
            rc = OA_INVALID;
            continue;
        }
        if (strncmp(q->field_name, ATTR, strlen(ATTR)) == 0)
            json_array_append_new(
                attrs, json_pack("{sssO}", "id", q->field_name + strlen(ATTR), "value", v));
        else
            json_object_set(body, q->field_name, v);
        json_decref(v);
    }
    if (json_array_size(attrs))
        json_object_set(body, "attributes", attrs);
    if (json_array_size(files))
        json_object_set(body, "files", files);
    json_decref(attrs);
    json_decref(files);
    if (rc == OA_OK) {
        out->url = xasprintf("%s/v1/recruiting/applications", api_root(c));
        out->raw = json_dumps(body, JSON_COMPACT);
        out->raw_len = out->raw ? strlen(out->raw) : 0;
        out->raw_type = xstrdup("application/json");
        out->body = DRV_BODY_RAW;
        auth(out, key, company);
        if (!out->raw) {
            *why = xstrdup("the submission could not be encoded");
            rc = OA_INVALID;
        }
    }
    json_decref(body);
    return rc;
}

const drv_driver drv_personio = {
    .name = "personio",
    .rules = RULES,
    .default_base = "https://{host}",
    .default_submit_base = "https://api.personio.de",
    .content_types = TYPES,
    .settings = SETTINGS,
    .form_request = ps_form_request,
    .closed = drv_closed_gone,
    .extract = ps_extract,
    .upload_request = ps_upload_request,
    .submission = ps_submission,
    .classify = ats_classify,
};
