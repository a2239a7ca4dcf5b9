/* fuzz_pubkey.c - the public key text parser: never crashes; accepts only the one text form. */
#include <string.h>

#include "fuzz.h"
#include "proto_pubkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t pk[PROTO_KEY_BYTES];
    char text[PROTO_PUBKEY_TEXT_LEN + 1];
    if (proto_pubkey_parse((const char *)data, size, pk) != PROTO_OK) return 0;
    proto_pubkey_format(pk, text);
    FUZZ_CHECK(size == PROTO_PUBKEY_TEXT_LEN && memcmp(text, data, size) == 0);
    return 0;
}
