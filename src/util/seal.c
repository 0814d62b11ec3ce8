/* seal.c - AES-256-GCM sealing of small secrets (see seal.h). */
#include "util/seal.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "util/crypto.h"

#define NONCE 12
#define TAG   16

char *oa_seal(const uint8_t key[32], const char *aad, const void *plain, size_t n)
{
    uint8_t *buf = xmalloc(NONCE + n + TAG);
    oa_random_bytes(buf, NONCE);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0;
    if (!c || EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, buf) != 1 ||
        EVP_EncryptUpdate(c, NULL, &len, (const uint8_t *)aad, (int)strlen(aad)) != 1 ||
        EVP_EncryptUpdate(c, buf + NONCE, &len, plain, (int)n) != 1 ||
        EVP_EncryptFinal_ex(c, buf + NONCE + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TAG, buf + NONCE + n) != 1)
        abort(); /* only on allocation failure inside OpenSSL */
    EVP_CIPHER_CTX_free(c);
    char *out = oa_b64_encode(buf, NONCE + n + TAG);
    OPENSSL_cleanse(buf, NONCE + n + TAG);
    free(buf);
    return out;
}

oa_status oa_unseal(const uint8_t key[32], const char *aad, const char *sealed, char **out,
                    size_t *n)
{
    *out = NULL;
    *n = 0;
    uint8_t *raw = NULL;
    size_t rl = 0;
    if (!sealed || oa_b64_decode(sealed, strlen(sealed), &raw, &rl) != OA_OK)
        return OA_INVALID;
    if (rl < NONCE + TAG) {
        free(raw);
        return OA_INVALID;
    }
    size_t pl = rl - NONCE - TAG;
    char *plain = xmalloc(pl + 1);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0;
    bool ok = c && EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, raw) == 1 &&
              EVP_DecryptUpdate(c, NULL, &len, (const uint8_t *)aad, (int)strlen(aad)) == 1 &&
              EVP_DecryptUpdate(c, (uint8_t *)plain, &len, raw + NONCE, (int)pl) == 1 &&
              EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, TAG, raw + NONCE + pl) == 1 &&
              EVP_DecryptFinal_ex(c, (uint8_t *)plain + len, &len) == 1;
    EVP_CIPHER_CTX_free(c);
    free(raw);
    if (!ok) {
        OPENSSL_cleanse(plain, pl + 1);
        free(plain);
        return OA_INVALID;
    }
    plain[pl] = '\0';
    *out = plain;
    *n = pl;
    return OA_OK;
}
