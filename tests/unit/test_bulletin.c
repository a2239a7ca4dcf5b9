/* test_bulletin.c - the v1 bulletin: round trips, every rejection rule, tamper detection. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "proto_bulletin.h"
#include "sample.h"

static uint8_t signed_buf[PROTO_BULLETIN_MAX + 16];

/* A signed sample bulletin in signed_buf; returns its length. */
static size_t signed_sample(struct proto_bulletin *b)
{
    keys_secret *ks = sample_key(1);
    sample_bulletin(b, keys_secret_pk(ks));
    size_t n = sample_sign(b, ks, signed_buf);
    keys_secret_destroy(&ks);
    return n;
}

static void assert_str_eq(struct proto_str a, struct proto_str b)
{
    assert_int_equal(a.n, b.n);
    if (a.n) assert_memory_equal(a.p, b.p, a.n);
}

static void assert_same_bulletin(const struct proto_bulletin *a, const struct proto_bulletin *b)
{
    assert_int_equal(a->kind, b->kind);
    assert_memory_equal(a->issuer, b->issuer, PROTO_KEY_BYTES);
    assert_int_equal(a->sequence, b->sequence);
    assert_memory_equal(a->previous, b->previous, PROTO_ID_BYTES);
    assert_int_equal(a->issued_at, b->issued_at);
    assert_int_equal(a->expires_at, b->expires_at);
    assert_int_equal(a->priority, b->priority);
    assert_memory_equal(a->subject, b->subject, PROTO_ID_BYTES);
    assert_memory_equal(a->translation_of, b->translation_of, PROTO_ID_BYTES);
    assert_str_eq(a->lang, b->lang);
    assert_str_eq(a->region, b->region);
    assert_str_eq(a->verdict, b->verdict);
    assert_str_eq(a->title, b->title);
    assert_str_eq(a->claim, b->claim);
    assert_str_eq(a->explanation, b->explanation);
    assert_int_equal(a->n_links, b->n_links);
    for (size_t i = 0; i < a->n_links; i++) {
        assert_int_equal(a->links[i].rel, b->links[i].rel);
        assert_str_eq(a->links[i].url, b->links[i].url);
    }
    assert_memory_equal(a->signature, b->signature, PROTO_SIG_BYTES);
}

static void roundtrip_keeps_every_field_and_verifies(void **state)
{
    (void)state;
    struct proto_bulletin b, d;
    size_t n = signed_sample(&b);
    struct proto_err err = {0};
    assert_int_equal(proto_bulletin_decode(&d, signed_buf, n, &err), PROTO_OK);
    assert_same_bulletin(&b, &d);
    assert_int_equal(proto_bulletin_verify(&d, signed_buf, n), PROTO_OK);
}

static void reencoding_a_decoded_bulletin_gives_the_same_bytes(void **state)
{
    (void)state;
    struct proto_bulletin b, d;
    static uint8_t again[PROTO_BULLETIN_MAX];
    size_t n = signed_sample(&b);
    assert_int_equal(proto_bulletin_decode(&d, signed_buf, n, NULL), PROTO_OK);
    keys_secret *ks = sample_key(1);
    size_t m = sample_sign(&d, ks, again);
    keys_secret_destroy(&ks);
    assert_int_equal(m, n);
    assert_memory_equal(again, signed_buf, n);
}

static void random_bulletins_round_trip(void **state)
{
    (void)state;
    keys_secret *ks = sample_key(7);
    static char text[4][600];
    static uint8_t out[PROTO_BULLETIN_MAX];
    for (int iter = 0; iter < 200; iter++) {
        struct proto_bulletin b, d;
        sample_bulletin(&b, keys_secret_pk(ks));
        for (int t = 0; t < 4; t++) {
            size_t len = 1 + randombytes_uniform(500);
            for (size_t i = 0; i < len; i++)
                text[t][i] = (char)('a' + randombytes_uniform(26));
            text[t][len] = 0;
        }
        b.title = sample_str(text[0]);
        b.claim = sample_str(text[1]);
        b.explanation = sample_str(text[2]);
        b.sequence = 1 + randombytes_uniform(1000);
        if (b.sequence > 1) randombytes_buf(b.previous, PROTO_ID_BYTES);
        b.issued_at = 1 + randombytes_uniform(2000000000);
        b.expires_at = randombytes_uniform(2) ? 0 : b.issued_at + 1 + randombytes_uniform(1000);
        b.n_links = randombytes_uniform(PROTO_MAX_LINKS + 1);
        for (size_t i = 0; i < b.n_links; i++)
            b.links[i] = (struct proto_link){(uint8_t)randombytes_uniform(2),
                                             sample_str("https://example.org/a")};
        size_t n = sample_sign(&b, ks, out);
        assert_int_equal(proto_bulletin_decode(&d, out, n, NULL), PROTO_OK);
        assert_same_bulletin(&b, &d);
        assert_int_equal(proto_bulletin_verify(&d, out, n), PROTO_OK);
    }
    keys_secret_destroy(&ks);
}

static void id_is_blake2b_of_the_signed_bytes(void **state)
{
    (void)state;
    struct proto_bulletin b;
    uint8_t id[PROTO_ID_BYTES], want[PROTO_ID_BYTES];
    size_t n = signed_sample(&b);
    proto_bulletin_id(signed_buf, n, id);
    crypto_generichash(want, sizeof want, signed_buf, n, NULL, 0);
    assert_memory_equal(id, want, sizeof id);
    signed_buf[n - 1] ^= 1;
    proto_bulletin_id(signed_buf, n, want);
    assert_memory_not_equal(id, want, sizeof id);
}

/* Every single-bit change anywhere must fail decoding or fail verification. */
static void any_flipped_bit_fails(void **state)
{
    (void)state;
    struct proto_bulletin b, d;
    size_t n = signed_sample(&b);
    for (size_t bit = 0; bit < 8 * n; bit++) {
        signed_buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        int ok = proto_bulletin_decode(&d, signed_buf, n, NULL) == PROTO_OK &&
                 proto_bulletin_verify(&d, signed_buf, n) == PROTO_OK;
        if (ok) fail_msg("bit %zu flipped and the bulletin still verifies", bit);
        signed_buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
}

static void signature_by_another_key_fails(void **state)
{
    (void)state;
    struct proto_bulletin b, d;
    size_t n = signed_sample(&b);
    keys_secret *other = sample_key(2);
    /* Claim the other key as issuer but keep key 1's signature. */
    memcpy(signed_buf + 6, keys_secret_pk(other), PROTO_KEY_BYTES);
    keys_secret_destroy(&other);
    assert_int_equal(proto_bulletin_decode(&d, signed_buf, n, NULL), PROTO_OK);
    assert_int_equal(proto_bulletin_verify(&d, signed_buf, n), PROTO_ESIGNATURE);
}

static void sign_refuses_a_key_that_is_not_the_issuer(void **state)
{
    (void)state;
    struct proto_bulletin b;
    keys_secret *k1 = sample_key(1), *k2 = sample_key(2);
    sample_bulletin(&b, keys_secret_pk(k1));
    size_t n = 0;
    struct proto_err err = {0};
    assert_int_equal(
        proto_bulletin_sign(&b, keys_secret_sk(k2), signed_buf, PROTO_BULLETIN_MAX, &n, &err),
        PROTO_ERANGE);
    assert_string_equal(err.field, "issuer");
    keys_secret_destroy(&k1);
    keys_secret_destroy(&k2);
}

/* Offset of the first occurrence of s in the signed sample. */
static size_t at(size_t n, const char *s)
{
    uint8_t *p = memmem(signed_buf, n, s, strlen(s));
    assert_non_null(p);
    return (size_t)(p - signed_buf);
}

static void expect_reject(size_t n, int code, const char *field)
{
    struct proto_bulletin d;
    struct proto_err err = {0};
    int rc = proto_bulletin_decode(&d, signed_buf, n, &err);
    if (rc != code || strcmp(err.field ? err.field : "", field) != 0)
        fail_msg("expected %s in '%s', got %s in '%s'", proto_strerror(code), field,
                 proto_strerror(rc), err.field ? err.field : "");
}

static void put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* One mutation of the signed sample and the error it must produce. */
static void decoder_rejects_each_rule(void **state)
{
    (void)state;
    struct proto_bulletin b;
    size_t n;
#define CASE(mutation, code, field)                                                                \
    do {                                                                                           \
        n = signed_sample(&b);                                                                     \
        mutation;                                                                                  \
        expect_reject(n, code, field);                                                             \
    } while (0)
    CASE(signed_buf[0] = 'X', PROTO_EMAGIC, "magic");
    CASE(signed_buf[4] = 3, PROTO_EVERSION, "version");
    CASE(signed_buf[5] = 0, PROTO_EKIND, "kind");
    CASE(signed_buf[5] = 11, PROTO_EKIND, "kind");
    CASE(put_be64(signed_buf + 38, 0), PROTO_ERANGE, "sequence");
    CASE(signed_buf[46] = 1, PROTO_ECHAIN, "previous");
    CASE(put_be64(signed_buf + 38, 2), PROTO_ECHAIN, "previous");
    CASE(put_be64(signed_buf + 78, 0), PROTO_ERANGE, "issued_at");
    CASE(put_be64(signed_buf + 78, PROTO_TIME_MAX + 1), PROTO_ERANGE, "issued_at");
    CASE(put_be64(signed_buf + 86, b.issued_at), PROTO_ERANGE, "expires_at");
    CASE(put_be64(signed_buf + 86, PROTO_TIME_MAX + 1), PROTO_ERANGE, "expires_at");
    CASE(signed_buf[98] = 2, PROTO_ERANGE, "priority");
    CASE(signed_buf[99] = 1, PROTO_ERANGE, "subject");
    CASE(signed_buf[5] = PROTO_KIND_CORRECTION, PROTO_ERANGE, "subject");
    CASE(signed_buf[5] = PROTO_KIND_WITHDRAWAL, PROTO_ERANGE, "subject");
    CASE(signed_buf[at(n, "\x02id") + 1] = 'I', PROTO_ESYNTAX, "language");
    CASE(signed_buf[at(n, "12.73") + 4] = 'x', PROTO_ESYNTAX, "region");
    CASE(signed_buf[at(n, "12.73") + 2] = '-', PROTO_ESYNTAX, "region");
    CASE(signed_buf[at(n, "HOAKS")] = 'h', PROTO_ESYNTAX, "verdict");
    CASE(signed_buf[at(n, "Video")] = 0xC0, PROTO_EUTF8, "title"); /* overlong lead */
    CASE(signed_buf[at(n, "Video")] = 0xFF, PROTO_EUTF8, "title");
    CASE(memcpy(signed_buf + at(n, "Video"), "\xED\xA0\x80", 3), PROTO_EUTF8, "title");
    CASE(memcpy(signed_buf + at(n, "Video"), "\xF4\x90\x80\x80", 4), PROTO_EUTF8, "title");
    CASE(signed_buf[at(n, "Video")] = '\n', PROTO_ESYNTAX, "title");
    CASE(signed_buf[at(n, "Beredar")] = '\r', PROTO_ESYNTAX, "claim");
    CASE(signed_buf[at(n, "Faktanya")] = 0, PROTO_ESYNTAX, "explanation");
    CASE(signed_buf[at(n, "https://x") - 3] = 2, PROTO_ERANGE, "link rel");
    CASE(signed_buf[at(n, "https://x")] = 'f', PROTO_ESYNTAX, "link url");
    CASE(signed_buf[at(n, "https://x") + 8] = ' ', PROTO_ESYNTAX, "link url");
    CASE(signed_buf[at(n, "https://x") - 4] = 33, PROTO_ETOOBIG, "links");
    CASE(signed_buf[at(n, "https://x") - 4] = 3, PROTO_ETRUNCATED, "link rel");
    CASE(signed_buf[at(n, "https://x") - 4] = 1, PROTO_ETRAILING, "body");
    CASE(signed_buf[at(n, "[HOAKS] Video") - 1] += 1, PROTO_ESYNTAX, "title");
    CASE(signed_buf[at(n, "[HOAKS] Video") - 2] = 0x03, PROTO_ETOOBIG, "title");
    CASE(signed_buf[97] += 1, PROTO_ETRAILING, "body");
    CASE(signed_buf[97] -= 1, PROTO_ETRUNCATED, "link url");
    CASE(signed_buf[96] = 0xFF, PROTO_ETRUNCATED, "body length");
    CASE(n += 1, PROTO_ETRAILING, "signature");
    CASE(n = PROTO_BULLETIN_MAX + 1, PROTO_ETOOBIG, "bulletin");
#undef CASE
}

static void every_truncation_is_rejected(void **state)
{
    (void)state;
    struct proto_bulletin b, d;
    size_t n = signed_sample(&b);
    for (size_t len = 0; len < n; len++)
        assert_int_not_equal(proto_bulletin_decode(&d, signed_buf, len, NULL), PROTO_OK);
}

static void fill_links(struct proto_bulletin *b)
{
    static char url[PROTO_MAX_URL + 1];
    memset(url, 'u', PROTO_MAX_URL);
    memcpy(url, "https://", 8);
    b->n_links = PROTO_MAX_LINKS;
    for (size_t i = 0; i < PROTO_MAX_LINKS; i++)
        b->links[i] = (struct proto_link){PROTO_LINK_REFERENCE, sample_str(url)};
}

/* The signer enforces the same rules as the decoder, so nothing invalid is ever signed. */
static void sign_refuses_invalid_fields(void **state)
{
    (void)state;
    keys_secret *ks = sample_key(1);
    static char big[PROTO_MAX_EXPLANATION + 2];
    static uint8_t out[PROTO_BULLETIN_MAX];
    memset(big, 'a', sizeof big - 1);
    struct proto_bulletin b;
    size_t n;
    struct proto_err err;
#define REFUSE(mutation, code, fname)                                                              \
    do {                                                                                           \
        sample_bulletin(&b, keys_secret_pk(ks));                                                   \
        mutation;                                                                                  \
        memset(&err, 0, sizeof err);                                                               \
        assert_int_equal(proto_bulletin_sign(&b, keys_secret_sk(ks), out, sizeof out, &n, &err),   \
                         code);                                                                    \
        assert_string_equal(err.field, fname);                                                     \
    } while (0)
    REFUSE(b.kind = 11, PROTO_EKIND, "kind");
    REFUSE(b.title = sample_str(""), PROTO_EMISSING, "title");
    REFUSE(b.title = ((struct proto_str){(const uint8_t *)big, PROTO_MAX_TITLE + 1}), PROTO_ETOOBIG,
           "title");
    REFUSE(b.claim = ((struct proto_str){(const uint8_t *)big, PROTO_MAX_CLAIM + 1}), PROTO_ETOOBIG,
           "claim");
    REFUSE(b.explanation = ((struct proto_str){(const uint8_t *)big, PROTO_MAX_EXPLANATION + 1}),
           PROTO_ETOOBIG, "explanation");
    REFUSE(b.lang = sample_str("indonesian"), PROTO_ESYNTAX, "language");
    REFUSE(b.region = sample_str("1"), PROTO_ESYNTAX, "region");
    REFUSE(b.verdict = sample_str(""), PROTO_EMISSING, "verdict");
    REFUSE(b.n_links = PROTO_MAX_LINKS + 1, PROTO_ETOOBIG, "links");
    REFUSE(b.links[0].url = sample_str("javascript:alert(1)"), PROTO_ESYNTAX, "link url");
    REFUSE(b.expires_at = 1, PROTO_ERANGE, "expires_at");
    /* Every field within its limit, but together over 64 KiB. */
    REFUSE((b.explanation = ((struct proto_str){(const uint8_t *)big, PROTO_MAX_EXPLANATION}),
            b.claim = ((struct proto_str){(const uint8_t *)big, PROTO_MAX_CLAIM}), fill_links(&b)),
           PROTO_ETOOBIG, "bulletin");
#undef REFUSE
    keys_secret_destroy(&ks);
}

static void largest_fields_that_fit_round_trip(void **state)
{
    (void)state;
    keys_secret *ks = sample_key(3);
    static char big[PROTO_MAX_EXPLANATION];
    static uint8_t out[PROTO_BULLETIN_MAX];
    memset(big, 'b', sizeof big);
    struct proto_bulletin b, d;
    sample_bulletin(&b, keys_secret_pk(ks));
    b.title = (struct proto_str){(const uint8_t *)big, PROTO_MAX_TITLE};
    b.claim = (struct proto_str){(const uint8_t *)big, PROTO_MAX_CLAIM};
    b.explanation = (struct proto_str){(const uint8_t *)big, PROTO_MAX_EXPLANATION};
    size_t n = sample_sign(&b, ks, out);
    assert_true(n > 57000 && n <= PROTO_BULLETIN_MAX);
    assert_int_equal(proto_bulletin_decode(&d, out, n, NULL), PROTO_OK);
    assert_int_equal(proto_bulletin_verify(&d, out, n), PROTO_OK);
    keys_secret_destroy(&ks);
}

static void corrections_and_withdrawals_name_their_subject(void **state)
{
    (void)state;
    keys_secret *ks = sample_key(1);
    static uint8_t out[PROTO_BULLETIN_MAX];
    struct proto_bulletin b, d;
    for (uint8_t kind = PROTO_KIND_CORRECTION; kind <= PROTO_KIND_WITHDRAWAL; kind++) {
        sample_bulletin(&b, keys_secret_pk(ks));
        b.kind = kind;
        b.sequence = 2;
        memset(b.previous, 0xAB, PROTO_ID_BYTES);
        memset(b.subject, 0xAB, PROTO_ID_BYTES);
        size_t n = sample_sign(&b, ks, out);
        assert_int_equal(proto_bulletin_decode(&d, out, n, NULL), PROTO_OK);
        assert_memory_equal(d.subject, b.subject, PROTO_ID_BYTES);
        assert_string_equal(proto_kind_name(d.kind), kind == 2 ? "correction" : "withdrawal");
    }
    keys_secret_destroy(&ks);
}

/* Decode out[0..n) expecting code in field (PROTO_OK: it decodes, verifies, re-encodes to the
 * same bytes). */
static void expect_decode(const uint8_t *out, size_t n, int code, const char *field)
{
    static uint8_t again[PROTO_BULLETIN_MAX];
    struct proto_bulletin d;
    struct proto_err err = {0};
    int rc = proto_bulletin_decode(&d, out, n, &err);
    if (rc != code) fail_msg("decode: %d in '%s', wanted %d", rc, err.field ? err.field : "", code);
    if (code != PROTO_OK) {
        assert_string_equal(err.field, field);
        return;
    }
    size_t m = 0;
    assert_int_equal(proto_bulletin_verify(&d, out, n), PROTO_OK);
    assert_int_equal(proto_bulletin_encode(&d, again, sizeof again, &m, NULL), PROTO_OK);
    assert_int_equal(m, n);
    assert_memory_equal(again, out, n);
}

/* Version 2: a clarification or correction that answers reports; version 1 stays what it was. */
static void answers_make_version_2(void **state)
{
    (void)state;
    keys_secret *ks = sample_key(2);
    static uint8_t out[PROTO_BULLETIN_MAX];
    struct proto_bulletin b, d;
    sample_bulletin(&b, keys_secret_pk(ks));
    size_t n = sample_sign(&b, ks, out);
    assert_int_equal(out[4], 1); /* no answers: version 1, as every bulletin before */
    b.n_answers = 2;
    memset(b.answers[0], 0x11, 32);
    memset(b.answers[1], 0x22, 32);
    n = sample_sign(&b, ks, out);
    assert_int_equal(out[4], 2);
    expect_decode(out, n, PROTO_OK, NULL);
    assert_int_equal(proto_bulletin_decode(&d, out, n, NULL), PROTO_OK);
    assert_int_equal(d.version, 2);
    assert_int_equal(d.n_answers, 2);
    assert_memory_equal(d.answers[1], b.answers[1], 32);
    /* A v1 verifier's view: version 2 is refused whole (not read as v1 with trailing bytes). */
    struct proto_err err = {0};
    out[4] = 1;
    assert_int_equal(proto_bulletin_decode(&d, out, n, &err), PROTO_ETRAILING);
    out[4] = 2;
    struct proto_err e2 = {0};
    /* Refused when signing: out of order, twice, zero, too many, on a withdrawal. */
    memset(b.answers[1], 0x11, 32);
    assert_int_equal(proto_bulletin_sign(&b, keys_secret_sk(ks), out, sizeof out, &n, &e2),
                     PROTO_ERANGE);
    assert_string_equal(e2.field, "answers (order)");
    memset(b.answers[1], 0, 32);
    assert_int_equal(proto_bulletin_sign(&b, keys_secret_sk(ks), out, sizeof out, &n, &e2),
                     PROTO_ERANGE);
    b.n_answers = PROTO_MAX_ANSWERS + 1;
    assert_int_equal(proto_bulletin_sign(&b, keys_secret_sk(ks), out, sizeof out, &n, &e2),
                     PROTO_ETOOBIG);
    b.n_answers = 1;
    b.kind = PROTO_KIND_WITHDRAWAL;
    memset(b.subject, 0xAB, 32);
    assert_int_equal(proto_bulletin_sign(&b, keys_secret_sk(ks), out, sizeof out, &n, &e2),
                     PROTO_ERANGE);
    /* A version-2 withdrawal on the wire: refused by its version. */
    b.n_answers = 0;
    n = sample_sign(&b, ks, out);
    out[4] = 2;
    expect_decode(out, n, PROTO_EVERSION, "version");
    keys_secret_destroy(&ks);
}

static void report_and_receipt_round_trip_and_refuse(void **state)
{
    (void)state;
    keys_secret *ks = sample_key(4);
    static uint8_t out[PROTO_BULLETIN_MAX];
    struct proto_bulletin b;
    size_t n;
    struct proto_err err;
#define REPORT()                                                                                   \
    do {                                                                                           \
        memset(&b, 0, sizeof b);                                                                   \
        b.kind = PROTO_KIND_REPORT, b.sequence = 1, b.issued_at = 1767225600000;                   \
        memcpy(b.issuer, keys_secret_pk(ks), 32);                                                  \
        b.lang = sample_str("id"), b.region = sample_str("17.71");                                 \
        b.claim = sample_str("Pesan berantai: tsunami malam ini");                                 \
        b.n_links = 1, b.links[0].url = sample_str("https://wa.example/f/1");                      \
    } while (0)
#define RECEIPT()                                                                                  \
    do {                                                                                           \
        memset(&b, 0, sizeof b);                                                                   \
        b.kind = PROTO_KIND_RECEIPT, b.sequence = 1, b.issued_at = 1767225600000;                  \
        memcpy(b.issuer, keys_secret_pk(ks), 32);                                                  \
        memset(b.subject, 0x5A, 32);                                                               \
        b.action = PROTO_ACTION_REMOVED, b.items = 40, b.acted_at = 1767225500000;                 \
    } while (0)
#define REFUSE(make, mutation, code, fname)                                                        \
    do {                                                                                           \
        make();                                                                                    \
        mutation;                                                                                  \
        memset(&err, 0, sizeof err);                                                               \
        assert_int_equal(proto_bulletin_sign(&b, keys_secret_sk(ks), out, sizeof out, &n, &err),   \
                         code);                                                                    \
        assert_string_equal(err.field, fname);                                                     \
    } while (0)
    REPORT();
    n = sample_sign(&b, ks, out);
    expect_decode(out, n, PROTO_OK, NULL);
    REPORT();
    b.n_links = 0;
    memset(b.content_hash, 0x42, 32); /* the media's hash alone is enough */
    expect_decode(out, sample_sign(&b, ks, out), PROTO_OK, NULL);
    RECEIPT();
    expect_decode(out, sample_sign(&b, ks, out), PROTO_OK, NULL);
    RECEIPT();
    b.action = PROTO_ACTION_NONE, b.items = 0, b.reason = sample_str("bukan konten kami");
    expect_decode(out, sample_sign(&b, ks, out), PROTO_OK, NULL);
    REFUSE(REPORT, b.n_links = 0, PROTO_EMISSING, "url");
    REFUSE(REPORT, b.claim = sample_str(""), PROTO_EMISSING, "claim");
    REFUSE(REPORT, b.title = sample_str("x"), PROTO_ERANGE, "report"); /* not a report's field */
    REFUSE(REPORT, b.expires_at = 1767225600001, PROTO_ERANGE, "expires_at (report or receipt)");
    REFUSE(REPORT, b.priority = 2, PROTO_ERANGE, "urgency");
    REFUSE(REPORT, b.links[0].rel = PROTO_LINK_REFERENCE, PROTO_ERANGE,
           "url (a report's are where it was seen)");
    REFUSE(RECEIPT, memset(b.subject, 0, 32), PROTO_EMISSING, "bulletin");
    REFUSE(RECEIPT, b.action = 4, PROTO_ERANGE, "action");
    REFUSE(RECEIPT, b.acted_at = 0, PROTO_ERANGE, "acted_at");
    REFUSE(RECEIPT, b.action = PROTO_ACTION_NONE, PROTO_EMISSING, "reason");
    REFUSE(RECEIPT, b.lang = sample_str("id"), PROTO_ERANGE, "receipt");
#undef REFUSE
    /* On the wire: an action out of range, and bytes after a receipt's reason. */
    RECEIPT();
    n = sample_sign(&b, ks, out);
    out[PROTO_HEADER_BYTES + 32] = 9;
    expect_decode(out, n, PROTO_ERANGE, "action");
    keys_secret_destroy(&ks);
#undef REPORT
#undef RECEIPT
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roundtrip_keeps_every_field_and_verifies),
        cmocka_unit_test(reencoding_a_decoded_bulletin_gives_the_same_bytes),
        cmocka_unit_test(random_bulletins_round_trip),
        cmocka_unit_test(id_is_blake2b_of_the_signed_bytes),
        cmocka_unit_test(any_flipped_bit_fails),
        cmocka_unit_test(signature_by_another_key_fails),
        cmocka_unit_test(sign_refuses_a_key_that_is_not_the_issuer),
        cmocka_unit_test(decoder_rejects_each_rule),
        cmocka_unit_test(every_truncation_is_rejected),
        cmocka_unit_test(sign_refuses_invalid_fields),
        cmocka_unit_test(largest_fields_that_fit_round_trip),
        cmocka_unit_test(corrections_and_withdrawals_name_their_subject),
        cmocka_unit_test(answers_make_version_2),
        cmocka_unit_test(report_and_receipt_round_trip_and_refuse),
    };
    if (sodium_init() < 0) return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
