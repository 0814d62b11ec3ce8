/* token.c - HS256 JWT submission tokens with constant-time signature checks. */
#include "core/token.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HEADER[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

char *core_token_issue(const uint8_t *key, size_t klen, oa_token_claims *c)
{
    if (!c->jti[0])
        oa_id_new(c->jti);
    json_t *p = json_object();
    json_object_set_new(p, "iss", json_string("openapply"));
    json_object_set_new(p, "sub", json_string(c->posting_id));
    json_object_set_new(p, "rev", json_string(c->revision_id));
    json_object_set_new(p, "ten", json_string(c->tenant));
    json_object_set_new(p, "jti", json_string(c->jti));
    json_object_set_new(p, "iat", json_integer(c->issued_at / 1000));
    json_object_set_new(p, "exp", json_integer(c->expires_at / 1000));
    char *payload = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    char *h64 = oa_b64url_encode(HEADER, strlen(HEADER));
    char *p64 = oa_b64url_encode(payload, strlen(payload));
    char *signing = xasprintf("%s.%s", h64, p64);
    uint8_t mac[32];
    oa_hmac_sha256(key, klen, signing, strlen(signing), mac);
    char *s64 = oa_b64url_encode(mac, sizeof mac);
    char *tok = xasprintf("%s.%s", signing, s64);
    free(payload);
    free(h64);
    free(p64);
    free(signing);
    free(s64);
    return tok;
}

static bool copy_claim(json_t *p, const char *name, char *out, size_t n, bool is_id)
{
    const char *v = json_string_value(json_object_get(p, name));
    if (!v || strlen(v) >= n || (is_id && !oa_id_valid(v)))
        return false;
    memcpy(out, v, strlen(v) + 1);
    return true;
}

oa_status core_token_verify(const uint8_t *key, size_t klen, const char *token, int64_t now_ms,
                            oa_token_claims *out, const char **why)
{
    oa_status st = OA_INVALID;
    uint8_t *sig = NULL, *payload = NULL;
    size_t siglen = 0, plen = 0;
    json_t *p = NULL;
    memset(out, 0, sizeof *out);
    *why = CORE_TOKEN_INVALID;
    if (!token || strlen(token) > OA_TOKEN_MAX_LEN)
        goto out;
    const char *d1 = strchr(token, '.');
    const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d1 || !d2 || strchr(d2 + 1, '.'))
        goto out;
    size_t hlen = (size_t)(d1 - token);
    char *h64 = oa_b64url_encode(HEADER, strlen(HEADER));
    bool header_ok = hlen == strlen(h64) && memcmp(token, h64, hlen) == 0;
    free(h64);
    if (!header_ok)
        goto out;
    if (oa_b64url_decode(d2 + 1, strlen(d2 + 1), &sig, &siglen) != OA_OK || siglen != 32)
        goto out;
    uint8_t mac[32];
    oa_hmac_sha256(key, klen, token, (size_t)(d2 - token), mac);
    if (!oa_ct_equal(mac, sig, 32))
        goto out; /* the same answer as malformed: nothing to learn from the difference */
    if (oa_b64url_decode(d1 + 1, (size_t)(d2 - d1 - 1), &payload, &plen) != OA_OK)
        goto out;
    p = json_loadb((const char *)payload, plen, 0, NULL);
    if (!json_is_object(p))
        goto out;
    if (!copy_claim(p, "sub", out->posting_id, sizeof out->posting_id, true) ||
        !copy_claim(p, "rev", out->revision_id, sizeof out->revision_id, true) ||
        !copy_claim(p, "jti", out->jti, sizeof out->jti, true) ||
        !copy_claim(p, "ten", out->tenant, sizeof out->tenant, false))
        goto out;
    json_t *iat = json_object_get(p, "iat"), *exp = json_object_get(p, "exp");
    if (!json_is_integer(iat) || !json_is_integer(exp))
        goto out;
    out->issued_at = json_integer_value(iat) * 1000;
    out->expires_at = json_integer_value(exp) * 1000;
    if (now_ms >= out->expires_at) {
        *why = "submission_token has expired: call inquire again for a new one";
        goto out;
    }
    *why = NULL;
    st = OA_OK;
out:
    free(sig);
    free(payload);
    json_decref(p);
    return st;
}
