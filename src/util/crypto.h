/*
 * crypto.h - ids, hashes, HMAC, base64 and constant-time comparison (OpenSSL underneath).
 *
 * IDs are 24 characters of base58 (Bitcoin alphabet) drawn from the kernel's CSPRNG, as Kombo's
 * are. Derived ids (question and option ids) are base58 of a SHA-256, so that re-parsing the same
 * form yields the same ids.
 */
#ifndef OA_CRYPTO_H
#define OA_CRYPTO_H

#include "util/oa.h"

#define OA_ID_LEN  24
#define OA_ID_SIZE (OA_ID_LEN + 1)

/* Fills buf with n cryptographically random bytes; aborts if the kernel cannot supply them. */
void oa_random_bytes(void *buf, size_t n);
/* A new id: 7 base58 characters of the milliseconds since 2020-01-01 (until 2090), then 17
 * random ones (about 99 bits). Ids sort by creation time, so the rows and index entries of new
 * records land on the last pages of their indexes instead of random ones: a write touches
 * fewer pages. The time in it is not a secret; nothing secret is made with it. */
void oa_id_new(char out[OA_ID_SIZE]);
/* A new id of 24 random base58 characters (about 140 bits), for what must not be guessed. */
void oa_id_random(char out[OA_ID_SIZE]);
/* A deterministic id from the NUL-separated parts (NULL-terminated list). */
void oa_id_derive(char out[OA_ID_SIZE], const char *part, ...) __attribute__((sentinel));
/* True when s is exactly 24 base58 characters. */
bool oa_id_valid(const char *s);

void oa_sha256(const void *data, size_t n, uint8_t out[32]);
void oa_sha256_hex(const void *data, size_t n, char out[65]);
void oa_hmac_sha256(const void *key, size_t klen, const void *data, size_t dlen, uint8_t out[32]);
/* Constant-time equality of two n-byte buffers. */
bool oa_ct_equal(const void *a, const void *b, size_t n);

/* Base64 (RFC 4648 section 4, padded) and base64url (section 5, unpadded). The encoders return
 * a malloc'd NUL-terminated string. The decoders accept only canonical input of their alphabet
 * (padding optional for base64url, required-or-absent-consistently for base64), ignore nothing,
 * and return OA_INVALID otherwise; *out is malloc'd (with a trailing NUL for convenience). */
char *oa_b64_encode(const void *data, size_t n);
char *oa_b64url_encode(const void *data, size_t n);
oa_status oa_b64_decode(const char *s, size_t slen, uint8_t **out, size_t *outlen) OA_MUST_CHECK;
oa_status oa_b64url_decode(const char *s, size_t slen, uint8_t **out, size_t *outlen) OA_MUST_CHECK;

#endif
