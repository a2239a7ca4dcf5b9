/* cmd_publish.c - warta publish: hand signed bulletins to the local node; returns once the
 * node has committed them (and starts spreading them). A file of several armored bulletins
 * (warta sign --batch) is published in its order, stopping at the first the node refuses. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys_error.h"
#include "keys_file.h"
#include "tool.h"
#include "i18n.h"

struct publish {
    const char *dir, *path;
    size_t n;
};

static int publish_one(const uint8_t *raw, size_t len, void *p)
{
    struct publish *x = p;
    json_t *reply = NULL;
    int rc = tool_publish(x->dir, raw, len, x->path, &reply);
    const char *result = json_string_value(json_object_get(reply, "result"));
    const char *id = json_string_value(json_object_get(reply, "id"));
    if (rc == 0) printf("%s %s\n", result ? result : "?", id ? id : "");
    json_decref(reply);
    x->n++;
    return rc;
}

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
                    "DATA_DIR; exits 0 once the node has stored it. A file of several armored\n"
                    "bulletins (warta sign --batch) is handed over in its order, up to the first\n"
                    "the node does not store.\n" "--node DATA_DIR defaults to $WARTA_NODE, then /var/lib/warta.\n"
                    "example: warta publish tsunami.wb --node /var/lib/warta\n"));
            return c == 'h' ? 0 : EXIT_USAGE;
        }
    }
    dir = tool_node_dir(dir);
    if (optind != argc - 1) {
        fprintf(stderr, _("usage: warta publish FILE --node DATA_DIR\n"));
        return EXIT_USAGE;
    }
    uint8_t *buf = NULL;
    size_t n = 0;
    int rc = keys_file_read(argv[optind], 64u << 20, &buf, &n);
    if (rc != KEYS_OK) {
        fprintf(stderr, _("warta publish: %s: %s\n"), argv[optind], tool_keys_strerror(rc));
        return EXIT_NOINPUT;
    }
    struct publish x = {dir, argv[optind], 0};
    rc = tool_each_bulletin(buf, n, argv[optind], publish_one, &x);
    free(buf);
    return rc < 0 ? EXIT_MALFORMED : rc;
}
