/*
 * attempts.h - what the operator reads about one application or posting beyond Kombo's
 * schemas: the recorded apply attempts of an application (apply_attempts, 015) and the form
 * revisions of a posting. Same conventions as entities.h.
 */
#ifndef OA_STORE_ATTEMPTS_H
#define OA_STORE_ATTEMPTS_H

#include "store/entities.h"

/* Bytes of a career site's answer kept with an attempt. */
#define STORE_EXCERPT_MAX 2048

typedef struct {
    int64_t seq;
    char application_id[OA_ID_SIZE];
    int64_t attempt; /* 1, 2, ... per application */
    int64_t started_at, finished_at;
    char driver[32];
    char step[16];       /* read | upload | submit */
    char outcome[16];    /* submitted | review | retry | offline | unknown */
    char *reason;        /* NULL when none */
    int64_t http_status; /* 0 when no HTTP answer */
    char *url;           /* the last request's URL without its query; NULL when none */
    char *excerpt;       /* up to STORE_EXCERPT_MAX bytes of the answer; NULL when none */
} oa_apply_attempt;

/* Appends a; a->attempt is set to the application's next number. */
oa_status store_apply_attempt_insert(oa_tx *tx, oa_apply_attempt *a) OA_MUST_CHECK;
/* An application's attempts, oldest first (malloc'd array). */
oa_status store_apply_attempts(oa_tx *tx, const char *application_id, oa_apply_attempt **out,
                               size_t *n) OA_MUST_CHECK;
void oa_apply_attempt_list_free(oa_apply_attempt *l, size_t n);

typedef struct {
    int64_t seq;
    char id[OA_ID_SIZE];
    char content_hash[65];
    int64_t created_at;
} oa_revision;

/* A page of a posting's form revisions, oldest first (pg->tenant, after, limit; the
 * posting's tenant is checked by the caller). */
oa_status store_revision_list(oa_tx *tx, const char *posting_id, const store_page *pg,
                              oa_revision **out, size_t *n) OA_MUST_CHECK;
/* One revision of a posting: its form JSON (malloc'd). OA_NOT_FOUND when the revision is not
 * the posting's. */
oa_status store_revision_of(oa_tx *tx, const char *posting_id, const char *revision_id,
                            oa_revision *out, char **form_json) OA_MUST_CHECK;

#endif
