/* dispatch.c - the webhook dispatcher thread (see dispatch.h). */
#include "webhook/dispatch.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "openapply/webhook.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/net.h"
#include "util/text.h"

#define EXCERPT_MAX     512
#define LEASE_MARGIN_MS 30000

const int64_t wh_latency_bounds[WH_LAT_BUCKETS] = {10,   25,   50,    100,   250,   500,   1000,
                                                   2500, 5000, 10000, 30000, 60000, 300000};

typedef struct xfer {
    CURL *h;
    struct curl_slist *headers;
    oa_send send;
    char excerpt[EXCERPT_MAX + 1];
    size_t excerpt_len;
    int64_t retry_after_ms;
    int64_t t0_mono;
    int64_t attempted_at;
    oa_net_guard guard; /* SSRF guard (refused: it refused the connection) */
    struct xfer *next;
} xfer;

struct wh_dispatcher {
    svc *svc;
    wh_config cfg;
    pthread_t thread;
    CURLM *multi;
    xfer *inflight;
    atomic_bool stopping;
    atomic_bool woken;
    int64_t stop_deadline;
    atomic_bool abandon;
    wh_stats stats;
};

/* ---- curl callbacks ---- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    xfer *x = ud;
    size_t len = size * n;
    size_t room = EXCERPT_MAX - x->excerpt_len;
    size_t take = len < room ? len : room;
    memcpy(x->excerpt + x->excerpt_len, p, take);
    x->excerpt_len += take;
    x->excerpt[x->excerpt_len] = '\0';
    return len; /* read and discard the rest */
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    xfer *x = ud;
    size_t len = size * n;
    if (len > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
        char v[128];
        size_t vl = len - 12 < sizeof v - 1 ? len - 12 : sizeof v - 1;
        memcpy(v, p + 12, vl);
        v[vl] = '\0';
        char *s = v;
        while (*s == ' ' || *s == '\t')
            s++;
        size_t e = strlen(s);
        while (e && (s[e - 1] == '\r' || s[e - 1] == '\n' || s[e - 1] == ' '))
            s[--e] = '\0';
        int64_t secs;
        if (oa_parse_int(s, 0, 86400 * 7, &secs) == OA_OK) {
            x->retry_after_ms = secs * 1000;
        } else {
            time_t t = curl_getdate(s, NULL);
            if (t > 0) {
                int64_t d = (int64_t)t * 1000 - oa_now_ms();
                x->retry_after_ms = d > 0 ? d : 1;
            }
        }
    }
    return len;
}

/* ---- sending ---- */

static void xfer_free(xfer *x)
{
    if (x->h)
        curl_easy_cleanup(x->h);
    curl_slist_free_all(x->headers);
    oa_send_clear(&x->send);
    free(x);
}

static void start(wh_dispatcher *d, oa_send *send)
{
    xfer *x = xcalloc(1, sizeof *x);
    x->send = *send;
    memset(send, 0, sizeof *send);
    x->guard.allow_private = d->cfg.allow_private;
    x->t0_mono = oa_mono_ms();
    x->attempted_at = oa_now_ms();
    const oa_send *s = &x->send;
    size_t blen = strlen(s->body);
    char kombo[OAW_SIGNATURE_MAX], sig_new[OAW_SIGNATURE_MAX], sig_old[OAW_SIGNATURE_MAX];
    int64_t ts = x->attempted_at / 1000;
    bool have_old = s->old_secret && *s->old_secret;
    if (oaw_sign_kombo(s->secret, s->body, blen, kombo) != OAW_OK ||
        oaw_sign_standard(s->secret, s->d.event_id, ts, s->body, blen, sig_new) != OAW_OK ||
        (have_old &&
         oaw_sign_standard(s->old_secret, s->d.event_id, ts, s->body, blen, sig_old) != OAW_OK)) {
        /* Cannot happen with secrets we generated; record it as a failed attempt. */
        have_old = false;
        kombo[0] = sig_new[0] = '\0';
    }
    char line[256];
    x->headers = curl_slist_append(x->headers, "Content-Type: application/json");
    x->headers = curl_slist_append(x->headers, "Expect:"); /* no 100-continue round trip */
    snprintf(line, sizeof line, "X-Kombo-Signature: %s", kombo);
    x->headers = curl_slist_append(x->headers, line);
    snprintf(line, sizeof line, "webhook-id: %s", s->d.event_id);
    x->headers = curl_slist_append(x->headers, line);
    snprintf(line, sizeof line, "webhook-timestamp: %lld", (long long)ts);
    x->headers = curl_slist_append(x->headers, line);
    if (have_old)
        snprintf(line, sizeof line, "webhook-signature: %s %s", sig_new, sig_old);
    else
        snprintf(line, sizeof line, "webhook-signature: %s", sig_new);
    x->headers = curl_slist_append(x->headers, line);

    CURL *h = curl_easy_init();
    if (!h)
        abort(); /* allocation failure */
    x->h = h;
    curl_easy_setopt(h, CURLOPT_URL, s->url);
    curl_easy_setopt(h, CURLOPT_PRIVATE, x);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, s->body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)blen);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "openapply/" OA_VERSION);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)d->cfg.timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(d->cfg.timeout_ms < 10000 ? d->cfg.timeout_ms : 10000));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, oa_curl_open_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &x->guard);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    x->next = d->inflight;
    d->inflight = x;
    atomic_fetch_add(&d->stats.inflight, 1);
    curl_multi_add_handle(d->multi, h);
}

static int endpoint_load(const wh_dispatcher *d, const char *endpoint_id)
{
    int n = 0;
    for (const xfer *x = d->inflight; x; x = x->next)
        n += strcmp(x->send.d.endpoint_id, endpoint_id) == 0;
    return n;
}

/* Keeps the excerpt valid UTF-8 and printable for the JSON attempt log. */
static void clean_excerpt(char *s, size_t n)
{
    if (!oa_utf8_valid(s, n))
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)s[i] >= 0x80)
                s[i] = '?';
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            s[i] = ' ';
}

/* A finished transfer and what it came to. */
typedef struct {
    xfer *x;
    svc_attempt_result r;
    char err[256];
} done_xfer;

static void outcome(const wh_dispatcher *d, xfer *x, CURLcode cc, done_xfer *o)
{
    long code = 0;
    curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
    svc_attempt_result *r = &o->r;
    o->x = x;
    o->err[0] = '\0';
    memset(r, 0, sizeof *r);
    r->status_code = cc == CURLE_OK ? code : 0;
    r->latency_ms = oa_mono_ms() - x->t0_mono;
    r->attempted_at = x->attempted_at;
    r->success = cc == CURLE_OK && code >= 200 && code < 300;
    if (cc != CURLE_OK) {
        if (x->guard.refused)
            snprintf(o->err, sizeof o->err,
                     "refused: the endpoint resolves to a private or reserved address");
        else if (cc == CURLE_OPERATION_TIMEDOUT)
            snprintf(o->err, sizeof o->err, "timeout after %lld ms", (long long)d->cfg.timeout_ms);
        else
            snprintf(o->err, sizeof o->err, "%s", curl_easy_strerror(cc));
    } else if (code >= 300 && code < 400) {
        snprintf(o->err, sizeof o->err, "HTTP %ld: redirects are not followed", code);
    } else if (!r->success) {
        snprintf(o->err, sizeof o->err, "HTTP %ld", code);
    }
    r->error = r->success ? NULL : o->err;
    r->retry_after_ms = r->success ? 0 : x->retry_after_ms;
    clean_excerpt(x->excerpt, x->excerpt_len);
    r->excerpt = x->excerpt_len ? x->excerpt : NULL;
}

static void account(wh_dispatcher *d, const done_xfer *o, oa_status rc, bool exhausted, bool lost)
{
    const xfer *x = o->x;
    const svc_attempt_result *r = &o->r;
    const char *what = lost         ? "lease_lost"
                       : r->success ? "delivered"
                       : exhausted  ? "failed"
                                    : "retry";
    char q[OA_LOGQ_SIZE];
    oa_log(r->success ? OA_LOG_INFO : OA_LOG_WARN, "webhook.attempt",
           "tenant=%s delivery_id=%s event_id=%s endpoint_id=%s attempt=%lld status=%ld ms=%lld "
           "outcome=%s recorded=%s error=%s",
           x->send.d.tenant, x->send.d.id, x->send.d.event_id, x->send.d.endpoint_id,
           (long long)x->send.d.attempts + 1, r->status_code, (long long)r->latency_ms, what,
           oa_status_str(rc), oa_logq(q, sizeof q, r->error ? r->error : "-"));
    if (rc != OA_OK || lost)
        return;
    if (r->success) {
        atomic_fetch_add(&d->stats.attempts_ok, 1);
        atomic_fetch_add(&d->stats.delivered, 1);
        int64_t lat = oa_now_ms() - x->send.event_created_at;
        if (lat < 0)
            lat = 0;
        atomic_fetch_add(&d->stats.latency_count, 1);
        atomic_fetch_add(&d->stats.latency_sum_ms, lat);
        size_t b = 0;
        while (b < WH_LAT_BUCKETS && lat > wh_latency_bounds[b])
            b++;
        atomic_fetch_add(&d->stats.latency_bucket[b], 1);
    } else {
        atomic_fetch_add(&d->stats.attempts_failed, 1);
        if (exhausted)
            atomic_fetch_add(&d->stats.exhausted, 1);
    }
}

static void remove_xfer(wh_dispatcher *d, xfer *x)
{
    curl_multi_remove_handle(d->multi, x->h);
    for (xfer **p = &d->inflight; *p; p = &(*p)->next) {
        if (*p == x) {
            *p = x->next;
            break;
        }
    }
    atomic_fetch_sub(&d->stats.inflight, 1);
    xfer_free(x);
}

/* ---- claiming ---- */

struct claim_ctx {
    wh_dispatcher *d;
    const char *busy;
    int limit;
    oa_send *sends;
    size_t n;
};

static oa_status claim_tx(oa_tx *tx, void *arg)
{
    struct claim_ctx *c = arg;
    for (size_t i = 0; i < c->n; i++)
        oa_send_clear(&c->sends[i]);
    free(c->sends);
    c->sends = NULL;
    c->n = 0;
    return store_delivery_claim(tx, oa_now_ms(), c->d->cfg.timeout_ms + LEASE_MARGIN_MS, c->limit,
                                c->d->cfg.per_endpoint, c->busy, &c->sends, &c->n);
}

static oa_status unlease_tx(oa_tx *tx, void *arg)
{
    const oa_send *s = arg;
    return store_exec(tx,
                      "UPDATE webhook_deliveries SET lease_until = NULL, lease_token = NULL "
                      "WHERE id = ? AND lease_token = ?",
                      "tt", s->d.id, s->d.lease_token);
}

static void fill(wh_dispatcher *d)
{
    int free_slots = d->cfg.max_inflight - atomic_load(&d->stats.inflight);
    if (free_slots <= 0)
        return;
    /* Endpoints at their bound are left out of the claim. */
    json_t *busy = json_array();
    for (const xfer *x = d->inflight; x; x = x->next)
        if (endpoint_load(d, x->send.d.endpoint_id) >= d->cfg.per_endpoint)
            json_array_append_new(busy, json_string(x->send.d.endpoint_id));
    char *busy_json = json_dumps(busy, JSON_COMPACT);
    json_decref(busy);
    struct claim_ctx c = {d, busy_json, free_slots, NULL, 0};
    oa_status rc = store_transact(d->svc->store, STORE_WRITE, claim_tx, &c);
    free(busy_json);
    if (rc != OA_OK && rc != OA_NOT_FOUND)
        oa_log(OA_LOG_WARN, "webhook.claim_failed", "status=%s", oa_status_str(rc));
    if (oa_log_enabled(OA_LOG_DEBUG))
        oa_log(OA_LOG_DEBUG, "webhook.claimed", "count=%zu free_slots=%d inflight=%d", c.n,
               free_slots, atomic_load(&d->stats.inflight));
    for (size_t i = 0; i < c.n; i++) {
        if (endpoint_load(d, c.sends[i].d.endpoint_id) >= d->cfg.per_endpoint) {
            /* A partly busy endpoint got more than its bound in this batch: give back. */
            if (store_transact(d->svc->store, STORE_WRITE, unlease_tx, &c.sends[i]) != OA_OK)
                oa_log(OA_LOG_WARN, "webhook.unlease_failed", "delivery_id=%s", c.sends[i].d.id);
            oa_send_clear(&c.sends[i]);
            continue;
        }
        start(d, &c.sends[i]);
    }
    free(c.sends);
}

static oa_status next_due_tx(oa_tx *tx, void *arg)
{
    return store_delivery_next_due(tx, (int64_t *)arg);
}

static void *run(void *arg)
{
    wh_dispatcher *d = arg;
    /* Claim only when something may have changed: a wake-up (an event was written), a
     * finished transfer (a slot freed, an ordering successor unblocked), or the next due time
     * passed. Otherwise sleep in curl_multi_poll. */
    bool claim = true;
    int64_t next_due = 0;
    for (;;) {
        bool stopping = atomic_load(&d->stopping);
        if (stopping && (!d->inflight || oa_mono_ms() >= d->stop_deadline))
            break;
        if (atomic_exchange(&d->woken, false))
            claim = true;
        if (!stopping && (claim || oa_now_ms() >= next_due)) {
            fill(d);
            claim = false;
            if (store_transact(d->svc->store, STORE_READ, next_due_tx, &next_due) != OA_OK)
                next_due = oa_now_ms() + 30000;
        }
        int64_t wait_ms = stopping ? 50 : next_due - oa_now_ms();
        /* Due but not claimable now (busy endpoint, an earlier event of the resource in
         * flight): a finished transfer will set `claim`; poll again soon regardless. */
        if (wait_ms < 1)
            wait_ms = d->inflight ? 250 : 50;
        if (wait_ms > 30000)
            wait_ms = 30000;
        long curl_to = -1;
        curl_multi_timeout(d->multi, &curl_to);
        if (curl_to >= 0 && curl_to < wait_ms)
            wait_ms = curl_to < 1 ? 1 : curl_to;
        curl_multi_poll(d->multi, NULL, 0, (int)wait_ms, NULL);
        int running = 0;
        curl_multi_perform(d->multi, &running);
        /* Everything finished in this round is recorded in one transaction. */
        done_xfer done[64];
        size_t nd = 0;
        CURLMsg *m;
        int left;
        while (nd < OA_ARRAY_LEN(done) && (m = curl_multi_info_read(d->multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            xfer *x = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            outcome(d, x, m->data.result, &done[nd++]);
        }
        if (nd) {
            const oa_send *sends[OA_ARRAY_LEN(done)];
            svc_attempt_result res[OA_ARRAY_LEN(done)];
            bool exhausted[OA_ARRAY_LEN(done)], lost[OA_ARRAY_LEN(done)];
            for (size_t i = 0; i < nd; i++) {
                sends[i] = &done[i].x->send;
                res[i] = done[i].r;
            }
            oa_status rc = svc_delivery_record_batch(d->svc, sends, res, nd, exhausted, lost);
            for (size_t i = 0; i < nd; i++) {
                account(d, &done[i], rc, exhausted[i], lost[i]);
                remove_xfer(d, done[i].x);
            }
            claim = true;
        }
    }
    /* Abandon what is still in flight: nothing recorded, leases released by wh_stop. */
    while (d->inflight)
        remove_xfer(d, d->inflight);
    return NULL;
}

static oa_status release_tx(oa_tx *tx, void *arg)
{
    return store_deliveries_release(tx, (int64_t *)arg);
}

oa_status wh_start(svc *s, const wh_config *cfg, wh_dispatcher **out)
{
    wh_dispatcher *d = xcalloc(1, sizeof *d);
    d->svc = s;
    d->cfg = *cfg;
    if (d->cfg.max_inflight <= 0)
        d->cfg.max_inflight = 64;
    if (d->cfg.per_endpoint <= 0)
        d->cfg.per_endpoint = 8;
    if (d->cfg.timeout_ms <= 0)
        d->cfg.timeout_ms = 15000;
    int64_t released = 0;
    oa_status rc = store_transact(s->store, STORE_WRITE, release_tx, &released);
    if (rc != OA_OK) {
        free(d);
        return rc;
    }
    if (released)
        oa_log(OA_LOG_INFO, "webhook.recovered", "leases_released=%lld", (long long)released);
    d->multi = curl_multi_init();
    if (!d->multi) {
        free(d);
        return OA_ERR;
    }
    curl_multi_setopt(d->multi, CURLMOPT_MAXCONNECTS, (long)d->cfg.max_inflight * 2);
    s->wake_events = wh_wake;
    s->wake_events_arg = d;
    if (pthread_create(&d->thread, NULL, run, d) != 0) {
        curl_multi_cleanup(d->multi);
        free(d);
        return OA_ERR;
    }
    oa_log(OA_LOG_INFO, "webhook.dispatcher_started",
           "max_inflight=%d per_endpoint=%d timeout_ms=%lld", d->cfg.max_inflight,
           d->cfg.per_endpoint, (long long)d->cfg.timeout_ms);
    *out = d;
    return OA_OK;
}

void wh_wake(void *arg)
{
    wh_dispatcher *d = arg;
    if (d) {
        atomic_store(&d->woken, true);
        curl_multi_wakeup(d->multi);
    }
}

void wh_stop(wh_dispatcher *d, int64_t grace_ms)
{
    if (!d)
        return;
    d->svc->wake_events = NULL;
    d->stop_deadline = oa_mono_ms() + grace_ms;
    atomic_store(&d->stopping, true);
    curl_multi_wakeup(d->multi);
    pthread_join(d->thread, NULL);
    int64_t released = 0;
    if (store_transact(d->svc->store, STORE_WRITE, release_tx, &released) == OA_OK && released)
        oa_log(OA_LOG_INFO, "webhook.leases_released", "count=%lld", (long long)released);
    curl_multi_cleanup(d->multi);
    free(d);
}

const wh_stats *wh_get_stats(const wh_dispatcher *d)
{
    return &d->stats;
}
