/*
 * oa-extract.c - prints the form a driver extracts from a saved page or vendor answer, as JSON
 * (bench/forms.mjs scores it against hand-written truth).
 *
 *   oa-extract [--driver NAME] FILE URL
 *
 * FILE is the page (or the ATS's answer to the driver's form request), "-" for stdin; URL is
 * where it was fetched from. Without --driver the generic HTML driver reads it (the fallback,
 * drv_html_extract); with one, that connector's extract (drv_by_name). Prints one JSON object:
 * {"kind": "FORM"|"NO_FORM"|"CLOSED", "why": ..., "form": <oa_form_to_json(OA_FORM_INTERNAL)
 * after oa_form_assign_ids, or null>}. Exit 0 when the driver ran (whatever the page held),
 * 1 when it refused the input (OA_INVALID, OA_TOO_LARGE: {"error": ...}), 2 on usage or I/O
 * errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/form.h"
#include "drivers/driver.h"
#include "util/buf.h"

/* Reads a whole file (or stdin for "-") into a NUL-terminated buffer; NULL on error. */
static char *slurp(const char *path, size_t *len)
{
    oa_buf b;
    oa_buf_init(&b, 0);
    if (oa_buf_read_file(&b, path) != OA_OK) {
        oa_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return oa_buf_take(&b);
}

static const char *kind_name(drv_page_kind k)
{
    switch (k) {
    case DRV_PAGE_FORM:
        return "FORM";
    case DRV_PAGE_CLOSED:
        return "CLOSED";
    case DRV_PAGE_NO_FORM:
        break;
    }
    return "NO_FORM";
}

static int usage(void)
{
    fprintf(stderr, "usage: oa-extract [--driver NAME] FILE|- URL\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *driver = NULL;
    int i = 1;
    if (i + 1 < argc && strcmp(argv[i], "--driver") == 0) {
        driver = argv[i + 1];
        i += 2;
    }
    if (argc - i != 2)
        return usage();
    const char *path = argv[i], *url = argv[i + 1];
    const drv_driver *d = NULL;
    if (driver && !(d = drv_by_name(driver))) {
        fprintf(stderr, "oa-extract: no driver named %s (drivers: html, %s)\n", driver,
                drv_names());
        return 2;
    }
    size_t len = 0;
    char *body = slurp(path, &len);
    if (!body) {
        fprintf(stderr, "oa-extract: cannot read %s\n", path);
        return 2;
    }
    oa_form form;
    memset(&form, 0, sizeof form);
    drv_page_kind kind = DRV_PAGE_NO_FORM;
    char *why = NULL;
    /* The driver sees the saved answer as the last (and only) read of its chain. */
    drv_target t;
    drv_match(url, &t);
    char *base = drv_base_for(&t);
    drv_reply reply = {200, NULL, url, body, len};
    drv_ctx c = {.target = &t, .posting_url = url, .base = base, .replies = &reply, .n_replies = 1};
    oa_status st = d ? d->extract(&c, body, len, url, &kind, &form, &why)
                     : drv_html_extract(body, len, url, &kind, &form, &why);
    free(base);
    drv_target_free(&t);
    json_t *out = json_object();
    int rc = 0;
    if (st != OA_OK) {
        json_object_set_new(out, "error", json_string(oa_status_str(st)));
        json_object_set_new(out, "why", why ? json_string(why) : json_null());
        rc = 1;
    } else {
        json_object_set_new(out, "kind", json_string(kind_name(kind)));
        json_object_set_new(out, "why", why ? json_string(why) : json_null());
        if (kind == DRV_PAGE_FORM) {
            oa_form_assign_ids(&form, "bench");
            json_object_set_new(out, "form", oa_form_to_json(&form, OA_FORM_INTERNAL));
        } else {
            json_object_set_new(out, "form", json_null());
        }
    }
    if (json_dumpf(out, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0 ||
        fputc('\n', stdout) == EOF)
        rc = 2;
    json_decref(out);
    oa_form_free(&form);
    free(why);
    free(body);
    return rc;
}
