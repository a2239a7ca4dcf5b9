/* vector_set.c - sign test vector bulletins from their JSON definition. */
#include "vector_set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys_secret.h"
#include "tool.h"

/* Resolve an id given as 64 hex digits or "@N" (id of vector N). */
static int resolve_id(const char *s, const uint8_t *const *done, const size_t *done_len,
                      size_t n_done, uint8_t id[PROTO_ID_BYTES])
{
    if (s[0] == '@') {
        size_t k = (size_t)atoi(s + 1);
        if (k >= n_done) return -1;
        proto_bulletin_id(done[k], done_len[k], id);
        return 0;
    }
    return tool_unhex(s, id, PROTO_ID_BYTES);
}

size_t vector_sign(json_t *def, const uint8_t *const *done, const size_t *done_len, size_t n_done,
                   uint8_t *out, char *msg, size_t msg_len)
{
    uint8_t seed[KEYS_SEED_BYTES];
    struct proto_bulletin b;
    uint64_t seq = 0;
    size_t len = 0;
    json_t *fields = json_deep_copy(json_object_get(def, "fields"));
    const char *ref[3] = {"subject", "translation_of", "bulletin"};
    memset(&b, 0, sizeof b);
    uint8_t id[PROTO_ID_BYTES];
    char hex[2 * PROTO_ID_BYTES + 1];
    /* "@N" references inside fields (and the answers) are resolved before the JSON conversion. */
    for (int i = 0; i < 3; i++) {
        json_t *v = json_object_get(fields, ref[i]);
        if (json_is_string(v) && json_string_value(v)[0] == '@') {
            if (resolve_id(json_string_value(v), done, done_len, n_done, id) != 0) goto bad;
            tool_hex(id, PROTO_ID_BYTES, hex);
            json_object_set_new(fields, ref[i], json_string(hex));
        }
    }
    json_t *answers = json_object_get(fields, "answers"), *a;
    size_t k;
    json_array_foreach(answers, k, a)
    {
        if (!json_is_string(a) || json_string_value(a)[0] != '@') continue;
        if (resolve_id(json_string_value(a), done, done_len, n_done, id) != 0) goto bad;
        tool_hex(id, PROTO_ID_BYTES, hex);
        json_array_set_new(answers, k, json_string(hex));
    }
    if (tool_unhex(json_string_value(json_object_get(def, "seed")), seed, sizeof seed) != 0 ||
        tool_bulletin_from_json(fields, &b, &seq, msg, msg_len) != 0)
        goto bad;
    keys_secret *ks = keys_secret_from_seed(seed);
    memcpy(b.issuer, keys_secret_pk(ks), PROTO_KEY_BYTES);
    b.sequence = (uint64_t)json_integer_value(json_object_get(def, "sequence"));
    const char *prev = json_string_value(json_object_get(def, "previous"));
    if (prev != NULL && resolve_id(prev, done, done_len, n_done, b.previous) != 0) {
        keys_secret_destroy(&ks);
        goto bad;
    }
    struct proto_err err = {0};
    if (proto_bulletin_sign(&b, keys_secret_sk(ks), out, PROTO_BULLETIN_MAX, &len, &err) != 0) {
        snprintf(msg, msg_len, "field %s: %s", err.field, proto_strerror(err.code));
        len = 0;
    }
    keys_secret_destroy(&ks);
    json_decref(fields);
    return len;
bad:
    if (msg[0] == 0) snprintf(msg, msg_len, "bad vector definition");
    json_decref(fields);
    return 0;
}
