/* fuzz_armor.c - the armor parser: never crashes; what it accepts re-armors to the same bytes. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "proto_armor.h"
#include "proto_error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[70000], again[70000];
    static char text[100000];
    size_t n = 0, m = 0, t = 0;
    if (proto_armor_decode(PROTO_ARMOR_BULLETIN, (const char *)data, size, out, sizeof out, &n) !=
        PROTO_OK)
        return 0;
    FUZZ_CHECK(n <= size);
    FUZZ_CHECK(proto_armor_encode(PROTO_ARMOR_BULLETIN, out, n, text, sizeof text, &t) == PROTO_OK);
    FUZZ_CHECK(proto_armor_decode(PROTO_ARMOR_BULLETIN, text, t, again, sizeof again, &m) ==
               PROTO_OK);
    FUZZ_CHECK(m == n && memcmp(out, again, n) == 0);
    return 0;
}
