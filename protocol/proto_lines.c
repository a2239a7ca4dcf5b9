/* proto_lines.c - a cursor over line-based text, strict decimals and hex. */
#include "proto_lines.h"

#include <sodium.h>
#include <string.h>

void proto_lines_init(struct proto_lines *c, const char *text, size_t len, struct proto_err *err)
{
    *c = (struct proto_lines){text, text + len, text, err};
}

int proto_lines_fail(struct proto_lines *c, int code, const char *field)
{
    return proto_fail(c->err, code, field, (size_t)(c->p - c->start));
}

const char *proto_lines_next(struct proto_lines *c, size_t *len)
{
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    if (nl == NULL) return NULL;
    const char *s = c->p;
    *len = (size_t)(nl - s);
    c->p = nl + 1;
    return s;
}

const char *proto_lines_field(struct proto_lines *c, const char *word, size_t *len)
{
    size_t w = strlen(word);
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    if (nl == NULL || (size_t)(nl - c->p) <= w + 1 || memcmp(c->p, word, w) != 0 || c->p[w] != ' ')
        return NULL;
    const char *v = c->p + w + 1;
    *len = (size_t)(nl - v);
    c->p = nl + 1;
    return v;
}

bool proto_decimal(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0 || n > 20 || (n > 1 && s[0] == '0')) return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (max - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool proto_hex_lower(const char *s, size_t n, uint8_t *out, size_t out_len)
{
    if (n != 2 * out_len) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return sodium_hex2bin(out, out_len, s, n, NULL, NULL, NULL) == 0;
}
