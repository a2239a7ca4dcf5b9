/* cmd_keygen.c - warta keygen: a new issuer keypair, secret half encrypted at rest. */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "keys_error.h"
#include "keys_file.h"
#include "keys_secret.h"
#include "proto_pubkey.h"
#include "tool.h"
#include "i18n.h"

static void keygen_usage(FILE *f)
{
    fprintf(f, _("usage: warta keygen -o KEYFILE [--cost interactive|moderate|sensitive]\n"
               "                    [--passphrase-file FILE | --passphrase-env VAR]\n\n"
               "Writes KEYFILE (secret key, encrypted with the passphrase, mode 0600) and the\n"
               "public key next to it (KEYFILE with .key replaced by .pub, else KEYFILE.pub).\n"
               "Never overwrites. Prints the public key and its fingerprint.\n"
               "example: warta keygen -o office.key   (asks for the passphrase twice)\n"));
}

/* office.key -> office.pub; anything else -> NAME.pub */
static int pub_path(const char *key, char *out, size_t cap)
{
    size_t n = strlen(key);
    int w = n > 4 && strcmp(key + n - 4, ".key") == 0
                ? snprintf(out, cap, "%.*s.pub", (int)(n - 4), key)
                : snprintf(out, cap, "%s.pub", key);
    return w < 0 || (size_t)w >= cap ? -1 : 0;
}

static int parse_cost(const char *s, enum keys_cost *cost)
{
    static const char *const names[] = {"interactive", "moderate", "sensitive"};
    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) return *cost = (enum keys_cost)i, 0;
    return -1;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int cmd_keygen(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"cost", required_argument, NULL, 'c'},
                                         {"passphrase-file", required_argument, NULL, 'f'},
                                         {"passphrase-env", required_argument, NULL, 'e'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct pass_source src = {0};
    enum keys_cost cost = KEYS_COST_MODERATE;
    const char *out = NULL;
    char pub[4096];
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'f':
            src.file = optarg;
            break;
        case 'e':
            src.env = optarg;
            break;
        case 'c':
            if (parse_cost(optarg, &cost) == 0) break;
            fprintf(stderr, _("warta keygen: --cost must be interactive, moderate or sensitive\n"));
            return EXIT_USAGE;
        case 'h':
            keygen_usage(stdout);
            return 0;
        default:
            keygen_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (out == NULL || optind != argc || pub_path(out, pub, sizeof pub) != 0) {
        keygen_usage(stderr);
        return EXIT_USAGE;
    }
    const char *taken = exists(out) ? out : exists(pub) ? pub : NULL;
    if (taken != NULL) {
        fprintf(stderr, _("warta keygen: %s already exists; refusing to overwrite it\n"), taken);
        return EXIT_CANTCREAT;
    }
    char *pass = tool_passphrase(&src, "Passphrase for the new key: ", true);
    if (pass == NULL) return EXIT_USAGE;
    if (pass[0] == 0) {
        fprintf(stderr, _("warta keygen: an empty passphrase is not allowed\n"));
        sodium_free(pass);
        return EXIT_USAGE;
    }
    keys_secret *ks = keys_secret_generate();
    int rc = ks == NULL ? KEYS_ENOMEM : keys_secret_save(ks, out, pass, strlen(pass), cost);
    sodium_free(pass);
    if (rc != KEYS_OK) {
        fprintf(stderr, _("warta keygen: %s: %s\n"), out, tool_keys_strerror(rc));
        keys_secret_destroy(&ks);
        return EXIT_CANTCREAT;
    }
    char text[PROTO_PUBKEY_TEXT_LEN + 2], fp[PROTO_FINGERPRINT_LEN + 1];
    proto_pubkey_format(keys_secret_pk(ks), text);
    proto_pubkey_fingerprint(keys_secret_pk(ks), fp);
    keys_secret_destroy(&ks);
    strcat(text, "\n");
    rc = keys_file_create(pub, text, strlen(text), 0644);
    if (rc != KEYS_OK) {
        fprintf(stderr, _("warta keygen: %s: %s\n"), pub, tool_keys_strerror(rc));
        return EXIT_CANTCREAT;
    }
    printf(_("secret key:  %s\npublic key:  %s\n%s"
           "fingerprint: %s\n"),
           out, pub, text, fp);
    return 0;
}
