/* roster.c - evaluating the trust roster (docs/PROTOCOL.md §18): the one implementation of the
 * trust rules, which the node and every tool call.
 *
 * Records arrive in any order, so nothing is decided on arrival: the first question after a
 * change evaluates the whole set again, as §18 says, step by step: the root chain; then passes
 * over the records in the order they were sealed (issued_at, then id), each record judged by
 * those in force sealed before it and by the cuts (revocations, rotations, chain ends) found in
 * force in the previous pass, never by itself; passes repeat until the cuts found stop changing.
 * Every step depends on the set alone. Rosters hold hundreds of records, not millions. */
#include "roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "i18n.h"

struct entry {
    uint8_t *raw;
    size_t len;
    struct proto_bulletin b; /* views into raw */
    struct proto_roster r;   /* views into raw */
    uint8_t signers[PROTO_ROSTER_MAX_SIGS + 1][PROTO_KEY_BYTES];
    size_t n_signers;
    uint8_t root_hash[PROTO_ID_BYTES]; /* root records */
    uint8_t id[PROTO_ID_BYTES];        /* of the carrying bulletin */
    bool active;                       /* in force (in the pass under way: judged so far) */
    bool cut;                          /* a cut (revocation, rotation, chain end) in force in the
                                          previous pass: it counts from the start of this one */
};

struct roster {
    struct entry *e; /* e[0] is the pinned root */
    size_t n, cap;
    uint8_t network[PROTO_ID_BYTES];
    bool dirty;    /* records were added or removed: evaluate again */
    bool broken;   /* memory ran out in the last evaluation: nothing is trusted */
    size_t *chain; /* indices of the followed root records, oldest first */
    size_t n_chain;
    /* Entries by the key they are about (delegation, revocation, chain end, rotation: its old
     * key) and rotations by their new key, sorted for binary search. */
    struct kidx *by_key, *by_new;
    size_t n_by_key, n_by_new;
    size_t *order; /* the non-root records, in sealing order */
    size_t n_order;
    const struct entry *judging; /* the record being judged: it does not count against itself */
};

struct kidx {
    const uint8_t *key;
    size_t e;
};

/* Also the "reason" of the node's JSON answers: translated only where shown to a person. */
static const char *const status_names[] = {
    N_("trusted"),        N_("unknown key"),      N_("not valid at that time"),
    N_("revoked"),        N_("out of scope"),     N_("not authorized"),
    N_("bad co-signature"), N_("other network"),  N_("malformed"),
    N_("out of memory"),  N_("not allowed for its office's role"),
};

const char *roster_status_name(int status)
{
    return status >= 0 && status <= ROSTER_WRONG_ROLE ? status_names[status] : "unknown status";
}

static bool same_key(const uint8_t *a, const uint8_t *b)
{
    return memcmp(a, b, PROTO_KEY_BYTES) == 0;
}

/* Decode raw into a new entry (copied) and check every signature on it. */
static int entry_load(struct entry *x, const uint8_t *raw, size_t len)
{
    memset(x, 0, sizeof *x);
    if ((x->raw = malloc(len ? len : 1)) == NULL) return ROSTER_NOMEM;
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
    proto_bulletin_id(x->raw, len, x->id);
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
        snprintf(err, err_len, _("out of memory"));
        return NULL;
    }
    r->cap = 16;
    int st = entry_load(&r->e[0], raw, len);
    const char *why = NULL;
    if (st != ROSTER_TRUSTED)
        why = st == ROSTER_MALFORMED ? _("not a roster record") : _("a signature does not verify");
    else if (r->e[0].b.kind != PROTO_KIND_ROOT)
        why = "not a root record";
    else if (!meets(&r->e[0], &r->e[0].r))
        why = "its signatures do not meet its own threshold";
    if (why) {
        snprintf(err, err_len, _("pinned root: %s"), why);
        entry_free(&r->e[0]);
        free(r->e);
        free(r);
        return NULL;
    }
    r->n = 1;
    const struct proto_roster *root = &r->e[0].r;
    memcpy(r->network, root->version == 1 ? r->e[0].root_hash : root->network, PROTO_ID_BYTES);
    r->dirty = true; /* the first evaluation follows the root chain */
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
    free(r->order);
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
        if (e == NULL) return ROSTER_NOMEM;
        r->e = e;
        r->cap *= 2;
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
    return ROSTER_TRUSTED;
}

void roster_pop(roster *r)
{
    if (r->n <= 1) return;
    entry_free(&r->e[--r->n]);
    r->dirty = true;
}

void roster_truncate(roster *r, size_t n)
{
    while (r->n > n && r->n > 1)
        roster_pop(r);
}

size_t roster_count(const roster *r)
{
    return r->n;
}

/* ---- evaluation ---- */

static int id_cmp(const uint8_t *a, const uint8_t *b)
{
    return memcmp(a, b, PROTO_ID_BYTES);
}

/* §18 step 1: the root chain from the pinned root. */
static bool follow_roots(roster *r)
{
    free(r->chain);
    r->chain = malloc(r->n * sizeof *r->chain);
    r->n_chain = 0;
    if (r->chain == NULL) return false;
    r->chain[r->n_chain++] = 0;
    for (;;) {
        const struct entry *cur = &r->e[r->chain[r->n_chain - 1]];
        size_t best = 0;
        for (size_t i = 1; i < r->n; i++) {
            const struct entry *x = &r->e[i];
            if (x->b.kind != PROTO_KIND_ROOT || x->r.version != cur->r.version + 1 ||
                id_cmp(x->r.previous, cur->root_hash) != 0 || !meets(x, &cur->r) ||
                !meets(x, &x->r))
                continue;
            /* Two valid successors: the root holders forked; take the lower hash everywhere. */
            if (best == 0 || id_cmp(x->root_hash, r->e[best].root_hash) < 0) best = i;
        }
        if (best == 0) break;
        r->chain[r->n_chain++] = best;
    }
    return true;
}

/* The root in force at time t: the last followed root valid from t or earlier. */
static const struct proto_roster *root_at(const roster *r, uint64_t t)
{
    for (size_t i = r->n_chain; i-- > 1;)
        if (r->e[r->chain[i]].r.valid_from <= t) return &r->e[r->chain[i]].r;
    return &r->e[0].r;
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
    const struct kidx *x = a, *y = b;
    int c = memcmp(x->key, y->key, PROTO_KEY_BYTES);
    return c ? c : (x->e > y->e) - (x->e < y->e);
}

/* A record's place in the sealing order: issued_at, then id. */
struct sealed {
    uint64_t at;
    const uint8_t *id;
    size_t e;
};

static int sealed_cmp(const void *a, const void *b)
{
    const struct sealed *x = a, *y = b;
    if (x->at != y->at) return x->at < y->at ? -1 : 1;
    return id_cmp(x->id, y->id);
}

/* The indexes by key, and §18 step 2: the sealing order. */
static bool build_index(roster *r)
{
    free(r->by_key);
    free(r->by_new);
    free(r->order);
    r->by_key = malloc(r->n * sizeof *r->by_key);
    r->by_new = malloc(r->n * sizeof *r->by_new);
    r->order = malloc(r->n * sizeof *r->order);
    struct sealed *seal = malloc(r->n * sizeof *seal);
    r->n_by_key = r->n_by_new = r->n_order = 0;
    if (r->by_key == NULL || r->by_new == NULL || r->order == NULL || seal == NULL) {
        free(seal);
        return false;
    }
    for (size_t i = 1; i < r->n; i++) {
        const struct entry *x = &r->e[i];
        if (x->b.kind == PROTO_KIND_ROOT) continue;
        seal[r->n_order++] = (struct sealed){x->b.issued_at, x->id, i};
        r->by_key[r->n_by_key++] = (struct kidx){x->r.key, i};
        if (x->b.kind == PROTO_KIND_ROTATION)
            r->by_new[r->n_by_new++] = (struct kidx){x->r.new_key, i};
    }
    qsort(r->by_key, r->n_by_key, sizeof *r->by_key, kidx_cmp);
    qsort(r->by_new, r->n_by_new, sizeof *r->by_new, kidx_cmp);
    qsort(seal, r->n_order, sizeof *seal, sealed_cmp);
    for (size_t k = 0; k < r->n_order; k++)
        r->order[k] = seal[k].e;
    free(seal);
    return true;
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

/* Of two candidates, the one that counts: the later start, then the lower id. */
static bool better(const struct entry *x, const struct entry *best)
{
    if (best == NULL || x->r.valid_from != best->r.valid_from)
        return best == NULL || x->r.valid_from > best->r.valid_from;
    return id_cmp(x->id, best->id) < 0;
}

/* §18 step 3: the status of key at time t among the records in force, the delegation that
 * makes it trusted, and the office key it replaced by rotation (if so). */
static int key_at(const roster *r, const uint8_t *key, uint64_t t, const struct entry **deleg,
                  const uint8_t **via, int depth)
{
    int status = ROSTER_UNKNOWN;
    const struct entry *best = NULL, *rot = NULL, *rot_deleg = NULL;
    size_t lo, hi;
    if (depth > ROSTER_MAX_PATH) return ROSTER_UNKNOWN;
    hi = key_range(r->by_key, r->n_by_key, key, &lo);
    for (size_t k = lo; k < hi; k++) {
        const struct entry *x = &r->e[r->by_key[k].e];
        if (!x->active || x->b.kind != PROTO_KIND_DELEGATION) continue;
        if (t < x->r.valid_from || (x->r.valid_until && t >= x->r.valid_until))
            status = ROSTER_NOT_VALID;
        else if (better(x, best))
            best = x;
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
        if (better(x, rot)) {
            rot = x;
            rot_deleg = old;
        }
    }
    if (best == NULL && rot != NULL) best = rot_deleg;
    if (best == NULL) return status;
    /* Cut: a revocation of the key, or a rotation away from it, in force by then. */
    for (size_t k = lo; k < hi; k++) {
        const struct entry *x = &r->e[r->by_key[k].e];
        if ((x->active || x->cut) && x != r->judging &&
            (x->b.kind == PROTO_KIND_REVOCATION || x->b.kind == PROTO_KIND_ROTATION) &&
            x->r.valid_from <= t)
            return ROSTER_REVOKED;
    }
    if (deleg) *deleg = best;
    if (via) *via = rot && best == rot_deleg ? rot->r.key : NULL;
    return ROSTER_TRUSTED;
}

/* Where x, a cut in force, ends its key's chain: x's own place if the key sealed it (a
 * revocation or rotation), the place it names (a chain end); false if it ends none. */
static bool chain_end_of(const struct entry *x, uint64_t *seq, const uint8_t **id)
{
    if (x->b.kind == PROTO_KIND_CHAIN_END) {
        *seq = x->r.last_sequence;
        *id = x->r.last_sequence ? x->r.last_id : NULL;
        return true;
    }
    if ((x->b.kind == PROTO_KIND_REVOCATION || x->b.kind == PROTO_KIND_ROTATION) &&
        same_key(x->b.issuer, x->r.key)) {
        *seq = x->b.sequence;
        *id = x->id;
        return true;
    }
    return false;
}

/* §18 step 5: whether key's bulletin at sequence seq (id id, or NULL if not known) lies within
 * its chain: at or before the earliest end that the cuts in force set; at that end only if it
 * is the bulletin named there (two ends naming different ones at one place: neither). */
static bool within_chain(const roster *r, const uint8_t *key, uint64_t seq, const uint8_t *id)
{
    uint64_t end = UINT64_MAX;
    const uint8_t *end_id = NULL;
    size_t lo, hi = key_range(r->by_key, r->n_by_key, key, &lo);
    for (size_t k = lo; k < hi; k++) {
        const struct entry *x = &r->e[r->by_key[k].e];
        uint64_t s;
        const uint8_t *i;
        if (!(x->active || x->cut) || x == r->judging || !chain_end_of(x, &s, &i)) continue;
        if (s < end) {
            end = s;
            end_id = i;
        } else if (s == end && (end_id == NULL || i == NULL || id_cmp(end_id, i) != 0))
            end_id = NULL;
    }
    if (seq < end) return true;
    return seq == end && end_id != NULL && id != NULL && id_cmp(id, end_id) == 0;
}

/* Whether signer s may delegate the regions of d at time t. */
static bool delegator_ok(const roster *r, const uint8_t *s, uint64_t t,
                         const struct proto_roster *d)
{
    const struct entry *w;
    return key_at(r, s, t, &w, NULL, 0) == ROSTER_TRUSTED &&
           (w->r.flags & PROTO_ROSTER_FLAG_DELEGATE) && scope_covers(&w->r, d);
}

/* Who gave x its authority at time t: the root (returns 1), a delegator (returns 2 and its key
 * in by: the first such signer in signer order), or nobody (0). scope is the delegation whose
 * regions the authority must cover. */
static int authority(const roster *r, const struct entry *x, uint64_t t,
                     const struct proto_roster *scope, uint8_t *by)
{
    if (meets(x, root_at(r, t))) return 1;
    for (size_t i = 0; i < x->n_signers; i++)
        if (delegator_ok(r, x->signers[i], t, scope)) {
            if (by) memcpy(by, x->signers[i], PROTO_KEY_BYTES);
            return 2;
        }
    return 0;
}

/* The delegation of key that scopes a record about it: the one in force at t, else the latest
 * one in force at any time (a key revoked already can still be revoked again). */
static const struct proto_roster *scope_of(const roster *r, const uint8_t *key, uint64_t t)
{
    const struct entry *d = NULL;
    if (key_at(r, key, t, &d, NULL, 0) == ROSTER_TRUSTED) return &d->r;
    size_t lo, hi = key_range(r->by_key, r->n_by_key, key, &lo);
    for (size_t k = lo; k < hi; k++) {
        const struct entry *x = &r->e[r->by_key[k].e];
        if (x->active && x->b.kind == PROTO_KIND_DELEGATION && better(x, d)) d = x;
    }
    return d ? &d->r : NULL;
}

static bool has_signer(const struct entry *x, const uint8_t *key)
{
    for (size_t i = 0; i < x->n_signers; i++)
        if (same_key(x->signers[i], key)) return true;
    return false;
}

/* The authority part of §18 step 4 for x sealed at t. */
static bool authorized(const roster *r, const struct entry *x, uint64_t t)
{
    const struct proto_roster *scope;
    switch (x->b.kind) {
    case PROTO_KIND_DELEGATION:
        return authority(r, x, t, &x->r, NULL) != 0;
    case PROTO_KIND_ROTATION:
        if (has_signer(x, x->r.key) && key_at(r, x->r.key, t, NULL, NULL, 0) == ROSTER_TRUSTED)
            return true;
        break;
    case PROTO_KIND_REVOCATION:
    case PROTO_KIND_CHAIN_END:
        if (has_signer(x, x->r.key)) return true; /* a key may always renounce itself */
        break;
    default:
        return false;
    }
    if (meets(x, root_at(r, t))) return true;
    scope = scope_of(r, x->r.key, t);
    return scope != NULL && authority(r, x, t, scope, NULL) != 0;
}

/* §18 step 4: whether x comes in force, judged by the records in force sealed before it. */
static bool in_force(roster *r, struct entry *x)
{
    uint64_t t = x->b.issued_at; /* when it was sealed */
    r->judging = x;
    /* The carrier: within its chain, and a root key or a key trusted when it sealed. */
    bool ok = within_chain(r, x->b.issuer, x->b.sequence, x->id) && authorized(r, x, t);
    if (ok && !is_root_key(r, x->b.issuer)) {
        /* A key may carry its own enrolment: a delegation counts for its own carrier. */
        x->active = x->b.kind == PROTO_KIND_DELEGATION;
        ok = key_at(r, x->b.issuer, t, NULL, NULL, 0) == ROSTER_TRUSTED;
        x->active = false;
    }
    r->judging = NULL;
    return ok;
}

static bool is_cut(const struct entry *x)
{
    return x->b.kind == PROTO_KIND_REVOCATION || x->b.kind == PROTO_KIND_ROTATION ||
           x->b.kind == PROTO_KIND_CHAIN_END;
}

/* §18 step 4 for every record, in sealing order. Returns whether the cuts in force differ from
 * those of the previous pass (which this pass was judged with); they become the cuts. */
static bool pass(roster *r)
{
    bool changed = false;
    for (size_t i = 0; i < r->n; i++)
        r->e[i].active = false;
    for (size_t i = 0; i < r->n_chain; i++)
        r->e[r->chain[i]].active = true;
    for (size_t k = 0; k < r->n_order; k++) {
        struct entry *x = &r->e[r->order[k]];
        x->active = in_force(r, x);
    }
    for (size_t k = 0; k < r->n_order; k++) {
        struct entry *x = &r->e[r->order[k]];
        bool cut = x->active && is_cut(x);
        changed |= cut != x->cut;
        x->cut = cut;
    }
    return changed;
}

static void evaluate(roster *r)
{
    if (!r->dirty) return;
    for (size_t i = 0; i < r->n; i++)
        r->e[i].cut = false;
    r->broken = !follow_roots(r) || !build_index(r);
    if (r->broken) { /* nothing can be said: nothing but the pinned root counts */
        for (size_t i = 0; i < r->n; i++)
            r->e[i].active = i == 0;
        r->n_chain = r->chain ? 1 : 0;
        r->n_by_key = r->n_by_new = r->n_order = 0;
    } else {
        /* Until the cuts stop changing; a set whose cuts take each other's force in turn stops
         * after ROSTER_MAX_PASSES, with the cuts of the last pass. */
        for (int i = 0; i < ROSTER_MAX_PASSES && pass(r); i++) {
        }
    }
    r->dirty = false;
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
        uint64_t sealed = d->b.issued_at;
        int a = authority(r, d, sealed, &d->r, by);
        if (a == 1) {
            const struct proto_roster *root = root_at(r, sealed);
            who->path_to_root = true;
            who->root_version = root->version;
            who->root_threshold = root->threshold;
            break;
        }
        if (a != 2) break;
        memcpy(who->path[who->depth++], by, PROTO_KEY_BYTES);
        const struct entry *up = NULL;
        if (key_at(r, by, sealed, &up, NULL, 0) != ROSTER_TRUSTED) break;
        d = up;
    }
    return ROSTER_TRUSTED;
}

const struct proto_roster *roster_root(roster *r)
{
    evaluate(r);
    return &r->e[r->chain && r->n_chain ? r->chain[r->n_chain - 1] : 0].r;
}

int roster_key_at(roster *r, const uint8_t *key, uint64_t t, struct roster_office *who)
{
    evaluate(r);
    if (r->broken) return ROSTER_NOMEM;
    return office_at(r, key, t, who);
}

bool roster_role_may_sign(uint8_t role, uint8_t kind)
{
    bool office = role == PROTO_ROLE_MINISTRY || role == PROTO_ROLE_PROVINCE ||
                  role == PROTO_ROLE_REGENCY;
    if (proto_kind_is_notice(kind)) return office;
    if (kind == PROTO_KIND_REPORT) return office || role == PROTO_ROLE_PLATFORM;
    if (kind == PROTO_KIND_RECEIPT) return role == PROTO_ROLE_PLATFORM;
    return false;
}

int roster_check(roster *r, const struct proto_bulletin *b, const uint8_t *id,
                 struct roster_office *who)
{
    struct roster_office local;
    evaluate(r);
    if (r->broken) return ROSTER_NOMEM;
    if (who == NULL) who = &local;
    if (!proto_kind_is_roster(b->kind)) {
        int st = office_at(r, b->issuer, b->issued_at, who);
        if (st != ROSTER_TRUSTED) return st;
        if (!within_chain(r, b->issuer, b->sequence, id)) return ROSTER_REVOKED;
        if (!roster_role_may_sign(who->delegation.role, b->kind)) return ROSTER_WRONG_ROLE;
        /* A report is sent to whichever office its region names; a receipt has no region. */
        if (b->kind == PROTO_KIND_REPORT || b->kind == PROTO_KIND_RECEIPT) return ROSTER_TRUSTED;
        struct proto_roster one = {.n_regions = 1};
        one.regions[0] = b->region;
        return scope_covers(&who->delegation, &one) ? ROSTER_TRUSTED : ROSTER_OUT_OF_SCOPE;
    }
    const struct entry *x = NULL;
    for (size_t i = 0; i < r->n && x == NULL; i++)
        if (same_key(r->e[i].b.issuer, b->issuer) && r->e[i].b.sequence == b->sequence &&
            memcmp(r->e[i].b.signature, b->signature, PROTO_SIG_BYTES) == 0)
            x = &r->e[i];
    memset(who, 0, sizeof *who);
    if (x != NULL && x->active) {
        if (is_root_key(r, b->issuer)) return ROSTER_TRUSTED;
        office_at(r, b->issuer, b->issued_at, who); /* who carried it */
        return ROSTER_TRUSTED;
    }
    if (!within_chain(r, b->issuer, b->sequence, x ? x->id : id)) return ROSTER_REVOKED;
    return ROSTER_UNAUTHORIZED;
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
