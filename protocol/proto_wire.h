/* proto_wire.h - the messages nodes exchange over ZeroMQ (docs/PROTOCOL.md §13). */
#ifndef WARTA_PROTO_WIRE_H
#define WARTA_PROTO_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "proto_buf.h"
#include "proto_bulletin.h"

#define PROTO_WIRE_VERSION 1
#define PROTO_WIRE_MAX (4u << 20)    /* largest message a node accepts (ZMQ_MAXMSGSIZE) */
#define PROTO_WIRE_MAX_IDS 1024      /* ids in one IHAVE or IWANT */
#define PROTO_WIRE_MAX_BATCH 4096    /* bulletins in one BULLETINS, and FETCH's max */
#define PROTO_WIRE_MAX_ISSUERS 65536 /* entries in one STATE */
#define PROTO_WIRE_MAX_NAME 64
#define PROTO_STATE_ENTRY 40 /* issuer (32) + head sequence (8) */

enum proto_msg_type {
    PROTO_MSG_HELLO = 1,     /* who I am */
    PROTO_MSG_STATE = 2,     /* per-issuer head sequence numbers (anti-entropy) */
    PROTO_MSG_IHAVE = 3,     /* ids of bulletins I have newly accepted */
    PROTO_MSG_IWANT = 4,     /* send me these bulletins */
    PROTO_MSG_BULLETINS = 5, /* signed bulletins */
    PROTO_MSG_FETCH = 6,     /* send me issuer's bulletins from sequence `from` on */
    PROTO_MSG_CHECKPOINT = 7, /* a signed checkpoint note of some node's log (§20, §21) */
    PROTO_MSG_CHECKPOINT_AT = 8, /* sign and send me your log's checkpoint at size `from` */
};

/*
 * A decoded message. Arrays are views into the decoded input, which must outlive it:
 * STATE has n entries of PROTO_STATE_ENTRY bytes at items; IHAVE/IWANT n ids of 32 bytes;
 * BULLETINS n length-prefixed bulletins at items (walk them with proto_wire_next_bulletin);
 * CHECKPOINT the note's text at items, items_len bytes (parse it with proto_checkpoint_parse).
 */
struct proto_msg {
    uint8_t type;
    uint32_t protocol;     /* HELLO */
    struct proto_str name; /* HELLO */
    size_t n;
    const uint8_t *items;
    size_t items_len;
    uint8_t issuer[PROTO_KEY_BYTES]; /* FETCH */
    uint64_t from;                   /* FETCH; CHECKPOINT_AT: the tree size */
    uint32_t max;                    /* FETCH */
};

/*
 * Decode one message, checking every length and count exactly (bulletins inside BULLETINS are
 * only framed here; decode them with proto_bulletin_decode). STATE entries must be in strictly
 * ascending issuer order. Returns PROTO_OK or a negative status.
 */
int proto_wire_decode(struct proto_msg *m, const uint8_t *in, size_t len);

/* Walk the bulletins of a decoded BULLETINS message: *pos starts at 0; returns 0 and sets
 * *p, *n for each, -1 at the end. */
int proto_wire_next_bulletin(const struct proto_msg *m, size_t *pos, const uint8_t **p, size_t *n);

/* Encoders write one whole message with w (check w->err afterwards). */
void proto_wire_hello(struct proto_writer *w, const char *name);
void proto_wire_ids(struct proto_writer *w, uint8_t type, const uint8_t *ids, size_t n);
void proto_wire_fetch(struct proto_writer *w, const uint8_t issuer[PROTO_KEY_BYTES], uint64_t from,
                      uint32_t max);
/* STATE: entries must already be sorted by issuer (n x PROTO_STATE_ENTRY bytes). */
void proto_wire_state(struct proto_writer *w, const uint8_t *entries, size_t n);
/* Entry i of a STATE's items: the issuer (32 bytes at the returned pointer) and its head. */
const uint8_t *proto_state_issuer(const uint8_t *entries, size_t i);
uint64_t proto_state_head(const uint8_t *entries, size_t i);
/* Set entry i of a STATE's items. */
void proto_state_set(uint8_t *entries, size_t i, const uint8_t issuer[PROTO_KEY_BYTES],
                     uint64_t head);
/* CHECKPOINT: one note's text (at most PROTO_CHECKPOINT_MAX bytes). */
void proto_wire_checkpoint(struct proto_writer *w, const char *note, size_t len);
void proto_wire_checkpoint_at(struct proto_writer *w, uint64_t size);
/* BULLETINS: begin with the count, then add each bulletin. */
void proto_wire_bulletins_begin(struct proto_writer *w, uint16_t count);
void proto_wire_bulletins_add(struct proto_writer *w, const uint8_t *b, size_t len);

#endif
