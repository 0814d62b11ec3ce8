/* internal.h - helpers shared by the svc/ files (not for other modules). */
#ifndef OA_SVC_INTERNAL_H
#define OA_SVC_INTERNAL_H

#include "svc/svc.h"

/* Writes an event row for the posting/application as GET renders it, and arranges for the
 * event wake-up after commit. */
oa_status svc__emit_posting(svc *s, oa_tx *tx, const oa_posting *p) OA_MUST_CHECK;
oa_status svc__emit_app(svc *s, oa_tx *tx, const oa_application *a) OA_MUST_CHECK;

/* Writes an event row (any type) and its deliveries; wakes the dispatcher after commit. */
oa_status svc__emit(svc *s, oa_tx *tx, const char *tenant, const char *type,
                    const char *resource_id, json_t *data, int64_t now) OA_MUST_CHECK;
/* The same, delivered to `only` (whatever its event types) instead of the subscribed
 * endpoints when given; id_out (OA_ID_SIZE, optional) gets the event's id. */
oa_status svc__emit_to(svc *s, oa_tx *tx, const char *tenant, const char *type,
                       const char *resource_id, json_t *data, int64_t now, const oa_endpoint *only,
                       char *id_out) OA_MUST_CHECK;

/* Carries out a posting effect already decided by core_posting_step (p->state etc. are
 * updated here). `held` is the parse job the caller holds, or NULL: it is finished or
 * rescheduled instead of queued afresh. */
oa_status svc__posting_effect(svc *s, oa_tx *tx, oa_posting *p, const oa_posting_effect *e,
                              const store_job *held, int64_t now) OA_MUST_CHECK;

/* Applies an application input and its effects (event, review flags, cancelled work). */
oa_status svc__app_step(svc *s, oa_tx *tx, oa_application *a, oa_app_input in, const char *reason,
                        int64_t now, bool *changed) OA_MUST_CHECK;

/* Queues work and arranges the worker wake-up after commit. */
oa_status svc__job_put(svc *s, oa_tx *tx, const char *kind, const char *ref_id, const char *tenant,
                       int64_t run_at, bool force) OA_MUST_CHECK;

#endif
