/* query.h - what a gateway request says in its query and headers, read without libmicrohttpd
 * (pure code, fuzzed by tests/fuzz/fuzz_gateway_query.c): the filter of /v1/bulletins and
 * /v1/feed, and the language a page is asked in. */
#ifndef WARTA_GATEWAY_QUERY_H
#define WARTA_GATEWAY_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_bulletin.h"
#include "proto_roster.h"

/* A filter of /v1/bulletins and /v1/feed (query parameters; each set one narrows). */
struct gw_filter {
    char region[PROTO_MAX_REGION + 1]; /* this region and those inside it */
    char verdict[PROTO_MAX_VERDICT + 1];
    char office[PROTO_MAX_OFFICE + 1]; /* the roster's office id of the issuer */
    char language[PROTO_MAX_LANG + 1];
    bool has_issuer, has_region, has_kind, has_priority;
    uint8_t issuer[PROTO_KEY_BYTES];
    uint8_t kind, priority;
    uint64_t since, until; /* issued_at, ms, inclusive; 0 = open */
};

/* The value of the query parameter name, or NULL when it is absent. */
typedef const char *(*gw_lookup_fn)(void *ctx, const char *name);

/* Whether name is one of names (NULL-terminated, may be NULL); whether it is a filter
 * parameter. */
bool gw_name_in(const char *name, const char *const *names);
bool gw_filter_knows(const char *name);

/* Read the filter from the parameters get gives. 0, or -1 with msg saying which parameter is
 * wrong and what it should be. */
int gw_filter_read(struct gw_filter *f, gw_lookup_fn get, void *ctx, char *msg, size_t cap);

/* The language of a page: ?lang= (lang, or NULL) wins, else the first of Indonesian and
 * English with the highest q-value in an Accept-Language header (accept, or NULL); Indonesian
 * when neither says. true for English. */
bool gw_wants_english(const char *lang, const char *accept);

#endif
