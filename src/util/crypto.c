/* crypto.c - random ids, SHA-256, HMAC, constant-time compare and base64 codecs. */
#include "util/crypto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

static const char B58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

void oa_random_bytes(void *buf, size_t n)
{
    uint8_t *p = buf;
    while (n) {
        ssize_t r = getrandom(p, n, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "fatal: getrandom failed\n");
            abort();
        }
        p += r;
        n -= (size_t)r;
    }
}

static void random_b58(char *out, size_t n)
{
    size_t o = 0;
    uint8_t pool[64];
    while (o < n) {
        oa_random_bytes(pool, sizeof pool);
        for (size_t i = 0; i < sizeof pool && o < n; i++) {
            /* Rejection sampling keeps the distribution uniform: 58 * 4 = 232. */
            if (pool[i] < 232)
                out[o++] = B58[pool[i] % 58];
        }
    }
}

#define ID_TIME_LEN 7
#define ID_EPOCH_MS 1577836800000LL /* 2020-01-01T00:00:00Z */

void oa_id_new(char out[OA_ID_SIZE])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - ID_EPOCH_MS;
    uint64_t t = ms > 0 ? (uint64_t)ms : 0;
    /* Big-endian base58: B58 is in ASCII order, so the text sorts by time. */
    for (int i = ID_TIME_LEN - 1; i >= 0; i--) {
        out[i] = B58[t % 58];
        t /= 58;
    }
    random_b58(out + ID_TIME_LEN, OA_ID_LEN - ID_TIME_LEN);
    out[OA_ID_LEN] = '\0';
}

void oa_id_random(char out[OA_ID_SIZE])
{
    random_b58(out, OA_ID_LEN);
    out[OA_ID_LEN] = '\0';
}

void oa_id_derive(char out[OA_ID_SIZE], const char *part, ...)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        abort();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    va_list ap;
    va_start(ap, part);
    for (const char *p = part; p; p = va_arg(ap, const char *))
        EVP_DigestUpdate(ctx, p, strlen(p) + 1);
    va_end(ap);
    uint8_t h[32];
    unsigned int hl = 0;
    EVP_DigestFinal_ex(ctx, h, &hl);
    EVP_MD_CTX_free(ctx);
    /* 24 base58 digits carry ~140 bits; take them from successive 16-bit chunks mod 58. Not
     * uniform to the last bit, which does not matter for a derived identifier. */
    for (size_t i = 0; i < OA_ID_LEN; i++) {
        unsigned v = ((unsigned)h[(i * 2) % 32] << 8) | h[(i * 2 + 1) % 32];
        v += (unsigned)i * 7919u;
        out[i] = B58[v % 58];
    }
    out[OA_ID_LEN] = '\0';
}

bool oa_id_valid(const char *s)
{
    if (!s || strlen(s) != OA_ID_LEN)
        return false;
    for (size_t i = 0; i < OA_ID_LEN; i++)
        if (!strchr(B58, s[i]) || s[i] == '\0')
            return false;
    return true;
}

void oa_sha256(const void *data, size_t n, uint8_t out[32])
{
    SHA256(data, n, out);
}

void oa_sha256_hex(const void *data, size_t n, char out[65])
{
    uint8_t h[32];
    oa_sha256(data, n, h);
    for (int i = 0; i < 32; i++)
        snprintf(out + i * 2, 3, "%02x", h[i]);
}

void oa_hmac_sha256(const void *key, size_t klen, const void *data, size_t dlen, uint8_t out[32])
{
    unsigned int ol = 32;
    static const uint8_t empty = 0;
    if (!HMAC(EVP_sha256(), klen ? key : &empty, (int)klen, dlen ? data : &empty, dlen, out, &ol))
        abort();
}

bool oa_ct_equal(const void *a, const void *b, size_t n)
{
    return CRYPTO_memcmp(a, b, n) == 0;
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static char *encode(const uint8_t *d, size_t n, const char *alpha, bool pad)
{
    size_t out_len = (n + 2) / 3 * 4;
    char *o = xmalloc(out_len + 1);
    size_t j = 0;
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        uint32_t v = ((uint32_t)d[i] << 16) | ((uint32_t)d[i + 1] << 8) | d[i + 2];
        o[j++] = alpha[(v >> 18) & 63];
        o[j++] = alpha[(v >> 12) & 63];
        o[j++] = alpha[(v >> 6) & 63];
        o[j++] = alpha[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)d[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)d[i + 1] << 8;
        o[j++] = alpha[(v >> 18) & 63];
        o[j++] = alpha[(v >> 12) & 63];
        if (i + 1 < n)
            o[j++] = alpha[(v >> 6) & 63];
        else if (pad)
            o[j++] = '=';
        if (pad)
            o[j++] = '=';
    }
    o[j] = '\0';
    return o;
}

char *oa_b64_encode(const void *data, size_t n)
{
    return encode(data, n, B64, true);
}

char *oa_b64url_encode(const void *data, size_t n)
{
    return encode(data, n, B64URL, false);
}

static int val(const char *alpha, char c)
{
    if (c == '\0')
        return -1;
    const char *p = strchr(alpha, c);
    return p ? (int)(p - alpha) : -1;
}

static oa_status decode(const char *s, size_t n, const char *alpha, bool url, uint8_t **out,
                        size_t *outlen)
{
    size_t pads = 0;
    while (n > 0 && s[n - 1] == '=' && pads < 2) {
        n--;
        pads++;
    }
    if (!url && pads && (n + pads) % 4 != 0)
        return OA_INVALID;
    if (!url && !pads && n % 4 != 0)
        return OA_INVALID;
    if (n % 4 == 1)
        return OA_INVALID;
    uint8_t *o = xmalloc(n / 4 * 3 + 4);
    size_t j = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = val(alpha, s[i]);
        if (v < 0) {
            free(o);
            return OA_INVALID;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[j++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0) { /* non-canonical trailing bits */
        free(o);
        return OA_INVALID;
    }
    o[j] = '\0';
    *out = o;
    *outlen = j;
    return OA_OK;
}

oa_status oa_b64_decode(const char *s, size_t slen, uint8_t **out, size_t *outlen)
{
    return decode(s, slen, B64, false, out, outlen);
}

oa_status oa_b64url_decode(const char *s, size_t slen, uint8_t **out, size_t *outlen)
{
    return decode(s, slen, B64URL, true, out, outlen);
}
