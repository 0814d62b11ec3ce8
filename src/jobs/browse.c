/*
 * browse.c - when and how a parse goes through the browser: a page the static HTML driver
 * finds no form on, but that runs scripts, may build its form after load. It is rendered in
 * headless Chromium (browser/) and the same extractor runs on the rendered document.
 */
#include <stdlib.h>
#include <string.h>

#include "jobs/jobs.h"
#include "util/log.h"

bool jobs_page_scripted(const char *html, size_t len)
{
    (void)len;
    return html && strcasestr(html, "<script") != NULL;
}

oa_status jobs_browse_extract(const jobs_env *env, jobs_driver *jd, const char *url,
                              drv_page_kind *kind, oa_form *form, char **why)
{
    *kind = DRV_PAGE_NO_FORM;
    browser_page_opts po = {.timeout_ms = env->cfg->browser_page_ms > 0 ? env->cfg->browser_page_ms
                                                                        : JOBS_BROWSER_PAGE_MS,
                            .settle_ms = 500};
    browser_page pg;
    oa_status rc = browser_render(env->cfg->browsers, url, &po, &pg, why);
    if (rc != OA_OK)
        return rc;
    char *dwhy = NULL;
    rc = jd->target.driver->extract(&jd->ctx, pg.html, strlen(pg.html),
                                    pg.final_url ? pg.final_url : url, kind, form, &dwhy);
    if (rc == OA_OK && *kind == DRV_PAGE_NO_FORM)
        *why =
            xasprintf("%s%s%s", pg.settled ? "" : "the page was still busy when the time ran out; ",
                      dwhy ? dwhy : "no form in the rendered page", "");
    else if (rc != OA_OK)
        *why = dwhy ? xstrdup(dwhy) : NULL;
    if (rc == OA_OK && *kind == DRV_PAGE_FORM)
        form->rendered = true;
    free(dwhy);
    browser_page_free(&pg);
    return rc;
}
