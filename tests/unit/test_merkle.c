/* test_merkle.c - RFC 9162 tree hashing and proofs: the roots of the RFC 6962 reference test
 * leaves, and every inclusion and consistency proof of trees up to 70 leaves verifies while
 * any change to a proof, a leaf, an index or a root makes it fail. (The tree size is bound by
 * the signed checkpoint that carries it, not by the hashes: RFC 9162's algorithm accepts a
 * size-3 path against a claimed size 4 with the size-3 root.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "proto_merkle.h"

#define MAX_LEAVES 70

static proto_hash leaves[MAX_LEAVES];

static void from_hex(const char *hex, uint8_t *out, size_t n)
{
    assert_int_equal(sodium_hex2bin(out, n, hex, strlen(hex), NULL, NULL, NULL), 0);
}

/* The leaves and roots of the reference tests of RFC 6962's implementation (and of RFC 9162's
 * successors): data "", 00, 10, 2021, 3031, 40414243, 5051525354555657, 6061..6f. */
static void reference_roots(void **state)
{
    (void)state;
    static const char *const data[8] = {"",
                                        "00",
                                        "10",
                                        "2021",
                                        "3031",
                                        "40414243",
                                        "5051525354555657",
                                        "606162636465666768696a6b6c6d6e6f"};
    static const char *const roots[8] = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
    proto_hash ref[8], root, want;
    for (int i = 0; i < 8; i++) {
        uint8_t d[16];
        size_t n = strlen(data[i]) / 2;
        if (n) from_hex(data[i], d, n);
        proto_merkle_leaf(d, n, ref[i]);
    }
    for (int n = 1; n <= 8; n++) {
        proto_merkle_root(ref, (uint64_t)n, root);
        from_hex(roots[n - 1], want, 32);
        assert_memory_equal(root, want, 32);
    }
    proto_merkle_root(ref, 0, root);
    from_hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", want, 32);
    assert_memory_equal(root, want, 32);
}

static void every_inclusion_proof(void **state)
{
    (void)state;
    proto_hash proof[PROTO_MERKLE_MAX_PROOF], root;
    for (uint64_t n = 1; n <= MAX_LEAVES; n++) {
        proto_merkle_root(leaves, n, root);
        for (uint64_t m = 0; m < n; m++) {
            size_t len = proto_merkle_inclusion(leaves, n, m, proof);
            assert_true(proto_merkle_verify_inclusion(leaves[m], m, n, proof, len, root));
            /* Another leaf, index or size, a changed hash, or a shortened proof: no. */
            assert_false(proto_merkle_verify_inclusion(leaves[(m + 1) % MAX_LEAVES], m, n, proof,
                                                       len, root));
            if (n > 1) {
                assert_false(
                    proto_merkle_verify_inclusion(leaves[m], (m + 1) % n, n, proof, len, root));
            }
            for (size_t i = 0; i < len; i++) {
                proof[i][i % 32] ^= 0x20;
                assert_false(proto_merkle_verify_inclusion(leaves[m], m, n, proof, len, root));
                proof[i][i % 32] ^= 0x20;
            }
            if (len > 0)
                assert_false(proto_merkle_verify_inclusion(leaves[m], m, n, proof, len - 1, root));
        }
    }
    assert_false(proto_merkle_verify_inclusion(leaves[0], 3, 3, proof, 0, root));
}

static void every_consistency_proof(void **state)
{
    (void)state;
    proto_hash proof[PROTO_MERKLE_MAX_PROOF], r1, r2;
    for (uint64_t n = 1; n <= MAX_LEAVES; n++) {
        proto_merkle_root(leaves, n, r2);
        for (uint64_t m = 1; m <= n; m++) {
            proto_merkle_root(leaves, m, r1);
            size_t len = proto_merkle_consistency(leaves, m, n, proof);
            assert_true(proto_merkle_verify_consistency(m, n, r1, r2, proof, len));
            if (m == n) continue;
            assert_false(proto_merkle_verify_consistency(m, n, r2, r1, proof, len));
            for (size_t i = 0; i < len; i++) {
                proof[i][31 - i % 32] ^= 1;
                assert_false(proto_merkle_verify_consistency(m, n, r1, r2, proof, len));
                proof[i][31 - i % 32] ^= 1;
            }
            /* A first tree that is not a prefix: its first leaf replaced. */
            proto_hash saved, fake;
            memcpy(saved, leaves[0], 32);
            leaves[0][0] ^= 0xff;
            proto_merkle_root(leaves, m, fake);
            memcpy(leaves[0], saved, 32);
            assert_false(proto_merkle_verify_consistency(m, n, fake, r2, proof, len));
            assert_false(proto_merkle_verify_consistency(m, n, r1, r2, proof, len - 1));
        }
    }
    assert_false(proto_merkle_verify_consistency(0, 5, r1, r2, proof, 0));
    assert_false(proto_merkle_verify_consistency(6, 5, r1, r2, proof, 0));
}

/* The subtrees an edge reports as it grows, kept as a store would: level l, index i. */
static proto_hash kept[8][MAX_LEAVES];
static int keep_node(void *ctx, unsigned level, uint64_t index, const proto_hash hash)
{
    int *count = ctx;
    assert_true(level < 8 && index < MAX_LEAVES);
    memcpy(kept[level][index], hash, 32);
    ++*count;
    return 0;
}

static int kept_node(void *ctx, unsigned level, uint64_t index, proto_hash out)
{
    (void)ctx;
    if (level >= 8 || index >= MAX_LEAVES) return -1;
    memcpy(out, kept[level][index], 32);
    return 0;
}

/* A growing edge has the array's root at every size, reports every perfect subtree once, and
 * those subtrees alone give the same proofs as the whole array; an edge loaded from them
 * continues the same. */
static void edge_and_subtrees(void **state)
{
    (void)state;
    struct proto_merkle_edge e = {0}, loaded;
    struct proto_merkle_src src = {kept_node, NULL};
    proto_hash r1, r2, p1[PROTO_MERKLE_MAX_PROOF], p2[PROTO_MERKLE_MAX_PROOF];
    int count = 0;
    for (uint64_t n = 1; n <= MAX_LEAVES; n++) {
        assert_int_equal(proto_merkle_edge_append(&e, leaves[n - 1], keep_node, &count), 0);
        proto_merkle_edge_root(&e, r1);
        proto_merkle_root(leaves, n, r2);
        assert_memory_equal(r1, r2, 32);
        assert_int_equal(proto_merkle_src_root(&src, n, r1), 0);
        assert_memory_equal(r1, r2, 32);
        for (uint64_t m = 0; m < n; m++) {
            size_t len1 = proto_merkle_inclusion(leaves, n, m, p1), len2 = 99;
            assert_int_equal(proto_merkle_src_inclusion(&src, n, m, p2, &len2), 0);
            assert_int_equal(len1, len2);
            assert_memory_equal(p1, p2, len1 * 32);
            len1 = proto_merkle_consistency(leaves, m + 1, n, p1);
            assert_int_equal(proto_merkle_src_consistency(&src, m + 1, n, p2, &len2), 0);
            assert_int_equal(len1, len2);
            assert_memory_equal(p1, p2, len1 * 32);
        }
        assert_int_equal(proto_merkle_edge_load(&loaded, &src, n), 0);
        assert_int_equal(loaded.size, e.size);
        for (int l = 0; l < 64; l++)
            if ((n >> l) & 1) assert_memory_equal(loaded.h[l], e.h[l], 32);
        proto_merkle_edge_root(&loaded, r1);
        assert_memory_equal(r1, r2, 32);
    }
    assert_int_equal(count, 2 * MAX_LEAVES - __builtin_popcount(MAX_LEAVES));
    /* A lookup that fails is reported, not papered over. */
    assert_int_not_equal(proto_merkle_src_root(&src, 2 * MAX_LEAVES + 1, r1), 0);
    proto_merkle_edge_root(&(struct proto_merkle_edge){0}, r1);
    proto_merkle_root(leaves, 0, r2);
    assert_memory_equal(r1, r2, 32);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    for (int i = 0; i < MAX_LEAVES; i++) {
        uint8_t d[4] = {'w', (uint8_t)i, (uint8_t)(i >> 8), 0};
        proto_merkle_leaf(d, sizeof d, leaves[i]);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reference_roots),
        cmocka_unit_test(every_inclusion_proof),
        cmocka_unit_test(every_consistency_proof),
        cmocka_unit_test(edge_and_subtrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
