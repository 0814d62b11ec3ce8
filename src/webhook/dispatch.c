/* dispatch.c - the webhook dispatcher thread (see dispatch.h). */
#include "webhook/dispatch.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "openapply/webhook.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/net.h"
#include "util/text.h"
#include "webhook/sched.h"

#define EXCERPT_MAX     512
#define LEASE_MARGIN_MS 30000
#define WH_HANDLE_POOL  256
#define WH_PREFETCH     4   /* claimed deliveries per in-flight slot (see wh_start) */
#define ROUND_MAX       256 /* attempts recorded per transaction */
#define IDLE_POLL_MS    60000
/* Shared databases: an endpoint at its bound because of other nodes' deliveries is looked at
 * again after this long. */
#define CROSS_NODE_WAIT_MS 100
#define SWEEP_EVERY_MS     60000
/* Shared databases: the longest a round waits for this node's transfers still out (see
 * gather). */
#define GATHER_MAX_US 5000

const int64_t wh_latency_bounds[WH_LAT_BUCKETS] = {10,   25,   50,    100,   250,   500,   1000,
                                                   2500, 5000, 10000, 30000, 60000, 300000};

/* One attempt: created by the database thread from a claimed delivery, sent by the network
 * thread, handed back with its outcome. */
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
    svc_attempt_result r;
    char err[256];
    struct xfer *next;
} xfer;

typedef struct {
    xfer *head, *tail;
} xfer_q;

struct wh_dispatcher {
    svc *svc;
    wh_config cfg;
    pthread_t net_thread, db_thread;
    CURLM *multi;
    wh_stats stats;
    /* Shared between the threads, under mu. */
    pthread_mutex_t mu;
    pthread_cond_t cv; /* the database thread waits here */
    xfer_q to_start;   /* database thread -> network thread */
    xfer_q done;       /* network thread -> database thread */
    bool woken;        /* an event was written */
    bool stopping;
    bool net_exited;
    int64_t stop_deadline; /* mono ms */
    /* Network thread only. */
    xfer *inflight;
    xfer_q waiting; /* claimed, held until their endpoint (and the global bound) has a slot */
    CURL *handles[WH_HANDLE_POOL]; /* reused easy handles (keep their connections' state) */
    int n_handles;
    /* Database thread only. */
    wh_sched sched;
    int64_t next_sweep; /* wall ms of the next retention batch */
    size_t done_n;      /* transfers in done (under mu) */
    int64_t round_us;   /* how long the last round with a claim took (database thread) */
};

static void q_push(xfer_q *q, xfer *x)
{
    x->next = NULL;
    if (q->tail)
        q->tail->next = x;
    else
        q->head = x;
    q->tail = x;
}

static xfer *q_take(xfer_q *q)
{
    xfer *h = q->head;
    q->head = q->tail = NULL;
    return h;
}

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

/* ---- the network thread ---- */

static void xfer_free(xfer *x)
{
    if (x->h)
        curl_easy_cleanup(x->h);
    curl_slist_free_all(x->headers);
    oa_send_clear(&x->send);
    free(x);
}

static void xfer_list_free(xfer *x)
{
    while (x) {
        xfer *n = x->next;
        xfer_free(x);
        x = n;
    }
}

static CURL *handle_get(wh_dispatcher *d)
{
    if (d->n_handles > 0) {
        CURL *h = d->handles[--d->n_handles];
        curl_easy_reset(h); /* options go, connections and caches stay */
        return h;
    }
    CURL *h = curl_easy_init();
    if (!h)
        abort(); /* allocation failure */
    return h;
}

static void handle_put(wh_dispatcher *d, CURL *h)
{
    if (d->n_handles < WH_HANDLE_POOL)
        d->handles[d->n_handles++] = h;
    else
        curl_easy_cleanup(h);
}

/* Fills x->r from the finished transfer. */
static void outcome(const wh_dispatcher *d, xfer *x, CURLcode cc)
{
    long code = 0;
    curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
    svc_attempt_result *r = &x->r;
    x->err[0] = '\0';
    memset(r, 0, sizeof *r);
    r->status_code = cc == CURLE_OK ? code : 0;
    r->latency_ms = oa_mono_ms() - x->t0_mono;
    r->attempted_at = x->attempted_at;
    r->success = cc == CURLE_OK && code >= 200 && code < 300;
    if (cc != CURLE_OK) {
        if (x->guard.refused)
            snprintf(x->err, sizeof x->err,
                     "refused: the endpoint resolves to a private or reserved address");
        else if (cc == CURLE_OPERATION_TIMEDOUT)
            snprintf(x->err, sizeof x->err, "timeout after %lld ms", (long long)d->cfg.timeout_ms);
        else
            snprintf(x->err, sizeof x->err, "%s", curl_easy_strerror(cc));
    } else if (code >= 300 && code < 400) {
        snprintf(x->err, sizeof x->err, "HTTP %ld: redirects are not followed", code);
    } else if (!r->success) {
        snprintf(x->err, sizeof x->err, "HTTP %ld", code);
    }
    r->error = r->success ? NULL : x->err;
    r->retry_after_ms = r->success ? 0 : x->retry_after_ms;
    oa_text_clean(x->excerpt, &x->excerpt_len);
    r->excerpt = x->excerpt_len ? x->excerpt : NULL;
}

static bool sign(xfer *x)
{
    const oa_send *s = &x->send;
    size_t blen = strlen(s->body);
    char kombo[OAW_SIGNATURE_MAX], sig_new[OAW_SIGNATURE_MAX], sig_old[OAW_SIGNATURE_MAX];
    int64_t ts = x->attempted_at / 1000;
    bool have_old = s->old_secret && *s->old_secret;
    if (oaw_sign_kombo(s->secret, s->body, blen, kombo) != OAW_OK ||
        oaw_sign_standard(s->secret, s->d.event_id, ts, s->body, blen, sig_new) != OAW_OK ||
        (have_old &&
         oaw_sign_standard(s->old_secret, s->d.event_id, ts, s->body, blen, sig_old) != OAW_OK))
        return false;
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
    return true;
}

/* Starts x, or, when it cannot be signed, finishes it at once without sending anything: no
 * request ever goes out without its signatures. Returns false in that case. */
static bool start(wh_dispatcher *d, xfer *x)
{
    x->guard.allow_private = d->cfg.allow_private;
    x->t0_mono = oa_mono_ms();
    x->attempted_at = oa_now_ms();
    if (!sign(x)) {
        memset(&x->r, 0, sizeof x->r);
        snprintf(x->err, sizeof x->err, "not sent: the payload could not be signed");
        x->r.error = x->err;
        x->r.attempted_at = x->attempted_at;
        oa_log(OA_LOG_ERROR, "webhook.sign_failed", "delivery_id=%s endpoint_id=%s", x->send.d.id,
               x->send.d.endpoint_id);
        return false;
    }
    const oa_send *s = &x->send;
    CURL *h = handle_get(d);
    x->h = h;
    curl_easy_setopt(h, CURLOPT_URL, s->url);
    curl_easy_setopt(h, CURLOPT_PRIVATE, x);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, s->body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(s->body));
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
    return true;
}

static void unlink_inflight(wh_dispatcher *d, xfer *x)
{
    curl_multi_remove_handle(d->multi, x->h);
    for (xfer **p = &d->inflight; *p; p = &(*p)->next) {
        if (*p == x) {
            *p = x->next;
            break;
        }
    }
    atomic_fetch_sub(&d->stats.inflight, 1);
    handle_put(d, x->h);
    x->h = NULL;
    curl_slist_free_all(x->headers);
    x->headers = NULL;
}

static int endpoint_inflight(const wh_dispatcher *d, const char *endpoint_id)
{
    int n = 0;
    for (const xfer *x = d->inflight; x; x = x->next)
        n += strcmp(x->send.d.endpoint_id, endpoint_id) == 0;
    return n;
}

/* Starts the waiting deliveries whose endpoint has a free slot, in claim order, within the
 * global bound. */
static void start_waiting(wh_dispatcher *d, xfer_q *finished)
{
    xfer_q keep = {0};
    xfer *x = q_take(&d->waiting);
    while (x) {
        xfer *n = x->next;
        if (atomic_load(&d->stats.inflight) < d->cfg.max_inflight &&
            endpoint_inflight(d, x->send.d.endpoint_id) < d->cfg.per_endpoint) {
            if (!start(d, x))
                q_push(finished, x);
        } else {
            q_push(&keep, x);
        }
        x = n;
    }
    d->waiting = keep;
}

/* Never touches the database: claimed deliveries arrive in to_start, finished ones leave
 * through done, and the database thread does the rest. */
static void *net_run(void *arg)
{
    wh_dispatcher *d = arg;
    for (;;) {
        xfer_q finished = {0};
        pthread_mutex_lock(&d->mu);
        bool stopping = d->stopping;
        xfer *q = stopping ? NULL : q_take(&d->to_start);
        pthread_mutex_unlock(&d->mu);
        while (q) {
            xfer *n = q->next;
            q_push(&d->waiting, q);
            q = n;
        }
        if (!stopping)
            start_waiting(d, &finished);
        if (stopping && (!d->inflight || oa_mono_ms() >= d->stop_deadline))
            break;
        if (!finished.head) {
            long to = -1;
            curl_multi_timeout(d->multi, &to);
            int wait_ms = to < 0 || to > 1000 ? 1000 : (int)to;
            if (stopping && wait_ms > 50)
                wait_ms = 50;
            curl_multi_poll(d->multi, NULL, 0, wait_ms, NULL);
        }
        int running = 0;
        curl_multi_perform(d->multi, &running);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(d->multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            xfer *x = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            outcome(d, x, m->data.result);
            unlink_inflight(d, x);
            q_push(&finished, x);
        }
        /* Slots freed: the held deliveries go now, not after the next database round. */
        if (finished.head && !stopping)
            start_waiting(d, &finished);
        if (finished.head) {
            pthread_mutex_lock(&d->mu);
            if (d->done.tail)
                d->done.tail->next = finished.head;
            else
                d->done.head = finished.head;
            d->done.tail = finished.tail;
            for (xfer *x = finished.head; x; x = x->next)
                d->done_n++;
            pthread_cond_signal(&d->cv);
            pthread_mutex_unlock(&d->mu);
        }
    }
    /* Abandon what is still in flight or held: nothing recorded, leases released by wh_stop. */
    xfer_list_free(q_take(&d->waiting));
    while (d->inflight) {
        xfer *x = d->inflight;
        unlink_inflight(d, x);
        xfer_free(x);
    }
    pthread_mutex_lock(&d->mu);
    d->net_exited = true;
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
    return NULL;
}

/* ---- the database thread ---- */

static void account(wh_dispatcher *d, const xfer *x, oa_status rc, bool exhausted, bool lost)
{
    const svc_attempt_result *r = &x->r;
    const char *what = lost         ? "lease_lost"
                       : r->success ? "delivered"
                       : exhausted  ? "failed"
                                    : "retry";
    if (oa_log_enabled(r->success ? OA_LOG_INFO : OA_LOG_WARN)) {
        char q[OA_LOGQ_SIZE];
        oa_log(r->success ? OA_LOG_INFO : OA_LOG_WARN, "webhook.attempt",
               "tenant=%s delivery_id=%s event_id=%s endpoint_id=%s attempt=%lld status=%ld "
               "ms=%lld outcome=%s recorded=%s error=%s",
               x->send.d.tenant, x->send.d.id, x->send.d.event_id, x->send.d.endpoint_id,
               (long long)x->send.d.attempts + 1, r->status_code, (long long)r->latency_ms, what,
               oa_status_str(rc), oa_logq(q, sizeof q, r->error ? r->error : "-"));
    }
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

/* One round: record what finished, take a fresh snapshot of the endpoints, claim what the
 * plan allows; all in one transaction. */
struct round {
    wh_dispatcher *d;
    bool claim;
    int64_t now;
    xfer **fin;
    size_t nfin;
    const oa_send **sends;
    svc_attempt_result *res;
    bool *exhausted, *lost;
    store_claim_slot slots[64];
    int planned[64]; /* what the scheduler asked for, before the bound across nodes */
    size_t nslots;
    int got[64];
    int64_t next_due[64];
    oa_send *claimed;
    size_t nclaimed;
};

static void round_reset(struct round *r)
{
    for (size_t i = 0; i < r->nclaimed; i++)
        oa_send_clear(&r->claimed[i]);
    free(r->claimed);
    r->claimed = NULL;
    r->nclaimed = 0;
    r->nslots = 0;
}

static oa_status round_tx(oa_tx *tx, void *arg)
{
    struct round *r = arg;
    wh_dispatcher *d = r->d;
    round_reset(r);
    oa_status rc = OA_OK;
    if (r->nfin)
        rc = svc_delivery_settle_tx(d->svc, tx, r->now, r->sends, r->res, r->nfin, r->exhausted,
                                    r->lost);
    if (rc != OA_OK || !r->claim)
        return rc;
    store_ep_due *due = NULL;
    size_t ndue = 0;
    rc = store_endpoints_due(tx, &due, &ndue);
    if (rc != OA_OK)
        return rc;
    wh_sched_update(&d->sched, due, ndue, r->now);
    free(due);
    r->nslots = wh_sched_plan(&d->sched, r->now, r->slots, OA_ARRAY_LEN(r->slots));
    if (!r->nslots)
        return OA_OK;
    for (size_t i = 0; i < r->nslots; i++)
        r->planned[i] = r->slots[i].limit;
    double tokens[64] = {0}; /* shared databases: each endpoint's bucket now (if rate-limited) */
    store_ep_shared sh[64] = {0};
    if (store_shared(d->svc->store)) {
        /* Other nodes deliver to the same endpoints: the per-endpoint bound counts every
         * node's leased deliveries, and the rate limit spends one bucket in the endpoint's row,
         * both read under a lock of the row (this node's deliveries included, so no prefetch
         * beyond the bound on a shared database). */
        const char *ids[64];
        for (size_t i = 0; i < r->nslots; i++)
            ids[i] = r->slots[i].endpoint_id;
        rc = store_endpoints_lock(tx, ids, r->nslots, r->now, sh);
        if (rc != OA_OK)
            return rc;
        for (size_t i = 0; i < r->nslots; i++) {
            int64_t room = d->cfg.per_endpoint - sh[i].leased;
            if (sh[i].rate > 0) {
                tokens[i] = wh_sched_bucket(sh[i].rate, sh[i].bucket_full, sh[i].rl_milli,
                                            sh[i].rl_at, r->now);
                if ((int64_t)tokens[i] < room)
                    room = (int64_t)tokens[i];
            }
            if (room < r->slots[i].limit)
                r->slots[i].limit = room > 0 ? (int)room : 0;
        }
    }
    /* A claimed delivery may wait for WH_PREFETCH - 1 transfers of its endpoint before its own:
     * the lease covers them all. */
    rc = store_delivery_claim(tx, r->now, d->cfg.timeout_ms * WH_PREFETCH + LEASE_MARGIN_MS,
                              r->slots, r->nslots, &r->claimed, &r->nclaimed);
    for (size_t i = 0; rc == OA_OK && i < r->nslots; i++) {
        r->got[i] = 0;
        r->next_due[i] = 0;
        for (size_t k = 0; k < r->nclaimed; k++)
            r->got[i] += strcmp(r->claimed[k].d.endpoint_id, r->slots[i].endpoint_id) == 0;
        if (store_shared(d->svc->store) && sh[i].rate > 0 && r->got[i] > 0) {
            double left = tokens[i] - r->got[i];
            rc = store_endpoint_bucket_set(tx, r->slots[i].endpoint_id,
                                           (int64_t)(left > 0 ? left * 1000.0 : 0), r->now);
            if (rc != OA_OK)
                return rc;
        }
        /* Held back by other nodes: by the shared bucket, look again when its next token
         * comes; by their deliveries in flight, shortly (their settles send no hint). */
        wh_ep *e = wh_sched_find(&d->sched, r->slots[i].endpoint_id);
        if (r->got[i] == r->slots[i].limit && r->slots[i].limit < r->planned[i]) {
            double left = sh[i].rate > 0 ? tokens[i] - r->got[i] : 1.0;
            /* Another node keeps the endpoint at its bound: look again after 100 ms, backing
             * off to 1.6 s while it stays so, since every look locks the endpoint's row and
             * makes that node's round wait. New work and finished transfers of its own wake
             * this node sooner. */
            int k = e ? (e->held_back < 4 ? e->held_back : 4) : 0;
            if (e && r->got[i] == 0)
                e->held_back++;
            r->next_due[i] =
                left < 1.0 ? r->now + (int64_t)((1.0 - left) * 1000.0 / (double)sh[i].rate) + 1
                           : r->now + ((int64_t)CROSS_NODE_WAIT_MS << k);
            continue;
        }
        if (e)
            e->held_back = 0;
        /* Everything due was taken: when is the next one due (the claim's own conditions)? */
        if (r->got[i] < r->slots[i].limit) {
            rc = store_endpoint_next_due(tx, r->slots[i].endpoint_id, &r->next_due[i]);
            if (rc == OA_NOT_FOUND) {
                r->next_due[i] = 0;
                rc = OA_OK;
            }
        }
    }
    return rc;
}

/* Runs rounds for the finished transfers in fin (any number) and one claim. Returns false
 * when the store failed. */
static bool run_round(wh_dispatcher *d, xfer *fin, bool claim)
{
    size_t total = 0;
    for (xfer *x = fin; x; x = x->next)
        total++;
    struct round r = {.d = d};
    size_t cap = total < ROUND_MAX ? (total ? total : 1) : ROUND_MAX;
    r.fin = xcalloc(cap, sizeof *r.fin);
    r.sends = xcalloc(cap, sizeof *r.sends);
    r.res = xcalloc(cap, sizeof *r.res);
    r.exhausted = xcalloc(cap, sizeof *r.exhausted);
    r.lost = xcalloc(cap, sizeof *r.lost);
    bool ok = true;
    do {
        r.nfin = 0;
        while (fin && r.nfin < ROUND_MAX) {
            xfer *x = fin;
            fin = x->next;
            x->next = NULL;
            wh_sched_settled(&d->sched, x->send.d.endpoint_id);
            r.fin[r.nfin] = x;
            r.sends[r.nfin] = &x->send;
            r.res[r.nfin] = x->r;
            r.nfin++;
        }
        r.claim = claim && !fin; /* claim once, with the last batch */
        r.now = oa_now_ms();
        oa_status rc = store_transact(d->svc->store, STORE_WRITE_ALONE, round_tx, &r);
        if (rc != OA_OK) {
            oa_log(OA_LOG_WARN, "webhook.round_failed", "status=%s attempts=%zu", oa_status_str(rc),
                   r.nfin);
            round_reset(&r);
            ok = false;
        }
        for (size_t i = 0; i < r.nfin; i++) {
            account(d, r.fin[i], rc, r.exhausted[i], r.lost[i]);
            xfer_free(r.fin[i]);
        }
    } while (fin);
    if (ok && r.nslots) {
        for (size_t i = 0; i < r.nslots; i++)
            wh_sched_claimed(&d->sched, r.slots[i].endpoint_id, r.got[i], r.planned[i],
                             r.next_due[i], r.now);
        if (oa_log_enabled(OA_LOG_DEBUG))
            oa_log(OA_LOG_DEBUG, "webhook.claimed", "count=%zu endpoints=%zu inflight=%d",
                   r.nclaimed, r.nslots, d->sched.inflight);
        if (r.nclaimed) {
            pthread_mutex_lock(&d->mu);
            for (size_t i = 0; i < r.nclaimed; i++) {
                xfer *x = xcalloc(1, sizeof *x);
                x->send = r.claimed[i];
                q_push(&d->to_start, x);
            }
            pthread_mutex_unlock(&d->mu);
            free(r.claimed);
            r.claimed = NULL;
            r.nclaimed = 0;
            curl_multi_wakeup(d->multi);
        }
    }
    round_reset(&r);
    free(r.fin);
    free(r.sends);
    free(r.res);
    free(r.exhausted);
    free(r.lost);
    return ok;
}

static void sweep(wh_dispatcher *d)
{
    int64_t now = oa_now_ms();
    if (now < d->next_sweep)
        return;
    int64_t nd = 0, ne = 0;
    bool more = false;
    oa_status rc = svc_retention_sweep(d->svc, now, &nd, &ne, &more);
    if (rc != OA_OK)
        oa_log(OA_LOG_WARN, "webhook.retention_failed", "status=%s", oa_status_str(rc));
    /* Every minute, or more often for a short retention (tests, demos). */
    int64_t every = d->svc->retention_ms / 4;
    every = every < 1000 ? 1000 : every > SWEEP_EVERY_MS ? SWEEP_EVERY_MS : every;
    d->next_sweep = now + (more ? 100 : every);
}

/* Shared databases (called with mu held, finished transfers waiting in done): a round there
 * is a dozen round trips, and a claim takes no more than the bound (no prefetch), so a
 * delivery holds its slot from the claim until the round after its transfer finished. A round
 * that starts while most of the last claim's transfers are still out settles few and frees
 * few slots. So wait, at most as long as the last round took (and GATHER_MAX_US), until every
 * transfer this node has out is back: the next round then settles them all in one batch and
 * claims as many. On SQLite a round is a few function calls: no wait. */
static void gather(wh_dispatcher *d)
{
    if (!store_shared(d->svc->store) || !d->done.head || d->stopping || d->round_us <= 0)
        return;
    int64_t wait_us = d->round_us < GATHER_MAX_US ? d->round_us : GATHER_MAX_US;
    struct timespec end = oa_deadline_us(wait_us);
    while (!d->stopping && (int64_t)d->done_n < d->sched.inflight)
        if (pthread_cond_timedwait(&d->cv, &d->mu, &end) == ETIMEDOUT)
            break;
}

static void *db_run(void *arg)
{
    wh_dispatcher *d = arg;
    int64_t wake_at = 0; /* wall ms; 0 = at once */
    for (;;) {
        pthread_mutex_lock(&d->mu);
        for (;;) {
            if (d->done.head || d->woken || d->stopping)
                break;
            int64_t now = oa_now_ms();
            int64_t until = wake_at ? wake_at : now;
            if (d->next_sweep < until)
                until = d->next_sweep;
            if (until <= now)
                break;
            struct timespec ts = oa_deadline_us((until - now) * 1000);
            pthread_cond_timedwait(&d->cv, &d->mu, &ts);
        }
        gather(d);
        xfer *fin = q_take(&d->done);
        d->done_n = 0;
        d->woken = false;
        bool stopping = d->stopping, net_exited = d->net_exited;
        pthread_mutex_unlock(&d->mu);
        if (stopping) {
            /* Record what finished; claim nothing more. */
            if (fin)
                run_round(d, fin, false);
            else if (net_exited)
                break;
            else {
                pthread_mutex_lock(&d->mu);
                if (!d->done.head && !d->net_exited)
                    pthread_cond_wait(&d->cv, &d->mu);
                pthread_mutex_unlock(&d->mu);
            }
            continue;
        }
        int64_t t0 = oa_mono_us();
        bool ok = run_round(d, fin, true);
        d->round_us = oa_mono_us() - t0;
        int64_t now = oa_now_ms();
        int64_t next = ok ? wh_sched_next_wake(&d->sched, now) : now + 1000;
        /* A bounded fallback: leases of a process that died, clock steps. */
        wake_at = next && next < now + IDLE_POLL_MS ? next : now + IDLE_POLL_MS;
        /* A shared database: other nodes' deliveries may fall due without a hint reaching
         * this one (store_poll_ms). */
        if (d->svc->poll_ms > 0 && wake_at > now + d->svc->poll_ms)
            wake_at = now + d->svc->poll_ms;
        sweep(d);
    }
    return NULL;
}

static oa_status release_tx(oa_tx *tx, void *arg)
{
    return store_deliveries_release(tx, oa_now_ms(), (int64_t *)arg);
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
    if (d->cfg.per_endpoint > STORE_CLAIM_MAX)
        d->cfg.per_endpoint = STORE_CLAIM_MAX;
    if (d->cfg.max_inflight < d->cfg.per_endpoint)
        d->cfg.max_inflight = d->cfg.per_endpoint;
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
    /* The scheduler bounds what is claimed and not yet settled at WH_PREFETCH x the in-flight
     * bounds; the network thread holds the extra ones until a slot frees, so a transfer that
     * finishes is replaced at once instead of after the next database round. */
    wh_sched_init(&d->sched, d->cfg.per_endpoint * WH_PREFETCH, d->cfg.max_inflight * WH_PREFETCH);
    d->next_sweep = oa_now_ms() + 1000;
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->cv, NULL);
    s->wake_events = wh_wake;
    s->wake_events_arg = d;
    if (pthread_create(&d->net_thread, NULL, net_run, d) != 0) {
        s->wake_events = NULL;
        curl_multi_cleanup(d->multi);
        free(d);
        return OA_ERR;
    }
    if (pthread_create(&d->db_thread, NULL, db_run, d) != 0) {
        s->wake_events = NULL;
        pthread_mutex_lock(&d->mu);
        d->stopping = true;
        pthread_mutex_unlock(&d->mu);
        curl_multi_wakeup(d->multi);
        pthread_join(d->net_thread, NULL);
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
    if (!d)
        return;
    pthread_mutex_lock(&d->mu);
    d->woken = true;
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

void wh_stop(wh_dispatcher *d, int64_t grace_ms)
{
    if (!d)
        return;
    d->svc->wake_events = NULL;
    pthread_mutex_lock(&d->mu);
    d->stop_deadline = oa_mono_ms() + grace_ms;
    d->stopping = true;
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
    curl_multi_wakeup(d->multi);
    pthread_join(d->net_thread, NULL);
    pthread_join(d->db_thread, NULL);
    xfer_list_free(q_take(&d->to_start)); /* claimed, never started */
    xfer_list_free(q_take(&d->done));
    int64_t released = 0;
    if (store_transact(d->svc->store, STORE_WRITE, release_tx, &released) == OA_OK && released)
        oa_log(OA_LOG_INFO, "webhook.leases_released", "count=%lld", (long long)released);
    for (int i = 0; i < d->n_handles; i++)
        curl_easy_cleanup(d->handles[i]);
    curl_multi_cleanup(d->multi);
    wh_sched_free(&d->sched);
    pthread_mutex_destroy(&d->mu);
    pthread_cond_destroy(&d->cv);
    free(d);
}

const wh_stats *wh_get_stats(const wh_dispatcher *d)
{
    return &d->stats;
}
