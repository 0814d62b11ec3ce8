/* fetch.c - libcurl sessions with limits and the connect-time SSRF guard. */
#include "drivers/fetch.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/net.h"

struct fetch_session {
    CURL *h;
    fetch_opts opts;
    oa_net_guard guard; /* the SSRF guard (refused: it refused a connection) */
    bool too_large;
    fetch_result *cur;
};

void fetch_global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void fetch_global_cleanup(void)
{
    curl_global_cleanup();
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    fetch_session *s = ud;
    size_t len = size * n;
    if (oa_buf_append(&s->cur->body, p, len) != OA_OK) {
        s->too_large = true;
        return 0; /* aborts the transfer */
    }
    return len;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt;
    (void)dn;
    (void)ut;
    (void)un;
    fetch_session *s = ud;
    return s->opts.abort && atomic_load(s->opts.abort) ? 1 : 0;
}

fetch_session *fetch_session_new(const fetch_opts *opts)
{
    fetch_session *s = xcalloc(1, sizeof *s);
    s->opts = *opts;
    if (!s->opts.timeout_ms)
        s->opts.timeout_ms = 30000;
    if (!s->opts.max_bytes)
        s->opts.max_bytes = DRV_MAX_PAGE_BYTES;
    s->h = curl_easy_init();
    if (!s->h)
        abort(); /* only on allocation failure */
    CURL *h = s->h;
    curl_easy_setopt(h, CURLOPT_COOKIEFILE, ""); /* in-memory cookie engine */
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    s->guard.allow_private = s->opts.allow_private;
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, oa_curl_open_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &s->guard);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, s);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(s->opts.timeout_ms < 10000 ? s->opts.timeout_ms : 10000));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)s->opts.timeout_ms);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_USERAGENT, "openapply/" OA_VERSION);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    return s;
}

void fetch_session_free(fetch_session *s)
{
    if (!s)
        return;
    curl_easy_cleanup(s->h);
    free(s);
}

void fetch_result_free(fetch_result *r)
{
    free(r->content_type);
    free(r->final_url);
    free(r->location);
    oa_buf_free(&r->body);
    memset(r, 0, sizeof *r);
}

static oa_status perform(fetch_session *s, const char *url, fetch_result *out, char **why)
{
    *why = NULL;
    CURL *h = s->h;
    s->guard.refused = false;
    s->too_large = false;
    s->cur = out;
    char *uwhy = NULL;
    if (oa_url_check(url, s->opts.allow_private, &uwhy) != OA_OK) {
        *why = uwhy;
        return OA_INVALID;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    CURLcode cc = curl_easy_perform(h);
    s->cur = NULL;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
    char *ct = NULL, *eff = NULL, *loc = NULL;
    curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
    curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &eff);
    curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
    out->content_type = ct ? xstrdup(ct) : NULL;
    out->final_url = xstrdup(eff ? eff : url);
    out->location = loc ? xstrdup(loc) : NULL;
    if (cc == CURLE_OK)
        return OA_OK;
    if (s->guard.refused) {
        *why = xstrdup("refused: the address is loopback, private, link-local or reserved "
                       "(allowed only with --allow-private-networks)");
        return OA_INVALID;
    }
    if (s->too_large || cc == CURLE_FILESIZE_EXCEEDED) {
        *why = xasprintf("the response is larger than %zu bytes", s->opts.max_bytes);
        return OA_TOO_LARGE;
    }
    if (cc == CURLE_ABORTED_BY_CALLBACK) {
        *why = xstrdup("aborted: the engine is shutting down");
        return OA_AGAIN;
    }
    *why = xasprintf("%s", curl_easy_strerror(cc));
    switch (cc) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return OA_AGAIN;
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return OA_INVALID;
    default:
        return OA_ERR;
    }
}

oa_status fetch_get(fetch_session *s, const char *url, fetch_result *out, char **why)
{
    drv_request r = {0};
    r.url = (char *)url;
    return fetch_send(s, &r, out, why);
}

/* The urlencoded body of fields (files left out: such a form cannot carry them). */
static char *urlencoded(CURL *h, const drv_fields *fields)
{
    oa_buf b;
    oa_buf_init(&b, 0);
    for (size_t i = 0; i < fields->n; i++) {
        const drv_field *f = &fields->items[i];
        if (f->is_file)
            continue;
        char *k = curl_easy_escape(h, f->name, 0);
        char *v = curl_easy_escape(h, f->value ? f->value : "", 0);
        oa_status rc = oa_buf_printf(&b, "%s%s=%s", b.len ? "&" : "", k, v);
        curl_free(k);
        curl_free(v);
        if (rc != OA_OK) {
            oa_buf_free(&b);
            return NULL;
        }
    }
    return oa_buf_take(&b);
}

oa_status fetch_send(fetch_session *s, const drv_request *req, fetch_result *out, char **why)
{
    memset(out, 0, sizeof *out);
    oa_buf_init(&out->body, s->opts.max_bytes);
    *why = NULL;
    CURL *h = s->h;
    curl_mime *mime = NULL;
    char *form = NULL;
    struct curl_slist *hdrs = NULL;
    for (size_t i = 0; i < req->n_headers; i++)
        hdrs = curl_slist_append(hdrs, req->headers[i]);
    bool post = req->body != DRV_BODY_NONE;
    if (post && req->body == DRV_BODY_RAW) {
        char *ct =
            xasprintf("Content-Type: %s", req->raw_type ? req->raw_type : "application/json");
        hdrs = curl_slist_append(hdrs, ct);
        free(ct);
    }
    if (post)
        hdrs = curl_slist_append(hdrs, "Expect:"); /* no 100-continue round trip */
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_REFERER, req->referer);
    if (!post) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        if (req->body == DRV_BODY_MULTIPART) {
            mime = curl_mime_init(h);
            for (size_t i = 0; i < req->fields.n; i++) {
                const drv_field *f = &req->fields.items[i];
                curl_mimepart *p = curl_mime_addpart(mime);
                curl_mime_name(p, f->name);
                if (f->is_file) {
                    curl_mime_data(p, (const char *)f->data, f->len);
                    curl_mime_filename(p, f->filename);
                    curl_mime_type(p, f->content_type);
                } else {
                    curl_mime_data(p, f->value, CURL_ZERO_TERMINATED);
                }
            }
            curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
        } else {
            const char *body = req->raw ? req->raw : "";
            size_t len = req->raw ? req->raw_len : 0;
            if (req->body == DRV_BODY_URLENCODED) {
                form = urlencoded(h, &req->fields);
                if (!form) {
                    curl_slist_free_all(hdrs);
                    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
                    *why = xstrdup("form body too large");
                    return OA_TOO_LARGE;
                }
                body = form;
                len = strlen(form);
            }
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        }
        /* A submission goes out on a fresh connection that is closed afterwards, so libcurl
         * never resends it by itself. */
        curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
    }
    oa_status rc = perform(s, req->url, out, why);
    if (post && rc != OA_OK && rc != OA_INVALID) {
        /* Bytes of the request left us: the site may have it. A refused or failed connect
         * sent nothing and is safe to retry. */
        long sent = 0;
        curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &sent);
        out->outcome_unknown = sent > 0;
    }
    curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 0L);
    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 0L);
    curl_easy_setopt(h, CURLOPT_MIMEPOST, NULL);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_REFERER, NULL);
    curl_slist_free_all(hdrs);
    curl_mime_free(mime);
    free(form);
    return rc;
}

static bool has_param(CURLU *u, const char *name)
{
    char *q = NULL;
    bool found = false;
    if (curl_url_get(u, CURLUPART_QUERY, &q, 0) == CURLUE_OK && q) {
        size_t n = strlen(name);
        for (char *p = q; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
            if (strncmp(p, name, n) == 0 && (p[n] == '=' || p[n] == '&' || p[n] == '\0')) {
                found = true;
                break;
            }
        }
    }
    curl_free(q);
    return found;
}

static void append_pair(CURLU *u, const char *raw_pair)
{
    curl_url_set(u, CURLUPART_QUERY, raw_pair, CURLU_APPENDQUERY);
}

char *fetch_url_with_query(const char *url, const char *from_url, const void *params)
{
    CURLU *u = curl_url();
    char *res = NULL;
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
        goto out;
    if (from_url) {
        CURLU *f = curl_url();
        char *q = NULL;
        if (f && curl_url_set(f, CURLUPART_URL, from_url, 0) == CURLUE_OK &&
            curl_url_get(f, CURLUPART_QUERY, &q, 0) == CURLUE_OK && q) {
            char *save = NULL;
            for (char *pair = strtok_r(q, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
                char *eq = strchr(pair, '=');
                char *name = xstrndup(pair, eq ? (size_t)(eq - pair) : strlen(pair));
                if (*name && !has_param(u, name))
                    append_pair(u, pair);
                free(name);
            }
        }
        curl_free(q);
        curl_url_cleanup(f);
    }
    const json_t *obj = params;
    if (json_is_object(obj)) {
        const char *k;
        json_t *v;
        CURL *esc = curl_easy_init();
        json_object_foreach((json_t *)obj, k, v)
        {
            if (!json_is_string(v) || has_param(u, k))
                continue;
            char *ek = curl_easy_escape(esc, k, 0);
            char *ev = curl_easy_escape(esc, json_string_value(v), 0);
            char *pair = xasprintf("%s=%s", ek, ev);
            append_pair(u, pair);
            free(pair);
            curl_free(ek);
            curl_free(ev);
        }
        curl_easy_cleanup(esc);
    }
    char *out = NULL;
    if (curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK && out) {
        res = xstrdup(out);
        curl_free(out);
    }
out:
    curl_url_cleanup(u);
    return res;
}
