/* cmd_show.c - warta show: a bulletin as JSON, for people and scripts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "i18n.h"

int cmd_show(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "--help") == 0) {
        fprintf(argc == 2 ? stdout : stderr,
                _("usage: warta show FILE\n"
                "Prints the bulletin in FILE (armored or binary, - for stdin) as JSON.\n"
                "It does not check the signature: use warta verify for that.\n"
                "example: warta show tsunami.wb\n"));
        return argc == 2 ? 0 : EXIT_USAGE;
    }
    uint8_t *raw = NULL;
    size_t len = 0;
    int read = tool_read_bulletin(argv[1], &raw, &len);
    if (read != 0) return tool_read_exit(read);
    struct proto_bulletin *b = malloc(sizeof *b);
    struct proto_err err = {0};
    int rc = EXIT_MALFORMED;
    if (b != NULL && proto_bulletin_decode(b, raw, len, &err) == PROTO_OK) {
        tool_print_json(tool_bulletin_to_json(b, raw, len), 0);
        rc = 0;
    } else if (b != NULL) {
        tool_print_proto_err(argv[1], &err);
    }
    free(b);
    free(raw);
    return rc;
}
