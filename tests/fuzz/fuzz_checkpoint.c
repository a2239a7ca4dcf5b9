/* fuzz_checkpoint.c - the signed checkpoint parser: never crashes, and what it accepts it
 * writes back byte for byte (one text form per note). */
#include <string.h>

#include "fuzz.h"
#include "proto_checkpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct proto_checkpoint c, again;
    static char text[PROTO_CHECKPOINT_MAX];
    if (proto_checkpoint_parse(&c, (const char *)data, size, NULL) != PROTO_OK) return 0;
    size_t n = proto_checkpoint_format(&c, text, sizeof text);
    FUZZ_CHECK(n == size && memcmp(text, data, size) == 0);
    FUZZ_CHECK(proto_checkpoint_parse(&again, text, n, NULL) == PROTO_OK);
    FUZZ_CHECK(proto_checkpoint_same_tree(&c, &again) && again.n_cosigs == c.n_cosigs);
    return 0;
}
