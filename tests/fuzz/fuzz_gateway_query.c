/* fuzz_gateway_query.c - what a gateway request says in its query string and Accept-Language
 * (gateway/query.c): the input is "name=value" lines; the last line is also an Accept-Language
 * header. Never crashes; a filter it accepts holds only what is valid (its region a region,
 * its kind a kind, its labels NUL-terminated within their buffers), and one it refuses says why. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "proto_text.h"
#include "query.h"

#define FIELDS 16

struct params {
    char *name[FIELDS], *value[FIELDS];
    int n;
};

static const char *lookup(void *ctx, const char *name)
{
    struct params *p = ctx;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->name[i], name) == 0) return p->value[i];
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char *text = malloc(size + 1), *last = NULL;
    if (text == NULL) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    struct params p = {.n = 0};
    for (char *line = text, *next; line && p.n < FIELDS; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        last = line;
        char *eq = strchr(line, '=');
        if (eq == NULL) continue;
        *eq = 0;
        p.name[p.n] = line;
        p.value[p.n++] = eq + 1;
    }
    struct gw_filter f;
    char msg[200] = "";
    if (gw_filter_read(&f, lookup, &p, msg, sizeof msg) == 0) {
        FUZZ_CHECK(!f.has_region ||
                   proto_region_valid((const uint8_t *)f.region, strlen(f.region)));
        FUZZ_CHECK(!f.has_kind || f.kind != 0);
        FUZZ_CHECK(memchr(f.verdict, 0, sizeof f.verdict) && memchr(f.office, 0, sizeof f.office) &&
                   memchr(f.language, 0, sizeof f.language));
        FUZZ_CHECK(!f.has_priority || f.priority == PROTO_PRIORITY_URGENT ||
                   f.priority == PROTO_PRIORITY_NORMAL);
    } else {
        FUZZ_CHECK(msg[0] != 0);
    }
    for (int i = 0; i < p.n; i++)
        (void)gw_filter_knows(p.name[i]);
    bool en = gw_wants_english(NULL, last ? last : "");
    FUZZ_CHECK(gw_wants_english("en", last) && !gw_wants_english("id", last));
    (void)en;
    free(text);
    return 0;
}
