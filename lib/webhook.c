/*
 * webhook.c - signing and verification for openapply webhooks (libopenapply).
 *
 * Self-contained on OpenSSL's libcrypto: no engine internals, no allocation. Comparisons of
 * signatures are constant-time (CRYPTO_memcmp over fixed-size MACs).
 */
#include "openapply/webhook.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <pthread.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#define MAX_KEY    256 /* decoded secret bytes we accept */
#define MAX_SIGS   16  /* signatures considered in one webhook-signature header */
#define MAX_MSG_ID 256

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const char *oaw_strerror(oaw_result r)
{
    switch (r) {
    case OAW_OK:
        return "valid";
    case OAW_ERR_ARGUMENT:
        return "invalid argument";
    case OAW_ERR_SECRET:
        return "the secret is not a whsec_ secret (\"whsec_\" + base64 of at least 16 bytes)";
    case OAW_ERR_MISSING_HEADERS:
        return "no signature headers (webhook-id/webhook-timestamp/webhook-signature or "
               "X-Kombo-Signature)";
    case OAW_ERR_MALFORMED_HEADER:
        return "a signature header is malformed";
    case OAW_ERR_TIMESTAMP_STALE:
        return "webhook-timestamp is too old (outside the tolerance): possible replay";
    case OAW_ERR_TIMESTAMP_FUTURE:
        return "webhook-timestamp is too far in the future (outside the tolerance)";
    case OAW_ERR_SIGNATURE_MISMATCH:
        return "no signature matches: wrong secret or tampered body";
    case OAW_ERR_CRYPTO:
        return "HMAC computation failed";
    }
    return "unknown error";
}

/* Encodes n bytes; out must hold 4*ceil(n/3)+1. */
static void b64(const unsigned char *d, size_t n, char *out, const char *alpha, int pad)
{
    size_t j = 0, i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned v = ((unsigned)d[i] << 16) | ((unsigned)d[i + 1] << 8) | d[i + 2];
        out[j++] = alpha[(v >> 18) & 63];
        out[j++] = alpha[(v >> 12) & 63];
        out[j++] = alpha[(v >> 6) & 63];
        out[j++] = alpha[v & 63];
    }
    if (i < n) {
        unsigned v = (unsigned)d[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)d[i + 1] << 8;
        out[j++] = alpha[(v >> 18) & 63];
        out[j++] = alpha[(v >> 12) & 63];
        if (i + 1 < n)
            out[j++] = alpha[(v >> 6) & 63];
        else if (pad)
            out[j++] = '=';
        if (pad)
            out[j++] = '=';
    }
    out[j] = '\0';
}

/* Decodes standard base64 (padding optional); -1 on bad input or overflow of cap. */
static long unb64(const char *s, size_t n, unsigned char *out, size_t cap)
{
    while (n > 0 && s[n - 1] == '=')
        n--;
    size_t j = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = s[i] ? strchr(B64, s[i]) : NULL;
        if (!p)
            return -1;
        acc = (acc << 6) | (unsigned)(p - B64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (j >= cap)
                return -1;
            out[j++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    return (long)j;
}

/* OpenSSL 3's EVP_MAC, fetched once per process. */
static EVP_MAC *g_hmac;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void fetch_hmac(void)
{
    g_hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
}

/* HMAC-SHA256 over up to three pieces (avoids concatenating into a copy of the body). */
static int hmac(const void *key, size_t klen, const void *d1, size_t l1, const void *d2, size_t l2,
                const void *d3, size_t l3, unsigned char mac[32])
{
    pthread_once(&g_once, fetch_hmac);
    if (!g_hmac)
        return 0;
    static const unsigned char empty = 0;
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    EVP_MAC_CTX *c = EVP_MAC_CTX_new(g_hmac);
    size_t ml = 0;
    int ok = c && EVP_MAC_init(c, klen ? key : &empty, klen, params) == 1 &&
             (!l1 || EVP_MAC_update(c, d1, l1) == 1) && (!l2 || EVP_MAC_update(c, d2, l2) == 1) &&
             (!l3 || EVP_MAC_update(c, d3, l3) == 1) && EVP_MAC_final(c, mac, &ml, 32) == 1 &&
             ml == 32;
    EVP_MAC_CTX_free(c);
    return ok;
}

static oaw_result secret_key(const char *secret, unsigned char *key, size_t *klen)
{
    if (!secret)
        return OAW_ERR_ARGUMENT;
    const char *p = strncmp(secret, "whsec_", 6) == 0 ? secret + 6 : secret;
    long n = unb64(p, strlen(p), key, MAX_KEY);
    if (n < 16)
        return OAW_ERR_SECRET;
    *klen = (size_t)n;
    return OAW_OK;
}

oaw_result oaw_secret_generate(char out[OAW_SECRET_MAX])
{
    unsigned char k[32];
    if (!out)
        return OAW_ERR_ARGUMENT;
    if (RAND_bytes(k, sizeof k) != 1)
        return OAW_ERR_CRYPTO;
    memcpy(out, "whsec_", 6);
    b64(k, sizeof k, out + 6, B64, 1);
    OPENSSL_cleanse(k, sizeof k);
    return OAW_OK;
}

static oaw_result std_mac(const unsigned char *key, size_t klen, const char *msg_id, int64_t ts,
                          const void *body, size_t len, unsigned char mac[32])
{
    char prefix[MAX_MSG_ID + 32];
    int pn = snprintf(prefix, sizeof prefix, "%s.%lld.", msg_id, (long long)ts);
    if (pn < 0 || (size_t)pn >= sizeof prefix)
        return OAW_ERR_ARGUMENT;
    return hmac(key, klen, prefix, (size_t)pn, body, len, NULL, 0, mac) ? OAW_OK : OAW_ERR_CRYPTO;
}

oaw_result oaw_sign_standard(const char *secret, const char *msg_id, int64_t timestamp,
                             const void *body, size_t body_len, char out[OAW_SIGNATURE_MAX])
{
    unsigned char key[MAX_KEY], mac[32];
    size_t klen = 0;
    if (!msg_id || !out || (!body && body_len))
        return OAW_ERR_ARGUMENT;
    if (strlen(msg_id) > MAX_MSG_ID)
        return OAW_ERR_ARGUMENT;
    oaw_result r = secret_key(secret, key, &klen);
    if (r == OAW_OK)
        r = std_mac(key, klen, msg_id, timestamp, body, body_len, mac);
    if (r == OAW_OK) {
        memcpy(out, "v1,", 3);
        b64(mac, sizeof mac, out + 3, B64, 1);
    }
    OPENSSL_cleanse(key, sizeof key);
    return r;
}

oaw_result oaw_sign_kombo(const char *secret, const void *body, size_t body_len,
                          char out[OAW_SIGNATURE_MAX])
{
    unsigned char mac[32];
    if (!secret || !out || (!body && body_len))
        return OAW_ERR_ARGUMENT;
    if (!hmac(secret, strlen(secret), body, body_len, NULL, 0, NULL, 0, mac))
        return OAW_ERR_CRYPTO;
    b64(mac, sizeof mac, out, B64URL, 0);
    return OAW_OK;
}

static const char *header(const oaw_header *h, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (h[i].name && h[i].value && strcasecmp(h[i].name, name) == 0)
            return h[i].value;
    return NULL;
}

static int parse_ts(const char *s, int64_t *out)
{
    int64_t v = 0;
    while (*s == ' ')
        s++;
    if (!*s)
        return 0;
    for (; *s && *s != ' '; s++) {
        if (*s < '0' || *s > '9' || v > 1000000000000LL)
            return 0;
        v = v * 10 + (*s - '0');
    }
    while (*s == ' ')
        s++;
    if (*s)
        return 0;
    *out = v;
    return 1;
}

static oaw_result verify_standard(const char *secret, const char *id, const char *ts_s,
                                  const char *sigs, const void *body, size_t len,
                                  const oaw_verify_opts *o)
{
    int64_t ts;
    if (!*id || strlen(id) > MAX_MSG_ID || !parse_ts(ts_s, &ts))
        return OAW_ERR_MALFORMED_HEADER;
    int tol = o && o->tolerance_s > 0 ? o->tolerance_s : OAW_DEFAULT_TOLERANCE;
    int64_t now = o && o->now ? o->now : (int64_t)time(NULL);
    if (ts < now - tol)
        return OAW_ERR_TIMESTAMP_STALE;
    if (ts > now + tol)
        return OAW_ERR_TIMESTAMP_FUTURE;
    unsigned char key[MAX_KEY], mac[32];
    size_t klen;
    oaw_result r = secret_key(secret, key, &klen);
    if (r == OAW_OK)
        r = std_mac(key, klen, id, ts, body, len, mac);
    OPENSSL_cleanse(key, sizeof key);
    if (r != OAW_OK)
        return r;
    /* "v1,<b64> v1,<b64> ...": any v1 match is enough; other versions are skipped. */
    int seen = 0, wellformed = 0, match = 0;
    const char *p = sigs;
    while (*p && seen < MAX_SIGS) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        seen++;
        if (n > 3 && strncmp(p, "v1,", 3) == 0 && n - 3 <= 64) {
            unsigned char got[48];
            long gl = unb64(p + 3, n - 3, got, sizeof got);
            if (gl == 32) {
                wellformed = 1;
                match |= CRYPTO_memcmp(got, mac, 32) == 0;
            }
        }
        p += n;
    }
    if (!wellformed && !match)
        return seen ? OAW_ERR_MALFORMED_HEADER : OAW_ERR_MALFORMED_HEADER;
    return match ? OAW_OK : OAW_ERR_SIGNATURE_MISMATCH;
}

static oaw_result verify_kombo(const char *secret, const char *sig, const void *body, size_t len)
{
    unsigned char mac[32];
    char want[OAW_SIGNATURE_MAX];
    while (*sig == ' ')
        sig++;
    size_t n = strlen(sig);
    while (n && sig[n - 1] == ' ')
        n--;
    if (n != 43)
        return OAW_ERR_MALFORMED_HEADER;
    for (size_t i = 0; i < n; i++)
        if (!strchr(B64URL, sig[i]) || !sig[i])
            return OAW_ERR_MALFORMED_HEADER;
    if (!hmac(secret, strlen(secret), body, len, NULL, 0, NULL, 0, mac))
        return OAW_ERR_CRYPTO;
    b64(mac, sizeof mac, want, B64URL, 0);
    return CRYPTO_memcmp(want, sig, 43) == 0 ? OAW_OK : OAW_ERR_SIGNATURE_MISMATCH;
}

oaw_result oaw_verify(const char *secret, const oaw_header *headers, size_t n_headers,
                      const void *body, size_t body_len, const oaw_verify_opts *opts)
{
    if (!secret || (!headers && n_headers) || (!body && body_len))
        return OAW_ERR_ARGUMENT;
    const char *id = header(headers, n_headers, "webhook-id");
    const char *ts = header(headers, n_headers, "webhook-timestamp");
    const char *sig = header(headers, n_headers, "webhook-signature");
    const char *kombo = header(headers, n_headers, "x-kombo-signature");
    if (id || ts || sig) {
        if (!id || !ts || !sig)
            return OAW_ERR_MALFORMED_HEADER;
        return verify_standard(secret, id, ts, sig, body, body_len, opts);
    }
    if (opts && opts->require_standard)
        return OAW_ERR_MISSING_HEADERS;
    if (kombo)
        return verify_kombo(secret, kombo, body, body_len);
    return OAW_ERR_MISSING_HEADERS;
}
