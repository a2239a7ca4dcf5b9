/* fuzz_roster.c - the roster record decoder (bulletin kinds 4-8, and drafts: a kind byte then
 * the record body): never crashes, accepts only canonical bytes (re-encoding gives back the
 * input), and the co-signature checks run on whatever it accepted. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "proto_roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct proto_roster r;
    static uint8_t out[PROTO_BULLETIN_MAX];
    size_t n = 0;
    if (size < 1) return 0;
    if (proto_roster_decode(&r, data[0], data + 1, size - 1, NULL) != PROTO_OK) return 0;
    FUZZ_CHECK(proto_roster_encode(&r, out, sizeof out, &n, NULL) == PROTO_OK);
    FUZZ_CHECK(n == size - 1 && memcmp(out, data + 1, n) == 0);
    for (size_t i = 0; i < r.n_sigs; i++)
        (void)proto_roster_cosig_valid(&r, i);
    uint8_t h[PROTO_ID_BYTES];
    FUZZ_CHECK(r.kind != PROTO_KIND_ROOT || proto_roster_root_hash(&r, h) == PROTO_OK);
    return 0;
}
