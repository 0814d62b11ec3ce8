/*
 * token.h - submission tokens: a JWT (HS256) binding one future application to a tenant, a
 * posting and a form revision, valid for 2 days, used once (the store remembers used `jti`s).
 *
 * The signing key is a random server secret kept in the store (meta table), so tokens survive
 * restarts and work across nodes sharing one database.
 */
#ifndef OA_CORE_TOKEN_H
#define OA_CORE_TOKEN_H

#include "util/crypto.h"
#include "util/oa.h"

#define OA_TOKEN_TTL_MS  ((int64_t)2 * 24 * 3600 * 1000)
#define OA_TOKEN_MAX_LEN 2048

typedef struct {
    char tenant[128];
    char posting_id[OA_ID_SIZE];
    char revision_id[OA_ID_SIZE];
    char jti[OA_ID_SIZE];
    int64_t issued_at;  /* ms */
    int64_t expires_at; /* ms */
} oa_token_claims;

/* Issues a token; returns malloc'd text. claims->jti is filled in when empty. */
char *core_token_issue(const uint8_t *key, size_t klen, oa_token_claims *claims);
/* The one answer for every token that does not verify (malformed, altered, forged), which is
 * also the answer for another tenant's genuine token. */
#define CORE_TOKEN_INVALID                                                                         \
    "submission_token is not valid: it is malformed, altered, or was not issued to this API key"
/* Verifies signature, shape and expiry at now_ms. On failure *why is a static reason
 * (CORE_TOKEN_INVALID, or that it expired); the claims are filled only once the signature
 * verified. */
oa_status core_token_verify(const uint8_t *key, size_t klen, const char *token, int64_t now_ms,
                            oa_token_claims *out, const char **why) OA_MUST_CHECK;

#endif
