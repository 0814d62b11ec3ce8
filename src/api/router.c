/*
 * router.c - the route table, authentication, and dispatch.
 *
 * Patterns are literal segments or ":param" (captured into r->params in order). A path that
 * matches a pattern with another method answers 405 with Allow; no match at all, 404.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "util/clock.h"
#include "util/log.h"

typedef struct {
    const char *method;
    const char *pattern;
    api_fn fn;
    bool auth;
    size_t body_limit;
} route;

static const route ROUTES[] = {
    {"GET", "/healthz", api_healthz, false, 0},
    {"GET", "/metrics", api_metrics, false, 0},
    {"GET", "/ui", api_ui, false, 0},
    {"GET", "/ui/:file", api_ui, false, 0},
    {"POST", "/v1/ai-apply/career-sites", api_career_sites_post, true, API_JSON_LIMIT},
    {"GET", "/v1/ai-apply/career-sites", api_career_sites_get, true, 0},
    {"POST", "/v1/ai-apply/postings", api_postings_post, true, API_JSON_LIMIT},
    {"GET", "/v1/ai-apply/postings", api_postings_get, true, 0},
    {"POST", "/v1/ai-apply/postings/:id/inquire", api_postings_inquire, true, API_JSON_LIMIT},
    {"POST", "/v1/ai-apply/postings/:id/archive", api_postings_archive, true, API_JSON_LIMIT},
    {"GET", "/v1/ai-apply/postings/:id/revisions", api_posting_revisions, true, 0},
    {"GET", "/v1/ai-apply/postings/:id/revisions/:id", api_posting_revision, true, 0},
    {"POST", "/v1/ai-apply/apply", api_apply_post, true, API_APPLY_LIMIT},
    {"GET", "/v1/ai-apply/applications", api_applications_get, true, 0},
    {"GET", "/v1/ai-apply/applications/:id", api_application_get, true, 0},
    {"POST", "/v1/ai-apply/applications/:id/review", api_applications_review, true, API_JSON_LIMIT},
    {"GET", "/v1/ai-apply/review", api_review_get, true, 0},
    {"POST", "/v1/ai-apply/job-feeds", api_job_feeds_post, true, API_JSON_LIMIT},
    {"GET", "/v1/ai-apply/job-feeds", api_job_feeds_get, true, 0},
    {"POST", "/v1/ai-apply/job-feeds/:id/bulk-import", api_job_feeds_import, true,
     API_IMPORT_LIMIT},
    {"POST", "/v1/webhooks/endpoints", api_endpoints_post, true, API_JSON_LIMIT},
    {"GET", "/v1/webhooks/endpoints", api_endpoints_list, true, 0},
    {"GET", "/v1/webhooks/endpoints/:id", api_endpoints_get, true, 0},
    {"PATCH", "/v1/webhooks/endpoints/:id", api_endpoints_patch, true, API_JSON_LIMIT},
    {"DELETE", "/v1/webhooks/endpoints/:id", api_endpoints_delete, true, 0},
    {"POST", "/v1/webhooks/endpoints/:id/rotate-secret", api_endpoints_rotate, true,
     API_JSON_LIMIT},
    {"POST", "/v1/webhooks/endpoints/:id/recover", api_endpoints_recover, true, API_JSON_LIMIT},
    {"POST", "/v1/webhooks/endpoints/:id/test", api_endpoints_test, true, API_JSON_LIMIT},
    {"GET", "/v1/webhooks/events", api_events_list, true, 0},
    {"GET", "/v1/stats", api_stats_get, true, 0},
    {"GET", "/v1/webhooks/events/:id", api_events_get, true, 0},
    {"GET", "/v1/webhooks/events/:id/attempts", api_events_attempts, true, 0},
    {"POST", "/v1/webhooks/events/:id/redeliver", api_events_redeliver, true, API_JSON_LIMIT},
};

/* Matches path against pattern; captures parameters when caps is given. */
static bool match(const char *pattern, const char *path, char **caps)
{
    const char *p = pattern, *s = path;
    int ncap = 0;
    while (*p && *s) {
        if (*p == ':') {
            while (*p && *p != '/')
                p++;
            const char *e = strchr(s, '/');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            if (len == 0)
                return false;
            if (caps && ncap < 4) {
                free(caps[ncap]);
                caps[ncap] = xstrndup(s, len);
            }
            ncap++;
            s += len;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    /* Tolerate one trailing slash. */
    if (*s == '/' && s[1] == '\0')
        s++;
    return *p == '\0' && *s == '\0';
}

void api_prepare(http_req *r, void *app)
{
    (void)app;
    r->route = NULL;
    r->body_limit = API_JSON_LIMIT;
    /* HEAD is GET without a body (libmicrohttpd drops the body). */
    const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
    for (size_t i = 0; i < OA_ARRAY_LEN(ROUTES); i++) {
        if (strcmp(ROUTES[i].method, method) == 0 && match(ROUTES[i].pattern, r->path, r->params)) {
            r->route = (void *)&ROUTES[i];
            r->body_limit = ROUTES[i].body_limit ? ROUTES[i].body_limit : API_JSON_LIMIT;
            return;
        }
    }
}

void api_init(api_ctx *a, svc *s, const rl_config *rl)
{
    memset(a, 0, sizeof *a);
    a->svc = s;
    a->started_at = oa_now_ms();
    a->version = OA_VERSION;
    rl_config off = {0};
    rl_init(&a->limiter, rl ? rl : &off);
}

void api_free(api_ctx *a)
{
    rl_free(&a->limiter);
}

/* The tenant's rate limit: writes take a token, every answer says where the tenant stands.
 * False (429 answered) when over the limit. */
static bool rate_limited_ok(api_ctx *a, http_req *r, http_resp *resp)
{
    bool write = strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0;
    rl_verdict v = rl_check(&a->limiter, r->tenant, write, oa_mono_ms());
    if (!v.limit)
        return true; /* off */
    resp->ratelimit = true;
    resp->rl_limit = v.limit;
    resp->rl_remaining = v.remaining;
    resp->rl_reset = v.reset_s;
    if (v.allowed)
        return true;
    snprintf(resp->retry_after_buf, sizeof resp->retry_after_buf, "%lld", (long long)v.retry_after);
    api_error(resp, 429, "PLATFORM.RATE_LIMIT_EXCEEDED", "Rate limit exceeded",
              "Too many requests for this API key: at most %lld write requests in a burst, "
              "refilled at the configured rate; retry after %lld s.",
              (long long)v.limit, (long long)v.retry_after);
    return false;
}

static bool authenticate(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *h = http_header(r, "Authorization");
    if (!h || !*h) {
        api_error(resp, 401, "PLATFORM.AUTHENTICATION_INVALID", "Authentication failed",
                  "Missing Authorization header: send \"Authorization: Bearer <API key>\".");
        return false;
    }
    if (strncasecmp(h, "Bearer ", 7) != 0) {
        api_error(resp, 401, "PLATFORM.AUTHENTICATION_INVALID", "Authentication failed",
                  "The Authorization header must use the Bearer scheme: \"Bearer <API key>\".");
        return false;
    }
    const char *key = h + 7;
    while (*key == ' ')
        key++;
    if (!*key || strlen(key) > 512) {
        api_error(resp, 401, "PLATFORM.AUTHENTICATION_INVALID", "Authentication failed",
                  "The API key is missing or malformed.");
        return false;
    }
    /* Looked up on every request, not cached: a key revoked by `openapply keys revoke` (in
     * another process, on another node) is refused from the next request on. */
    svc_key_state why = SVC_KEY_UNKNOWN;
    char key_id[OA_KEY_ID_SIZE] = "";
    oa_status rc = svc_key_tenant(a->svc, key, &r->tenant, &why, key_id);
    if (rc == OA_NOT_FOUND) {
        /* The client learns nothing more than for a made-up key; the log says why (the key's
         * id for a stored key, never the key or its hash). */
        if (why == SVC_KEY_UNKNOWN)
            oa_log(OA_LOG_INFO, "auth.rejected", "req_id=%s reason=unknown", r->req_id);
        else
            oa_log(OA_LOG_WARN, "auth.rejected", "req_id=%s reason=%s key_id=%s", r->req_id,
                   svc_key_state_str(why), key_id);
        api_error(resp, 401, "PLATFORM.AUTHENTICATION_INVALID", "Authentication failed",
                  "The API key is not valid.");
        return false;
    }
    if (rc != OA_OK) {
        api_internal(resp, r, rc);
        return false;
    }
    return true;
}

void api_handle(http_req *r, http_resp *resp, void *app)
{
    api_ctx *a = app;
    const route *rt = r->route;
    if (!rt) {
        /* The same path with another method answers 405 and says which methods work. */
        size_t len = 0;
        for (size_t i = 0; i < OA_ARRAY_LEN(ROUTES); i++) {
            size_t ml = strlen(ROUTES[i].method);
            if (match(ROUTES[i].pattern, r->path, NULL) && len + ml + 3 < sizeof resp->allow) {
                if (len) {
                    memcpy(resp->allow + len, ", ", 2);
                    len += 2;
                }
                memcpy(resp->allow + len, ROUTES[i].method, ml);
                len += ml;
                resp->allow[len] = '\0';
            }
        }
        if (len) {
            api_error(resp, 405, "PLATFORM.INPUT_INVALID", "Method not allowed",
                      "%s is not allowed on %s; use %s.", r->method, r->path, resp->allow);
            return;
        }
        api_not_found(resp, "No such endpoint: %s %s.", r->method, r->path);
        return;
    }
    if (rt->auth && !authenticate(a, r, resp))
        return;
    if (rt->auth && !rate_limited_ok(a, r, resp))
        return;
    rt->fn(a, r, resp);
}
