/*
 * openapply/webhook.h - sign and verify openapply (and Kombo-style) webhooks.
 *
 * Two signature schemes travel on every webhook the engine sends:
 *
 *   X-Kombo-Signature: base64url, unpadded, of HMAC-SHA256(key = the endpoint secret string
 *                      exactly as shown, "whsec_...", data = the raw body)
 *   webhook-id, webhook-timestamp, webhook-signature (Standard Webhooks):
 *                      "v1," + base64 of HMAC-SHA256(key = base64-decoded part of the secret
 *                      after "whsec_", data = "<id>.<timestamp>.<raw body>"); several
 *                      space-separated signatures may be present (secret rotation).
 *
 * Memory: nothing here allocates. Output buffers are the caller's; inputs are only read.
 * Thread safety: every function is reentrant.
 */
#ifndef OPENAPPLY_WEBHOOK_H
#define OPENAPPLY_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Room for one signature ("v1," + 44 base64 characters, or 43 base64url) and its NUL. */
#define OAW_SIGNATURE_MAX 64
/* Room for a secret made by oaw_secret_generate ("whsec_" + 44 base64 characters + NUL). */
#define OAW_SECRET_MAX 64
/* Default tolerance between webhook-timestamp and now, in seconds. */
#define OAW_DEFAULT_TOLERANCE 300

typedef enum {
    OAW_OK = 0,
    OAW_ERR_ARGUMENT,           /* a NULL pointer or an impossible size */
    OAW_ERR_SECRET,             /* the secret is not "whsec_" + base64 of at least 16 bytes */
    OAW_ERR_MISSING_HEADERS,    /* neither signature scheme's headers are present */
    OAW_ERR_MALFORMED_HEADER,   /* a header is present but unreadable */
    OAW_ERR_TIMESTAMP_STALE,    /* webhook-timestamp is outside the tolerance (too old) */
    OAW_ERR_TIMESTAMP_FUTURE,   /* webhook-timestamp is outside the tolerance (ahead) */
    OAW_ERR_SIGNATURE_MISMATCH, /* well-formed, but no signature matches this secret */
    OAW_ERR_CRYPTO,             /* the HMAC implementation failed */
} oaw_result;

/* A short English description of a result code (static storage). */
const char *oaw_strerror(oaw_result r);

/* Fills out (OAW_SECRET_MAX bytes) with a new secret: "whsec_" + base64 of 32 random bytes. */
oaw_result oaw_secret_generate(char out[OAW_SECRET_MAX]);

/* Standard Webhooks signature "v1,<base64>" of "<msg_id>.<timestamp>.<body>". */
oaw_result oaw_sign_standard(const char *secret, const char *msg_id, int64_t timestamp,
                             const void *body, size_t body_len, char out[OAW_SIGNATURE_MAX]);

/* X-Kombo-Signature value: base64url (no padding) of HMAC-SHA256(secret string, body). */
oaw_result oaw_sign_kombo(const char *secret, const void *body, size_t body_len,
                          char out[OAW_SIGNATURE_MAX]);

/* One received header. Names are matched case-insensitively. */
typedef struct {
    const char *name;
    const char *value;
} oaw_header;

typedef struct {
    int tolerance_s;      /* webhook-timestamp window; 0 = OAW_DEFAULT_TOLERANCE */
    int64_t now;          /* current Unix time in seconds; 0 = time(NULL) */
    int require_standard; /* non-zero: the Standard Webhooks headers must verify */
} oaw_verify_opts;

/*
 * Verifies a received webhook from its raw body and headers with one secret.
 * When the Standard Webhooks headers are present they must verify (timestamp within the
 * tolerance, at least one v1 signature matching, compared in constant time); otherwise an
 * X-Kombo-Signature must match (it carries no timestamp, so it cannot detect replays: prefer
 * the Standard Webhooks headers). opts may be NULL.
 */
oaw_result oaw_verify(const char *secret, const oaw_header *headers, size_t n_headers,
                      const void *body, size_t body_len, const oaw_verify_opts *opts);

#ifdef __cplusplus
}
#endif

#endif
