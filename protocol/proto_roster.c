/* proto_roster.c - canonical encoding, decoding and co-signatures of roster records. */
#include "proto_roster.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "proto_buf.h"
#include "proto_text.h"

const uint8_t proto_roster_domain[16] = "warta/roster/v1"; /* 15 characters and a NUL */

static const char *const role_names[] = {NULL,      "ministry", "province",
                                         "regency", "platform", "auditor"};
#define ROLE_MAX 5

bool proto_kind_is_roster(uint8_t kind)
{
    return kind >= PROTO_KIND_ROOT && kind <= PROTO_KIND_CHAIN_END;
}

const char *proto_role_name(uint8_t role)
{
    return role >= 1 && role <= ROLE_MAX ? role_names[role] : NULL;
}

uint8_t proto_role_from_name(const char *name)
{
    for (uint8_t k = 1; k <= ROLE_MAX; k++)
        if (strcmp(name, role_names[k]) == 0) return k;
    return 0;
}

/* Byte-wise order of two strings, shorter first on a common prefix. */
static int str_cmp(struct proto_str a, struct proto_str b)
{
    size_t n = a.n < b.n ? a.n : b.n;
    int c = n ? memcmp(a.p, b.p, n) : 0;
    return c ? c : (a.n > b.n) - (a.n < b.n);
}

static bool office_valid(struct proto_str s)
{
    if (s.n < 1 || s.n > PROTO_MAX_OFFICE) return false;
    for (size_t i = 0; i < s.n; i++) {
        uint8_t c = s.p[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '-'))) return false;
    }
    return true;
}

bool proto_region_within(struct proto_str region, struct proto_str scope)
{
    if (scope.n == 0) return true; /* national */
    if (region.n < scope.n || memcmp(region.p, scope.p, scope.n) != 0) return false;
    return region.n == scope.n || region.p[scope.n] == '.';
}

static bool time_valid(uint64_t t)
{
    return t >= 1 && t <= PROTO_TIME_MAX;
}

/* Every rule of the statement; the offsets reported are into the body when decoding. */
static int check_statement(const struct proto_roster *r, struct proto_err *err)
{
    size_t bad = 0;
    if (!proto_kind_is_roster(r->kind)) return proto_fail(err, PROTO_EKIND, "kind", 0);
    bool genesis = r->kind == PROTO_KIND_ROOT && r->version == 1;
    if (proto_is_zero(r->network, PROTO_ID_BYTES) != genesis)
        return proto_fail(err, PROTO_ERANGE, "network", 0);
    switch (r->kind) {
    case PROTO_KIND_ROOT:
        if (r->version == 0) return proto_fail(err, PROTO_ERANGE, "version", 64);
        if (proto_is_zero(r->previous, PROTO_ID_BYTES) != genesis)
            return proto_fail(err, PROTO_ECHAIN, "previous", 32);
        if (!time_valid(r->valid_from)) return proto_fail(err, PROTO_ERANGE, "valid_from", 72);
        if (r->n_keys < 1 || r->n_keys > PROTO_ROSTER_MAX_KEYS)
            return proto_fail(err, PROTO_ERANGE, "keys", 81);
        if (r->threshold < 1 || r->threshold > r->n_keys)
            return proto_fail(err, PROTO_ERANGE, "threshold", 80);
        for (size_t i = 1; i < r->n_keys; i++)
            if (memcmp(r->keys[i - 1], r->keys[i], PROTO_KEY_BYTES) >= 0)
                return proto_fail(err, PROTO_ERANGE, "keys (order)", 82 + 32 * i);
        return PROTO_OK;
    case PROTO_KIND_DELEGATION:
        if (!office_valid(r->office)) return proto_fail(err, PROTO_ESYNTAX, "office", 64);
        if (r->name.n < 1 || r->name.n > PROTO_MAX_NAME || r->name.p == NULL)
            return proto_fail(err, PROTO_ERANGE, "name", 64);
        if (proto_text_check(r->name.p, r->name.n, false, &bad) != PROTO_OK)
            return proto_fail(err, PROTO_EUTF8, "name", 64 + bad);
        if (proto_role_name(r->role) == NULL) return proto_fail(err, PROTO_ERANGE, "role", 0);
        if (r->flags & ~PROTO_ROSTER_FLAG_DELEGATE)
            return proto_fail(err, PROTO_ERANGE, "flags", 0);
        if (r->n_regions < 1 || r->n_regions > PROTO_ROSTER_MAX_REGIONS)
            return proto_fail(err, PROTO_ERANGE, "regions", 0);
        for (size_t i = 0; i < r->n_regions; i++) {
            if (r->regions[i].n > PROTO_MAX_REGION ||
                !proto_region_valid(r->regions[i].p, r->regions[i].n))
                return proto_fail(err, PROTO_ESYNTAX, "region", 0);
            if (r->regions[i].n == 0 && r->n_regions != 1)
                return proto_fail(err, PROTO_ERANGE, "region (national with others)", 0);
            if (i > 0 && str_cmp(r->regions[i - 1], r->regions[i]) >= 0)
                return proto_fail(err, PROTO_ERANGE, "regions (order)", 0);
        }
        if (!time_valid(r->valid_from)) return proto_fail(err, PROTO_ERANGE, "valid_from", 0);
        if (r->valid_until != 0 && (r->valid_until <= r->valid_from || !time_valid(r->valid_until)))
            return proto_fail(err, PROTO_ERANGE, "valid_until", 0);
        return PROTO_OK;
    case PROTO_KIND_REVOCATION:
        if (!time_valid(r->valid_from)) return proto_fail(err, PROTO_ERANGE, "effective_at", 64);
        if (r->reason.n > PROTO_MAX_REASON) return proto_fail(err, PROTO_ETOOBIG, "reason", 72);
        if (r->reason.n > 0 && (r->reason.p == NULL || proto_text_check(r->reason.p, r->reason.n,
                                                                        false, &bad) != PROTO_OK))
            return proto_fail(err, PROTO_EUTF8, "reason", 74 + bad);
        return PROTO_OK;
    case PROTO_KIND_CHAIN_END:
        if ((r->last_sequence == 0) != proto_is_zero(r->last_id, PROTO_ID_BYTES))
            return proto_fail(err, PROTO_ERANGE, "last_id", 72);
        if (r->reason.n > PROTO_MAX_REASON) return proto_fail(err, PROTO_ETOOBIG, "reason", 104);
        if (r->reason.n > 0 && (r->reason.p == NULL || proto_text_check(r->reason.p, r->reason.n,
                                                                        false, &bad) != PROTO_OK))
            return proto_fail(err, PROTO_EUTF8, "reason", 106 + bad);
        return PROTO_OK;
    default: /* rotation */
        if (memcmp(r->key, r->new_key, PROTO_KEY_BYTES) == 0)
            return proto_fail(err, PROTO_ERANGE, "new key", 64);
        if (!time_valid(r->valid_from)) return proto_fail(err, PROTO_ERANGE, "effective_at", 96);
        return PROTO_OK;
    }
}

static void put_statement(struct proto_writer *w, const struct proto_roster *r)
{
    proto_put_bytes(w, r->network, PROTO_ID_BYTES);
    switch (r->kind) {
    case PROTO_KIND_ROOT:
        proto_put_bytes(w, r->previous, PROTO_ID_BYTES);
        proto_put_u64(w, r->version);
        proto_put_u64(w, r->valid_from);
        proto_put_u8(w, r->threshold);
        proto_put_u8(w, (uint8_t)r->n_keys);
        for (size_t i = 0; i < r->n_keys; i++)
            proto_put_bytes(w, r->keys[i], PROTO_KEY_BYTES);
        break;
    case PROTO_KIND_DELEGATION:
        proto_put_bytes(w, r->key, PROTO_KEY_BYTES);
        proto_put_u8(w, (uint8_t)r->office.n);
        proto_put_bytes(w, r->office.p, r->office.n);
        proto_put_u16(w, (uint16_t)r->name.n);
        proto_put_bytes(w, r->name.p, r->name.n);
        proto_put_u8(w, r->role);
        proto_put_u8(w, r->flags);
        proto_put_u8(w, (uint8_t)r->n_regions);
        for (size_t i = 0; i < r->n_regions; i++) {
            proto_put_u8(w, (uint8_t)r->regions[i].n);
            proto_put_bytes(w, r->regions[i].p, r->regions[i].n);
        }
        proto_put_u64(w, r->valid_from);
        proto_put_u64(w, r->valid_until);
        break;
    case PROTO_KIND_REVOCATION:
        proto_put_bytes(w, r->key, PROTO_KEY_BYTES);
        proto_put_u64(w, r->valid_from);
        proto_put_u16(w, (uint16_t)r->reason.n);
        proto_put_bytes(w, r->reason.p, r->reason.n);
        break;
    case PROTO_KIND_CHAIN_END:
        proto_put_bytes(w, r->key, PROTO_KEY_BYTES);
        proto_put_u64(w, r->last_sequence);
        proto_put_bytes(w, r->last_id, PROTO_ID_BYTES);
        proto_put_u16(w, (uint16_t)r->reason.n);
        proto_put_bytes(w, r->reason.p, r->reason.n);
        break;
    default:
        proto_put_bytes(w, r->key, PROTO_KEY_BYTES);
        proto_put_bytes(w, r->new_key, PROTO_KEY_BYTES);
        proto_put_u64(w, r->valid_from);
    }
}

static int check_sigs(const struct proto_roster *r, struct proto_err *err)
{
    if (r->n_sigs > PROTO_ROSTER_MAX_SIGS) return proto_fail(err, PROTO_ETOOBIG, "signatures", 0);
    for (size_t i = 1; i < r->n_sigs; i++)
        if (memcmp(r->sigs[i - 1].key, r->sigs[i].key, PROTO_KEY_BYTES) >= 0)
            return proto_fail(err, PROTO_ERANGE, "signatures (order)", 0);
    return PROTO_OK;
}

int proto_roster_encode(const struct proto_roster *r, uint8_t *out, size_t cap, size_t *out_len,
                        struct proto_err *err)
{
    int rc = check_statement(r, err);
    if (rc == PROTO_OK) rc = check_sigs(r, err);
    if (rc != PROTO_OK) return rc;
    struct proto_writer w;
    proto_writer_init(&w, out, cap);
    put_statement(&w, r);
    proto_put_u8(&w, (uint8_t)r->n_sigs);
    for (size_t i = 0; i < r->n_sigs; i++) {
        proto_put_bytes(&w, r->sigs[i].key, PROTO_KEY_BYTES);
        proto_put_bytes(&w, r->sigs[i].sig, PROTO_SIG_BYTES);
    }
    if (w.err != PROTO_OK) return proto_fail(err, PROTO_ETOOBIG, "record", 0);
    *out_len = w.len;
    return PROTO_OK;
}

/* A string of 1 or 2 length bytes, bounded by max. */
static struct proto_str get_str(struct proto_reader *rd, int prefix)
{
    struct proto_str s;
    s.n = prefix == 1 ? proto_get_u8(rd) : proto_get_u16(rd);
    s.p = proto_get_view(rd, s.n);
    if (rd->err != PROTO_OK) s.n = 0;
    return s;
}

int proto_roster_decode(struct proto_roster *r, uint8_t kind, const uint8_t *in, size_t len,
                        struct proto_err *err)
{
    struct proto_reader rd;
    memset(r, 0, sizeof *r);
    r->kind = kind;
    if (!proto_kind_is_roster(kind)) return proto_fail(err, PROTO_EKIND, "kind", 0);
    proto_reader_init(&rd, in, len);
    proto_get_bytes(&rd, r->network, PROTO_ID_BYTES);
    switch (kind) {
    case PROTO_KIND_ROOT:
        proto_get_bytes(&rd, r->previous, PROTO_ID_BYTES);
        r->version = proto_get_u64(&rd);
        r->valid_from = proto_get_u64(&rd);
        r->threshold = proto_get_u8(&rd);
        r->n_keys = proto_get_u8(&rd);
        if (rd.err == PROTO_OK && r->n_keys > PROTO_ROSTER_MAX_KEYS)
            return proto_fail(err, PROTO_ETOOBIG, "keys", rd.pos - 1);
        for (size_t i = 0; i < r->n_keys; i++)
            proto_get_bytes(&rd, r->keys[i], PROTO_KEY_BYTES);
        break;
    case PROTO_KIND_DELEGATION:
        proto_get_bytes(&rd, r->key, PROTO_KEY_BYTES);
        r->office = get_str(&rd, 1);
        r->name = get_str(&rd, 2);
        r->role = proto_get_u8(&rd);
        r->flags = proto_get_u8(&rd);
        r->n_regions = proto_get_u8(&rd);
        if (rd.err == PROTO_OK && r->n_regions > PROTO_ROSTER_MAX_REGIONS)
            return proto_fail(err, PROTO_ETOOBIG, "regions", rd.pos - 1);
        for (size_t i = 0; i < r->n_regions; i++)
            r->regions[i] = get_str(&rd, 1);
        r->valid_from = proto_get_u64(&rd);
        r->valid_until = proto_get_u64(&rd);
        break;
    case PROTO_KIND_REVOCATION:
        proto_get_bytes(&rd, r->key, PROTO_KEY_BYTES);
        r->valid_from = proto_get_u64(&rd);
        r->reason = get_str(&rd, 2);
        break;
    case PROTO_KIND_CHAIN_END:
        proto_get_bytes(&rd, r->key, PROTO_KEY_BYTES);
        r->last_sequence = proto_get_u64(&rd);
        proto_get_bytes(&rd, r->last_id, PROTO_ID_BYTES);
        r->reason = get_str(&rd, 2);
        break;
    default:
        proto_get_bytes(&rd, r->key, PROTO_KEY_BYTES);
        proto_get_bytes(&rd, r->new_key, PROTO_KEY_BYTES);
        r->valid_from = proto_get_u64(&rd);
    }
    if (rd.err != PROTO_OK) return proto_fail(err, rd.err, "record", rd.pos);
    int rc = check_statement(r, err);
    if (rc != PROTO_OK) return rc;
    size_t at = rd.pos;
    r->n_sigs = proto_get_u8(&rd);
    if (rd.err == PROTO_OK && r->n_sigs > PROTO_ROSTER_MAX_SIGS)
        return proto_fail(err, PROTO_ETOOBIG, "signatures", at);
    for (size_t i = 0; i < r->n_sigs; i++) {
        proto_get_bytes(&rd, r->sigs[i].key, PROTO_KEY_BYTES);
        proto_get_bytes(&rd, r->sigs[i].sig, PROTO_SIG_BYTES);
    }
    if (rd.err != PROTO_OK) return proto_fail(err, rd.err, "signatures", rd.pos);
    rc = check_sigs(r, err);
    if (rc != PROTO_OK) return proto_fail(err, rc, err ? err->field : "signatures", at);
    if (proto_remaining(&rd) != 0) return proto_fail(err, PROTO_ETRAILING, "record", rd.pos);
    return PROTO_OK;
}

uint8_t *proto_roster_signing_input(const struct proto_roster *r, size_t *out_len)
{
    if (check_statement(r, NULL) != PROTO_OK) return NULL;
    size_t cap = sizeof proto_roster_domain + 1 + PROTO_BULLETIN_MAX;
    uint8_t *m = malloc(cap);
    if (m == NULL) return NULL;
    memcpy(m, proto_roster_domain, sizeof proto_roster_domain);
    m[sizeof proto_roster_domain] = r->kind;
    struct proto_writer w;
    size_t head = sizeof proto_roster_domain + 1;
    proto_writer_init(&w, m + head, cap - head);
    put_statement(&w, r);
    if (w.err != PROTO_OK) {
        free(m);
        return NULL;
    }
    *out_len = head + w.len;
    return m;
}

int proto_roster_cosign(struct proto_roster *r, const uint8_t *sk, struct proto_err *err)
{
    size_t n = 0, i;
    uint8_t pk[PROTO_KEY_BYTES];
    uint8_t *m = proto_roster_signing_input(r, &n);
    if (m == NULL) {
        int rc = check_statement(r, err);
        return rc != PROTO_OK ? rc : proto_fail(err, PROTO_ENOMEM, "record", 0);
    }
    crypto_sign_ed25519_sk_to_pk(pk, sk);
    for (i = 0; i < r->n_sigs && memcmp(r->sigs[i].key, pk, PROTO_KEY_BYTES) < 0; i++) {
    }
    bool replace = i < r->n_sigs && memcmp(r->sigs[i].key, pk, PROTO_KEY_BYTES) == 0;
    if (!replace) {
        if (r->n_sigs == PROTO_ROSTER_MAX_SIGS) {
            free(m);
            return proto_fail(err, PROTO_ETOOBIG, "signatures", 0);
        }
        memmove(&r->sigs[i + 1], &r->sigs[i], (r->n_sigs - i) * sizeof r->sigs[0]);
        r->n_sigs++;
    }
    memcpy(r->sigs[i].key, pk, PROTO_KEY_BYTES);
    crypto_sign_ed25519_detached(r->sigs[i].sig, NULL, m, n, sk);
    free(m);
    return PROTO_OK;
}

bool proto_roster_cosig_valid(const struct proto_roster *r, size_t i)
{
    size_t n = 0;
    if (i >= r->n_sigs) return false;
    uint8_t *m = proto_roster_signing_input(r, &n);
    if (m == NULL) return false;
    bool ok = crypto_sign_ed25519_verify_detached(r->sigs[i].sig, m, n, r->sigs[i].key) == 0;
    free(m);
    return ok;
}

bool proto_roster_cosigs_valid(const struct proto_roster *r)
{
    size_t n = 0;
    bool ok = true;
    uint8_t *m = proto_roster_signing_input(r, &n);
    if (m == NULL) return false;
    for (size_t i = 0; i < r->n_sigs && ok; i++)
        ok = crypto_sign_ed25519_verify_detached(r->sigs[i].sig, m, n, r->sigs[i].key) == 0;
    free(m);
    return ok;
}

int proto_roster_root_hash(const struct proto_roster *root, uint8_t out[PROTO_ID_BYTES])
{
    size_t n = 0;
    if (root->kind != PROTO_KIND_ROOT) return PROTO_EKIND;
    uint8_t *m = proto_roster_signing_input(root, &n);
    if (m == NULL) return PROTO_ERANGE;
    crypto_generichash(out, PROTO_ID_BYTES, m, n, NULL, 0);
    free(m);
    return PROTO_OK;
}
