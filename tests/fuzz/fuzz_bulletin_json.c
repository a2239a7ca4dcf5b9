/* fuzz_bulletin_json.c - the JSON bulletin input of warta sign: never crashes; whatever it
 * accepts and the field rules pass can be encoded. */
#include <jansson.h>
#include <string.h>

#include "fuzz.h"
#include "tool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct proto_bulletin b;
    static uint8_t out[PROTO_BULLETIN_MAX];
    char msg[256];
    uint64_t seq = 0;
    size_t n = 0;
    json_t *obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (obj == NULL) return 0;
    memset(&b, 0, sizeof b);
    if (tool_bulletin_from_json(obj, &b, &seq, msg, sizeof msg) == 0) {
        b.sequence = 1;
        if (b.issued_at == 0) b.issued_at = 1;
        if (proto_bulletin_check(&b, NULL) == PROTO_OK) {
            int rc = proto_bulletin_encode(&b, out, sizeof out, &n, NULL);
            FUZZ_CHECK(rc == PROTO_OK || rc == PROTO_ETOOBIG);
        }
    }
    json_decref(obj);
    return 0;
}
