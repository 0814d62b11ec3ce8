/*
 * fetch.h - outbound HTTP for career sites (libcurl easy interface, one session per job).
 *
 * A session keeps cookies in memory between its requests (a career site's session cookie ties
 * the CSRF token in the page to the submission). Every request has a connect and a total
 * timeout, a hard cap on the body kept, at most 5 redirects for GETs (none for POSTs: the
 * answer to a submission is classified as it is), http/https only, and the SSRF guard: the
 * address actually connected is checked, so neither a redirect nor a DNS change reaches a
 * private network unless --allow-private-networks.
 */
#ifndef OA_DRIVERS_FETCH_H
#define OA_DRIVERS_FETCH_H

#include <stdatomic.h>

#include "drivers/driver.h"
#include "util/buf.h"
#include "util/oa.h"

typedef struct {
    bool allow_private;
    int64_t timeout_ms;       /* whole request; default 30 s */
    size_t max_bytes;         /* body kept; default DRV_MAX_PAGE_BYTES */
    const atomic_bool *abort; /* when set, transfers stop at once (shutdown) */
} fetch_opts;

typedef struct {
    long status;        /* HTTP status, 0 when no answer */
    char *content_type; /* owned, NULL when absent */
    char *final_url;    /* owned: URL after redirects */
    char *location;     /* owned: Location of a 3xx answer (POST), NULL otherwise */
    oa_buf body;
    /* fetch_post only: the request went out (at least in part) but no complete answer came
     * back (timeout, reset, connection closed). The site may have acted on it: never send it
     * again on your own. */
    bool outcome_unknown;
} fetch_result;

typedef struct fetch_session fetch_session;

fetch_session *fetch_session_new(const fetch_opts *opts);
void fetch_session_free(fetch_session *s);

/*
 * The transport outcome: OA_OK when an HTTP answer arrived (any status); OA_AGAIN for
 * timeouts, refused or reset connections and DNS failures (worth retrying); OA_INVALID when
 * the SSRF guard or the URL refused the request; OA_TOO_LARGE when the body passed the cap;
 * OA_ERR otherwise. *why (malloc'd) explains any failure.
 */
oa_status fetch_get(fetch_session *s, const char *url, fetch_result *out, char **why) OA_MUST_CHECK;
/* Sends a driver's request: a GET (redirects followed) when req->body is DRV_BODY_NONE,
 * otherwise a POST of the fields (urlencoded or multipart) or of the raw body, redirects not
 * followed, with req's headers and referer. A POST goes out on a fresh connection that is
 * closed afterwards, so libcurl never resends it by itself (it does so when a reused
 * connection turns out dead); a failure after the request was sent sets out->outcome_unknown. */
oa_status fetch_send(fetch_session *s, const drv_request *req, fetch_result *out,
                     char **why) OA_MUST_CHECK;
void fetch_result_free(fetch_result *r);

/* Appends query parameters to url: each of `from_url`'s query (may be NULL) and then the
 * string values of `params` (a JSON object, may be NULL), skipping names already present.
 * Returns a malloc'd URL, or NULL when url cannot be parsed. */
char *fetch_url_with_query(const char *url, const char *from_url, const void *params);

/* Call once at start-up / shut-down (curl_global_init / cleanup). */
void fetch_global_init(void);
void fetch_global_cleanup(void);

#endif
