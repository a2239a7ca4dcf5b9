/* gen.c - realistic signed bulletins made fast, for integration tests and benchmarks. */
#include "gen.h"

#include <stdio.h>
#include <string.h>

#include "proto_roster.h"

static const char *const regions[] = {"",      "11",    "12.73", "17",    "17.71", "31",
                                      "32.73", "35.78", "51",    "64.72", "73.71", "94"};
static const char *const verdicts[] = {"HOAKS", "DISINFORMASI", "MISINFORMASI", "KLARIFIKASI"};

void gen_chain_init(struct gen_chain *c, uint8_t seed_byte, uint32_t index)
{
    uint8_t seed[KEYS_SEED_BYTES];
    memset(seed, seed_byte, sizeof seed);
    memcpy(seed, &index, sizeof index);
    memset(c, 0, sizeof *c);
    c->key = keys_secret_from_seed(seed);
}

void gen_chain_free(struct gen_chain *c)
{
    keys_secret_destroy(&c->key);
}

size_t gen_next(struct gen_chain *c, size_t size, uint32_t variant, uint8_t *out)
{
    static char title[160], claim[400], expl[PROTO_MAX_EXPLANATION];
    struct proto_bulletin b;
    uint64_t seq = c->seq + 1;
    memset(&b, 0, sizeof b);
    b.kind = PROTO_KIND_CLARIFICATION;
    memcpy(b.issuer, keys_secret_pk(c->key), PROTO_KEY_BYTES);
    b.sequence = seq;
    if (seq > 1) memcpy(b.previous, c->last, PROTO_ID_BYTES);
    b.issued_at = UINT64_C(1764547200000) + seq * 60000u;
    b.priority = seq % 17 == 0;
    b.lang = (struct proto_str){(const uint8_t *)"id", 2};
    const char *r = regions[seq % 12], *v = verdicts[seq % 4];
    b.region = (struct proto_str){(const uint8_t *)r, strlen(r)};
    b.verdict = (struct proto_str){(const uint8_t *)v, strlen(v)};
    snprintf(title, sizeof title, "[%s] Pesan berantai nomor %llu tentang bantuan banjir (%u)", v,
             (unsigned long long)seq, variant);
    snprintf(claim, sizeof claim,
             "Beredar pesan berantai yang menyebut pemerintah membagikan bantuan tunai "
             "kepada korban banjir melalui tautan pendaftaran daring nomor %llu.",
             (unsigned long long)seq);
    int n = snprintf(expl, sizeof expl,
                     "Faktanya, tidak ada pendaftaran bantuan melalui tautan tersebut. "
                     "Penyaluran bantuan dilakukan oleh BPBD setempat. ");
    size_t want = size > 300 ? size - 300 : 0;
    while ((size_t)n < want && (size_t)n < sizeof expl - 80)
        n += snprintf(expl + n, sizeof expl - (size_t)n,
                      "Masyarakat diimbau memeriksa informasi di kanal resmi. ");
    if ((size_t)n > want && want > 0) n = (int)want;
    b.title = (struct proto_str){(const uint8_t *)title, strlen(title)};
    b.claim = (struct proto_str){(const uint8_t *)claim, strlen(claim)};
    b.explanation = (struct proto_str){(const uint8_t *)expl, (size_t)n};
    b.n_links = 1;
    b.links[0] = (struct proto_link){PROTO_LINK_REFERENCE,
                                     {(const uint8_t *)"https://www.komdigi.go.id/berita", 32}};
    size_t len = 0;
    if (proto_bulletin_sign(&b, keys_secret_sk(c->key), out, PROTO_BULLETIN_MAX, &len, NULL) != 0)
        return 0;
    if (variant == 0) {
        c->seq = seq;
        proto_bulletin_id(out, len, c->last);
    }
    return len;
}

size_t gen_record(struct gen_chain *c, struct proto_roster *r, struct gen_chain *const *cosigners,
                  size_t n, uint64_t at, uint8_t *out)
{
    static uint8_t body[PROTO_BULLETIN_MAX];
    size_t body_len = 0, len = 0;
    for (size_t i = 0; i < n; i++)
        if (proto_roster_cosign(r, keys_secret_sk(cosigners[i]->key), NULL) != PROTO_OK) return 0;
    if (proto_roster_encode(r, body, sizeof body, &body_len, NULL) != PROTO_OK) return 0;
    struct proto_bulletin b;
    memset(&b, 0, sizeof b);
    b.kind = r->kind;
    memcpy(b.issuer, keys_secret_pk(c->key), PROTO_KEY_BYTES);
    b.sequence = c->seq + 1;
    if (c->seq) memcpy(b.previous, c->last, PROTO_ID_BYTES);
    b.issued_at = at;
    b.record = (struct proto_str){body, body_len};
    if (proto_bulletin_sign(&b, keys_secret_sk(c->key), out, PROTO_BULLETIN_MAX, &len, NULL) != 0)
        return 0;
    c->seq++;
    proto_bulletin_id(out, len, c->last);
    return len;
}
