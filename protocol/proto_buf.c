/* proto_buf.c - bounded big-endian reader and writer with a sticky error. */
#include "proto_buf.h"

#include <string.h>

#include "proto_error.h"

void proto_writer_init(struct proto_writer *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    w->err = PROTO_OK;
}

void proto_put_bytes(struct proto_writer *w, const void *p, size_t n)
{
    if (w->err != PROTO_OK) return;
    if (n > w->cap - w->len) {
        w->err = PROTO_ETOOBIG;
        return;
    }
    if (n > 0) memcpy(w->buf + w->len, p, n);
    w->len += n;
}

static void be_put(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static uint64_t be_get(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

void proto_be64_put(uint8_t p[8], uint64_t v)
{
    be_put(p, v, 8);
}

uint64_t proto_be64_get(const uint8_t p[8])
{
    return be_get(p, 8);
}

static void put_be(struct proto_writer *w, uint64_t v, size_t n)
{
    uint8_t b[8];
    be_put(b, v, n);
    proto_put_bytes(w, b, n);
}

void proto_put_u8(struct proto_writer *w, uint8_t v)
{
    put_be(w, v, 1);
}

void proto_put_u16(struct proto_writer *w, uint16_t v)
{
    put_be(w, v, 2);
}

void proto_put_u32(struct proto_writer *w, uint32_t v)
{
    put_be(w, v, 4);
}

void proto_put_u64(struct proto_writer *w, uint64_t v)
{
    put_be(w, v, 8);
}

void proto_reader_init(struct proto_reader *r, const uint8_t *buf, size_t len)
{
    r->buf = buf;
    r->len = len;
    r->pos = 0;
    r->err = PROTO_OK;
}

const uint8_t *proto_get_view(struct proto_reader *r, size_t n)
{
    if (r->err != PROTO_OK) return NULL;
    if (n > r->len - r->pos) {
        r->err = PROTO_ETRUNCATED;
        return NULL;
    }
    const uint8_t *p = r->buf + r->pos;
    r->pos += n;
    return p;
}

void proto_get_bytes(struct proto_reader *r, void *out, size_t n)
{
    const uint8_t *p = proto_get_view(r, n);
    if (p == NULL)
        memset(out, 0, n);
    else if (n > 0)
        memcpy(out, p, n);
}

static uint64_t get_be(struct proto_reader *r, size_t n)
{
    const uint8_t *p = proto_get_view(r, n);
    return p == NULL ? 0 : be_get(p, n);
}

uint8_t proto_get_u8(struct proto_reader *r)
{
    return (uint8_t)get_be(r, 1);
}

uint16_t proto_get_u16(struct proto_reader *r)
{
    return (uint16_t)get_be(r, 2);
}

uint32_t proto_get_u32(struct proto_reader *r)
{
    return (uint32_t)get_be(r, 4);
}

uint64_t proto_get_u64(struct proto_reader *r)
{
    return get_be(r, 8);
}

size_t proto_remaining(const struct proto_reader *r)
{
    return r->len - r->pos;
}
