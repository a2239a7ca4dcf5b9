/* inbox.c - the reports a store holds for an office (or regions), as warta inbox and warta desk
 * show them: open ones first (urgent, then the oldest), reports of one claim grouped. Open or
 * answered is report_status, a claim's reports report_same_claim (keys/status.c), the one rule.
 * Messages: not translated (JSON member names). */
#include <stdlib.h>
#include <string.h>

#include "proto_text.h"
#include "status.h"
#include "tool.h"

#define INBOX_MAX 5000 /* reports looked at, newest first */

struct report {
    uint8_t *raw;
    size_t len;
    struct proto_bulletin b;
    uint8_t id[PROTO_ID_BYTES];
    struct report_status st;
    size_t group; /* index of the group's first report */
};

struct inbox {
    const struct proto_str *scope;
    size_t n_scope;
    struct report *r;
    size_t n;
    bool failed;
};

static bool in_scope(const struct inbox *x, struct proto_str region)
{
    for (size_t i = 0; i < x->n_scope; i++)
        if (proto_region_within(region, x->scope[i])) return true;
    return x->n_scope == 0;
}

static int take(uint64_t arrival, const struct proto_bulletin *b, const uint8_t *raw, size_t len,
                void *p)
{
    (void)arrival;
    struct inbox *x = p;
    if (b->kind != PROTO_KIND_REPORT || !in_scope(x, b->region)) return 0;
    if (x->n == INBOX_MAX) return 1;
    struct report *r = &x->r[x->n];
    if ((r->raw = malloc(len)) == NULL) {
        x->failed = true;
        return 1;
    }
    memcpy(r->raw, raw, len);
    r->len = len;
    if (proto_bulletin_decode(&r->b, r->raw, len, NULL) != PROTO_OK) {
        free(r->raw);
        return 0;
    }
    proto_bulletin_id(raw, len, r->id);
    x->n++;
    return 0;
}

/* Order: open before answered, urgent before normal, older before newer, then id. */
static int order(const void *pa, const void *pb)
{
    const struct report *a = pa, *b = pb;
    if (a->st.answered != b->st.answered) return a->st.answered ? 1 : -1;
    if (a->b.priority != b->b.priority) return a->b.priority > b->b.priority ? -1 : 1;
    if (a->b.issued_at != b->b.issued_at) return a->b.issued_at < b->b.issued_at ? -1 : 1;
    return memcmp(a->id, b->id, PROTO_ID_BYTES);
}

/* Groups: each report joins the group of the first earlier report of the same claim (reports
 * are in order, so a group is led by its most pressing report). */
static void group(struct report *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        r[i].group = i;
        for (size_t j = 0; j < i; j++)
            if (report_same_claim(&r[i].b, &r[j].b)) {
                r[i].group = r[j].group;
                break;
            }
    }
}

static json_t *report_json(const struct report *r, const struct report *lead)
{
    json_t *o = tool_bulletin_to_json(&r->b, r->raw, r->len);
    const struct proto_roster *d = &r->st.office.delegation;
    json_object_set_new(o, "state", json_string(r->st.answered ? "answered" : "open"));
    json_object_set_new(o, "answered_by",
                        r->st.answered ? tool_hex_json(r->st.answer.id, PROTO_ID_BYTES)
                                       : json_null());
    json_object_set_new(o, "reporter",
                        json_pack("{s:s%, s:s%, s:s}", "office", d->office.p, d->office.n, "name",
                                  d->name.p, d->name.n, "role", proto_role_name(d->role)));
    json_object_set_new(o, "group", tool_hex_json(lead->id, PROTO_ID_BYTES));
    return o;
}

json_t *tool_inbox(store *s, roster *ro, const struct proto_str *scope, size_t n_scope, bool all,
                   uint64_t at, int *err)
{
    struct inbox x = {.scope = scope, .n_scope = n_scope};
    json_t *out = NULL;
    size_t kept = 0;
    *err = -1;
    if ((x.r = calloc(INBOX_MAX, sizeof *x.r)) == NULL) return NULL;
    bool ok = store_arrivals(s, UINT64_MAX, true, take, &x) == STORE_OK && !x.failed;
    for (size_t i = 0; i < x.n; i++) {
        struct report *r = &x.r[i];
        if (ok && report_status(ro, &r->b, r->id, at, store_named_source, s, &r->st) != 0)
            ok = false;
        if (ok && r->st.trust == ROSTER_TRUSTED && (all || !r->st.answered))
            x.r[kept++] = *r;
        else
            free(r->raw);
    }
    if (ok) {
        qsort(x.r, kept, sizeof *x.r, order);
        group(x.r, kept);
        /* Group by group: each group's reports together, in the order of its first. */
        json_t *a = json_array();
        size_t open = 0;
        for (size_t i = 0; i < kept; i++) {
            open += !x.r[i].st.answered;
            if (x.r[i].group == i)
                for (size_t j = i; j < kept; j++)
                    if (x.r[j].group == i) json_array_append_new(a, report_json(&x.r[j], &x.r[i]));
        }
        out = json_pack("{s:o, s:I}", "reports", a, "open", (json_int_t)open);
        *err = out == NULL ? -1 : 0;
    }
    for (size_t i = 0; i < kept; i++)
        free(x.r[i].raw);
    free(x.r);
    return out;
}

struct office_find {
    const char *office;
    struct proto_str *scope;
    size_t *n;
    bool found;
};

/* A delegation in force of the office asked for: its regions are the scope. */
static int office_visit(const uint8_t *raw, size_t len, bool in_force, void *p)
{
    struct office_find *f = p;
    struct proto_bulletin b;
    struct proto_roster r;
    if (!in_force || proto_bulletin_decode(&b, raw, len, NULL) != PROTO_OK ||
        b.kind != PROTO_KIND_DELEGATION ||
        proto_roster_decode(&r, b.kind, b.record.p, b.record.n, NULL) != PROTO_OK ||
        r.office.n != strlen(f->office) || memcmp(r.office.p, f->office, r.office.n) != 0)
        return 0;
    /* The views point into the roster's copy of raw, which lives as long as the roster. */
    for (size_t i = 0; i < r.n_regions && *f->n < PROTO_ROSTER_MAX_REGIONS; i++)
        f->scope[(*f->n)++] = r.regions[i];
    f->found = true;
    return 1;
}

bool tool_office_scope(roster *ro, const char *office, struct proto_str *scope, size_t *n)
{
    struct office_find f = {office, scope, n, false};
    roster_each(ro, office_visit, &f);
    return f.found;
}
