/* sample.c - realistic bulletins and fixed keys for the unit tests. */
#include "sample.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

keys_secret *sample_key(uint8_t n)
{
    uint8_t seed[KEYS_SEED_BYTES];
    memset(seed, n, sizeof seed);
    keys_secret *ks = keys_secret_from_seed(seed);
    assert_non_null(ks);
    return ks;
}

struct proto_str sample_str(const char *s)
{
    return (struct proto_str){(const uint8_t *)s, strlen(s)};
}

void sample_bulletin(struct proto_bulletin *b, const uint8_t *pk)
{
    memset(b, 0, sizeof *b);
    b->kind = PROTO_KIND_CLARIFICATION;
    memcpy(b->issuer, pk, PROTO_KEY_BYTES);
    b->sequence = 1;
    b->issued_at = UINT64_C(1764547200000); /* 2025-12-01T00:00:00Z */
    b->priority = PROTO_PRIORITY_URGENT;
    b->lang = sample_str("id");
    b->region = sample_str("12.73");
    b->verdict = sample_str("HOAKS");
    b->title = sample_str("[HOAKS] Video Kemunculan Buaya di Banjir Sibolga");
    b->claim = sample_str("Beredar video buaya muncul di tengah banjir Kota Sibolga.");
    b->explanation = sample_str("Faktanya, video tersebut direkam di lokasi lain.\n"
                                "Tidak ada laporan buaya dari BPBD Kota Sibolga.");
    b->n_links = 2;
    b->links[0] = (struct proto_link){PROTO_LINK_APPEARANCE, sample_str("https://x.example/p/1")};
    b->links[1] = (struct proto_link){PROTO_LINK_REFERENCE,
                                      sample_str("https://www.tempo.co/cekfakta/keliru-buaya")};
}

size_t sample_sign(struct proto_bulletin *b, const keys_secret *ks, uint8_t *out)
{
    size_t len = 0;
    struct proto_err err = {0};
    int rc = proto_bulletin_sign(b, keys_secret_sk(ks), out, PROTO_BULLETIN_MAX, &len, &err);
    if (rc != PROTO_OK) fail_msg("sign failed: field %s: %s", err.field, proto_strerror(rc));
    return len;
}
