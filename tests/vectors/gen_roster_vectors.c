/* gen_roster_vectors.c - write roster-v1.json: a small network's roster records (every byte a
 * verifier must reproduce: co-signature inputs, root hashes, the network id, encodings, ids)
 * and notices with the verdict the trust rules of PROTOCOL.md §18 give each. Keys come from
 * fixed seeds and Ed25519 is deterministic, so the output is the same on every run.
 * usage: gen_roster_vectors > roster-v1.json */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys_secret.h"
#include "proto_roster.h"
#include "roster.h"
#include "tool.h"

struct party {
    const char *name;
    uint8_t seed_byte;
    keys_secret *key;
    uint64_t seq;
    uint8_t last[PROTO_ID_BYTES];
};

static struct party parties[] = {
    {"holder1", 0x11, NULL, 0, {0}},   {"holder2", 0x12, NULL, 0, {0}},
    {"holder3", 0x13, NULL, 0, {0}},   {"holder4", 0x14, NULL, 0, {0}},
    {"ministry", 0x21, NULL, 0, {0}},  {"bengkulu", 0x31, NULL, 0, {0}},
    {"bengkulu2", 0x32, NULL, 0, {0}}, {"kota", 0x41, NULL, 0, {0}},
    {"rogue", 0x51, NULL, 0, {0}},
};
#define N_PARTIES (sizeof parties / sizeof parties[0])

static struct party *who(const char *name)
{
    for (size_t i = 0; i < N_PARTIES; i++)
        if (strcmp(parties[i].name, name) == 0) return &parties[i];
    abort();
}

static const uint8_t *pk(const char *name)
{
    return keys_secret_pk(who(name)->key);
}

static uint64_t at(const char *t)
{
    uint64_t ms = 0;
    if (tool_time_parse(t, &ms) != 0) abort();
    return ms;
}

static json_t *records;
static uint8_t network[PROTO_ID_BYTES];
static roster *ro;

/* Co-sign r by cosigners (NULL-terminated names), seal it as sealer's next bulletin. */
static void record(const char *name, struct proto_roster *r, const char *sealer,
                   const char *const *cosigners, const char *issued)
{
    static uint8_t body[PROTO_BULLETIN_MAX], out[PROTO_BULLETIN_MAX];
    size_t body_len = 0, len = 0, n_in = 0;
    json_t *names = json_array();
    for (size_t i = 0; cosigners && cosigners[i]; i++) {
        if (proto_roster_cosign(r, keys_secret_sk(who(cosigners[i])->key), NULL) != PROTO_OK)
            abort();
        json_array_append_new(names, json_string(cosigners[i]));
    }
    if (proto_roster_encode(r, body, sizeof body, &body_len, NULL) != PROTO_OK) abort();
    struct party *s = who(sealer);
    struct proto_bulletin b = {.kind = r->kind, .sequence = s->seq + 1, .issued_at = at(issued)};
    memcpy(b.issuer, keys_secret_pk(s->key), PROTO_KEY_BYTES);
    if (s->seq) memcpy(b.previous, s->last, PROTO_ID_BYTES);
    b.record = (struct proto_str){body, body_len};
    if (proto_bulletin_sign(&b, keys_secret_sk(s->key), out, sizeof out, &len, NULL) != PROTO_OK)
        abort();
    s->seq++;
    proto_bulletin_id(out, len, s->last);
    uint8_t *m = proto_roster_signing_input(r, &n_in);
    json_t *v = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "name", name, "kind",
                          proto_kind_name(r->kind), "sealed_by", sealer, "cosigned_by", names,
                          "cosign_input", tool_hex_json(m, n_in), "encoding",
                          tool_hex_json(out, len), "id", tool_hex_json(s->last, PROTO_ID_BYTES));
    free(m);
    if (r->kind == PROTO_KIND_ROOT) {
        uint8_t h[PROTO_ID_BYTES];
        proto_roster_root_hash(r, h);
        json_object_set_new(v, "root_hash", tool_hex_json(h, PROTO_ID_BYTES));
        if (r->version == 1) memcpy(network, h, PROTO_ID_BYTES);
    }
    char err[128];
    if (ro == NULL) {
        ro = roster_new(out, len, err, sizeof err);
        if (ro == NULL) abort();
    } else if (roster_add(ro, out, len) != ROSTER_TRUSTED) {
        abort();
    }
    json_array_append_new(records, v);
}

static void sorted_keys(struct proto_roster *r, const char *const *names)
{
    for (r->n_keys = 0; names[r->n_keys]; r->n_keys++)
        memcpy(r->keys[r->n_keys], pk(names[r->n_keys]), PROTO_KEY_BYTES);
    for (size_t i = 0; i < r->n_keys; i++)
        for (size_t j = i + 1; j < r->n_keys; j++)
            if (memcmp(r->keys[j], r->keys[i], PROTO_KEY_BYTES) < 0) {
                uint8_t t[PROTO_KEY_BYTES];
                memcpy(t, r->keys[i], PROTO_KEY_BYTES);
                memcpy(r->keys[i], r->keys[j], PROTO_KEY_BYTES);
                memcpy(r->keys[j], t, PROTO_KEY_BYTES);
            }
}

static struct proto_roster delegation(const char *key, const char *office, const char *name,
                                      uint8_t role, const char *region, bool may_delegate,
                                      const char *from, const char *until)
{
    struct proto_roster d = {.kind = PROTO_KIND_DELEGATION,
                             .role = role,
                             .n_regions = 1,
                             .valid_from = at(from),
                             .valid_until = until ? at(until) : 0};
    memcpy(d.network, network, PROTO_ID_BYTES);
    memcpy(d.key, pk(key), PROTO_KEY_BYTES);
    d.office = (struct proto_str){(const uint8_t *)office, strlen(office)};
    d.name = (struct proto_str){(const uint8_t *)name, strlen(name)};
    d.regions[0] = (struct proto_str){(const uint8_t *)region, strlen(region)};
    d.flags = may_delegate ? PROTO_ROSTER_FLAG_DELEGATE : 0;
    return d;
}

static json_t *checks;

/* A notice by key about region issued at time t, and what the roster says of it. */
static void check(const char *name, const char *key, const char *region, const char *t)
{
    static uint8_t out[PROTO_BULLETIN_MAX];
    size_t len = 0;
    struct proto_bulletin b = {
        .kind = PROTO_KIND_CLARIFICATION, .sequence = 1000, .issued_at = at(t)};
    memcpy(b.issuer, pk(key), PROTO_KEY_BYTES);
    memset(b.previous, 0xab, PROTO_ID_BYTES);
    b.lang = (struct proto_str){(const uint8_t *)"id", 2};
    b.region = (struct proto_str){(const uint8_t *)region, strlen(region)};
    b.verdict = (struct proto_str){(const uint8_t *)"HOAKS", 5};
    b.title = (struct proto_str){(const uint8_t *)name, strlen(name)};
    if (proto_bulletin_sign(&b, keys_secret_sk(who(key)->key), out, sizeof out, &len, NULL) != 0)
        abort();
    struct roster_office w;
    int st = roster_check(ro, &b, &w);
    json_t *v = json_pack("{s:s, s:s, s:o, s:s}", "name", name, "issuer", key, "encoding",
                          tool_hex_json(out, len), "status", roster_status_name(st));
    if (st == ROSTER_TRUSTED)
        json_object_set_new(
            v, "office", json_stringn((const char *)w.delegation.office.p, w.delegation.office.n));
    json_array_append_new(checks, v);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    for (size_t i = 0; i < N_PARTIES; i++) {
        uint8_t seed[KEYS_SEED_BYTES];
        memset(seed, parties[i].seed_byte, sizeof seed);
        parties[i].key = keys_secret_from_seed(seed);
    }
    records = json_array();
    checks = json_array();

    struct proto_roster root = {.kind = PROTO_KIND_ROOT,
                                .version = 1,
                                .threshold = 2,
                                .valid_from = at("2026-01-01T00:00:00Z")};
    sorted_keys(&root, (const char *const[]){"holder1", "holder2", "holder3", NULL});
    record("root version 1: holders 1-3, 2 of 3", &root, "holder1",
           (const char *const[]){"holder2", NULL}, "2026-01-01T00:00:00Z");
    struct proto_roster d =
        delegation("ministry", "kemkomdigi", "Kementerian Komunikasi dan Digital",
                   PROTO_ROLE_MINISTRY, "", true, "2026-01-01T00:00:00Z", NULL);
    record("the root enrols the ministry (national, may delegate)", &d, "ministry",
           (const char *const[]){"holder1", "holder3", NULL}, "2026-01-02T00:00:00Z");
    d = delegation("bengkulu", "diskominfo-17", "Diskominfo Provinsi Bengkulu", PROTO_ROLE_PROVINCE,
                   "17", true, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
    record("the ministry enrols Bengkulu province (17, may delegate, for 2026)", &d, "ministry",
           NULL, "2026-01-03T00:00:00Z");
    d = delegation("kota", "diskominfo-1771", "Diskominfo Kota Bengkulu", PROTO_ROLE_REGENCY,
                   "17.71", false, "2026-02-01T00:00:00Z", NULL);
    record("the province enrols Kota Bengkulu (17.71)", &d, "bengkulu", NULL,
           "2026-02-01T00:00:00Z");
    d = delegation("rogue", "diskominfo-17", "Diskominfo Provinsi Bengkulu", PROTO_ROLE_PROVINCE,
                   "", true, "2026-01-01T00:00:00Z", NULL);
    record("a key enrols itself (no authority: not in force)", &d, "rogue", NULL,
           "2026-02-02T00:00:00Z");
    struct proto_roster rv = {.kind = PROTO_KIND_REVOCATION,
                              .valid_from = at("2026-06-01T00:00:00Z")};
    memcpy(rv.network, network, PROTO_ID_BYTES);
    memcpy(rv.key, pk("kota"), PROTO_KEY_BYTES);
    rv.reason = (struct proto_str){(const uint8_t *)"laptop hilang", 13};
    record("the province revokes Kota Bengkulu's key from 2026-06-01", &rv, "bengkulu", NULL,
           "2026-06-01T08:00:00Z");
    struct proto_roster rot = {.kind = PROTO_KIND_ROTATION,
                               .valid_from = at("2026-09-01T00:00:00Z")};
    memcpy(rot.network, network, PROTO_ID_BYTES);
    memcpy(rot.key, pk("bengkulu"), PROTO_KEY_BYTES);
    memcpy(rot.new_key, pk("bengkulu2"), PROTO_KEY_BYTES);
    record("Bengkulu province rotates to a new key from 2026-09-01", &rot, "bengkulu", NULL,
           "2026-08-30T00:00:00Z");
    struct proto_roster v2 = {.kind = PROTO_KIND_ROOT,
                              .version = 2,
                              .threshold = 2,
                              .valid_from = at("2026-10-01T00:00:00Z")};
    memcpy(v2.network, network, PROTO_ID_BYTES);
    proto_roster_root_hash(&root, v2.previous);
    sorted_keys(&v2, (const char *const[]){"holder2", "holder3", "holder4", NULL});
    record("root version 2: holders 2-4 (2 of the old and 2 of the new sign)", &v2, "holder2",
           (const char *const[]){"holder3", "holder4", NULL}, "2026-09-15T00:00:00Z");

    check("province, inside its scope", "bengkulu", "17.71", "2026-03-01T00:00:00Z");
    check("province, outside its scope", "bengkulu", "31", "2026-03-01T00:00:00Z");
    check("province, national notice", "bengkulu", "", "2026-03-01T00:00:00Z");
    check("city, before its revocation", "kota", "17.71", "2026-05-31T23:59:59.999Z");
    check("city, at its revocation", "kota", "17.71", "2026-06-01T00:00:00Z");
    check("self-enrolled key", "rogue", "17", "2026-03-01T00:00:00Z");
    check("province's old key after the rotation", "bengkulu", "17", "2026-09-01T00:00:00Z");
    check("province's new key after the rotation", "bengkulu2", "17", "2026-09-02T00:00:00Z");
    check("province's new key after the delegation ended", "bengkulu2", "17",
          "2027-01-01T00:00:00Z");
    check("ministry under root version 2", "ministry", "", "2026-12-01T00:00:00Z");
    check("city before its delegation started", "kota", "17.71", "2026-01-15T00:00:00Z");

    /* Whether each record is in force, judged over the whole set. */
    size_t k;
    json_t *v;
    json_array_foreach(records, k, v)
    {
        static uint8_t raw[PROTO_BULLETIN_MAX];
        const char *hex = json_string_value(json_object_get(v, "encoding"));
        size_t len = strlen(hex) / 2;
        struct proto_bulletin rec;
        tool_unhex(hex, raw, len);
        proto_bulletin_decode(&rec, raw, len, NULL);
        json_object_set_new(v, "in_force",
                            json_boolean(roster_check(ro, &rec, NULL) == ROSTER_TRUSTED));
    }
    json_t *keys = json_object();
    for (size_t p = 0; p < N_PARTIES; p++) {
        uint8_t seed[KEYS_SEED_BYTES];
        memset(seed, parties[p].seed_byte, sizeof seed);
        json_object_set_new(keys, parties[p].name,
                            json_pack("{s:o, s:o}", "seed", tool_hex_json(seed, sizeof seed),
                                      "public_key",
                                      tool_hex_json(keys_secret_pk(parties[p].key), 32)));
    }
    json_t *doc = json_pack(
        "{s:s, s:o, s:o, s:I, s:o, s:o}", "comment",
        "Generated by tests/vectors/gen_roster_vectors; checked by tests/unit/test_roster.c and "
        "tests/vectors/verify_roster_vectors.py. The first record is the pinned root. See "
        "docs/PROTOCOL.md §17-18.",
        "network_id", tool_hex_json(network, PROTO_ID_BYTES), "keys", keys, "current_root_version",
        (json_int_t)roster_root(ro)->version, "records", records, "checks", checks);
    json_dumpf(doc, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(doc);
    roster_free(&ro);
    for (size_t p = 0; p < N_PARTIES; p++)
        keys_secret_destroy(&parties[p].key);
    return 0;
}
