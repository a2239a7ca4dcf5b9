/* roster_text.c - roster records for people and scripts: text, JSON and a one-line summary
 * (used by warta roster, verify, show, list and get). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "proto_pubkey.h"
#include "proto_roster.h"
#include "tool.h"
#include "i18n.h"

void tool_print_key(const char *label, const uint8_t *pk)
{
    char text[PROTO_PUBKEY_TEXT_LEN + 1], fp[PROTO_FINGERPRINT_LEN + 1];
    proto_pubkey_format(pk, text);
    proto_pubkey_fingerprint(pk, fp);
    printf("  %s %s (%s)\n", label, text, fp);
}

static void print_regions(const struct proto_roster *r)
{
    for (size_t i = 0; i < r->n_regions; i++)
        printf("%s%.*s", i ? ", " : "", r->regions[i].n ? (int)r->regions[i].n : 8,
               r->regions[i].n ? (const char *)r->regions[i].p : "national");
}

void tool_print_record(const struct proto_roster *r)
{
    char t[TOOL_TIME_LEN], hex[65];
    switch (r->kind) {
    case PROTO_KIND_ROOT:
        tool_time_format(r->valid_from, t);
        printf(_("root version %llu: %u of %zu keys, from %s\n"), (unsigned long long)r->version,
               r->threshold, r->n_keys, t);
        for (size_t i = 0; i < r->n_keys; i++)
            tool_print_key(_("key"), r->keys[i]);
        break;
    case PROTO_KIND_DELEGATION:
        printf(_("delegation: %.*s \"%.*s\" (%s%s), regions "), (int)r->office.n,
               (const char *)r->office.p, (int)r->name.n, (const char *)r->name.p,
               proto_role_name(r->role),
               r->flags & PROTO_ROSTER_FLAG_DELEGATE ? ", may delegate" : "");
        print_regions(r);
        tool_time_format(r->valid_from, t);
        printf(_(", from %s"), t);
        if (r->valid_until) tool_time_format(r->valid_until, t), printf(_(" until %s"), t);
        printf("\n");
        tool_print_key(_("key"), r->key);
        break;
    case PROTO_KIND_REVOCATION:
        tool_time_format(r->valid_from, t);
        printf(_("revocation from %s: %.*s\n"), t, (int)r->reason.n,
               r->reason.n ? (const char *)r->reason.p : "");
        tool_print_key(_("key"), r->key);
        break;
    case PROTO_KIND_CHAIN_END: {
        char id[2 * PROTO_ID_BYTES + 1];
        sodium_bin2hex(id, sizeof id, r->last_id, PROTO_ID_BYTES);
        if (r->last_sequence)
            printf(_("chain end after sequence %llu (%s): %.*s\n"),
                   (unsigned long long)r->last_sequence, id, (int)r->reason.n,
                   r->reason.n ? (const char *)r->reason.p : "");
        else
            printf(_("chain end: no bulletin of the key is trusted: %.*s\n"), (int)r->reason.n,
                   r->reason.n ? (const char *)r->reason.p : "");
        tool_print_key(_("key"), r->key);
        break;
    }
    default:
        tool_time_format(r->valid_from, t);
        printf(_("rotation from %s\n"), t);
        tool_print_key(_("old"), r->key);
        tool_print_key(_("new"), r->new_key);
    }
    if (r->network[0] || !proto_is_zero(r->network, 32)) {
        tool_hex(r->network, 32, hex);
        printf(_("  network %s\n"), hex);
    }
    for (size_t i = 0; i < r->n_sigs; i++)
        tool_print_key(proto_roster_cosig_valid(r, i) ? "co-signed by" : "BAD co-signature of",
                       r->sigs[i].key);
}

static json_t *key_json(const uint8_t *pk)
{
    char text[PROTO_PUBKEY_TEXT_LEN + 1];
    proto_pubkey_format(pk, text);
    return json_string(text);
}

static json_t *when_json(uint64_t ms)
{
    char t[TOOL_TIME_LEN];
    if (ms == 0) return json_null();
    tool_time_format(ms, t);
    return json_string(t);
}

json_t *tool_record_to_json(const struct proto_roster *r)
{
    char hex[2 * PROTO_ID_BYTES + 1];
    json_t *o = json_object(), *a;
    tool_hex(r->network, PROTO_ID_BYTES, hex);
    json_object_set_new(o, "network",
                        proto_is_zero(r->network, 32) ? json_null() : json_string(hex));
    switch (r->kind) {
    case PROTO_KIND_ROOT:
        tool_hex(r->previous, PROTO_ID_BYTES, hex);
        json_object_set_new(o, "version", json_integer((json_int_t)r->version));
        json_object_set_new(o, "previous", r->version == 1 ? json_null() : json_string(hex));
        json_object_set_new(o, "valid_from", when_json(r->valid_from));
        json_object_set_new(o, "threshold", json_integer(r->threshold));
        a = json_array();
        for (size_t i = 0; i < r->n_keys; i++)
            json_array_append_new(a, key_json(r->keys[i]));
        json_object_set_new(o, "keys", a);
        break;
    case PROTO_KIND_DELEGATION:
        json_object_set_new(o, "key", key_json(r->key));
        json_object_set_new(o, "office", json_stringn((const char *)r->office.p, r->office.n));
        json_object_set_new(o, "name", json_stringn((const char *)r->name.p, r->name.n));
        json_object_set_new(o, "role", json_string(proto_role_name(r->role)));
        json_object_set_new(o, "may_delegate", json_boolean(r->flags & PROTO_ROSTER_FLAG_DELEGATE));
        a = json_array();
        for (size_t i = 0; i < r->n_regions; i++)
            json_array_append_new(a, json_stringn((const char *)r->regions[i].p, r->regions[i].n));
        json_object_set_new(o, "regions", a);
        json_object_set_new(o, "valid_from", when_json(r->valid_from));
        json_object_set_new(o, "valid_until", when_json(r->valid_until));
        break;
    case PROTO_KIND_REVOCATION:
        json_object_set_new(o, "key", key_json(r->key));
        json_object_set_new(o, "effective_at", when_json(r->valid_from));
        json_object_set_new(o, "reason", json_stringn((const char *)r->reason.p, r->reason.n));
        break;
    case PROTO_KIND_CHAIN_END: {
        char id[2 * PROTO_ID_BYTES + 1];
        sodium_bin2hex(id, sizeof id, r->last_id, PROTO_ID_BYTES);
        json_object_set_new(o, "key", key_json(r->key));
        json_object_set_new(o, "last_sequence", tool_u64_json(r->last_sequence));
        json_object_set_new(o, "last_id", r->last_sequence ? json_string(id) : json_null());
        json_object_set_new(o, "reason", json_stringn((const char *)r->reason.p, r->reason.n));
        break;
    }
    default:
        json_object_set_new(o, "old", key_json(r->key));
        json_object_set_new(o, "new", key_json(r->new_key));
        json_object_set_new(o, "effective_at", when_json(r->valid_from));
    }
    a = json_array();
    for (size_t i = 0; i < r->n_sigs; i++)
        json_array_append_new(a, key_json(r->sigs[i].key));
    json_object_set_new(o, "cosigned_by", a);
    return o;
}

void tool_record_summary(const struct proto_bulletin *b, char *out, size_t cap)
{
    struct proto_roster r;
    char pk[PROTO_PUBKEY_TEXT_LEN + 1];
    if (proto_roster_decode(&r, b->kind, b->record.p, b->record.n, NULL) != PROTO_OK) {
        snprintf(out, cap, _("(damaged record)"));
        return;
    }
    proto_pubkey_format(r.key, pk);
    switch (r.kind) {
    case PROTO_KIND_ROOT:
        snprintf(out, cap, _("root version %llu, %u of %zu keys"), (unsigned long long)r.version,
                 r.threshold, r.n_keys);
        break;
    case PROTO_KIND_DELEGATION:
        snprintf(out, cap, _("enrols %.*s: %.*s (%s)"), (int)r.office.n, (const char *)r.office.p,
                 (int)r.name.n, (const char *)r.name.p, proto_role_name(r.role));
        break;
    case PROTO_KIND_REVOCATION:
        snprintf(out, cap, _("revokes %.16s..."), pk);
        break;
    case PROTO_KIND_CHAIN_END:
        snprintf(out, cap, _("ends the chain of %.16s... after #%llu"), pk,
                 (unsigned long long)r.last_sequence);
        break;
    default:
        snprintf(out, cap, _("rotates %.16s... to a new key"), pk);
    }
}
