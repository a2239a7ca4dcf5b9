/* keys_secret.c - secret keys in secure memory and their passphrase-encrypted file. */
#include "keys_secret.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "keys_error.h"
#include "keys_file.h"
#include "proto_armor.h"
#include "proto_buf.h"

#define KDF_ARGON2ID13 1
#define SEALED_VERSION 1
#define CHECK_AT (KEYS_SEALED_BYTES - 16)
/* The most work a key file may ask of us: libsodium's "sensitive" Argon2id limits. */
#define OPS_MAX crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE
#define MEM_MAX crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE

static const uint8_t sealed_magic[4] = {'W', 'R', 'T', 'K'};

struct keys_secret {
    uint8_t pk[KEYS_PK_BYTES];
    uint8_t *sk; /* sodium_malloc'd, read-only once filled */
};

static keys_secret *secret_new(void)
{
    keys_secret *ks = calloc(1, sizeof *ks);
    if (ks == NULL) return NULL;
    ks->sk = sodium_malloc(KEYS_SK_BYTES);
    if (ks->sk == NULL) {
        free(ks);
        return NULL;
    }
    return ks;
}

keys_secret *keys_secret_from_seed(const uint8_t seed[KEYS_SEED_BYTES])
{
    keys_secret *ks = secret_new();
    if (ks == NULL) return NULL;
    crypto_sign_ed25519_seed_keypair(ks->pk, ks->sk, seed);
    sodium_mprotect_readonly(ks->sk);
    return ks;
}

keys_secret *keys_secret_generate(void)
{
    uint8_t *seed = sodium_malloc(KEYS_SEED_BYTES);
    if (seed == NULL) return NULL;
    randombytes_buf(seed, KEYS_SEED_BYTES);
    keys_secret *ks = keys_secret_from_seed(seed);
    sodium_free(seed);
    return ks;
}

void keys_secret_destroy(keys_secret **ks)
{
    if (ks == NULL || *ks == NULL) return;
    sodium_free((*ks)->sk); /* sodium_free wipes before releasing */
    free(*ks);
    *ks = NULL;
}

const uint8_t *keys_secret_pk(const keys_secret *ks)
{
    return ks->pk;
}

const uint8_t *keys_secret_sk(const keys_secret *ks)
{
    return ks->sk;
}

static void cost_limits(enum keys_cost cost, uint64_t *ops, uint64_t *mem)
{
    switch (cost) {
    case KEYS_COST_INTERACTIVE:
        *ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
        break;
    case KEYS_COST_SENSITIVE:
        *ops = crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE;
        *mem = crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE;
        break;
    default:
        *ops = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
        *mem = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
    }
}

/* Derive the secretbox key from the passphrase into secure memory; NULL on failure. */
static uint8_t *derive_key(const struct keys_sealed *s, const char *pass, size_t pass_len)
{
    uint8_t *key = sodium_malloc(crypto_secretbox_KEYBYTES);
    if (key == NULL) return NULL;
    if (crypto_pwhash(key, crypto_secretbox_KEYBYTES, pass, pass_len, s->salt, s->opslimit,
                      (size_t)s->memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        sodium_free(key);
        return NULL;
    }
    return key;
}

static void sealed_encode(const struct keys_sealed *s, uint8_t out[KEYS_SEALED_BYTES])
{
    struct proto_writer w;
    proto_writer_init(&w, out, KEYS_SEALED_BYTES);
    proto_put_bytes(&w, sealed_magic, 4);
    proto_put_u8(&w, SEALED_VERSION);
    proto_put_u8(&w, KDF_ARGON2ID13);
    proto_put_u64(&w, s->opslimit);
    proto_put_u64(&w, s->memlimit);
    proto_put_bytes(&w, s->salt, sizeof s->salt);
    proto_put_bytes(&w, s->nonce, sizeof s->nonce);
    proto_put_bytes(&w, s->pk, sizeof s->pk);
    proto_put_bytes(&w, s->box, sizeof s->box);
    crypto_generichash(out + CHECK_AT, 16, out, CHECK_AT, NULL, 0);
}

int keys_sealed_parse(struct keys_sealed *s, const uint8_t *in, size_t len)
{
    struct proto_reader r;
    uint8_t magic[4], check[16];
    memset(s, 0, sizeof *s);
    if (len != KEYS_SEALED_BYTES) return KEYS_EFORMAT;
    proto_reader_init(&r, in, len);
    proto_get_bytes(&r, magic, 4);
    uint8_t version = proto_get_u8(&r);
    uint8_t kdf = proto_get_u8(&r);
    if (memcmp(magic, sealed_magic, 4) != 0 || version != SEALED_VERSION || kdf != KDF_ARGON2ID13)
        return KEYS_EFORMAT;
    crypto_generichash(check, sizeof check, in, CHECK_AT, NULL, 0);
    if (sodium_memcmp(check, in + CHECK_AT, sizeof check) != 0) return KEYS_EDAMAGED;
    s->opslimit = proto_get_u64(&r);
    s->memlimit = proto_get_u64(&r);
    proto_get_bytes(&r, s->salt, sizeof s->salt);
    proto_get_bytes(&r, s->nonce, sizeof s->nonce);
    proto_get_bytes(&r, s->pk, sizeof s->pk);
    proto_get_bytes(&r, s->box, sizeof s->box);
    if (s->opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN || s->opslimit > OPS_MAX ||
        s->memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN || s->memlimit > MEM_MAX)
        return KEYS_EPARAMS;
    return KEYS_OK;
}

int keys_sealed_parse_text(struct keys_sealed *s, const char *text, size_t len)
{
    uint8_t raw[KEYS_SEALED_BYTES + 1];
    size_t n = 0;
    if (proto_armor_decode(PROTO_ARMOR_SECRET_KEY, text, len, raw, sizeof raw, &n) != 0)
        return KEYS_EFORMAT;
    return keys_sealed_parse(s, raw, n);
}

int keys_secret_save(const keys_secret *ks, const char *path, const char *pass, size_t pass_len,
                     enum keys_cost cost)
{
    struct keys_sealed s;
    uint8_t raw[KEYS_SEALED_BYTES];
    char text[512];
    size_t text_len = 0;
    cost_limits(cost, &s.opslimit, &s.memlimit);
    randombytes_buf(s.salt, sizeof s.salt);
    randombytes_buf(s.nonce, sizeof s.nonce);
    memcpy(s.pk, ks->pk, sizeof s.pk);
    uint8_t *key = derive_key(&s, pass, pass_len);
    if (key == NULL) return KEYS_ENOMEM;
    /* The seed is the first half of libsodium's secret key. */
    crypto_secretbox_easy(s.box, ks->sk, KEYS_SEED_BYTES, s.nonce, key);
    sodium_free(key);
    sealed_encode(&s, raw);
    if (proto_armor_encode(PROTO_ARMOR_SECRET_KEY, raw, sizeof raw, text, sizeof text, &text_len) !=
        0)
        return KEYS_ENOMEM;
    return keys_file_create(path, text, text_len, 0600);
}

static int read_sealed(const char *path, struct keys_sealed *s)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = keys_file_read(path, KEYS_FILE_MAX, &buf, &len);
    if (rc != KEYS_OK) return rc;
    rc = keys_sealed_parse_text(s, (const char *)buf, len);
    free(buf);
    return rc;
}

int keys_secret_load(keys_secret **out, const char *path, const char *pass, size_t pass_len)
{
    struct keys_sealed s;
    *out = NULL;
    int rc = read_sealed(path, &s);
    if (rc != KEYS_OK) return rc;
    uint8_t *seed = sodium_malloc(KEYS_SEED_BYTES);
    uint8_t *key = derive_key(&s, pass, pass_len);
    if (seed == NULL || key == NULL) {
        rc = KEYS_ENOMEM;
    } else if (crypto_secretbox_open_easy(seed, s.box, sizeof s.box, s.nonce, key) != 0) {
        rc = KEYS_EPASSPHRASE;
    } else {
        keys_secret *ks = keys_secret_from_seed(seed);
        if (ks == NULL)
            rc = KEYS_ENOMEM;
        else if (sodium_memcmp(ks->pk, s.pk, KEYS_PK_BYTES) != 0)
            rc = KEYS_EDAMAGED, keys_secret_destroy(&ks);
        *out = ks;
    }
    sodium_free(key);
    sodium_free(seed);
    return rc;
}

int keys_secret_read_pk(const char *path, uint8_t pk[KEYS_PK_BYTES])
{
    struct keys_sealed s;
    int rc = read_sealed(path, &s);
    if (rc == KEYS_OK) memcpy(pk, s.pk, KEYS_PK_BYTES);
    return rc;
}
