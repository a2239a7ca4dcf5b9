/* cmd_export.c - warta export: a node's bulletins (or a filtered part) as JSON Lines, every
 * field with signature, id and the signed bytes, so they can be verified again elsewhere; or as
 * schema.org ClaimReview JSON-LD, the markup fact-checkers and search engines read. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_roster.h"
#include "tool.h"
#include "i18n.h"

struct export_ctx {
    bool claimreview;
    const char *base_url; /* --base-url: where a gateway serves the bulletin pages */
    roster *ro; /* names the offices, when given */
    size_t count;
    json_t *graph;
};

static int export_one(const uint8_t *raw, size_t len, void *ctx)
{
    struct export_ctx *x = ctx;
    struct proto_bulletin b;
    uint8_t id[PROTO_ID_BYTES];
    if (proto_bulletin_decode(&b, raw, len, NULL) != PROTO_OK) return 0;
    proto_bulletin_id(raw, len, id);
    if (x->claimreview) {
        if (!proto_kind_is_notice(b.kind)) return 0; /* only notices are fact-checks */
        json_array_append_new(x->graph, tool_claimreview(x->ro, &b, id, x->base_url));
    } else {
        json_t *o = tool_bulletin_to_json(&b, raw, len);
        char *b64 = malloc(sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL));
        if (b64) {
            sodium_bin2base64(b64, sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL),
                              raw, len, sodium_base64_VARIANT_ORIGINAL);
            json_object_set_new(o, "encoding", json_string(b64));
            free(b64);
        }
        char *line = tool_json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
        if (line) puts(line);
        free(line);
        json_decref(o);
    }
    x->count++;
    return 0;
}

static int export_usage(FILE *f, int rc)
{
    fprintf(f,
            _("usage: warta export --node DATA_DIR [--format jsonl|claimreview] [--roster ROSTER]\n"
            "                    [--region CODE] [--verdict LABEL] [--issuer PUBKEY]\n"
            "                    [--since TIME] [--until TIME] [--limit N] [--base-url URL]\n\n"
            "jsonl (default): one bulletin per line, every field, its id, signature and signed\n"
            "bytes (\"encoding\", base64), newest first; each line verifies again elsewhere.\n"
            "claimreview: the notices as schema.org ClaimReview JSON-LD; with --roster the\n"
            "author is the office the roster names; with --base-url (a gateway's address) each\n"
            "review's url is its bulletin page there, URL/b/ID, else its first reference link.\n"
            "--node DATA_DIR defaults to $WARTA_NODE, then /var/lib/warta.\n"
            "example: warta export --format claimreview --roster root.wrb \\\n"
            "           --base-url https://warta.example.go.id > claims.json\n"));
    return rc;
}

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"node", required_argument, NULL, 'N'},   {"format", required_argument, NULL, 'f'},
        {"roster", required_argument, NULL, 'R'}, {"base-url", required_argument, NULL, 'B'},
        TOOL_FILTER_OPTIONS,
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    struct store_filter f = {0};
    struct export_ctx x = {0};
    uint8_t issuer[PROTO_KEY_BYTES];
    const char *dir = NULL, *roster_path = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int ff = tool_filter_flag(c, optarg, &f, issuer);
        if (ff < 0) return EXIT_USAGE;
        if (ff > 0) continue;
        switch (c) {
        case 'N':
            dir = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "jsonl") != 0 && strcmp(optarg, "claimreview") != 0)
                return export_usage(stderr, EXIT_USAGE);
            x.claimreview = strcmp(optarg, "claimreview") == 0;
            break;
        case 'R':
            roster_path = optarg;
            break;
        case 'B':
            if (strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0) {
                fprintf(stderr, _("warta export: --base-url: an http:// or https:// address, like "
                                "https://warta.example.go.id\n"));
                return EXIT_USAGE;
            }
            x.base_url = optarg;
            break;
        case 'h':
            return export_usage(stdout, 0);
        default:
            return export_usage(stderr, EXIT_USAGE);
        }
    }
    dir = tool_node_dir(dir);
    if (optind != argc) return export_usage(stderr, EXIT_USAGE);
    if (roster_path &&
        ((x.ro = tool_load_roster(roster_path)) == NULL || tool_roster_from_node(x.ro, dir) != 0)) {
        roster_free(&x.ro);
        return EXIT_NOINPUT;
    }
    store *s = tool_open_store(dir);
    if (s == NULL) {
        roster_free(&x.ro);
        return EXIT_NOINPUT;
    }
    if (x.claimreview) x.graph = json_array();
    int rc = store_list(s, &f, export_one, &x);
    store_close(&s);
    if (x.claimreview) tool_print_json(x.graph, JSON_ENSURE_ASCII);
    roster_free(&x.ro);
    fprintf(stderr, _("exported %zu bulletins\n"), x.count);
    return rc == STORE_OK ? 0 : EXIT_DATAERR;
}
