/*
 * render.c - one page in a fresh browser context (see browser.h): every request through the
 * SSRF guard, dialogs dismissed, popups closed, then wait for the network to go idle and the
 * DOM to settle, and read the rendered document.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "browser/pool.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/net.h"

#define SETTLE_POLL_MS 250
#define CALL_MS        10000 /* one protocol command, at most */
#define WAIT_MS        60000 /* waiting for a free browser, at most */
#define READ_GRACE_MS  2000  /* reading the document after the page's time ran out */

/* Runs in every frame before the page's own scripts: the channels the Fetch domain does not
 * see (WebSocket, WebTransport, WebRTC) are removed, so a page cannot reach around the guard
 * with them. */
static const char NO_SIDE_CHANNELS[] =
    "(() => { for (const k of ['WebSocket', 'WebTransport', 'RTCPeerConnection', "
    "'webkitRTCPeerConnection', 'RTCDataChannel']) { try { Object.defineProperty(window, k, "
    "{ value: undefined, configurable: false, writable: false }); } catch (e) {} } })();";

/* How much the document has: elements and visible text, to tell when it stops changing. */
static const char DOM_SIGNATURE[] =
    "document.querySelectorAll('*').length + ':' + (document.body ? "
    "document.body.innerText.length : 0)";

typedef struct {
    browser_pool *pool;
    oa_browser *b;
    const char *session;
    char frame_id[64];
    char main_request[64];
    int inflight;
    int64_t last_activity;
    bool loaded, crashed;
    bool main_refused;
    int blocked, dialogs;
    long status;
    char *violation; /* a response came from an address the guard refuses */
} page_state;

static bool request_allowed(const page_state *st, const char *url, char **why)
{
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0) {
        /* data:, blob: and about: never reach the network; anything else is refused. */
        if (strncasecmp(url, "data:", 5) == 0 || strncasecmp(url, "blob:", 5) == 0 ||
            strncasecmp(url, "about:", 6) == 0)
            return true;
        *why = xstrdup("only http(s) requests are allowed");
        return false;
    }
    return oa_url_check_resolved(url, st->pool->allow_private, why) == OA_OK;
}

/* The address a response came from, checked again (DNS may have changed since the request
 * was allowed). */
static void check_remote(page_state *st, const json_t *resp)
{
    const char *ip = json_string_value(json_object_get(resp, "remoteIPAddress"));
    json_int_t port = json_integer_value(json_object_get(resp, "remotePort"));
    if (!ip || !*ip || st->pool->allow_private)
        return;
    struct sockaddr_storage ss = {0};
    char host[64];
    snprintf(host, sizeof host, "%s", ip);
    size_t n = strlen(host);
    if (host[0] == '[' && n > 2 && host[n - 1] == ']') {
        memmove(host, host + 1, n - 2);
        host[n - 2] = '\0';
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
    } else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
    } else {
        return;
    }
    if (!oa_addr_allowed((struct sockaddr *)&ss) && !st->violation)
        st->violation = xasprintf("a response came from %s, a private or reserved address", host);
}

static void on_event(cdp *c, const char *method, json_t *params, const char *session, void *arg)
{
    page_state *st = arg;
    int64_t now = oa_mono_ms();
    if (strcmp(method, "Fetch.requestPaused") == 0) {
        const char *id = json_string_value(json_object_get(params, "requestId"));
        const json_t *req = json_object_get(params, "request");
        const char *url = json_string_value(json_object_get(req, "url"));
        if (!id)
            return;
        char *why = NULL;
        if (url && request_allowed(st, url, &why)) {
            cdp_send(c, session, "Fetch.continueRequest", json_pack("{ss}", "requestId", id));
        } else {
            const char *type = json_string_value(json_object_get(params, "resourceType"));
            const char *frame = json_string_value(json_object_get(params, "frameId"));
            if (type && strcmp(type, "Document") == 0 && frame &&
                (!st->frame_id[0] || strcmp(frame, st->frame_id) == 0))
                st->main_refused = true;
            st->blocked++;
            oa_log(OA_LOG_INFO, "browser.request_refused", "reason=\"%s\"", why ? why : "?");
            cdp_send(c, session, "Fetch.failRequest",
                     json_pack("{ssss}", "requestId", id, "errorReason", "BlockedByClient"));
        }
        free(why);
        return;
    }
    if (strcmp(method, "Target.targetCreated") == 0) {
        /* A popup or new window (window.open, target=_blank): closed at once. */
        const json_t *info = json_object_get(params, "targetInfo");
        const char *opener = json_string_value(json_object_get(info, "openerId"));
        const char *tid = json_string_value(json_object_get(info, "targetId"));
        if (opener && tid)
            cdp_send(c, NULL, "Target.closeTarget", json_pack("{ss}", "targetId", tid));
        return;
    }
    if (!session || !st->session || strcmp(session, st->session) != 0)
        return;
    if (strcmp(method, "Page.javascriptDialogOpening") == 0) {
        st->dialogs++;
        cdp_send(c, session, "Page.handleJavaScriptDialog", json_pack("{sb}", "accept", 0));
    } else if (strcmp(method, "Network.requestWillBeSent") == 0) {
        st->inflight++;
        st->last_activity = now;
        const char *type = json_string_value(json_object_get(params, "type"));
        const char *frame = json_string_value(json_object_get(params, "frameId"));
        const char *rid = json_string_value(json_object_get(params, "requestId"));
        if (type && strcmp(type, "Document") == 0 && frame && rid &&
            (!st->frame_id[0] || strcmp(frame, st->frame_id) == 0)) {
            /* The main frame's document (the first one, before Page.navigate answers). */
            snprintf(st->frame_id, sizeof st->frame_id, "%s", frame);
            snprintf(st->main_request, sizeof st->main_request, "%s", rid);
        }
    } else if (strcmp(method, "Network.loadingFinished") == 0 ||
               strcmp(method, "Network.loadingFailed") == 0) {
        if (st->inflight > 0)
            st->inflight--;
        st->last_activity = now;
    } else if (strcmp(method, "Network.responseReceived") == 0) {
        const json_t *resp = json_object_get(params, "response");
        check_remote(st, resp);
        const char *rid = json_string_value(json_object_get(params, "requestId"));
        if (rid && strcmp(rid, st->main_request) == 0)
            st->status = (long)json_integer_value(json_object_get(resp, "status"));
    } else if (strcmp(method, "Page.loadEventFired") == 0) {
        st->loaded = true;
        st->last_activity = now;
    } else if (strcmp(method, "Page.frameNavigated") == 0) {
        st->last_activity = now;
    } else if (strcmp(method, "Inspector.targetCrashed") == 0) {
        st->crashed = true;
    }
}

oa_status browser_setup(oa_browser *b, char **why)
{
    int64_t dl = oa_mono_ms() + CALL_MS;
    json_t *pat =
        json_pack("{s[{ssss}]}", "patterns", "urlPattern", "*", "requestStage", "Request");
    oa_status rc = cdp_call(&b->conn, NULL, "Fetch.enable", pat, dl, NULL, why);
    if (rc == OA_OK)
        rc = cdp_call(&b->conn, NULL, "Browser.setDownloadBehavior",
                      json_pack("{ss}", "behavior", "deny"), dl, NULL, why);
    if (rc == OA_OK)
        rc = cdp_call(&b->conn, NULL, "Target.setDiscoverTargets", json_pack("{sb}", "discover", 1),
                      dl, NULL, why);
    return rc;
}

/* Evaluates expr in the page; *out the string value (malloc'd) or NULL. */
static oa_status eval_string(oa_browser *b, const char *session, const char *expr, int64_t dl,
                             char **out, char **why)
{
    *out = NULL;
    json_t *res = NULL;
    oa_status rc =
        cdp_call(&b->conn, session, "Runtime.evaluate",
                 json_pack("{sssb}", "expression", expr, "returnByValue", 1), dl, &res, why);
    if (rc == OA_OK) {
        const char *v = json_string_value(json_object_get(json_object_get(res, "result"), "value"));
        *out = v ? xstrdup(v) : NULL;
    }
    json_decref(res);
    return rc;
}

/* Pumps events until the page settles (loaded, no request in flight, the DOM unchanged for
 * settle_ms) or the deadline; watches memory once a second. */
static oa_status settle(page_state *st, int64_t deadline, int64_t settle_ms, bool *settled,
                        bool *over_memory, char **why)
{
    oa_browser *b = st->b;
    char *sig = NULL;
    int64_t next_mem = 0;
    *settled = false;
    while (oa_mono_ms() < deadline) {
        int64_t until = oa_mono_ms() + SETTLE_POLL_MS;
        if (until > deadline)
            until = deadline;
        if (cdp_pump(&b->conn, until, &st->crashed) != OA_OK) {
            *why = xasprintf("the browser broke: %s", b->conn.why);
            free(sig);
            return OA_ERR;
        }
        if (st->crashed) {
            *why = xstrdup("the page crashed the browser's renderer");
            free(sig);
            return OA_ERR;
        }
        int64_t now = oa_mono_ms();
        if (now >= next_mem) {
            next_mem = now + 1000;
            int64_t rss = browser_proc_rss(b);
            if (rss > st->pool->memory_limit) {
                *over_memory = true;
                *why = xasprintf("the page made the browser use %lld MiB (limit %lld MiB)",
                                 (long long)(rss >> 20), (long long)(st->pool->memory_limit >> 20));
                free(sig);
                return OA_ERR;
            }
        }
        char *now_sig = NULL;
        char *ewhy = NULL;
        oa_status rc =
            eval_string(b, st->session, DOM_SIGNATURE, deadline + READ_GRACE_MS, &now_sig, &ewhy);
        free(ewhy);
        if (rc == OA_AGAIN) {
            *why = xasprintf("the page stopped answering (its scripts keep the browser busy)");
            free(sig);
            return OA_ERR;
        }
        if (rc == OA_ERR) {
            *why = xasprintf("the browser broke: %s", b->conn.why);
            free(sig);
            return OA_ERR;
        }
        if (!sig || !now_sig || strcmp(sig, now_sig) != 0)
            st->last_activity = oa_mono_ms();
        free(sig);
        sig = now_sig;
        if (st->loaded && st->inflight == 0 && oa_mono_ms() - st->last_activity >= settle_ms) {
            *settled = true;
            break;
        }
    }
    free(sig);
    return OA_OK;
}

oa_status browser_render(browser_pool *p, const char *url, const browser_page_opts *o,
                         browser_page *out, char **why)
{
    memset(out, 0, sizeof *out);
    *why = NULL;
    int64_t t0 = oa_mono_ms();
    int64_t settle_ms = o && o->settle_ms > 0 ? o->settle_ms : 500;
    oa_browser *b = browser_pool_take(p, t0 + WAIT_MS, why);
    if (!b)
        return OA_AGAIN;
    /* The page's time starts once it has a browser. */
    int64_t deadline = oa_mono_ms() + (o && o->timeout_ms > 0 ? o->timeout_ms : 15000);
    page_state st = {.pool = p, .b = b, .last_activity = t0};
    b->conn.on_event = on_event;
    b->conn.arg = &st;
    json_t *res = NULL;
    char ctx[64] = "", session[128] = "";
    bool broken = false, over_memory = false, nav_failed = false;
    int64_t dl = oa_mono_ms() + CALL_MS;
    oa_status rc = cdp_call(&b->conn, NULL, "Target.createBrowserContext",
                            json_pack("{sb}", "disposeOnDetach", 1), dl, &res, why);
    if (rc != OA_OK)
        goto out;
    snprintf(ctx, sizeof ctx, "%s", json_string_value(json_object_get(res, "browserContextId")));
    json_decref(res);
    res = NULL;
    rc =
        cdp_call(&b->conn, NULL, "Target.createTarget",
                 json_pack("{ssss}", "url", "about:blank", "browserContextId", ctx), dl, &res, why);
    if (rc != OA_OK)
        goto out;
    char target[64];
    snprintf(target, sizeof target, "%s", json_string_value(json_object_get(res, "targetId")));
    json_decref(res);
    res = NULL;
    rc = cdp_call(&b->conn, NULL, "Target.attachToTarget",
                  json_pack("{sssb}", "targetId", target, "flatten", 1), dl, &res, why);
    if (rc != OA_OK)
        goto out;
    snprintf(session, sizeof session, "%s", json_string_value(json_object_get(res, "sessionId")));
    json_decref(res);
    res = NULL;
    st.session = session;
    static const char *const ENABLE[] = {"Page.enable", "Network.enable", "Inspector.enable"};
    for (size_t i = 0; i < OA_ARRAY_LEN(ENABLE) && rc == OA_OK; i++)
        rc = cdp_call(&b->conn, session, ENABLE[i], NULL, dl, NULL, why);
    if (rc == OA_OK)
        rc = cdp_call(&b->conn, session, "Page.addScriptToEvaluateOnNewDocument",
                      json_pack("{ss}", "source", NO_SIDE_CHANNELS), dl, NULL, why);
    if (rc != OA_OK)
        goto out;
    rc = cdp_call(&b->conn, session, "Page.navigate", json_pack("{ss}", "url", url),
                  deadline + READ_GRACE_MS, &res, why);
    if (rc != OA_OK)
        goto out;
    if (json_string_value(json_object_get(res, "frameId")))
        snprintf(st.frame_id, sizeof st.frame_id, "%s",
                 json_string_value(json_object_get(res, "frameId")));
    const char *nav_err = json_string_value(json_object_get(res, "errorText"));
    if (nav_err && *nav_err) {
        if (st.main_refused || strstr(nav_err, "BLOCKED_BY_CLIENT")) {
            out->refused = true;
            *why = xstrdup("the SSRF guard refused the page: it is on a private or reserved "
                           "address");
            rc = OA_INVALID;
        } else {
            *why = xasprintf("the browser could not load the page: %s", nav_err);
            rc = OA_AGAIN;
            nav_failed = true;
        }
        goto out;
    }
    json_decref(res);
    res = NULL;
    bool settled = false;
    rc = settle(&st, deadline, settle_ms, &settled, &over_memory, why);
    if (rc != OA_OK)
        goto out;
    if (st.violation) {
        out->refused = true;
        *why = xasprintf("the SSRF guard refused the page: %s", st.violation);
        rc = OA_INVALID;
        goto out;
    }
    int64_t read_dl = (settled ? oa_mono_ms() : deadline) + READ_GRACE_MS;
    rc = eval_string(b, session,
                     "document.documentElement ? document.documentElement.outerHTML : ''", read_dl,
                     &out->html, why);
    if (rc == OA_OK)
        rc = eval_string(b, session, "location.href", read_dl, &out->final_url, why);
    if (rc != OA_OK)
        goto out;
    if (!out->html)
        out->html = xstrdup("");
    out->settled = settled;
    out->status = st.status;
    out->blocked = st.blocked;
    out->dialogs = st.dialogs;
out:
    json_decref(res);
    if (rc == OA_AGAIN && !nav_failed) {
        /* A command got no answer in time: the page hangs the browser. */
        free(*why);
        *why = xstrdup("the page stopped answering (its scripts keep the browser busy)");
        rc = OA_ERR;
    }
    if (rc == OA_ERR || b->conn.broken || st.crashed)
        broken = true;
    if (!broken && ctx[0]) {
        char *dwhy = NULL;
        if (cdp_call(&b->conn, NULL, "Target.disposeBrowserContext",
                     json_pack("{ss}", "browserContextId", ctx), oa_mono_ms() + CALL_MS, NULL,
                     &dwhy) != OA_OK)
            broken = true;
        free(dwhy);
    }
    b->conn.on_event = NULL;
    b->conn.arg = NULL;
    b->pages++;
    free(st.violation);
    browser_pool_count(p, st.crashed, over_memory);
    browser_pool_give(p, b, broken || over_memory);
    if (rc != OA_OK && rc != OA_INVALID && rc != OA_AGAIN)
        rc = OA_ERR;
    if (rc != OA_OK) {
        free(out->html);
        free(out->final_url);
        out->html = out->final_url = NULL;
    }
    oa_log(OA_LOG_INFO, "browser.page", "ms=%lld settled=%d blocked=%d dialogs=%d status=%ld%s%s",
           (long long)(oa_mono_ms() - t0), out->settled ? 1 : 0, st.blocked, st.dialogs, st.status,
           rc != OA_OK ? " outcome=" : "", rc != OA_OK ? oa_status_str(rc) : "");
    return rc;
}

void browser_page_free(browser_page *pg)
{
    free(pg->html);
    free(pg->final_url);
    memset(pg, 0, sizeof *pg);
}
