/* test_text.c - syntax rules for text fields: UTF-8, language, region, verdict, URL. */
#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

#include "proto_error.h"
#include "proto_text.h"

#define S(x) (const uint8_t *)(x), sizeof(x) - 1

static void utf8_accepts_valid_text(void **state)
{
    (void)state;
    assert_int_equal(proto_text_check(S("Faktanya — ini hoaks ✓ 🙏"), false, NULL), PROTO_OK);
    assert_int_equal(proto_text_check(S("baris satu\nbaris\tdua"), true, NULL), PROTO_OK);
    assert_int_equal(proto_text_check(S("\xF4\x8F\xBF\xBF"), false, NULL), PROTO_OK); /* U+10FFFF */
    assert_int_equal(proto_text_check(S(""), false, NULL), PROTO_OK);
}

static void utf8_rejects_malformed_sequences(void **state)
{
    (void)state;
    size_t at = 99;
    assert_int_equal(proto_text_check(S("ab\xC0\xAF"), false, &at), PROTO_EUTF8); /* overlong '/' */
    assert_int_equal(at, 2);
    assert_int_equal(proto_text_check(S("\xE0\x80\xAF"), false, NULL), PROTO_EUTF8); /* overlong */
    assert_int_equal(proto_text_check(S("\xED\xA0\x80"), false, NULL), PROTO_EUTF8); /* surrogate */
    assert_int_equal(proto_text_check(S("\xF4\x90\x80\x80"), false, NULL), PROTO_EUTF8);
    assert_int_equal(proto_text_check(S("\xE2\x82"), false, NULL), PROTO_EUTF8); /* truncated */
    assert_int_equal(proto_text_check(S("\x80"), false, NULL), PROTO_EUTF8);     /* stray */
    assert_int_equal(proto_text_check(S("\xF8\x88\x80\x80\x80"), false, NULL), PROTO_EUTF8);
}

static void controls_are_rejected_except_newline_and_tab_in_long_text(void **state)
{
    (void)state;
    assert_int_equal(proto_text_check(S("a\nb"), false, NULL), PROTO_ESYNTAX);
    assert_int_equal(proto_text_check(S("a\rb"), true, NULL), PROTO_ESYNTAX);
    assert_int_equal(proto_text_check(S("a\x7f"), true, NULL), PROTO_ESYNTAX);
    assert_int_equal(proto_text_check(S("a\xC2\x85"), true, NULL), PROTO_ESYNTAX); /* NEL */
    assert_int_equal(proto_text_check((const uint8_t *)"a\0b", 3, true, NULL), PROTO_ESYNTAX);
}

static void language_tags_in_canonical_form(void **state)
{
    (void)state;
    const char *good[] = {"id", "en", "jv", "ban", "zh-Hant-TW", "id-ID", "es-419", "sr-Latn"};
    const char *bad[] = {"",    "i",   "ID",      "id-id",  "id_ID",  "indonesian",
                         "id-", "-id", "zh-hant", "en-US-", "id--ID", "en-Latn-Latn"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(proto_lang_valid((const uint8_t *)good[i], strlen(good[i])));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (proto_lang_valid((const uint8_t *)bad[i], strlen(bad[i])))
            fail_msg("accepted language tag '%s'", bad[i]);
}

static void region_codes_follow_kemendagri(void **state)
{
    (void)state;
    const char *good[] = {"", "17", "17.71", "17.71.01", "17.71.01.1001"};
    const char *bad[] = {"1",  "177",   "17.7", "17.", "17.71.1", "17.71.01.100", "17.71.01.1001.1",
                         "a7", "17-71", " 17"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(proto_region_valid((const uint8_t *)good[i], strlen(good[i])));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (proto_region_valid((const uint8_t *)bad[i], strlen(bad[i])))
            fail_msg("accepted region '%s'", bad[i]);
}

static void verdicts_are_upper_case_labels(void **state)
{
    (void)state;
    assert_true(proto_verdict_valid(S("HOAKS")));
    assert_true(proto_verdict_valid(S("SEBAGIAN_BENAR")));
    assert_false(proto_verdict_valid(S("Hoaks")));
    assert_false(proto_verdict_valid(S("_HOAKS")));
    assert_false(proto_verdict_valid(S("HOAKS!")));
    assert_false(proto_verdict_valid(S("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))); /* 33 */
}

static void urls_are_http_or_https_without_spaces(void **state)
{
    (void)state;
    assert_true(proto_url_valid(S("https://www.komdigi.go.id/berita/hoaks")));
    assert_true(proto_url_valid(S("http://jateng.tribunnews.com/\xE2\x80\xA6/isu")));
    assert_false(proto_url_valid(S("https://")));
    assert_false(proto_url_valid(S("ftp://x")));
    assert_false(proto_url_valid(S("javascript:alert(1)")));
    assert_false(proto_url_valid(S("https://a b")));
    assert_false(proto_url_valid(S("https://a\nb")));
}

static void utf8_prefix_never_splits_a_character(void **state)
{
    (void)state;
    assert_int_equal(proto_utf8_prefix(S("ab\xE2\x80\x94"), 4), 2);
    assert_int_equal(proto_utf8_prefix(S("ab\xE2\x80\x94"), 5), 5);
}

/* Every byte value at every position of a long ASCII text: the 8-bytes-at-a-time path and
 * the character-by-character path agree on what is rejected, and where. */
static void every_byte_at_every_position(void **state)
{
    (void)state;
    uint8_t t[20];
    for (int b = 0; b < 256; b++)
        for (size_t pos = 0; pos < sizeof t; pos++)
            for (int multiline = 0; multiline < 2; multiline++) {
                memset(t, 'a', sizeof t);
                t[pos] = (uint8_t)b;
                size_t bad = 999;
                int rc = proto_text_check(t, sizeof t, multiline, &bad);
                bool control = b < 0x20 || b == 0x7F;
                bool allowed = multiline && (b == '\n' || b == '\t');
                int want = b >= 0x80 ? PROTO_EUTF8 : control && !allowed ? PROTO_ESYNTAX : PROTO_OK;
                assert_int_equal(rc, want);
                if (want != PROTO_OK) assert_int_equal(bad, pos);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_accepts_valid_text),
        cmocka_unit_test(utf8_rejects_malformed_sequences),
        cmocka_unit_test(controls_are_rejected_except_newline_and_tab_in_long_text),
        cmocka_unit_test(language_tags_in_canonical_form),
        cmocka_unit_test(region_codes_follow_kemendagri),
        cmocka_unit_test(verdicts_are_upper_case_labels),
        cmocka_unit_test(urls_are_http_or_https_without_spaces),
        cmocka_unit_test(utf8_prefix_never_splits_a_character),
        cmocka_unit_test(every_byte_at_every_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
