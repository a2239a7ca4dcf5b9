/* fuzz_keyfile.c - the secret key file parser (armor and sealed layout, before any KDF). */
#include "fuzz.h"
#include "keys_error.h"
#include "keys_secret.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct keys_sealed s;
    if (keys_sealed_parse_text(&s, (const char *)data, size) == KEYS_OK) {
        FUZZ_CHECK(s.opslimit >= 1 && s.memlimit >= 8192);
    }
    (void)keys_sealed_parse(&s, data, size);
    return 0;
}
