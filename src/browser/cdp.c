/* cdp.c - DevTools protocol messages over the browser's pipes (see cdp.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "browser/cdp.h"
#include "util/clock.h"

void cdp_init(cdp *c, int wfd, int rfd)
{
    memset(c, 0, sizeof *c);
    c->wfd = wfd;
    c->rfd = rfd;
    c->next_id = 1;
    oa_buf_init(&c->in, CDP_MAX_MESSAGE + 65536);
}

void cdp_free(cdp *c)
{
    if (c->wfd >= 0)
        close(c->wfd);
    if (c->rfd >= 0)
        close(c->rfd);
    c->wfd = c->rfd = -1;
    oa_buf_free(&c->in);
}

static void cdp_break(cdp *c, const char *what)
{
    if (!c->broken)
        snprintf(c->why, sizeof c->why, "%s", what);
    c->broken = true;
}

char *cdp_frame_take(oa_buf *buf, size_t *scanned, size_t max, bool *too_big)
{
    *too_big = false;
    if (!buf->len)
        return NULL;
    char *nul = memchr(buf->data + *scanned, '\0', buf->len - *scanned);
    if (!nul) {
        *scanned = buf->len;
        *too_big = buf->len >= max;
        return NULL;
    }
    size_t n = (size_t)(nul - buf->data);
    if (n > max) {
        *too_big = true;
        return NULL;
    }
    char *msg = xmalloc(n + 1);
    memcpy(msg, buf->data, n);
    msg[n] = '\0';
    size_t rest = buf->len - n - 1;
    memmove(buf->data, nul + 1, rest);
    buf->len = rest;
    buf->data[rest] = '\0';
    *scanned = 0;
    return msg;
}

static bool write_all(cdp *c, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(c->wfd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            cdp_break(c, "the browser's command pipe is closed");
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

int64_t cdp_send(cdp *c, const char *session, const char *method, json_t *params)
{
    if (c->broken) {
        json_decref(params);
        return 0;
    }
    int64_t id = c->next_id++;
    json_t *m = json_pack("{sIss}", "id", (json_int_t)id, "method", method);
    json_object_set_new(m, "params", params ? params : json_object());
    if (session)
        json_object_set_new(m, "sessionId", json_string(session));
    char *text = json_dumps(m, JSON_COMPACT);
    json_decref(m);
    bool ok = text && write_all(c, text, strlen(text) + 1); /* with its NUL */
    free(text);
    return ok ? id : 0;
}

/* Reads one message (parsed) before the deadline: OA_OK, OA_AGAIN at the deadline, OA_ERR
 * when broken. */
static oa_status next_message(cdp *c, int64_t deadline, json_t **out)
{
    *out = NULL;
    for (;;) {
        if (c->broken)
            return OA_ERR;
        bool too_big = false;
        char *msg = cdp_frame_take(&c->in, &c->scanned, CDP_MAX_MESSAGE, &too_big);
        if (too_big) {
            cdp_break(c, "the browser sent a message over the size limit");
            return OA_ERR;
        }
        if (msg) {
            json_error_t err;
            *out = json_loads(msg, 0, &err);
            free(msg);
            if (!*out || !json_is_object(*out)) {
                json_decref(*out);
                *out = NULL;
                cdp_break(c, "the browser sent a message that is not a JSON object");
                return OA_ERR;
            }
            return OA_OK;
        }
        int64_t left = deadline - oa_mono_ms();
        if (left <= 0)
            return OA_AGAIN;
        struct pollfd p = {.fd = c->rfd, .events = POLLIN};
        int r = poll(&p, 1, left > 1000 ? 1000 : (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            cdp_break(c, "poll on the browser's pipe failed");
            return OA_ERR;
        }
        if (r == 0)
            continue;
        char chunk[65536];
        ssize_t n = read(c->rfd, chunk, sizeof chunk);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0) {
            cdp_break(c, "the browser closed its pipe (it exited or crashed)");
            return OA_ERR;
        }
        if (oa_buf_append(&c->in, chunk, (size_t)n) != OA_OK) {
            cdp_break(c, "the browser sent a message over the size limit");
            return OA_ERR;
        }
    }
}

static void dispatch(cdp *c, json_t *m)
{
    const char *method = json_string_value(json_object_get(m, "method"));
    if (method && c->on_event)
        c->on_event(c, method, json_object_get(m, "params"),
                    json_string_value(json_object_get(m, "sessionId")), c->arg);
}

oa_status cdp_call(cdp *c, const char *session, const char *method, json_t *params,
                   int64_t deadline, json_t **result, char **why)
{
    if (result)
        *result = NULL;
    int64_t id = cdp_send(c, session, method, params);
    if (!id) {
        if (why)
            *why = xasprintf("%s: %s", method, c->why);
        return OA_ERR;
    }
    for (;;) {
        json_t *m;
        oa_status rc = next_message(c, deadline, &m);
        if (rc != OA_OK) {
            if (why)
                *why = rc == OA_AGAIN ? xasprintf("%s: no answer in time", method)
                                      : xasprintf("%s: %s", method, c->why);
            return rc;
        }
        json_t *jid = json_object_get(m, "id");
        if (json_is_integer(jid) && json_integer_value(jid) == id) {
            json_t *err = json_object_get(m, "error");
            if (err) {
                if (why)
                    *why = xasprintf("%s: %s", method,
                                     json_string_value(json_object_get(err, "message"))
                                         ? json_string_value(json_object_get(err, "message"))
                                         : "error");
                json_decref(m);
                return OA_INVALID;
            }
            if (result)
                *result = json_incref(json_object_get(m, "result"));
            json_decref(m);
            return OA_OK;
        }
        if (!jid)
            dispatch(c, m);
        json_decref(m); /* answers to commands sent without waiting are dropped */
    }
}

oa_status cdp_pump(cdp *c, int64_t deadline, const bool *stop)
{
    while (!(stop && *stop)) {
        json_t *m;
        oa_status rc = next_message(c, deadline, &m);
        if (rc == OA_AGAIN)
            return OA_OK;
        if (rc != OA_OK)
            return OA_ERR;
        if (!json_object_get(m, "id"))
            dispatch(c, m);
        json_decref(m);
    }
    return OA_OK;
}
