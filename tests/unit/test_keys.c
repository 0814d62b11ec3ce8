/*
 * test_keys.c - the API key lifecycle in the store and svc: a key given again keeps its
 * revocation, revoked and expired keys are refused (and told apart for the log only), the
 * bootstrap counts usable keys only, ids and prefixes, listing, and (SQLite) the
 * `openapply keys` open beside a running engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/entities.h"
#include "svc/svc.h"
#include "util/clock.h"
#include "util/crypto.h"

typedef struct {
    char dir[64];
    char url[128];
    oa_store *st;
    svc s;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    test_tmp_store_url(f->dir, sizeof f->dir, "oa-test-keys", f->url, sizeof f->url);
    char *why = NULL;
    assert_int_equal(store_open(f->url, NULL, &f->st, &why), OA_OK);
    f->s.store = f->st;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->st);
    test_rmdir(f->dir);
    free(f);
    return 0;
}

/* ---- store calls, one transaction each ---- */

struct kc {
    const char *hash, *tenant, *prefix;
    int64_t now, expires_at, n;
    oa_apikey row;
    oa_apikey *l;
    size_t ln;
    bool changed;
};

static oa_status put_tx(oa_tx *tx, void *arg)
{
    struct kc *c = arg;
    return store_apikey_put(tx, c->hash, c->tenant, "flag", c->now);
}

static oa_status insert_tx(oa_tx *tx, void *arg)
{
    struct kc *c = arg;
    return store_apikey_insert(tx, c->hash, c->tenant, "cli", "a label", c->expires_at, c->now);
}

static oa_status find_tx(oa_tx *tx, void *arg)
{
    struct kc *c = arg;
    oa_apikey_clear(&c->row);
    return store_apikey_find(tx, c->hash, &c->row);
}

static oa_status count_tx(oa_tx *tx, void *arg)
{
    struct kc *c = arg;
    return store_apikey_count(tx, c->now, &c->n);
}

static oa_status revoke_tx(oa_tx *tx, void *arg)
{
    struct kc *c = arg;
    return store_apikey_revoke(tx, c->hash, c->now, &c->changed);
}

static oa_status list_tx(oa_tx *tx, void *arg)
{
    struct kc *c = arg;
    oa_apikey_list_free(c->l, c->ln);
    c->l = NULL;
    c->ln = 0;
    return store_apikey_list(tx, c->tenant, &c->l, &c->ln);
}

static oa_status match_tx(oa_tx *tx, void *arg)
{
    struct kc *c = arg;
    oa_apikey_list_free(c->l, c->ln);
    c->l = NULL;
    c->ln = 0;
    return store_apikey_match(tx, c->prefix, &c->l, &c->ln);
}

static oa_status run(fixture *f, store_mode m, oa_status (*fn)(oa_tx *, void *), struct kc *c)
{
    return store_transact(f->st, m, fn, c);
}

static void hash_of(const char *key, char out[65])
{
    oa_sha256_hex(key, strlen(key), out);
}

/* ---- tests ---- */

static void test_put_keeps_revocation(void **state)
{
    fixture *f = *state;
    char h[65];
    hash_of("flag-key", h);
    struct kc c = {.hash = h, .tenant = "t1", .now = 1000};
    assert_int_equal(run(f, STORE_WRITE, put_tx, &c), OA_OK);
    assert_int_equal(run(f, STORE_READ, find_tx, &c), OA_OK);
    assert_string_equal(c.row.tenant, "t1");
    assert_string_equal(c.row.source, "flag");
    assert_int_equal(strlen(c.row.key_id), 12);
    assert_memory_equal(c.row.key_id, h, 12);
    assert_int_equal(c.row.revoked_at, 0);
    assert_int_equal(c.row.expires_at, 0);
    assert_null(c.row.label);

    c.now = 2000;
    assert_int_equal(run(f, STORE_WRITE, revoke_tx, &c), OA_OK);
    assert_true(c.changed);
    c.now = 3000;
    assert_int_equal(run(f, STORE_WRITE, revoke_tx, &c), OA_OK);
    assert_false(c.changed); /* idempotent: the first revocation's time stays */

    /* The flag is given again at the next start (for another tenant, even): still revoked. */
    c.tenant = "t2";
    c.now = 4000;
    assert_int_equal(run(f, STORE_WRITE, put_tx, &c), OA_OK);
    assert_int_equal(run(f, STORE_READ, find_tx, &c), OA_OK);
    assert_int_equal(c.row.revoked_at, 2000);
    assert_int_equal(c.row.created_at, 1000);
    assert_string_equal(c.row.tenant, "t2");
    assert_int_equal(svc_key_state_of(&c.row, 5000), SVC_KEY_REVOKED);
    oa_apikey_clear(&c.row);
}

static void test_count_usable_only(void **state)
{
    fixture *f = *state;
    char h1[65], h2[65], h3[65];
    hash_of("k1", h1);
    hash_of("k2", h2);
    hash_of("k3", h3);
    struct kc c = {.now = 0};
    assert_int_equal(run(f, STORE_READ, count_tx, &c), OA_OK);
    assert_int_equal(c.n, 0);
    c = (struct kc){.hash = h1, .tenant = "t", .now = 100};
    assert_int_equal(run(f, STORE_WRITE, insert_tx, &c), OA_OK);
    c = (struct kc){.hash = h2, .tenant = "t", .now = 100, .expires_at = 5000};
    assert_int_equal(run(f, STORE_WRITE, insert_tx, &c), OA_OK);
    c = (struct kc){.hash = h3, .tenant = "t", .now = 100};
    assert_int_equal(run(f, STORE_WRITE, insert_tx, &c), OA_OK);
    assert_int_equal(run(f, STORE_WRITE, insert_tx, &c), OA_CONFLICT); /* a new key only */
    c = (struct kc){.hash = h3, .now = 200};
    assert_int_equal(run(f, STORE_WRITE, revoke_tx, &c), OA_OK);
    c.now = 4999;
    assert_int_equal(run(f, STORE_READ, count_tx, &c), OA_OK);
    assert_int_equal(c.n, 2); /* k1, and k2 until 5000 */
    c.now = 5000;
    assert_int_equal(run(f, STORE_READ, count_tx, &c), OA_OK);
    assert_int_equal(c.n, 1);
    c = (struct kc){.hash = h2};
    assert_int_equal(run(f, STORE_READ, find_tx, &c), OA_OK);
    assert_int_equal(c.row.expires_at, 5000);
    assert_string_equal(c.row.label, "a label");
    assert_int_equal(svc_key_state_of(&c.row, 4999), SVC_KEY_VALID);
    assert_int_equal(svc_key_state_of(&c.row, 5000), SVC_KEY_EXPIRED);
    oa_apikey_clear(&c.row);
}

static void test_list_and_match(void **state)
{
    fixture *f = *state;
    static const char *const hashes[] = {
        "abcdef1200010000000000000000000000000000000000000000000000000000",
        "abcdef1200020000000000000000000000000000000000000000000000000000",
        "1234567800000000000000000000000000000000000000000000000000000000",
    };
    static const char *const tenants[] = {"a", "b", "a"};
    for (size_t i = 0; i < 3; i++) {
        struct kc c = {.hash = hashes[i], .tenant = tenants[i], .now = (int64_t)i + 1};
        assert_int_equal(run(f, STORE_WRITE, insert_tx, &c), OA_OK);
    }
    struct kc c = {0};
    assert_int_equal(run(f, STORE_READ, list_tx, &c), OA_OK);
    assert_int_equal(c.ln, 3);
    assert_string_equal(c.l[0].key_id, "abcdef120001"); /* oldest first */
    assert_string_equal(c.l[2].key_id, "123456780000");
    c.tenant = "a";
    assert_int_equal(run(f, STORE_READ, list_tx, &c), OA_OK);
    assert_int_equal(c.ln, 2);
    assert_string_equal(c.l[0].tenant, "a");
    assert_string_equal(c.l[1].tenant, "a");
    c.tenant = "nobody";
    assert_int_equal(run(f, STORE_READ, list_tx, &c), OA_OK);
    assert_int_equal(c.ln, 0);

    c.prefix = "abcdef12";
    assert_int_equal(run(f, STORE_READ, match_tx, &c), OA_OK);
    assert_int_equal(c.ln, 2); /* ambiguous */
    c.prefix = "abcdef120002";
    assert_int_equal(run(f, STORE_READ, match_tx, &c), OA_OK);
    assert_int_equal(c.ln, 1);
    assert_string_equal(c.l[0].key_hash, hashes[1]);
    c.prefix = "ffffffff";
    assert_int_equal(run(f, STORE_READ, match_tx, &c), OA_OK);
    assert_int_equal(c.ln, 0);
    c.prefix = "abcd%"; /* no wildcards: hex only */
    assert_int_equal(run(f, STORE_READ, match_tx, &c), OA_INVALID);
    c.prefix = "abcdef1200010"; /* longer than an id */
    assert_int_equal(run(f, STORE_READ, match_tx, &c), OA_INVALID);
    oa_apikey_list_free(c.l, c.ln);
}

static void test_svc_lifecycle(void **state)
{
    fixture *f = *state;
    char *key = NULL, *tenant = NULL, *boot = NULL;
    oa_apikey row = {0};
    /* No key at all: the bootstrap makes one. */
    assert_int_equal(svc_key_bootstrap(&f->s, &boot), OA_OK);
    assert_non_null(boot);
    assert_int_equal(svc_key_create(&f->s, "acme", NULL, oa_now_ms() + 3600000, &key, &row), OA_OK);
    assert_int_equal(strncmp(key, "oa_", 3), 0);
    char id[OA_KEY_ID_SIZE];
    snprintf(id, sizeof id, "%s", row.key_id);
    oa_apikey_clear(&row);
    svc_key_state st = SVC_KEY_VALID;
    char got[OA_KEY_ID_SIZE] = "x";
    assert_int_equal(svc_key_tenant(&f->s, key, &tenant, &st, got), OA_OK);
    assert_string_equal(tenant, "acme");
    assert_int_equal(st, SVC_KEY_VALID);
    free(tenant);

    assert_int_equal(svc_key_tenant(&f->s, "made-up", &tenant, &st, got), OA_NOT_FOUND);
    assert_null(tenant);
    assert_int_equal(st, SVC_KEY_UNKNOWN);
    assert_string_equal(got, "");

    bool already = true;
    assert_int_equal(svc_key_revoke(&f->s, id, &row, &already), OA_OK);
    assert_false(already);
    assert_string_equal(row.key_id, id);
    assert_true(row.revoked_at > 0);
    oa_apikey_clear(&row);
    assert_int_equal(svc_key_tenant(&f->s, key, &tenant, &st, got), OA_NOT_FOUND);
    assert_null(tenant);
    assert_int_equal(st, SVC_KEY_REVOKED);
    assert_string_equal(got, id);
    assert_int_equal(svc_key_revoke(&f->s, id, &row, &already), OA_OK);
    assert_true(already);
    oa_apikey_clear(&row);
    assert_int_equal(svc_key_revoke(&f->s, "00000000", &row, &already), OA_NOT_FOUND);

    /* An expired key: refused, and told apart in the log only. */
    free(key);
    assert_int_equal(svc_key_create(&f->s, "acme", "old", oa_now_ms() - 1, &key, &row), OA_OK);
    assert_int_equal(svc_key_tenant(&f->s, key, &tenant, &st, NULL), OA_NOT_FOUND);
    assert_int_equal(st, SVC_KEY_EXPIRED);
    oa_apikey_clear(&row);

    /* Revoke the bootstrap key too: no usable key is left, and the next start makes one. */
    char bh[65];
    hash_of(boot, bh);
    bh[12] = '\0';
    assert_int_equal(svc_key_revoke(&f->s, bh, &row, &already), OA_OK);
    oa_apikey_clear(&row);
    char *again = NULL;
    assert_int_equal(svc_key_bootstrap(&f->s, &again), OA_OK);
    assert_non_null(again);
    assert_string_not_equal(again, boot);
    char *none = NULL;
    assert_int_equal(svc_key_bootstrap(&f->s, &none), OA_OK);
    assert_null(none);

    oa_apikey *l = NULL;
    size_t n = 0;
    assert_int_equal(svc_key_list(&f->s, NULL, &l, &n), OA_OK);
    assert_int_equal(n, 4);
    oa_apikey_list_free(l, n);
    /* Keys are stored hashed: no key text in the table. */
    assert_int_equal(test_count(f->st,
                                "SELECT COUNT(*) FROM api_keys WHERE key_hash = ?1 OR "
                                "key_id = ?1 OR label = ?1",
                                key),
                     0);
    free(key);
    free(boot);
    free(again);
}

static void test_open_beside_engine(void **state)
{
    fixture *f = *state;
    if (test_pg()) {
        skip();
        return;
    }
    /* The fixture's store holds PATH.lock, as a running engine does. */
    oa_store *other = NULL;
    char *why = NULL;
    assert_int_equal(store_open(f->url, NULL, &other, &why), OA_CONFLICT);
    assert_non_null(strstr(why, "in use"));
    free(why);
    why = NULL;
    store_options so = {.beside_engine = true};
    assert_int_equal(store_open(f->url, &so, &other, &why), OA_OK);
    svc s2 = {.store = other};
    char *key = NULL, *tenant = NULL;
    oa_apikey row = {0};
    assert_int_equal(svc_key_create(&s2, "t", NULL, 0, &key, &row), OA_OK);
    oa_apikey_clear(&row);
    /* The engine's store sees the key at once. */
    assert_int_equal(svc_key_tenant(&f->s, key, &tenant, NULL, NULL), OA_OK);
    assert_string_equal(tenant, "t");
    free(tenant);
    free(key);
    store_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_put_keeps_revocation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count_usable_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_and_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_svc_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_beside_engine, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
