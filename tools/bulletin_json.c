/* bulletin_json.c - the JSON view of a bulletin (warta show) and bulletin content from JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_pubkey.h"
#include "proto_roster.h"
#include "tool.h"
#include "i18n.h"

static const char *const priority_names[] = {"normal", "urgent"};
static const char *const rel_names[] = {"appearance", "reference"};

static json_t *str_json(struct proto_str s)
{
    return json_stringn((const char *)s.p, s.n);
}

static json_t *id_json(const uint8_t *id)
{
    char hex[2 * PROTO_ID_BYTES + 1];
    if (proto_is_zero(id, PROTO_ID_BYTES)) return json_null();
    tool_hex(id, PROTO_ID_BYTES, hex);
    return json_string(hex);
}

static json_t *time_json(uint64_t ms)
{
    char t[TOOL_TIME_LEN];
    if (ms == 0) return json_null();
    tool_time_format(ms, t);
    return json_string(t);
}

json_t *tool_bulletin_to_json(const struct proto_bulletin *b, const uint8_t *raw, size_t len)
{
    uint8_t id[PROTO_ID_BYTES];
    char pk[PROTO_PUBKEY_TEXT_LEN + 1], fp[PROTO_FINGERPRINT_LEN + 1];
    char sig[2 * PROTO_SIG_BYTES + 1];
    proto_bulletin_id(raw, len, id);
    proto_pubkey_format(b->issuer, pk);
    proto_pubkey_fingerprint(b->issuer, fp);
    tool_hex(b->signature, PROTO_SIG_BYTES, sig);
    if (proto_kind_is_roster(b->kind)) {
        struct proto_roster r;
        json_t *rec = proto_roster_decode(&r, b->kind, b->record.p, b->record.n, NULL) == PROTO_OK
                          ? tool_record_to_json(&r)
                          : json_null();
        return json_pack("{s:o, s:i, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s}", "id", id_json(id),
                         "version", PROTO_BULLETIN_VERSION, "kind", proto_kind_name(b->kind),
                         "issuer", pk, "issuer_fingerprint", fp, "sequence",
                         tool_u64_json(b->sequence), "previous", id_json(b->previous), "issued_at",
                         time_json(b->issued_at), "record", rec, "signature", sig);
    }
    json_t *o = json_pack("{s:o, s:i, s:s, s:s, s:s, s:o, s:o, s:o}", "id", id_json(id), "version",
                          b->n_answers ? PROTO_BULLETIN_VERSION_2 : PROTO_BULLETIN_VERSION, "kind",
                          proto_kind_name(b->kind), "issuer", pk, "issuer_fingerprint", fp,
                          "sequence", tool_u64_json(b->sequence), "previous", id_json(b->previous),
                          "issued_at", time_json(b->issued_at));
    if (o == NULL) return NULL;
    if (b->kind == PROTO_KIND_RECEIPT) {
        json_object_set_new(o, "bulletin", id_json(b->subject));
        json_object_set_new(o, "action", json_string(proto_action_name(b->action)));
        json_object_set_new(o, "items", json_integer(b->items));
        json_object_set_new(o, "acted_at", time_json(b->acted_at));
        json_object_set_new(o, "reason", str_json(b->reason));
        json_object_set_new(o, "signature", json_string(sig));
        return o;
    }
    json_t *links = json_array();
    for (size_t i = 0; i < b->n_links; i++)
        json_array_append_new(links,
                              b->kind == PROTO_KIND_REPORT
                                  ? str_json(b->links[i].url)
                                  : json_pack("{s:s, s:o}", "rel", rel_names[b->links[i].rel],
                                              "url", str_json(b->links[i].url)));
    if (b->kind == PROTO_KIND_REPORT) {
        json_object_set_new(o, "priority", json_string(priority_names[b->priority]));
        json_object_set_new(o, "language", str_json(b->lang));
        json_object_set_new(o, "region", str_json(b->region));
        json_object_set_new(o, "claim", str_json(b->claim));
        json_object_set_new(o, "content_sha256",
                            proto_is_zero(b->content_hash, PROTO_HASH_BYTES)
                                ? json_null()
                                : tool_hex_json(b->content_hash, PROTO_HASH_BYTES));
        json_object_set_new(o, "urls", links);
        json_object_set_new(o, "signature", json_string(sig));
        return o;
    }
    json_t *answers = json_array();
    for (size_t i = 0; i < b->n_answers; i++)
        json_array_append_new(answers, id_json(b->answers[i]));
    json_object_set_new(o, "expires_at", time_json(b->expires_at));
    json_object_set_new(o, "priority", json_string(priority_names[b->priority]));
    json_object_set_new(o, "subject", id_json(b->subject));
    json_object_set_new(o, "translation_of", id_json(b->translation_of));
    json_object_set_new(o, "language", str_json(b->lang));
    json_object_set_new(o, "region", str_json(b->region));
    json_object_set_new(o, "verdict", str_json(b->verdict));
    json_object_set_new(o, "title", str_json(b->title));
    json_object_set_new(o, "claim", str_json(b->claim));
    json_object_set_new(o, "explanation", str_json(b->explanation));
    json_object_set_new(o, "links", links);
    json_object_set_new(o, "answers", answers);
    json_object_set_new(o, "signature", json_string(sig));
    return o;
}

json_t *tool_hex_json(const uint8_t *p, size_t n)
{
    char *h = malloc(2 * n + 1);
    if (h == NULL) return json_null();
    tool_hex(p, n, h);
    json_t *s = json_string(h);
    free(h);
    return s;
}

/* jansson's integers are signed 64-bit: a larger u64 travels as a marked string, which
 * tool_json_dumps writes out as the bare number it is. */
#define U64_MARK "\001u64:"
#define U64_MARK_DUMPED "\"\\u0001u64:"

json_t *tool_u64_json(uint64_t v)
{
    char s[32];
    if (v <= INT64_MAX) return json_integer((json_int_t)v);
    snprintf(s, sizeof s, U64_MARK "%llu", (unsigned long long)v);
    return json_string(s);
}

char *tool_json_dumps(const json_t *o, size_t flags)
{
    char *text = json_dumps(o, flags), *at;
    size_t k = strlen(U64_MARK_DUMPED);
    while (text && (at = strstr(text, U64_MARK_DUMPED)) != NULL) {
        char *end = strchr(at + k, '"'); /* the digits, then the closing quote */
        size_t digits = (size_t)(end - (at + k));
        memmove(at, at + k, digits);
        memmove(at + digits, end + 1, strlen(end + 1) + 1);
    }
    return text;
}

void tool_print_json(json_t *o, size_t extra_flags)
{
    char *text = tool_json_dumps(o, JSON_INDENT(2) | extra_flags);
    if (text) puts(text);
    free(text);
    json_decref(o);
}

static int cmp_id(const void *x, const void *y)
{
    return memcmp(x, y, PROTO_ID_BYTES);
}

static int fail(char *msg, size_t cap, const char *key, const char *why)
{
    snprintf(msg, cap, "\"%s\": %s", key, why);
    return -1;
}

/* Look a name up in a small table; -1 if absent. */
static int lookup(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0) return i;
    return -1;
}

static int set_text(json_t *v, struct proto_str *dst)
{
    if (!json_is_string(v)) return -1;
    dst->p = (const uint8_t *)json_string_value(v);
    dst->n = json_string_length(v);
    return 0;
}

static int set_id(json_t *v, uint8_t *dst)
{
    if (json_is_null(v)) return 0;
    return json_is_string(v) ? tool_unhex(json_string_value(v), dst, PROTO_ID_BYTES) : -1;
}

static int set_time(json_t *v, uint64_t *dst)
{
    if (json_is_null(v)) return 0;
    return json_is_string(v) ? tool_time_parse(json_string_value(v), dst) : -1;
}

static int set_links(json_t *v, struct proto_bulletin *b, char *msg, size_t cap)
{
    size_t i;
    json_t *item;
    if (!json_is_array(v)) return fail(msg, cap, "links", "must be an array");
    if (json_array_size(v) > PROTO_MAX_LINKS) return fail(msg, cap, "links", "more than 32 links");
    json_array_foreach(v, i, item)
    {
        json_t *rel = json_object_get(item, "rel"), *url = json_object_get(item, "url");
        int r = json_is_string(rel) ? lookup(rel_names, 2, json_string_value(rel)) : -1;
        if (!json_is_object(item) || json_object_size(item) != 2 || r < 0 ||
            set_text(url, &b->links[i].url) != 0)
            return fail(msg, cap, "links",
                        "each link is {\"rel\": \"appearance\"|\"reference\", \"url\": \"...\"}");
        b->links[i].rel = (uint8_t)r;
    }
    b->n_links = json_array_size(v);
    return 0;
}

/* A report's urls: where the claim was seen. */
static int set_urls(json_t *v, struct proto_bulletin *b, char *msg, size_t cap)
{
    size_t i;
    json_t *item;
    if (!json_is_array(v) || json_array_size(v) > PROTO_MAX_LINKS)
        return fail(msg, cap, "urls", "must be an array of at most 32 addresses");
    json_array_foreach(v, i, item)
    {
        if (set_text(item, &b->links[i].url) != 0)
            return fail(msg, cap, "urls", "each is an address (a string)");
        b->links[i].rel = PROTO_LINK_APPEARANCE;
    }
    b->n_links = json_array_size(v);
    return 0;
}

/* A notice's answers: the reports it answers, kept in ascending order. */
static int set_answers(json_t *v, struct proto_bulletin *b, char *msg, size_t cap)
{
    size_t i;
    json_t *item;
    if (!json_is_array(v) || json_array_size(v) > PROTO_MAX_ANSWERS)
        return fail(msg, cap, "answers", "must be an array of at most 32 report ids");
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item) ||
            tool_unhex(json_string_value(item), b->answers[i], PROTO_ID_BYTES) != 0)
            return fail(msg, cap, "answers", "each is a report id (64 hex digits)");
    }
    b->n_answers = json_array_size(v);
    qsort(b->answers, b->n_answers, PROTO_ID_BYTES, cmp_id);
    return 0;
}

/* Set one field named key from v; -1 with msg on error. */
static int set_field(struct proto_bulletin *b, uint64_t *seq, const char *key, json_t *v, char *msg,
                     size_t cap)
{
    struct {
        const char *name;
        struct proto_str *dst;
    } texts[] = {{"language", &b->lang}, {"region", &b->region}, {"verdict", &b->verdict},
                 {"title", &b->title},   {"claim", &b->claim},   {"explanation", &b->explanation}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (strcmp(key, texts[i].name) == 0)
            return set_text(v, texts[i].dst) == 0 ? 0 : fail(msg, cap, key, "must be a string");
    if (strcmp(key, "kind") == 0) {
        b->kind = json_is_string(v) ? proto_kind_from_name(json_string_value(v)) : 0;
        return b->kind ? 0
                       : fail(msg, cap, key,
                              "must be clarification, correction, withdrawal, report or receipt");
    }
    if (strcmp(key, "priority") == 0) {
        int p = json_is_string(v) ? lookup(priority_names, 2, json_string_value(v)) : -1;
        b->priority = (uint8_t)(p < 0 ? 0 : p);
        return p >= 0 ? 0 : fail(msg, cap, key, "must be normal or urgent");
    }
    if (strcmp(key, "subject") == 0 || strcmp(key, "translation_of") == 0)
        return set_id(v, key[0] == 's' ? b->subject : b->translation_of) == 0
                   ? 0
                   : fail(msg, cap, key, "must be a bulletin id (64 hex digits) or null");
    if (strcmp(key, "issued_at") == 0 || strcmp(key, "expires_at") == 0)
        return set_time(v, key[0] == 'i' ? &b->issued_at : &b->expires_at) == 0
                   ? 0
                   : fail(msg, cap, key, "must be a UTC time like 2026-11-23T10:00:00Z");
    if (strcmp(key, "links") == 0) return set_links(v, b, msg, cap);
    if (strcmp(key, "urls") == 0) return set_urls(v, b, msg, cap);
    if (strcmp(key, "answers") == 0) return set_answers(v, b, msg, cap);
    if (strcmp(key, "reason") == 0)
        return set_text(v, &b->reason) == 0 ? 0 : fail(msg, cap, key, "must be a string");
    if (strcmp(key, "bulletin") == 0)
        return set_id(v, b->subject) == 0
                   ? 0
                   : fail(msg, cap, key, "must be a bulletin id (64 hex digits)");
    if (strcmp(key, "content_sha256") == 0)
        return json_is_null(v) ||
                       (json_is_string(v) &&
                        tool_unhex(json_string_value(v), b->content_hash, PROTO_HASH_BYTES) == 0)
                   ? 0
                   : fail(msg, cap, key, "must be a SHA-256 (64 hex digits) or null");
    if (strcmp(key, "action") == 0) {
        int a = json_is_string(v) ? proto_action_from_name(json_string_value(v)) : -1;
        b->action = (uint8_t)(a < 0 ? 0 : a);
        return a >= 0
                   ? 0
                   : fail(msg, cap, key, "must be labelled, reach_reduced, removed or no_action");
    }
    if (strcmp(key, "items") == 0) {
        json_int_t n = json_is_integer(v) ? json_integer_value(v) : -1;
        b->items = n >= 0 && n <= UINT32_MAX ? (uint32_t)n : 0;
        return n >= 0 && n <= UINT32_MAX ? 0 : fail(msg, cap, key, "must be 0 to 4294967295");
    }
    if (strcmp(key, "acted_at") == 0)
        return set_time(v, &b->acted_at) == 0
                   ? 0
                   : fail(msg, cap, key, "must be a UTC time like 2026-11-23T10:00:00Z");
    if (strcmp(key, "sequence") == 0) {
        json_int_t s = json_is_integer(v) ? json_integer_value(v) : 0;
        *seq = s > 0 ? (uint64_t)s : 0;
        return s > 0 ? 0 : fail(msg, cap, key, "must be a positive integer");
    }
    return fail(msg, cap, key, "unknown field");
}

int tool_bulletin_from_json(json_t *obj, struct proto_bulletin *b, uint64_t *sequence, char *msg,
                            size_t msg_len)
{
    const char *key;
    json_t *v;
    *sequence = 0;
    if (!json_is_object(obj)) {
        snprintf(msg, msg_len, _("a bulletin must be a JSON object"));
        return -1;
    }
    json_object_foreach(obj, key, v)
    {
        if (set_field(b, sequence, key, v, msg, msg_len) != 0) return -1;
    }
    return 0;
}
