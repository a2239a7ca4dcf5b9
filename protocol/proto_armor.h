/* proto_armor.h - the armored text form: BEGIN line, base64 body, END line (PROTOCOL.md §5). */
#ifndef WARTA_PROTO_ARMOR_H
#define WARTA_PROTO_ARMOR_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_ARMOR_BULLETIN "WARTA BULLETIN"
#define PROTO_ARMOR_SECRET_KEY "WARTA SECRET KEY"
#define PROTO_ARMOR_LINE 64 /* base64 characters per body line */

/* Bytes needed to armor len bytes under label, including the final newline and a NUL. */
size_t proto_armor_size(const char *label, size_t len);

/*
 * Write the armored form of in[0..len) to out (cap bytes, at least proto_armor_size()).
 * The text is NUL-terminated; *out_len excludes the NUL. Returns PROTO_OK or PROTO_ETOOBIG.
 */
int proto_armor_encode(const char *label, const uint8_t *in, size_t len, char *out, size_t cap,
                       size_t *out_len);

/*
 * Find the first block armored under label in text[0..text_len) and decode its body into out
 * (cap bytes). Text before the BEGIN line and after the END line is ignored; inside the block,
 * spaces, tabs, CR and LF are ignored. Returns PROTO_OK, PROTO_EARMOR (no block, no END line,
 * bad base64) or PROTO_ETOOBIG (decoded bytes exceed cap).
 */
int proto_armor_decode(const char *label, const char *text, size_t text_len, uint8_t *out,
                       size_t cap, size_t *out_len);

/*
 * Decode every block armored under label in text[0..text_len), in order, into out (cap bytes)
 * and call fn on each; *count receives how many were decoded. Returns PROTO_OK, the first
 * decoding error, or the first non-zero value fn returns.
 */
int proto_armor_each(const char *label, const char *text, size_t text_len, uint8_t *out, size_t cap,
                     int (*fn)(const uint8_t *data, size_t len, void *ctx), void *ctx,
                     size_t *count);

#endif
