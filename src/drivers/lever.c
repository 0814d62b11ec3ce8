/*
 * lever.c - the Lever connector: the hosted apply page read as HTML, its custom question cards
 * read from their templates, and the application sent to the Postings API.
 *
 * Read: GET {base}/{site}/{posting}/apply, the hosted application form (server-rendered). The
 * generic HTML extractor reads it (name, email, phone, org, urls[...], resume, comments,
 * eeo[...], consent[...], cards[...]); each custom question card also carries its definition
 * in a hidden input cards[{uuid}][baseTemplate] whose value is JSON {"text", "fields": [{"text",
 * "type", "required", "options": [{"text"}]}]}, with answers in cards[{uuid}][field{N}]. The
 * template is the truth for a card field's required flag, and a card field the page did not
 * render as a control (a script-rendered card) is added from it. A closed posting answers 404.
 *
 * Submit: POST {api}/v0/postings/{site}/{posting}?key={api_key}, multipart/form-data (the only
 * mode that takes a resume). Lever documents that the API "is modeled off our hosted jobs
 * form", so the fields are the hosted form's own names, the card templates included. The key is
 * the employer's (connectors.lever.api_key); without it the application goes to review. {api}
 * is api.lever.co (api.eu.lever.co for jobs.eu.lever.co), or the --connector-base.
 *
 * URLs: jobs.lever.co/{site}/{posting}[/apply] and jobs.eu.lever.co/...
 */
#include <stdlib.h>
#include <string.h>

#include "drivers/ats.h"
#include "util/buf.h"

static const drv_url_rule RULES[] = {
    {"jobs.lever.co", "/{account}/{job}", NULL},
    {"jobs.lever.co", "/{account}/{job}/apply", NULL},
    {"jobs.eu.lever.co", "/{account}/{job}", NULL},
    {"jobs.eu.lever.co", "/{account}/{job}/apply", NULL},
    {NULL, NULL, NULL},
};

static const char *const SETTINGS[] = {"api_key", NULL};
static const char *const TYPES[] = {"html", NULL};

static oa_status lv_form_request(const drv_ctx *c, drv_request *out, char **why)
{
    *why = NULL;
    const char *site = c->target->parts[DRV_PART_ACCOUNT], *job = c->target->parts[DRV_PART_JOB];
    if (!c->base || !site || !job) {
        *why = xstrdup("the URL names no Lever site and posting");
        return OA_INVALID;
    }
    out->url = xasprintf("%s/%s/%s/apply", c->base, site, job);
    return OA_OK;
}

/* ---- cards ---- */

static oa_block *find_field(oa_block *b, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i].kind == OA_BLOCK_SECTION) {
            oa_block *r = find_field(b[i].children, b[i].n_children, name);
            if (r)
                return r;
        } else if (b[i].field_name && strcmp(b[i].field_name, name) == 0) {
            return &b[i];
        }
    }
    return NULL;
}

static bool card_type(const char *t, oa_qtype *type, oa_control *ctl)
{
    static const struct {
        const char *name;
        oa_qtype type;
        oa_control ctl;
    } T[] = {
        {"text", OA_Q_TEXT, OA_CTL_TEXT},
        {"textarea", OA_Q_TEXT, OA_CTL_TEXT},
        {"dropdown", OA_Q_SINGLE_SELECT, OA_CTL_SELECT},
        {"multiple-choice", OA_Q_SINGLE_SELECT, OA_CTL_RADIO},
        {"multiple-select", OA_Q_MULTI_SELECT, OA_CTL_CHECKBOXES},
    };
    for (size_t i = 0; t && i < OA_ARRAY_LEN(T); i++)
        if (strcmp(T[i].name, t) == 0) {
            *type = T[i].type;
            *ctl = T[i].ctl;
            return true;
        }
    return false;
}

/* "cards[UUID][baseTemplate]" -> "cards[UUID]" (malloc'd), or NULL. */
static char *card_prefix(const char *hidden_name)
{
    static const char suffix[] = "[baseTemplate]";
    size_t n = strlen(hidden_name), s = sizeof suffix - 1;
    if (strncmp(hidden_name, "cards[", 6) != 0 || n <= s + 6 ||
        strcmp(hidden_name + n - s, suffix) != 0)
        return NULL;
    return xstrndup(hidden_name, n - s);
}

static void apply_card(oa_form *f, const char *prefix, const json_t *tpl)
{
    const json_t *fields = json_object_get(tpl, "fields");
    oa_block *section = NULL;
    size_t i;
    const json_t *jf;
    json_array_foreach(fields, i, jf)
    {
        char *name = xasprintf("%s[field%zu]", prefix, i);
        bool req = json_is_true(json_object_get(jf, "required"));
        oa_block *q = find_field(f->blocks, f->n_blocks, name);
        oa_qtype type;
        oa_control ctl;
        if (q) {
            q->required = req;
        } else if (card_type(ats_str(jf, "type"), &type, &ctl) && ats_str(jf, "text")) {
            if (!section) {
                const char *title = ats_str(tpl, "text");
                section = ats_section(&f->blocks, &f->n_blocks, title ? title : "");
            }
            q = ats_question(&section->children, &section->n_children, ats_str(jf, "text"), req,
                             type, ctl, name);
            size_t k;
            const json_t *o;
            json_array_foreach(json_object_get(jf, "options"), k, o)
            {
                const char *t = ats_str(o, "text");
                if (t && *t)
                    ats_option(q, t, t); /* the hosted form's option values are their texts */
            }
            if (type != OA_Q_TEXT && !q->n_options)
                section->n_children--, oa_block_free(q);
        }
        free(name);
    }
    if (section && !section->n_children) {
        f->n_blocks--;
        oa_block_free(section);
    }
}

static oa_status lv_extract(const drv_ctx *c, const char *body, size_t len, const char *url,
                            drv_page_kind *kind, oa_form *out, char **why)
{
    OA_UNUSED(c);
    oa_status rc = drv_html_extract(body, len, url, kind, out, why);
    if (rc != OA_OK || *kind != DRV_PAGE_FORM)
        return rc;
    for (size_t i = 0; i < out->n_hidden; i++) {
        char *prefix = card_prefix(out->hidden[i].name);
        if (!prefix)
            continue;
        json_t *tpl = NULL;
        char *jwhy = NULL;
        const char *v = out->hidden[i].value ? out->hidden[i].value : "";
        if (ats_json_object(v, strlen(v), &tpl, &jwhy) == OA_OK)
            apply_card(out, prefix, tpl);
        json_decref(tpl);
        free(jwhy);
        free(prefix);
    }
    return OA_OK;
}

/* ---- submitting ---- */

/* The Postings API root: the --connector-base when there is one, else Lever's API host for the
 * posting's host. */
static char *api_root(const drv_ctx *c)
{
    const char *host = c->target->parts[DRV_PART_HOST];
    char *dflt = xasprintf("https://%s", host ? host : "");
    bool overridden = !c->base || strcmp(c->base, dflt) != 0;
    free(dflt);
    if (overridden && c->base)
        return xstrdup(c->base);
    return xstrdup(host && strstr(host, ".eu.") ? "https://api.eu.lever.co"
                                                : "https://api.lever.co");
}

static oa_status lv_submission(const drv_ctx *c, const oa_form *revision, const oa_form *fresh,
                               const oa_answers *answers, drv_request *out, char **why)
{
    *why = NULL;
    const char *key = ats_setting(c, "api_key");
    if (!key) {
        *why = xstrdup("Lever accepts applications through its Postings API only with the "
                       "employer's API key; set connectors.lever.api_key on the career site, or "
                       "apply by hand");
        return OA_DENIED;
    }
    oa_status rc = drv_html_build_fields(revision, fresh, answers, &out->fields, why);
    if (rc != OA_OK)
        return rc;
    char *api = api_root(c);
    char *ek = NULL;
    {
        /* The key goes in the query string, as documented: escape it. */
        oa_buf b;
        oa_buf_init(&b, 4096);
        for (const char *p = key; *p; p++) {
            unsigned char ch = (unsigned char)*p;
            bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                         (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' ||
                         ch == '~';
            oa_status br = plain ? oa_buf_append(&b, p, 1) : oa_buf_printf(&b, "%%%02X", ch);
            if (br != OA_OK)
                break;
        }
        ek = oa_buf_take(&b);
    }
    out->url = xasprintf("%s/v0/postings/%s/%s?key=%s", api, c->target->parts[DRV_PART_ACCOUNT],
                         c->target->parts[DRV_PART_JOB], ek ? ek : "");
    if (ek)
        memset(ek, 0, strlen(ek));
    free(ek);
    free(api);
    out->body = DRV_BODY_MULTIPART;
    drv_request_header(out, "Accept", "application/json");
    return OA_OK;
}

const drv_driver drv_lever = {
    .name = "lever",
    .rules = RULES,
    .default_base = "https://{host}",
    .content_types = TYPES,
    .settings = SETTINGS,
    .form_request = lv_form_request,
    .closed = drv_closed_gone,
    .extract = lv_extract,
    .submission = lv_submission,
    .classify = ats_classify,
};
