/* driver.c - a posting's driver for a job: its target, its API root, its career-site settings. */
#include <stdlib.h>
#include <string.h>

#include "jobs/jobs.h"
#include "util/log.h"

void jobs_driver_open(const jobs_env *env, const oa_posting *p, const char *posting_url,
                      jobs_driver *out)
{
    memset(out, 0, sizeof *out);
    drv_match(p->url, &out->target);
    const drv_driver *d = out->target.driver;
    if (d->default_base) {
        out->base = drv_base_for(&out->target);
        oa_status rc = svc_site_connector(env->svc, p->tenant, p->site_id, d->name, &out->settings);
        if (rc != OA_OK && rc != OA_NOT_FOUND)
            oa_log(OA_LOG_WARN, "jobs.connector_settings_unreadable",
                   "posting_id=%s driver=%s status=%s", p->id, d->name, oa_status_str(rc));
    }
    out->ctx.target = &out->target;
    out->ctx.posting_url = posting_url;
    out->ctx.base = out->base;
    out->ctx.settings = out->settings;
}

void jobs_driver_close(jobs_driver *jd)
{
    drv_target_free(&jd->target);
    free(jd->base);
    json_decref(jd->settings);
    memset(jd, 0, sizeof *jd);
}

bool jobs_content_ok(const drv_driver *d, const char *ct)
{
    if (!ct || !d->content_types)
        return true;
    for (const char *const *t = d->content_types; *t; t++)
        if (strstr(ct, *t))
            return true;
    return false;
}
