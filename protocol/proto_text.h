/* proto_text.h - syntax checks for the text fields of warta objects. */
#ifndef WARTA_PROTO_TEXT_H
#define WARTA_PROTO_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Check that p[0..n) is valid UTF-8 (RFC 3629: shortest form, no surrogates, at most U+10FFFF)
 * and holds no control character (C0, DEL, C1), except LF and TAB when multiline is true.
 * Returns PROTO_OK, PROTO_EUTF8 or PROTO_ESYNTAX; *bad_at receives the offending offset.
 */
int proto_text_check(const uint8_t *p, size_t n, bool multiline, size_t *bad_at);

/* A BCP 47 tag in the canonical subset of PROTOCOL.md ("id", "en", "jv", "zh-Hant-TW"). */
bool proto_lang_valid(const uint8_t *p, size_t n);

/* A Kemendagri region code: "" (national), "17", "17.71", "17.71.01" or "17.71.01.1001". */
bool proto_region_valid(const uint8_t *p, size_t n);

/* A verdict label: an upper-case ASCII letter followed by up to 31 of [A-Z_]. */
bool proto_verdict_valid(const uint8_t *p, size_t n);

/* An http:// or https:// address: UTF-8, no space or control character. */
bool proto_url_valid(const uint8_t *p, size_t n);

/* Length of the longest prefix of p[0..n) that ends on a UTF-8 character boundary,
 * at most max bytes; used to shorten text without cutting a character in two. */
size_t proto_utf8_prefix(const uint8_t *p, size_t n, size_t max);

#endif
