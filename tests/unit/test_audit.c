/* test_audit.c - warta audit's checks: a clean store passes, and each kind of damage (a flipped
 * byte in a stored bulletin, a deleted bulletin, a rewritten index entry, a removed chain
 * entry, a fork, a correction of a bulletin that is not there, a bulletin removed cleanly from
 * every table, which only the node's signed checkpoints reveal) is reported by name. The damage
 * is done with LMDB directly, as someone with the files would do it. An audit of a store that
 * a node writes meanwhile reads one snapshot and is clean. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <lmdb.h>
#include <sodium.h>

#include "gen.h"
#include "ingest.h"
#include "proto_checkpoint.h"
#include "tool.h"

#define N 60 /* bulletins, from 3 issuers */

static char base[64];
static uint8_t ids[N][PROTO_ID_BYTES];

static void ingest_all(const char *dir, uint8_t (*raw)[PROTO_BULLETIN_MAX], size_t *len, size_t n)
{
    char err[256];
    store *st = store_open(dir, false, err, sizeof err);
    assert_non_null(st);
    ingest *in = ingest_new(st, 2);
    struct ingest_item *items = calloc(n, sizeof *items);
    struct ingest_news news = {0};
    for (size_t i = 0; i < n; i++)
        items[i] = (struct ingest_item){.raw = raw[i], .len = len[i]};
    assert_int_equal(ingest_batch(in, items, n, &news), STORE_OK);
    assert_int_equal(ingest_flush(in, &news), STORE_OK);
    for (size_t i = 0; i < n; i++)
        assert_true(items[i].result == INGEST_ACCEPTED || items[i].result == INGEST_FORK);
    ingest_news_clear(&news);
    free(items);
    ingest_destroy(&in);
    store_close(&st);
}

/* Checkpoints of the log at sizes N/2 and N, signed as the node would sign them. */
static void sign_checkpoints(const char *dir)
{
    char err[256], text[PROTO_CHECKPOINT_MAX];
    uint8_t seed[32] = {0x77}, sk[64];
    static struct proto_checkpoint c;
    store *st = store_open(dir, false, err, sizeof err);
    assert_non_null(st);
    crypto_sign_seed_keypair(c.key, sk, seed);
    assert_int_equal(store_begin(st), STORE_OK);
    for (uint64_t size = N / 2; size <= N; size += N / 2) {
        c.size = size;
        c.time = 1795000000 + size;
        assert_int_equal(store_log_root(st, size, c.root), STORE_OK);
        proto_checkpoint_sign(&c, sk);
        size_t n = proto_checkpoint_format(&c, text, sizeof text);
        assert_int_equal(store_put_checkpoint(st, size, text, n), STORE_OK);
    }
    assert_int_equal(store_commit(st), STORE_OK);
    store_close(&st);
}

static int setup(void **state)
{
    (void)state;
    static uint8_t raw[N][PROTO_BULLETIN_MAX];
    static size_t len[N];
    struct gen_chain c[3];
    strcpy(base, "/tmp/warta-test-audit-XXXXXX");
    if (mkdtemp(base) == NULL) return -1;
    for (int k = 0; k < 3; k++)
        gen_chain_init(&c[k], 0x42, (uint32_t)k);
    for (int i = 0; i < N; i++) {
        len[i] = gen_next(&c[i % 3], 700, 0, raw[i]);
        proto_bulletin_id(raw[i], len[i], ids[i]);
    }
    for (int k = 0; k < 3; k++)
        gen_chain_free(&c[k]);
    ingest_all(base, raw, len, N);
    sign_checkpoints(base);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-copy'", base, base); /* and the damaged copy */
    return system(cmd) == 0 ? 0 : -1;
}

/* A copy of the clean store to damage. */
static const char *copy(void)
{
    static char dir[96];
    char cmd[512];
    snprintf(dir, sizeof dir, "%s-copy", base);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -r '%s' '%s'", dir, base, dir);
    assert_int_equal(system(cmd), 0);
    return dir;
}

/* Open the raw LMDB environment and one table of it, in a write transaction. */
static MDB_env *env;
static MDB_txn *txn;
static MDB_dbi open_table(const char *dir, const char *name)
{
    MDB_dbi dbi;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 16), 0);
    assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, name, 0, &dbi), 0);
    return dbi;
}

static void close_table(void)
{
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

static void audit(const char *dir, struct audit_report *rep)
{
    char err[256];
    store *st = store_open(dir, true, err, sizeof err);
    assert_non_null(st);
    assert_int_equal(tool_audit(st, NULL, rep, NULL, NULL), STORE_OK);
    store_close(&st);
}

static uint64_t total(const struct audit_report *r)
{
    uint64_t t = 0;
    for (int i = 0; i < AUDIT_N; i++)
        t += r->count[i];
    return t;
}

/* The arrival number the index gives bulletin i. */
static void arrival_of(MDB_dbi index, int i, uint8_t at[8])
{
    MDB_val k = {PROTO_ID_BYTES, ids[i]}, v;
    assert_int_equal(mdb_get(txn, index, &k, &v), 0);
    memcpy(at, v.mv_data, 8);
}

/* Open dir's arrival log for writing, and find where bulletin i's bytes are in it. */
static MDB_dbi arrival_table(const char *dir, int i, uint8_t at[8])
{
    MDB_dbi arrival;
    arrival_of(open_table(dir, "bulletins"), i, at);
    assert_int_equal(mdb_dbi_open(txn, "arrival", 0, &arrival), 0);
    return arrival;
}

static void clean_store_passes(void **state)
{
    (void)state;
    static struct audit_report rep;
    audit(base, &rep);
    assert_int_equal(rep.bulletins, N);
    assert_int_equal(rep.signatures, N);
    assert_int_equal(rep.issuers, 3);
    assert_int_equal(rep.log_size, N);
    assert_int_equal(rep.checkpoints, 2);
    assert_int_equal(total(&rep), 0);
}

/* While an audit reads a store, another process (the node) stores more bulletins. */
#define MORE 30
static bool wrote_more;
static void store_more_meanwhile(uint64_t done, uint64_t all, void *ctx)
{
    (void)done, (void)all;
    if (wrote_more) return;
    wrote_more = true;
    pid_t pid = fork();
    if (pid == 0) {
        static uint8_t raw[MORE][PROTO_BULLETIN_MAX];
        static size_t len[MORE];
        struct gen_chain c;
        gen_chain_init(&c, 0x43, 0); /* a fourth issuer */
        for (int i = 0; i < MORE; i++)
            len[i] = gen_next(&c, 700, 0, raw[i]);
        gen_chain_free(&c);
        ingest_all((const char *)ctx, raw, len, MORE);
        _exit(0);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    assert_int_equal(status, 0);
}

static void audit_of_a_live_store_reads_one_snapshot(void **state)
{
    (void)state;
    static struct audit_report rep;
    char err[256];
    const char *dir = copy();
    store *st = store_open(dir, true, err, sizeof err);
    assert_non_null(st);
    assert_int_equal(tool_audit(st, NULL, &rep, store_more_meanwhile, (void *)dir), STORE_OK);
    store_close(&st);
    assert_true(wrote_more);
    assert_int_equal(rep.bulletins, N); /* as of the moment it was opened */
    assert_int_equal(rep.issuers, 3);
    assert_int_equal(total(&rep), 0); /* and consistent: nothing "gone", nothing "unindexed" */
    audit(dir, &rep); /* a new reader sees what was written meanwhile, clean too */
    assert_int_equal(rep.bulletins, N + MORE);
    assert_int_equal(rep.issuers, 4);
    assert_int_equal(total(&rep), 0);
}

/* The last bulletin removed from every table (bytes, index, chain, indexes by time, region and
 * verdict; the head moved back): the store is consistent, but no longer the log the node
 * signed. */
static void cleanly_removed_bulletin_breaks_the_checkpoint(void **state)
{
    (void)state;
    static struct audit_report rep;
    const char *dir = copy();
    uint8_t at[8], key[40];
    struct proto_bulletin b;
    int last = -1;
    MDB_dbi index = open_table(dir, "bulletins"), t;
    for (int i = 0; i < N; i++) { /* the one the node stored last */
        arrival_of(index, i, at);
        if (at[7] == N - 1) last = i;
    }
    assert_true(last >= 0);
    arrival_of(index, last, at);
    MDB_val k = {8, at}, idk = {PROTO_ID_BYTES, ids[last]}, rv;
    assert_int_equal(mdb_dbi_open(txn, "arrival", 0, &t), 0);
    assert_int_equal(mdb_get(txn, t, &k, &rv), 0);
    uint8_t *raw = malloc(rv.mv_size);
    memcpy(raw, rv.mv_data, rv.mv_size);
    assert_int_equal(proto_bulletin_decode(&b, raw, rv.mv_size, NULL), PROTO_OK);
    assert_int_equal(mdb_del(txn, t, &k, NULL), 0);
    assert_int_equal(mdb_del(txn, index, &idk, NULL), 0);
    memcpy(key, b.issuer, 32);
    for (int i = 0; i < 8; i++)
        key[32 + i] = (uint8_t)(b.sequence >> (56 - 8 * i));
    MDB_val ck = {40, key}, hk = {32, key}, hv;
    assert_int_equal(mdb_dbi_open(txn, "chain", 0, &t), 0);
    assert_int_equal(mdb_del(txn, t, &ck, NULL), 0);
    uint8_t head[9] = {0};
    for (int i = 0; i < 8; i++)
        head[i] = (uint8_t)((b.sequence - 1) >> (56 - 8 * i));
    hv = (MDB_val){9, head};
    assert_int_equal(mdb_dbi_open(txn, "issuers", 0, &t), 0);
    assert_int_equal(mdb_put(txn, t, &hk, &hv, 0), 0);
    close_table();
    free(raw);
    audit(dir, &rep);
    assert_int_equal(rep.bulletins, N - 1);
    assert_int_equal(rep.count[AUDIT_GAP] + rep.count[AUDIT_MISSING] + rep.count[AUDIT_UNINDEXED] +
                         rep.count[AUDIT_HEAD_MISMATCH] + rep.count[AUDIT_BAD_SIGNATURE],
                     0);
    assert_int_equal(rep.count[AUDIT_CHECKPOINT], 1);
    assert_non_null(strstr(rep.first[AUDIT_CHECKPOINT], "signed a log of 60 entries; 59 are left"));
}

/* A flipped byte in the first half: both checkpoints fail, not only the signature. */
static void flipped_byte_breaks_the_checkpoints(void **state)
{
    (void)state;
    static struct audit_report rep;
    const char *dir = copy();
    uint8_t at[8];
    MDB_dbi arrival = arrival_table(dir, 3, at);
    MDB_val k = {8, at}, v;
    assert_int_equal(mdb_get(txn, arrival, &k, &v), 0);
    uint8_t *copy_of = malloc(v.mv_size);
    memcpy(copy_of, v.mv_data, v.mv_size);
    copy_of[v.mv_size / 2] ^= 0x10;
    v.mv_data = copy_of;
    assert_int_equal(mdb_put(txn, arrival, &k, &v, 0), 0);
    close_table();
    free(copy_of);
    audit(dir, &rep);
    assert_int_equal(rep.count[AUDIT_BAD_SIGNATURE], 1);
    assert_int_equal(rep.count[AUDIT_CHECKPOINT], 3); /* N/2, N, and the node's kept tree */
    assert_non_null(strstr(rep.first[AUDIT_CHECKPOINT], "first 30 entries no longer give"));
}

static void flipped_byte_is_a_bad_signature(void **state)
{
    (void)state;
    static struct audit_report rep;
    const char *dir = copy();
    uint8_t at[8];
    MDB_dbi arrival = arrival_table(dir, 7, at);
    MDB_val k = {8, at}, v;
    assert_int_equal(mdb_get(txn, arrival, &k, &v), 0);
    uint8_t *copy_bytes = malloc(v.mv_size);
    memcpy(copy_bytes, v.mv_data, v.mv_size);
    copy_bytes[300] ^= 0x01; /* inside the explanation: still decodes */
    MDB_val nv = {v.mv_size, copy_bytes};
    assert_int_equal(mdb_put(txn, arrival, &k, &nv, 0), 0);
    free(copy_bytes);
    close_table();
    audit(dir, &rep);
    assert_int_equal(rep.count[AUDIT_BAD_SIGNATURE], 1);
    /* Its id changed with it: the index now points at other bytes. */
    assert_int_equal(rep.count[AUDIT_INDEX_REWRITTEN], 1);
}

static void deleted_bulletin_is_missing(void **state)
{
    (void)state;
    static struct audit_report rep;
    const char *dir = copy();
    uint8_t at[8];
    MDB_dbi arrival = arrival_table(dir, 20, at);
    MDB_val k = {8, at};
    assert_int_equal(mdb_del(txn, arrival, &k, NULL), 0);
    close_table();
    audit(dir, &rep);
    assert_true(rep.count[AUDIT_MISSING] >= 1);
    assert_non_null(strstr(rep.first[AUDIT_MISSING], "gone"));
    assert_int_equal(rep.bulletins, N - 1);
}

static void rewritten_index_entry_is_reported(void **state)
{
    (void)state;
    static struct audit_report rep;
    const char *dir = copy();
    MDB_dbi index = open_table(dir, "bulletins");
    uint8_t at[8];
    arrival_of(index, 31, at);
    MDB_val k = {PROTO_ID_BYTES, ids[30]}, v = {8, at}; /* 30's entry now points at 31 */
    assert_int_equal(mdb_put(txn, index, &k, &v, 0), 0);
    close_table();
    audit(dir, &rep);
    /* Reported from the index, and again from the chain that reads through it. */
    assert_true(rep.count[AUDIT_INDEX_REWRITTEN] >= 1);
    assert_non_null(strstr(rep.first[AUDIT_INDEX_REWRITTEN], "points at other bytes"));
    assert_int_equal(rep.count[AUDIT_UNINDEXED], 1); /* 30's bytes: nothing points at them */
    assert_int_equal(rep.count[AUDIT_BAD_SIGNATURE], 0);
}

static void removed_chain_entry_is_a_gap(void **state)
{
    (void)state;
    static struct audit_report rep;
    const char *dir = copy();
    MDB_dbi chain = open_table(dir, "chain");
    MDB_cursor *c;
    MDB_val k, v;
    assert_int_equal(mdb_cursor_open(txn, chain, &c), 0);
    assert_int_equal(mdb_cursor_get(c, &k, &v, MDB_FIRST), 0);
    assert_int_equal(mdb_cursor_get(c, &k, &v, MDB_NEXT), 0); /* sequence 2 of an issuer */
    assert_int_equal(mdb_cursor_del(c, 0), 0);
    mdb_cursor_close(c);
    close_table();
    audit(dir, &rep);
    assert_int_equal(rep.count[AUDIT_GAP], 1);
    assert_non_null(strstr(rep.first[AUDIT_GAP], "sequences 2..2 missing"));
}

static void fork_and_dangling_correction_are_reported(void **state)
{
    (void)state;
    static struct audit_report rep;
    static uint8_t raw[2][PROTO_BULLETIN_MAX];
    size_t len[2];
    const char *dir = copy();
    struct gen_chain c;
    gen_chain_init(&c, 0x42, 0); /* issuer 0 again: a second bulletin at sequence 1 */
    len[0] = gen_next(&c, 700, 5, raw[0]);
    gen_chain_free(&c);
    /* A correction, by a new issuer, of a bulletin nobody has. */
    keys_secret *ks;
    uint8_t seed[KEYS_SEED_BYTES] = {9};
    ks = keys_secret_from_seed(seed);
    struct proto_bulletin b = {
        .kind = PROTO_KIND_CORRECTION, .sequence = 1, .issued_at = 1790000000000};
    memcpy(b.issuer, keys_secret_pk(ks), PROTO_KEY_BYTES);
    memset(b.subject, 0x5a, PROTO_ID_BYTES);
    b.lang = (struct proto_str){(const uint8_t *)"id", 2};
    b.verdict = (struct proto_str){(const uint8_t *)"HOAKS", 5};
    b.title = (struct proto_str){(const uint8_t *)"Koreksi", 7};
    assert_int_equal(
        proto_bulletin_sign(&b, keys_secret_sk(ks), raw[1], PROTO_BULLETIN_MAX, &len[1], NULL),
        PROTO_OK);
    keys_secret_destroy(&ks);
    ingest_all(dir, raw, len, 2);
    audit(dir, &rep);
    assert_int_equal(rep.count[AUDIT_FORK], 1);
    assert_non_null(strstr(rep.first[AUDIT_FORK], "two bulletins at sequence 1"));
    assert_int_equal(rep.count[AUDIT_DANGLING_SUBJECT], 1);
    assert_int_equal(rep.count[AUDIT_BAD_SIGNATURE] + rep.count[AUDIT_GAP], 0);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_store_passes),
        cmocka_unit_test(audit_of_a_live_store_reads_one_snapshot),
        cmocka_unit_test(flipped_byte_is_a_bad_signature),
        cmocka_unit_test(deleted_bulletin_is_missing),
        cmocka_unit_test(rewritten_index_entry_is_reported),
        cmocka_unit_test(removed_chain_entry_is_a_gap),
        cmocka_unit_test(fork_and_dangling_correction_are_reported),
        cmocka_unit_test(cleanly_removed_bulletin_breaks_the_checkpoint),
        cmocka_unit_test(flipped_byte_breaks_the_checkpoints),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
