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
 * Verify the raw body exactly as received (before any JSON parsing or re-encoding).
 *
 * Memory: nothing here allocates. Output buffers are the caller's; inputs are only read and
 * may be freed as soon as a call returns. Thread safety: every function is reentrant.
 * Errors: every failure is an oaw_result; no function aborts or prints on bad input.
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
/* Longest webhook-id (and event id) accepted, in bytes. */
#define OAW_ID_MAX 256
/* Signatures considered in one webhook-signature header; later ones are ignored. */
#define OAW_SIGNATURES_MAX 16

/*
 * The library's one result type. The numbering is stable (new codes are only appended), so a
 * program built against an older header keeps working with a newer library.
 */
typedef enum {
    OAW_OK = 0,
    OAW_ERR_ARGUMENT,           /* a NULL pointer or an impossible size */
    OAW_ERR_SECRET,             /* the secret is not "whsec_" + base64 of at least 16 bytes */
    OAW_ERR_MISSING_HEADERS,    /* neither signature scheme's headers are present */
    OAW_ERR_MALFORMED_HEADER,   /* X-Kombo-Signature is not 43 base64url characters (the
                                   Standard Webhooks headers have their own codes below) */
    OAW_ERR_TIMESTAMP_STALE,    /* webhook-timestamp is outside the tolerance (too old) */
    OAW_ERR_TIMESTAMP_FUTURE,   /* webhook-timestamp is outside the tolerance (ahead) */
    OAW_ERR_SIGNATURE_MISMATCH, /* well-formed, but no signature matches this secret */
    OAW_ERR_CRYPTO,             /* the HMAC implementation failed */
    /* Verification, finer reasons: */
    OAW_ERR_INCOMPLETE_HEADERS,  /* some, not all, of webhook-id/-timestamp/-signature */
    OAW_ERR_DUPLICATE_HEADER,    /* a signature header was received more than once */
    OAW_ERR_MALFORMED_ID,        /* webhook-id empty, over OAW_ID_MAX or with control chars */
    OAW_ERR_MALFORMED_TIMESTAMP, /* webhook-timestamp is not whole seconds since 1970 */
    OAW_ERR_MALFORMED_SIGNATURE, /* webhook-signature has no "v1,<base64 of 32 bytes>" */
    /* Event parsing (openapply/event.h): */
    OAW_ERR_NOT_JSON,     /* the body is not one JSON value in UTF-8 (or repeats a key) */
    OAW_ERR_SCHEMA,       /* JSON, but not the event's schema (missing/extra/wrong field) */
    OAW_ERR_UNKNOWN_TYPE, /* a well-formed event of a type this library does not know */
    OAW_ERR_TOO_LARGE,    /* the body is over OAW_EVENT_MAX_BODY */
    OAW_ERR_NOMEM,        /* memory allocation failed */
    /* Mirror (openapply/mirror.h): */
    OAW_ERR_STORE, /* a store callback reported a failure */
} oaw_result;

/* A short English description of a result code. Static storage: never free it. */
const char *oaw_strerror(oaw_result r);

/* The library's version, "MAJOR.MINOR.PATCH". Static storage: never free it. */
const char *oaw_version(void);

/* Fills out (OAW_SECRET_MAX bytes, caller's) with a new secret: "whsec_" + base64 of 32
 * random bytes from OpenSSL's CSPRNG. */
oaw_result oaw_secret_generate(char out[OAW_SECRET_MAX]);

/* Standard Webhooks signature "v1,<base64>" of "<msg_id>.<timestamp>.<body>" into out
 * (caller's). msg_id is at most OAW_ID_MAX bytes. body may be NULL when body_len is 0. */
oaw_result oaw_sign_standard(const char *secret, const char *msg_id, int64_t timestamp,
                             const void *body, size_t body_len, char out[OAW_SIGNATURE_MAX]);

/* X-Kombo-Signature value into out (caller's): base64url (no padding) of
 * HMAC-SHA256(secret string, body). */
oaw_result oaw_sign_kombo(const char *secret, const void *body, size_t body_len,
                          char out[OAW_SIGNATURE_MAX]);

/* One received header, borrowed from the caller. Names are matched case-insensitively;
 * entries with a NULL name or value are skipped. */
typedef struct {
    const char *name;
    const char *value;
} oaw_header;

typedef struct {
    int tolerance_s;      /* webhook-timestamp window; 0 (or less) = OAW_DEFAULT_TOLERANCE */
    int64_t now;          /* current Unix time in seconds; 0 = time(NULL) */
    int require_standard; /* non-zero: the Standard Webhooks headers must be present */
} oaw_verify_opts;

/* Which scheme a verification used. */
typedef enum {
    OAW_SCHEME_NONE = 0,
    OAW_SCHEME_STANDARD, /* webhook-id, webhook-timestamp, webhook-signature */
    OAW_SCHEME_KOMBO,    /* X-Kombo-Signature alone (no timestamp: replays go undetected) */
} oaw_scheme;

/* What oaw_verify_ex found, filled on success and as far as it got on failure. */
typedef struct {
    oaw_scheme scheme;   /* the scheme checked */
    int64_t timestamp;   /* webhook-timestamp when it was read, else 0 */
    int64_t age_s;       /* now - timestamp (negative: from the future) */
    int signature_index; /* 0-based position of the matching signature, -1 when none */
    int signatures;      /* well-formed v1 signatures seen */
} oaw_verify_info;

/*
 * Verifies a received webhook from its raw body and headers with one secret.
 *
 * When any Standard Webhooks header is present all three must be, well-formed, with the
 * timestamp within the tolerance and at least one v1 signature matching (compared in constant
 * time; other versions are skipped). X-Kombo-Signature is then not consulted: during a secret
 * rotation it is signed with the new secret only, while webhook-signature carries both.
 * Without Standard Webhooks headers, X-Kombo-Signature must match (unless
 * opts->require_standard); it carries no timestamp, so it cannot detect replays.
 *
 * A signature header given twice is refused (OAW_ERR_DUPLICATE_HEADER). headers may be NULL
 * when n_headers is 0, body NULL when body_len is 0, opts and info NULL. Nothing is retained.
 */
oaw_result oaw_verify_ex(const char *secret, const oaw_header *headers, size_t n_headers,
                         const void *body, size_t body_len, const oaw_verify_opts *opts,
                         oaw_verify_info *info);

/* oaw_verify_ex without the info. */
oaw_result oaw_verify(const char *secret, const oaw_header *headers, size_t n_headers,
                      const void *body, size_t body_len, const oaw_verify_opts *opts);

#ifdef __cplusplus
}
#endif

#endif
