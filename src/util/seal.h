/*
 * seal.h - authenticated encryption of small secrets at rest (AES-256-GCM, OpenSSL).
 *
 * A sealed text is base64 of nonce (12 bytes) || ciphertext || tag (16 bytes). The additional
 * data binds a sealed value to where it is stored (a row's id), so that it cannot be moved to
 * another row unnoticed.
 */
#ifndef OA_SEAL_H
#define OA_SEAL_H

#include "util/oa.h"

/* Returns the malloc'd sealed text of plain[0..n). */
char *oa_seal(const uint8_t key[32], const char *aad, const void *plain, size_t n);
/* Opens sealed text into *out (malloc'd, NUL-terminated, *n bytes). OA_INVALID when the text
 * is not one sealed with this key and aad. */
oa_status oa_unseal(const uint8_t key[32], const char *aad, const char *sealed, char **out,
                    size_t *n) OA_MUST_CHECK;

#endif
