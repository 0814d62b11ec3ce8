/*
 * driver.h - career-site drivers: a page becomes a form, a form plus answers becomes a
 * submission, and a submission's answer becomes an outcome.
 *
 * Drivers do no network I/O themselves: jobs/ fetches pages and posts submissions (through
 * drivers/fetch.h) and hands the bytes to a driver. That keeps every driver testable on saved
 * pages. The generic HTML driver (html_form.c, html_submit.c) comes first; ATS-specific
 * drivers can be added to the table in driver.c and are chosen by drv_pick().
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

typedef struct drv_driver {
    const char *name;
    /* Extracts the application form from an HTML page fetched from page_url. On DRV_PAGE_FORM,
     * *out holds the form (ids not yet assigned: see oa_form_assign_ids) with an absolute
     * action URL. On other kinds *why (malloc'd) explains. OA_TOO_LARGE/OA_INVALID only for
     * input the parser cannot take at all. */
    oa_status (*extract)(const char *html, size_t len, const char *page_url, drv_page_kind *kind,
                         oa_form *out, char **why);
    /* Builds the fields to send: the fresh page's hidden inputs (CSRF tokens), then one or
     * more fields per answer, in the site's names and option values. */
    oa_status (*build_fields)(const oa_form *revision, const oa_form *fresh,
                              const oa_answers *answers, drv_fields *out, char **why);
    /* Classifies the site's answer to a submission. *why (malloc'd) explains. */
    drv_outcome (*classify)(long http_status, const char *content_type, const char *body,
                            size_t len, char **why);
} drv_driver;

/* The generic HTML form driver. */
extern const drv_driver drv_html;

/* The driver for a page (today always the generic HTML driver). */
const drv_driver *drv_pick(const char *url, const char *html, size_t len);

void drv_fields_free(drv_fields *f);
/* Appends a text field / a file field (data copied). */
void drv_fields_add_text(drv_fields *f, const char *name, const char *value);
void drv_fields_add_file(drv_fields *f, const char *name, const char *filename,
                         const char *content_type, const uint8_t *data, size_t len);

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
