/*
 * workday.c - the Workday connector: reads a posting through the career site's own JSON
 * (the "CXS" routes its pages use; not documented by Workday, but the same on every tenant),
 * and hands the application off, since Workday has no public application API.
 *
 * Read: GET {base}/wday/cxs/{tenant}/{site}/job/{path} (no auth), where {path} is the posting
 * URL's part after /job/ -> {"jobPostingInfo": {id, title, jobDescription, location,
 * externalUrl, canApply, posted, jobReqId, ...}, "hiringOrganization": {...}}. A closed job
 * answers 404, or says canApply:false or posted:false.
 *
 * The form is what every Workday application asks first (legal first and last name, email,
 * phone, resume), in a section that says it is handed off: applying on Workday takes a
 * candidate account and a multi-step wizard, so the submission returns OA_DENIED and the
 * application goes to review, naming the posting's apply URL, for a person to finish.
 *
 * URLs: {tenant}.wd{N}.myworkdayjobs.com/[{locale}/]{site}/job/{location}/{Title}_{ReqId}
 * (and its /apply pages). The default API root is the posting's own host.
 */
#include <stdlib.h>
#include <string.h>

#include "drivers/ats.h"

static const drv_url_rule RULES[] = {
    {"{account}.*.myworkdayjobs.com", "/{site}/job/**", NULL},
    {"{account}.*.myworkdayjobs.com", "/*/{site}/job/**", NULL},
    {NULL, NULL, NULL},
};

static const char *const TYPES[] = {"json", NULL};

static const ats_name_key NAMES[] = {
    {"legalName.firstName", "FIRST_NAME"},
    {"legalName.lastName", "LAST_NAME"},
    {"email", "EMAIL"},
    {"phone", "FULL_PHONE_NUMBER"},
    {"resume", "RESUME"},
    {NULL, NULL},
};

/* The posting's path after /job/ without an /apply... tail (malloc'd), or NULL. */
static char *job_path(const char *rest)
{
    if (!rest || !*rest)
        return NULL;
    size_t n = strlen(rest);
    for (const char *p = rest; (p = strstr(p, "apply")) != NULL; p++) {
        bool starts = p == rest || p[-1] == '/';
        bool ends = p[5] == '\0' || p[5] == '/';
        if (starts && ends) {
            n = (size_t)(p - rest);
            break;
        }
    }
    while (n && rest[n - 1] == '/')
        n--;
    return n ? xstrndup(rest, n) : NULL;
}

static oa_status wd_form_request(const drv_ctx *c, drv_request *out, char **why)
{
    *why = NULL;
    const char *tenant = c->target->parts[DRV_PART_ACCOUNT];
    const char *site = c->target->parts[DRV_PART_SITE];
    char *path = job_path(c->target->parts[DRV_PART_REST]);
    if (!c->base || !tenant || !site || !path) {
        free(path);
        *why = xstrdup("the URL names no Workday tenant, career site and job");
        return OA_INVALID;
    }
    out->url = xasprintf("%s/wday/cxs/%s/%s/job/%s", c->base, tenant, site, path);
    free(path);
    drv_request_header(out, "Accept", "application/json");
    return OA_OK;
}

static bool is_false(const json_t *o, const char *name)
{
    return json_is_false(json_object_get(o, name));
}

static oa_status wd_extract(const drv_ctx *c, const char *body, size_t len, const char *url,
                            drv_page_kind *kind, oa_form *out, char **why)
{
    OA_UNUSED(c);
    OA_UNUSED(url);
    memset(out, 0, sizeof *out);
    *kind = DRV_PAGE_NO_FORM;
    json_t *j = NULL;
    oa_status rc = ats_json_object(body, len, &j, why);
    if (rc != OA_OK)
        return rc;
    const json_t *info = json_object_get(j, "jobPostingInfo");
    if (!json_is_object(info)) {
        *why = xstrdup("the answer holds no jobPostingInfo (not a Workday job posting)");
        json_decref(j);
        return OA_OK;
    }
    if (is_false(info, "canApply") || is_false(info, "posted")) {
        *kind = DRV_PAGE_CLOSED;
        *why = xstrdup(is_false(info, "posted") ? "the posting is not posted any more"
                                                : "the posting takes no applications");
        json_decref(j);
        return OA_OK;
    }
    const char *ext = ats_str(info, "externalUrl");
    bool web = ext && (strncmp(ext, "https://", 8) == 0 || strncmp(ext, "http://", 7) == 0);
    oa_block *s = ats_section(&out->blocks, &out->n_blocks, "My Information");
    s->description = xasprintf("Workday has no public application API: these answers are handed "
                               "to a person who applies by hand%s%s.",
                               web ? " at " : "", web ? ext : "");
    ats_question(&s->children, &s->n_children, "Legal first name", true, OA_Q_TEXT, OA_CTL_TEXT,
                 "legalName.firstName");
    ats_question(&s->children, &s->n_children, "Legal last name", true, OA_Q_TEXT, OA_CTL_TEXT,
                 "legalName.lastName");
    oa_block *q = ats_question(&s->children, &s->n_children, "Email address", true, OA_Q_TEXT,
                               OA_CTL_TEXT, "email");
    q->input_type = xstrdup("email");
    q = ats_question(&s->children, &s->n_children, "Phone number", true, OA_Q_TEXT, OA_CTL_TEXT,
                     "phone");
    q->input_type = xstrdup("tel");
    ats_question(&s->children, &s->n_children, "Resume/CV", false, OA_Q_FILE, OA_CTL_FILE,
                 "resume");
    if (web)
        out->action = xstrdup(ext);
    json_decref(j);
    ats_assign_keys(out, NAMES);
    out->method = xstrdup("POST");
    *kind = DRV_PAGE_FORM;
    return OA_OK;
}

static oa_status wd_submission(const drv_ctx *c, const oa_form *revision, const oa_form *fresh,
                               const oa_answers *answers, drv_request *out, char **why)
{
    OA_UNUSED(answers);
    OA_UNUSED(out);
    const char *at = fresh && fresh->action         ? fresh->action
                     : revision && revision->action ? revision->action
                                                    : c->posting_url;
    *why = xasprintf("Workday has no public application API: apply by hand at %s", at);
    return OA_DENIED;
}

const drv_driver drv_workday = {
    .name = "workday",
    .rules = RULES,
    .default_base = "https://{host}",
    .content_types = TYPES,
    .settings = NULL,
    .form_request = wd_form_request,
    .closed = drv_closed_gone,
    .extract = wd_extract,
    .submission = wd_submission,
    .classify = ats_classify,
};
