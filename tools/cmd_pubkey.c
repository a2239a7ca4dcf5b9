/* cmd_pubkey.c - warta pubkey: the public key and fingerprint of a key file. */
#include <stdio.h>
#include <string.h>

#include "proto_pubkey.h"
#include "tool.h"
#include "i18n.h"

int cmd_pubkey(int argc, char **argv)
{
    uint8_t pk[PROTO_KEY_BYTES];
    char text[PROTO_PUBKEY_TEXT_LEN + 1], fp[PROTO_FINGERPRINT_LEN + 1];
    if (argc != 2 || strcmp(argv[1], "--help") == 0) {
        fprintf(argc == 2 ? stdout : stderr,
                _("usage: warta pubkey KEYFILE|PUBFILE|wpk1...\n"
                "Prints the public key in text form and its fingerprint (no passphrase needed).\n"
                "example: warta pubkey office.pub\n"));
        return argc == 2 ? 0 : EXIT_USAGE;
    }
    int rc = tool_resolve_pubkey(argv[1], pk);
    if (rc != 0) return tool_read_exit(rc);
    proto_pubkey_format(pk, text);
    proto_pubkey_fingerprint(pk, fp);
    printf(_("%s\nfingerprint: %s\n"), text, fp);
    return 0;
}
