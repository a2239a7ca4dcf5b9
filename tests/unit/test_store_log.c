/* test_store_log.c - the node's log tree: after ingest across many transactions (and map
 * growth), the store's roots and proofs are those of RFC 9162 over the ids in arrival order, at
 * every size; they survive a restart; a store from before the tree gets it built on open; a
 * reader in another handle sees the same; checkpoints, witnessed notes and evidence are kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <lmdb.h>
#include <sodium.h>

#include "gen.h"
#include "ingest.h"

#define CHAINS 5
#define PER_CHAIN 60
#define N (CHAINS * PER_CHAIN)

static char dir[64];
static proto_hash leaves[N]; /* the leaf hashes of the ids, in arrival order */
static size_t n_leaves;

static int collect(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    (void)k, (void)kn, (void)ctx;
    uint8_t id[PROTO_ID_BYTES];
    proto_bulletin_id(v, vn, id);
    assert_true(n_leaves < N);
    proto_merkle_leaf(id, sizeof id, leaves[n_leaves++]);
    return 0;
}

/* The store's answers match the arrays' at every size, for every leaf and every old size. */
static void check_tree(store *st)
{
    uint64_t size;
    proto_hash want, got, p1[PROTO_MERKLE_MAX_PROOF], p2[PROTO_MERKLE_MAX_PROOF];
    size_t len;
    n_leaves = 0;
    assert_int_equal(store_table_each(st, STORE_T_ARRIVAL, collect, NULL), STORE_OK);
    assert_int_equal(store_log_size(st, &size), STORE_OK);
    assert_int_equal(size, N);
    assert_int_equal(n_leaves, N);
    for (uint64_t n = 0; n <= N; n++) {
        proto_merkle_root(leaves, n, want);
        assert_int_equal(store_log_root(st, n, got), STORE_OK);
        assert_memory_equal(got, want, 32);
    }
    for (uint64_t m = 0; m < N; m += 7) {
        size_t k = proto_merkle_inclusion(leaves, N, m, p1);
        assert_int_equal(store_log_inclusion(st, N, m, p2, &len), STORE_OK);
        assert_int_equal(len, k);
        assert_memory_equal(p1, p2, k * 32);
        k = proto_merkle_consistency(leaves, m + 1, N - 3, p1);
        assert_int_equal(store_log_consistency(st, m + 1, N - 3, p2, &len), STORE_OK);
        assert_int_equal(len, k);
        assert_memory_equal(p1, p2, k * 32);
    }
    /* Beyond the log: refused, not invented. */
    assert_int_not_equal(store_log_root(st, N + 1, got), STORE_OK);
    assert_int_not_equal(store_log_inclusion(st, N, N, p2, &len), STORE_OK);
    assert_int_not_equal(store_log_consistency(st, 5, N + 1, p2, &len), STORE_OK);
}

static void fill(void)
{
    char err[256];
    /* A small map, so that it grows (and chunks are redone) during the ingest. */
    store *st = store_open_sized(dir, false, 256u << 10, err, sizeof err);
    assert_non_null(st);
    ingest *in = ingest_new(st, 2);
    static uint8_t raw[N][PROTO_BULLETIN_MAX];
    struct ingest_item items[N] = {0};
    struct gen_chain c[CHAINS];
    for (int i = 0; i < CHAINS; i++)
        gen_chain_init(&c[i], 0x60, (uint32_t)i);
    for (int s = 0, k = 0; s < PER_CHAIN; s++)
        for (int i = 0; i < CHAINS; i++, k++) {
            items[k].len = gen_next(&c[i], 900, 0, raw[k]);
            items[k].raw = raw[k];
        }
    /* Batches of 37: chains interleaved, each batch its own transaction(s). */
    for (size_t at = 0; at < N; at += 37) {
        struct ingest_news news = {0};
        size_t k = N - at < 37 ? N - at : 37;
        assert_int_equal(ingest_batch(in, items + at, k, &news), STORE_OK);
        ingest_news_clear(&news);
    }
    struct ingest_news news = {0};
    assert_int_equal(ingest_flush(in, &news), STORE_OK);
    ingest_news_clear(&news);
    for (int i = 0; i < CHAINS; i++)
        gen_chain_free(&c[i]);
    check_tree(st);
    ingest_destroy(&in);
    store_close(&st);
}

static void tree_follows_the_log(void **state)
{
    (void)state;
    char err[256];
    fill();
    /* Again after a restart, and from a reader. */
    store *st = store_open(dir, false, err, sizeof err);
    assert_non_null(st);
    check_tree(st);
    store *ro = store_open(dir, true, err, sizeof err);
    assert_non_null(ro);
    check_tree(ro);
    store_close(&ro);
    store_close(&st);
}

/* A store written before the tree existed: the writer builds it when it opens the store. */
static void tree_built_for_an_old_store(void **state)
{
    (void)state;
    char err[256];
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    assert_int_equal(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 32);
    mdb_env_set_mapsize(env, 64u << 20);
    assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "tree", 0, &dbi), 0);
    assert_int_equal(mdb_drop(txn, dbi, 1), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
    /* A reader meanwhile says so, instead of inventing a root. */
    store *ro = store_open(dir, true, err, sizeof err);
    proto_hash root;
    assert_non_null(ro);
    assert_int_not_equal(store_log_root(ro, 3, root), STORE_OK);
    assert_non_null(strstr(store_error(ro), "predates"));
    store_close(&ro);
    store *st = store_open(dir, false, err, sizeof err);
    assert_non_null(st);
    check_tree(st);
    store_close(&st);
}

/* The entries of a table, as store_table_each gives them (the last one's bytes kept). */
struct kept {
    int n;
    uint8_t k[80], v[16];
    size_t kn, vn;
};

static int keep_entry(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct kept *e = ctx;
    e->n++;
    e->kn = kn < sizeof e->k ? kn : sizeof e->k;
    e->vn = vn < sizeof e->v ? vn : sizeof e->v;
    memcpy(e->k, k, e->kn);
    memcpy(e->v, v, e->vn);
    return 0;
}

static void notes_are_kept(void **state)
{
    (void)state;
    char err[256], *note;
    size_t len;
    uint8_t key[32] = {7};
    proto_hash root = {9};
    store *st = store_open(dir, false, err, sizeof err);
    assert_non_null(st);
    assert_int_equal(store_checkpoint(st, UINT64_MAX, &note, &len), STORE_ENOTFOUND);
    assert_int_equal(store_begin(st), STORE_OK);
    assert_int_equal(store_put_checkpoint(st, 10, "ten", 3), STORE_OK);
    assert_int_equal(store_put_checkpoint(st, 300, "three hundred", 13), STORE_OK);
    assert_int_equal(store_put_witnessed(st, key, "theirs", 6), STORE_OK);
    assert_int_equal(store_put_evidence(st, key, 5, root, "both", 4), STORE_OK);
    assert_int_equal(store_commit(st), STORE_OK);
    assert_int_equal(store_checkpoint(st, UINT64_MAX, &note, &len), STORE_OK);
    assert_string_equal(note, "three hundred");
    free(note);
    assert_int_equal(store_checkpoint(st, 10, &note, &len), STORE_OK);
    assert_string_equal(note, "ten");
    free(note);
    assert_int_equal(store_checkpoint(st, 11, &note, &len), STORE_ENOTFOUND);
    /* The witnessed note is kept under its node's key, and only there (key 8 has none). */
    struct kept w = {0};
    assert_int_equal(store_table_each(st, STORE_T_WITNESSED, keep_entry, &w), STORE_OK);
    assert_int_equal(w.n, 1);
    assert_int_equal(w.kn, 32);
    assert_memory_equal(w.k, key, 32);
    assert_int_equal(w.vn, 6);
    assert_memory_equal(w.v, "theirs", 6);
    store_close(&st);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    strcpy(dir, "/tmp/warta-test-log-XXXXXX");
    if (mkdtemp(dir) == NULL) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tree_follows_the_log),
        cmocka_unit_test(tree_built_for_an_old_store),
        cmocka_unit_test(notes_are_kept),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) return 1;
    return rc;
}
