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
    int read = tool_read_bulletin(argv[optind], &raw, &len);
    if (read != 0) return tool_read_exit(read);
    json_t *reply = NULL;
    int rc = tool_publish(dir, raw, len, argv[optind], &reply);
    free(raw);
    const char *result = json_string_value(json_object_get(reply, "result"));
    const char *id = json_string_value(json_object_get(reply, "id"));
    if (rc == 0) printf("%s %s\n", result ? result : "?", id ? id : "");
    json_decref(reply);
    return rc;
}
