/* test_pubkey.c - public key text form catches typos; fingerprints are stable and readable. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "proto_pubkey.h"

static void text_form_round_trips(void **state)
{
    (void)state;
    for (int i = 0; i < 100; i++) {
        uint8_t pk[32], back[32];
        char text[PROTO_PUBKEY_TEXT_LEN + 1];
        randombytes_buf(pk, sizeof pk);
        proto_pubkey_format(pk, text);
        assert_int_equal(strlen(text), PROTO_PUBKEY_TEXT_LEN);
        assert_memory_equal(text, "wpk1", 4);
        assert_int_equal(proto_pubkey_parse(text, strlen(text), back), PROTO_OK);
        assert_memory_equal(pk, back, 32);
    }
}

/* Changing any one character never yields a (different) valid key. */
static void every_single_character_typo_is_caught(void **state)
{
    (void)state;
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    uint8_t pk[32], back[32];
    char text[PROTO_PUBKEY_TEXT_LEN + 1];
    memset(pk, 0x5A, sizeof pk);
    proto_pubkey_format(pk, text);
    for (size_t i = 0; i < PROTO_PUBKEY_TEXT_LEN; i++) {
        char orig = text[i];
        for (const char *c = alphabet; *c; c++) {
            if (*c == orig) continue;
            text[i] = *c;
            if (proto_pubkey_parse(text, PROTO_PUBKEY_TEXT_LEN, back) == PROTO_OK)
                fail_msg("typo at %zu ('%c' for '%c') accepted", i, *c, orig);
        }
        text[i] = orig;
    }
}

static void malformed_texts_are_syntax_errors(void **state)
{
    (void)state;
    uint8_t pk[32];
    char text[PROTO_PUBKEY_TEXT_LEN + 1];
    memset(pk, 1, sizeof pk);
    proto_pubkey_format(pk, text);
    assert_int_equal(proto_pubkey_parse(text, PROTO_PUBKEY_TEXT_LEN - 1, pk), PROTO_ESYNTAX);
    text[0] = 'W';
    assert_int_equal(proto_pubkey_parse(text, PROTO_PUBKEY_TEXT_LEN, pk), PROTO_ESYNTAX);
    text[0] = 'w';
    text[10] = '+'; /* standard base64, not URL-safe */
    assert_int_equal(proto_pubkey_parse(text, PROTO_PUBKEY_TEXT_LEN, pk), PROTO_ESYNTAX);
    text[10] = 'A';
    assert_int_equal(proto_pubkey_parse(text, PROTO_PUBKEY_TEXT_LEN, pk), PROTO_ECHECKSUM);
}

static void fingerprint_is_five_groups_of_five_digits(void **state)
{
    (void)state;
    uint8_t a[32], b[32];
    char fa[PROTO_FINGERPRINT_LEN + 1], fb[PROTO_FINGERPRINT_LEN + 1];
    memset(a, 1, 32);
    memset(b, 1, 32);
    b[31] = 2;
    proto_pubkey_fingerprint(a, fa);
    proto_pubkey_fingerprint(b, fb);
    assert_int_equal(strlen(fa), PROTO_FINGERPRINT_LEN);
    for (int i = 0; i < PROTO_FINGERPRINT_LEN; i++)
        assert_true(i % 6 == 5 ? fa[i] == ' ' : isdigit((unsigned char)fa[i]));
    assert_string_not_equal(fa, fb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_form_round_trips),
        cmocka_unit_test(every_single_character_typo_is_caught),
        cmocka_unit_test(malformed_texts_are_syntax_errors),
        cmocka_unit_test(fingerprint_is_five_groups_of_five_digits),
    };
    if (sodium_init() < 0) return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
