/* proto_armor.c - the armored text form of warta objects. */
#include "proto_armor.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "proto_error.h"

#define DASHES "-----"

size_t proto_armor_size(const char *label, size_t len)
{
    size_t b64 = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    size_t lines = b64 / PROTO_ARMOR_LINE + 1;
    return 2 * (strlen(label) + 20) + b64 + lines + 1;
}

int proto_armor_encode(const char *label, const uint8_t *in, size_t len, char *out, size_t cap,
                       size_t *out_len)
{
    size_t b64_cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    if (cap < proto_armor_size(label, len)) return PROTO_ETOOBIG;
    int n = snprintf(out, cap, DASHES "BEGIN %s" DASHES "\n", label);
    if (n < 0 || (size_t)n >= cap) return PROTO_ETOOBIG;
    size_t pos = (size_t)n;
    /* Encode in place at the tail of out, then move each line into position. */
    char *b64 = out + cap - b64_cap;
    sodium_bin2base64(b64, b64_cap, in, len, sodium_base64_VARIANT_ORIGINAL);
    size_t b64_len = b64_cap - 1;
    for (size_t i = 0; i < b64_len; i += PROTO_ARMOR_LINE) {
        size_t k = b64_len - i < PROTO_ARMOR_LINE ? b64_len - i : PROTO_ARMOR_LINE;
        memmove(out + pos, b64 + i, k);
        pos += k;
        out[pos++] = '\n';
    }
    n = snprintf(out + pos, cap - pos, DASHES "END %s" DASHES "\n", label);
    if (n < 0 || (size_t)n >= cap - pos) return PROTO_ETOOBIG;
    *out_len = pos + (size_t)n;
    return PROTO_OK;
}

/* Find line at the start of a line in text[from..len); returns its offset or len. */
static size_t find_line(const char *text, size_t len, size_t from, const char *line)
{
    size_t n = strlen(line);
    for (size_t i = from; i + n <= len; i++) {
        if (i > 0 && text[i - 1] != '\n') continue;
        if (memcmp(text + i, line, n) != 0) continue;
        size_t j = i + n;
        while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
            j++;
        if (j == len || text[j] == '\n') return i;
    }
    return len;
}

int proto_armor_decode(const char *label, const char *text, size_t text_len, uint8_t *out,
                       size_t cap, size_t *out_len)
{
    char begin[64], end[64];
    int nb = snprintf(begin, sizeof begin, DASHES "BEGIN %s" DASHES, label);
    int ne = snprintf(end, sizeof end, DASHES "END %s" DASHES, label);
    if (nb < 0 || (size_t)nb >= sizeof begin || ne < 0 || (size_t)ne >= sizeof end)
        return PROTO_EARMOR;
    size_t b = find_line(text, text_len, 0, begin);
    if (b == text_len) return PROTO_EARMOR;
    const char *body = memchr(text + b, '\n', text_len - b);
    if (body == NULL) return PROTO_EARMOR;
    body++;
    size_t body_off = (size_t)(body - text);
    size_t e = find_line(text, text_len, body_off, end);
    if (e == text_len) return PROTO_EARMOR;
    const char *stop = NULL;
    errno = 0; /* libsodium sets ERANGE only when out is too small */
    if (sodium_base642bin(out, cap, body, e - body_off, " \t\r\n", out_len, &stop,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return errno == ERANGE ? PROTO_ETOOBIG : PROTO_EARMOR;
    /* libsodium stops before trailing whitespace; only whitespace may remain. */
    for (const char *p = stop; p < text + e; p++)
        if (*p == '\0' || strchr(" \t\r\n", *p) == NULL) return PROTO_EARMOR;
    return PROTO_OK;
}

int proto_armor_each(const char *label, const char *text, size_t text_len, uint8_t *out, size_t cap,
                     int (*fn)(const uint8_t *data, size_t len, void *ctx), void *ctx,
                     size_t *count)
{
    char begin[64], end[64];
    int nb = snprintf(begin, sizeof begin, DASHES "BEGIN %s" DASHES, label);
    int ne = snprintf(end, sizeof end, DASHES "END %s" DASHES, label);
    if (nb < 0 || (size_t)nb >= sizeof begin || ne < 0 || (size_t)ne >= sizeof end)
        return PROTO_EARMOR;
    *count = 0;
    for (size_t at = find_line(text, text_len, 0, begin); at < text_len;
         at = find_line(text, text_len, at, begin)) {
        size_t len = 0, e = find_line(text, text_len, at, end);
        int rc = proto_armor_decode(label, text + at, text_len - at, out, cap, &len);
        if (rc != PROTO_OK) return rc;
        ++*count;
        if ((rc = fn(out, len, ctx)) != 0) return rc;
        at = e + (size_t)ne;
    }
    return PROTO_OK;
}
