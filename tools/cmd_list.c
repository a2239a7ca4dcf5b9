/* cmd_list.c - warta list and warta get: read a node's store (read-only, while it runs). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_pubkey.h"
#include "tool.h"
#include "i18n.h"

struct list_out {
    bool json;
    json_t *all;
};

static int print_one(const uint8_t *raw, size_t len, void *ctx)
{
    struct list_out *o = ctx;
    struct proto_bulletin b;
    uint8_t id[PROTO_ID_BYTES];
    char hex[2 * PROTO_ID_BYTES + 1], t[TOOL_TIME_LEN];
    if (proto_bulletin_decode(&b, raw, len, NULL) != PROTO_OK) return 0;
    if (o->json) {
        json_array_append_new(o->all, tool_bulletin_to_json(&b, raw, len));
        return 0;
    }
    proto_bulletin_id(raw, len, id);
    tool_hex(id, 8, hex);
    tool_time_format(b.issued_at, t);
    if (proto_kind_is_roster(b.kind)) {
        char line[300];
        tool_record_summary(&b, line, sizeof line);
        printf("%s  %s  %-6s %-12s %s\n", hex, t, "roster", proto_kind_name(b.kind), line);
        return 0;
    }
    printf("%s  %s  %-6.*s %-12.*s %.*s\n", hex, t, (int)(b.region.n ? b.region.n : 8),
           b.region.n ? (const char *)b.region.p : "national", (int)b.verdict.n,
           (const char *)b.verdict.p, (int)b.title.n, (const char *)b.title.p);
    return 0;
}

/* A bulletin the node's roster refused and kept apart: shown with why, never mixed in. */
static void print_untrusted(const uint8_t *raw, size_t len, int reason, void *ctx)
{
    struct list_out *o = ctx;
    struct proto_bulletin b;
    if (proto_bulletin_decode(&b, raw, len, NULL) != PROTO_OK) return;
    if (o->json) {
        json_t *v = tool_bulletin_to_json(&b, raw, len);
        json_object_set_new(v, "untrusted_because", json_string(roster_status_name(reason)));
        json_array_append_new(o->all, v);
        return;
    }
    printf(_("UNTRUSTED (%s)  "), _(roster_status_name(reason)));
    print_one(raw, len, o);
}

static int list_usage(FILE *f, int rc)
{
    fprintf(
        f,
        _("usage: warta list --node DATA_DIR [--region CODE] [--verdict LABEL]\n"
        "                  [--issuer PUBKEY] [--since TIME] [--until TIME] [--limit N] [--json]\n"
        "       warta list --node DATA_DIR --untrusted [--json]\n"
        "Newest first. --region 17 includes 17.71 and every code inside it.\n"
        "--untrusted lists, apart, what the node's roster refused and kept (wartad -U).\n"
        "--node DATA_DIR defaults to $WARTA_NODE, then /var/lib/warta.\n" "example: warta list --region 17 --verdict HOAKS --since 2026-11-01T00:00:00Z\n"));
    return rc;
}

int cmd_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"node", required_argument, NULL, 'N'}, TOOL_FILTER_OPTIONS,
        {"json", no_argument, NULL, 'j'},       {"untrusted", no_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    struct store_filter f = {0};
    struct list_out o = {0};
    uint8_t issuer[PROTO_KEY_BYTES];
    const char *dir = NULL;
    bool untrusted = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int ff = tool_filter_flag(c, optarg, &f, issuer);
        if (ff < 0) return EXIT_USAGE;
        if (ff > 0) continue;
        switch (c) {
        case 'N':
            dir = optarg;
            break;
        case 'j':
            o.json = true;
            break;
        case 'U':
            untrusted = true;
            break;
        case 'h':
            return list_usage(stdout, 0);
        default:
            return list_usage(stderr, EXIT_USAGE);
        }
    }
    dir = tool_node_dir(dir);
    if (optind != argc) return list_usage(stderr, EXIT_USAGE);
    store *s = tool_open_store(dir);
    if (s == NULL) return EXIT_NOINPUT;
    if (o.json) o.all = json_array();
    int rc =
        untrusted ? store_untrusted_each(s, print_untrusted, &o) : store_list(s, &f, print_one, &o);
    store_close(&s);
    if (o.json) tool_print_json(o.all, 0);
    return rc == STORE_OK ? 0 : EXIT_DATAERR;
}

int cmd_get(int argc, char **argv)
{
    static const struct option opts[] = {{"node", required_argument, NULL, 'N'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    bool json = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'N')
            dir = optarg;
        else if (c == 'j')
            json = true;
        else {
            fprintf(c == 'h' ? stdout : stderr,
                    _("usage: warta get ID --node DATA_DIR [--json]\n"
                    "Prints the armored bulletin (or its JSON view) with that id.\n" "--node DATA_DIR defaults to $WARTA_NODE, then /var/lib/warta.\n"
                    "example: warta get 3f9a0c1d2e4b5a67 --json   (the id as warta list shows it)\n"));
            return c == 'h' ? 0 : EXIT_USAGE;
        }
    }
    dir = tool_node_dir(dir);
    if (optind != argc - 1 || !tool_is_id_prefix(argv[optind])) {
        fprintf(stderr, _("usage: warta get ID --node DATA_DIR [--json]  (ID: its first 8 to 64 "
                          "hex digits, as warta list shows them)\n"));
        return EXIT_USAGE;
    }
    uint8_t *raw = NULL;
    size_t len = 0;
    int rc = tool_bulletin_by_id(dir, argv[optind], &raw, &len);
    if (rc != 0) return rc;
    if (json) {
        struct proto_bulletin b;
        if (proto_bulletin_decode(&b, raw, len, NULL) == PROTO_OK)
            tool_print_json(tool_bulletin_to_json(&b, raw, len), 0);
    } else {
        tool_write_bulletin("-", raw, len, false);
    }
    free(raw);
    return 0;
}
