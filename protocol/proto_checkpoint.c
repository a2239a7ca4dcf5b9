/* proto_checkpoint.c - checkpoints as C2SP signed notes, with tlog-cosignature/v1 witnesses. */
#include "proto_checkpoint.h"

#include "proto_lines.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define TIME_MAX 253402300799ull /* 9999-12-31T23:59:59Z, in seconds */
#define BODY_MAX 256
#define SIG_BLOB 68      /* key id (4) + Ed25519 signature (64) */
#define COSIG_BLOB 76    /* key id (4) + time (8) + signature (64) */
#define KEY_ED25519 0x01 /* signed-note signature type of a plain Ed25519 signature */
#define KEY_COSIG 0x04   /* tlog-cosignature/v1 */
static const char dash[] = "\xe2\x80\x94 "; /* an em dash and a space start a signature line */

void proto_origin(const uint8_t key[32], char out[PROTO_ORIGIN_LEN + 1])
{
    memcpy(out, PROTO_ORIGIN_PREFIX, sizeof PROTO_ORIGIN_PREFIX - 1);
    sodium_bin2hex(out + sizeof PROTO_ORIGIN_PREFIX - 1, 65, key, 32);
}

/* The signed-note key id: the first 4 bytes of SHA-256(name || "\n" || type || key). */
static void key_id(const uint8_t key[32], uint8_t type, uint8_t out[4])
{
    char name[PROTO_ORIGIN_LEN + 1];
    uint8_t h[32];
    crypto_hash_sha256_state st;
    proto_origin(key, name);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const uint8_t *)name, PROTO_ORIGIN_LEN);
    crypto_hash_sha256_update(&st, (const uint8_t *)"\n", 1);
    crypto_hash_sha256_update(&st, &type, 1);
    crypto_hash_sha256_update(&st, key, 32);
    crypto_hash_sha256_final(&st, h);
    memcpy(out, h, 4);
}

size_t proto_checkpoint_body(const struct proto_checkpoint *c, char *out, size_t cap)
{
    char origin[PROTO_ORIGIN_LEN + 1], root[sodium_base64_ENCODED_LEN(32, 1)];
    proto_origin(c->key, origin);
    sodium_bin2base64(root, sizeof root, c->root, 32, sodium_base64_VARIANT_ORIGINAL);
    int n = snprintf(out, cap, "%s\n%llu\n%s\ntime %llu\n", origin, (unsigned long long)c->size,
                     root, (unsigned long long)c->time);
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* "cosignature/v1\ntime T\n" || body: what a witness signs. */
static size_t cosig_input(const char *body, size_t body_len, uint64_t time, char *out, size_t cap)
{
    int n = snprintf(out, cap, "cosignature/v1\ntime %llu\n", (unsigned long long)time);
    if (n <= 0 || (size_t)n + body_len > cap) return 0;
    memcpy(out + n, body, body_len);
    return (size_t)n + body_len;
}

void proto_checkpoint_sign(struct proto_checkpoint *c, const uint8_t *sk)
{
    char body[BODY_MAX];
    size_t n = proto_checkpoint_body(c, body, sizeof body);
    crypto_sign_ed25519_detached(c->sig, NULL, (const uint8_t *)body, n, sk);
}

int proto_checkpoint_cosign(struct proto_checkpoint *c, const uint8_t pk[32], const uint8_t *sk,
                            uint64_t time)
{
    char body[BODY_MAX], input[BODY_MAX + 64];
    if (sodium_memcmp(pk, c->key, 32) == 0) return PROTO_ESYNTAX;
    size_t i = 0;
    while (i < c->n_cosigs && memcmp(c->cosigs[i].key, pk, 32) != 0)
        i++;
    if (i == PROTO_CHECKPOINT_COSIGS) return PROTO_ERANGE;
    size_t n = proto_checkpoint_body(c, body, sizeof body);
    n = cosig_input(body, n, time, input, sizeof input);
    struct proto_witness_sig *w = &c->cosigs[i];
    memcpy(w->key, pk, 32);
    w->time = time;
    crypto_sign_ed25519_detached(w->sig, NULL, (const uint8_t *)input, n, sk);
    if (i == c->n_cosigs) c->n_cosigs++;
    return PROTO_OK;
}

/* Append one "— name base64(blob)\n" line; false if it does not fit. */
static bool sig_line(char *out, size_t cap, size_t *at, const uint8_t key[32], const uint8_t *blob,
                     size_t blob_len)
{
    char origin[PROTO_ORIGIN_LEN + 1], b64[sodium_base64_ENCODED_LEN(COSIG_BLOB, 1)];
    proto_origin(key, origin);
    sodium_bin2base64(b64, sizeof b64, blob, blob_len, sodium_base64_VARIANT_ORIGINAL);
    int n = snprintf(out + *at, cap - *at, "%s%s %s\n", dash, origin, b64);
    if (n <= 0 || (size_t)n >= cap - *at) return false;
    *at += (size_t)n;
    return true;
}

size_t proto_checkpoint_format(const struct proto_checkpoint *c, char *out, size_t cap)
{
    uint8_t blob[COSIG_BLOB];
    size_t at = proto_checkpoint_body(c, out, cap);
    if (at == 0 || at + 1 >= cap) return 0;
    out[at++] = '\n';
    key_id(c->key, KEY_ED25519, blob);
    memcpy(blob + 4, c->sig, 64);
    if (!sig_line(out, cap, &at, c->key, blob, SIG_BLOB)) return 0;
    for (size_t i = 0; i < c->n_cosigs; i++) {
        const struct proto_witness_sig *w = &c->cosigs[i];
        key_id(w->key, KEY_COSIG, blob);
        for (int b = 0; b < 8; b++)
            blob[4 + b] = (uint8_t)(w->time >> (56 - 8 * b));
        memcpy(blob + 12, w->sig, 64);
        if (!sig_line(out, cap, &at, w->key, blob, COSIG_BLOB)) return 0;
    }
    return at;
}

/* Canonical padded base64 of exactly n bytes. */
static bool base64(const char *s, size_t len, uint8_t *out, size_t n)
{
    char again[sodium_base64_ENCODED_LEN(COSIG_BLOB, 1)];
    size_t got = 0;
    if (len != sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) - 1) return false;
    if (sodium_base642bin(out, n, s, len, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        got != n)
        return false;
    sodium_bin2base64(again, sizeof again, out, n, sodium_base64_VARIANT_ORIGINAL);
    return memcmp(again, s, len) == 0;
}

/* "warta/node/" and 64 lowercase hex digits. */
static bool origin(const char *s, size_t n, uint8_t key[32])
{
    const size_t pre = sizeof PROTO_ORIGIN_PREFIX - 1;
    return n == PROTO_ORIGIN_LEN && memcmp(s, PROTO_ORIGIN_PREFIX, pre) == 0 &&
           proto_hex_lower(s + pre, n - pre, key, 32);
}

static int parse_body(struct proto_lines *c, struct proto_checkpoint *cp)
{
    size_t n;
    const char *s;
    if ((s = proto_lines_next(c, &n)) == NULL)
        return proto_lines_fail(c, PROTO_ETRUNCATED, "origin");
    if (!origin(s, n, cp->key)) return proto_lines_fail(c, PROTO_ESYNTAX, "origin");
    if ((s = proto_lines_next(c, &n)) == NULL)
        return proto_lines_fail(c, PROTO_ETRUNCATED, "tree size");
    if (!proto_decimal(s, n, UINT64_MAX >> 1, &cp->size))
        return proto_lines_fail(c, PROTO_ERANGE, "tree size");
    if ((s = proto_lines_next(c, &n)) == NULL)
        return proto_lines_fail(c, PROTO_ETRUNCATED, "root hash");
    if (!base64(s, n, cp->root, 32)) return proto_lines_fail(c, PROTO_ESYNTAX, "root hash");
    if ((s = proto_lines_next(c, &n)) == NULL) return proto_lines_fail(c, PROTO_ETRUNCATED, "time");
    if (n < 5 || memcmp(s, "time ", 5) != 0) return proto_lines_fail(c, PROTO_ESYNTAX, "time");
    if (!proto_decimal(s + 5, n - 5, TIME_MAX, &cp->time))
        return proto_lines_fail(c, PROTO_ERANGE, "time");
    if ((s = proto_lines_next(c, &n)) == NULL)
        return proto_lines_fail(c, PROTO_ETRUNCATED, "blank line");
    if (n != 0)
        return proto_lines_fail(c, PROTO_ESYNTAX, "blank line"); /* no other extension lines */
    return PROTO_OK;
}

static bool cosig_valid(const struct proto_witness_sig *w, const char *body, size_t body_len)
{
    char input[BODY_MAX + 64];
    size_t n = cosig_input(body, body_len, w->time, input, sizeof input);
    return n > 0 &&
           crypto_sign_ed25519_verify_detached(w->sig, (const uint8_t *)input, n, w->key) == 0;
}

/* One signature line: the node's own, or a witness's. */
static int parse_sig(struct proto_lines *c, struct proto_checkpoint *cp, bool *have_sig)
{
    size_t n;
    const char *s = proto_lines_next(c, &n);
    const size_t dn = sizeof dash - 1;
    uint8_t key[32], blob[COSIG_BLOB], id[4];
    if (s == NULL) return proto_lines_fail(c, PROTO_ETRUNCATED, "signature line");
    const char *sp = n > dn ? memchr(s + dn, ' ', n - dn) : NULL;
    if (n <= dn || memcmp(s, dash, dn) != 0 || sp == NULL)
        return proto_lines_fail(c, PROTO_ESYNTAX, "signature line");
    if (!origin(s + dn, (size_t)(sp - s) - dn, key))
        return proto_lines_fail(c, PROTO_ESYNTAX, "signature key name");
    const char *b = sp + 1;
    size_t bn = n - (size_t)(b - s);
    bool own = memcmp(key, cp->key, 32) == 0;
    if (!base64(b, bn, blob, own ? SIG_BLOB : COSIG_BLOB))
        return proto_lines_fail(c, PROTO_ESYNTAX, own ? "signature" : "co-signature");
    key_id(key, own ? KEY_ED25519 : KEY_COSIG, id);
    if (memcmp(id, blob, 4) != 0) return proto_lines_fail(c, PROTO_ESYNTAX, "signature key id");
    if (own) {
        if (*have_sig) return proto_lines_fail(c, PROTO_ESYNTAX, "second signature");
        memcpy(cp->sig, blob + 4, 64);
        *have_sig = true;
        return PROTO_OK;
    }
    for (size_t i = 0; i < cp->n_cosigs; i++)
        if (memcmp(cp->cosigs[i].key, key, 32) == 0)
            return proto_lines_fail(c, PROTO_ESYNTAX, "second co-signature");
    if (cp->n_cosigs == PROTO_CHECKPOINT_COSIGS)
        return proto_lines_fail(c, PROTO_ETOOBIG, "co-signatures");
    struct proto_witness_sig *w = &cp->cosigs[cp->n_cosigs++];
    memcpy(w->key, key, 32);
    w->time = 0;
    for (int i = 0; i < 8; i++)
        w->time = w->time << 8 | blob[4 + i];
    if (w->time > TIME_MAX) return proto_lines_fail(c, PROTO_ERANGE, "co-signature time");
    memcpy(w->sig, blob + 12, 64);
    return PROTO_OK;
}

int proto_checkpoint_parse(struct proto_checkpoint *cp, const char *text, size_t len,
                           struct proto_err *err)
{
    struct proto_lines c;
    proto_lines_init(&c, text, len, err);
    memset(cp, 0, sizeof *cp);
    if (len > PROTO_CHECKPOINT_MAX) return proto_lines_fail(&c, PROTO_ETOOBIG, "checkpoint");
    int rc = parse_body(&c, cp);
    size_t body_len = (size_t)(c.p - text) - 1; /* without the blank line */
    bool have_sig = false;
    while (rc == PROTO_OK && c.p < c.end)
        rc = parse_sig(&c, cp, &have_sig);
    if (rc != PROTO_OK) return rc;
    if (!have_sig) return proto_lines_fail(&c, PROTO_ESIGNATURE, "signature");
    if (crypto_sign_ed25519_verify_detached(cp->sig, (const uint8_t *)text, body_len, cp->key) != 0)
        return proto_lines_fail(&c, PROTO_ESIGNATURE, "signature");
    for (size_t i = 0; i < cp->n_cosigs; i++)
        if (!cosig_valid(&cp->cosigs[i], text, body_len))
            return proto_lines_fail(&c, PROTO_ESIGNATURE, "co-signature");
    return PROTO_OK;
}

bool proto_checkpoint_same_tree(const struct proto_checkpoint *a, const struct proto_checkpoint *b)
{
    return memcmp(a->key, b->key, 32) == 0 && a->size == b->size &&
           memcmp(a->root, b->root, PROTO_HASH_BYTES) == 0;
}

bool proto_checkpoint_conflict(const struct proto_checkpoint *a, const struct proto_checkpoint *b)
{
    return memcmp(a->key, b->key, 32) == 0 && a->size == b->size &&
           memcmp(a->root, b->root, PROTO_HASH_BYTES) != 0;
}

int proto_checkpoint_merge(struct proto_checkpoint *dst, const struct proto_checkpoint *src)
{
    if (!proto_checkpoint_same_tree(dst, src) || dst->time != src->time ||
        memcmp(dst->sig, src->sig, 64) != 0)
        return PROTO_ESYNTAX;
    int added = 0;
    for (size_t i = 0; i < src->n_cosigs; i++) {
        size_t j = 0;
        while (j < dst->n_cosigs && memcmp(dst->cosigs[j].key, src->cosigs[i].key, 32) != 0)
            j++;
        if (j < dst->n_cosigs) continue;
        if (dst->n_cosigs == PROTO_CHECKPOINT_COSIGS) break;
        dst->cosigs[dst->n_cosigs++] = src->cosigs[i];
        added++;
    }
    return added;
}
