/* fuzz_proof.c - the proof and conflict file parser: never crashes, writes back what it
 * accepts byte for byte, and checking a parsed file never crashes either. */
#include <string.h>

#include "fuzz.h"
#include "proto_proof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct proto_proof p;
    static char text[PROTO_PROOF_MAX];
    if (proto_proof_parse(&p, (const char *)data, size, NULL) != PROTO_OK) return 0;
    size_t n = proto_proof_format(&p, text, sizeof text);
    FUZZ_CHECK(n == size && memcmp(text, data, size) == 0);
    (void)proto_proof_check(&p, NULL);
    return 0;
}
