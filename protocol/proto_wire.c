/* proto_wire.c - encoding and strict decoding of node-to-node messages. */
#include "proto_wire.h"

#include <string.h>

#include "proto_checkpoint.h"
#include "proto_text.h"

static void header(struct proto_writer *w, uint8_t type)
{
    proto_put_u8(w, PROTO_WIRE_VERSION);
    proto_put_u8(w, type);
}

void proto_wire_hello(struct proto_writer *w, const char *name)
{
    size_t n = strlen(name);
    header(w, PROTO_MSG_HELLO);
    proto_put_u32(w, PROTO_WIRE_VERSION);
    proto_put_u8(w, (uint8_t)(n > PROTO_WIRE_MAX_NAME ? PROTO_WIRE_MAX_NAME : n));
    proto_put_bytes(w, name, n > PROTO_WIRE_MAX_NAME ? PROTO_WIRE_MAX_NAME : n);
}

void proto_wire_ids(struct proto_writer *w, uint8_t type, const uint8_t *ids, size_t n)
{
    header(w, type);
    proto_put_u16(w, (uint16_t)n);
    proto_put_bytes(w, ids, n * PROTO_ID_BYTES);
}

void proto_wire_fetch(struct proto_writer *w, const uint8_t issuer[PROTO_KEY_BYTES], uint64_t from,
                      uint32_t max)
{
    header(w, PROTO_MSG_FETCH);
    proto_put_bytes(w, issuer, PROTO_KEY_BYTES);
    proto_put_u64(w, from);
    proto_put_u32(w, max);
}

void proto_wire_checkpoint(struct proto_writer *w, const char *note, size_t len)
{
    header(w, PROTO_MSG_CHECKPOINT);
    proto_put_bytes(w, note, len);
}

void proto_wire_checkpoint_at(struct proto_writer *w, uint64_t size)
{
    header(w, PROTO_MSG_CHECKPOINT_AT);
    proto_put_u64(w, size);
}

void proto_wire_state(struct proto_writer *w, const uint8_t *entries, size_t n)
{
    header(w, PROTO_MSG_STATE);
    proto_put_u32(w, (uint32_t)n);
    proto_put_bytes(w, entries, n * PROTO_STATE_ENTRY);
}

const uint8_t *proto_state_issuer(const uint8_t *entries, size_t i)
{
    return entries + i * PROTO_STATE_ENTRY;
}

uint64_t proto_state_head(const uint8_t *entries, size_t i)
{
    return proto_be64_get(entries + i * PROTO_STATE_ENTRY + PROTO_KEY_BYTES);
}

void proto_state_set(uint8_t *entries, size_t i, const uint8_t issuer[PROTO_KEY_BYTES],
                     uint64_t head)
{
    memcpy(entries + i * PROTO_STATE_ENTRY, issuer, PROTO_KEY_BYTES);
    proto_be64_put(entries + i * PROTO_STATE_ENTRY + PROTO_KEY_BYTES, head);
}

void proto_wire_bulletins_begin(struct proto_writer *w, uint16_t count)
{
    header(w, PROTO_MSG_BULLETINS);
    proto_put_u16(w, count);
}

void proto_wire_bulletins_add(struct proto_writer *w, const uint8_t *b, size_t len)
{
    proto_put_u32(w, (uint32_t)len);
    proto_put_bytes(w, b, len);
}

/* An array of n fixed-size items that must fill the rest of the message. */
static int get_array(struct proto_reader *r, struct proto_msg *m, size_t n, size_t size, size_t min,
                     size_t max)
{
    if (r->err != PROTO_OK) return r->err;
    if (n < min || n > max) return PROTO_ERANGE;
    if (proto_remaining(r) != n * size)
        return proto_remaining(r) < n * size ? PROTO_ETRUNCATED : PROTO_ETRAILING;
    m->n = n;
    m->items_len = n * size;
    m->items = proto_get_view(r, m->items_len);
    return PROTO_OK;
}

static int decode_state(struct proto_reader *r, struct proto_msg *m)
{
    int rc = get_array(r, m, proto_get_u32(r), PROTO_STATE_ENTRY, 0, PROTO_WIRE_MAX_ISSUERS);
    for (size_t i = 1; rc == PROTO_OK && i < m->n; i++)
        if (memcmp(m->items + (i - 1) * PROTO_STATE_ENTRY, m->items + i * PROTO_STATE_ENTRY,
                   PROTO_KEY_BYTES) >= 0)
            rc = PROTO_ESYNTAX; /* not strictly ascending */
    return rc;
}

static int decode_bulletins(struct proto_reader *r, struct proto_msg *m)
{
    m->n = proto_get_u16(r);
    if (r->err != PROTO_OK) return r->err;
    if (m->n < 1 || m->n > PROTO_WIRE_MAX_BATCH) return PROTO_ERANGE;
    size_t start = r->pos;
    for (size_t i = 0; i < m->n; i++) {
        uint32_t len = proto_get_u32(r);
        if (r->err == PROTO_OK && (len == 0 || len > PROTO_BULLETIN_MAX)) return PROTO_ETOOBIG;
        proto_get_view(r, len);
        if (r->err != PROTO_OK) return r->err;
    }
    if (proto_remaining(r) != 0) return PROTO_ETRAILING;
    m->items = r->buf + start;
    m->items_len = r->pos - start;
    return PROTO_OK;
}

static int decode_hello(struct proto_reader *r, struct proto_msg *m)
{
    m->protocol = proto_get_u32(r);
    m->name.n = proto_get_u8(r);
    m->name.p = proto_get_view(r, m->name.n);
    if (r->err != PROTO_OK) return r->err;
    if (m->name.n > PROTO_WIRE_MAX_NAME) return PROTO_ETOOBIG;
    if (proto_remaining(r) != 0) return PROTO_ETRAILING;
    return proto_text_check(m->name.p, m->name.n, false, NULL);
}

int proto_wire_decode(struct proto_msg *m, const uint8_t *in, size_t len)
{
    struct proto_reader r;
    memset(m, 0, sizeof *m);
    if (len > PROTO_WIRE_MAX) return PROTO_ETOOBIG;
    proto_reader_init(&r, in, len);
    uint8_t version = proto_get_u8(&r);
    m->type = proto_get_u8(&r);
    if (r.err != PROTO_OK) return r.err;
    if (version != PROTO_WIRE_VERSION) return PROTO_EVERSION;
    switch (m->type) {
    case PROTO_MSG_HELLO:
        return decode_hello(&r, m);
    case PROTO_MSG_STATE:
        return decode_state(&r, m);
    case PROTO_MSG_IHAVE:
    case PROTO_MSG_IWANT:
        return get_array(&r, m, proto_get_u16(&r), PROTO_ID_BYTES, 1, PROTO_WIRE_MAX_IDS);
    case PROTO_MSG_BULLETINS:
        return decode_bulletins(&r, m);
    case PROTO_MSG_FETCH:
        proto_get_bytes(&r, m->issuer, PROTO_KEY_BYTES);
        m->from = proto_get_u64(&r);
        m->max = proto_get_u32(&r);
        if (r.err != PROTO_OK) return r.err;
        if (m->from == 0 || m->max == 0 || m->max > PROTO_WIRE_MAX_BATCH) return PROTO_ERANGE;
        return proto_remaining(&r) == 0 ? PROTO_OK : PROTO_ETRAILING;
    case PROTO_MSG_CHECKPOINT:
        m->items_len = proto_remaining(&r);
        if (m->items_len == 0) return PROTO_ETRUNCATED;
        if (m->items_len > PROTO_CHECKPOINT_MAX) return PROTO_ETOOBIG;
        m->items = proto_get_view(&r, m->items_len);
        return r.err;
    case PROTO_MSG_CHECKPOINT_AT:
        m->from = proto_get_u64(&r);
        if (r.err != PROTO_OK) return r.err;
        return proto_remaining(&r) == 0 ? PROTO_OK : PROTO_ETRAILING;
    }
    return PROTO_EKIND;
}

int proto_wire_next_bulletin(const struct proto_msg *m, size_t *pos, const uint8_t **p, size_t *n)
{
    if (*pos + 4 > m->items_len) return -1;
    const uint8_t *q = m->items + *pos;
    size_t len = ((size_t)q[0] << 24) | ((size_t)q[1] << 16) | ((size_t)q[2] << 8) | q[3];
    if (len > m->items_len - *pos - 4) return -1;
    *p = q + 4;
    *n = len;
    *pos += 4 + len;
    return 0;
}
