/* proto_pubkey.c - the text form and spoken fingerprint of a public key. */
#include "proto_pubkey.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define CHECK_BYTES 4

static void domain_hash(const char *domain, const uint8_t pk[PROTO_KEY_BYTES], uint8_t out[32])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, (const uint8_t *)domain, strlen(domain));
    crypto_generichash_update(&st, pk, PROTO_KEY_BYTES);
    crypto_generichash_final(&st, out, 32);
}

void proto_pubkey_format(const uint8_t pk[PROTO_KEY_BYTES], char out[PROTO_PUBKEY_TEXT_LEN + 1])
{
    uint8_t raw[PROTO_KEY_BYTES + CHECK_BYTES], h[32];
    domain_hash("warta/pubkey/v1", pk, h);
    memcpy(raw, pk, PROTO_KEY_BYTES);
    memcpy(raw + PROTO_KEY_BYTES, h, CHECK_BYTES);
    memcpy(out, PROTO_PUBKEY_PREFIX, 4);
    sodium_bin2base64(out + 4, PROTO_PUBKEY_TEXT_LEN - 3, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int proto_pubkey_parse(const char *text, size_t len, uint8_t pk[PROTO_KEY_BYTES])
{
    uint8_t raw[PROTO_KEY_BYTES + CHECK_BYTES], h[32];
    size_t n = 0;
    const char *end = NULL;
    if (len != PROTO_PUBKEY_TEXT_LEN || memcmp(text, PROTO_PUBKEY_PREFIX, 4) != 0)
        return PROTO_ESYNTAX;
    if (sodium_base642bin(raw, sizeof raw, text + 4, len - 4, NULL, &n, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        n != sizeof raw || end != text + len)
        return PROTO_ESYNTAX;
    domain_hash("warta/pubkey/v1", raw, h);
    if (sodium_memcmp(h, raw + PROTO_KEY_BYTES, CHECK_BYTES) != 0) return PROTO_ECHECKSUM;
    memcpy(pk, raw, PROTO_KEY_BYTES);
    return PROTO_OK;
}

void proto_pubkey_fingerprint(const uint8_t pk[PROTO_KEY_BYTES],
                              char out[PROTO_FINGERPRINT_LEN + 1])
{
    uint8_t h[32];
    domain_hash("warta/fingerprint/v1", pk, h);
    for (int g = 0; g < 5; g++) {
        const uint8_t *p = h + 4 * g;
        uint32_t v = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
        snprintf(out + 6 * g, 7, g < 4 ? "%05u " : "%05u", (unsigned)(v % 100000u));
    }
}
