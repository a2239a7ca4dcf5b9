/* test_vectors.c - the committed test vectors (tests/vectors/bulletin-v1.json) still hold:
 * the code reproduces every byte, and rejects every damaged encoding with the stated error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "proto_armor.h"
#include "proto_pubkey.h"
#include "tool.h"
#include "vector_set.h"

static json_t *vectors;

static int load(void **state)
{
    (void)state;
    char path[4096];
    const char *root = getenv("WARTA_SOURCE_ROOT");
    json_error_t e;
    snprintf(path, sizeof path, "%s/tests/vectors/bulletin-v1.json", root ? root : ".");
    vectors = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
    if (vectors == NULL) fprintf(stderr, "%s: %s\n", path, e.text);
    return vectors == NULL ? -1 : 0;
}

static int unload(void **state)
{
    (void)state;
    json_decref(vectors);
    return 0;
}

static uint8_t *unhex_alloc(const char *s, size_t *n)
{
    *n = strlen(s) / 2;
    uint8_t *p = malloc(*n + 1);
    assert_non_null(p);
    assert_int_equal(tool_unhex(s, p, *n), 0);
    return p;
}

static const char *field(json_t *v, const char *k)
{
    const char *s = json_string_value(json_object_get(v, k));
    if (s == NULL) fail_msg("vector lacks \"%s\"", k);
    return s;
}

static void assert_hex(const uint8_t *p, size_t n, const char *want, const char *what)
{
    char *h = malloc(2 * n + 1);
    tool_hex(p, n, h);
    if (strcmp(h, want) != 0) fail_msg("%s differs:\n got  %s\n want %s", what, h, want);
    free(h);
}

static void code_reproduces_every_vector_byte(void **state)
{
    (void)state;
    static uint8_t enc[16][PROTO_BULLETIN_MAX];
    const uint8_t *done[16];
    size_t done_len[16], i;
    json_t *v, *list = json_object_get(vectors, "bulletins");
    assert_true(json_array_size(list) >= 5);
    json_array_foreach(list, i, v)
    {
        char msg[256] = "";
        size_t len = vector_sign(v, done, done_len, i, enc[i], msg, sizeof msg);
        if (len == 0) fail_msg("vector %zu: %s", i, msg);
        done[i] = enc[i], done_len[i] = len;
        assert_hex(enc[i], len, field(v, "encoding"), "encoding");
        size_t m_len = 0;
        uint8_t *m = proto_bulletin_signing_input(enc[i], len, &m_len);
        assert_hex(m, m_len, field(v, "signing_input"), "signing input");
        free(m);
        assert_hex(enc[i] + len - PROTO_SIG_BYTES, PROTO_SIG_BYTES, field(v, "signature"),
                   "signature");
        uint8_t id[PROTO_ID_BYTES];
        proto_bulletin_id(enc[i], len, id);
        assert_hex(id, sizeof id, field(v, "id"), "id");
        char armor[4096];
        size_t an = 0;
        assert_int_equal(
            proto_armor_encode(PROTO_ARMOR_BULLETIN, enc[i], len, armor, sizeof armor, &an),
            PROTO_OK);
        assert_string_equal(armor, field(v, "armored"));
    }
}

static void vector_keys_match_their_text_form_and_fingerprint(void **state)
{
    (void)state;
    size_t i, n;
    json_t *v;
    json_array_foreach(json_object_get(vectors, "bulletins"), i, v)
    {
        uint8_t pk[PROTO_KEY_BYTES], seed[32], sk[64], derived[32];
        char fp[PROTO_FINGERPRINT_LEN + 1];
        const char *text = field(v, "public_key_text");
        assert_int_equal(proto_pubkey_parse(text, strlen(text), pk), PROTO_OK);
        assert_hex(pk, sizeof pk, field(v, "public_key"), "public key");
        assert_int_equal(tool_unhex(field(v, "seed"), seed, 32), 0);
        crypto_sign_ed25519_seed_keypair(derived, sk, seed);
        assert_memory_equal(derived, pk, 32);
        proto_pubkey_fingerprint(pk, fp);
        assert_string_equal(fp, field(v, "fingerprint"));
        uint8_t *enc = unhex_alloc(field(v, "encoding"), &n);
        struct proto_bulletin b;
        assert_int_equal(proto_bulletin_decode(&b, enc, n, NULL), PROTO_OK);
        assert_memory_equal(b.issuer, pk, 32);
        assert_int_equal(proto_bulletin_verify(&b, enc, n), PROTO_OK);
        free(enc);
    }
}

static void damaged_vectors_are_rejected_as_stated(void **state)
{
    (void)state;
    size_t i, n;
    json_t *v;
    json_t *list = json_object_get(vectors, "invalid");
    assert_true(json_array_size(list) >= 5);
    json_array_foreach(list, i, v)
    {
        uint8_t *enc = unhex_alloc(field(v, "encoding"), &n);
        struct proto_bulletin b;
        int rc = proto_bulletin_decode(&b, enc, n, NULL);
        if (rc == PROTO_OK) rc = proto_bulletin_verify(&b, enc, n);
        if (strcmp(proto_strerror(rc), field(v, "error")) != 0)
            fail_msg("%s: got '%s', want '%s'", field(v, "name"), proto_strerror(rc),
                     field(v, "error"));
        free(enc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(code_reproduces_every_vector_byte),
        cmocka_unit_test(vector_keys_match_their_text_form_and_fingerprint),
        cmocka_unit_test(damaged_vectors_are_rejected_as_stated),
    };
    if (sodium_init() < 0) return 1;
    return cmocka_run_group_tests(tests, load, unload);
}
