/*
 * mirror.c - the idempotent, newest-wins "apply to mirror" helper (see openapply/mirror.h).
 *
 * Steps, all inside the caller's transaction when it gives one:
 *   seen? -> DUPLICATE | current updated_at >= event's -> record id, STALE
 *                      | otherwise -> upsert, record id, APPLIED
 * Any callback failure ends the transaction without commit and returns OAW_ERR_STORE.
 */
#include "openapply/mirror.h"

#include <stddef.h>

const char *oaw_mirror_outcome_name(oaw_mirror_outcome o)
{
    switch (o) {
    case OAW_MIRROR_APPLIED:
        return "applied";
    case OAW_MIRROR_DUPLICATE:
        return "duplicate";
    case OAW_MIRROR_STALE:
        return "stale";
    }
    return "unknown";
}

static oaw_result steps(const oaw_mirror_store *s, const oaw_event *ev, oaw_mirror_outcome *o)
{
    int seen = s->event_seen(s->ctx, ev->id);
    if (seen < 0)
        return OAW_ERR_STORE;
    if (seen > 0) {
        *o = OAW_MIRROR_DUPLICATE;
        return OAW_OK;
    }
    int64_t held = 0;
    int found = s->current_updated_at(s->ctx, ev->kind, ev->resource_id, &held);
    if (found < 0)
        return OAW_ERR_STORE;
    if (found > 0 && held >= ev->updated_at_ms) {
        *o = OAW_MIRROR_STALE;
    } else {
        if (s->upsert(s->ctx, ev) != 0)
            return OAW_ERR_STORE;
        *o = OAW_MIRROR_APPLIED;
    }
    return s->event_record(s->ctx, ev->id, ev) == 0 ? OAW_OK : OAW_ERR_STORE;
}

oaw_result oaw_mirror_apply(const oaw_mirror_store *store, const oaw_event *ev,
                            oaw_mirror_outcome *outcome)
{
    oaw_mirror_outcome scratch;
    if (!outcome)
        outcome = &scratch;
    *outcome = OAW_MIRROR_DUPLICATE;
    if (!store || !ev || !store->event_seen || !store->event_record || !store->current_updated_at ||
        !store->upsert || !store->begin != !store->end)
        return OAW_ERR_ARGUMENT;
    if ((ev->kind != OAW_EVENT_POSTING && ev->kind != OAW_EVENT_APPLICATION) || !ev->id ||
        !ev->resource_id)
        return OAW_ERR_ARGUMENT;
    if (store->begin && store->begin(store->ctx) != 0)
        return OAW_ERR_STORE;
    oaw_result r = steps(store, ev, outcome);
    if (store->end && store->end(store->ctx, r == OAW_OK) != 0 && r == OAW_OK)
        r = OAW_ERR_STORE;
    return r;
}
