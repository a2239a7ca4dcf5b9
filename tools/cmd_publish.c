/* cmd_publish.c - warta publish: hand a signed bulletin to the local node; returns once the
 * node has committed it (and starts spreading it). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "i18n.h"

int cmd_publish(int argc, char **argv)
{
    static const struct option opts[] = {{"node", required_argument, NULL, 'N'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'N')
            dir = optarg;
        else {
            fprintf(c == 'h' ? stdout : stderr,
                    _("usage: warta publish FILE --node DATA_DIR\n"
                    "Hands the signed bulletin in FILE to the node whose data directory is\n"
                    "DATA_DIR; exits 0 once the node has stored it.\n" "--node DATA_DIR defaults to $WARTA_NODE, then /var/lib/warta.\n"
                    "example: warta publish tsunami.wb --node /var/lib/warta\n"));
            return c == 'h' ? 0 : EXIT_USAGE;
        }
    }
    dir = tool_node_dir(dir);
    if (optind != argc - 1) {
        fprintf(stderr, _("usage: warta publish FILE --node DATA_DIR\n"));
        return EXIT_USAGE;
    }
    uint8_t *raw = NULL;
    size_t len = 0;
    bool ok = false;
    int read = tool_read_bulletin(argv[optind], &raw, &len);
    if (read != 0) return tool_read_exit(read);
    json_t *reply = tool_node_request(dir, "publish", raw, len, &ok);
    free(raw);
    if (reply == NULL) return EXIT_UNAVAILABLE;
    const char *result = json_string_value(json_object_get(reply, "result"));
    const char *id = json_string_value(json_object_get(reply, "id"));
    if (ok)
        printf("%s %s\n", result ? result : "?", id ? id : "");
    else if (result && strcmp(result, "pending") == 0)
        fprintf(stderr,
                _("warta publish: %s: not stored yet: the node holds it until the "
                "issuer's previous bulletin arrives (publish that one first)\n"),
                argv[optind]);
    else if (result && strcmp(result, "taken") == 0)
        fprintf(stderr,
                _("warta publish: %s: refused: its sequence %lld is taken: the node already holds "
                "another bulletin of this key there (its chain is at %lld). The key was used "
                "elsewhere, or its chain state was lost; recover it with `warta chain --key KEY "
                "--from-node DIR`, then sign again. Nothing was stored.\n"),
                argv[optind], (long long)json_integer_value(json_object_get(reply, "sequence")),
                (long long)json_integer_value(json_object_get(reply, "head")));
    else if (result && strcmp(result, "untrusted") == 0)
        fprintf(stderr, _("warta publish: %s: the node's roster does not trust it: %s\n"),
                argv[optind], json_string_value(json_object_get(reply, "reason")));
    else if (result && strcmp(result, "bad_signature") == 0)
        fprintf(stderr,
                _("warta publish: %s: refused: bad_signature: the signature does not match its "
                "issuer key (forged or altered); nothing was stored\n"),
                argv[optind]);
    else
        fprintf(stderr, _("warta publish: %s: the node refused it: %s\n"), argv[optind],
                result ? result : json_string_value(json_object_get(reply, "error")));
    int rc = ok                                                 ? 0
             : result && strcmp(result, "pending") == 0   ? EXIT_PENDING
             : result && strcmp(result, "malformed") == 0 ? EXIT_MALFORMED
                                                          : EXIT_DATAERR;
    json_decref(reply);
    return rc;
}
