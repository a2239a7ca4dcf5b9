/* test_wire.c - node messages: the documented examples, round trips, and every rejection. */
#include <setjmp.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "proto_checkpoint.h"
#include "proto_wire.h"

static uint8_t buf[1 << 16];

static void unhex(const char *h, uint8_t *out, size_t *n)
{
    assert_int_equal(sodium_hex2bin(out, sizeof buf, h, strlen(h), " ", n, NULL), 0);
}

/* The examples of docs/PROTOCOL.md §14, byte for byte. */
static void encoders_match_the_documented_examples(void **state)
{
    (void)state;
    static uint8_t want[256];
    size_t n;
    struct proto_writer w;
    uint8_t id[32], issuer[32];
    proto_writer_init(&w, buf, sizeof buf);
    proto_wire_hello(&w, "ministry");
    unhex("01 01 00000001 08 6d696e6973747279", want, &n);
    assert_int_equal(w.len, n);
    assert_memory_equal(buf, want, n);
    unhex("bacac7e3ef76b4ecbe626760252815e6a5fd17fda8733efc055c0d24e5a75c91", id, &n);
    proto_writer_init(&w, buf, sizeof buf);
    proto_wire_ids(&w, PROTO_MSG_IWANT, id, 1);
    unhex("01 04 0001 bacac7e3ef76b4ecbe626760252815e6a5fd17fda8733efc055c0d24e5a75c91", want, &n);
    assert_int_equal(w.len, n);
    assert_memory_equal(buf, want, n);
    unhex("31debe55d37c722768b137131caa6087080b2e0b60b94bd785d14575cfa498bc", issuer, &n);
    proto_writer_init(&w, buf, sizeof buf);
    proto_wire_fetch(&w, issuer, 2, 512);
    unhex("01 06 31debe55d37c722768b137131caa6087080b2e0b60b94bd785d14575cfa498bc "
          "0000000000000002 00000200",
          want, &n);
    assert_int_equal(w.len, n);
    assert_memory_equal(buf, want, n);
}

static void messages_round_trip(void **state)
{
    (void)state;
    struct proto_writer w;
    struct proto_msg m;
    uint8_t entries[3 * PROTO_STATE_ENTRY];
    for (int i = 0; i < 3; i++) {
        memset(entries + i * 40, 0x10 * (i + 1), 32);
        memset(entries + i * 40 + 32, 0, 8);
        entries[i * 40 + 39] = (uint8_t)(7 + i);
    }
    proto_writer_init(&w, buf, sizeof buf);
    proto_wire_state(&w, entries, 3);
    assert_int_equal(proto_wire_decode(&m, buf, w.len), PROTO_OK);
    assert_int_equal(m.type, PROTO_MSG_STATE);
    assert_int_equal(m.n, 3);
    assert_memory_equal(m.items, entries, sizeof entries);

    uint8_t b1[300], b2[500];
    memset(b1, 1, sizeof b1), memset(b2, 2, sizeof b2);
    proto_writer_init(&w, buf, sizeof buf);
    proto_wire_bulletins_begin(&w, 2);
    proto_wire_bulletins_add(&w, b1, sizeof b1);
    proto_wire_bulletins_add(&w, b2, sizeof b2);
    assert_int_equal(proto_wire_decode(&m, buf, w.len), PROTO_OK);
    size_t pos = 0, n;
    const uint8_t *p;
    assert_int_equal(proto_wire_next_bulletin(&m, &pos, &p, &n), 0);
    assert_int_equal(n, 300);
    assert_int_equal(proto_wire_next_bulletin(&m, &pos, &p, &n), 0);
    assert_int_equal(n, 500);
    assert_memory_equal(p, b2, 500);
    assert_int_equal(proto_wire_next_bulletin(&m, &pos, &p, &n), -1);
}

static int decode_hex(const char *h)
{
    size_t n;
    struct proto_msg m;
    unhex(h, buf, &n);
    return proto_wire_decode(&m, buf, n);
}

static void decoder_rejects_each_rule(void **state)
{
    (void)state;
    assert_int_equal(decode_hex(""), PROTO_ETRUNCATED);
    assert_int_equal(decode_hex("02 01"), PROTO_EVERSION);
    assert_int_equal(decode_hex("01 09"), PROTO_EKIND);
    assert_int_equal(decode_hex("01 07"), PROTO_ETRUNCATED);                  /* no note */
    assert_int_equal(decode_hex("01 08 00000000000007"), PROTO_ETRUNCATED);   /* size: 7 bytes */
    assert_int_equal(decode_hex("01 08 0000000000000007 00"), PROTO_ETRAILING);
    assert_int_equal(decode_hex("01 08 0000000000000007"), PROTO_OK);
    assert_int_equal(decode_hex("01 01 00000001 08 6d696e6973747279 00"), PROTO_ETRAILING);
    assert_int_equal(decode_hex("01 01 00000001 09 6d696e6973747279"), PROTO_ETRUNCATED);
    assert_int_equal(decode_hex("01 01 00000001 02 0a0a"), PROTO_ESYNTAX); /* control chars */
    assert_int_equal(decode_hex("01 03 0000"), PROTO_ERANGE);              /* IHAVE of none */
    assert_int_equal(decode_hex("01 03 0401"), PROTO_ERANGE);              /* 1025 ids */
    assert_int_equal(decode_hex("01 04 0002 "
                                "00000000000000000000000000000000"
                                "00000000000000000000000000000000"),
                     PROTO_ETRUNCATED);
    assert_int_equal(decode_hex("01 05 0000"), PROTO_ERANGE);           /* no bulletins */
    assert_int_equal(decode_hex("01 05 0001 00000000"), PROTO_ETOOBIG); /* empty bulletin */
    assert_int_equal(decode_hex("01 05 0001 00010001"), PROTO_ETOOBIG); /* 65537 bytes */
    assert_int_equal(decode_hex("01 05 0001 00000002 aa"), PROTO_ETRUNCATED);
    assert_int_equal(decode_hex("01 05 0001 00000001 aa bb"), PROTO_ETRAILING);
    assert_int_equal(decode_hex("01 06 "
                                "0000000000000000000000000000000000000000000000000000"
                                "000000000000 0000000000000000 00000001"),
                     PROTO_ERANGE);
    /* STATE entries out of order */
    static char h[400];
    strcpy(h, "01 02 00000002 ");
    strcat(h, "2222222222222222222222222222222222222222222222222222222222222222 0000000000000001 ");
    strcat(h, "1111111111111111111111111111111111111111111111111111111111111111 0000000000000001");
    assert_int_equal(decode_hex(h), PROTO_ESYNTAX);
    struct proto_msg m;
    assert_int_equal(proto_wire_decode(&m, buf, PROTO_WIRE_MAX + 1), PROTO_ETOOBIG);
    /* A CHECKPOINT longer than a note may be. */
    buf[0] = 1, buf[1] = 7;
    memset(buf + 2, 'a', PROTO_CHECKPOINT_MAX + 1);
    assert_int_equal(proto_wire_decode(&m, buf, PROTO_CHECKPOINT_MAX + 3), PROTO_ETOOBIG);
    assert_int_equal(proto_wire_decode(&m, buf, PROTO_CHECKPOINT_MAX + 2), PROTO_OK);
    assert_int_equal(m.items_len, PROTO_CHECKPOINT_MAX);
}

/* PROTOCOL.md §14: tests/fuzz/corpus/wire/ holds a valid message of each type. */
static void corpus_holds_a_valid_message_of_each_type(void **state)
{
    (void)state;
    char dir[1024], path[2048];
    const char *src = getenv("WARTA_SOURCE_ROOT");
    snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/wire", src ? src : ".");
    DIR *d = opendir(dir);
    assert_non_null(d);
    bool seen[PROTO_MSG_CHECKPOINT_AT + 1] = {false};
    static uint8_t msg[PROTO_WIRE_MAX];
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        size_t n = fread(msg, 1, sizeof msg, f);
        fclose(f);
        struct proto_msg m;
        if (proto_wire_decode(&m, msg, n) == PROTO_OK && m.type <= PROTO_MSG_CHECKPOINT_AT)
            seen[m.type] = true;
    }
    closedir(d);
    for (int t = PROTO_MSG_HELLO; t <= PROTO_MSG_CHECKPOINT_AT; t++) {
        if (!seen[t]) print_message("# no valid message of type %d in the corpus\n", t);
        assert_true(seen[t]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encoders_match_the_documented_examples),
        cmocka_unit_test(messages_round_trip),
        cmocka_unit_test(decoder_rejects_each_rule),
        cmocka_unit_test(corpus_holds_a_valid_message_of_each_type),
    };
    if (sodium_init() < 0) return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
