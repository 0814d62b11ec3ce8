/*
 * job_feeds.c - POST/GET /v1/ai-apply/job-feeds and the NDJSON bulk import.
 *
 * Every line is parsed and checked first (a bad line answers 400 naming the line and nothing is
 * written), then the feed is imported: committed in chunks, archive-missing last (see
 * svc_feed_import). An import that stops part-way answers an error whose message says how many
 * lines were committed and whether postings not in the file were archived.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/countries.h"
#include "util/log.h"
#include "util/net.h"

#define LABEL_MAX    500
#define JOB_CODE_MAX 500

static const char *const LIST_ARGS[] = {"cursor", "page_size", "ids", NULL};

void api_job_feeds_post(api_ctx *a, http_req *r, http_resp *resp)
{
    json_t *body = api_body_object(r, resp, false);
    const char *label;
    if (!body)
        return;
    if (api_field_string(resp, body, "label", true, false, LABEL_MAX, &label)) {
        oa_feed feed;
        oa_status rc = svc_feed_create(a->svc, r->tenant, label, &feed);
        if (rc == OA_OK)
            api_ok(resp, core_feed_json(&feed));
        else
            api_internal(resp, r, rc);
        oa_feed_clear(&feed);
    }
    json_decref(body);
}

static json_t *render_feed(const void *row)
{
    return core_feed_json(row);
}

struct feed_list_ctx {
    store_page pg;
    oa_feed *l;
    size_t n;
};

static oa_status feed_list_tx(oa_tx *tx, void *arg)
{
    struct feed_list_ctx *c = arg;
    return store_feed_list(tx, &c->pg, &c->l, &c->n);
}

void api_job_feeds_get(api_ctx *a, http_req *r, http_resp *resp)
{
    struct feed_list_ctx c = {0};
    char *ids = NULL;
    if (!api_only_query(r, resp, LIST_ARGS) || !api_page_args(r, resp, &c.pg) ||
        !api_list_filter(r, resp, "ids", &ids))
        return;
    c.pg.ids_json = ids;
    oa_status rc = store_transact(a->svc->store, STORE_READ, feed_list_tx, &c);
    if (rc == OA_OK)
        api_ok(resp, api_list_page(c.l, sizeof *c.l, c.n, &c.pg, render_feed));
    else
        api_internal(resp, r, rc);
    oa_feed_list_free(c.l, c.n);
    free(ids);
}

void api_import_lines_free(svc_import_line *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(l[i].url);
        free(l[i].site_label);
        free(l[i].job_code);
        free(l[i].loc_country);
        free(l[i].loc_postal);
    }
    free(l);
}

/* Parses one NDJSON line into out; on failure returns a malloc'd reason. */
static char *parse_line(const char *text, size_t len, bool allow_private, svc_import_line *out)
{
    json_error_t err;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    char *why = NULL;
    if (!j)
        return xasprintf("malformed JSON: %s (column %d)", err.text, err.column);
    if (!json_is_object(j)) {
        why = xstrdup("each line must be a JSON object");
        goto out;
    }
    const json_t *url = json_object_get(j, "url");
    const json_t *label = json_object_get(j, "career_site_label");
    const json_t *code = json_object_get(j, "job_code");
    const json_t *loc = json_object_get(j, "location");
    if (!json_is_string(url)) {
        why = xstrdup(url ? "\"url\" must be a string" : "missing required field \"url\"");
        goto out;
    }
    char *uwhy = NULL;
    if (oa_url_check(json_string_value(url), allow_private, &uwhy) != OA_OK) {
        why = xasprintf("\"url\": %s", uwhy);
        free(uwhy);
        goto out;
    }
    if (!json_is_string(label) || json_string_length(label) == 0 ||
        json_string_length(label) > LABEL_MAX) {
        why =
            xstrdup(label ? "\"career_site_label\" must be a non-empty string of at most 500 bytes"
                          : "missing required field \"career_site_label\"");
        goto out;
    }
    if (code && !json_is_null(code) &&
        (!json_is_string(code) || json_string_length(code) > JOB_CODE_MAX)) {
        why = xstrdup("\"job_code\" must be a string of at most 500 bytes");
        goto out;
    }
    out->loc_op = SVC_LOC_KEEP;
    if (loc && json_is_null(loc)) {
        out->loc_op = SVC_LOC_CLEAR;
    } else if (loc) {
        const json_t *c = json_object_get(loc, "country");
        const json_t *z = json_object_get(loc, "postal_code");
        if (!json_is_object(loc)) {
            why = xstrdup("\"location\" must be an object or null");
            goto out;
        }
        if (!json_is_string(c) || !oa_country_valid(json_string_value(c))) {
            why = xstrdup("\"location.country\" must be an ISO 3166-1 alpha-2 code such as \"US\"");
            goto out;
        }
        if (z && !json_is_null(z) && (!json_is_string(z) || json_string_length(z) > 64)) {
            why = xstrdup("\"location.postal_code\" must be a string of at most 64 bytes");
            goto out;
        }
        out->loc_op = SVC_LOC_SET;
        out->loc_country = xstrdup(json_string_value(c));
        out->loc_postal = json_is_string(z) ? xstrdup(json_string_value(z)) : NULL;
    }
    out->url = xstrdup(json_string_value(url));
    out->site_label = xstrdup(json_string_value(label));
    out->job_code = json_is_string(code) ? xstrdup(json_string_value(code)) : NULL;
out:
    json_decref(j);
    return why;
}

oa_status api_import_parse(const char *body, size_t len, bool allow_private, svc_import_line **out,
                           size_t *n_out, char **why)
{
    size_t cap = 0, n = 0, lineno = 0;
    svc_import_line *lines = NULL;
    *out = NULL;
    *n_out = 0;
    *why = NULL;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(body + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - body) : len;
        size_t s = pos, e = end;
        lineno++;
        pos = end + 1;
        while (s < e && (body[s] == ' ' || body[s] == '\t' || body[s] == '\r'))
            s++;
        while (e > s && (body[e - 1] == ' ' || body[e - 1] == '\t' || body[e - 1] == '\r'))
            e--;
        if (s == e)
            continue; /* blank lines are allowed */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            lines = xrealloc(lines, cap * sizeof *lines);
        }
        memset(&lines[n], 0, sizeof lines[n]);
        char *lwhy = parse_line(body + s, e - s, allow_private, &lines[n]);
        if (lwhy) {
            *why = xasprintf("Line %zu of the NDJSON body is invalid: %s.", lineno, lwhy);
            free(lwhy);
            api_import_lines_free(lines, n + 1);
            return OA_INVALID;
        }
        n++;
    }
    if (n == 0) {
        free(lines);
        *why = xstrdup("The NDJSON body has no job postings: send one JSON object per line.");
        return OA_INVALID;
    }
    *out = lines;
    *n_out = n;
    return OA_OK;
}

/* n with thousands separators ("1,200") into out. */
static const char *group(char out[32], int64_t n)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%lld", (long long)(n < 0 ? 0 : n));
    size_t o = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

/* The answer to an import that stopped part-way: what was committed, whether archive-missing
 * ran, and why it stopped. */
static void import_stopped(http_req *r, http_resp *resp, const char *feed_id, oa_status rc,
                           const svc_import_counts *c)
{
    char done[32], lines[32], created[32], archived[32], why[160];
    int status = 500;
    const char *code = "PLATFORM.UNKNOWN_ERROR", *title = "Import stopped";
    if (c->lease_lost) {
        status = 429;
        code = "AI_APPLY.JOB_FEED_IMPORT_ALREADY_RUNNING";
        resp->retry_after = "5";
        snprintf(why, sizeof why, "another import of job feed %s took the feed over", feed_id);
    } else if (rc == OA_AGAIN) {
        status = 503;
        resp->retry_after = "1";
        snprintf(why, sizeof why, "the database was busy (request id %s)", r->req_id);
    } else {
        snprintf(why, sizeof why, "an internal error occurred (request id %s)", r->req_id);
    }
    if (!c->lease_lost)
        oa_log(OA_LOG_ERROR, "api.internal_error", "req_id=%s status=%s", r->req_id,
               oa_status_str(rc));
    group(done, c->processed);
    group(lines, c->lines);
    group(created, c->created);
    group(archived, c->archived);
    if (!c->sweep_ran)
        api_error(resp, status, code, title,
                  "Import stopped after %s of %s lines (%s committed, %s created); postings not "
                  "in the file were not archived: %s. Import the file again to complete it.",
                  done, lines, done, created, why);
    else
        api_error(resp, status, code, title,
                  "Import stopped while archiving the postings not in the file: all %s lines were "
                  "committed (%s created) and %s postings archived before it stopped: %s. Import "
                  "the file again to complete it.",
                  lines, created, archived, why);
}

void api_job_feeds_import(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *feed_id = r->params[0];
    svc_import_line *lines = NULL;
    size_t n = 0;
    char *why = NULL;
    if (api_import_parse(oa_buf_cstr(&r->body), r->body.len, a->svc->allow_private, &lines, &n,
                         &why) != OA_OK) {
        api_bad_request(resp, "%s", why);
        free(why);
        return;
    }
    svc_import_counts counts;
    oa_status rc = svc_feed_import(a->svc, r->tenant, feed_id, lines, n, &counts);
    if (rc == OA_OK) {
        json_t *d = json_object();
        json_object_set_new(d, "created", json_integer(counts.created));
        json_object_set_new(d, "processed", json_integer(counts.processed));
        json_object_set_new(d, "archived", json_integer(counts.archived));
        api_ok(resp, d);
    } else if (counts.started) {
        import_stopped(r, resp, feed_id, rc, &counts);
    } else if (rc == OA_NOT_FOUND) {
        api_not_found(resp, "Job feed %s not found.", feed_id);
    } else if (rc == OA_CONFLICT) {
        resp->retry_after = "5";
        api_error(resp, 429, "AI_APPLY.JOB_FEED_IMPORT_ALREADY_RUNNING", "Import already running",
                  "An import into job feed %s is already running; retry when it has finished.",
                  feed_id);
    } else {
        api_internal(resp, r, rc);
    }
    api_import_lines_free(lines, n);
}
