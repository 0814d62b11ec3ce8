/*
 * webhook.c - signing and verification for openapply webhooks (libopenapply).
 *
 * Self-contained on OpenSSL's libcrypto: no engine internals, no allocation, no abort on any
 * input. Signatures are decoded to their 32 MAC bytes and compared with CRYPTO_memcmp, every
 * candidate of a webhook-signature header is compared (no early exit on a match), and the key
 * material is wiped from the stack after use.
 */
#include "openapply/webhook.h"

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

#ifndef OAW_LIB_VERSION
#define OAW_LIB_VERSION "0.0.0"
#endif

#define MAX_KEY     256            /* decoded secret bytes we accept */
#define MIN_KEY     16             /* ... and at least this many */
#define MAX_TS      100000000000LL /* webhook-timestamp above this is nonsense (year 5138) */
#define MAX_SIG_B64 64             /* longest base64 text considered for one signature */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const char *oaw_strerror(oaw_result r)
{
    switch (r) {
    case OAW_OK:
        return "valid";
    case OAW_ERR_ARGUMENT:
        return "invalid argument (a NULL pointer or an impossible size)";
    case OAW_ERR_SECRET:
        return "the secret is not a whsec_ secret (\"whsec_\" + base64 of at least 16 bytes)";
    case OAW_ERR_MISSING_HEADERS:
        return "no signature headers (webhook-id/webhook-timestamp/webhook-signature or "
               "X-Kombo-Signature)";
    case OAW_ERR_MALFORMED_HEADER:
        return "X-Kombo-Signature is malformed (expected 43 characters of base64url)";
    case OAW_ERR_TIMESTAMP_STALE:
        return "webhook-timestamp is too old (outside the tolerance): possible replay";
    case OAW_ERR_TIMESTAMP_FUTURE:
        return "webhook-timestamp is too far in the future (outside the tolerance)";
    case OAW_ERR_SIGNATURE_MISMATCH:
        return "no signature matches: wrong secret or tampered body";
    case OAW_ERR_CRYPTO:
        return "HMAC computation failed";
    case OAW_ERR_INCOMPLETE_HEADERS:
        return "incomplete Standard Webhooks headers (webhook-id, webhook-timestamp and "
               "webhook-signature are all required)";
    case OAW_ERR_DUPLICATE_HEADER:
        return "a signature header was received more than once";
    case OAW_ERR_MALFORMED_ID:
        return "webhook-id is malformed (empty, too long or with control characters)";
    case OAW_ERR_MALFORMED_TIMESTAMP:
        return "webhook-timestamp is malformed (expected whole seconds since 1970)";
    case OAW_ERR_MALFORMED_SIGNATURE:
        return "webhook-signature is malformed (expected \"v1,<base64 of 32 bytes>\", "
               "space-separated)";
    case OAW_ERR_NOT_JSON:
        return "the body is not valid JSON";
    case OAW_ERR_SCHEMA:
        return "the event does not match its schema";
    case OAW_ERR_UNKNOWN_TYPE:
        return "unknown event type";
    case OAW_ERR_TOO_LARGE:
        return "the body is too large";
    case OAW_ERR_NOMEM:
        return "out of memory";
    case OAW_ERR_STORE:
        return "a mirror store callback failed";
    }
    return "unknown error";
}

const char *oaw_version(void)
{
    return OAW_LIB_VERSION;
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

/* The 6-bit value of a base64 (or base64url when url) character, -1 when not one. */
static int b64val(unsigned char c, int url)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == (url ? '-' : '+'))
        return 62;
    if (c == (url ? '_' : '/'))
        return 63;
    return -1;
}

/* Decodes standard base64 (trailing padding optional, at most two '='); -1 on bad input or
 * when the result would exceed cap. */
static long unb64(const char *s, size_t n, unsigned char *out, size_t cap)
{
    size_t pad = 0;
    while (n > 0 && s[n - 1] == '=' && pad < 2) {
        n--;
        pad++;
    }
    if (n % 4 == 1)
        return -1; /* a lone 6-bit group encodes no byte */
    size_t j = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64val((unsigned char)s[i], 0);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (unsigned)v;
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

/* HMAC-SHA256 over up to two pieces (avoids concatenating into a copy of the body). */
static int hmac(const void *key, size_t klen, const void *d1, size_t l1, const void *d2, size_t l2,
                unsigned char mac[32])
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
             EVP_MAC_final(c, mac, &ml, 32) == 1 && ml == 32;
    EVP_MAC_CTX_free(c);
    return ok;
}

/* The Standard Webhooks key: the base64 after "whsec_" (the prefix is optional). */
static oaw_result secret_key(const char *secret, unsigned char *key, size_t *klen)
{
    if (!secret)
        return OAW_ERR_ARGUMENT;
    const char *p = strncmp(secret, "whsec_", 6) == 0 ? secret + 6 : secret;
    size_t n = strnlen(p, 4 * MAX_KEY);
    long k = unb64(p, n, key, MAX_KEY);
    if (k < MIN_KEY)
        return OAW_ERR_SECRET;
    *klen = (size_t)k;
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
    char prefix[OAW_ID_MAX + 32];
    int pn = snprintf(prefix, sizeof prefix, "%s.%lld.", msg_id, (long long)ts);
    if (pn < 0 || (size_t)pn >= sizeof prefix)
        return OAW_ERR_ARGUMENT;
    return hmac(key, klen, prefix, (size_t)pn, body, len, mac) ? OAW_OK : OAW_ERR_CRYPTO;
}

oaw_result oaw_sign_standard(const char *secret, const char *msg_id, int64_t timestamp,
                             const void *body, size_t body_len, char out[OAW_SIGNATURE_MAX])
{
    unsigned char key[MAX_KEY], mac[32];
    size_t klen = 0;
    if (!secret || !msg_id || !out || (!body && body_len))
        return OAW_ERR_ARGUMENT;
    if (strnlen(msg_id, OAW_ID_MAX + 1) > OAW_ID_MAX || timestamp < 0 || timestamp > MAX_TS)
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
    if (!*secret)
        return OAW_ERR_SECRET;
    if (!hmac(secret, strlen(secret), body, body_len, NULL, 0, mac))
        return OAW_ERR_CRYPTO;
    b64(mac, sizeof mac, out, B64URL, 0);
    return OAW_OK;
}

/* Finds the header `name`; *dup is set when it occurs more than once. */
static const char *header(const oaw_header *h, size_t n, const char *name, int *dup)
{
    const char *found = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!h[i].name || !h[i].value || strcasecmp(h[i].name, name) != 0)
            continue;
        if (found)
            *dup = 1;
        else
            found = h[i].value;
    }
    return found;
}

/* Whole seconds, optionally surrounded by spaces; no sign, no fraction, no exponent. */
static int parse_ts(const char *s, int64_t *out)
{
    int64_t v = 0;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s < '0' || *s > '9')
        return 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (*s - '0');
        if (v > MAX_TS)
            return 0;
    }
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s)
        return 0;
    *out = v;
    return 1;
}

static int id_ok(const char *id)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++, n++)
        if (n >= OAW_ID_MAX || *p < 0x20 || *p == 0x7f)
            return 0;
    return n > 0;
}

/* Reads up to OAW_SIGNATURES_MAX space-separated candidates; keeps the decoded v1 ones. */
static int parse_sigs(const char *p, unsigned char got[][32], int *pos)
{
    int seen = 0, n_ok = 0;
    while (*p && seen < OAW_SIGNATURES_MAX) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " ");
        if (n > 3 && strncmp(p, "v1,", 3) == 0 && n - 3 <= MAX_SIG_B64) {
            unsigned char buf[48];
            if (unb64(p + 3, n - 3, buf, sizeof buf) == 32) {
                memcpy(got[n_ok], buf, 32);
                pos[n_ok++] = seen;
            }
        }
        seen++;
        p += n;
    }
    return n_ok;
}

static oaw_result verify_standard(const char *secret, const char *id, const char *ts_s,
                                  const char *sigs, const void *body, size_t len,
                                  const oaw_verify_opts *o, oaw_verify_info *info)
{
    int64_t ts;
    unsigned char got[OAW_SIGNATURES_MAX][32];
    int pos[OAW_SIGNATURES_MAX];
    unsigned char key[MAX_KEY], mac[32];
    size_t klen;
    oaw_result r = secret_key(secret, key, &klen);
    if (r != OAW_OK)
        goto out;
    if (!id_ok(id)) {
        r = OAW_ERR_MALFORMED_ID;
        goto out;
    }
    if (!parse_ts(ts_s, &ts)) {
        r = OAW_ERR_MALFORMED_TIMESTAMP;
        goto out;
    }
    info->timestamp = ts;
    int n_sigs = parse_sigs(sigs, got, pos);
    info->signatures = n_sigs;
    if (n_sigs == 0) {
        r = OAW_ERR_MALFORMED_SIGNATURE;
        goto out;
    }
    int64_t tol = o && o->tolerance_s > 0 ? o->tolerance_s : OAW_DEFAULT_TOLERANCE;
    int64_t now = o && o->now ? o->now : (int64_t)time(NULL);
    info->age_s = now - ts;
    if (ts < now - tol) {
        r = OAW_ERR_TIMESTAMP_STALE;
        goto out;
    }
    if (ts > now + tol) {
        r = OAW_ERR_TIMESTAMP_FUTURE;
        goto out;
    }
    r = std_mac(key, klen, id, ts, body, len, mac);
    if (r != OAW_OK)
        goto out;
    int match = -1;
    for (int i = 0; i < n_sigs; i++) {
        int eq = CRYPTO_memcmp(got[i], mac, 32) == 0;
        if (eq && match < 0)
            match = pos[i];
    }
    info->signature_index = match;
    r = match >= 0 ? OAW_OK : OAW_ERR_SIGNATURE_MISMATCH;
out:
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(mac, sizeof mac);
    return r;
}

static oaw_result verify_kombo(const char *secret, const char *sig, const void *body, size_t len,
                               oaw_verify_info *info)
{
    unsigned char mac[32];
    char want[OAW_SIGNATURE_MAX];
    if (!*secret)
        return OAW_ERR_SECRET;
    while (*sig == ' ' || *sig == '\t')
        sig++;
    size_t n = strnlen(sig, 128);
    while (n && (sig[n - 1] == ' ' || sig[n - 1] == '\t'))
        n--;
    if (n != 43)
        return OAW_ERR_MALFORMED_HEADER;
    for (size_t i = 0; i < n; i++)
        if (b64val((unsigned char)sig[i], 1) < 0)
            return OAW_ERR_MALFORMED_HEADER;
    info->signatures = 1;
    if (!hmac(secret, strlen(secret), body, len, NULL, 0, mac))
        return OAW_ERR_CRYPTO;
    b64(mac, sizeof mac, want, B64URL, 0);
    int ok = CRYPTO_memcmp(want, sig, 43) == 0;
    info->signature_index = ok ? 0 : -1;
    return ok ? OAW_OK : OAW_ERR_SIGNATURE_MISMATCH;
}

oaw_result oaw_verify_ex(const char *secret, const oaw_header *headers, size_t n_headers,
                         const void *body, size_t body_len, const oaw_verify_opts *opts,
                         oaw_verify_info *info)
{
    oaw_verify_info scratch;
    if (!info)
        info = &scratch;
    memset(info, 0, sizeof *info);
    info->signature_index = -1;
    if (!secret || (!headers && n_headers) || (!body && body_len))
        return OAW_ERR_ARGUMENT;
    int dup = 0;
    const char *id = header(headers, n_headers, "webhook-id", &dup);
    const char *ts = header(headers, n_headers, "webhook-timestamp", &dup);
    const char *sig = header(headers, n_headers, "webhook-signature", &dup);
    const char *kombo = header(headers, n_headers, "x-kombo-signature", &dup);
    if (dup)
        return OAW_ERR_DUPLICATE_HEADER;
    if (id || ts || sig) {
        info->scheme = OAW_SCHEME_STANDARD;
        if (!id || !ts || !sig)
            return OAW_ERR_INCOMPLETE_HEADERS;
        return verify_standard(secret, id, ts, sig, body, body_len, opts, info);
    }
    if (opts && opts->require_standard)
        return OAW_ERR_MISSING_HEADERS;
    if (kombo) {
        info->scheme = OAW_SCHEME_KOMBO;
        return verify_kombo(secret, kombo, body, body_len, info);
    }
    return OAW_ERR_MISSING_HEADERS;
}

oaw_result oaw_verify(const char *secret, const oaw_header *headers, size_t n_headers,
                      const void *body, size_t body_len, const oaw_verify_opts *opts)
{
    return oaw_verify_ex(secret, headers, n_headers, body, body_len, opts, NULL);
}
