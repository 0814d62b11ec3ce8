/*
 * driver.h - career-site drivers: a page becomes a form, a form plus answers becomes a
 * submission, and a submission's answer becomes an outcome.
 *
 * Drivers do no network I/O themselves: jobs/ fetches pages and posts submissions (through
 * drivers/fetch.h) and hands the bytes to a driver. That keeps every driver testable on saved
 * pages. The generic HTML driver (html_form.c, html_submit.c) is the fallback; ATS connectors
 * (greenhouse.c, recruitee.c, ...) say which URLs they recognise as rules (data), where their
 * API is, how to read a form from it, how to submit and how a closed job shows. registry.c
 * holds the table and matches a posting URL to its driver.
 *
 * A form is read with one request, or a short chain of them when the vendor splits it (the
 * posting, then its questions: next_request); a submission is one request, after optional
 * uploads that are not the application (upload_request). The jobs run every chain the same
 * way and keep the at-most-once rule for the submission alone.
 */
#ifndef OA_DRIVERS_DRIVER_H
#define OA_DRIVERS_DRIVER_H

#include "core/form.h"
#include "util/oa.h"

/* What a fetched page says about the posting. */
typedef enum {
    DRV_PAGE_FORM = 0, /* an application form was found and extracted */
    DRV_PAGE_NO_FORM,  /* the page is there but holds no application form we can use */
    DRV_PAGE_CLOSED,   /* the page says the job is closed / no longer available */
} drv_page_kind;

/* One field of a submission, in the site's own names and values. */
typedef struct {
    char *name;  /* owned */
    char *value; /* owned: text value (NULL for files) */
    bool is_file;
    char *filename;     /* owned, files only */
    char *content_type; /* owned, files only */
    uint8_t *data;      /* owned, files only */
    size_t len;         /* files only */
} drv_field;

typedef struct {
    drv_field *items; /* owned array */
    size_t n;
} drv_fields;

/* How the site answered a submission. */
typedef enum {
    DRV_SUBMITTED = 0, /* 2xx/3xx without an error marker */
    DRV_REJECTED,      /* 4xx, or a page that shows validation errors: needs a human */
    DRV_TRANSIENT,     /* 5xx (or 429): worth retrying later */
} drv_outcome;

/* ---- the registry ----------------------------------------------------------------------- */

/* The parts of a posting URL a driver's rules capture. */
enum {
    DRV_PART_ACCOUNT = 0, /* {account}: board token, company, site, tenant */
    DRV_PART_JOB,         /* {job}: the job's id, slug or uuid */
    DRV_PART_SITE,        /* {site}: a second name (a Workday career site) */
    DRV_PART_REST,        /* {rest}: the rest of the path ("**") */
    DRV_PART_HOST,        /* the URL's host (always set) */
    DRV_N_PARTS
};

/*
 * One URL pattern of a driver, as data. host: a host name where a label may be "*" (any one
 * label) or "{account}" (captured), e.g. "{account}.recruitee.com"; NULL matches any host.
 * path: segments separated by '/', where "{name}" captures one segment, "*" matches one,
 * and a last "**" (or "{rest}") takes the rest; a path may end with '/' optional; NULL matches
 * any path. query: "name={part}&name2={part}" captures query parameters, each required.
 * Parts are named account, job, site, rest.
 */
typedef struct {
    const char *host;
    const char *path;
    const char *query;
} drv_url_rule;

typedef struct drv_driver drv_driver;

/* A posting URL matched to its driver. */
typedef struct {
    const drv_driver *driver;
    char *parts[DRV_N_PARTS]; /* owned, NULL when not captured */
} drv_target;

/* A request to send: the form to read, or the submission. */
typedef enum {
    DRV_BODY_NONE = 0,   /* GET */
    DRV_BODY_URLENCODED, /* POST fields as application/x-www-form-urlencoded */
    DRV_BODY_MULTIPART,  /* POST fields as multipart/form-data */
    DRV_BODY_RAW,        /* POST raw bytes with raw_type (JSON) */
} drv_body_kind;

#define DRV_MAX_HEADERS 8

typedef struct {
    char *url; /* owned */
    /* owned "Name: value" lines. They may carry credentials: never log them. */
    char *headers[DRV_MAX_HEADERS];
    size_t n_headers;
    drv_body_kind body;
    drv_fields fields; /* URLENCODED / MULTIPART */
    char *raw;         /* owned, RAW */
    size_t raw_len;
    char *raw_type; /* owned, RAW: its content type */
    char *referer;  /* owned, or NULL */
} drv_request;

/* The answer to an earlier request of the same chain (see drv_ctx.replies). Borrowed. */
typedef struct {
    long status;
    const char *content_type; /* NULL when absent */
    const char *url;          /* the final URL (after redirects) */
    const char *body;         /* NUL-terminated */
    size_t len;
} drv_reply;

/* Reads per form (form_request's and next_request's) and uploads per submission. */
#define DRV_MAX_READS   3
#define DRV_MAX_UPLOADS 4

/* What a driver is given besides the form: where the posting is, and the career site's
 * settings for this connector. */
typedef struct {
    const drv_target *target;
    const char *posting_url; /* with the client's query parameters */
    const char *base;        /* the connector's API root (--connector-base or the default) */
    /* Where submissions go: the driver's default_submit_base, or the same --connector-base;
     * NULL when the driver has no second root (submissions then go to base). */
    const char *submit_base;
    const char *form_url; /* submission only: the final URL the fresh form was read from */
    /* The career site's settings for this driver ({"api_key": ..., "board_token": ...}), or
     * NULL. Borrowed. Secrets: never log. */
    const json_t *settings;
    /* The answers to this chain's requests so far, oldest first: every read of the form for
     * next_request and extract (the last one is the body extract is given), every upload
     * for upload_request and submission. NULL / 0 when none (a driver that reads once and
     * uploads nothing may ignore them). */
    const drv_reply *replies;
    size_t n_replies;
} drv_ctx;

struct drv_driver {
    const char *name; /* "html", "greenhouse", ... : shown to operators, used by --connector-base */
    const drv_url_rule *rules; /* ends with an all-NULL rule; NULL: matches nothing (fallback) */
    /* The API root, where "{account}" and "{host}" stand for the target's parts; NULL when the
     * driver reads the posting's own pages. */
    const char *default_base;
    /* Optional: the root submissions go to when it is not the read root (same placeholders);
     * a --connector-base replaces both. NULL: none. */
    const char *default_submit_base;
    /* Content types the form's answer may have (substrings, NULL-terminated); an answer with
     * another type is not a form. An answer without a content type is tried. */
    const char *const *content_types;
    /* The settings a career site may give this connector ("api_key", "board_token", ...),
     * NULL-terminated; NULL: none. */
    const char *const *settings;
    /* Fills *out with the request that reads the posting's form. OA_INVALID (with *why) when
     * the target lacks what the driver needs (a board token, say). */
    oa_status (*form_request)(const drv_ctx *c, drv_request *out, char **why);
    /*
     * Optional (NULL: the form is one read). When the form takes more than one request (a
     * posting, then its questions), called after each read whose answer is 2xx and not
     * closed, with c->replies holding every read so far: fills *out with the next read and
     * returns OA_OK, or returns OA_NOT_FOUND when the last answer is the one to extract. Any
     * other status (with *why): the posting cannot be read. The jobs send at most
     * DRV_MAX_READS reads per form and check every answer as the first (closed, HTTP status,
     * content type).
     */
    oa_status (*next_request)(const drv_ctx *c, drv_request *out, char **why);
    /* True when the answer to a read says the posting is gone (404, a closed flag). */
    bool (*closed)(long http_status, const char *body, size_t len);
    /* Extracts the form from the last read's answer (fetched from url). c: the posting's
     * context, with every read's answer in c->replies (c may be NULL, or have no replies, in
     * tests of a single answer). On DRV_PAGE_FORM, *out holds the form (ids not yet assigned:
     * see oa_form_assign_ids). On other kinds *why (malloc'd) explains. OA_TOO_LARGE /
     * OA_INVALID only for input it cannot take at all. */
    oa_status (*extract)(const drv_ctx *c, const char *body, size_t len, const char *url,
                         drv_page_kind *kind, oa_form *out, char **why);
    /*
     * Optional (NULL: none). Requests that must go before the submission and are not the
     * application (a document upload whose id the application then names). Called with
     * c->replies holding the answers to the uploads so far (each 2xx): fills *out and returns
     * OA_OK, or returns OA_NOT_FOUND when none is left; OA_DENIED and OA_INVALID as for
     * submission. Uploads are sent before the application is marked as sent, so a retried
     * attempt may upload again: only the submission itself goes out at most once. At most
     * DRV_MAX_UPLOADS.
     */
    oa_status (*upload_request)(const drv_ctx *c, const oa_form *fresh, const oa_answers *answers,
                                drv_request *out, char **why);
    /* Builds the submission of answers to the form (revision: as parsed when the client
     * fetched it; fresh: as read just now; c->replies: the uploads' answers). OA_INVALID (with
     * *why) when the answers do not fit; OA_DENIED when the submission needs credentials the
     * career site does not have (*why says which): the application then goes to review. */
    oa_status (*submission)(const drv_ctx *c, const oa_form *revision, const oa_form *fresh,
                            const oa_answers *answers, drv_request *out, char **why);
    /* Classifies the site's answer to a submission. *why (malloc'd) explains. */
    drv_outcome (*classify)(long http_status, const char *content_type, const char *body,
                            size_t len, char **why);
};

/* The generic HTML form driver (the fallback) and the ATS connectors. */
extern const drv_driver drv_html, drv_greenhouse, drv_recruitee, drv_lever, drv_smartrecruiters,
    drv_workday, drv_personio;

/* Matches url against every driver's rules, first match wins; the generic HTML driver
 * otherwise. Always fills *t (free with drv_target_free). */
void drv_match(const char *url, drv_target *t);
void drv_target_free(drv_target *t);
/* The driver with this name, or NULL. */
const drv_driver *drv_by_name(const char *name);
/* Sets the API root for a driver (--connector-base NAME=URL). OA_NOT_FOUND: no such driver;
 * OA_INVALID: not an http(s) URL. Call before any job runs. */
oa_status drv_set_base(const char *name, const char *url) OA_MUST_CHECK;
/* The driver's API root for target t with its parts substituted (malloc'd), or NULL when the
 * driver has none or a part is missing. */
char *drv_base_for(const drv_target *t);
/* The root submissions go to (malloc'd): the --connector-base when one is set, else the
 * driver's default_submit_base; NULL when neither (submissions then go to drv_base_for). */
char *drv_submit_base_for(const drv_target *t);
/* Comma-separated names of every connector (for --help and error messages). */
const char *drv_names(void);
/* Forgets every --connector-base (tests, shutdown). */
void drv_reset_bases(void);

/* The usual "closed": the job's page or API answers 404 or 410 (a driver's .closed). */
bool drv_closed_gone(long http_status, const char *body, size_t len);

void drv_request_free(drv_request *r);
/* Appends a header line "name: value" to r (ignored past DRV_MAX_HEADERS). */
void drv_request_header(drv_request *r, const char *name, const char *value);

void drv_fields_free(drv_fields *f);
/* Appends a text field / a file field (data copied). */
void drv_fields_add_text(drv_fields *f, const char *name, const char *value);
void drv_fields_add_file(drv_fields *f, const char *name, const char *filename,
                         const char *content_type, const uint8_t *data, size_t len);

/* Appends the fields one answer sends, in the question's field name and option values (a
 * date as its control wants it, a file decoded). NULL on success, else a malloc'd reason. */
char *drv_answer_fields(drv_fields *out, const oa_block *q, const json_t *a);

/* The generic driver's pieces, exposed for unit tests. */
oa_status drv_html_extract(const char *html, size_t len, const char *page_url, drv_page_kind *kind,
                           oa_form *out, char **why) OA_MUST_CHECK;
oa_status drv_html_build_fields(const oa_form *revision, const oa_form *fresh,
                                const oa_answers *answers, drv_fields *out,
                                char **why) OA_MUST_CHECK;
drv_outcome drv_html_classify(long http_status, const char *content_type, const char *body,
                              size_t len, char **why);

/* Hard limit on an HTML page the driver will parse. */
#define DRV_MAX_PAGE_BYTES ((size_t)8 << 20)

#endif
