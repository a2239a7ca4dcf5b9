/* warta.c - the warta tool: a table of subcommands, one file each. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"
#include "i18n.h"

struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct subcommand subcommands[] = {
    {"keygen", cmd_keygen, N_("make an issuer keypair (secret key encrypted with a passphrase)")},
    {"pubkey", cmd_pubkey, N_("print the public key and fingerprint of a key file")},
    {"sign", cmd_sign, N_("sign a bulletin given as JSON or flags")},
    {"report", cmd_report, N_("sign a report of a claim seen circulating (sign --kind report)")},
    {"receipt", cmd_receipt, N_("sign what a platform did about a notice (sign --kind receipt)")},
    {"chain", cmd_chain, N_("where a key's chain stands; write out or recover its last bulletin")},
    {"verify", cmd_verify, N_("check a bulletin against an issuer's public key")},
    {"show", cmd_show, N_("print a bulletin as JSON")},
    {"publish", cmd_publish, N_("hand a signed bulletin to the local node (wartad)")},
    {"status", cmd_status, N_("peers, counts, lag, log and witnessing of the local node")},
    {"list", cmd_list, N_("list a node's bulletins, filtered by region, verdict, issuer, time")},
    {"get", cmd_get, N_("print one bulletin of a node's store by id")},
    {"stats", cmd_stats, N_("how fast reports are answered and platforms act, from a node")},
    {"inbox", cmd_inbox, N_("the reports a node holds for an office, open ones first")},
    {"desk", cmd_desk, N_("the office desk: inbox, compose, sign and publish in a local page")},
    {"roster", cmd_roster, N_("write, co-sign, seal and show trust roster records")},
    {"audit", cmd_audit,
     N_("check a node's store; prove what its signed log holds; check proofs offline")},
    {"export", cmd_export, N_("a node's bulletins as JSON Lines or schema.org ClaimReview")},
};

static void usage(FILE *f)
{
    fprintf(f, _("usage: warta COMMAND [ARGS]   (warta help COMMAND for details; warta --version)\n\n"));
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        fprintf(f, "  %-8s %s\n", subcommands[i].name, _(subcommands[i].summary));
}

int main(int argc, char **argv)
{
    warta_i18n_init();
    if (sodium_init() < 0) {
        fprintf(stderr, _("warta: libsodium could not be initialised\n"));
        return 1;
    }
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("warta %s\n", WARTA_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "help") == 0 && argc > 2) {
        /* warta help CMD = warta CMD --help */
        char *args[] = {argv[2], "--help", NULL};
        for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
            if (strcmp(argv[2], subcommands[i].name) == 0) return subcommands[i].run(2, args);
        fprintf(stderr, _("warta: unknown command '%s'\n"), argv[2]);
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].run(argc - 1, argv + 1);
    fprintf(stderr, _("warta: unknown command '%s'\n"), argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
