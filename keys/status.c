/* status.c - a notice's current status from the notices that name it (docs/PROTOCOL.md §23). */
#include "status.h"

#include <stdlib.h>
#include <string.h>

#define STATUS_MAX_DEPTH 8 /* withdrawals of withdrawals followed at most this deep */

const char *bulletin_state_name(int state)
{
    static const char *const names[] = {"in_force", "corrected", "withdrawn", "expired",
                                        "untrusted"};
    return state >= 0 && state <= BSTATE_UNTRUSTED ? names[state] : "?";
}

/* One question about one bulletin: which notices that name it count (out != NULL), or only
 * whether a withdrawal that counts names it. */
struct scan {
    roster *ro;
    status_source_fn source;
    void *src;
    const uint8_t *id;                  /* the bulletin asked about */
    const struct roster_office *office; /* its office */
    struct proto_str region;            /* its region */
    int depth;
    struct bulletin_status *out;
    bool withdrawn;
    bool failed;
    struct status_ref latest; /* the latest correction that counts (out != NULL) */
};

/* Whether the office w may amend a notice of office `of` about region: its own notices, or, with
 * the may-delegate flag, any notice in its scope (a province over its regencies, the ministry
 * over all). */
static bool may_amend(const struct roster_office *w, const struct roster_office *of,
                      struct proto_str region)
{
    const struct proto_roster *d = &w->delegation;
    if (d->office.n == of->delegation.office.n &&
        memcmp(d->office.p, of->delegation.office.p, d->office.n) == 0)
        return true;
    if (!(d->flags & PROTO_ROSTER_FLAG_DELEGATE)) return false;
    for (size_t i = 0; i < d->n_regions; i++)
        if (proto_region_within(region, d->regions[i])) return true;
    return false;
}

static int run(struct scan *sc);

/* Is notice a (with id aid, of office w) withdrawn by a notice that counts? 1, 0, or -1. */
static int withdrawn(struct scan *outer, const struct proto_bulletin *a, const uint8_t *aid,
                     const struct roster_office *w)
{
    struct scan sc = {.ro = outer->ro,
                      .source = outer->source,
                      .src = outer->src,
                      .id = aid,
                      .office = w,
                      .region = a->region,
                      .depth = outer->depth + 1};
    if (run(&sc) != 0) return -1;
    return sc.withdrawn;
}

static int before(const struct status_ref *x, uint64_t at, const uint8_t *id)
{
    if (x->issued_at != at) return x->issued_at < at;
    return memcmp(x->id, id, PROTO_ID_BYTES) < 0;
}

/* Insert (at, id) into list[0..*n) in order, keeping at most STATUS_MAX_LIST; *n counts all. */
static struct status_ref *insert(struct status_ref *list, size_t *n, uint64_t at,
                                 const uint8_t *id)
{
    size_t kept = *n < STATUS_MAX_LIST ? *n : STATUS_MAX_LIST, i = kept;
    (*n)++;
    while (i > 0 && !before(&list[i - 1], at, id))
        i--;
    if (i == STATUS_MAX_LIST) return NULL;
    if (kept == STATUS_MAX_LIST) kept--;
    memmove(&list[i + 1], &list[i], (kept - i) * sizeof *list);
    memset(&list[i], 0, sizeof list[i]);
    list[i].issued_at = at;
    memcpy(list[i].id, id, PROTO_ID_BYTES);
    return &list[i];
}

static void record(struct scan *sc, const struct proto_bulletin *a, const uint8_t *aid, bool amends)
{
    struct bulletin_status *out = sc->out;
    if (amends && a->kind == PROTO_KIND_WITHDRAWAL) {
        insert(out->withdrawals, &out->n_withdrawals, a->issued_at, aid);
    } else if (amends) {
        if (out->n_corrections == 0 || before(&sc->latest, a->issued_at, aid)) {
            sc->latest.issued_at = a->issued_at;
            memcpy(sc->latest.id, aid, PROTO_ID_BYTES);
        }
        insert(out->corrections, &out->n_corrections, a->issued_at, aid);
    } else {
        struct status_ref *t = insert(out->translations, &out->n_translations, a->issued_at, aid);
        if (t) memcpy(t->lang, a->lang.p, a->lang.n);
    }
}

static int visit(const uint8_t *raw, size_t len, void *p)
{
    struct scan *sc = p;
    struct proto_bulletin a;
    uint8_t aid[PROTO_ID_BYTES];
    if (proto_bulletin_decode(&a, raw, len, NULL) != PROTO_OK || !proto_kind_is_notice(a.kind))
        return 0;
    proto_bulletin_id(raw, len, aid);
    bool amends =
        a.kind != PROTO_KIND_CLARIFICATION && memcmp(a.subject, sc->id, PROTO_ID_BYTES) == 0;
    bool translates = !amends && memcmp(a.translation_of, sc->id, PROTO_ID_BYTES) == 0;
    if (!amends && !translates) return 0;
    if (sc->out == NULL && !(amends && a.kind == PROTO_KIND_WITHDRAWAL)) return 0;
    struct roster_office w;
    bool counts = roster_check(sc->ro, &a, aid, &w) == ROSTER_TRUSTED &&
                  may_amend(&w, sc->office, sc->region);
    if (counts && sc->depth < STATUS_MAX_DEPTH) {
        int wd = withdrawn(sc, &a, aid, &w);
        if (wd < 0) {
            sc->failed = true;
            return 1;
        }
        counts = !wd;
    }
    if (!counts) {
        if (sc->out) sc->out->n_ignored++;
        return 0;
    }
    if (sc->out == NULL) {
        sc->withdrawn = true;
        return 1;
    }
    record(sc, &a, aid, amends);
    return 0;
}

static int run(struct scan *sc)
{
    if (sc->source(sc->src, sc->id, visit, sc) != 0 || sc->failed) return -1;
    return 0;
}

int bulletin_status(roster *ro, const struct proto_bulletin *b, const uint8_t id[PROTO_ID_BYTES],
                    uint64_t at, status_source_fn source, void *src, struct bulletin_status *out)
{
    memset(out, 0, sizeof *out);
    out->trust = roster_check(ro, b, id, &out->office);
    if (out->trust != ROSTER_TRUSTED || !proto_kind_is_notice(b->kind)) {
        out->state = out->trust == ROSTER_TRUSTED ? BSTATE_IN_FORCE : BSTATE_UNTRUSTED;
        return out->trust == ROSTER_NOMEM ? -1 : 0;
    }
    struct scan sc = {.ro = ro,
                      .source = source,
                      .src = src,
                      .id = id,
                      .office = &out->office,
                      .region = b->region,
                      .out = out};
    int rc = run(&sc);
    if (out->n_withdrawals > 0) {
        out->state = BSTATE_WITHDRAWN;
        memcpy(out->by, out->withdrawals[0].id, PROTO_ID_BYTES);
    } else if (out->n_corrections > 0) {
        out->state = BSTATE_CORRECTED;
        memcpy(out->by, sc.latest.id, PROTO_ID_BYTES);
    } else if (b->expires_at != 0 && at >= b->expires_at) {
        out->state = BSTATE_EXPIRED;
    } else {
        out->state = BSTATE_IN_FORCE;
    }
    return rc;
}

/* ---- reports: open until answered (PROTOCOL.md §23) ---- */

#define REPORT_MAX_CANDIDATES 64 /* notices naming one report that are looked at */

struct candidates {
    const uint8_t *report;
    size_t n, seen;
    uint8_t *raw[REPORT_MAX_CANDIDATES];
    size_t len[REPORT_MAX_CANDIDATES];
    bool failed;
};

/* Keep a copy of each notice that answers the report; they are judged after the source
 * returns, since judging one reads the source again. */
static int collect(const uint8_t *raw, size_t len, void *p)
{
    struct candidates *c = p;
    struct proto_bulletin a;
    if (proto_bulletin_decode(&a, raw, len, NULL) != PROTO_OK) return 0;
    bool answers = false;
    for (size_t i = 0; i < a.n_answers && !answers; i++)
        answers = memcmp(a.answers[i], c->report, PROTO_ID_BYTES) == 0;
    if (!answers) return 0;
    c->seen++;
    if (c->n == REPORT_MAX_CANDIDATES) return 0;
    if ((c->raw[c->n] = malloc(len)) == NULL) {
        c->failed = true;
        return 1;
    }
    memcpy(c->raw[c->n], raw, len);
    c->len[c->n++] = len;
    return 0;
}

static bool office_covers(const struct proto_roster *d, struct proto_str region)
{
    for (size_t i = 0; i < d->n_regions; i++)
        if (proto_region_within(region, d->regions[i])) return true;
    return false;
}

int report_status(roster *ro, const struct proto_bulletin *b, const uint8_t id[PROTO_ID_BYTES],
                  uint64_t at, status_source_fn source, void *src, struct report_status *out)
{
    memset(out, 0, sizeof *out);
    out->trust = roster_check(ro, b, id, &out->office);
    if (out->trust != ROSTER_TRUSTED || b->kind != PROTO_KIND_REPORT)
        return out->trust == ROSTER_NOMEM ? -1 : 0;
    struct candidates c = {.report = id};
    int rc = source(src, id, collect, &c) == 0 && !c.failed ? 0 : -1;
    out->n_ignored = c.seen - c.n; /* beyond the ones looked at */
    for (size_t i = 0; i < c.n; i++) {
        struct proto_bulletin a;
        struct bulletin_status st;
        uint8_t aid[PROTO_ID_BYTES];
        proto_bulletin_id(c.raw[i], c.len[i], aid);
        bool counts = rc == 0 && proto_bulletin_decode(&a, c.raw[i], c.len[i], NULL) == PROTO_OK &&
                      proto_bulletin_verify(&a, c.raw[i], c.len[i]) == PROTO_OK &&
                      bulletin_status(ro, &a, aid, at, source, src, &st) == 0 &&
                      st.state != BSTATE_UNTRUSTED && st.state != BSTATE_WITHDRAWN &&
                      office_covers(&st.office.delegation, b->region);
        if (counts) {
            if (!out->answered || !before(&out->answer, a.issued_at, aid)) {
                out->answer.issued_at = a.issued_at;
                memcpy(out->answer.id, aid, PROTO_ID_BYTES);
            }
            out->answered = true;
            out->n_answers++;
        } else {
            out->n_ignored++;
        }
        free(c.raw[i]);
    }
    return rc;
}

bool report_same_claim(const struct proto_bulletin *a, const struct proto_bulletin *b)
{
    if (!proto_is_zero(a->content_hash, PROTO_HASH_BYTES) &&
        memcmp(a->content_hash, b->content_hash, PROTO_HASH_BYTES) == 0)
        return true;
    for (size_t i = 0; i < a->n_links; i++)
        for (size_t j = 0; j < b->n_links; j++)
            if (a->links[i].url.n == b->links[j].url.n &&
                memcmp(a->links[i].url.p, b->links[j].url.p, a->links[i].url.n) == 0)
                return true;
    return false;
}
