/* query.c - a request's filter parameters and page language (query.h). Pure code: the values
 * come from a lookup function, so the fuzzer gives them without a server.
 * Messages: not translated (its errors are API answers, in English). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proto_pubkey.h"
#include "proto_text.h"
#include "query.h"
#include "tool.h"

static const char *const filter_names[] = {"region",   "verdict",  "issuer", "office", "kind",
                                           "language", "priority", "since",  "until",  NULL};

bool gw_name_in(const char *name, const char *const *names)
{
    for (; names && *names; names++)
        if (strcmp(*names, name) == 0) return true;
    return false;
}

static bool copy_label(char *dst, size_t cap, const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n >= cap) return false;
    memcpy(dst, v, n + 1);
    return true;
}

bool gw_filter_knows(const char *name)
{
    return gw_name_in(name, filter_names);
}

int gw_filter_read(struct gw_filter *f, gw_lookup_fn get, void *ctx, char *msg, size_t cap)
{
    memset(f, 0, sizeof *f);
    const char *v;
    if ((v = get(ctx, "region")) != NULL) {
        if (!proto_region_valid((const uint8_t *)v, strlen(v)) ||
            !copy_label(f->region, sizeof f->region, v)) {
            snprintf(msg, cap, "region: not a Kemendagri code like 17 or 17.71");
            return -1;
        }
        f->has_region = true;
    }
    if ((v = get(ctx, "verdict")) != NULL && !copy_label(f->verdict, sizeof f->verdict, v)) {
        snprintf(msg, cap, "verdict: 1 to %d characters, like HOAKS", PROTO_MAX_VERDICT);
        return -1;
    }
    if ((v = get(ctx, "office")) != NULL && !copy_label(f->office, sizeof f->office, v)) {
        snprintf(msg, cap, "office: 1 to %d characters, an office id of the roster",
                 PROTO_MAX_OFFICE);
        return -1;
    }
    if ((v = get(ctx, "language")) != NULL && !copy_label(f->language, sizeof f->language, v)) {
        snprintf(msg, cap, "language: a BCP 47 tag like id or en");
        return -1;
    }
    if ((v = get(ctx, "issuer")) != NULL) {
        if (proto_pubkey_parse(v, strlen(v), f->issuer) != PROTO_OK &&
            !(strlen(v) == 64 && tool_unhex(v, f->issuer, 32) == 0)) {
            snprintf(msg, cap, "issuer: a public key (wpk1... or 64 hex digits)");
            return -1;
        }
        f->has_issuer = true;
    }
    if ((v = get(ctx, "kind")) != NULL) {
        f->kind = proto_kind_from_name(v);
        if (f->kind == 0) {
            snprintf(msg, cap, "kind: clarification, correction, withdrawal, report, receipt, or a roster kind");
            return -1;
        }
        f->has_kind = true;
    }
    if ((v = get(ctx, "priority")) != NULL) {
        if (strcmp(v, "normal") != 0 && strcmp(v, "urgent") != 0) {
            snprintf(msg, cap, "priority: normal or urgent");
            return -1;
        }
        f->priority = strcmp(v, "urgent") == 0 ? PROTO_PRIORITY_URGENT : PROTO_PRIORITY_NORMAL;
        f->has_priority = true;
    }
    const char *times[] = {"since", "until"};
    uint64_t *dst[] = {&f->since, &f->until};
    for (int i = 0; i < 2; i++) {
        if ((v = get(ctx, times[i])) == NULL) continue;
        if (tool_time_parse(v, dst[i]) != 0) {
            snprintf(msg, cap, "%s: an RFC 3339 time like 2026-11-20T10:00:00+07:00", times[i]);
            return -1;
        }
    }
    return 0;
}

/* A q-value (RFC 9110 §12.4.2: 0 to 1, up to three decimals) in thousandths; -1 if it is not
 * one. Read by hand: strtod would follow LC_NUMERIC. */
static int qvalue(const char *p, size_t n)
{
    if (n == 0 || (p[0] != '0' && p[0] != '1')) return -1;
    int v = (p[0] - '0') * 1000;
    if (n == 1) return v;
    if (p[1] != '.' || n > 5) return -1;
    int scale = 100;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (p[i] < '0' || p[i] > '9') return -1;
        v += (p[i] - '0') * scale;
    }
    return v > 1000 ? -1 : v;
}

bool gw_wants_english(const char *lang, const char *accept)
{
    if (lang) return strcmp(lang, "en") == 0;
    if (accept == NULL) return false;
    int best_q = 0; /* q=0 means "not this one" */
    bool english = false;
    for (const char *p = accept; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        size_t item = strcspn(p, ","), n = strcspn(p, ",; \t");
        int q = 1000;
        const char *params = memchr(p, ';', item);
        if (params) {
            const char *e = p + item, *k = params + 1;
            while (k < e && (*k == ' ' || *k == '\t'))
                k++;
            if (e - k >= 2 && (k[0] == 'q' || k[0] == 'Q') && k[1] == '=') {
                size_t vn = (size_t)(e - k - 2);
                while (vn > 0 && (k[2 + vn - 1] == ' ' || k[2 + vn - 1] == '\t'))
                    vn--;
                q = qvalue(k + 2, vn);
            }
        }
        bool id = n >= 2 && strncasecmp(p, "id", 2) == 0 && (n == 2 || p[2] == '-');
        bool en = n >= 2 && strncasecmp(p, "en", 2) == 0 && (n == 2 || p[2] == '-');
        if ((id || en) && q > best_q) {
            best_q = q;
            english = en;
        }
        p += item;
    }
    return english;
}
