/* test_armor.c - the armored text form survives e-mail and copy-paste, and rejects damage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "proto_armor.h"
#include "proto_error.h"

static uint8_t data[1000], out[2000];
static char text[4000];

static size_t armor(size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        data[i] = (uint8_t)(i * 7 + 3);
    assert_int_equal(proto_armor_encode(PROTO_ARMOR_BULLETIN, data, len, text, sizeof text, &n),
                     PROTO_OK);
    assert_int_equal(strlen(text), n);
    return n;
}

static int dearmor(const char *t, size_t *len)
{
    return proto_armor_decode(PROTO_ARMOR_BULLETIN, t, strlen(t), out, sizeof out, len);
}

static void round_trip_at_every_length(void **state)
{
    (void)state;
    for (size_t len = 0; len < 200; len++) {
        size_t n = armor(len), got = 99;
        assert_true(n < proto_armor_size(PROTO_ARMOR_BULLETIN, len));
        assert_int_equal(dearmor(text, &got), PROTO_OK);
        assert_int_equal(got, len);
        if (len) assert_memory_equal(out, data, len);
    }
}

static void lines_are_short_enough_for_mail(void **state)
{
    (void)state;
    armor(900);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        assert_true(strlen(line) <= 76);
}

static void survives_crlf_indentation_and_surrounding_text(void **state)
{
    (void)state;
    static char mail[8000];
    size_t n = armor(300), got = 0, m = 0;
    m += (size_t)sprintf(mail, "Yth. rekan-rekan,\r\nBerikut klarifikasi resmi:\r\n\r\n");
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\n') mail[m++] = ' ', mail[m++] = '\r';
        mail[m++] = text[i];
    }
    sprintf(mail + m, "\r\nSalam,\r\nDiskominfo\r\n");
    assert_int_equal(dearmor(mail, &got), PROTO_OK);
    assert_int_equal(got, 300);
    assert_memory_equal(out, data, 300);
}

static void rejects_damaged_blocks(void **state)
{
    (void)state;
    size_t got;
    armor(100);
    char *body = strchr(text, '\n') + 1;
    static char t[4000];
    strcpy(t, text);
    t[body - text + 5] = '*'; /* not base64 */
    assert_int_equal(dearmor(t, &got), PROTO_EARMOR);
    strcpy(t, text);
    *strstr(t, "-----END") = 0; /* no END line */
    assert_int_equal(dearmor(t, &got), PROTO_EARMOR);
    assert_int_equal(dearmor("no armor here", &got), PROTO_EARMOR);
    assert_int_equal(
        proto_armor_decode(PROTO_ARMOR_SECRET_KEY, text, strlen(text), out, sizeof out, &got),
        PROTO_EARMOR); /* other label */
    /* "AB==" decodes to one byte but leaves non-zero padding bits: not canonical. */
    assert_int_equal(
        dearmor("-----BEGIN WARTA BULLETIN-----\nAB==\n-----END WARTA BULLETIN-----\n", &got),
        PROTO_EARMOR);
    assert_int_equal(
        dearmor("-----BEGIN WARTA BULLETIN-----\nAA==\n-----END WARTA BULLETIN-----\n", &got),
        PROTO_OK);
    assert_int_equal(
        dearmor("x-----BEGIN WARTA BULLETIN-----\nAA==\n-----END WARTA BULLETIN-----", &got),
        PROTO_EARMOR); /* BEGIN must start a line */
}

static void rejects_more_than_fits(void **state)
{
    (void)state;
    size_t got;
    armor(900);
    assert_int_equal(proto_armor_decode(PROTO_ARMOR_BULLETIN, text, strlen(text), out, 100, &got),
                     PROTO_ETOOBIG);
}

struct seen {
    size_t n, lens[4];
    uint8_t first[4];
};

static int collect(const uint8_t *d, size_t len, void *ctx)
{
    struct seen *s = ctx;
    s->lens[s->n] = len;
    s->first[s->n++] = d[0];
    return s->n == 3 ? 7 : 0; /* stop after three */
}

static void each_block_in_order(void **state)
{
    (void)state;
    static char many[8000];
    char one[1000];
    size_t used = 0, n = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t d[40];
        memset(d, 'a' + i, sizeof d);
        assert_int_equal(
            proto_armor_encode("WARTA BULLETIN", d, 10 + (size_t)i, one, sizeof one, &n), PROTO_OK);
        used += (size_t)snprintf(many + used, sizeof many - used, "note %d\n%s\n", i, one);
    }
    struct seen s = {0};
    size_t count = 0;
    assert_int_equal(
        proto_armor_each("WARTA BULLETIN", many, used, out, sizeof out, collect, &s, &count), 7);
    assert_int_equal(count, 3);
    assert_int_equal(s.lens[0], 10);
    assert_int_equal(s.lens[2], 12);
    assert_int_equal(s.first[1], 'b');
    /* Text with no block: nothing, and no error. */
    s = (struct seen){0};
    assert_int_equal(
        proto_armor_each("WARTA BULLETIN", "note 0\n", 7, out, sizeof out, collect, &s, &count),
        PROTO_OK);
    assert_int_equal(count, 0);
    /* A damaged block is an error, not skipped. */
    char *second = strstr(strstr(many, "BEGIN") + 5, "BEGIN");
    char *body = strchr(second, '\n') + 1;
    body[3] = '*';
    s = (struct seen){0};
    assert_int_equal(
        proto_armor_each("WARTA BULLETIN", many, used, out, sizeof out, collect, &s, &count),
        PROTO_EARMOR);
    assert_int_equal(count, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_at_every_length),
        cmocka_unit_test(lines_are_short_enough_for_mail),
        cmocka_unit_test(survives_crlf_indentation_and_surrounding_text),
        cmocka_unit_test(rejects_damaged_blocks),
        cmocka_unit_test(rejects_more_than_fits),
        cmocka_unit_test(each_block_in_order),
    };
    if (sodium_init() < 0) return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
