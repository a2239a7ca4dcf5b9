/* fuzz_bulletin.c - the bulletin decoder: never crashes, and accepts only canonical bytes
 * (re-encoding what it accepted gives back the input exactly). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "proto_bulletin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct proto_bulletin b;
    static uint8_t out[PROTO_BULLETIN_MAX];
    size_t n = 0;
    if (proto_bulletin_decode(&b, data, size, NULL) != PROTO_OK) return 0;
    FUZZ_CHECK(proto_bulletin_encode(&b, out, sizeof out, &n, NULL) == PROTO_OK);
    FUZZ_CHECK(n == size && memcmp(out, data, n) == 0);
    int verified = proto_bulletin_verify(&b, data, size);
    (void)verified;
    return 0;
}
