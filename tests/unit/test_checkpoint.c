/* test_checkpoint.c - signed checkpoints and co-signatures: a note survives format and parse
 * unchanged, every changed byte of body or signature is refused, witnesses' co-signatures are
 * checked and merged, contradictions are recognised, and malformed notes are named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "proto_proof.h"

static uint8_t node_pk[32], node_sk[64], wit_pk[3][32], wit_sk[3][64];

static void make(struct proto_checkpoint *c, uint64_t size, uint8_t root_byte)
{
    memset(c, 0, sizeof *c);
    memcpy(c->key, node_pk, 32);
    c->size = size;
    memset(c->root, root_byte, 32);
    c->time = 1795000000;
    proto_checkpoint_sign(c, node_sk);
}

static size_t text_of(const struct proto_checkpoint *c, char *out, size_t cap)
{
    size_t n = proto_checkpoint_format(c, out, cap);
    assert_true(n > 0);
    return n;
}

static void round_trip(void **state)
{
    (void)state;
    struct proto_checkpoint c, back;
    char text[PROTO_CHECKPOINT_MAX], again[PROTO_CHECKPOINT_MAX], origin[PROTO_ORIGIN_LEN + 1];
    make(&c, 1234567, 0xab);
    size_t n = text_of(&c, text, sizeof text);
    assert_int_equal(proto_checkpoint_parse(&back, text, n, NULL), PROTO_OK);
    assert_true(proto_checkpoint_same_tree(&c, &back));
    assert_int_equal(back.time, c.time);
    assert_int_equal(back.n_cosigs, 0);
    assert_int_equal(text_of(&back, again, sizeof again), n);
    assert_memory_equal(text, again, n);
    /* The body is the four lines of §20, then a blank line and the node's signature line. */
    proto_origin(node_pk, origin);
    assert_memory_equal(text, origin, PROTO_ORIGIN_LEN);
    assert_non_null(strstr(text, "\n1234567\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\ntime "
                                 "1795000000\n\n\xe2\x80\x94 warta/node/"));
}

/* Any change to any byte of a valid note makes it fail to parse. */
static void every_byte_matters(void **state)
{
    (void)state;
    struct proto_checkpoint c, back;
    char text[PROTO_CHECKPOINT_MAX];
    make(&c, 42, 7);
    assert_int_equal(proto_checkpoint_cosign(&c, wit_pk[0], wit_sk[0], 1795000005), PROTO_OK);
    size_t n = text_of(&c, text, sizeof text);
    for (size_t i = 0; i < n; i++) {
        char saved = text[i];
        text[i] = (char)(saved ^ (i % 2 ? 0x01 : 0x04));
        assert_int_not_equal(proto_checkpoint_parse(&back, text, n, NULL), PROTO_OK);
        text[i] = saved;
    }
    /* Cut anywhere: refused, except after a whole signature line (a relay may drop a
     * witness's line; the node's own line is required). */
    const char *own_end = strchr(strstr(text, "\n\n") + 2, '\n') + 1;
    for (size_t cut = 0; cut < n; cut++) {
        int rc = proto_checkpoint_parse(&back, text, cut, NULL);
        if (text + cut == own_end) {
            assert_int_equal(rc, PROTO_OK);
            assert_int_equal(back.n_cosigs, 0);
        } else {
            assert_int_not_equal(rc, PROTO_OK);
        }
    }
    assert_int_equal(proto_checkpoint_parse(&back, text, n, NULL), PROTO_OK);
}

static void cosignatures(void **state)
{
    (void)state;
    struct proto_checkpoint c, a, b, back;
    char text[PROTO_CHECKPOINT_MAX];
    make(&c, 9, 1);
    a = c, b = c;
    assert_int_equal(proto_checkpoint_cosign(&a, wit_pk[0], wit_sk[0], 100), PROTO_OK);
    assert_int_equal(proto_checkpoint_cosign(&b, wit_pk[1], wit_sk[1], 200), PROTO_OK);
    assert_int_equal(proto_checkpoint_cosign(&b, wit_pk[0], wit_sk[0], 300), PROTO_OK);
    /* The node cannot witness itself; renewing a witness replaces its co-signature. */
    assert_int_equal(proto_checkpoint_cosign(&b, node_pk, node_sk, 300), PROTO_ESYNTAX);
    assert_int_equal(b.n_cosigs, 2);
    assert_int_equal(proto_checkpoint_merge(&a, &b), 1);
    assert_int_equal(proto_checkpoint_merge(&a, &b), 0);
    assert_int_equal(a.n_cosigs, 2);
    size_t n = text_of(&a, text, sizeof text);
    assert_int_equal(proto_checkpoint_parse(&back, text, n, NULL), PROTO_OK);
    assert_int_equal(back.n_cosigs, 2);
    assert_memory_equal(back.cosigs[0].key, wit_pk[0], 32);
    assert_int_equal(back.cosigs[0].time, 100);
    assert_int_equal(back.cosigs[1].time, 200);
    /* A co-signature moved to another checkpoint does not verify there. */
    struct proto_checkpoint other;
    make(&other, 10, 1);
    other.cosigs[0] = a.cosigs[0], other.n_cosigs = 1;
    n = text_of(&other, text, sizeof text);
    struct proto_err err = {0};
    assert_int_equal(proto_checkpoint_parse(&back, text, n, &err), PROTO_ESIGNATURE);
    assert_string_equal(err.field, "co-signature");
    /* Notes of other trees do not merge. */
    assert_true(proto_checkpoint_merge(&other, &a) < 0);
}

static void conflicts(void **state)
{
    (void)state;
    struct proto_checkpoint a, b, c;
    make(&a, 5, 1);
    make(&b, 5, 2);
    make(&c, 6, 2);
    assert_true(proto_checkpoint_conflict(&a, &b));
    assert_false(proto_checkpoint_conflict(&a, &a));
    assert_false(proto_checkpoint_conflict(&b, &c)); /* sizes differ: a proof decides */
    b.time++;
    assert_true(proto_checkpoint_same_tree(&c, &c));
    assert_false(proto_checkpoint_same_tree(&a, &b));
}

/* Replace the first occurrence of from with to in text (same length or not). */
static size_t edit(char *text, size_t n, const char *from, const char *to)
{
    char *at = strstr(text, from);
    assert_non_null(at);
    size_t fl = strlen(from), tl = strlen(to), tail = n - (size_t)(at - text) - fl;
    memmove(at + tl, at + fl, tail);
    memcpy(at, to, tl);
    text[n - fl + tl] = 0;
    return n - fl + tl;
}

static void malformed_notes_are_named(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to, *field;
    } cases[] = {
        {"warta/node/", "warta/nodes/", "origin"},
        {"\n42\n", "\n042\n", "tree size"},
        {"\n42\n", "\n-42\n", "tree size"},
        {"\n42\n", "\n99999999999999999999\n", "tree size"},
        {"BwcHBwc=\n", "BwcHBwd=\n", "root hash"}, /* not canonical */
        {"time ", "Time ", "time"},
        {"time 1795000000\n", "time 1795000000\nextra\n", "blank line"},
        {"\xe2\x80\x94 ", "-- ", "signature line"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct proto_checkpoint c, back;
        char text[PROTO_CHECKPOINT_MAX];
        struct proto_err err = {0};
        make(&c, 42, 7);
        size_t n = text_of(&c, text, sizeof text);
        n = edit(text, n, cases[i].from, cases[i].to);
        assert_int_not_equal(proto_checkpoint_parse(&back, text, n, &err), PROTO_OK);
        assert_string_equal(err.field, cases[i].field);
    }
    /* No signature at all, or the same witness twice. */
    struct proto_checkpoint c, back;
    char text[PROTO_CHECKPOINT_MAX], body[512];
    make(&c, 42, 7);
    size_t n = proto_checkpoint_body(&c, body, sizeof body);
    memcpy(text, body, n);
    text[n++] = '\n';
    assert_int_equal(proto_checkpoint_parse(&back, text, n, NULL), PROTO_ESIGNATURE);
    proto_checkpoint_cosign(&c, wit_pk[2], wit_sk[2], 5);
    c.cosigs[1] = c.cosigs[0], c.n_cosigs = 2;
    n = text_of(&c, text, sizeof text);
    struct proto_err err = {0};
    assert_int_equal(proto_checkpoint_parse(&back, text, n, &err), PROTO_ESYNTAX);
    assert_string_equal(err.field, "second co-signature");
}

/* A full note fits PROTO_CHECKPOINT_MAX; one more witness than allowed is refused. */
static void witness_limit(void **state)
{
    (void)state;
    struct proto_checkpoint c, back;
    static char text[PROTO_CHECKPOINT_MAX];
    make(&c, 3, 3);
    for (int i = 0; i < PROTO_CHECKPOINT_COSIGS; i++) {
        uint8_t pk[32], sk[64], seed[32] = {(uint8_t)i, 0x55};
        crypto_sign_seed_keypair(pk, sk, seed);
        assert_int_equal(proto_checkpoint_cosign(&c, pk, sk, (uint64_t)i), PROTO_OK);
    }
    assert_int_equal(proto_checkpoint_cosign(&c, wit_pk[0], wit_sk[0], 1), PROTO_ERANGE);
    size_t n = text_of(&c, text, sizeof text);
    assert_int_equal(proto_checkpoint_parse(&back, text, n, NULL), PROTO_OK);
    assert_int_equal(back.n_cosigs, PROTO_CHECKPOINT_COSIGS);
}

/* tests/vectors/checkpoint-v1.json: the note parses and is written back byte for byte, the
 * same note is made again from the seeds, each proof and conflict file holds and each altered
 * one fails. */
static void committed_vectors_hold(void **state)
{
    (void)state;
    char path[4200];
    const char *src = getenv("WARTA_SOURCE_ROOT");
    snprintf(path, sizeof path, "%s/tests/vectors/checkpoint-v1.json", src ? src : ".");
    json_t *v = json_load_file(path, 0, NULL);
    assert_non_null(v);
    static struct proto_checkpoint c, made;
    static struct proto_proof p;
    static char text[PROTO_PROOF_MAX];
    const char *note = json_string_value(json_object_get(json_object_get(v, "checkpoint"), "note"));
    assert_non_null(note);
    assert_int_equal(proto_checkpoint_parse(&c, note, strlen(note), NULL), PROTO_OK);
    assert_int_equal(proto_checkpoint_format(&c, text, sizeof text), strlen(note));
    assert_memory_equal(text, note, strlen(note));
    uint8_t seed[32], pk[32], sk[64], wpk[32], wsk[64];
    memset(seed, 0x4e, 32);
    crypto_sign_seed_keypair(pk, sk, seed);
    memset(seed, 0x57, 32);
    crypto_sign_seed_keypair(wpk, wsk, seed);
    memset(&made, 0, sizeof made);
    memcpy(made.key, pk, 32);
    made.size = c.size, made.time = c.time;
    memcpy(made.root, c.root, 32);
    proto_checkpoint_sign(&made, sk);
    proto_checkpoint_cosign(&made, wpk, wsk, c.cosigs[0].time);
    assert_int_equal(proto_checkpoint_format(&made, text, sizeof text), strlen(note));
    assert_memory_equal(text, note, strlen(note));
    static const char *const good[] = {"inclusion_5_of_8", "consistency_5_to_8", "conflict_at_5"};
    for (int i = 0; i < 3; i++) {
        const char *f = json_string_value(json_object_get(v, good[i]));
        assert_int_equal(proto_proof_parse(&p, f, strlen(f), NULL), PROTO_OK);
        assert_int_equal(proto_proof_check(&p, NULL), PROTO_OK);
    }
    size_t i;
    json_t *bad;
    json_array_foreach(json_object_get(v, "must_fail"), i, bad)
    {
        const char *f = json_string_value(json_object_get(bad, "file"));
        assert_int_equal(proto_proof_parse(&p, f, strlen(f), NULL), PROTO_OK);
        assert_int_not_equal(proto_proof_check(&p, NULL), PROTO_OK);
    }
    assert_int_equal(i, 3);
    json_decref(v);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    uint8_t seed[32] = {1};
    crypto_sign_seed_keypair(node_pk, node_sk, seed);
    for (int i = 0; i < 3; i++) {
        seed[0] = (uint8_t)(2 + i);
        crypto_sign_seed_keypair(wit_pk[i], wit_sk[i], seed);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(every_byte_matters),
        cmocka_unit_test(cosignatures),
        cmocka_unit_test(conflicts),
        cmocka_unit_test(malformed_notes_are_named),
        cmocka_unit_test(witness_limit),
        cmocka_unit_test(committed_vectors_hold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
