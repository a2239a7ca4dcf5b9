/* proto_buf.h - bounded big-endian reader and writer with a sticky error. */
#ifndef WARTA_PROTO_BUF_H
#define WARTA_PROTO_BUF_H

#include <stddef.h>
#include <stdint.h>

/*
 * A writer appends to a caller-supplied buffer. Once a write would overflow, the writer
 * records PROTO_ETOOBIG and ignores every later write; check w->err once at the end.
 */
struct proto_writer {
    uint8_t *buf;
    size_t cap;
    size_t len;
    int err;
};

/*
 * A reader consumes a caller-supplied buffer. A read past the end records PROTO_ETRUNCATED,
 * yields zeros, and every later read fails too; check r->err after each field that matters.
 */
struct proto_reader {
    const uint8_t *buf;
    size_t len;
    size_t pos;
    int err;
};

void proto_writer_init(struct proto_writer *w, uint8_t *buf, size_t cap);
void proto_put_u8(struct proto_writer *w, uint8_t v);
void proto_put_u16(struct proto_writer *w, uint16_t v);
void proto_put_u32(struct proto_writer *w, uint32_t v);
void proto_put_u64(struct proto_writer *w, uint64_t v);
void proto_put_bytes(struct proto_writer *w, const void *p, size_t n);

void proto_reader_init(struct proto_reader *r, const uint8_t *buf, size_t len);
uint8_t proto_get_u8(struct proto_reader *r);
uint16_t proto_get_u16(struct proto_reader *r);
uint32_t proto_get_u32(struct proto_reader *r);
uint64_t proto_get_u64(struct proto_reader *r);
/* Copy n bytes into out (zeros on failure). */
void proto_get_bytes(struct proto_reader *r, void *out, size_t n);
/* Return a pointer to the next n bytes inside the input and skip them, or NULL on failure. */
const uint8_t *proto_get_view(struct proto_reader *r, size_t n);
/* Bytes not yet read. */
size_t proto_remaining(const struct proto_reader *r);

/* A u64 at a fixed place, big-endian: the 8 bytes at p (store keys, STATE entries). */
void proto_be64_put(uint8_t p[8], uint64_t v);
uint64_t proto_be64_get(const uint8_t p[8]);

#endif
