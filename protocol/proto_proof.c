/* proto_proof.c - inclusion, consistency and conflict files: header line, fields, then the
 * checkpoints each behind its byte length. */
#include "proto_proof.h"

#include "proto_lines.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const headers[] = {
    [PROTO_PROOF_INCLUSION] = "warta inclusion proof",
    [PROTO_PROOF_CONSISTENCY] = "warta consistency proof",
    [PROTO_PROOF_CONFLICT] = "warta checkpoint conflict",
};

static size_t n_checkpoints(int kind)
{
    return kind == PROTO_PROOF_INCLUSION ? 1 : 2;
}

/* Append printf output at *at; false when it does not fit. */
static bool put(char *out, size_t cap, size_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool put(char *out, size_t cap, size_t *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + *at, cap - *at, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap - *at) return false;
    *at += (size_t)n;
    return true;
}

size_t proto_proof_format(const struct proto_proof *p, char *out, size_t cap)
{
    char hex[65];
    size_t at = 0;
    if (p->kind < PROTO_PROOF_INCLUSION || p->kind > PROTO_PROOF_CONFLICT || cap == 0) return 0;
    if (!put(out, cap, &at, "%s\n", headers[p->kind])) return 0;
    if (p->kind == PROTO_PROOF_INCLUSION) {
        sodium_bin2hex(hex, sizeof hex, p->id, 32);
        if (!put(out, cap, &at, "id %s\nindex %llu\n", hex, (unsigned long long)p->index)) return 0;
    }
    for (size_t i = 0; i < p->n_hashes && p->kind != PROTO_PROOF_CONFLICT; i++) {
        sodium_bin2hex(hex, sizeof hex, p->hashes[i], 32);
        if (!put(out, cap, &at, "hash %s\n", hex)) return 0;
    }
    /* Each note is formatted in place, behind room for its "checkpoint N" line, then moved up
     * against that line once its length is known. */
    enum { LINE = sizeof "checkpoint 18446744073709551615\n" };
    for (size_t i = 0; i < n_checkpoints(p->kind); i++) {
        if (cap - at <= LINE) return 0;
        char *note = out + at + LINE;
        size_t n = proto_checkpoint_format(&p->cps[i], note, cap - at - LINE);
        if (n == 0) return 0;
        int head = snprintf(hex, sizeof hex, "checkpoint %zu\n", n);
        memcpy(out + at, hex, (size_t)head);
        memmove(out + at + head, note, n);
        at += (size_t)head + n;
        if (at >= cap) return 0;
    }
    out[at] = 0;
    return at;
}

int proto_proof_parse(struct proto_proof *p, const char *text, size_t len, struct proto_err *err)
{
    struct proto_lines c;
    proto_lines_init(&c, text, len, err);
    const char *v;
    size_t n;
    uint64_t u;
    memset(p, 0, sizeof *p);
    if (len > PROTO_PROOF_MAX) return proto_lines_fail(&c, PROTO_ETOOBIG, "proof");
    const char *nl = memchr(text, '\n', len);
    for (int k = PROTO_PROOF_INCLUSION; nl && k <= PROTO_PROOF_CONFLICT; k++)
        if ((size_t)(nl - text) == strlen(headers[k]) && memcmp(text, headers[k], nl - text) == 0)
            p->kind = k;
    if (p->kind == 0) return proto_lines_fail(&c, PROTO_EMAGIC, "header");
    c.p = nl + 1;
    if (p->kind == PROTO_PROOF_INCLUSION) {
        if ((v = proto_lines_field(&c, "id", &n)) == NULL || !proto_hex_lower(v, n, p->id, 32))
            return proto_lines_fail(&c, PROTO_ESYNTAX, "id");
        if ((v = proto_lines_field(&c, "index", &n)) == NULL ||
            !proto_decimal(v, n, UINT64_MAX >> 1, &p->index))
            return proto_lines_fail(&c, PROTO_ESYNTAX, "index");
    }
    while (p->kind != PROTO_PROOF_CONFLICT && (v = proto_lines_field(&c, "hash", &n)) != NULL) {
        if (p->n_hashes == PROTO_MERKLE_MAX_PROOF)
            return proto_lines_fail(&c, PROTO_ETOOBIG, "hash");
        if (!proto_hex_lower(v, n, p->hashes[p->n_hashes++], 32))
            return proto_lines_fail(&c, PROTO_ESYNTAX, "hash");
    }
    for (size_t i = 0; i < n_checkpoints(p->kind); i++) {
        if ((v = proto_lines_field(&c, "checkpoint", &n)) == NULL ||
            !proto_decimal(v, n, PROTO_CHECKPOINT_MAX, &u))
            return proto_lines_fail(&c, PROTO_ESYNTAX, "checkpoint length");
        if ((uint64_t)(c.end - c.p) < u)
            return proto_lines_fail(&c, PROTO_ETRUNCATED, "checkpoint");
        struct proto_err cerr = {0};
        int rc = proto_checkpoint_parse(&p->cps[i], c.p, (size_t)u, &cerr);
        if (rc != PROTO_OK) {
            c.p += cerr.offset;
            return proto_lines_fail(&c, rc, cerr.field ? cerr.field : "checkpoint");
        }
        c.p += u;
    }
    return c.p == c.end ? PROTO_OK : proto_lines_fail(&c, PROTO_ETRAILING, "proof");
}

int proto_proof_check(const struct proto_proof *p, struct proto_err *err)
{
    const struct proto_checkpoint *a = &p->cps[0], *b = &p->cps[1];
    proto_hash leaf;
    switch (p->kind) {
    case PROTO_PROOF_INCLUSION:
        proto_merkle_leaf(p->id, 32, leaf);
        if (proto_merkle_verify_inclusion(leaf, p->index, a->size, p->hashes, p->n_hashes, a->root))
            return PROTO_OK;
        return proto_fail(err, PROTO_ESIGNATURE, "inclusion proof", 0);
    case PROTO_PROOF_CONSISTENCY:
        if (memcmp(a->key, b->key, 32) != 0)
            return proto_fail(err, PROTO_ESIGNATURE, "checkpoints of two nodes", 0);
        if (a->size == 0 && p->n_hashes == 0) return PROTO_OK; /* all trees extend the empty one */
        if (proto_merkle_verify_consistency(a->size, b->size, a->root, b->root, p->hashes,
                                            p->n_hashes))
            return PROTO_OK;
        return proto_fail(err, PROTO_ESIGNATURE, "consistency proof", 0);
    case PROTO_PROOF_CONFLICT:
        if (proto_checkpoint_conflict(a, b)) return PROTO_OK;
        return proto_fail(err, PROTO_ESIGNATURE, "no conflict", 0);
    }
    return proto_fail(err, PROTO_EMAGIC, "header", 0);
}
