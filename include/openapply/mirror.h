/*
 * openapply/mirror.h - apply events to a local copy ("mirror") of postings and applications,
 * idempotently and newest-updated_at-wins.
 *
 * Webhooks arrive at least once (retries, redeliveries, recoveries), and events of different
 * resources in any order. The rule that makes a mirror converge:
 *
 *   1. an event id seen before is skipped (OAW_MIRROR_DUPLICATE);
 *   2. an event is written only when its data.updated_at is strictly newer than the
 *      updated_at the mirror holds for that resource (else OAW_MIRROR_STALE: an older event
 *      arrived late, or the same state again);
 *   3. the event id is recorded in both cases, in the same transaction as the write.
 *
 * The library owns no storage: the caller passes a table of callbacks over its database.
 * Callbacks return 0 on success and -1 on failure (event_seen and current_updated_at return 1
 * for "yes/found"). Strings handed to callbacks are borrowed for the duration of the call.
 * Memory: nothing here allocates. Thread safety: as safe as the callbacks.
 */
#ifndef OPENAPPLY_MIRROR_H
#define OPENAPPLY_MIRROR_H

#include <stdint.h>

#include "openapply/event.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    void *ctx; /* passed to every callback, owned by the caller */
    /* Optional (both or neither): open a transaction; end it, committing when commit != 0.
     * When begin succeeds, end is called exactly once. */
    int (*begin)(void *ctx);
    int (*end)(void *ctx, int commit);
    /* Required: 1 when event_id was recorded before, 0 when not, -1 on failure. */
    int (*event_seen)(void *ctx, const char *event_id);
    /* Required: record event_id as processed (with ev, for callers that log outcomes). */
    int (*event_record)(void *ctx, const char *event_id, const oaw_event *ev);
    /* Required: 1 and *updated_at_ms when the mirror holds (kind, resource_id), 0 when it does
     * not, -1 on failure. */
    int (*current_updated_at)(void *ctx, oaw_event_kind kind, const char *resource_id,
                              int64_t *updated_at_ms);
    /* Required: insert or replace the resource with ev->data (ev is borrowed). */
    int (*upsert)(void *ctx, const oaw_event *ev);
} oaw_mirror_store;

typedef enum {
    OAW_MIRROR_APPLIED = 1, /* the resource was written */
    OAW_MIRROR_DUPLICATE,   /* the event id was seen before: nothing written */
    OAW_MIRROR_STALE,       /* the mirror holds this or a newer state: only the id recorded */
} oaw_mirror_outcome;

/* A name for an outcome ("applied", "duplicate", "stale"). Static storage. */
const char *oaw_mirror_outcome_name(oaw_mirror_outcome o);

/*
 * Applies one parsed event (borrowed) through store (borrowed) following the rule above, inside
 * begin/end when given. *outcome (caller's, may be NULL) says what happened.
 * OAW_ERR_STORE when a callback fails (the transaction is ended without commit);
 * OAW_ERR_ARGUMENT for a NULL or unparsed event or a store missing a required callback.
 */
oaw_result oaw_mirror_apply(const oaw_mirror_store *store, const oaw_event *ev,
                            oaw_mirror_outcome *outcome);

#ifdef __cplusplus
}
#endif

#endif
