/* roster.c - evaluating the trust roster (docs/PROTOCOL.md §18).
 *
 * Records arrive in any order, so nothing is decided on arrival: the first question after a
 * change re-evaluates everything. First the root chain is followed from the pinned root; then
 * delegations, rotations and revocations are brought in force until nothing changes; then once
 * more with every revocation known from the start, so a delegation signed by a key revoked
 * before it was signed does not count. Rosters hold hundreds of records, not millions. */
#include "roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    uint8_t *raw;
    size_t len;
    struct proto_bulletin b; /* views into raw */
    struct proto_roster r;   /* views into raw */
    uint8_t signers[PROTO_ROSTER_MAX_SIGS + 1][PROTO_KEY_BYTES];
    size_t n_signers;
    uint8_t root_hash[PROTO_ID_BYTES]; /* root records */
    bool active;
};

struct roster {
    struct entry *e; /* e[0] is the pinned root */
    size_t n, cap;
    uint8_t network[PROTO_ID_BYTES];
    bool dirty;    /* records were added: bring what they authorize in force */
    bool full;     /* a root, revocation or rotation changed: evaluate everything again */
    size_t *chain; /* indices of the followed root records, oldest first */
    size_t n_chain;
    /* Entries by the key they are about (delegation, revocation, rotation: its old key) and
     * rotations by their new key, sorted for binary search; rebuilt by each evaluation. */
    struct kidx *by_key, *by_new;
    size_t n_by_key, n_by_new;
};

struct kidx {
    const uint8_t *key;
    size_t e;
};

static const char *const status_names[] = {
    "trusted",        "unknown key",      "not valid at that time", "revoked",   "out of scope",
    "not authorized", "bad co-signature", "other network",          "malformed",
};

const char *roster_status_name(int status)
{
    return status >= 0 && status <= ROSTER_MALFORMED ? status_names[status] : "unknown status";
}

static bool same_key(const uint8_t *a, const uint8_t *b)
{
    return memcmp(a, b, PROTO_KEY_BYTES) == 0;
}

/* Decode raw into a new entry (copied) and check every signature on it. */
static int entry_load(struct entry *x, const uint8_t *raw, size_t len)
{
    memset(x, 0, sizeof *x);
    if ((x->raw = malloc(len ? len : 1)) == NULL) return ROSTER_MALFORMED;
    memcpy(x->raw, raw, len);
    x->len = len;
    if (proto_bulletin_decode(&x->b, x->raw, len, NULL) != PROTO_OK ||
        !proto_kind_is_roster(x->b.kind) ||
        proto_roster_decode(&x->r, x->b.kind, x->b.record.p, x->b.record.n, NULL) != PROTO_OK)
        return ROSTER_MALFORMED;
    if (proto_bulletin_verify(&x->b, x->raw, len) != PROTO_OK) return ROSTER_BAD_COSIGNATURE;
    memcpy(x->signers[0], x->b.issuer, PROTO_KEY_BYTES);
    x->n_signers = 1;
    if (!proto_roster_cosigs_valid(&x->r)) return ROSTER_BAD_COSIGNATURE;
    for (size_t i = 0; i < x->r.n_sigs; i++)
        memcpy(x->signers[x->n_signers++], x->r.sigs[i].key, PROTO_KEY_BYTES);
    if (x->b.kind == PROTO_KIND_ROOT && proto_roster_root_hash(&x->r, x->root_hash) != PROTO_OK)
        return ROSTER_MALFORMED;
    return ROSTER_TRUSTED;
}

static void entry_free(struct entry *x)
{
    free(x->raw);
    x->raw = NULL;
}

/* How many of x's signers are among keys[0..n). Signers are distinct by construction. */
static size_t signers_among(const struct entry *x, const uint8_t (*keys)[PROTO_KEY_BYTES], size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < x->n_signers; i++)
        for (size_t j = 0; j < n; j++)
            if (same_key(x->signers[i], keys[j])) {
                c++;
                break;
            }
    return c;
}

static bool meets(const struct entry *x, const struct proto_roster *root)
{
    return signers_among(x, (const uint8_t(*)[PROTO_KEY_BYTES])root->keys, root->n_keys) >=
           root->threshold;
}

roster *roster_new(const uint8_t *raw, size_t len, char *err, size_t err_len)
{
    roster *r = calloc(1, sizeof *r);
    if (r == NULL || (r->e = calloc(16, sizeof *r->e)) == NULL) {
        free(r);
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    r->cap = 16;
    int st = entry_load(&r->e[0], raw, len);
    const char *why = NULL;
    if (st != ROSTER_TRUSTED)
        why = st == ROSTER_MALFORMED ? "not a roster record" : "a signature does not verify";
    else if (r->e[0].b.kind != PROTO_KIND_ROOT)
        why = "not a root record";
    else if (!meets(&r->e[0], &r->e[0].r))
        why = "its signatures do not meet its own threshold";
    if (why) {
        snprintf(err, err_len, "pinned root: %s", why);
        entry_free(&r->e[0]);
        free(r->e);
        free(r);
        return NULL;
    }
    r->n = 1;
    const struct proto_roster *root = &r->e[0].r;
    memcpy(r->network, root->version == 1 ? r->e[0].root_hash : root->network, PROTO_ID_BYTES);
    r->dirty = r->full = true; /* the first evaluation follows the root chain */
    return r;
}

void roster_free(roster **rp)
{
    roster *r = rp ? *rp : NULL;
    if (r == NULL) return;
    for (size_t i = 0; i < r->n; i++)
        entry_free(&r->e[i]);
    free(r->e);
    free(r->chain);
    free(r->by_key);
    free(r->by_new);
    free(r);
    *rp = NULL;
}

void roster_network(const roster *r, uint8_t out[PROTO_ID_BYTES])
{
    memcpy(out, r->network, PROTO_ID_BYTES);
}

int roster_add(roster *r, const uint8_t *raw, size_t len)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->e[i].len == len && memcmp(r->e[i].raw, raw, len) == 0) return ROSTER_TRUSTED;
    if (r->n == r->cap) {
        struct entry *e = realloc(r->e, 2 * r->cap * sizeof *e);
        if (e == NULL) return ROSTER_MALFORMED;
        r->e = e, r->cap *= 2;
    }
    struct entry *x = &r->e[r->n];
    int st = entry_load(x, raw, len);
    if (st == ROSTER_TRUSTED && memcmp(x->r.network, r->network, PROTO_ID_BYTES) != 0 &&
        !(x->b.kind == PROTO_KIND_ROOT && x->r.version == 1 &&
          memcmp(x->root_hash, r->network, PROTO_ID_BYTES) == 0))
        st = ROSTER_OTHER_NETWORK;
    if (st != ROSTER_TRUSTED) {
        entry_free(x);
        return st;
    }
    r->n++;
    r->dirty = true;
    r->full |= x->b.kind != PROTO_KIND_DELEGATION;
    return ROSTER_TRUSTED;
}

void roster_pop(roster *r)
{
    if (r->n <= 1) return;
    entry_free(&r->e[--r->n]);
    r->dirty = r->full = true;
}

size_t roster_count(const roster *r)
{
    return r->n;
}

/* ---- evaluation ---- */

static void follow_roots(roster *r)
{
    free(r->chain);
    r->chain = malloc(r->n * sizeof *r->chain);
    r->n_chain = 0;
    if (r->chain == NULL) return;
    r->chain[r->n_chain++] = 0;
    for (;;) {
        const struct entry *cur = &r->e[r->chain[r->n_chain - 1]];
        size_t best = 0;
        for (size_t i = 1; i < r->n; i++) {
            const struct entry *x = &r->e[i];
            if (x->b.kind != PROTO_KIND_ROOT || x->r.version != cur->r.version + 1 ||
                memcmp(x->r.previous, cur->root_hash, PROTO_ID_BYTES) != 0 || !meets(x, &cur->r) ||
                !meets(x, &x->r))
                continue;
            /* Two valid successors: the root holders forked; take the lower hash everywhere. */
            if (best == 0 || memcmp(x->root_hash, r->e[best].root_hash, PROTO_ID_BYTES) < 0)
                best = i;
        }
        if (best == 0) break;
        r->chain[r->n_chain++] = best;
    }
}

/* The root in force at time t: the last followed root valid from t or earlier. */
static const struct proto_roster *root_at(const roster *r, uint64_t t)
{
    for (size_t i = r->n_chain; i-- > 1;)
        if (r->e[r->chain[i]].r.valid_from <= t) return &r->e[r->chain[i]].r;
    return &r->e[0].r;
}

static bool scope_covers(const struct proto_roster *outer, const struct proto_roster *inner)
{
    for (size_t i = 0; i < inner->n_regions; i++) {
        bool in = false;
        for (size_t j = 0; j < outer->n_regions && !in; j++)
            in = proto_region_within(inner->regions[i], outer->regions[j]);
        if (!in) return false;
    }
    return true;
}

static int kidx_cmp(const void *a, const void *b)
{
    return memcmp(((const struct kidx *)a)->key, ((const struct kidx *)b)->key, PROTO_KEY_BYTES);
}

static void build_index(roster *r)
{
    free(r->by_key);
    free(r->by_new);
    r->by_key = malloc(r->n * sizeof *r->by_key);
    r->by_new = malloc(r->n * sizeof *r->by_new);
    r->n_by_key = r->n_by_new = 0;
    if (r->by_key == NULL || r->by_new == NULL) return;
    for (size_t i = 1; i < r->n; i++) {
        const struct entry *x = &r->e[i];
        if (x->b.kind == PROTO_KIND_ROOT) continue;
        r->by_key[r->n_by_key++] = (struct kidx){x->r.key, i};
        if (x->b.kind == PROTO_KIND_ROTATION)
            r->by_new[r->n_by_new++] = (struct kidx){x->r.new_key, i};
    }
    qsort(r->by_key, r->n_by_key, sizeof *r->by_key, kidx_cmp);
    qsort(r->by_new, r->n_by_new, sizeof *r->by_new, kidx_cmp);
}

/* The run of idx[0..n) whose key is key: [*lo, return value). */
static size_t key_range(const struct kidx *idx, size_t n, const uint8_t *key, size_t *lo)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (memcmp(idx[m].key, key, PROTO_KEY_BYTES) < 0)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    while (b < n && same_key(idx[b].key, key))
        b++;
    return b < a ? a : b;
}

static int key_at(const roster *r, const uint8_t *key, uint64_t t, const struct entry **deleg,
                  const uint8_t **via, int depth);

/* Whether signer s may delegate the regions of d at time t. */
static bool delegator_ok(const roster *r, const uint8_t *s, uint64_t t,
                         const struct proto_roster *d, int depth)
{
    const struct entry *w;
    return key_at(r, s, t, &w, NULL, depth + 1) == ROSTER_TRUSTED &&
           (w->r.flags & PROTO_ROSTER_FLAG_DELEGATE) && scope_covers(&w->r, d);
}

/* Who gave x its authority at time t: the root (returns 1), a delegator (returns 2 and its key
 * in by), or nobody (0). scope is the delegation whose regions the authority must cover. */
static int authority(const roster *r, const struct entry *x, uint64_t t,
                     const struct proto_roster *scope, uint8_t *by, int depth)
{
    if (meets(x, root_at(r, t))) return 1;
    if (depth >= ROSTER_MAX_PATH) return 0;
    for (size_t i = 0; i < x->n_signers; i++)
        if (delegator_ok(r, x->signers[i], t, scope, depth)) {
            if (by) memcpy(by, x->signers[i], PROTO_KEY_BYTES);
            return 2;
        }
    return 0;
}

/* Rule 3 of §18: the status of key at time t, the delegation that makes it trusted, and the
 * office key it replaced by rotation (if so). */
static int key_at(const roster *r, const uint8_t *key, uint64_t t, const struct entry **deleg,
                  const uint8_t **via, int depth)
{
    int status = ROSTER_UNKNOWN;
    const struct entry *best = NULL;
    const uint8_t *from = NULL;
    size_t lo, hi;
    if (depth > ROSTER_MAX_PATH) return ROSTER_UNKNOWN;
    hi = key_range(r->by_key, r->n_by_key, key, &lo);
    for (size_t k = lo; k < hi; k++) {
        const struct entry *x = &r->e[r->by_key[k].e];
        if (!x->active || x->b.kind != PROTO_KIND_DELEGATION) continue;
        if (t < x->r.valid_from || (x->r.valid_until && t >= x->r.valid_until)) {
            status = ROSTER_NOT_VALID;
            continue;
        }
        if (best == NULL || x->r.valid_from > best->r.valid_from) best = x;
    }
    /* A key rotated in carries its predecessor's delegation from the rotation on. */
    size_t lo2, hi2 = key_range(r->by_new, r->n_by_new, key, &lo2);
    for (size_t k = lo2; k < hi2 && best == NULL; k++) {
        const struct entry *x = &r->e[r->by_new[k].e], *old = NULL;
        if (!x->active) continue;
        if (t < x->r.valid_from) {
            status = ROSTER_NOT_VALID;
            continue;
        }
        if (key_at(r, x->r.key, x->r.valid_from - 1, &old, NULL, depth + 1) != ROSTER_TRUSTED)
            continue;
        if (old->r.valid_until && t >= old->r.valid_until) {
            status = ROSTER_NOT_VALID;
            continue;
        }
        best = old, from = x->r.key;
    }
    if (best == NULL) return status;
    /* Cut: a revocation of the key, or a rotation away from it, in force by then. */
    for (size_t k = lo; k < hi; k++) {
        const struct entry *x = &r->e[r->by_key[k].e];
        if (x->active && x->b.kind != PROTO_KIND_DELEGATION && x->r.valid_from <= t)
            return ROSTER_REVOKED;
    }
    if (deleg) *deleg = best;
    if (via) *via = from;
    return ROSTER_TRUSTED;
}

/* key_at, and who (the office, and the path of delegators up to the root) filled in. */
static int office_at(const roster *r, const uint8_t *key, uint64_t t, struct roster_office *who)
{
    const struct entry *d = NULL;
    const uint8_t *via = NULL;
    int st = key_at(r, key, t, &d, &via, 0);
    if (st != ROSTER_TRUSTED || who == NULL) return st;
    memset(who, 0, sizeof *who);
    who->delegation = d->r;
    memcpy(who->key, key, PROTO_KEY_BYTES);
    if (via) memcpy(who->via_rotation, via, PROTO_KEY_BYTES);
    while (d && who->depth < ROSTER_MAX_PATH) {
        uint8_t by[PROTO_KEY_BYTES];
        int a = authority(r, d, d->r.valid_from, &d->r, by, 0);
        if (a == 1) {
            const struct proto_roster *root = root_at(r, d->r.valid_from);
            who->path_to_root = true;
            who->root_version = root->version;
            who->root_threshold = root->threshold;
            break;
        }
        if (a != 2) break;
        memcpy(who->path[who->depth++], by, PROTO_KEY_BYTES);
        const struct entry *up = NULL;
        if (key_at(r, by, d->r.valid_from, &up, NULL, 0) != ROSTER_TRUSTED) break;
        d = up;
    }
    return ROSTER_TRUSTED;
}

/* A delegation of key in force (any time), to scope a revocation or rotation by delegators. */
static const struct proto_roster *any_delegation(const roster *r, const uint8_t *key)
{
    size_t lo, hi = key_range(r->by_key, r->n_by_key, key, &lo);
    for (size_t k = lo; k < hi; k++)
        if (r->e[r->by_key[k].e].active && r->e[r->by_key[k].e].b.kind == PROTO_KIND_DELEGATION)
            return &r->e[r->by_key[k].e].r;
    return NULL;
}

static bool has_signer(const struct entry *x, const uint8_t *key)
{
    for (size_t i = 0; i < x->n_signers; i++)
        if (same_key(x->signers[i], key)) return true;
    return false;
}

static bool authorized(const roster *r, const struct entry *x)
{
    uint64_t t = x->r.valid_from;
    const struct proto_roster *scope;
    switch (x->b.kind) {
    case PROTO_KIND_DELEGATION:
        return authority(r, x, t, &x->r, NULL, 0) != 0;
    case PROTO_KIND_ROTATION:
        if (has_signer(x, x->r.key) && key_at(r, x->r.key, t - 1, NULL, NULL, 1) == ROSTER_TRUSTED)
            return true;
        scope = any_delegation(r, x->r.key);
        return meets(x, root_at(r, t)) || (scope && authority(r, x, t, scope, NULL, 0) != 0);
    case PROTO_KIND_REVOCATION:
        if (has_signer(x, x->r.key)) return true;
        scope = any_delegation(r, x->r.key);
        return meets(x, root_at(r, t)) || (scope && authority(r, x, t, scope, NULL, 0) != 0);
    default:
        return false;
    }
}

/* Bring in force what is authorized, until nothing changes. Returns whether a revocation or
 * rotation came in force (which can take force from records already in). */
static bool settle(roster *r)
{
    bool cuts = false;
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 1; i < r->n; i++) {
            struct entry *x = &r->e[i];
            if (x->b.kind == PROTO_KIND_ROOT || x->active || !authorized(r, x)) continue;
            x->active = changed = true;
            cuts |= x->b.kind != PROTO_KIND_DELEGATION;
        }
    }
    return cuts;
}

static void evaluate(roster *r)
{
    if (!r->dirty && !r->full) return;
    build_index(r);
    /* New delegations only add trust; anything else is evaluated again from nothing. */
    if (!r->full && !settle(r)) {
        r->dirty = false;
        return;
    }
    follow_roots(r);
    for (size_t i = 0; i < r->n; i++)
        r->e[i].active = false;
    for (size_t i = 0; i < r->n_chain; i++)
        r->e[r->chain[i]].active = true;
    settle(r);
    /* Once more with every revocation found kept, so a delegation signed by a key revoked
     * before it signed does not count. */
    for (size_t i = 1; i < r->n; i++)
        if (r->e[i].b.kind != PROTO_KIND_ROOT && r->e[i].b.kind != PROTO_KIND_REVOCATION)
            r->e[i].active = false;
    settle(r);
    r->dirty = r->full = false;
}

const struct proto_roster *roster_root(roster *r)
{
    evaluate(r);
    return &r->e[r->chain ? r->chain[r->n_chain - 1] : 0].r;
}

int roster_key_at(roster *r, const uint8_t *key, uint64_t t, struct roster_office *who)
{
    evaluate(r);
    return office_at(r, key, t, who);
}

static bool is_root_key(const roster *r, const uint8_t *key)
{
    for (size_t i = 0; i < r->n_chain; i++) {
        const struct proto_roster *root = &r->e[r->chain[i]].r;
        for (size_t j = 0; j < root->n_keys; j++)
            if (same_key(root->keys[j], key)) return true;
    }
    return false;
}

int roster_check(roster *r, const struct proto_bulletin *b, struct roster_office *who)
{
    struct roster_office local;
    evaluate(r);
    if (who == NULL) who = &local;
    if (!proto_kind_is_roster(b->kind)) {
        int st = office_at(r, b->issuer, b->issued_at, who);
        if (st != ROSTER_TRUSTED) return st;
        struct proto_roster one = {.n_regions = 1};
        one.regions[0] = b->region;
        return scope_covers(&who->delegation, &one) ? ROSTER_TRUSTED : ROSTER_OUT_OF_SCOPE;
    }
    const struct entry *x = NULL;
    for (size_t i = 0; i < r->n && x == NULL; i++)
        if (same_key(r->e[i].b.issuer, b->issuer) && r->e[i].b.sequence == b->sequence &&
            memcmp(r->e[i].b.signature, b->signature, PROTO_SIG_BYTES) == 0)
            x = &r->e[i];
    if (x == NULL || !x->active) return ROSTER_UNAUTHORIZED;
    /* The carrier: a root key, or a key trusted when it carried the record. */
    memset(who, 0, sizeof *who);
    if (is_root_key(r, b->issuer)) return ROSTER_TRUSTED;
    return office_at(r, b->issuer, b->issued_at, who);
}

int roster_each(roster *r, int (*fn)(const uint8_t *raw, size_t len, bool in_force, void *ctx),
                void *ctx)
{
    evaluate(r);
    for (size_t i = 0; i < r->n; i++) {
        int rc = fn(r->e[i].raw, r->e[i].len, r->e[i].active, ctx);
        if (rc) return rc;
    }
    return 0;
}
