/*
 * fuzz_event.c - libFuzzer target for the event parser (oaw_event_parse), RFC 3339 times and
 * the apply-to-mirror helper.
 *
 * Every input is parsed as a body. When it parses, the typed event is checked against its own
 * invariants (strings present, enums named, updated_at_ms equal to the parsed string) and
 * applied twice to a one-row in-memory mirror whose callbacks fail on the input's last byte's
 * choice: the second apply must be a duplicate, a failing store must report OAW_ERR_STORE.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openapply/event.h"
#include "openapply/mirror.h"

typedef struct {
    char seen[OAW_ID_MAX + 1];
    int64_t held;
    int have;
    int fail_at; /* callback number that fails, 0 = none */
    int calls;
} fake;

static int fails(fake *f)
{
    return ++f->calls == f->fail_at ? -1 : 0;
}

static int f_seen(void *ctx, const char *id)
{
    fake *f = ctx;
    if (fails(f))
        return -1;
    return strcmp(f->seen, id) == 0;
}

static int f_record(void *ctx, const char *id, const oaw_event *ev)
{
    fake *f = ctx;
    (void)ev;
    if (fails(f))
        return -1;
    snprintf(f->seen, sizeof f->seen, "%s", id);
    return 0;
}

static int f_current(void *ctx, oaw_event_kind k, const char *rid, int64_t *ms)
{
    fake *f = ctx;
    (void)k;
    (void)rid;
    if (fails(f))
        return -1;
    *ms = f->held;
    return f->have;
}

static int f_upsert(void *ctx, const oaw_event *ev)
{
    fake *f = ctx;
    if (fails(f))
        return -1;
    f->held = ev->updated_at_ms;
    f->have = 1;
    return 0;
}

static void check(const char *s)
{
    if (!s)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    oaw_event ev;
    oaw_parse_error pe;
    oaw_result r = oaw_event_parse(data, size, &ev, &pe);
    if (r != OAW_OK) {
        if (ev.id || ev.mem_ || !*pe.message)
            abort(); /* a failure leaves nothing behind and always says why */
    } else {
        int64_t ms;
        check(ev.id);
        check(ev.type);
        check(ev.resource_id);
        if (ev.kind == OAW_EVENT_POSTING) {
            const oaw_posting *p = &ev.data.posting;
            check(p->career_site_id);
            check(p->career_site_label);
            check(p->url);
            check(oaw_availability_name(p->availability));
            if (oaw_time_parse(p->updated_at, &ms) != OAW_OK || ms != ev.updated_at_ms)
                abort();
            if (!p->archived_at && p->archived_at_ms != 0)
                abort();
        } else if (ev.kind == OAW_EVENT_APPLICATION) {
            const oaw_application *a = &ev.data.application;
            check(a->job_posting_id);
            check(oaw_application_status_name(a->status));
            if (oaw_time_parse(a->updated_at, &ms) != OAW_OK || ms != ev.updated_at_ms)
                abort();
        } else {
            abort();
        }
        fake f = {.fail_at = size ? data[size - 1] % 8 : 0};
        oaw_mirror_store st = {&f, NULL, NULL, f_seen, f_record, f_current, f_upsert};
        oaw_mirror_outcome o;
        oaw_result a1 = oaw_mirror_apply(&st, &ev, &o);
        if (a1 != OAW_OK && a1 != OAW_ERR_STORE)
            abort();
        if (a1 == OAW_OK) {
            f.fail_at = 0;
            if (oaw_mirror_apply(&st, &ev, &o) != OAW_OK || o != OAW_MIRROR_DUPLICATE)
                abort();
        }
        oaw_event_free(&ev);
    }
    /* The same bytes as a time string. */
    char t[64];
    size_t n = size < sizeof t - 1 ? size : sizeof t - 1;
    memcpy(t, data, n);
    t[n] = '\0';
    int64_t ms;
    (void)oaw_time_parse(t, &ms);
    return 0;
}
