/*
 * http.h - the HTTP server: libmicrohttpd with a thread pool, request bodies read into a
 * limited buffer (413 past the route's limit, before reading when Content-Length says so),
 * a request id per request (X-Request-Id), an access log line per request, and a graceful
 * stop that lets in-flight requests finish.
 *
 * The server knows nothing about the API: it asks the application, once per request, for the
 * body limit of (method, path), and hands it the complete request.
 */
#ifndef OA_HTTP_HTTP_H
#define OA_HTTP_HTTP_H

#include "util/buf.h"
#include "util/oa.h"

typedef struct http_server http_server;

typedef struct {
    char *name;
    char *value;
} http_kv;

typedef struct http_req {
    const char *method; /* borrowed */
    const char *path;   /* borrowed, without the query string */
    char req_id[25];
    http_kv *query; /* owned: decoded query arguments in order */
    size_t n_query;
    oa_buf body;
    bool body_too_large;
    size_t body_limit;
    void *conn; /* struct MHD_Connection */
    /* Filled by the application while handling: */
    char *tenant;    /* owned */
    void *route;     /* the application's route for (method, path) */
    char *params[4]; /* owned: path parameters captured by the router */
    int64_t t0_mono;
} http_req;

typedef struct {
    int status;
    char *body; /* owned */
    size_t len;
    const char *content_type;  /* static */
    char allow[64];            /* Allow header for 405 ("" = none) */
    const char *retry_after;   /* static: Retry-After for 429 */
    char retry_after_buf[24];  /* or this, when set ("" = none) */
    const char *cache_control; /* static; NULL: "no-store" */
    char etag[72];             /* ETag header ("" = none) */
    const char *location;      /* static: Location of a redirect, or NULL */
    bool page_headers; /* a page of the dashboard: strict Content-Security-Policy, no framing */
    bool ratelimit;    /* send the RateLimit-* headers below */
    int64_t rl_limit, rl_remaining, rl_reset;
} http_resp;

typedef struct {
    /* Called on the first byte of a request: decide the route and the body limit. */
    void (*prepare)(http_req *r, void *app);
    /* Called with the complete request; fills resp (status, body). */
    void (*handle)(http_req *r, http_resp *resp, void *app);
    void *app;
} http_handlers;

/* A header of the request (case-insensitive name), or NULL. */
const char *http_header(const http_req *r, const char *name);
/* The first query argument of that name, or NULL; *count gets how many there are. */
const char *http_query(const http_req *r, const char *name, size_t *count);

/* Starts listening on "HOST:PORT" (IPv4, [IPv6] or a name; port 0 picks a free port) with
 * `threads` threads. *why (malloc'd) on failure. */
oa_status http_start(const char *listen, int threads, const http_handlers *h, http_server **out,
                     char **why) OA_MUST_CHECK;
/* The address actually bound, e.g. "127.0.0.1:8080" (static storage of the server). */
const char *http_address(const http_server *s);
/* Stops accepting, waits up to grace_ms for in-flight requests, then stops. */
void http_stop(http_server *s, int64_t grace_ms);
/* Requests currently being handled. */
int http_inflight(const http_server *s);

/* Parses "HOST:PORT" into host and port; OA_INVALID with *why when malformed. */
oa_status http_parse_listen(const char *listen, char *host, size_t hostlen, int *port,
                            char **why) OA_MUST_CHECK;

#endif
