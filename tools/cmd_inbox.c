/* cmd_inbox.c - warta inbox: the reports a node holds for an office (or a region), open ones
 * first: urgent, then oldest; reports of one claim (the same content hash or a same address)
 * grouped together. Open or answered is report_status (keys/status.c), the one rule. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_pubkey.h"
#include "proto_text.h"
#include "status.h"
#include "tool.h"
#include "i18n.h"

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
    store *s;
    roster *ro;
    struct proto_str scope[PROTO_ROSTER_MAX_REGIONS]; /* regions asked for; none = all */
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

static json_t *report_json(const struct report *r)
{
    json_t *o = tool_bulletin_to_json(&r->b, r->raw, r->len);
    json_object_set_new(o, "state", json_string(r->st.answered ? "answered" : "open"));
    json_object_set_new(o, "answered_by",
                        r->st.answered ? tool_hex_json(r->st.answer.id, PROTO_ID_BYTES)
                                       : json_null());
    const struct proto_roster *d = &r->st.office.delegation;
    json_object_set_new(o, "reporter",
                        json_pack("{s:s%, s:s%, s:s}", "office", d->office.p, d->office.n, "name",
                                  d->name.p, d->name.n, "role", proto_role_name(d->role)));
    return o;
}

static void print_report(const struct report *r, bool first)
{
    char hex[2 * PROTO_ID_BYTES + 1], t[TOOL_TIME_LEN];
    const struct proto_roster *d = &r->st.office.delegation;
    tool_hex(r->id, 8, hex);
    tool_time_format(r->b.issued_at, t);
    if (first) printf("\n");
    printf("%s %s  %s  %-8.*s %s%.*s: %.*s\n", first ? "*" : " ", hex, t,
           (int)(r->b.region.n ? r->b.region.n : 8),
           r->b.region.n ? (const char *)r->b.region.p : "national",
           r->b.priority == PROTO_PRIORITY_URGENT ? _("URGENT ") : "", (int)d->name.n,
           (const char *)d->name.p, (int)(r->b.claim.n > 100 ? 100 : r->b.claim.n),
           (const char *)r->b.claim.p);
    if (r->st.answered) {
        tool_hex(r->st.answer.id, 8, hex);
        printf(_("      answered by %s\n"), hex);
    }
}

static int inbox_usage(FILE *f, int rc)
{
    fprintf(f, _("usage: warta inbox --roster ROSTER [--node DATA_DIR] [--office OFFICE | --region "
                 "CODE]...\n"
                 "                   [--all] [--json]\n\n"
                 "The reports the node holds for an office: those whose region its delegation\n"
                 "covers (--office, the office id the roster names), or within --region (more\n"
                 "than once for several), or all. Open reports first (urgent, then the oldest);\n"
                 "a report is answered once a trusted clarification or correction of an office\n"
                 "covering its region names it (warta sign --answers ID). Reports of one claim\n"
                 "(the same content SHA-256 or address) are grouped, the group marked with *.\n"
                 "--all shows answered reports too. --node defaults to $WARTA_NODE, then\n"
                 "/var/lib/warta.\n"
                 "example: warta inbox --roster /etc/warta/root.wrb --office diskominfo-17\n"));
    return rc;
}

struct office_find {
    const char *office;
    struct inbox *x;
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
    for (size_t i = 0; i < r.n_regions && f->x->n_scope < PROTO_ROSTER_MAX_REGIONS; i++)
        f->x->scope[f->x->n_scope++] = r.regions[i];
    f->found = true;
    return 1;
}

int cmd_inbox(int argc, char **argv)
{
    static const struct option opts[] = {
        {"node", required_argument, NULL, 'N'},   {"roster", required_argument, NULL, 'R'},
        {"office", required_argument, NULL, 'o'}, {"region", required_argument, NULL, 'r'},
        {"all", no_argument, NULL, 'a'},          {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *dir = NULL, *roster_path = NULL, *office = NULL;
    bool all = false, json = false;
    struct inbox x = {0};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'N':
            dir = optarg;
            break;
        case 'R':
            roster_path = optarg;
            break;
        case 'o':
            office = optarg;
            break;
        case 'r':
            if (x.n_scope == PROTO_ROSTER_MAX_REGIONS ||
                !proto_region_valid((const uint8_t *)optarg, strlen(optarg))) {
                fprintf(stderr,
                        _("warta inbox: --region %s: not a region code (like 17 or 17.71)\n"),
                        optarg);
                return EXIT_USAGE;
            }
            x.scope[x.n_scope++] = (struct proto_str){(const uint8_t *)optarg, strlen(optarg)};
            break;
        case 'a':
            all = true;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            return inbox_usage(stdout, 0);
        default:
            return inbox_usage(stderr, EXIT_USAGE);
        }
    }
    if (roster_path == NULL || optind != argc || (office && x.n_scope))
        return inbox_usage(stderr, EXIT_USAGE);
    dir = tool_node_dir(dir);
    if ((x.ro = tool_load_roster(roster_path)) == NULL) return EXIT_NOINPUT;
    int rc = 0;
    if (tool_roster_from_node(x.ro, dir) != 0) {
        rc = EXIT_NOINPUT;
    } else if (office != NULL) {
        struct office_find f = {office, &x, false};
        roster_each(x.ro, office_visit, &f);
        if (!f.found) {
            fprintf(stderr, _("warta inbox: the roster has no office '%s' in force\n"), office);
            rc = EXIT_DATAERR;
        }
    }
    if (rc == 0 &&
        ((x.s = tool_open_store(dir)) == NULL || (x.r = calloc(INBOX_MAX, sizeof *x.r)) == NULL))
        rc = EXIT_NOINPUT;
    if (rc == 0 && (store_arrivals(x.s, UINT64_MAX, true, take, &x) != STORE_OK || x.failed)) {
        fprintf(stderr, _("warta inbox: %s: the store cannot be read\n"), dir);
        rc = EXIT_DATAERR;
    }
    size_t kept = 0;
    uint64_t now = tool_time_now();
    for (size_t i = 0; rc == 0 && i < x.n; i++) {
        struct report *r = &x.r[i];
        if (report_status(x.ro, &r->b, r->id, now, store_named_source, x.s, &r->st) != 0) {
            fprintf(stderr, _("warta inbox: %s: the store cannot be read\n"), dir);
            rc = EXIT_DATAERR;
        } else if (r->st.trust == ROSTER_TRUSTED && (all || !r->st.answered)) {
            x.r[kept++] = *r;
            continue;
        }
        free(r->raw);
    }
    if (rc == 0) {
        qsort(x.r, kept, sizeof *x.r, order);
        group(x.r, kept);
        json_t *a = json ? json_array() : NULL;
        size_t open = 0;
        for (size_t i = 0; i < kept; i++) {
            open += !x.r[i].st.answered;
            if (a) {
                json_t *o = report_json(&x.r[i]);
                char hex[2 * PROTO_ID_BYTES + 1];
                tool_hex(x.r[x.r[i].group].id, PROTO_ID_BYTES, hex);
                json_object_set_new(o, "group", json_string(hex));
                json_array_append_new(a, o);
            }
        }
        if (a) {
            tool_print_json(json_pack("{s:o}", "reports", a), 0);
        } else {
            /* Group by group: each group's reports together, in the order of its first. */
            for (size_t i = 0; i < kept; i++)
                if (x.r[i].group == i)
                    for (size_t j = i; j < kept; j++)
                        if (x.r[j].group == i) print_report(&x.r[j], j == i);
            printf(_("\n%zu open reports, %zu shown\n"), open, kept);
        }
    }
    for (size_t i = 0; i < kept; i++)
        free(x.r[i].raw);
    free(x.r);
    store_close(&x.s);
    roster_free(&x.ro);
    return rc;
}
