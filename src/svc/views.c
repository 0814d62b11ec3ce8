/* views.c - the operator's reads beyond Kombo's schemas: one application with its apply
 * attempts, a posting's form revisions. Each checks the tenant first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/internal.h"

struct detail_ctx {
    const char *tenant, *id;
    svc_app_detail *d;
};

static oa_status detail_tx(oa_tx *tx, void *arg)
{
    struct detail_ctx *c = arg;
    svc_app_detail *d = c->d;
    svc_app_detail_free(d);
    oa_status rc = store_app_get(tx, c->tenant, c->id, &d->app);
    if (rc != OA_OK)
        return rc;
    oa_posting p = {0};
    rc = store_posting_get(tx, c->tenant, d->app.posting_id, &p);
    if (rc == OA_OK) {
        d->posting_url = p.url;
        p.url = NULL;
        rc = store_revision_get(tx, d->app.revision_id, &d->form_json, NULL);
    }
    oa_posting_clear(&p);
    if (rc == OA_OK)
        rc = store_apply_attempts(tx, d->app.id, &d->attempts, &d->n_attempts);
    return rc;
}

oa_status svc_application_detail(svc *s, const char *tenant, const char *id, svc_app_detail *out)
{
    memset(out, 0, sizeof *out);
    struct detail_ctx c = {tenant, id, out};
    oa_status rc = store_transact(s->store, STORE_READ, detail_tx, &c);
    if (rc != OA_OK)
        svc_app_detail_free(out);
    return rc;
}

void svc_app_detail_free(svc_app_detail *d)
{
    oa_application_clear(&d->app);
    free(d->posting_url);
    free(d->form_json);
    oa_apply_attempt_list_free(d->attempts, d->n_attempts);
    memset(d, 0, sizeof *d);
}

struct rev_ctx {
    const char *tenant, *posting_id, *revision_id;
    const store_page *pg;
    oa_revision **list;
    size_t *n;
    oa_revision *one;
    char **form_json;
    char *current_id;
};

static oa_status rev_tx(oa_tx *tx, void *arg)
{
    struct rev_ctx *c = arg;
    oa_posting p = {0};
    oa_status rc = store_posting_get(tx, c->tenant, c->posting_id, &p);
    if (rc == OA_OK) {
        snprintf(c->current_id, OA_ID_SIZE, "%s", p.revision_id ? p.revision_id : "");
        if (c->revision_id) {
            free(*c->form_json);
            *c->form_json = NULL;
            rc = store_revision_of(tx, c->posting_id, c->revision_id, c->one, c->form_json);
        } else {
            free(*c->list);
            *c->list = NULL;
            rc = store_revision_list(tx, c->posting_id, c->pg, c->list, c->n);
        }
    }
    oa_posting_clear(&p);
    return rc;
}

oa_status svc_posting_revisions(svc *s, const char *tenant, const char *posting_id,
                                const store_page *pg, oa_revision **list, size_t *n,
                                char current_id[OA_ID_SIZE])
{
    *list = NULL;
    *n = 0;
    struct rev_ctx c = {tenant, posting_id, NULL, pg, list, n, NULL, NULL, current_id};
    return store_transact(s->store, STORE_READ, rev_tx, &c);
}

oa_status svc_posting_revision(svc *s, const char *tenant, const char *posting_id,
                               const char *revision_id, oa_revision *one, char **form_json,
                               char current_id[OA_ID_SIZE])
{
    *form_json = NULL;
    struct rev_ctx c = {tenant, posting_id, revision_id, NULL,      NULL,
                        NULL,   one,        form_json,   current_id};
    oa_status rc = store_transact(s->store, STORE_READ, rev_tx, &c);
    if (rc != OA_OK) {
        free(*form_json);
        *form_json = NULL;
    }
    return rc;
}
