/* proto_lines.h - reading the line-based text formats (checkpoint notes §20, proof files §22):
 * a cursor over the text, and the strict forms of their numbers. */
#ifndef WARTA_PROTO_LINES_H
#define WARTA_PROTO_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_error.h"

struct proto_lines {
    const char *p, *end, *start;
    struct proto_err *err;
};

void proto_lines_init(struct proto_lines *c, const char *text, size_t len, struct proto_err *err);
/* Record a failure at the cursor in c->err; returns code. */
int proto_lines_fail(struct proto_lines *c, int code, const char *field);
/* The line at the cursor without its "\n" (length in *len); the cursor moves past it. NULL when
 * no "\n" is left. */
const char *proto_lines_next(struct proto_lines *c, size_t *len);
/* If the next line is "<word> <value>", the value (length in *len) and the cursor moves past;
 * else NULL and the cursor stays. */
const char *proto_lines_field(struct proto_lines *c, const char *word, size_t *len);
/* A decimal number of s[0..n): digits only, no leading zero, at most max. */
bool proto_decimal(const char *s, size_t n, uint64_t max, uint64_t *out);
/* Exactly 2 * out_len lowercase hex digits into out. */
bool proto_hex_lower(const char *s, size_t n, uint8_t *out, size_t out_len);

#endif
