/* keys.c - the meta table (server secrets), API keys, and used submission tokens. */
#include <stdlib.h>

#include "store/entities.h"

oa_status store_meta_get(oa_tx *tx, const char *key, char **value)
{
    return store_query_text(tx, value, "SELECT value FROM meta WHERE key = ?", "t", key);
}

oa_status store_meta_get_or_put(oa_tx *tx, const char *key, const char *value, char **stored)
{
    oa_status rc =
        store_exec(tx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                   "tt", key, value);
    if (rc != OA_OK)
        return rc;
    return store_meta_get(tx, key, stored);
}

oa_status store_apikey_put(oa_tx *tx, const char *key_hash, const char *tenant, const char *source,
                           int64_t now)
{
    return store_exec(
        tx,
        "INSERT INTO api_keys (key_hash, tenant, source, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (key_hash) DO UPDATE SET tenant = excluded.tenant",
        "ttti", key_hash, tenant, source, now);
}

oa_status store_apikey_find(oa_tx *tx, const char *key_hash, char **tenant)
{
    return store_query_text(tx, tenant, "SELECT tenant FROM api_keys WHERE key_hash = ?", "t",
                            key_hash);
}

oa_status store_apikey_count(oa_tx *tx, int64_t *n)
{
    return store_query_int(tx, n, "SELECT COUNT(*) FROM api_keys", "");
}

oa_status store_token_use(oa_tx *tx, const char *jti, int64_t expires_at)
{
    int64_t changed = 0;
    oa_status rc = store_exec_n(tx, &changed,
                                "INSERT INTO used_tokens (jti, expires_at) VALUES (?, ?) "
                                "ON CONFLICT (jti) DO NOTHING",
                                "ti", jti, expires_at);
    if (rc != OA_OK)
        return rc;
    return changed == 1 ? OA_OK : OA_CONFLICT;
}

oa_status store_token_is_used(oa_tx *tx, const char *jti, bool *used)
{
    int64_t n = 0;
    oa_status rc =
        store_query_int(tx, &n, "SELECT COUNT(*) FROM used_tokens WHERE jti = ?", "t", jti);
    *used = n > 0;
    return rc;
}
