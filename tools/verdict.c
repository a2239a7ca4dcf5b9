/* verdict.c - the answer of `warta verify`: is a bulletin well-formed, from this key or trusted
 * by this roster, unaltered, unexpired? One decision that the tool and the gateway's
 * POST /v1/verify both give, with its JSON form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_pubkey.h"
#include "tool.h"
#include "i18n.h"

_Static_assert(VERIFY_MALFORMED == EXIT_MALFORMED, "verify's malformed is the table's");

const char *tool_verify_name(int result)
{
    static const char *const names[] = {"valid",     "bad_signature", "wrong_key",
                                        "malformed", "expired",       "untrusted"};
    return result >= 0 && result <= VERIFY_UNTRUSTED ? names[result] : "?";
}

json_t *tool_office_json(const struct roster_office *w)
{
    const struct proto_roster *d = &w->delegation;
    char pk[PROTO_PUBKEY_TEXT_LEN + 1];
    json_t *regions = json_array(), *path = json_array();
    for (size_t i = 0; i < d->n_regions; i++)
        json_array_append_new(regions,
                              json_stringn((const char *)d->regions[i].p, d->regions[i].n));
    for (size_t i = 0; i < w->depth; i++) {
        proto_pubkey_format(w->path[i], pk);
        json_array_append_new(path, json_string(pk));
    }
    if (w->path_to_root)
        json_array_append_new(
            path, json_sprintf("root version %llu", (unsigned long long)w->root_version));
    return json_pack("{s:s%, s:s%, s:s, s:o, s:o}", "office", (const char *)d->office.p,
                     d->office.n, "name", (const char *)d->name.p, d->name.n, "role",
                     proto_role_name(d->role), "regions", regions, "delegation_path", path);
}

/* Classify the bulletin; msg receives the reason for a failure. */
static enum verify_result judge(const struct proto_bulletin *b, const uint8_t *raw, size_t len,
                                const uint8_t *pk, uint64_t at, const char *path, char *msg,
                                size_t cap)
{
    char want[PROTO_PUBKEY_TEXT_LEN + 1], got[PROTO_PUBKEY_TEXT_LEN + 1], t[TOOL_TIME_LEN];
    /* The issuer is compared before the signature, so a wrong key is not reported as forgery. */
    if (pk == NULL) pk = b->issuer; /* with a roster, the roster says who the issuer is */
    if (memcmp(b->issuer, pk, PROTO_KEY_BYTES) != 0) {
        proto_pubkey_format(pk, want);
        proto_pubkey_format(b->issuer, got);
        snprintf(msg, cap, _("%s: issued by %s, not by %s"), path, got, want);
        return VERIFY_WRONG_KEY;
    }
    if (proto_bulletin_verify(b, raw, len) != PROTO_OK) {
        proto_pubkey_format(pk, want);
        snprintf(msg, cap, _("%s: signature does not match issuer key %s: forged or altered"), path,
                 want);
        return VERIFY_BAD_SIGNATURE;
    }
    struct proto_roster r;
    if (proto_kind_is_roster(b->kind) &&
        proto_roster_decode(&r, b->kind, b->record.p, b->record.n, NULL) != PROTO_OK) {
        snprintf(msg, cap, _("%s: malformed roster record"), path);
        return VERIFY_MALFORMED;
    }
    if (proto_kind_is_roster(b->kind) && !proto_roster_cosigs_valid(&r)) {
        snprintf(msg, cap, _("%s: a co-signature of the roster record does not verify: the record "
                           "is rejected whole (PROTOCOL.md section 17)"), path);
        return VERIFY_BAD_SIGNATURE;
    }
    if (b->expires_at != 0 && at >= b->expires_at) {
        tool_time_format(b->expires_at, t);
        snprintf(msg, cap, _("%s: authentic, but expired at %s"), path, t);
        return VERIFY_EXPIRED;
    }
    return VERIFY_VALID;
}

int tool_verdict(const uint8_t *raw, size_t len, const uint8_t *pk, roster *ro, uint64_t at,
                 const char *where, struct tool_verdict *v)
{
    struct proto_err err = {0};
    memset(v, 0, sizeof *v);
    if ((v->b = malloc(sizeof *v->b)) == NULL) {
        snprintf(v->msg, sizeof v->msg, "%s", _("out of memory"));
        return v->result = VERIFY_MALFORMED;
    }
    if (proto_bulletin_decode(v->b, raw, len, &err) != PROTO_OK) {
        snprintf(v->msg, sizeof v->msg, _("%s: malformed bulletin: field '%s' at byte %zu: %s"),
                 where, err.field ? err.field : "?", err.offset, _(proto_strerror(err.code)));
        free(v->b);
        v->b = NULL;
        return v->result = VERIFY_MALFORMED;
    }
    const struct proto_bulletin *b = v->b;
    v->result = judge(b, raw, len, pk, at, where, v->msg, sizeof v->msg);
    if (v->result != VERIFY_VALID || ro == NULL) return v->result;
    /* A roster record is judged with itself added, and taken out again: verifying changes no
     * roster. */
    size_t held = roster_count(ro);
    if (proto_kind_is_roster(b->kind)) roster_add(ro, raw, len);
    uint8_t id[PROTO_ID_BYTES];
    proto_bulletin_id(raw, len, id);
    int st = roster_check(ro, b, id, &v->office);
    if (st == ROSTER_TRUSTED && !proto_kind_is_roster(b->kind)) v->has_office = true;
    if (st != ROSTER_TRUSTED) {
        snprintf(v->msg, sizeof v->msg, _("%s: authentic, but not trusted by the roster: %s"),
                 where, _(roster_status_name(st)));
        v->result = VERIFY_UNTRUSTED;
    }
    roster_truncate(ro, held);
    return v->result;
}

json_t *tool_verdict_json(const struct tool_verdict *v, const uint8_t *raw, size_t len)
{
    json_t *o = json_pack("{s:b, s:s, s:s?, s:o}", "valid", v->result == VERIFY_VALID, "result",
                          tool_verify_name(v->result), "message",
                          v->result == VERIFY_VALID ? NULL : v->msg, "bulletin",
                          v->b ? tool_bulletin_to_json(v->b, raw, len) : json_null());
    if (v->has_office) json_object_set_new(o, "issuer_office", tool_office_json(&v->office));
    return o;
}

void tool_verdict_free(struct tool_verdict *v)
{
    free(v->b);
    v->b = NULL;
}
