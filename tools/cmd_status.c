/* cmd_status.c - warta status: what the local node holds and who it talks to. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"
#include "i18n.h"

static void print_human(json_t *s)
{
    json_t *st = json_object_get(s, "store"), *in = json_object_get(s, "ingest");
    printf(_("node %s  key %s  up %llds\n"), json_string_value(json_object_get(s, "name")),
           json_string_value(json_object_get(s, "node_key")),
           (long long)json_integer_value(json_object_get(s, "uptime_ms")) / 1000);
    printf(_("store: %lld bulletins from %lld issuers, %lld forks detected\n"),
           (long long)json_integer_value(json_object_get(st, "bulletins")),
           (long long)json_integer_value(json_object_get(st, "issuers")),
           (long long)json_integer_value(json_object_get(st, "fork_events")));
    printf(_("ingest: %lld accepted, %lld duplicates, %lld waiting for a predecessor, "
           "%lld malformed, %lld forged\n"),
           (long long)json_integer_value(json_object_get(in, "accepted")),
           (long long)json_integer_value(json_object_get(in, "duplicate")),
           (long long)json_integer_value(json_object_get(in, "waiting")),
           (long long)json_integer_value(json_object_get(in, "malformed")),
           (long long)json_integer_value(json_object_get(in, "bad_signature")));
    json_t *ro = json_object_get(s, "roster");
    if (json_is_true(json_object_get(ro, "enforced")))
        printf(_("roster: enforced, network %.16s..., root version %lld, %lld records; %lld "
               "bulletins refused as untrusted\n"),
               json_string_value(json_object_get(ro, "network")),
               (long long)json_integer_value(json_object_get(ro, "root_version")),
               (long long)json_integer_value(json_object_get(ro, "records")),
               (long long)json_integer_value(json_object_get(in, "untrusted")));
    else
        printf(_("roster: none (every correctly signed bulletin is accepted)\n"));
    json_t *log = json_object_get(s, "log"), *w = json_object_get(log, "witness");
    json_t *cp = json_object_get(log, "checkpoint");
    printf(_("log: %lld entries"), (long long)json_integer_value(json_object_get(log, "size")));
    if (cp) {
        char when[TOOL_TIME_LEN];
        tool_time_format((uint64_t)json_integer_value(json_object_get(cp, "time")) * 1000, when);
        long long k = (long long)json_integer_value(json_object_get(cp, "cosigners"));
        printf(_("; checkpoint of %lld signed %s, co-signed by %lld witness%s"),
               (long long)json_integer_value(json_object_get(cp, "size")), when, k,
               k == 1 ? "" : "es");
    }
    printf(_("\nwitness: %lld other nodes heard, %lld checkpoints co-signed, %lld conflicts%s\n"),
           (long long)json_integer_value(json_object_get(w, "nodes")),
           (long long)json_integer_value(json_object_get(w, "cosigned")),
           (long long)json_integer_value(json_object_get(w, "conflicts")),
           json_integer_value(json_object_get(w, "conflicts")) ? " (warta audit --conflicts)" : "");
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(s, "peers"), i, p)
        printf(_("peer %-16s %-3s %s  in %lld out %lld msgs  lag %lld%s\n"),
               json_string_value(json_object_get(p, "name")),
               json_string_value(json_object_get(p, "direction")),
               json_string_value(json_object_get(p, "endpoint")),
               (long long)json_integer_value(json_object_get(p, "messages_in")),
               (long long)json_integer_value(json_object_get(p, "messages_out")),
               (long long)json_integer_value(json_object_get(p, "lag")),
               json_is_true(json_object_get(p, "dropped")) ? "  DROPPED" : "");
}

int cmd_status(int argc, char **argv)
{
    static const struct option opts[] = {{"node", required_argument, NULL, 'N'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    bool json = false, ok = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'N')
            dir = optarg;
        else if (c == 'j')
            json = true;
        else {
            fprintf(c == 'h' ? stdout : stderr,
                    _("usage: warta status --node DATA_DIR [--json]\n" "--node DATA_DIR defaults to $WARTA_NODE, then /var/lib/warta.\n"
                    "example: warta status --node /var/lib/warta\n"));
            return c == 'h' ? 0 : EXIT_USAGE;
        }
    }
    dir = tool_node_dir(dir);
    if (optind != argc) {
        fprintf(stderr, _("usage: warta status --node DATA_DIR [--json]\n"));
        return EXIT_USAGE;
    }
    json_t *s = tool_node_request(dir, "status", NULL, 0, &ok);
    if (s == NULL || !ok) return EXIT_UNAVAILABLE;
    if (json) {
        tool_print_json(s, 0);
    } else {
        print_human(s);
        json_decref(s);
    }
    return 0;
}
