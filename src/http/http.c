/* http.c - libmicrohttpd glue: body accumulation with limits, request ids, access log. */
#include "http/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/text.h"

#define HTTP_DRAIN_MAX ((uint64_t)64 << 20)

struct http_server {
    struct MHD_Daemon *d;
    http_handlers h;
    atomic_int inflight;
    char address[128];
};

const char *http_header(const http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_query(const http_req *r, const char *name, size_t *count)
{
    const char *first = NULL;
    size_t n = 0;
    for (size_t i = 0; i < r->n_query; i++) {
        if (strcmp(r->query[i].name, name) == 0) {
            if (!first)
                first = r->query[i].value;
            n++;
        }
    }
    if (count)
        *count = n;
    return first;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    http_req *r = cls;
    if (r->n_query >= 64)
        return MHD_NO;
    r->query = xrealloc(r->query, (r->n_query + 1) * sizeof *r->query);
    r->query[r->n_query].name = xstrdup(key ? key : "");
    r->query[r->n_query].value = xstrdup(value ? value : "");
    r->n_query++;
    return MHD_YES;
}

static void req_free(http_req *r)
{
    for (size_t i = 0; i < r->n_query; i++) {
        free(r->query[i].name);
        free(r->query[i].value);
    }
    free(r->query);
    oa_buf_free(&r->body);
    free(r->tenant);
    for (size_t i = 0; i < OA_ARRAY_LEN(r->params); i++)
        free(r->params[i]);
    free(r);
}

static enum MHD_Result send_resp(struct MHD_Connection *c, http_req *r, http_resp *resp)
{
    struct MHD_Response *mr =
        MHD_create_response_from_buffer(resp->len, resp->body, MHD_RESPMEM_MUST_FREE);
    resp->body = NULL;
    MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
                            resp->content_type ? resp->content_type : "application/json");
    MHD_add_response_header(mr, "X-Request-Id", r->req_id);
    MHD_add_response_header(mr, "Cache-Control",
                            resp->cache_control ? resp->cache_control : "no-store");
    MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
    if (resp->location)
        MHD_add_response_header(mr, MHD_HTTP_HEADER_LOCATION, resp->location);
    if (resp->etag[0])
        MHD_add_response_header(mr, MHD_HTTP_HEADER_ETAG, resp->etag);
    if (resp->page_headers) {
        /* No inline script or style, nothing from elsewhere, never in a frame. */
        MHD_add_response_header(mr, "Content-Security-Policy",
                                "default-src 'none'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
                                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        MHD_add_response_header(mr, "X-Frame-Options", "DENY");
        MHD_add_response_header(mr, "Referrer-Policy", "no-referrer");
        MHD_add_response_header(mr, "Cross-Origin-Opener-Policy", "same-origin");
    }
    if (resp->allow[0])
        MHD_add_response_header(mr, MHD_HTTP_HEADER_ALLOW, resp->allow);
    if (resp->retry_after)
        MHD_add_response_header(mr, MHD_HTTP_HEADER_RETRY_AFTER, resp->retry_after);
    else if (resp->retry_after_buf[0])
        MHD_add_response_header(mr, MHD_HTTP_HEADER_RETRY_AFTER, resp->retry_after_buf);
    if (resp->ratelimit) {
        char v[24];
        snprintf(v, sizeof v, "%lld", (long long)resp->rl_limit);
        MHD_add_response_header(mr, "RateLimit-Limit", v);
        snprintf(v, sizeof v, "%lld", (long long)resp->rl_remaining);
        MHD_add_response_header(mr, "RateLimit-Remaining", v);
        snprintf(v, sizeof v, "%lld", (long long)resp->rl_reset);
        MHD_add_response_header(mr, "RateLimit-Reset", v);
    }
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)resp->status, mr);
    MHD_destroy_response(mr);
    char q[OA_LOGQ_SIZE], t[OA_LOGQ_SIZE];
    oa_log(resp->status >= 500 ? OA_LOG_WARN : OA_LOG_INFO, "http.request",
           "req_id=%s method=%s path=%s status=%d ms=%lld tenant=%s bytes_in=%zu", r->req_id,
           r->method, oa_logq(q, sizeof q, r->path), resp->status,
           (long long)(oa_mono_ms() - r->t0_mono),
           oa_logq(t, sizeof t, r->tenant ? r->tenant : "-"), r->body.len);
    return ok;
}

/* A 413 built here, before the application sees the request. */
static void too_large(http_req *r, http_resp *resp)
{
    resp->status = 413;
    resp->body = xasprintf("{\"status\":\"error\",\"error\":{\"code\":\"PLATFORM.INPUT_INVALID\","
                           "\"title\":\"Request body too large\",\"message\":\"The request body "
                           "exceeds the limit of %zu bytes for %s %s.\",\"log_url\":null}}",
                           r->body_limit, r->method, r->path);
    resp->len = strlen(resp->body);
}

/* Request line and headers over our limits get Kombo's error shape here (414, 431). The
 * library's own per-connection memory (HTTP_CONN_MEMORY) is set well above these limits so
 * that it never answers first with its HTML page; only a request past that memory still does. */
#define HTTP_URI_MAX     (16 * 1024)
#define HTTP_HEADERS_MAX (32 * 1024)
#define HTTP_CONN_MEMORY ((size_t)512 * 1024)

struct sizes {
    size_t total;
};

static enum MHD_Result add_size(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    struct sizes *z = cls;
    z->total += (key ? strlen(key) : 0) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

static bool too_long(struct MHD_Connection *c, http_req *r, http_resp *resp)
{
    struct sizes uri = {strlen(r->path)}, hdr = {0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_size, &uri);
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_size, &hdr);
    const char *what = NULL;
    size_t limit = 0;
    if (uri.total > HTTP_URI_MAX) {
        resp->status = 414;
        what = "The request URI (path and query string)";
        limit = HTTP_URI_MAX;
    } else if (hdr.total > HTTP_HEADERS_MAX) {
        resp->status = 431;
        what = "The request headers";
        limit = HTTP_HEADERS_MAX;
    } else {
        return false;
    }
    resp->body = xasprintf(
        "{\"status\":\"error\",\"error\":{\"code\":\"PLATFORM.INPUT_INVALID\","
        "\"title\":\"%s\",\"message\":\"%s exceed the limit of %zu bytes.\","
        "\"log_url\":null}}",
        resp->status == 414 ? "Request URI too long" : "Request headers too large", what, limit);
    resp->len = strlen(resp->body);
    return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    http_server *s = cls;
    http_req *r = *con_cls;
    if (!r) {
        r = xcalloc(1, sizeof *r);
        r->t0_mono = oa_mono_ms();
        r->conn = c;
        r->method = method;
        r->path = url;
        oa_id_new(r->req_id);
        r->body_limit = 1 << 20;
        http_resp long_resp = {0};
        if (too_long(c, r, &long_resp)) {
            oa_buf_init(&r->body, 0);
            *con_cls = r;
            atomic_fetch_add(&s->inflight, 1);
            return send_resp(c, r, &long_resp);
        }
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, r);
        s->h.prepare(r, s->h.app);
        oa_buf_init(&r->body, r->body_limit);
        *con_cls = r;
        atomic_fetch_add(&s->inflight, 1);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        int64_t len = 0;
        if (cl && oa_parse_int(cl, 0, INT64_MAX, &len) == OA_OK && (uint64_t)len > r->body_limit) {
            r->body_too_large = true;
            /* A client that asked "Expect: 100-continue" has not sent the body: answer at
             * once. Otherwise a body up to 64 MiB past the limit is read and thrown away, so
             * that a client still sending reliably gets the 413 instead of a reset; anything
             * bigger is refused at once. */
            const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Expect");
            if ((expect && strcasecmp(expect, "100-continue") == 0) ||
                (uint64_t)len - r->body_limit > HTTP_DRAIN_MAX) {
                http_resp resp = {0};
                too_large(r, &resp);
                return send_resp(c, r, &resp);
            }
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->body_too_large && oa_buf_append(&r->body, upload_data, *upload_size) != OA_OK) {
            r->body_too_large = true;
            oa_buf_free(&r->body);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    http_resp resp = {0};
    if (r->body_too_large)
        too_large(r, &resp);
    else
        s->h.handle(r, &resp, s->h.app);
    if (!resp.body) {
        resp.body = xstrdup("");
        resp.len = 0;
    } else if (!resp.len) {
        resp.len = strlen(resp.body);
    }
    return send_resp(c, r, &resp);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    http_server *s = cls;
    http_req *r = *con_cls;
    if (!r)
        return;
    req_free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&s->inflight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap) OA_PRINTF(2, 0);
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    char q[OA_LOGQ_SIZE];
    oa_log(OA_LOG_DEBUG, "http.mhd", "message=%s", oa_logq(q, sizeof q, msg));
}

oa_status http_parse_listen(const char *listen, char *host, size_t hostlen, int *port, char **why)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen) {
        *why = xasprintf("--listen must be HOST:PORT (e.g. 127.0.0.1:8080), got \"%.80s\"", listen);
        return OA_INVALID;
    }
    size_t hl = (size_t)(colon - listen);
    const char *h = listen;
    if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    int64_t p;
    if (hl == 0 || hl >= hostlen || oa_parse_int(colon + 1, 0, 65535, &p) != OA_OK) {
        *why = xasprintf("--listen must be HOST:PORT with a port from 0 to 65535, got \"%.80s\"",
                         listen);
        return OA_INVALID;
    }
    memcpy(host, h, hl);
    host[hl] = '\0';
    *port = (int)p;
    return OA_OK;
}

oa_status http_start(const char *listen, int threads, const http_handlers *h, http_server **out,
                     char **why)
{
    char host[256];
    int port;
    *out = NULL;
    if (http_parse_listen(listen, host, sizeof host, &port, why) != OA_OK)
        return OA_INVALID;
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    int gai = getaddrinfo(host, ps, &hints, &ai);
    if (gai != 0 || !ai) {
        *why = xasprintf("cannot resolve listen host \"%s\": %s", host, gai_strerror(gai));
        return OA_INVALID;
    }
    http_server *s = xcalloc(1, sizeof *s);
    s->h = *h;
    unsigned flags =
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(threads > 0 ? threads : 4),
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, HTTP_CONN_MEMORY,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_END);
    int family = ai->ai_family;
    freeaddrinfo(ai);
    if (!s->d) {
        *why = xasprintf("cannot listen on %s (address in use or not permitted)", listen);
        free(s);
        return OA_ERR;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    int bound = info ? info->port : port;
    snprintf(s->address, sizeof s->address, family == AF_INET6 ? "[%s]:%d" : "%s:%d", host, bound);
    *out = s;
    return OA_OK;
}

const char *http_address(const http_server *s)
{
    return s->address;
}

int http_inflight(const http_server *s)
{
    return atomic_load(&s->inflight);
}

void http_stop(http_server *s, int64_t grace_ms)
{
    if (!s)
        return;
    MHD_socket fd = MHD_quiesce_daemon(s->d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    int64_t deadline = oa_mono_ms() + grace_ms;
    while (atomic_load(&s->inflight) > 0 && oa_mono_ms() < deadline) {
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    int left = atomic_load(&s->inflight);
    if (left > 0)
        oa_log(OA_LOG_WARN, "http.stop_timeout", "inflight=%d", left);
    MHD_stop_daemon(s->d);
    free(s);
}
