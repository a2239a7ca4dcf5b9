/* roster_file.c - reading a roster file: armored bulletins one after another (or one raw
 * bulletin), the first the network root to pin, the others roster records to add. Used by the
 * node (roster = FILE) and the tools (--roster FILE) alike. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys_error.h"
#include "keys_file.h"
#include "proto_armor.h"
#include "roster.h"
#include "i18n.h"

#define ROSTER_FILE_MAX (16u << 20)

struct load {
    roster *ro;
    size_t refused;
    char *err;
    size_t err_len;
};

static int take(const uint8_t *raw, size_t len, void *ctx)
{
    struct load *l = ctx;
    if (l->ro == NULL) return (l->ro = roster_new(raw, len, l->err, l->err_len)) == NULL;
    if (roster_add(l->ro, raw, len) != ROSTER_TRUSTED) l->refused++;
    return 0;
}

roster *roster_load(const char *path, size_t *refused, char *err, size_t err_len)
{
    uint8_t *text = NULL, *out = NULL;
    size_t len = 0, count = 0;
    struct load l = {.err = err, .err_len = err_len};
    int rc = keys_file_read(path, ROSTER_FILE_MAX, &text, &len);
    if (rc != KEYS_OK) {
        snprintf(err, err_len, "%s", rc == KEYS_EIO ? strerror(errno) : keys_strerror(rc));
        return NULL;
    }
    if (len >= 4 && memcmp(text, proto_bulletin_magic, 4) == 0) {
        take(text, len, &l);
    } else if ((out = malloc(PROTO_BULLETIN_MAX + 1)) == NULL) {
        snprintf(err, err_len, _("out of memory"));
    } else {
        rc = proto_armor_each(PROTO_ARMOR_BULLETIN, (const char *)text, len, out,
                              PROTO_BULLETIN_MAX + 1, take, &l, &count);
        if (rc < 0) snprintf(err, err_len, _("a damaged bulletin block (%s)"), _(proto_strerror(rc)));
        if (rc < 0 || (rc == 0 && count == 0)) {
            if (rc == 0) snprintf(err, err_len, _("no bulletin in it"));
            roster_free(&l.ro);
        }
    }
    free(out);
    free(text);
    if (refused) *refused = l.refused;
    return l.ro;
}

int roster_visit_add(const uint8_t *raw, size_t len, void *ro)
{
    roster_add(ro, raw, len); /* a record that does not hold is refused, and counted there */
    return 0;
}
