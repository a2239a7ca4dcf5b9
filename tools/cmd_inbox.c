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

/* One report of warta inbox's listing, from its JSON (tool_inbox). */
static void print_report(json_t *r, bool first)
{
    const char *id = json_string_value(json_object_get(r, "id"));
    const char *region = json_string_value(json_object_get(r, "region"));
    const char *claim = json_string_value(json_object_get(r, "claim"));
    const char *name = json_string_value(json_object_get(json_object_get(r, "reporter"), "name"));
    const char *urgent = json_string_value(json_object_get(r, "priority"));
    json_t *by = json_object_get(r, "answered_by");
    const char *t = json_string_value(json_object_get(r, "issued_at"));
    if (first) printf("\n");
    printf("%s %.16s  %s  %-8s %s%s: %.100s\n", first ? "*" : " ", id, t,
           region && *region ? region : "national",
           urgent && strcmp(urgent, "urgent") == 0 ? _("URGENT ") : "", name ? name : "",
           claim ? claim : "");
    if (json_is_string(by)) printf(_("      answered by %.16s\n"), json_string_value(by));
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

int cmd_inbox(int argc, char **argv)
{
    static const struct option opts[] = {
        {"node", required_argument, NULL, 'N'},   {"roster", required_argument, NULL, 'R'},
        {"office", required_argument, NULL, 'o'}, {"region", required_argument, NULL, 'r'},
        {"all", no_argument, NULL, 'a'},          {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *dir = NULL, *roster_path = NULL, *office = NULL;
    bool all = false, json = false;
    struct proto_str scope[PROTO_ROSTER_MAX_REGIONS];
    size_t n_scope = 0;
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
            if (n_scope == PROTO_ROSTER_MAX_REGIONS ||
                !proto_region_valid((const uint8_t *)optarg, strlen(optarg))) {
                fprintf(stderr,
                        _("warta inbox: --region %s: not a region code (like 17 or 17.71)\n"),
                        optarg);
                return EXIT_USAGE;
            }
            scope[n_scope++] = (struct proto_str){(const uint8_t *)optarg, strlen(optarg)};
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
    if (roster_path == NULL || optind != argc || (office && n_scope))
        return inbox_usage(stderr, EXIT_USAGE);
    dir = tool_node_dir(dir);
    roster *ro = tool_load_roster(roster_path);
    store *s = NULL;
    json_t *box = NULL;
    int rc = 0, err = 0;
    if (ro == NULL) return EXIT_NOINPUT;
    if (tool_roster_from_node(ro, dir) != 0) {
        rc = EXIT_NOINPUT;
    } else if (office != NULL && !tool_office_scope(ro, office, scope, &n_scope)) {
        fprintf(stderr, _("warta inbox: the roster has no office '%s' in force\n"), office);
        rc = EXIT_DATAERR;
    } else if ((s = tool_open_store(dir)) == NULL) {
        rc = EXIT_NOINPUT;
    } else if ((box = tool_inbox(s, ro, scope, n_scope, all, tool_time_now(), &err)) == NULL) {
        fprintf(stderr, _("warta inbox: %s: the store cannot be read\n"), dir);
        rc = EXIT_DATAERR;
    }
    if (box != NULL && json) {
        json_object_del(box, "open");
        tool_print_json(json_incref(box), 0);
    } else if (box != NULL) {
        json_t *a = json_object_get(box, "reports"), *r;
        size_t i;
        const char *lead = "";
        json_array_foreach(a, i, r) {
            const char *g = json_string_value(json_object_get(r, "group"));
            print_report(r, strcmp(g, lead) != 0);
            lead = g;
        }
        printf(_("\n%zu open reports, %zu shown\n"),
               (size_t)json_integer_value(json_object_get(box, "open")), json_array_size(a));
    }
    json_decref(box);
    store_close(&s);
    roster_free(&ro);
    return rc;
}
