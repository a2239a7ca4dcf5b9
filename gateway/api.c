/* api.c - the gateway's JSON API under /v1/ (gateway/openapi.json describes every route).
 * Messages: not translated (the API answers in English, as its OpenAPI document says). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway.h"
#include "proto_armor.h"
#include "proto_buf.h"
#include "proto_proof.h"
#include "proto_pubkey.h"
#include "proto_text.h"
#include "tool.h"

bool gw_parse_id(const char *s, uint8_t id[PROTO_ID_BYTES])
{
    return strlen(s) == 2 * PROTO_ID_BYTES && tool_unhex(s, id, PROTO_ID_BYTES) == 0;
}

/* ---- filters (query.c reads them) ---- */

struct unknown_ctx {
    const char *const *extra; /* the names a route takes besides the filter's, if filters */
    bool filters;
    const char *bad;
};

static enum MHD_Result check_name(void *p, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind, (void)v;
    struct unknown_ctx *u = p;
    if ((u->filters && gw_filter_knows(k)) || gw_name_in(k, u->extra)) return MHD_YES;
    u->bad = k;
    return MHD_NO;
}

static const char *query_value(void *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

int gw_filter_parse(struct gw *g, struct MHD_Connection *c, struct gw_filter *f,
                    const char *const *extra, char *msg, size_t cap)
{
    (void)g;
    struct unknown_ctx u = {.extra = extra, .filters = true};
    memset(f, 0, sizeof *f);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, check_name, &u);
    if (u.bad) {
        snprintf(msg, cap, "unknown query parameter '%s'", u.bad);
        return -1;
    }
    return gw_filter_read(f, query_value, c, msg, cap);
}

static bool same(struct proto_str s, const char *c)
{
    return s.n == strlen(c) && memcmp(s.p, c, s.n) == 0;
}

bool gw_filter_match(struct gw *g, const struct gw_filter *f, const struct proto_bulletin *b,
                     const uint8_t *raw, size_t len)
{
    /* Roster records, reports and receipts are listed only when their kind is asked for. */
    if (f->has_kind ? b->kind != f->kind : !proto_kind_is_notice(b->kind)) return false;
    if (f->has_issuer && memcmp(b->issuer, f->issuer, PROTO_KEY_BYTES) != 0) return false;
    if (f->since && b->issued_at < f->since) return false;
    if (f->until && b->issued_at > f->until) return false;
    if (proto_kind_is_roster(b->kind)) return !f->has_region && !f->verdict[0] && !f->language[0];
    if (f->has_priority && b->priority != f->priority) return false;
    if (f->verdict[0] && !same(b->verdict, f->verdict)) return false;
    if (f->language[0] && !same(b->lang, f->language)) return false;
    if (f->has_region) {
        struct proto_str scope = {(const uint8_t *)f->region, strlen(f->region)};
        if (!proto_region_within(b->region, scope)) return false;
    }
    if (f->office[0]) {
        uint8_t id[PROTO_ID_BYTES];
        struct roster_office w;
        proto_bulletin_id(raw, len, id);
        if (roster_check(g->ro, b, id, &w) != ROSTER_TRUSTED ||
            !same(w.delegation.office, f->office))
            return false;
    }
    return true;
}

/* ---- bulletins ---- */

json_t *gw_bulletin_json(const struct proto_bulletin *b, const uint8_t *raw, size_t len,
                         uint64_t arrival)
{
    json_t *o = tool_bulletin_to_json(b, raw, len);
    if (o) json_object_set_new(o, "arrival", tool_u64_json(arrival));
    return o;
}

int gw_status(struct gw *g, const struct proto_bulletin *b, const uint8_t *id,
              struct bulletin_status *st)
{
    return bulletin_status(g->ro, b, id, tool_time_now(), store_named_source, g->s, st);
}

static json_t *refs_json(const struct status_ref *r, size_t n, bool lang)
{
    json_t *a = json_array();
    char t[TOOL_TIME_LEN];
    for (size_t i = 0; i < n && i < STATUS_MAX_LIST; i++) {
        tool_time_format(r[i].issued_at, t);
        json_t *o =
            json_pack("{s:o, s:s}", "id", tool_hex_json(r[i].id, PROTO_ID_BYTES), "issued_at", t);
        if (lang) json_object_set_new(o, "language", json_string(r[i].lang));
        json_array_append_new(a, o);
    }
    return a;
}

json_t *gw_status_json(const struct bulletin_status *st, const uint8_t *id)
{
    bool decided = st->state == BSTATE_CORRECTED || st->state == BSTATE_WITHDRAWN;
    char t[TOOL_TIME_LEN];
    tool_time_format(tool_time_now(), t);
    json_t *o =
        json_pack("{s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:s}", "id",
                  tool_hex_json(id, PROTO_ID_BYTES), "status", bulletin_state_name(st->state),
                  "trust", roster_status_name(st->trust), "by",
                  decided ? tool_hex_json(st->by, PROTO_ID_BYTES) : json_null(), "corrections",
                  refs_json(st->corrections, st->n_corrections, false), "withdrawals",
                  refs_json(st->withdrawals, st->n_withdrawals, false), "translations",
                  refs_json(st->translations, st->n_translations, true), "corrections_total",
                  (json_int_t)st->n_corrections, "withdrawals_total", (json_int_t)st->n_withdrawals,
                  "translations_total", (json_int_t)st->n_translations, "ignored",
                  (json_int_t)st->n_ignored, "at", t);
    if (o)
        json_object_set_new(o, "issuer_office",
                            st->trust == ROSTER_TRUSTED ? tool_office_json(&st->office)
                                                        : json_null());
    return o;
}

struct list_ctx {
    struct gw *g;
    struct gw_filter f;
    json_t *items;
    size_t limit, scanned;
    uint64_t next;
    bool more;
};

static int list_one(uint64_t arrival, const struct proto_bulletin *b, const uint8_t *raw,
                    size_t len, void *p)
{
    struct list_ctx *l = p;
    if (l->scanned++ >= GW_SCAN_MAX || json_array_size(l->items) == l->limit) {
        l->next = arrival;
        l->more = true;
        return 1;
    }
    if (!gw_filter_match(l->g, &l->f, b, raw, len)) return 0;
    json_t *o = gw_bulletin_json(b, raw, len, arrival);
    if (o && proto_kind_is_notice(b->kind)) {
        struct bulletin_status st;
        uint8_t id[PROTO_ID_BYTES];
        proto_bulletin_id(raw, len, id);
        if (gw_status(l->g, b, id, &st) == 0)
            json_object_set_new(o, "status", json_string(bulletin_state_name(st.state)));
    } else if (o && (b->kind == PROTO_KIND_REPORT || b->kind == PROTO_KIND_RECEIPT)) {
        /* Who reported, or which platform acted: the office the roster gives its key. */
        struct roster_office who;
        uint8_t id[PROTO_ID_BYTES];
        proto_bulletin_id(raw, len, id);
        json_object_set_new(o, "issuer_office", roster_check(l->g->ro, b, id, &who) == ROSTER_TRUSTED
                                                    ? tool_office_json(&who)
                                                    : json_null());
    }
    json_array_append_new(l->items, o);
    return 0;
}

static bool parse_u64(const char *v, uint64_t *out)
{
    char *end;
    if (v == NULL || *v < '0' || *v > '9') return false;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (errno || *end) return false;
    *out = x;
    return true;
}

static enum MHD_Result list_bulletins(struct gw *g, struct MHD_Connection *c)
{
    static const char *const extra[] = {"cursor", "limit", "order", NULL};
    struct list_ctx l = {.g = g, .limit = 50};
    char msg[200];
    if (gw_filter_parse(g, c, &l.f, extra, msg, sizeof msg) != 0)
        return gw_error(c, 400, "bad_parameter", "%s", msg);
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
    uint64_t n;
    if (v && (!parse_u64(v, &n) || n == 0 || n > GW_PAGE_MAX))
        return gw_error(c, 400, "bad_parameter", "limit: 1 to %d", GW_PAGE_MAX);
    if (v) l.limit = n;
    v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "order");
    if (v && strcmp(v, "newest") != 0 && strcmp(v, "oldest") != 0)
        return gw_error(c, 400, "bad_parameter", "order: newest or oldest");
    bool oldest = v && strcmp(v, "oldest") == 0;
    uint64_t from = oldest ? 0 : UINT64_MAX;
    v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "cursor");
    if (v && !parse_u64(v, &from))
        return gw_error(c, 400, "bad_parameter", "cursor: the next_cursor of an earlier page");
    if ((l.items = json_array()) == NULL) return gw_error(c, 500, "internal", "out of memory");
    if (store_arrivals(g->s, from, !oldest, list_one, &l) != STORE_OK) {
        json_decref(l.items);
        return gw_error(c, 503, "store", "the store cannot be read: %s", store_error(g->s));
    }
    char next[24];
    snprintf(next, sizeof next, "%llu", (unsigned long long)l.next);
    return gw_json(
        c, 200,
        json_pack("{s:o, s:s?}", "bulletins", l.items, "next_cursor", l.more ? next : NULL));
}

/* The stored bulletin whose id is hex: 0, or an error answer was queued (*rc). */
static int fetch(struct gw *g, struct MHD_Connection *c, const char *hex, uint8_t id[32],
                 uint8_t **raw, size_t *len, enum MHD_Result *rc)
{
    if (!gw_parse_id(hex, id)) {
        *rc = gw_error(c, 400, "bad_id", "a bulletin id is 64 hex digits");
        return -1;
    }
    int st = store_get(g->s, id, raw, len);
    if (st == STORE_OK) return 0;
    *rc = st == STORE_ENOTFOUND ? gw_error(c, 404, "not_found", "no bulletin %s here", hex)
                                : gw_error(c, 503, "store", "%s", store_error(g->s));
    return -1;
}

enum form { FORM_JSON, FORM_RAW, FORM_ARMORED, FORM_STATUS };

static enum MHD_Result one_bulletin(struct gw *g, struct MHD_Connection *c, const char *hex,
                                    enum form form)
{
    uint8_t id[PROTO_ID_BYTES], *raw = NULL;
    size_t len;
    enum MHD_Result rc;
    if (fetch(g, c, hex, id, &raw, &len, &rc) != 0) return rc;
    char etag[2 * PROTO_ID_BYTES + 16];
    static const char *const suffix[] = {"json", "raw", "asc"};
    if (form != FORM_STATUS) snprintf(etag, sizeof etag, "\"%s.%s\"", hex, suffix[form]);
    if (form == FORM_RAW) {
        rc = gw_bytes(c, 200, "application/octet-stream", raw, len, etag);
    } else if (form == FORM_ARMORED) {
        size_t cap = proto_armor_size(PROTO_ARMOR_BULLETIN, len), n;
        char *text = malloc(cap);
        if (text && proto_armor_encode(PROTO_ARMOR_BULLETIN, raw, len, text, cap, &n) == PROTO_OK)
            rc = gw_bytes(c, 200, "text/plain; charset=utf-8", text, n, etag);
        else
            rc = gw_error(c, 500, "internal", "out of memory");
        free(text);
    } else {
        struct proto_bulletin *b = malloc(sizeof *b);
        uint64_t arrival = 0;
        if (b == NULL || proto_bulletin_decode(b, raw, len, NULL) != PROTO_OK) {
            rc = gw_error(c, 500, "internal", "a stored bulletin does not decode");
        } else if (form == FORM_STATUS) {
            struct bulletin_status st;
            if (!proto_kind_is_notice(b->kind))
                rc = gw_error(c, 404, "not_a_notice", "only a notice has a status");
            else if (gw_status(g, b, id, &st) != 0)
                rc = gw_error(c, 503, "store", "%s", store_error(g->s));
            else
                rc = gw_json(c, 200, gw_status_json(&st, id));
        } else {
            store_log_index(g->s, id, &arrival);
            json_t *o = gw_bulletin_json(b, raw, len, arrival);
            char *text = o ? tool_json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
            json_decref(o);
            rc = text ? gw_bytes(c, 200, "application/json", text, strlen(text), etag)
                      : gw_error(c, 500, "internal", "out of memory");
            free(text);
        }
        free(b);
    }
    free(raw);
    return rc;
}

/* ---- issuers, offices, the roster ---- */

static int issuer_one(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *p)
{
    void **ctx = p;
    struct gw *g = ctx[0];
    json_t *a = ctx[1];
    if (kn != PROTO_KEY_BYTES || vn < 9) return 0;
    char pk[PROTO_PUBKEY_TEXT_LEN + 1], fp[PROTO_FINGERPRINT_LEN + 1];
    proto_pubkey_format(k, pk);
    proto_pubkey_fingerprint(k, fp);
    struct roster_office w;
    bool known = roster_key_at(g->ro, k, tool_time_now(), &w) == ROSTER_TRUSTED;
    json_array_append_new(a,
                          json_pack("{s:s, s:s, s:o, s:b, s:o}", "issuer", pk, "fingerprint", fp,
                                    "head", tool_u64_json(proto_be64_get(v)), "forked", v[8] != 0,
                                    "office", known ? tool_office_json(&w) : json_null()));
    return 0;
}

static enum MHD_Result issuers(struct gw *g, struct MHD_Connection *c)
{
    json_t *a = json_array();
    void *ctx[] = {g, a};
    if (store_table_each(g->s, STORE_T_ISSUERS, issuer_one, ctx) != STORE_OK) {
        json_decref(a);
        return gw_error(c, 503, "store", "%s", store_error(g->s));
    }
    return gw_json(c, 200, json_pack("{s:o}", "issuers", a));
}

struct roster_ctx {
    struct gw *g;
    json_t *a;
    bool offices; /* only the delegations, as offices */
};

static int roster_one(const uint8_t *raw, size_t len, bool in_force, void *p)
{
    struct roster_ctx *r = p;
    struct proto_bulletin b;
    struct proto_roster rec;
    if (proto_bulletin_decode(&b, raw, len, NULL) != PROTO_OK) return 0;
    if (!r->offices) {
        json_t *o = tool_bulletin_to_json(&b, raw, len);
        json_object_set_new(o, "in_force", json_boolean(in_force));
        json_array_append_new(r->a, o);
        return 0;
    }
    if (!in_force || b.kind != PROTO_KIND_DELEGATION ||
        proto_roster_decode(&rec, b.kind, b.record.p, b.record.n, NULL) != PROTO_OK)
        return 0;
    struct roster_office w;
    char pk[PROTO_PUBKEY_TEXT_LEN + 1];
    proto_pubkey_format(rec.key, pk);
    int st = roster_key_at(r->g->ro, rec.key, tool_time_now(), &w);
    json_t *o = tool_record_to_json(&rec);
    json_object_set_new(o, "trusted_now", json_boolean(st == ROSTER_TRUSTED));
    json_object_set_new(o, "status_now", json_string(roster_status_name(st)));
    if (st == ROSTER_TRUSTED) json_object_set_new(o, "delegation", tool_office_json(&w));
    json_array_append_new(r->a, o);
    return 0;
}

json_t *gw_roster_view(struct gw *g, bool offices)
{
    struct roster_ctx r = {.g = g, .a = json_array(), .offices = offices};
    roster_each(g->ro, roster_one, &r);
    uint8_t net[PROTO_ID_BYTES];
    roster_network(g->ro, net);
    return json_pack("{s:o, s:o}", "network", tool_hex_json(net, PROTO_ID_BYTES),
                     offices ? "offices" : "records", r.a);
}

struct armor_ctx {
    char *text;
    size_t n, cap;
    bool failed;
};

static int armor_one(const uint8_t *raw, size_t len, bool in_force, void *p)
{
    (void)in_force;
    struct armor_ctx *a = p;
    size_t need = proto_armor_size(PROTO_ARMOR_BULLETIN, len), n;
    if (a->n + need > a->cap) {
        size_t cap = (a->cap + need) * 2;
        char *t = realloc(a->text, cap);
        if (t == NULL) {
            a->failed = true;
            return 1;
        }
        a->text = t;
        a->cap = cap;
    }
    if (proto_armor_encode(PROTO_ARMOR_BULLETIN, raw, len, a->text + a->n, a->cap - a->n, &n) !=
        PROTO_OK) {
        a->failed = true;
        return 1;
    }
    a->n += n;
    return 0;
}

char *gw_roster_text(struct gw *g, size_t *len)
{
    struct armor_ctx a = {0};
    roster_each(g->ro, armor_one, &a);
    if (a.failed) {
        free(a.text);
        return NULL;
    }
    *len = a.n;
    return a.text ? a.text : strdup("");
}

/* The roster as a file that `warta verify --roster` and the verification page read. */
static enum MHD_Result roster_file(struct gw *g, struct MHD_Connection *c)
{
    size_t n = 0;
    char *text = gw_roster_text(g, &n);
    enum MHD_Result rc = text == NULL
                             ? gw_error(c, 500, "internal", "out of memory")
                             : gw_bytes(c, 200, "text/plain; charset=utf-8", text, n, NULL);
    free(text);
    return rc;
}

/* ---- the log: checkpoint and proofs (PROTOCOL.md §19-§22) ---- */

static enum MHD_Result checkpoint_note(struct gw *g, struct MHD_Connection *c, uint64_t size,
                                       struct proto_checkpoint *cp, enum MHD_Result *rc)
{
    char *note;
    size_t len;
    int st = store_checkpoint(g->s, size, &note, &len);
    if (st != STORE_OK) {
        *rc = st == STORE_ENOTFOUND
                  ? gw_error(c, 404, "no_checkpoint",
                             size == UINT64_MAX ? "the node has signed no checkpoint yet"
                                                : "the node signed no checkpoint of that size")
                  : gw_error(c, 503, "store", "%s", store_error(g->s));
        return MHD_NO;
    }
    st = proto_checkpoint_parse(cp, note, len, NULL);
    free(note);
    if (st != PROTO_OK) {
        *rc = gw_error(c, 500, "internal", "a stored checkpoint does not parse");
        return MHD_NO;
    }
    return MHD_YES;
}

static enum MHD_Result send_proof(struct MHD_Connection *c, const struct proto_proof *p)
{
    char *text = malloc(PROTO_PROOF_MAX);
    size_t n = text ? proto_proof_format(p, text, PROTO_PROOF_MAX) : 0;
    enum MHD_Result rc = n ? gw_bytes(c, 200, "text/plain; charset=utf-8", text, n, NULL)
                           : gw_error(c, 500, "internal", "out of memory");
    free(text);
    return rc;
}

static bool size_arg(struct MHD_Connection *c, const char *name, uint64_t *v)
{
    const char *s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    *v = UINT64_MAX;
    return s == NULL || parse_u64(s, v);
}

static enum MHD_Result proof(struct gw *g, struct MHD_Connection *c, bool inclusion)
{
    static const char *const inc[] = {"id", "size", NULL}, *const con[] = {"from", "to", NULL};
    struct unknown_ctx u = {.extra = inclusion ? inc : con};
    struct proto_proof *p = calloc(1, sizeof *p);
    enum MHD_Result rc = MHD_NO;
    uint64_t a, b;
    if (p == NULL) return gw_error(c, 500, "internal", "out of memory");
    const char *id = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "id");
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, check_name, &u);
    if (u.bad) {
        rc = gw_error(c, 400, "bad_parameter", "unknown query parameter '%s' (%s)", u.bad,
                      inclusion ? "id, and optionally size" : "from, and optionally to");
    } else if (inclusion) {
        p->kind = PROTO_PROOF_INCLUSION;
        if (id == NULL || !gw_parse_id(id, p->id) || !size_arg(c, "size", &a)) {
            rc = gw_error(c, 400, "bad_parameter", "id: 64 hex digits; size: a checkpoint size");
        } else if (checkpoint_note(g, c, a, &p->cps[0], &rc) == MHD_YES) {
            if (store_log_index(g->s, p->id, &p->index) != STORE_OK)
                rc = gw_error(c, 404, "not_found", "%s is not in this node's log", id);
            else if (p->index >= p->cps[0].size)
                rc = gw_error(c, 409, "not_yet",
                              "entry %llu is after the checkpoint's %llu "
                              "entries: ask again after the next checkpoint",
                              (unsigned long long)p->index, (unsigned long long)p->cps[0].size);
            else if (store_log_inclusion(g->s, p->cps[0].size, p->index, p->hashes, &p->n_hashes) !=
                     STORE_OK)
                rc = gw_error(c, 503, "store", "%s", store_error(g->s));
            else
                rc = send_proof(c, p);
        }
    } else {
        p->kind = PROTO_PROOF_CONSISTENCY;
        if (!size_arg(c, "from", &a) || a == UINT64_MAX || !size_arg(c, "to", &b)) {
            rc = gw_error(c, 400, "bad_parameter", "from, to: sizes of checkpoints of this node");
        } else if (checkpoint_note(g, c, a, &p->cps[0], &rc) == MHD_YES &&
                   checkpoint_note(g, c, b, &p->cps[1], &rc) == MHD_YES) {
            if (p->cps[0].size > p->cps[1].size)
                rc = gw_error(c, 400, "bad_parameter", "from is after to");
            else if (p->cps[0].size > 0 &&
                     store_log_consistency(g->s, p->cps[0].size, p->cps[1].size, p->hashes,
                                           &p->n_hashes) != STORE_OK)
                rc = gw_error(c, 503, "store", "%s", store_error(g->s));
            else
                rc = send_proof(c, p);
        }
    }
    free(p);
    return rc;
}

static enum MHD_Result checkpoint(struct gw *g, struct MHD_Connection *c)
{
    char *note;
    size_t len;
    int st = store_checkpoint(g->s, UINT64_MAX, &note, &len);
    if (st == STORE_ENOTFOUND)
        return gw_error(c, 404, "no_checkpoint", "the node has signed no checkpoint yet");
    if (st != STORE_OK) return gw_error(c, 503, "store", "%s", store_error(g->s));
    enum MHD_Result rc = gw_bytes(c, 200, "text/plain; charset=utf-8", note, len, NULL);
    free(note);
    return rc;
}

/* ---- POST /v1/verify: what `warta verify --roster` answers ---- */

static enum MHD_Result verify(struct gw *g, struct MHD_Connection *c, const char *body, size_t n)
{
    uint8_t *raw = malloc(PROTO_BULLETIN_MAX + 1);
    size_t len = 0;
    struct tool_verdict v = {0};
    json_t *o;
    if (raw == NULL) return gw_error(c, 500, "internal", "out of memory");
    int rc = PROTO_OK;
    if (n >= 4 && memcmp(body, proto_bulletin_magic, 4) == 0) {
        if (n > PROTO_BULLETIN_MAX) n = PROTO_BULLETIN_MAX + 1; /* the decoder says too long */
        memcpy(raw, body, n);
        len = n;
    } else {
        rc = proto_armor_decode(PROTO_ARMOR_BULLETIN, body, n, raw, PROTO_BULLETIN_MAX + 1, &len);
    }
    if (rc != PROTO_OK) {
        v.result = VERIFY_MALFORMED;
        snprintf(v.msg, sizeof v.msg, "request: not a bulletin (%s)",
                 rc == PROTO_EARMOR ? "no intact '-----BEGIN WARTA BULLETIN-----' block"
                                    : proto_strerror(rc));
        o = tool_verdict_json(&v, raw, 0);
    } else {
        tool_verdict(raw, len, NULL, g->ro, tool_time_now(), "request", &v);
        o = tool_verdict_json(&v, raw, len);
        tool_verdict_free(&v);
    }
    free(raw);
    return gw_json(c, 200, o);
}

/* ---- routes ---- */

static bool is(const char *m, const char *want)
{
    return strcmp(m, want) == 0;
}

enum MHD_Result gw_api(struct gw *g, struct MHD_Connection *c, const char *url, const char *method,
                       const char *body, size_t body_len)
{
    bool get = is(method, "GET") || is(method, "HEAD");
    const char *rest;
    if (is(url, "/v1/verify")) {
        if (!is(method, "POST")) return gw_error(c, 405, "method", "POST a bulletin here");
        return verify(g, c, body, body_len);
    }
    if (!get) return gw_error(c, 405, "method", "%s is not answered here", method);
    if (is(url, "/v1/bulletins")) return list_bulletins(g, c);
    if (strncmp(url, "/v1/bulletins/", 14) == 0) {
        char hex[2 * PROTO_ID_BYTES + 1];
        rest = url + 14;
        const char *slash = strchr(rest, '/');
        size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
        if (n != 2 * PROTO_ID_BYTES)
            return gw_error(c, 400, "bad_id", "a bulletin id is 64 hex digits");
        memcpy(hex, rest, n);
        hex[n] = 0;
        if (slash == NULL) {
            /* Content negotiation for the bare address; the suffixed ones are explicit. */
            const char *acc = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
            enum form f = FORM_JSON;
            if (acc && strstr(acc, "application/octet-stream"))
                f = FORM_RAW;
            else if (acc && strstr(acc, "text/plain") && !strstr(acc, "application/json"))
                f = FORM_ARMORED;
            return one_bulletin(g, c, hex, f);
        }
        if (is(slash, "/raw")) return one_bulletin(g, c, hex, FORM_RAW);
        if (is(slash, "/armored")) return one_bulletin(g, c, hex, FORM_ARMORED);
        if (is(slash, "/status")) return one_bulletin(g, c, hex, FORM_STATUS);
        return gw_error(c, 404, "not_found", "no such address: %s", url);
    }
    if (is(url, "/v1/feed")) return gw_feed(g, c);
    if (is(url, "/v1/alerts")) return gw_cap_feed(g, c);
    if (is(url, "/v1/stats")) {
        int err = 0;
        json_t *f = tool_stats(g->s, g->ro, tool_time_now(), &err);
        return f ? gw_json(c, 200, f)
                 : gw_error(c, 503, "store", "the store cannot be read: %s", store_error(g->s));
    }
    if (strncmp(url, "/v1/alerts/", 11) == 0) return gw_cap_alert(g, c, url + 11);
    if (is(url, "/v1/issuers")) return issuers(g, c);
    if (is(url, "/v1/offices")) return gw_json(c, 200, gw_roster_view(g, true));
    if (is(url, "/v1/roster")) return gw_json(c, 200, gw_roster_view(g, false));
    if (is(url, "/v1/roster/armored")) return roster_file(g, c);
    if (is(url, "/v1/checkpoint")) return checkpoint(g, c);
    if (is(url, "/v1/proofs/inclusion")) return proof(g, c, true);
    if (is(url, "/v1/proofs/consistency")) return proof(g, c, false);
    if (is(url, "/v1/openapi.json"))
        return gw_bytes(c, 200, "application/json", g->openapi, g->openapi_len, NULL);
    return gw_error(c, 404, "not_found", "no such address: %s", url);
}
