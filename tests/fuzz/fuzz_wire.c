/* fuzz_wire.c - the node-to-node message decoder: never crashes; every bulletin frame it
 * yields lies inside the input; re-encoding an accepted message gives back its bytes. */
#include <string.h>

#include "fuzz.h"
#include "proto_wire.h"

static uint8_t out[PROTO_WIRE_MAX];

static void check_roundtrip(const struct proto_msg *m, const uint8_t *data, size_t size)
{
    struct proto_writer w;
    proto_writer_init(&w, out, sizeof out);
    switch (m->type) {
    case PROTO_MSG_STATE:
        proto_wire_state(&w, m->items, m->n);
        break;
    case PROTO_MSG_IHAVE:
    case PROTO_MSG_IWANT:
        proto_wire_ids(&w, m->type, m->items, m->n);
        break;
    case PROTO_MSG_FETCH:
        proto_wire_fetch(&w, m->issuer, m->from, m->max);
        break;
    case PROTO_MSG_CHECKPOINT:
        FUZZ_CHECK(m->items >= data && m->items + m->items_len == data + size);
        proto_wire_checkpoint(&w, (const char *)m->items, m->items_len);
        break;
    case PROTO_MSG_CHECKPOINT_AT:
        proto_wire_checkpoint_at(&w, m->from);
        break;
    default:
        return;
    }
    FUZZ_CHECK(w.err == PROTO_OK && w.len == size && memcmp(out, data, size) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct proto_msg m;
    if (proto_wire_decode(&m, data, size) != PROTO_OK) return 0;
    check_roundtrip(&m, data, size);
    if (m.type == PROTO_MSG_BULLETINS) {
        size_t pos = 0, count = 0, n;
        const uint8_t *p;
        while (proto_wire_next_bulletin(&m, &pos, &p, &n) == 0) {
            FUZZ_CHECK(p >= data && p + n <= data + size);
            count++;
        }
        FUZZ_CHECK(count == m.n);
    }
    return 0;
}
