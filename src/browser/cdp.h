/*
 * cdp.h - the Chrome DevTools Protocol over --remote-debugging-pipe: the engine writes JSON
 * messages, each ended by a NUL byte, to the browser's fd 3 and reads its answers and events,
 * framed the same way, from its fd 4. One connection is used by one thread at a time (a
 * browser is checked out of the pool for one page), so calls are synchronous: cdp_call sends a
 * command and reads until its answer arrives, handing every event it meets to the handler.
 * Every read has a deadline; a message over CDP_MAX_MESSAGE, a closed pipe or a deadline passed
 * breaks the connection (the browser is then killed and replaced).
 */
#ifndef OA_BROWSER_CDP_H
#define OA_BROWSER_CDP_H

#include <jansson.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/oa.h"

#define CDP_MAX_MESSAGE (64u << 20)

typedef struct cdp cdp;
/* An event: method, params and the session it came from (NULL: the browser's). */
typedef void (*cdp_event_fn)(cdp *c, const char *method, json_t *params, const char *session,
                             void *arg);

struct cdp {
    int wfd, rfd;
    int64_t next_id;
    oa_buf in;
    size_t scanned; /* bytes of `in` known to hold no NUL */
    bool broken;
    char why[160]; /* what broke it */
    cdp_event_fn on_event;
    void *arg;
};

void cdp_init(cdp *c, int wfd, int rfd);
void cdp_free(cdp *c); /* closes both fds */

/* Sends a command without waiting (params stolen, may be NULL); returns its id, 0 when
 * the connection is broken. */
int64_t cdp_send(cdp *c, const char *session, const char *method, json_t *params);
/* Sends a command and waits for its answer until deadline (oa_mono_ms clock). OA_OK with
 * *result (a new reference, may be NULL when not wanted); OA_INVALID when the browser
 * answered an error (*why says which); OA_AGAIN on the deadline; OA_ERR when broken. */
oa_status cdp_call(cdp *c, const char *session, const char *method, json_t *params,
                   int64_t deadline, json_t **result, char **why) OA_MUST_CHECK;
/* Reads and dispatches events until the deadline, or until *stop becomes true (checked after
 * each event). OA_OK at the deadline or stop, OA_ERR when broken. */
oa_status cdp_pump(cdp *c, int64_t deadline, const bool *stop) OA_MUST_CHECK;

/* Splits the first complete message off buf (NUL-terminated, at most max bytes); exposed for
 * the unit test. Returns the message (malloc'd) or NULL when none is complete; *too_big when
 * max bytes arrived without a NUL. */
char *cdp_frame_take(oa_buf *buf, size_t *scanned, size_t max, bool *too_big);

#endif
