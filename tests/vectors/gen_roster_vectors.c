/* gen_roster_vectors.c - write roster-v2.json: scenarios, each a small network's roster records
 * (every byte a verifier must reproduce: co-signature inputs, root hashes, the network id,
 * encodings, ids, and whether each record is in force) and notices with the verdict the trust
 * rules of PROTOCOL.md §18 give each: one scenario per rule and per adversarial pattern. Keys
 * come from fixed seeds and Ed25519 is deterministic, so the output is the same on every run.
 * usage: gen_roster_vectors > roster-v2.json */
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
    uint8_t last[PROTO_ID_BYTES], prev[PROTO_ID_BYTES]; /* ids of its last two bulletins */
};

static struct party parties[] = {
    {.name = "holder1", .seed_byte = 0x11},  {.name = "holder2", .seed_byte = 0x12}, {.name = "holder3", .seed_byte = 0x13}, {.name = "holder4", .seed_byte = 0x14},
    {.name = "holder5", .seed_byte = 0x15},  {.name = "ministry", .seed_byte = 0x21}, {.name = "bengkulu", .seed_byte = 0x31}, {.name = "bengkulu2", .seed_byte = 0x32},
    {.name = "jambi", .seed_byte = 0x33},    {.name = "riau", .seed_byte = 0x34},     {.name = "riau2", .seed_byte = 0x35},    {.name = "kota", .seed_byte = 0x41},
    {.name = "city1", .seed_byte = 0x42},    {.name = "city2", .seed_byte = 0x43},    {.name = "city3", .seed_byte = 0x44},    {.name = "city4", .seed_byte = 0x45},
    {.name = "city5", .seed_byte = 0x46},    {.name = "rogue", .seed_byte = 0x51},    {.name = "fake", .seed_byte = 0x52},
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

static json_t *records, *checks, *scenarios;
static uint8_t network[PROTO_ID_BYTES];
static roster *ro;

/* A new scenario: every party's chain starts again, and the next record is the pinned root. */
static void scenario(const char *name)
{
    if (scenarios == NULL) scenarios = json_array();
    json_array_append_new(scenarios, json_pack("{s:s, s:o, s:o}", "name", name, "records",
                                               json_array(), "checks", json_array()));
    json_t *sc = json_array_get(scenarios, json_array_size(scenarios) - 1);
    records = json_object_get(sc, "records");
    checks = json_object_get(sc, "checks");
    for (size_t i = 0; i < N_PARTIES; i++)
        parties[i].seq = 0, memset(parties[i].last, 0, PROTO_ID_BYTES);
    roster_free(&ro);
}

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
    memcpy(s->prev, s->last, PROTO_ID_BYTES);
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

/* A notice by key about region issued at time t: the next of key's chain, or (fork) another
 * bulletin at the place of its last one; recorded with what the roster says of it at the end of
 * the scenario. Returns its id (valid until the next call). */
static const uint8_t *notice(const char *name, const char *key, const char *region, const char *t,
                             bool fork)
{
    static uint8_t out[PROTO_BULLETIN_MAX], id[PROTO_ID_BYTES];
    size_t len = 0;
    struct party *s = who(key);
    if (fork && s->seq == 0) abort();
    struct proto_bulletin b = {.kind = PROTO_KIND_CLARIFICATION,
                               .sequence = fork ? s->seq : s->seq + 1,
                               .issued_at = at(t)};
    memcpy(b.issuer, pk(key), PROTO_KEY_BYTES);
    if (b.sequence > 1) memcpy(b.previous, fork ? s->prev : s->last, PROTO_ID_BYTES);
    b.lang = (struct proto_str){(const uint8_t *)"id", 2};
    b.region = (struct proto_str){(const uint8_t *)region, strlen(region)};
    b.verdict = (struct proto_str){(const uint8_t *)"HOAKS", 5};
    b.title = (struct proto_str){(const uint8_t *)name, strlen(name)};
    if (proto_bulletin_sign(&b, keys_secret_sk(s->key), out, sizeof out, &len, NULL) != 0)
        abort();
    proto_bulletin_id(out, len, id);
    if (!fork) {
        memcpy(s->prev, s->last, PROTO_ID_BYTES);
        memcpy(s->last, id, PROTO_ID_BYTES);
        s->seq++;
    }
    json_array_append_new(checks, json_pack("{s:s, s:s, s:I, s:o, s:o}", "name", name, "issuer",
                                            key, "sequence", (json_int_t)b.sequence, "encoding",
                                            tool_hex_json(out, len), "id",
                                            tool_hex_json(id, PROTO_ID_BYTES)));
    return id;
}

static void check(const char *name, const char *key, const char *region, const char *t)
{
    notice(name, key, region, t, false);
}

static void set_key(uint8_t *dst, const char *name)
{
    memcpy(dst, pk(name), PROTO_KEY_BYTES);
}

/* The root of every scenario: holders 1-3, 2 of 3, from 2026-01-01; and the ministry enrolled
 * by two of them (national, may delegate). */
static struct proto_roster root1;
static void root_and_ministry(void)
{
    root1 = (struct proto_roster){.kind = PROTO_KIND_ROOT,
                                  .version = 1,
                                  .threshold = 2,
                                  .valid_from = at("2026-01-01T00:00:00Z")};
    sorted_keys(&root1, (const char *const[]){"holder1", "holder2", "holder3", NULL});
    record("root version 1: holders 1-3, 2 of 3", &root1, "holder1",
           (const char *const[]){"holder2", NULL}, "2026-01-01T00:00:00Z");
    struct proto_roster d =
        delegation("ministry", "kemkomdigi", "Kementerian Komunikasi dan Digital",
                   PROTO_ROLE_MINISTRY, "", true, "2026-01-01T00:00:00Z", NULL);
    record("the root enrols the ministry (national, may delegate; it carries its own enrolment)",
           &d, "ministry", (const char *const[]){"holder1", "holder3", NULL},
           "2026-01-02T00:00:00Z");
}

static void province(const char *key, const char *office, const char *name, const char *region,
                     const char *until, const char *sealed)
{
    char what[160];
    struct proto_roster d = delegation(key, office, name, PROTO_ROLE_PROVINCE, region, true,
                                       "2026-01-01T00:00:00Z", until);
    snprintf(what, sizeof what, "the ministry enrols %s (%s, may delegate)", name, region);
    record(what, &d, "ministry", NULL, sealed);
}

static void city(const char *what, const char *key, const char *region, const char *from,
                 const char *sealer, const char *sealed)
{
    struct proto_roster d =
        delegation(key, "diskominfo-city", "Diskominfo Kota", PROTO_ROLE_REGENCY, region, false,
                   from, NULL);
    record(what, &d, sealer, NULL, sealed);
}

static void revoke(const char *what, const char *key, const char *from, const char *sealer,
                   const char *sealed)
{
    struct proto_roster rv = {.kind = PROTO_KIND_REVOCATION, .valid_from = at(from)};
    memcpy(rv.network, network, PROTO_ID_BYTES);
    set_key(rv.key, key);
    rv.reason = (struct proto_str){(const uint8_t *)"laptop hilang", 13};
    record(what, &rv, sealer, NULL, sealed);
}

static void rotate(const char *what, const char *old, const char *new_key, const char *from,
                   const char *sealer, const char *sealed)
{
    struct proto_roster rot = {.kind = PROTO_KIND_ROTATION, .valid_from = at(from)};
    memcpy(rot.network, network, PROTO_ID_BYTES);
    set_key(rot.key, old);
    set_key(rot.new_key, new_key);
    record(what, &rot, sealer, NULL, sealed);
}

static void chain_end(const char *what, const char *key, uint64_t last, const uint8_t *last_id,
                      const char *sealer, const char *sealed)
{
    struct proto_roster e = {.kind = PROTO_KIND_CHAIN_END, .last_sequence = last};
    memcpy(e.network, network, PROTO_ID_BYTES);
    set_key(e.key, key);
    if (last) memcpy(e.last_id, last_id, PROTO_ID_BYTES);
    e.reason = (struct proto_str){(const uint8_t *)"kunci dicuri", 12};
    record(what, &e, sealer, NULL, sealed);
}

/* The roster's answers over the whole scenario: in_force for each record, status (and office)
 * for each notice. */
static void finish(void)
{
    size_t k;
    json_t *v;
    static uint8_t raw[PROTO_BULLETIN_MAX];
    json_array_foreach(records, k, v)
    {
        const char *hex = json_string_value(json_object_get(v, "encoding"));
        size_t len = strlen(hex) / 2;
        struct proto_bulletin rec;
        tool_unhex(hex, raw, len);
        if (proto_bulletin_decode(&rec, raw, len, NULL) != PROTO_OK) abort();
        json_object_set_new(v, "in_force",
                            json_boolean(roster_check(ro, &rec, NULL, NULL) == ROSTER_TRUSTED));
    }
    json_array_foreach(checks, k, v)
    {
        const char *hex = json_string_value(json_object_get(v, "encoding"));
        size_t len = strlen(hex) / 2;
        struct proto_bulletin b;
        struct roster_office w;
        uint8_t id[PROTO_ID_BYTES];
        tool_unhex(hex, raw, len);
        if (proto_bulletin_decode(&b, raw, len, NULL) != PROTO_OK) abort();
        proto_bulletin_id(raw, len, id);
        int st = roster_check(ro, &b, id, &w);
        json_object_set_new(v, "status", json_string(roster_status_name(st)));
        if (st == ROSTER_TRUSTED)
            json_object_set_new(v, "office", json_stringn((const char *)w.delegation.office.p,
                                                          w.delegation.office.n));
    }
    json_t *sc = json_array_get(scenarios, json_array_size(scenarios) - 1);
    json_object_set_new(sc, "network_id", tool_hex_json(network, PROTO_ID_BYTES));
    json_object_set_new(sc, "current_root_version", json_integer((json_int_t)roster_root(ro)->version));
}

static void the_network(void)
{
    scenario("a small network: enrolments, scope, a revocation, a rotation, root version 2");
    root_and_ministry();
    struct proto_roster d = delegation("bengkulu", "diskominfo-17", "Diskominfo Provinsi Bengkulu",
                                       PROTO_ROLE_PROVINCE, "17", true, "2026-01-01T00:00:00Z",
                                       "2027-01-01T00:00:00Z");
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
    check("city, before its revocation", "kota", "17.71", "2026-05-31T23:59:59.999Z");
    check("province, inside its scope", "bengkulu", "17.71", "2026-03-01T00:00:00Z");
    check("province, outside its scope", "bengkulu", "31", "2026-03-01T00:00:00Z");
    check("province, national notice", "bengkulu", "", "2026-03-01T00:00:00Z");
    revoke("the province revokes Kota Bengkulu's key from 2026-06-01", "kota",
           "2026-06-01T00:00:00Z", "bengkulu", "2026-06-01T08:00:00Z");
    check("city, at its revocation", "kota", "17.71", "2026-06-01T00:00:00Z");
    check("self-enrolled key", "rogue", "17", "2026-03-01T00:00:00Z");
    rotate("Bengkulu province rotates to a new key from 2026-09-01 (sealed by the old key)",
           "bengkulu", "bengkulu2", "2026-09-01T00:00:00Z", "bengkulu", "2026-08-30T00:00:00Z");
    check("province's old key after the rotation", "bengkulu", "17", "2026-09-01T00:00:00Z");
    check("province's new key after the rotation", "bengkulu2", "17", "2026-09-02T00:00:00Z");
    check("province's new key after the delegation ended", "bengkulu2", "17",
          "2027-01-01T00:00:00Z");
    struct proto_roster v2 = {.kind = PROTO_KIND_ROOT,
                              .version = 2,
                              .threshold = 2,
                              .valid_from = at("2026-10-01T00:00:00Z")};
    memcpy(v2.network, network, PROTO_ID_BYTES);
    proto_roster_root_hash(&root1, v2.previous);
    sorted_keys(&v2, (const char *const[]){"holder2", "holder3", "holder4", NULL});
    record("root version 2: holders 2-4 (2 of the old and 2 of the new sign)", &v2, "holder2",
           (const char *const[]){"holder3", "holder4", NULL}, "2026-09-15T00:00:00Z");
    check("ministry under root version 2", "ministry", "", "2026-12-01T00:00:00Z");
    check("city before its delegation started", "kota", "17.71", "2026-01-15T00:00:00Z");
    finish();
}

static void without_authority(void)
{
    scenario("records sealed by keys that had no authority when they sealed them, back-dated");
    root_and_ministry();
    province("bengkulu", "diskominfo-17", "Bengkulu", "17", "2026-06-01T00:00:00Z",
             "2026-01-10T00:00:00Z");
    province("jambi", "diskominfo-15", "Jambi", "15", NULL, "2026-01-10T00:00:01Z");
    province("riau", "diskominfo-14", "Riau", "14", NULL, "2026-01-10T00:00:02Z");
    city("Jambi enrols city3 (15.01) while trusted", "city3", "15.01", "2026-02-01T00:00:00Z",
         "jambi", "2026-02-01T00:00:00Z");
    revoke("the ministry revokes Jambi from 2026-03-01 (sealed a day later)", "jambi",
           "2026-03-01T00:00:00Z", "ministry", "2026-03-02T00:00:00Z");
    city("Bengkulu, expired, enrols city1 with a back-dated start", "city1", "17.01",
         "2026-05-01T00:00:00Z", "bengkulu", "2026-07-01T00:00:00Z");
    city("Jambi, revoked, enrols city2 with a back-dated start", "city2", "15.02",
         "2026-02-01T00:00:00Z", "jambi", "2026-04-01T00:00:00Z");
    city("Jambi enrols city4 after its revocation took effect, before it was sealed", "city4",
         "15.04", "2026-03-01T12:00:00Z", "jambi", "2026-03-01T12:00:00Z");
    revoke("Jambi, revoked, revokes city3 with a back-dated time", "city3",
           "2026-02-15T00:00:00Z", "jambi", "2026-04-02T00:00:00Z");
    rotate("Riau rotates to a new key from 2026-03-01, sealed by the old key that day", "riau",
           "riau2", "2026-03-01T00:00:00Z", "riau", "2026-03-01T10:00:00Z");
    city("Riau's old key enrols city5 after the rotation", "city5", "14.05",
         "2026-02-01T00:00:00Z", "riau", "2026-04-01T00:00:00Z");
    city("an unknown key enrols fake", "fake", "17", "2026-02-01T00:00:00Z", "rogue",
         "2026-02-01T00:00:00Z");
    check("city1 (enrolled by an expired delegator)", "city1", "17.01", "2026-08-01T00:00:00Z");
    check("city2 (enrolled by a revoked delegator)", "city2", "15.02", "2026-05-01T00:00:00Z");
    check("city3 (its revocation was sealed by a revoked key)", "city3", "15.01",
          "2026-05-01T00:00:00Z");
    check("city4 (enrolled after its delegator's revocation took effect)", "city4", "15.04",
          "2026-05-01T00:00:00Z");
    check("city5 (enrolled by a rotated-out key)", "city5", "14.05", "2026-05-01T00:00:00Z");
    check("fake (enrolled by an unknown key)", "fake", "17", "2026-05-01T00:00:00Z");
    check("Riau's new key", "riau2", "14", "2026-05-01T00:00:00Z");
    check("Riau's old key after the rotation", "riau", "14", "2026-05-01T00:00:00Z");
    finish();
}

static void self_removal(void)
{
    scenario("a key that rotates or revokes itself, after the record's effective time");
    root_and_ministry();
    province("bengkulu", "diskominfo-17", "Bengkulu", "17", NULL, "2026-01-10T00:00:00Z");
    city("Bengkulu enrols Kota Bengkulu", "kota", "17.71", "2026-01-01T00:00:00Z", "bengkulu",
         "2026-01-11T00:00:00Z");
    check("the province before its rotation", "bengkulu", "17", "2026-02-15T00:00:00Z");
    rotate("the province rotates from 2026-03-01, sealed by the old key at 10:00 that day",
           "bengkulu", "bengkulu2", "2026-03-01T00:00:00Z", "bengkulu", "2026-03-01T10:00:00Z");
    check("the province's new key", "bengkulu2", "17", "2026-03-02T00:00:00Z");
    check("the province's old key, after the rotation in its chain", "bengkulu", "17",
          "2026-02-20T00:00:00Z");
    check("the city before it revokes itself", "kota", "17.71", "2026-04-01T00:00:00Z");
    revoke("the city revokes its own key from 2026-05-01, sealing it at 09:00", "kota",
           "2026-05-01T00:00:00Z", "kota", "2026-05-01T09:00:00Z");
    check("the city's key after its self-revocation", "kota", "17.71", "2026-04-15T00:00:00Z");
    finish();
}

static void paths_and_roots(void)
{
    scenario("delegation paths, scope, and two candidate root versions");
    root_and_ministry();
    province("bengkulu", "diskominfo-17", "Bengkulu", "17", NULL, "2026-01-10T00:00:00Z");
    struct proto_roster d =
        delegation("kota", "diskominfo-1771", "Diskominfo Kota Bengkulu", PROTO_ROLE_REGENCY,
                   "17.71", true, "2026-01-01T00:00:00Z", NULL);
    record("the province enrols Kota Bengkulu (17.71, may delegate)", &d, "bengkulu", NULL,
           "2026-01-11T00:00:00Z");
    city("the city enrols city1 for 17.71.01", "city1", "17.71.01", "2026-01-01T00:00:00Z",
         "kota", "2026-01-12T00:00:00Z");
    city("city1 (may not delegate) enrols city2", "city2", "17.71.01", "2026-01-01T00:00:00Z",
         "city1", "2026-01-13T00:00:00Z");
    city("the city enrols city3 outside its scope", "city3", "17.72", "2026-01-01T00:00:00Z",
         "kota", "2026-01-14T00:00:00Z");
    struct proto_roster a = {.kind = PROTO_KIND_ROOT,
                             .version = 2,
                             .threshold = 1,
                             .valid_from = at("2026-03-01T00:00:00Z")},
                        b = a;
    memcpy(a.network, network, PROTO_ID_BYTES);
    memcpy(b.network, network, PROTO_ID_BYTES);
    proto_roster_root_hash(&root1, a.previous);
    memcpy(b.previous, a.previous, PROTO_ID_BYTES);
    sorted_keys(&a, (const char *const[]){"holder4", NULL});
    sorted_keys(&b, (const char *const[]){"holder5", NULL});
    record("a root version 2 (holder4 alone)", &a, "holder4",
           (const char *const[]){"holder1", "holder2", NULL}, "2026-02-20T00:00:00Z");
    record("another root version 2 (holder5 alone): the lower root hash is followed", &b,
           "holder5", (const char *const[]){"holder2", "holder3", NULL}, "2026-02-21T00:00:00Z");
    d = delegation("jambi", "diskominfo-15", "Jambi", PROTO_ROLE_PROVINCE, "15", false,
                   "2026-03-01T00:00:00Z", NULL);
    record("holder4 enrols Jambi under its root version 2", &d, "holder4", NULL,
           "2026-03-05T00:00:00Z");
    d = delegation("riau", "diskominfo-14", "Riau", PROTO_ROLE_PROVINCE, "14", false,
                   "2026-03-01T00:00:00Z", NULL);
    record("holder5 enrols Riau under its root version 2", &d, "holder5", NULL,
           "2026-03-05T00:00:00Z");
    check("city1, three delegations from the root", "city1", "17.71.01", "2026-02-01T00:00:00Z");
    check("city1, outside its scope", "city1", "17.71.02", "2026-02-01T00:00:00Z");
    check("city2 (enrolled by a key that may not delegate)", "city2", "17.71.01",
          "2026-02-01T00:00:00Z");
    check("city3 (enrolled outside its delegator's scope)", "city3", "17.72",
          "2026-02-01T00:00:00Z");
    check("Jambi", "jambi", "15", "2026-04-01T00:00:00Z");
    check("Riau", "riau", "14", "2026-04-01T00:00:00Z");
    finish();
}

static void theft(void)
{
    scenario("a stolen key: the thief signs back-dated bulletins; the ministry ends its chain");
    root_and_ministry();
    province("bengkulu", "diskominfo-17", "Bengkulu", "17", NULL, "2026-01-10T00:00:00Z");
    province("jambi", "diskominfo-15", "Jambi", "15", NULL, "2026-01-10T00:00:01Z");
    check("the office's first bulletin", "bengkulu", "17", "2026-03-01T00:00:00Z");
    check("its second", "bengkulu", "17", "2026-03-02T00:00:00Z");
    uint8_t third[PROTO_ID_BYTES];
    memcpy(third, notice("its third, the last it vouches for", "bengkulu", "17",
                         "2026-03-03T00:00:00Z", false),
           PROTO_ID_BYTES);
    notice("the thief's other bulletin at the third place (a fork)", "bengkulu", "17",
           "2026-03-03T00:00:00Z", true);
    check("the thief's next bulletin, dated before everything", "bengkulu", "17",
          "2026-02-01T00:00:00Z");
    city("the thief enrols a fake city, back-dated", "fake", "17.71", "2026-02-01T00:00:00Z",
         "bengkulu", "2026-02-01T00:00:00Z");
    check("the fake city's bulletin", "fake", "17.71", "2026-04-01T00:00:00Z");
    chain_end("the ministry ends the stolen key's chain after its third bulletin", "bengkulu", 3,
              third, "ministry", "2026-04-01T00:00:00Z");
    rotate("the ministry moves the office to a new key from 2026-04-01", "bengkulu",
           "bengkulu2", "2026-04-01T00:00:00Z", "ministry", "2026-04-01T00:00:01Z");
    check("the office's new key", "bengkulu2", "17", "2026-04-02T00:00:00Z");
    /* An office that ends its own chain: its last good bulletin is its second; the third and
     * fourth were the thief's. */
    check("Jambi's first", "jambi", "15", "2026-03-01T00:00:00Z");
    uint8_t second[PROTO_ID_BYTES];
    memcpy(second, notice("Jambi's second, the last it vouches for", "jambi", "15",
                          "2026-03-02T00:00:00Z", false),
           PROTO_ID_BYTES);
    check("the thief's bulletin in Jambi's chain", "jambi", "15", "2026-03-02T12:00:00Z");
    check("another of the thief's", "jambi", "15", "2026-03-02T13:00:00Z");
    chain_end("Jambi ends its own chain after its second bulletin", "jambi", 2, second, "jambi",
              "2026-03-03T00:00:00Z");
    finish();
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    for (size_t i = 0; i < N_PARTIES; i++) {
        uint8_t seed[KEYS_SEED_BYTES];
        memset(seed, parties[i].seed_byte, sizeof seed);
        parties[i].key = keys_secret_from_seed(seed);
    }
    the_network();
    without_authority();
    self_removal();
    paths_and_roots();
    theft();
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
        "{s:s, s:i, s:o, s:o}", "comment",
        "Generated by tests/vectors/gen_roster_vectors; checked by tests/unit/test_roster.c and "
        "tests/vectors/verify_roster_vectors.py. In each scenario the first record is the pinned "
        "root; in_force, status and office are the answers over the scenario's whole set. See "
        "docs/PROTOCOL.md §17-18.",
        "format", 2, "keys", keys, "scenarios", scenarios);
    json_dumpf(doc, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(doc);
    roster_free(&ro);
    for (size_t p = 0; p < N_PARTIES; p++)
        keys_secret_destroy(&parties[p].key);
    return 0;
}
