/* keys.c - the meta table (server secrets), API keys (with their revocation and expiry), and
 * used submission tokens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- API keys ---- */

#define KEY_COLS                                                                                   \
    "key_hash, COALESCE(key_id, substr(key_hash, 1, 12)), tenant, source, label, created_at, "     \
    "expires_at, revoked_at"

static void read_key(oa_stmt *s, void *row)
{
    oa_apikey *k = row;
    store_copy(s, 0, k->key_hash, sizeof k->key_hash);
    store_copy(s, 1, k->key_id, sizeof k->key_id);
    k->tenant = store_dup(s, 2);
    k->source = store_dup(s, 3);
    k->label = store_dup(s, 4);
    k->created_at = store_int(s, 5);
    k->expires_at = store_null(s, 6) ? 0 : store_int(s, 6);
    k->revoked_at = store_null(s, 7) ? 0 : store_int(s, 7);
}

static void clear_key(void *row)
{
    oa_apikey_clear(row);
}

void oa_apikey_clear(oa_apikey *k)
{
    free(k->tenant);
    free(k->source);
    free(k->label);
    memset(k, 0, sizeof *k);
}

void oa_apikey_list_free(oa_apikey *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        oa_apikey_clear(&l[i]);
    free(l);
}

static void key_id_of(const char *key_hash, char out[OA_KEY_ID_SIZE])
{
    snprintf(out, OA_KEY_ID_SIZE, "%.*s", OA_KEY_ID_SIZE - 1, key_hash);
}

oa_status store_apikey_put(oa_tx *tx, const char *key_hash, const char *tenant, const char *source,
                           int64_t now)
{
    /* A key given again (every start, for --api-key) keeps its row: only the tenant follows
     * the flag; revoked_at and expires_at stay, so a revoked key stays revoked. */
    char id[OA_KEY_ID_SIZE];
    key_id_of(key_hash, id);
    return store_exec(tx,
                      "INSERT INTO api_keys (key_hash, key_id, tenant, source, created_at) "
                      "VALUES (?, ?, ?, ?, ?) "
                      "ON CONFLICT (key_hash) DO UPDATE SET tenant = excluded.tenant, "
                      "key_id = COALESCE(api_keys.key_id, excluded.key_id)",
                      "tttti", key_hash, id, tenant, source, now);
}

oa_status store_apikey_insert(oa_tx *tx, const char *key_hash, const char *tenant,
                              const char *source, const char *label, int64_t expires_at,
                              int64_t now)
{
    char id[OA_KEY_ID_SIZE];
    key_id_of(key_hash, id);
    if (expires_at > 0)
        return store_exec(tx,
                          "INSERT INTO api_keys (key_hash, key_id, tenant, source, label, "
                          "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          "tttttii", key_hash, id, tenant, source, label, now, expires_at);
    return store_exec(tx,
                      "INSERT INTO api_keys (key_hash, key_id, tenant, source, label, created_at) "
                      "VALUES (?, ?, ?, ?, ?, ?)",
                      "ttttti", key_hash, id, tenant, source, label, now);
}

oa_status store_apikey_find(oa_tx *tx, const char *key_hash, oa_apikey *out)
{
    memset(out, 0, sizeof *out);
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s, "SELECT " KEY_COLS " FROM api_keys WHERE key_hash = ?", "t", key_hash);
    return rc == OA_OK ? store_read_one(s, read_key, out) : rc;
}

oa_status store_apikey_count(oa_tx *tx, int64_t now, int64_t *n)
{
    return store_query_int(tx, n,
                           "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL AND "
                           "(expires_at IS NULL OR expires_at > ?)",
                           "i", now);
}

oa_status store_apikey_list(oa_tx *tx, const char *tenant, oa_apikey **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    oa_stmt *s;
    oa_status rc = store_query(tx, &s,
                               "SELECT " KEY_COLS " FROM api_keys WHERE CAST(?1 AS TEXT) IS NULL "
                               "OR tenant = ?1 ORDER BY created_at, key_hash",
                               "t", tenant);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_key, clear_key, out, n) : rc;
}

oa_status store_apikey_match(oa_tx *tx, const char *prefix, oa_apikey **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    for (const char *p = prefix; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return OA_INVALID;
    if (strlen(prefix) >= OA_KEY_ID_SIZE)
        return OA_INVALID;
    char *like = xasprintf("%s%%", prefix);
    oa_stmt *s;
    oa_status rc =
        store_query(tx, &s,
                    "SELECT " KEY_COLS " FROM api_keys WHERE key_id LIKE ? ORDER BY key_hash "
                    "LIMIT 2",
                    "t", like);
    free(like);
    return rc == OA_OK ? store_read_all(s, sizeof **out, read_key, clear_key, out, n) : rc;
}

oa_status store_apikey_revoke(oa_tx *tx, const char *key_hash, int64_t now, bool *changed)
{
    int64_t ch = 0;
    oa_status rc = store_exec_n(
        tx, &ch, "UPDATE api_keys SET revoked_at = ? WHERE key_hash = ? AND revoked_at IS NULL",
        "it", now, key_hash);
    *changed = ch > 0;
    return rc;
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
